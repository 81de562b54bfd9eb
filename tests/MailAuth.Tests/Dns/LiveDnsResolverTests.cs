using System.Diagnostics;
using System.Net;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

/// <summary>The live resolver against a real Knot DNS on 127.0.0.1 (and a silent server for timeouts).</summary>
public class LiveDnsResolverTests : IClassFixture<LiveDnsFixture>
{
    private readonly LiveDnsFixture _fixture;

    public LiveDnsResolverTests(LiveDnsFixture fixture) => _fixture = fixture;

    private LiveDnsResolver CreateResolver(DnsQueryStatistics? statistics = null, bool tcpFallback = true) =>
        new(new DnsResolverOptions { Servers = new[] { _fixture.Endpoint }, Timeout = TimeSpan.FromSeconds(2), UseTcpFallback = tcpFallback }, statistics);

    [SkippableFact]
    public async Task MultiStringTxtKeepsEachStringInOrder()
    {
        using var resolver = CreateResolver();
        var result = await resolver.QueryAsync("sel1._domainkey.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Success, result.Status);
        var record = Assert.Single(result.Records);
        Assert.Equal(new[] { LiveDnsFixture.DkimValue.Substring(0, 255), LiveDnsFixture.DkimValue.Substring(255) }, record.Strings);
        Assert.Equal(410, record.Text.Length);
        Assert.Equal(LiveDnsFixture.DkimValue, record.Text);
        Assert.Equal("sel1._domainkey.contoso.example", record.Name);
        Assert.Equal(300u, record.TimeToLive);
        Assert.True(result.Authoritative);
        Assert.False(result.UsedTcp);
        Assert.Equal("server " + _fixture.Endpoint, result.Source);
    }

    [SkippableFact]
    public async Task ARateLimitDelaysMessagesBeyondTheBurstAndEveryQueryIsAnswered()
    {
        var statistics = new DnsQueryStatistics();
        using var resolver = new LiveDnsResolver(new DnsResolverOptions
        {
            Servers = new[] { _fixture.Endpoint }, Timeout = TimeSpan.FromSeconds(2), MaxQueriesPerSecond = 50,
        }, statistics);
        Assert.NotNull(resolver.RateLimiter);
        Assert.Equal(5, resolver.RateLimiter!.BurstSize);

        // 20 messages at once against a burst of 5: most wait for their slot, none fails for it.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => resolver.QueryAsync($"q{i}.contoso.example", DnsRecordType.TXT)));

        Assert.All(results, r => Assert.True(r.Status is DnsLookupStatus.NxDomain or DnsLookupStatus.NoData or DnsLookupStatus.Success, r.Status.ToString()));
        Assert.Equal(20, statistics.NetworkQueriesSent);
        Assert.InRange(resolver.RateLimiter.DelayedQueries, 10, 15); // 15 when all 20 start within one interval (20 ms)
    }

    [SkippableFact]
    public void WithoutALimitThereIsNoLimiter()
    {
        using var resolver = CreateResolver();
        Assert.Null(resolver.RateLimiter);
    }

    [SkippableFact]
    public async Task TxtStringsAreUnescaped()
    {
        using var resolver = CreateResolver();
        var result = await resolver.QueryAsync("escaped.contoso.example", DnsRecordType.TXT);

        var record = Assert.Single(result.Records);
        Assert.Equal(new[] { "a\"b\\c;d", "e f" }, record.Strings);
    }

    [SkippableFact]
    public async Task InternationalisedNamesStayInTheirALabelForm()
    {
        using var resolver = CreateResolver();
        var direct = await resolver.QueryAsync("xn--bcher-kva.contoso.example", DnsRecordType.TXT);
        var viaCname = await resolver.QueryAsync("idn-alias.contoso.example", DnsRecordType.TXT);
        var mx = await resolver.QueryAsync("idn-mx.contoso.example", DnsRecordType.MX);

        Assert.Equal("xn--bcher-kva.contoso.example", Assert.Single(direct.Records).Name);
        Assert.Equal(new[] { "xn--bcher-kva.contoso.example" }, viaCname.CnameChain);
        Assert.Equal("idn", Assert.Single(viaCname.Records).Text);
        Assert.Equal("xn--bcher-kva.contoso.example", Assert.Single(mx.Records).Target);
    }

    [SkippableFact]
    public async Task OddNamesFromMacroExpansionGiveAStatusNotAnException()
    {
        using var resolver = CreateResolver();
        var plus = await resolver.QueryAsync("first+tag.contoso.example", DnsRecordType.TXT);
        var emptyLabel = await resolver.QueryAsync("a..contoso.example", DnsRecordType.TXT);
        var longLabel = await resolver.QueryAsync(new string('a', 64) + ".contoso.example", DnsRecordType.TXT);
        var empty = await resolver.QueryAsync("", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.NxDomain, plus.Status);
        Assert.Equal(DnsLookupStatus.Error, emptyLabel.Status);
        Assert.Contains("empty label", emptyLabel.ErrorMessage);
        Assert.Equal(DnsLookupStatus.Error, longLabel.Status);
        Assert.Contains("63", longLabel.ErrorMessage);
        Assert.Equal(DnsLookupStatus.Error, empty.Status);
    }

    [SkippableFact]
    public async Task LargeAnswerIsTruncatedOverUdpAndFetchedOverTcp()
    {
        var stats = new DnsQueryStatistics();
        using var resolver = CreateResolver(stats);
        var result = await resolver.QueryAsync("big.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Success, result.Status);
        Assert.True(result.UsedTcp);
        Assert.Equal(Enumerable.Range(0, LiveDnsFixture.BigTxtCount).Select(LiveDnsFixture.BigTxt).OrderBy(s => s, StringComparer.Ordinal),
            result.Records.Select(r => r.Text).OrderBy(s => s, StringComparer.Ordinal));
        // Above the 1,232-octet EDNS buffer: the records alone are larger than that.
        Assert.True(result.Records.Sum(r => r.Text.Length + 12) > DnsResolverOptions.DefaultEdnsBufferSize);
        Assert.Equal(2, stats.NetworkQueriesSent);
        Assert.Equal(1, stats.TcpQueriesSent);
    }

    [SkippableFact]
    public async Task TruncatedAnswerWithoutTcpFallbackIsAnError()
    {
        using var resolver = CreateResolver(tcpFallback: false);
        var result = await resolver.QueryAsync("big.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Error, result.Status);
        Assert.Contains("truncated", result.ErrorMessage);
    }

    [SkippableFact]
    public async Task NxDomainAndNoDataAreDistinct()
    {
        using var resolver = CreateResolver();
        var nx = await resolver.QueryAsync("does-not-exist.contoso.example", DnsRecordType.TXT);
        var nodata = await resolver.QueryAsync("onlya.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.NxDomain, nx.Status);
        Assert.Empty(nx.Records);
        Assert.Equal(60u, nx.NegativeTimeToLive); // min(SOA TTL 300, MINIMUM 60), RFC 2308 §5
        Assert.Equal(DnsLookupStatus.NoData, nodata.Status);
        Assert.Empty(nodata.Records);
        Assert.Equal(60u, nodata.NegativeTimeToLive);
        Assert.True(nx.Status.IsVoid() && nodata.Status.IsVoid());
    }

    [SkippableFact]
    public async Task AddressesAndMx()
    {
        using var resolver = CreateResolver();
        var a = await resolver.QueryAsync("mail.contoso.example", DnsRecordType.A);
        var aaaa = await resolver.QueryAsync("MAIL.Contoso.Example.", DnsRecordType.AAAA);
        var mx = await resolver.QueryAsync("contoso.example", DnsRecordType.MX);
        var nullMx = await resolver.QueryAsync("nomail.contoso.example", DnsRecordType.MX);

        Assert.Equal(IPAddress.Parse("192.0.2.25"), Assert.Single(a.Records).Address);
        Assert.Equal(IPAddress.Parse("2001:db8::25"), Assert.Single(aaaa.Records).Address);
        Assert.Equal("mail.contoso.example", aaaa.QueryName);
        var mxRecord = Assert.Single(mx.Records);
        Assert.Equal(10, mxRecord.Preference);
        Assert.Equal("mail.contoso.example", mxRecord.Target);
        var nullRecord = Assert.Single(nullMx.Records);
        Assert.Equal(0, nullRecord.Preference);
        Assert.Equal("", nullRecord.Target);
    }

    [SkippableFact]
    public async Task InZoneCnameChainOfTwoIsFollowed()
    {
        using var resolver = CreateResolver();
        var result = await resolver.QueryAsync("alias1.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Success, result.Status);
        Assert.Equal(new[] { "alias2.contoso.example", "target.contoso.example" }, result.CnameChain);
        Assert.Equal("target.contoso.example", result.CanonicalName);
        Assert.Equal("v=spf1 -all", Assert.Single(result.Records).Text);
        Assert.Equal("target.contoso.example", result.Records[0].Name);
    }

    [SkippableFact]
    public async Task CnameIntoAnotherZoneIsFollowed()
    {
        var stats = new DnsQueryStatistics();
        using var resolver = CreateResolver(stats);
        var result = await resolver.QueryAsync("ext.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Success, result.Status);
        Assert.Equal(new[] { "target.fabrikam.example" }, result.CnameChain);
        Assert.Equal("fabrikam target", Assert.Single(result.Records).Text);
        Assert.InRange(stats.NetworkQueriesSent, 1, 2);
    }

    [SkippableFact]
    public async Task CnameQueryReturnsTheCnameItself()
    {
        using var resolver = CreateResolver();
        var result = await resolver.QueryAsync("alias1.contoso.example", DnsRecordType.CNAME);

        Assert.Equal(DnsLookupStatus.Success, result.Status);
        Assert.Equal("alias2.contoso.example", Assert.Single(result.Records).Target);
        Assert.Empty(result.CnameChain);
    }

    [SkippableFact]
    public async Task NxDomainReachedThroughCname()
    {
        using var resolver = CreateResolver();
        var inZone = await resolver.QueryAsync("dangling.contoso.example", DnsRecordType.TXT);
        var otherZone = await resolver.QueryAsync("dangling-ext.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.NxDomain, inZone.Status);
        Assert.Equal(new[] { "nothere.contoso.example" }, inZone.CnameChain);
        Assert.Equal(DnsLookupStatus.NxDomain, otherZone.Status);
        Assert.Equal(new[] { "nothere.fabrikam.example" }, otherZone.CnameChain);
    }

    [SkippableFact]
    public async Task CnameLoopIsAnErrorNotAHang()
    {
        using var resolver = CreateResolver();
        var result = await resolver.QueryAsync("loop1.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Error, result.Status);
        Assert.Contains("loop", result.ErrorMessage, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task ZoneThatFailedToLoadIsServerFailure()
    {
        using var resolver = CreateResolver();
        var result = await resolver.QueryAsync("www.broken.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.ServerFailure, result.Status);
        Assert.True(result.Status.IsTransientFailure());
        Assert.Contains("SERVFAIL", result.ErrorMessage);
    }

    [SkippableFact]
    public async Task ZoneNotServedIsRefused()
    {
        using var resolver = CreateResolver();
        var result = await resolver.QueryAsync("www.not-served.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Refused, result.Status);
        Assert.Contains("REFUSED", result.ErrorMessage);
    }

    [Fact]
    public async Task SilentServerTimesOutWithinTheBound()
    {
        using var silent = new SilentDnsServer();
        var stats = new DnsQueryStatistics();
        var options = new DnsResolverOptions { Servers = new[] { silent.Endpoint }, Timeout = TimeSpan.FromSeconds(1), Retries = 1 };
        using var resolver = new LiveDnsResolver(options, stats);

        var watch = Stopwatch.StartNew();
        var result = await resolver.QueryAsync("contoso.example", DnsRecordType.TXT);
        watch.Stop();

        Assert.Equal(DnsLookupStatus.Timeout, result.Status);
        Assert.True(result.Status.IsTransientFailure());
        Assert.Equal(2, stats.NetworkQueriesSent);   // one try and one retry
        Assert.Equal(2, stats.Timeouts);
        Assert.Equal(2, silent.UdpQueries);
        var bound = TimeSpan.FromTicks(options.Timeout.Ticks * (options.Retries + 1));
        Assert.True(watch.Elapsed < TimeSpan.FromTicks(bound.Ticks * 3), $"took {watch.Elapsed}, bound {bound}");
    }

    [Fact]
    public async Task SilentTcpAfterTruncationTimesOut()
    {
        using var silent = new SilentDnsServer(truncateUdp: true);
        var stats = new DnsQueryStatistics();
        // Generous: the truncated UDP reply must arrive within it even when the machine is busy with other tests.
        var options = new DnsResolverOptions { Servers = new[] { silent.Endpoint }, Timeout = TimeSpan.FromSeconds(1.5), Retries = 0 };
        using var resolver = new LiveDnsResolver(options, stats);

        var result = await resolver.QueryAsync("contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Timeout, result.Status);
        Assert.True(result.UsedTcp);
        Assert.Equal(1, stats.TcpQueriesSent);
        Assert.Equal(2, stats.NetworkQueriesSent);
        // The connection reached the listener (its accept loop may run a moment after the client gave up).
        Assert.True(SpinWait.SpinUntil(() => silent.TcpConnections >= 1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task CancellationThrowsOperationCanceledPromptly()
    {
        using var silent = new SilentDnsServer();
        var options = new DnsResolverOptions { Servers = new[] { silent.Endpoint }, Timeout = TimeSpan.FromSeconds(20), Retries = 2 };
        using var resolver = new LiveDnsResolver(options);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.QueryAsync("contoso.example", DnsRecordType.TXT, cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AlreadyCancelledTokenThrows()
    {
        using var silent = new SilentDnsServer();
        using var resolver = new LiveDnsResolver(new DnsResolverOptions { Servers = new[] { silent.Endpoint } });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.QueryAsync("contoso.example", DnsRecordType.TXT, new CancellationToken(true)));
        Assert.Equal(0, silent.UdpQueries);
    }

    [SkippableFact]
    public async Task SecondServerIsAskedWhenTheFirstIsSilent()
    {
        using var silent = new SilentDnsServer();
        var options = new DnsResolverOptions { Servers = new[] { silent.Endpoint, _fixture.Endpoint }, Timeout = TimeSpan.FromSeconds(1), Retries = 0 };
        using var resolver = new LiveDnsResolver(options);

        var result = await resolver.QueryAsync("contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Success, result.Status);
        Assert.Equal("server " + _fixture.Endpoint, result.Source);
    }

    [SkippableFact]
    public async Task CacheAnswersTheSecondQueryWithoutSendingIt()
    {
        var stats = new DnsQueryStatistics();
        using var live = CreateResolver(stats);
        var cache = new CachingDnsResolver(live, stats);

        var first = await cache.QueryAsync("sel1._domainkey.contoso.example", DnsRecordType.TXT);
        var second = await cache.QueryAsync("SEL1._domainkey.contoso.example.", DnsRecordType.TXT);
        var nx1 = await cache.QueryAsync("nope.contoso.example", DnsRecordType.TXT);
        var nx2 = await cache.QueryAsync("nope.contoso.example", DnsRecordType.TXT);

        Assert.Equal(DnsLookupStatus.Success, second.Status);
        Assert.Equal(first.Records[0].Text, second.Records[0].Text);
        Assert.Equal(DnsLookupStatus.NxDomain, nx2.Status);
        Assert.Same(nx1, nx2);
        Assert.Equal(2, stats.QueriesSent);
        Assert.Equal(2, stats.CacheHits);
        Assert.Equal(2, stats.NetworkQueriesSent);
    }

    [SkippableFact]
    public async Task TwoHundredParallelQueriesGetTheirOwnAnswers()
    {
        var stats = new DnsQueryStatistics();
        using var resolver = CreateResolver(stats);

        var tasks = Enumerable.Range(0, LiveDnsFixture.ConcurrentNames)
            .Select(i => resolver.QueryAsync($"h{i}.contoso.example", DnsRecordType.TXT))
            .ToArray();
        var results = await Task.WhenAll(tasks);

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(DnsLookupStatus.Success, results[i].Status);
            Assert.Equal($"h{i}.contoso.example", results[i].QueryName);
            Assert.Equal(LiveDnsFixture.HostTxt(i), Assert.Single(results[i].Records).Text);
        }
        Assert.True(stats.NetworkQueriesSent >= LiveDnsFixture.ConcurrentNames);
    }

    [SkippableFact]
    public async Task ParallelIdenticalQueriesAreCoalescedByTheCache()
    {
        var stats = new DnsQueryStatistics();
        using var live = CreateResolver(stats);
        var cache = new CachingDnsResolver(live, stats);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => cache.QueryAsync("contoso.example", DnsRecordType.MX)));

        Assert.All(results, r => Assert.Equal("mail.contoso.example", Assert.Single(r.Records).Target));
        Assert.Equal(1, stats.QueriesSent);
        Assert.Equal(49, stats.CacheHits);
        Assert.Equal(1, stats.NetworkQueriesSent);
    }
    [SkippableFact]
    public async Task FactoryPutsZoneFilesInFrontOfTheLiveServer()
    {
        var endpoint = _fixture.Endpoint;
        var folder = Path.Combine(Path.GetTempPath(), "mailauth-live-factory-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var zoneFile = Path.Combine(folder, "contoso.example.zone");
            File.WriteAllText(zoneFile, KnotServer.CompleteZoneText("contoso.example", "@ IN TXT \"v=spf1 include:_spf.fabrikam.example -all\"\n"));
            var options = new DnsResolverOptions { Servers = new[] { endpoint }, ZoneFiles = new[] { zoneFile }, Timeout = TimeSpan.FromSeconds(2) };
            using var session = DnsResolverFactory.Create(options);

            var fromFile = await session.QueryAsync("contoso.example", DnsRecordType.TXT);
            var fromServer = await session.QueryAsync("_dmarc.fabrikam.example", DnsRecordType.TXT);
            var again = await session.QueryAsync("_dmarc.fabrikam.example", DnsRecordType.TXT);

            Assert.Equal("v=spf1 include:_spf.fabrikam.example -all", Assert.Single(fromFile.Records).Text);
            Assert.StartsWith("zone file", fromFile.Source);
            Assert.Equal("v=DMARC1; p=reject", Assert.Single(fromServer.Records).Text);
            Assert.Equal("server " + endpoint, fromServer.Source);
            Assert.Same(fromServer, again);
            Assert.Equal(2, session.Statistics.QueriesSent);
            Assert.Equal(1, session.Statistics.CacheHits);
            Assert.Equal(1, session.Statistics.NetworkQueriesSent);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
