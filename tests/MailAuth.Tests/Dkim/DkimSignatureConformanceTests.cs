using System.Text;
using MailAuth.Dkim;
using Xunit;

namespace MailAuth.Tests.Dkim;

/// <summary>RFC 6376 Appendix A, RFC 8463 Appendix A and dkimpy's data, keys served from the dns.txt records.</summary>
public class DkimSignatureConformanceTests
{
    private static IReadOnlyList<DkimSignatureResult> Verify(byte[] message, IEnumerable<(string, string)> records) =>
        new DkimSignatureVerifier(DkimConformanceData.Resolver(records)).VerifyAsync(message).GetAwaiter().GetResult();

    /// <summary>Changes one letter of the body ("lost" becomes "Lost").</summary>
    internal static byte[] ChangeOneBodyByte(byte[] message)
    {
        var text = Encoding.ASCII.GetString(message);
        int body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (body < 0) body = text.IndexOf("\n\n", StringComparison.Ordinal);
        int at = text.IndexOf("lost", body, StringComparison.Ordinal);
        Assert.True(at > body, "the test message has the word 'lost' in its body");
        var copy = (byte[])message.Clone();
        copy[at] = (byte)'L';
        return copy;
    }

    [SkippableTheory]
    [InlineData("rfc8463/signed-ed25519.eml", new[] { "ed25519-sha256" })]
    [InlineData("rfc8463/signed-rsa.eml", new[] { "rsa-sha256" })]
    [InlineData("rfc8463/signed-both.eml", new[] { "ed25519-sha256", "rsa-sha256" })]
    public void Rfc8463ExamplesPass(string file, string[] algorithms)
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var results = Verify(DkimConformanceData.Bytes(file), DkimConformanceData.DnsFile("rfc8463/dns.txt"));
        Assert.Equal(algorithms, results.Select(r => r.Algorithm));
        Assert.All(results, r =>
        {
            Assert.True(r.Result == DkimResult.Pass, r.Detail);
            Assert.Equal(DkimFailureReason.None, r.Reason);
            Assert.Equal("football.example.com", r.Domain);
            Assert.Equal("relaxed/relaxed", r.Canonicalization);
            Assert.Equal("football.example.com", r.FromDomain);
            Assert.True(r.AlignedStrict);
            Assert.True(r.AlignedRelaxed);
            Assert.Equal(new DateTimeOffset(2018, 6, 10, 13, 38, 29, TimeSpan.Zero), r.Timestamp);
            Assert.Equal(new[] { "from", "to", "subject", "date", "message-id", "from", "subject", "date" }, r.SignedHeaders);
        });
        Assert.Equal(Enumerable.Range(1, algorithms.Length), results.Select(r => r.Index));
        Assert.Equal(algorithms.Select(a => a.StartsWith("ed") ? 256 : 1024), results.Select(r => r.KeyBits!.Value));
    }

    [SkippableTheory]
    [InlineData("rfc8463/signed-ed25519.eml")]
    [InlineData("rfc8463/signed-rsa.eml")]
    [InlineData("rfc8463/signed-both.eml")]
    public void Rfc8463ExamplesFailWithOneBodyByteChanged(string file)
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var results = Verify(ChangeOneBodyByte(DkimConformanceData.Bytes(file)), DkimConformanceData.DnsFile("rfc8463/dns.txt"));
        Assert.NotEmpty(results);
        Assert.All(results, r =>
        {
            Assert.Equal(DkimResult.Fail, r.Result);
            Assert.Equal(DkimFailureReason.BodyHashMismatch, r.Reason);
        });
    }

    [SkippableFact]
    public void Rfc6376AppendixA2Passes()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var r = Assert.Single(Verify(DkimConformanceData.Bytes("rfc6376/appendix-a2-signed.eml"), DkimConformanceData.DnsFile("rfc6376/dns.txt")));
        Assert.True(r.Result == DkimResult.Pass, r.Detail);
        Assert.Equal("example.com", r.Domain);
        Assert.Equal("brisbane", r.Selector);
        Assert.Equal("simple/simple", r.Canonicalization);
        Assert.Equal("joe@football.example.com", r.Identity);
        Assert.Equal("brisbane._domainkey.example.com", r.KeyName);
        // From is joe@football.example.com: same organisational domain as d=example.com, not the same domain.
        Assert.Equal("football.example.com", r.FromDomain);
        Assert.False(r.AlignedStrict);
        Assert.True(r.AlignedRelaxed);
    }

    [SkippableFact]
    public void Rfc6376AppendixA2FailsWithOneBodyByteChanged()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var r = Assert.Single(Verify(ChangeOneBodyByte(DkimConformanceData.Bytes("rfc6376/appendix-a2-signed.eml")), DkimConformanceData.DnsFile("rfc6376/dns.txt")));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal(DkimFailureReason.BodyHashMismatch, r.Reason);
    }

    [SkippableFact]
    public void Rfc6376AppendixA2FailsWithASignedHeaderChanged()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var text = Encoding.ASCII.GetString(DkimConformanceData.Bytes("rfc6376/appendix-a2-signed.eml")).Replace("Subject: Is dinner ready?", "Subject: Is lunch ready?");
        var r = Assert.Single(Verify(Encoding.ASCII.GetBytes(text), DkimConformanceData.DnsFile("rfc6376/dns.txt")));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal(DkimFailureReason.SignatureMismatch, r.Reason);
    }

    /// <summary>The records dkimpy's README lists for its messages.</summary>
    private static IEnumerable<(string, string)> DkimpyRecords() => new[]
    {
        ("test._domainkey.example.com", DkimConformanceData.Text("dkimpy/test.txt")),
        ("test._domainkey.football.example.com", DkimConformanceData.Text("dkimpy/test.txt")),
        ("brisbane._domainkey.football.example.com", "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="),
        ("test._domainkey.example.net", "v=DKIM1; k=ed25519; p=yi50DjK5O9pqbFpNHklsv9lqaS0ArSYu02qp1S0DW1Y="),
        ("sed._domainkey.test.ex", DkimConformanceData.Text("dkimpy/eximtest.dns")),
    };

    [SkippableTheory]
    [InlineData("dkimpy/rfc6376.signed.msg", 2)]
    [InlineData("dkimpy/rfc6376.signed.rsa.msg", 1)]
    [InlineData("dkimpy/ed25519test2.msg", 1)]
    public void DkimpyMessagesPass(string file, int signatures)
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var results = Verify(DkimConformanceData.Bytes(file), DkimpyRecords());
        Assert.Equal(signatures, results.Count);
        Assert.All(results, r => Assert.True(r.Result == DkimResult.Pass, $"{r.Domain}/{r.Selector}: {r.Reason} {r.Detail}"));
    }

    [SkippableFact]
    public void DkimpyExeMessageIsNotAlignedWithItsFrom()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var r = Assert.Single(Verify(DkimConformanceData.Bytes("dkimpy/ed25519test2.msg"), DkimpyRecords()));
        Assert.Equal("test.ex", r.Domain);
        Assert.Equal("example.com", r.FromDomain);
        Assert.False(r.AlignedRelaxed);
        Assert.False(r.AlignedStrict);
    }

    [SkippableFact]
    public void DkimpyMessageWithACommentInDIsRejected()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var r = Assert.Single(Verify(DkimConformanceData.Bytes("dkimpy/test.message.baddomain"), DkimpyRecords()));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Equal(DkimFailureReason.InvalidDomain, r.Reason);
    }

    [SkippableFact]
    public void DkimpyGmailMessageHasNoKeyHere()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var r = Assert.Single(Verify(DkimConformanceData.Bytes("dkimpy/test2.message"), DkimpyRecords()));
        Assert.Equal("gmail.com", r.Domain);
        Assert.Equal("20120113", r.Selector);
        Assert.Equal(DkimResult.PermError, r.Result);
        // The test zone is the root zone, so the missing key name is NXDOMAIN.
        Assert.Equal(DkimFailureReason.KeyNotFound, r.Reason);
        Assert.Equal("20120113._domainkey.gmail.com", r.KeyName);
    }

    [SkippableTheory]
    [InlineData("dkimpy/test.message")]
    [InlineData("dkimpy/ed25519test.msg")]
    [InlineData("rfc8463/unsigned.eml")]
    public void UnsignedMessagesHaveNoSignature(string file)
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var r = Assert.Single(Verify(DkimConformanceData.Bytes(file), DkimpyRecords()));
        Assert.Equal(DkimResult.None, r.Result);
        Assert.Equal(DkimFailureReason.NoSignature, r.Reason);
        Assert.Equal(0, r.Index);
    }
}
