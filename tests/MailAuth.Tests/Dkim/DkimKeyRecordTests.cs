using MailAuth.Dkim;
using MailAuth.Findings;
using Xunit;

namespace MailAuth.Tests.Dkim;

public class DkimKeyRecordTests
{
    /// <summary>RFC 8463 Appendix A RSA 1024 test key (SubjectPublicKeyInfo).</summary>
    internal const string Rsa1024Spki = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";
    /// <summary>RFC 8463 Appendix A Ed25519 public key.</summary>
    internal const string Ed25519Key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    private static DkimDiagnostic Error(DkimKeyRecord r, string id) => Assert.Single(r.Diagnostics, d => d.Id == id);

    [Fact]
    public void ParsesAnRsaSpkiKey()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; k=rsa; p=" + Rsa1024Spki);
        Assert.Empty(r.Diagnostics);
        Assert.True(r.IsUsable);
        Assert.Equal("DKIM1", r.Version);
        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Equal(1024, r.KeyBits);
        Assert.Equal(DkimRsaKeyEncoding.SubjectPublicKeyInfo, r.RsaKeyEncoding);
        Assert.False(r.Revoked);
        Assert.Equal(Rsa1024Spki, r.PublicKey);
        Assert.Equal(new[] { "*" }, r.ServiceTypes);
        Assert.Empty(r.HashAlgorithms);
        Assert.True(r.AllowsHash("sha256"));
        Assert.True(r.AllowsEmail);
    }

    [Fact]
    public void RsaIsTheDefaultKeyTypeAndVersionIsOptional()
    {
        var r = DkimKeyRecord.Parse("p=" + Rsa1024Spki);
        Assert.True(r.IsUsable);
        Assert.Null(r.Version);
        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Equal("rsa", r.KeyTypeText);
    }

    [Fact]
    public void DecodesABarePkcs1RsaKey()
    {
        var spki = Convert.FromBase64String(Rsa1024Spki);
        // The RSAPublicKey is the BIT STRING content at the end of the SPKI (after 22 header bytes for a 1024-bit key).
        var pkcs1 = Convert.ToBase64String(spki.Skip(22).ToArray());
        var r = DkimKeyRecord.Parse("v=DKIM1; k=rsa; p=" + pkcs1);
        Assert.True(r.IsUsable, string.Join(" | ", r.Diagnostics));
        Assert.Equal(DkimRsaKeyEncoding.Pkcs1, r.RsaKeyEncoding);
        Assert.Equal(1024, r.KeyBits);
    }

    [Fact]
    public void ParsesAnEd25519Key()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; k=ed25519; p=" + Ed25519Key);
        Assert.Empty(r.Diagnostics);
        Assert.True(r.IsUsable);
        Assert.Equal(DkimKeyType.Ed25519, r.KeyType);
        Assert.Equal(256, r.KeyBits);
    }

    [Fact]
    public void WhitespaceInsideTheKeyIsAllowed()
    {
        var spaced = string.Join(" ", Enumerable.Range(0, (Rsa1024Spki.Length + 39) / 40).Select(i => Rsa1024Spki.Substring(i * 40, Math.Min(40, Rsa1024Spki.Length - i * 40))));
        var r = DkimKeyRecord.Parse("v=DKIM1; p=" + spaced);
        Assert.True(r.IsUsable);
        Assert.Equal(Rsa1024Spki, r.PublicKey);
    }

    [Fact]
    public void EmptyPMeansRevoked()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; k=rsa; p=");
        Assert.True(r.Revoked);
        Assert.False(r.IsUsable);
        Assert.Empty(r.Diagnostics);
        Assert.Equal("", r.PublicKey);
        Assert.Null(r.KeyBits);
    }

    [Fact]
    public void MissingPIsAnError()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; k=rsa");
        Error(r, "DKIM.MissingPublicKey");
        Assert.Null(r.PublicKey);
        Assert.False(r.Revoked);
    }

    [Theory]
    [InlineData("v=DKIM2; p=AAAA", "not DKIM1")]
    [InlineData("k=rsa; v=DKIM1; p=AAAA", "first tag")]
    [InlineData("v=dkim1; p=AAAA", "not DKIM1")]
    public void InvalidVersion(string text, string messagePart)
    {
        var r = DkimKeyRecord.Parse(text);
        Assert.Contains(messagePart, Error(r, "DKIM.InvalidVersion").Message);
        Assert.False(r.IsUsable);
    }

    [Fact]
    public void UnknownKeyType()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; k=dsa; p=" + Rsa1024Spki);
        Error(r, "DKIM.UnknownKeyType");
        Assert.Equal(DkimKeyType.Unknown, r.KeyType);
        Assert.Equal("dsa", r.KeyTypeText);
        Assert.False(r.IsUsable);
    }

    [Theory]
    [InlineData("MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDk\"HlOQ", "quote")]
    [InlineData("MIGfMA0GCSqGSIb3DQEBAQUAA4GN-DCB", "base64url")]
    [InlineData("MIGfMA0GCSqGSIb3DQEBAQUAA4GNAD", "multiple of 4")]
    [InlineData("MIGf==AA", "after the '='")]
    [InlineData("MIGf*AAA", "not a base64 character")]
    public void InvalidBase64(string p, string messagePart)
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; p=" + p);
        var d = Error(r, "DKIM.InvalidBase64");
        Assert.Contains(messagePart, d.Message);
        Assert.InRange(d.Position, 11, 11 + p.Length);
        Assert.False(r.IsUsable);
    }

    [Fact]
    public void TruncatedKeyIsMalformedAndLooksTruncated()
    {
        var bytes = Convert.FromBase64String(Rsa1024Spki);
        var cut = Convert.ToBase64String(bytes.Take(120).ToArray());
        var r = DkimKeyRecord.Parse("v=DKIM1; p=" + cut);
        Assert.Contains("ends early", Error(r, "DKIM.MalformedKey").Message);
        Assert.True(r.LooksTruncated);
    }

    [Fact]
    public void NonKeyBytesAreMalformed()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; p=" + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("this is not a key at all")));
        Error(r, "DKIM.MalformedKey");
        Assert.False(r.LooksTruncated);
    }

    [Fact]
    public void Ed25519KeyOfTheWrongLength()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(new byte[31]));
        Assert.Contains("31 bytes", Error(r, "DKIM.Ed25519KeyLength").Message);
    }

    [Fact]
    public void Ed25519KeyWrappedInSpkiNamesTheRawKey()
    {
        var raw = Convert.FromBase64String(Ed25519Key);
        var spki = new byte[] { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 }.Concat(raw).ToArray();
        var r = DkimKeyRecord.Parse("v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(spki));
        Assert.Contains(Ed25519Key, Error(r, "DKIM.Ed25519KeyLength").Message);
    }

    [Fact]
    public void KeyTypeMismatchBothWays()
    {
        Error(DkimKeyRecord.Parse("v=DKIM1; k=ed25519; p=" + Rsa1024Spki), "DKIM.KeyTypeMismatch");
        Error(DkimKeyRecord.Parse("v=DKIM1; k=rsa; p=" + Ed25519Key), "DKIM.KeyTypeMismatch");
    }

    [Fact]
    public void HashServiceFlagsAndNotes()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; h=sha256:sha1; s=email; t=y:s; n=hello world; g=*; p=" + Rsa1024Spki);
        Assert.Empty(r.Diagnostics);
        Assert.Equal(new[] { "sha256", "sha1" }, r.HashAlgorithms);
        Assert.Equal(new[] { "email" }, r.ServiceTypes);
        Assert.True(r.Testing);
        Assert.True(r.StrictSubdomains);
        Assert.Equal("hello world", r.Notes);
        Assert.Equal("g", Assert.Single(r.UnknownTags).Name);
    }

    [Fact]
    public void Sha1OnlyIsAnError()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; h=sha1; p=" + Rsa1024Spki);
        Assert.Equal(FindingSeverity.Error, Error(r, "DKIM.Sha1Only").Severity);
        Assert.False(r.AllowsHash("sha256"));
    }

    [Fact]
    public void UnknownHashOnlyIsAnErrorAndBesideSha256IsInformation()
    {
        Assert.Equal(FindingSeverity.Error, Error(DkimKeyRecord.Parse("h=md5; p=" + Rsa1024Spki), "DKIM.UnknownHashAlgorithm").Severity);
        Assert.Equal(FindingSeverity.Information, Error(DkimKeyRecord.Parse("h=sha256:sha512; p=" + Rsa1024Spki), "DKIM.UnknownHashAlgorithm").Severity);
    }

    [Fact]
    public void ServiceWithoutEmailIsAnError()
    {
        var r = DkimKeyRecord.Parse("v=DKIM1; s=tlsrpt; p=" + Rsa1024Spki);
        Error(r, "DKIM.ServiceNotEmail");
        Assert.False(r.AllowsEmail);
    }

    [Fact]
    public void UnknownFlagIsInformation()
    {
        var r = DkimKeyRecord.Parse("t=x; p=" + Rsa1024Spki);
        Assert.Equal(FindingSeverity.Information, Error(r, "DKIM.UnknownFlag").Severity);
        Assert.True(r.IsUsable);
    }

    [Fact]
    public void DiagnosticsAreInTextOrder()
    {
        var r = DkimKeyRecord.Parse("k=foo; v=DKIM2; h=sha1; p=@@@@");
        var positions = r.Diagnostics.Select(d => d.Position).ToList();
        Assert.Equal(positions.OrderBy(p => p), positions);
        Assert.True(r.Diagnostics.Count >= 4);
    }
}

public class DkimKeyRecordEd25519PointTests
{
    [Fact]
    public void ThirtyTwoBytesThatAreNotAPointAreMalformed()
    {
        // Found by the property test: 32 bytes that do not decode to a curve point made BouncyCastle throw.
        var r = DkimKeyRecord.Parse("v=DKIM1; k=ed25519; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlO=");
        Assert.Contains(r.Diagnostics, d => d.Id == "DKIM.MalformedKey");
        Assert.False(r.IsUsable);
    }
}
