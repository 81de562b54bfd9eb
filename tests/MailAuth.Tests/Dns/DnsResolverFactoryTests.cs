using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

public sealed class DnsResolverFactoryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailauth-factory-" + Guid.NewGuid().ToString("N"));

    public DnsResolverFactoryTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteZone(string fileName, string text)
    {
        var path = Path.Combine(_folder, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    private string ContosoZoneFile() => WriteZone("contoso.example.zone",
        "$ORIGIN contoso.example.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n@ IN NS ns1\n@ IN TXT \"v=spf1 -all\"\n");

    /// <summary>Answers every question with one TXT "network", counting calls.</summary>
    private sealed class NetworkStub : IDnsResolver
    {
        public int Calls;
        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new DnsLookupResult(name, type, DnsLookupStatus.Success,
                new[] { DnsResourceRecord.CreateText(name, DnsRecordType.TXT, new[] { "network" }, 300) }, source: "stub"));
        }
    }

    [Fact]
    public async Task WithoutZoneFilesTheNetworkAnswersBehindTheCache()
    {
        var stub = new NetworkStub();
        using var session = DnsResolverFactory.Create(new DnsResolverOptions(), stub);

        var a = await session.QueryAsync("contoso.example", DnsRecordType.TXT);
        var b = await session.QueryAsync("contoso.example", DnsRecordType.TXT);

        Assert.Equal("network", a.Records[0].Text);
        Assert.Same(a, b);
        Assert.Equal(1, stub.Calls);
        Assert.Null(session.Zones);
        Assert.False(session.IsOffline);
        Assert.Same(stub, session.Cache.Inner);
        Assert.Equal(1, session.Statistics.QueriesSent);
        Assert.Equal(1, session.Statistics.CacheHits);
    }

    [Fact]
    public async Task ZoneFilesAndServersAnswerFromTheZoneAndFallBackToTheNetwork()
    {
        var stub = new NetworkStub();
        var options = new DnsResolverOptions { ZoneFiles = new[] { ContosoZoneFile() }, Servers = new[] { DnsServerEndpoint.Parse("127.0.0.1:1") } };
        using var session = DnsResolverFactory.Create(options, stub);

        var inZone = await session.QueryAsync("contoso.example", DnsRecordType.TXT);
        var nxInZone = await session.QueryAsync("nothere.contoso.example", DnsRecordType.TXT);
        var outside = await session.QueryAsync("fabrikam.example", DnsRecordType.TXT);

        Assert.Equal("v=spf1 -all", inZone.Records[0].Text);
        Assert.Equal(DnsLookupStatus.NxDomain, nxInZone.Status);
        Assert.Equal("network", outside.Records[0].Text);
        Assert.Equal(1, stub.Calls);
        Assert.NotNull(session.Zones);
        Assert.False(session.IsOffline);
        Assert.Empty(session.ZoneDiagnostics);
    }

    [Fact]
    public async Task ZoneFilesOnlyIsOffline()
    {
        var stub = new NetworkStub();
        using var session = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = new[] { ContosoZoneFile() } }, stub);

        var inZone = await session.QueryAsync("contoso.example", DnsRecordType.TXT);
        var outside = await session.QueryAsync("fabrikam.example", DnsRecordType.TXT);

        Assert.True(session.IsOffline);
        Assert.Null(session.Live);
        Assert.Equal(DnsLookupStatus.Success, inZone.Status);
        Assert.Equal(DnsLookupStatus.NotAvailableOffline, outside.Status);
        Assert.Equal(0, stub.Calls);
        Assert.Contains("offline", session.Describe());
    }

    [Fact]
    public void BrokenZoneFilesGiveDiagnosticsNotExceptions()
    {
        var missing = Path.Combine(_folder, "missing.zone");
        var broken = WriteZone("broken.example.zone", "this is not a zone file\n");
        using var session = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = new[] { missing, broken } }, new NetworkStub());

        Assert.True(session.HasZoneErrors);
        Assert.NotEmpty(session.ZoneDiagnostics);
    }

    [Fact]
    public async Task UseCacheFalsePassesEveryLookupOn()
    {
        var stub = new NetworkStub();
        using var session = DnsResolverFactory.Create(new DnsResolverOptions { UseCache = false }, stub);

        await session.QueryAsync("contoso.example", DnsRecordType.TXT);
        await session.QueryAsync("contoso.example", DnsRecordType.TXT);

        Assert.Equal(2, stub.Calls);
        Assert.Equal(2, session.Statistics.QueriesSent);
    }

    [Fact]
    public void WithoutANetworkResolverTheLiveOneIsBuiltWithTheOptions()
    {
        var server = DnsServerEndpoint.Parse("127.0.0.1:5353");
        using var session = DnsResolverFactory.Create(new DnsResolverOptions { Servers = new[] { server } });

        Assert.NotNull(session.Live);
        Assert.Equal(new[] { server }, session.Live!.Servers);
        Assert.Same(session.Statistics, session.Live.Statistics);
        Assert.Same(session.Live, session.Cache.Inner);
        Assert.Contains("127.0.0.1:5353", session.Describe());
    }
}
