using System.Diagnostics;
using System.Text;
using CsCheck;
using MailAuth.Dkim;
using MailAuth.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestDns;

namespace MailAuth.Tests.Dkim;

public class DkimSignatureVerifierTests
{
    private static readonly DkimKeyPair Rsa = DkimKeyGenerator.GenerateRsa(2048);
    private static readonly DkimKeyPair Ed = DkimKeyGenerator.GenerateEd25519();

    internal static MimeMessage NewMessage(string from = "alice@contoso.com")
    {
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress("Alice", from));
        m.To.Add(new MailboxAddress("Bob", "bob@fabrikam.com"));
        m.Subject = "Quarterly report";
        m.Date = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
        m.MessageId = "report-2026-q1@contoso.com";
        m.Body = new TextPart("plain") { Text = "Hello Bob,\r\n\r\nthe report is attached.  See you.\r\n" };
        return m;
    }

    /// <summary>Signs with MimeKit's DkimSigner, loading the private key from the PEM text New-DkimKey writes.</summary>
    internal static byte[] Sign(DkimKeyPair key, string domain = "contoso.com", string selector = "s2026", MimeMessage? message = null,
        DkimSignatureAlgorithm? algorithm = null, TimeSpan? expireAfter = null, string? agent = null)
    {
        message ??= NewMessage();
        var alg = algorithm ?? (key.KeyType == DkimKeyType.Ed25519 ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256);
        using var pem = new MemoryStream(Encoding.ASCII.GetBytes(key.ExportPrivateKeyPem()));
        var signer = new DkimSigner(pem, domain, selector, alg)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            SignaturesExpireAfter = expireAfter,
            AgentOrUserIdentifier = agent,
        };
        signer.Sign(message, new[] { HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId });
        return Bytes(message);
    }

    internal static byte[] Bytes(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var ms = new MemoryStream();
        message.WriteTo(options, ms);
        return ms.ToArray();
    }

    private static IDnsResolver Publish(DkimKeyPair key, string name = "s2026._domainkey.contoso.com", string? extraTags = null) =>
        Serve(Txt(name, MailAuth.Publishing.PublishableRecord.SplitCharacterStrings(extraTags is null ? key.RecordValue : key.RecordValue.Replace("v=DKIM1; ", "v=DKIM1; " + extraTags + "; ")).ToArray()));

    private static IReadOnlyList<DkimSignatureResult> Verify(byte[] message, IDnsResolver resolver, DkimVerificationOptions? options = null) =>
        new DkimSignatureVerifier(resolver, options).VerifyAsync(message).GetAwaiter().GetResult();

    private static DkimSignatureResult VerifyOne(byte[] message, IDnsResolver resolver, DkimVerificationOptions? options = null) =>
        Assert.Single(Verify(message, resolver, options));

    [Fact]
    public void GeneratedRsaKeyVerifiesAMessageSignedWithItsPrivateKey()
    {
        var r = VerifyOne(Sign(Rsa), Publish(Rsa));
        Assert.True(r.Result == DkimResult.Pass, r.Detail);
        Assert.Equal(DkimFailureReason.None, r.Reason);
        Assert.Equal("contoso.com", r.Domain);
        Assert.Equal("s2026", r.Selector);
        Assert.Equal("rsa-sha256", r.Algorithm);
        Assert.Equal("relaxed/relaxed", r.Canonicalization);
        Assert.Equal(new[] { "from", "to", "subject", "date", "message-id" }, r.SignedHeaders.Select(h => h.ToLowerInvariant()));
        Assert.Equal(2048, r.KeyBits);
        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Equal("s2026._domainkey.contoso.com", r.KeyName);
        Assert.Equal("contoso.com", r.FromDomain);
        Assert.True(r.AlignedStrict);
        Assert.True(r.AlignedRelaxed);
        Assert.Equal(1, r.Index);
        Assert.Contains("2048-bit RSA", r.Detail);
    }

    [Fact]
    public void GeneratedEd25519KeyVerifiesAMessageSignedWithItsPrivateKey()
    {
        var r = VerifyOne(Sign(Ed), Publish(Ed));
        Assert.True(r.Result == DkimResult.Pass, r.Detail);
        Assert.Equal("ed25519-sha256", r.Algorithm);
        Assert.Equal(256, r.KeyBits);
    }

    [Fact]
    public void BodyLengthTagIsReadAndNamedInTheDetail()
    {
        // DkimSigner cannot write l=; adding it afterwards makes the body hash cover 5 octets only, so it no longer matches.
        var text = Encoding.ASCII.GetString(Sign(Rsa));
        var r = VerifyOne(Encoding.ASCII.GetBytes(text.Replace("DKIM-Signature: v=1;", "DKIM-Signature: v=1; l=5;")), Publish(Rsa));
        Assert.Equal(5, r.BodyLength);
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal(DkimFailureReason.BodyHashMismatch, r.Reason);
        Assert.Contains("first 5 octets", r.Detail);
    }

    [Fact]
    public void WrongKeyIsASignatureMismatch()
    {
        var r = VerifyOne(Sign(Rsa), Publish(DkimKeyGenerator.GenerateRsa(2048)));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal(DkimFailureReason.SignatureMismatch, r.Reason);
    }

    [Fact]
    public void SubdomainSignerAlignsRelaxedOnly()
    {
        var r = VerifyOne(Sign(Ed, domain: "mail.contoso.co.uk", message: NewMessage("alice@contoso.co.uk")), Publish(Ed, "s2026._domainkey.mail.contoso.co.uk"));
        Assert.Equal(DkimResult.Pass, r.Result);
        Assert.False(r.AlignedStrict);
        Assert.True(r.AlignedRelaxed);
        var other = VerifyOne(Sign(Ed, domain: "other.co.uk", message: NewMessage("alice@contoso.co.uk")), Publish(Ed, "s2026._domainkey.other.co.uk"));
        Assert.Equal(DkimResult.Pass, other.Result);
        Assert.False(other.AlignedRelaxed);
    }

    [Fact]
    public void Sha1FailsEvenWhenTheSignatureVerifies()
    {
        var r = VerifyOne(Sign(Rsa, algorithm: DkimSignatureAlgorithm.RsaSha1), Publish(Rsa));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal(DkimFailureReason.Sha1, r.Reason);
        Assert.Contains("itself verifies", r.Detail);
    }

    [Fact]
    public void SmallKeyFails()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(512);
        var pair = Org.BouncyCastle.Security.DotNetUtilities.GetRsaKeyPair(rsa);
        var message = NewMessage();
        new DkimSigner(pair.Private, "contoso.com", "small", DkimSignatureAlgorithm.RsaSha256).Sign(message, new[] { HeaderId.From, HeaderId.Subject });
        var record = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        var r = VerifyOne(Bytes(message), Serve(Txt("small._domainkey.contoso.com", record)));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal(DkimFailureReason.KeyTooSmall, r.Reason);
        Assert.Equal(512, r.KeyBits);
        Assert.Contains("itself verifies", r.Detail);
    }

    [Fact]
    public void ExpiredSignatureFails()
    {
        var signed = Sign(Ed, expireAfter: TimeSpan.FromHours(1));
        var options = new DkimVerificationOptions { Now = DateTimeOffset.UtcNow.AddDays(2) };
        var r = VerifyOne(signed, Publish(Ed), options);
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal(DkimFailureReason.Expired, r.Reason);
        Assert.NotNull(r.Expiration);
        Assert.NotNull(r.Timestamp);
        Assert.Equal(DkimResult.Pass, VerifyOne(signed, Publish(Ed)).Result);
    }

    [Fact]
    public void RevokedKeyFails()
    {
        var r = VerifyOne(Sign(Rsa), Serve(Txt("s2026._domainkey.contoso.com", "v=DKIM1; k=rsa; p=")));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal(DkimFailureReason.KeyRevoked, r.Reason);
    }

    [Fact]
    public void MissingKeyIsPermError()
    {
        var r = VerifyOne(Sign(Rsa), Serve(Txt("other._domainkey.contoso.com", Rsa.RecordValue)));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Equal(DkimFailureReason.KeyNotFound, r.Reason);
        Assert.Contains("s2026._domainkey.contoso.com", r.Detail);
    }

    [Fact]
    public void DanglingCnameIsKeyNotFoundAndNamesTheTarget()
    {
        var r = VerifyOne(Sign(Rsa), Serve(Cname("s2026._domainkey.contoso.com", "s2026.dkim.example.net"), Txt("x.dkim.example.net", "x")));
        Assert.Equal(DkimFailureReason.KeyNotFound, r.Reason);
        Assert.Contains("s2026.dkim.example.net", r.Detail);
    }

    [Fact]
    public void LookupFailureIsTempError()
    {
        var r = VerifyOne(Sign(Rsa), new StatusResolver(DnsLookupStatus.Timeout));
        Assert.Equal(DkimResult.TempError, r.Result);
        Assert.Equal(DkimFailureReason.KeyLookupFailed, r.Reason);
    }

    [Theory]
    [InlineData("v=DKIM1; k=rsa; p=AAA*", DkimFailureReason.KeyMalformed)]
    [InlineData("v=DKIM2; k=rsa; p=AAAA", DkimFailureReason.KeyMalformed)]
    [InlineData("v=DKIM1; k=foo; p=AAAA", DkimFailureReason.KeyMalformed)]
    public void UnusableKeyRecordIsPermError(string record, DkimFailureReason reason)
    {
        var r = VerifyOne(Sign(Rsa), Serve(Txt("s2026._domainkey.contoso.com", record)));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Equal(reason, r.Reason);
    }

    [Fact]
    public void KeyOfTheWrongTypeIsPermError()
    {
        var r = VerifyOne(Sign(Ed), Publish(Rsa));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Equal(DkimFailureReason.KeyTypeMismatch, r.Reason);
    }

    [Fact]
    public void KeyRestrictions()
    {
        Assert.Equal(DkimFailureReason.HashNotPermitted, VerifyOne(Sign(Rsa), Publish(Rsa, extraTags: "h=sha1")).Reason);
        Assert.Equal(DkimFailureReason.ServiceNotPermitted, VerifyOne(Sign(Rsa), Publish(Rsa, extraTags: "s=tlsrpt")).Reason);
        var strict = VerifyOne(Sign(Rsa, agent: "alice@mail.contoso.com"), Publish(Rsa, extraTags: "t=s"));
        Assert.Equal(DkimFailureReason.StrictIdentityMismatch, strict.Reason);
        Assert.Equal(DkimResult.Pass, VerifyOne(Sign(Rsa, agent: "alice@contoso.com"), Publish(Rsa, extraTags: "t=s")).Result);
        var testing = VerifyOne(Sign(Rsa), Publish(Rsa, extraTags: "t=y"));
        Assert.Equal(DkimResult.Pass, testing.Result);
        Assert.True(testing.KeyTesting);
    }

    /// <summary>Replaces the DKIM-Signature field of a signed message.</summary>
    private static byte[] WithSignature(string value)
    {
        var text = Encoding.ASCII.GetString(Sign(Rsa));
        var end = text.IndexOf("\r\nFrom:", StringComparison.Ordinal);
        Assert.StartsWith("DKIM-Signature:", text);
        return Encoding.ASCII.GetBytes("DKIM-Signature: " + value + text.Substring(end));
    }

    private const string Good = "a=rsa-sha256; d=contoso.com; s=s2026; c=relaxed/relaxed; h=From:To:Subject; bh=AAAA; b=AAAA";

    [Theory]
    [InlineData("v=1; " + Good + "; b=BBBB", DkimResult.PermError, DkimFailureReason.MalformedSignature)]
    [InlineData("v=1; garbage; " + Good, DkimResult.PermError, DkimFailureReason.MalformedSignature)]
    [InlineData(Good, DkimResult.PermError, DkimFailureReason.MalformedSignature)]
    [InlineData("v=2; " + Good, DkimResult.PermError, DkimFailureReason.UnsupportedVersion)]
    [InlineData("v=1; a=rsa-sha256; d=contoso.com; s=s2026; h=From; bh=AAAA", DkimResult.PermError, DkimFailureReason.MalformedSignature)]
    [InlineData("v=1; a=rsa-sha256; d=contoso.com; s=s2026; h=To:Subject; bh=AAAA; b=AAAA", DkimResult.PermError, DkimFailureReason.FromNotSigned)]
    [InlineData("v=1; " + Good + "; i=alice@fabrikam.com", DkimResult.PermError, DkimFailureReason.IdentityMismatch)]
    [InlineData("v=1; a=rsa-sha256; d=contoso..com; s=s2026; h=From; bh=AAAA; b=AAAA", DkimResult.PermError, DkimFailureReason.InvalidDomain)]
    [InlineData("v=1; a=rsa-sha512; d=contoso.com; s=s2026; h=From; bh=AAAA; b=AAAA", DkimResult.Neutral, DkimFailureReason.UnsupportedAlgorithm)]
    [InlineData("v=1; " + Good + "; q=http/well-known", DkimResult.Neutral, DkimFailureReason.UnsupportedQueryMethod)]
    [InlineData("v=1; " + Good + "; c=fancy", DkimResult.PermError, DkimFailureReason.MalformedSignature)]
    [InlineData("v=1; " + Good + "; l=ten", DkimResult.PermError, DkimFailureReason.MalformedSignature)]
    [InlineData("v=1; " + Good + "; t=200; x=100", DkimResult.PermError, DkimFailureReason.MalformedSignature)]
    [InlineData("v=1; a=rsa-sha256; d=contoso.com; s=s2026; h=From; bh=AAAA; b=not*base64", DkimResult.PermError, DkimFailureReason.MalformedSignature)]
    [InlineData("v=1; " + Good, DkimResult.Fail, DkimFailureReason.BodyHashMismatch)]
    public void MalformedSignatures(string header, DkimResult result, DkimFailureReason reason)
    {
        var r = VerifyOne(WithSignature(header), Publish(Rsa));
        Assert.Equal(result, r.Result);
        Assert.Equal(reason, r.Reason);
        Assert.False(string.IsNullOrWhiteSpace(r.Detail));
    }

    [Fact]
    public void MessageWithoutSignatureIsNone()
    {
        var r = Assert.Single(new DkimSignatureVerifier(new StatusResolver(DnsLookupStatus.NxDomain)).VerifyAsync("From: alice@contoso.com\r\n\r\nHello").GetAwaiter().GetResult());
        Assert.Equal(DkimResult.None, r.Result);
        Assert.Equal(DkimFailureReason.NoSignature, r.Reason);
        Assert.Equal("contoso.com", r.FromDomain);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just some words without a colon")]
    public void TextThatIsNoMessageIsUnreadable(string text)
    {
        var r = Assert.Single(new DkimSignatureVerifier(new StatusResolver(DnsLookupStatus.NxDomain)).VerifyAsync(text).GetAwaiter().GetResult());
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Equal(DkimFailureReason.MessageUnreadable, r.Reason);
        Assert.Contains("RFC 5322", r.Detail);
    }

    [Fact]
    public void BinaryJunkNeverThrows()
    {
        var resolver = Publish(Rsa);
        var signed = Sign(Rsa);
        var junk = Gen.Byte.Array[0, 400];
        var mutated = Gen.Select(Gen.Int[0, signed.Length - 1], Gen.Byte, Gen.Int[0, 2], (at, b, op) =>
        {
            var list = signed.ToList();
            if (op == 0) list[at] = b; else if (op == 1) list.RemoveAt(at); else list.Insert(at, b);
            return list.ToArray();
        });
        Gen.OneOf(junk, mutated).Sample(bytes =>
        {
            var results = new DkimSignatureVerifier(resolver).VerifyAsync(bytes).GetAwaiter().GetResult();
            Assert.NotEmpty(results);
            foreach (var r in results)
            {
                Assert.True(Enum.IsDefined(r.Result));
                Assert.True(Enum.IsDefined(r.Reason));
                Assert.Equal(r.Result == DkimResult.Pass, r.Reason == DkimFailureReason.None);
                Assert.False(string.IsNullOrWhiteSpace(r.Detail));
            }
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void TooManySignaturesAreCappedWithAResult()
    {
        var message = MimeMessage.Load(new MemoryStream(Sign(Ed)));
        for (int i = 0; i < 3; i++)
            message.Headers.Insert(0, new Header("DKIM-Signature", message.Headers[HeaderId.DkimSignature]!));
        var results = Verify(Bytes(message), Publish(Ed), new DkimVerificationOptions { MaxSignatures = 2 });
        Assert.Equal(4, results.Count);
        Assert.Equal(new[] { DkimResult.Pass, DkimResult.Pass, DkimResult.PermError, DkimResult.PermError }, results.Select(r => r.Result));
        Assert.Equal(DkimFailureReason.TooManySignatures, results[3].Reason);
    }

    [Fact]
    public void OneKeyLookupPerSelector()
    {
        var message = MimeMessage.Load(new MemoryStream(Sign(Ed)));
        message.Headers.Insert(0, new Header("DKIM-Signature", message.Headers[HeaderId.DkimSignature]!));
        var counting = new CountingResolver(Publish(Ed));
        var results = Verify(Bytes(message), counting);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(DkimResult.Pass, r.Result));
        Assert.Equal(1, counting.Count);
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("mail.example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("shop.example.com.au", "example.com.au")]
    [InlineData("x.y.example.de", "example.de")]
    [InlineData("Mail.Example.COM.", "example.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("www.city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("me.example.blogspot.com", "example.blogspot.com")]
    public void OrganizationalDomainFromThePublicSuffixList(string domain, string expected) =>
        Assert.Equal(expected, DkimAlignment.OrganizationalDomain(domain));

    [Fact]
    public void AlignmentUsesTheConfiguredOrganizationalDomainFunction()
    {
        var signed = Sign(Ed, domain: "bounce.contoso.com");
        var r = VerifyOne(signed, Publish(Ed, "s2026._domainkey.bounce.contoso.com"),
            new DkimVerificationOptions { OrganizationalDomain = d => d });
        Assert.Equal(DkimResult.Pass, r.Result);
        Assert.False(r.AlignedRelaxed);
    }

    private sealed class CountingResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner;
        private int _count;
        public CountingResolver(IDnsResolver inner) => _inner = inner;
        public int Count => _count;
        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return _inner.QueryAsync(name, type, cancellationToken);
        }
    }
}

/// <summary>dkimpy (Debian python3-dkim) as an independent oracle for messages signed with generated keys.</summary>
public class DkimpyOracleTests
{
    private const string Python = "/usr/bin/python3";

    private static string? DkimpyMissing()
    {
        if (!File.Exists(Python)) return "/usr/bin/python3 is not installed: the dkimpy oracle test is skipped.";
        var psi = new ProcessStartInfo(Python, "-c \"import dkim, nacl\"") { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode == 0 ? null : "Debian's python3-dkim is not installed (apt-get install python3-dkim): the dkimpy oracle test is skipped.";
    }

    private const string Script = """
        import sys, dkim
        msg = open(sys.argv[1], 'rb').read()
        name, record = sys.argv[2].encode(), open(sys.argv[3], 'rb').read()
        def dnsfunc(qname, timeout=5):
            return record if qname.rstrip(b'.') == name else None
        print('pass' if dkim.verify(msg, dnsfunc=dnsfunc) else 'fail')
        """;

    private static string RunDkimpy(byte[] message, string keyName, string record)
    {
        var dir = Directory.CreateTempSubdirectory("mailauth-dkimpy-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "v.py"), Script);
            File.WriteAllBytes(Path.Combine(dir, "m.eml"), message);
            File.WriteAllText(Path.Combine(dir, "k.txt"), record);
            var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Path.Combine(dir, "v.py"), Path.Combine(dir, "m.eml"), keyName, Path.Combine(dir, "k.txt") }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, error);
            return output.Trim();
        }
        finally { Directory.Delete(dir, true); }
    }

    [SkippableTheory]
    [InlineData(DkimKeyType.Rsa)]
    [InlineData(DkimKeyType.Ed25519)]
    public void DkimpyAgreesOnMessagesSignedWithGeneratedKeys(DkimKeyType type)
    {
        var missing = DkimpyMissing();
        Skip.If(missing != null, missing);
        var key = DkimKeyGenerator.Generate(type);
        var signed = DkimSignatureVerifierTests.Sign(key);
        const string name = "s2026._domainkey.contoso.com";
        Assert.Equal("pass", RunDkimpy(signed, name, key.RecordValue));
        var ours = new DkimSignatureVerifier(DkimTestDns.Serve(DkimTestDns.Txt(name, MailAuth.Publishing.PublishableRecord.SplitCharacterStrings(key.RecordValue).ToArray())))
            .VerifyAsync(signed).GetAwaiter().GetResult();
        Assert.Equal(DkimResult.Pass, Assert.Single(ours).Result);

        var tampered = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(signed).Replace("the report is attached", "the report is missing"));
        Assert.Equal("fail", RunDkimpy(tampered, name, key.RecordValue));
    }

    private const string SignScript = """
        import sys, dkim
        msg = open(sys.argv[1], 'rb').read()
        key = open(sys.argv[2], 'rb').read()
        sig = dkim.sign(msg, b's2026', b'contoso.com', key, include_headers=[b'from', b'to', b'subject'], length=True)
        sys.stdout.buffer.write(sig + msg)
        """;

    [SkippableFact]
    public void DkimpySignsWithAGeneratedPkcs8KeyAndBodyLengthAndWeVerify()
    {
        var missing = DkimpyMissing();
        Skip.If(missing != null, missing);
        var key = DkimKeyGenerator.GenerateRsa(2048);
        var dir = Directory.CreateTempSubdirectory("mailauth-dkimpy-").FullName;
        byte[] signed;
        try
        {
            File.WriteAllText(Path.Combine(dir, "s.py"), SignScript);
            File.WriteAllBytes(Path.Combine(dir, "m.eml"), DkimSignatureVerifierTests.Bytes(DkimSignatureVerifierTests.NewMessage()));
            File.WriteAllText(Path.Combine(dir, "k.pem"), key.ExportPrivateKeyPem());
            var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Path.Combine(dir, "s.py"), Path.Combine(dir, "m.eml"), Path.Combine(dir, "k.pem") }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            using var output = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(output);
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, error);
            signed = output.ToArray();
        }
        finally { Directory.Delete(dir, true); }

        const string name = "s2026._domainkey.contoso.com";
        var resolver = DkimTestDns.Serve(DkimTestDns.Txt(name, MailAuth.Publishing.PublishableRecord.SplitCharacterStrings(key.RecordValue).ToArray()));
        var r = Assert.Single(new DkimSignatureVerifier(resolver).VerifyAsync(signed).GetAwaiter().GetResult());
        Assert.True(r.Result == DkimResult.Pass, r.Detail);
        Assert.NotNull(r.BodyLength);
        Assert.Contains("l=", r.Detail);

        // Text appended after the signed length still passes: that is what the note warns about.
        var appended = signed.Concat(Encoding.ASCII.GetBytes("Appended later.\r\n")).ToArray();
        Assert.Equal(DkimResult.Pass, Assert.Single(new DkimSignatureVerifier(resolver).VerifyAsync(appended).GetAwaiter().GetResult()).Result);
    }
}
