using System.Security.Cryptography;
using MailAuth.Dkim;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace MailAuth.Tests.Dkim;

public class DkimKeyGeneratorTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(3072)]
    public void RsaKeysParseBackAsUsableRecords(int bits)
    {
        var pair = DkimKeyGenerator.GenerateRsa(bits);
        Assert.Equal(DkimKeyType.Rsa, pair.KeyType);
        Assert.Equal(bits, pair.KeyBits);
        Assert.StartsWith("v=DKIM1; k=rsa; p=", pair.RecordValue);
        var parsed = DkimKeyRecord.Parse(pair.RecordValue);
        Assert.True(parsed.IsUsable, string.Join(" | ", parsed.Diagnostics));
        Assert.Equal(bits, parsed.KeyBits);
        Assert.Equal(DkimRsaKeyEncoding.SubjectPublicKeyInfo, parsed.RsaKeyEncoding);
    }

    [Fact]
    public void DefaultIsRsa2048()
    {
        var pair = DkimKeyGenerator.Generate();
        Assert.Equal(DkimKeyType.Rsa, pair.KeyType);
        Assert.Equal(2048, pair.KeyBits);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(1000)]
    [InlineData(1028)]
    [InlineData(8192)]
    public void RsaSizeOutOfRangeThrows(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DkimKeyGenerator.GenerateRsa(bits));

    [Fact]
    public void UnknownTypeThrows() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DkimKeyGenerator.Generate(DkimKeyType.Unknown));

    [Fact]
    public void RsaPrivateKeyPemIsPkcs8AndMatchesThePublicKey()
    {
        var pair = DkimKeyGenerator.GenerateRsa(2048);
        var pem = pair.ExportPrivateKeyPem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pem);
        Assert.EndsWith("-----END PRIVATE KEY-----\n", pem);
        Assert.All(pem.Split('\n'), line => Assert.True(line.Length <= 64));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        Assert.Equal(pair.PublicKey, Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public void Ed25519KeysAreRawThirtyTwoBytesAndPkcs8()
    {
        var pair = DkimKeyGenerator.GenerateEd25519();
        Assert.Equal(DkimKeyType.Ed25519, pair.KeyType);
        Assert.Equal(256, pair.KeyBits);
        Assert.Equal(32, Convert.FromBase64String(pair.PublicKey).Length);
        Assert.StartsWith("v=DKIM1; k=ed25519; p=", pair.RecordValue);
        Assert.True(DkimKeyRecord.Parse(pair.RecordValue).IsUsable);

        var pem = pair.ExportPrivateKeyPem();
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----"))));
        var priv = (Ed25519PrivateKeyParameters)Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(der);
        Assert.Equal(pair.PublicKey, Convert.ToBase64String(priv.GeneratePublicKey().GetEncoded()));
    }

    [Fact]
    public void TwoKeysDiffer()
    {
        Assert.NotEqual(DkimKeyGenerator.GenerateEd25519().PublicKey, DkimKeyGenerator.GenerateEd25519().PublicKey);
        Assert.NotEqual(DkimKeyGenerator.GenerateRsa(1024).PublicKey, DkimKeyGenerator.GenerateRsa(1024).PublicKey);
    }

    [Fact]
    public void RecordIsSplitAt255OctetsWithCrLfDescriptiveText()
    {
        var pair = DkimKeyGenerator.GenerateRsa(2048);
        var record = pair.CreateRecord("Contoso.com.", "Mail2025", TimeSpan.FromMinutes(30));
        Assert.Equal("contoso.com", record.ZoneName);
        Assert.Equal("mail2025._domainkey", record.Name);
        Assert.Equal("mail2025._domainkey.contoso.com", record.FullName);
        Assert.Equal("TXT", record.RecordType);
        Assert.Equal(TimeSpan.FromMinutes(30), record.TimeToLive);
        Assert.Equal(pair.RecordValue, record.Value);
        Assert.True(record.Strings.Count >= 2);
        Assert.All(record.Strings, s => Assert.InRange(s.Length, 1, 255));
        Assert.Equal(pair.RecordValue, string.Concat(record.Strings));
        Assert.Equal(string.Join("\r\n", record.Strings), record.DescriptiveText);
        Assert.Equal(DkimReportStatus.Ok, DkimAnalyzer.AnalyzeRecord("contoso.com", "mail2025", record.Value).Status);
    }

    [Fact]
    public void Ed25519RecordFitsOneString()
    {
        var record = DkimKeyGenerator.GenerateEd25519().CreateRecord("contoso.com", "ed");
        Assert.Single(record.Strings);
        Assert.Equal(record.Value, record.DescriptiveText);
        Assert.Equal(TimeSpan.FromHours(1), record.TimeToLive);
    }

    [Fact]
    public void PrintingTheKeyPairDoesNotShowThePrivateKey()
    {
        var pair = DkimKeyGenerator.GenerateRsa(1024);
        var pemBody = pair.ExportPrivateKeyPem().Split('\n')[1];
        Assert.DoesNotContain(pemBody, pair.ToString());
        Assert.DoesNotContain(typeof(DkimKeyPair).GetProperties(), p => p.GetMethod!.IsPublic && p.Name.Contains("Private"));
    }
}

public class PrivateKeyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mailauth-key-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [SkippableFact]
    public void WritesTheFileOwnerOnly()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        var path = Path.Combine(_dir, "k.pem");
        Assert.True(PrivateKeyFile.Write(path, "secret\n", overwrite: false));
        Assert.Equal("secret\n", File.ReadAllText(path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [SkippableFact]
    public void RefusesToOverwriteWithoutPermissionAndReplacesWithIt()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        var path = Path.Combine(_dir, "k.pem");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Throws<IOException>(() => PrivateKeyFile.Write(path, "new", overwrite: false));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.True(PrivateKeyFile.Write(path, "new", overwrite: true));
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [SkippableFact]
    public void TheChmodFallbackAlsoGivesOwnerOnly()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        var path = Path.Combine(_dir, "fallback.pem");
        using (var fs = PrivateKeyFile.CreateThenChmod(path)) fs.WriteByte((byte)'x');
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Equal("x", File.ReadAllText(path));
    }

    [SkippableFact]
    public void TheRuntimePathIsAvailableOnModernDotNet()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        var path = Path.Combine(_dir, "modern.pem");
        using (var fs = PrivateKeyFile.TryCreateWithUnixCreateMode(path)) Assert.NotNull(fs);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Throws<IOException>(() => PrivateKeyFile.TryCreateWithUnixCreateMode(path));
    }
}
