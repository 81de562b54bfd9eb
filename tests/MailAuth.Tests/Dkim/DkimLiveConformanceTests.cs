using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Publishing;
using MailAuth.Tests.Dns;
using Xunit;

namespace MailAuth.Tests.Dkim;

/// <summary>
/// Knot serving the RFC 6376 / RFC 8463 example keys (from the conformance dns.txt files) and a key made by
/// <see cref="DkimKeyGenerator"/>, so verification goes through the real DNS path (LiveDnsResolver, UDP, multi-string TXT).
/// </summary>
public sealed class DkimLiveFixture : IAsyncLifetime
{
    private KnotServer? _server;
    private Exception? _startError;

    public static readonly DkimKeyPair GeneratedKey = DkimKeyGenerator.GenerateRsa(2048);

    public KnotServer Knot
    {
        get
        {
            KnotServer.RequireKnotd();
            if (_startError != null) throw new InvalidOperationException(_startError.Message, _startError);
            return _server!;
        }
    }

    private static string Line(string owner, string value) =>
        owner + ". 300 IN TXT " + ZoneText.FormatCharacterStrings(PublishableRecord.SplitCharacterStrings(value)) + "\n";

    public async Task InitializeAsync()
    {
        if (KnotServer.SkipRequested || KnotServer.FindKnotd() is null || DkimConformanceData.Root is null) return;
        try
        {
            var example = string.Concat(DkimConformanceData.DnsFile("rfc8463/dns.txt").Concat(DkimConformanceData.DnsFile("rfc6376/dns.txt"))
                .Select(r => Line(r.Name, r.Value)));
            var record = GeneratedKey.CreateRecord("contoso.example", "s2026");
            var contoso = record.ZoneFileLine + "\n";
            _server = await KnotServer.StartAsync(("example.com", example), ("contoso.example", contoso));
        }
        catch (Exception ex) { _startError = ex; }
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}

public class DkimLiveConformanceTests : IClassFixture<DkimLiveFixture>
{
    private readonly DkimLiveFixture _fixture;
    public DkimLiveConformanceTests(DkimLiveFixture fixture) => _fixture = fixture;

    private IReadOnlyList<DkimSignatureResult> Verify(byte[] message)
    {
        using var resolver = new LiveDnsResolver(new DnsResolverOptions { Servers = new[] { _fixture.Knot.Endpoint }, Timeout = TimeSpan.FromSeconds(2) });
        return new DkimSignatureVerifier(resolver).VerifyAsync(message).GetAwaiter().GetResult();
    }

    [SkippableTheory]
    [InlineData("rfc8463/signed-ed25519.eml", 1)]
    [InlineData("rfc8463/signed-rsa.eml", 1)]
    [InlineData("rfc8463/signed-both.eml", 2)]
    [InlineData("rfc6376/appendix-a2-signed.eml", 1)]
    public void RfcExamplesPassThroughKnotAndFailWithABodyByteChanged(string file, int count)
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var bytes = DkimConformanceData.Bytes(file);
        var results = Verify(bytes);
        Assert.Equal(count, results.Count);
        Assert.All(results, r => Assert.True(r.Result == DkimResult.Pass, $"{r.KeyName}: {r.Reason} {r.Detail}"));

        var changed = Verify(DkimSignatureConformanceTests.ChangeOneBodyByte(bytes));
        Assert.All(changed, r => Assert.Equal((DkimResult.Fail, DkimFailureReason.BodyHashMismatch), (r.Result, r.Reason)));
    }

    [SkippableFact]
    public void GeneratedKeyPublishedInKnotVerifiesAMessageSignedWithItsPrivateKey()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var signed = DkimSignatureVerifierTests.Sign(DkimLiveFixture.GeneratedKey, domain: "contoso.example", selector: "s2026",
            message: DkimSignatureVerifierTests.NewMessage("alice@contoso.example"));
        var r = Assert.Single(Verify(signed));
        Assert.True(r.Result == DkimResult.Pass, r.Detail);
        Assert.Equal(2048, r.KeyBits);
        Assert.True(r.AlignedStrict);
    }

    [SkippableFact]
    public void AnalyzerReadsTheTwoStringKeyFromKnot()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        using var resolver = new LiveDnsResolver(new DnsResolverOptions { Servers = new[] { _fixture.Knot.Endpoint }, Timeout = TimeSpan.FromSeconds(2) });
        var r = new DkimAnalyzer(resolver).AnalyzeAsync("contoso.example", "s2026").GetAwaiter().GetResult();
        Assert.Equal(DkimReportStatus.Ok, r.Status);
        Assert.Equal(2, r.RecordStrings.Count);
        Assert.Equal(DkimLiveFixture.GeneratedKey.PublicKey, r.PublicKey);
    }
}
