using System.Net;
using MailAuth.Dns;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

public class SpfEvaluatorTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private static Task<SpfCheckResult> Check(OpenSpfZone zone, string domain, IPAddress? ip = null, SpfEvaluationOptions? options = null) =>
        new SpfEvaluator(zone, options).CheckHostAsync(ip ?? Client, domain, "user@" + domain, "mail.example.org");

    [Fact]
    public async Task IncludeMatchReportsTopLevelTermCountsAndTrace()
    {
        var zone = OpenSpfZone.FromYaml("""
            example.com:
              - TXT: "v=spf1 a:nothing.example.com include:_spf.example.net -all"
            _spf.example.net:
              - TXT: "v=spf1 ip4:192.0.2.0/24 -all"
            """);
        var r = await Check(zone, "example.com");
        Assert.Equal(SpfResult.Pass, r.Result);
        Assert.Equal("include:_spf.example.net", r.MatchedTerm);
        Assert.Equal("example.com", r.MatchedDomain);
        Assert.Equal(2, r.LookupCount);
        Assert.Equal(1, r.VoidLookupCount);
        Assert.Null(r.ErrorMessage);
        Assert.Null(r.Explanation);
        Assert.Equal("v=spf1 a:nothing.example.com include:_spf.example.net -all", r.Record);
        Assert.Contains(r.Trace, s => s.Depth == 1 && s.Domain == "_spf.example.net" && s.Event == SpfTraceEvent.Match && s.Term == "ip4:192.0.2.0/24");
        Assert.Contains(r.Trace, s => s.Depth == 0 && s.Event == SpfTraceEvent.VoidLookup);
        Assert.Equal(SpfTraceEvent.Result, r.Trace[^1].Event);
        Assert.Equal(SpfResult.Pass, r.Trace[^1].Result);
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.10 -all", SpfResult.Pass)]     // included pass: match
    [InlineData("v=spf1 -all", SpfResult.SoftFail)]                // included fail: no match, falls to ~all
    [InlineData("v=spf1 ~all", SpfResult.SoftFail)]
    [InlineData("v=spf1 ?all", SpfResult.SoftFail)]
    [InlineData("v=spf1 bogus", SpfResult.PermError)]
    [InlineData(null, SpfResult.PermError)]                         // included none
    public async Task IncludeResultMapping(string? included, SpfResult expected)
    {
        var yaml = "example.com:\n  - TXT: \"v=spf1 include:inc.example.com ~all\"\n" +
                   (included is null ? "inc.example.com:\n  - A: 192.0.2.1\n" : $"inc.example.com:\n  - TXT: \"{included}\"\n");
        var r = await Check(OpenSpfZone.FromYaml(yaml), "example.com");
        Assert.Equal(expected, r.Result);
        if (expected == SpfResult.PermError) Assert.False(string.IsNullOrEmpty(r.ErrorMessage));
    }

    [Theory]
    [InlineData(DnsLookupStatus.ServerFailure, SpfResult.TempError)]
    [InlineData(DnsLookupStatus.Timeout, SpfResult.TempError)]
    [InlineData(DnsLookupStatus.Refused, SpfResult.TempError)]
    [InlineData(DnsLookupStatus.Error, SpfResult.TempError)]
    [InlineData(DnsLookupStatus.NotAvailableOffline, SpfResult.TempError)]
    [InlineData(DnsLookupStatus.NxDomain, SpfResult.None)]
    [InlineData(DnsLookupStatus.NoData, SpfResult.None)]
    public async Task TxtLookupStatusMapsToResult(DnsLookupStatus status, SpfResult expected)
    {
        var resolver = new StatusResolver(status);
        var r = await new SpfEvaluator(resolver).CheckHostAsync(Client, "example.com", "a@example.com", null);
        Assert.Equal(expected, r.Result);
        Assert.Equal(expected == SpfResult.TempError, r.ErrorMessage != null);
        Assert.DoesNotContain(resolver.Types, t => t == DnsRecordType.SPF);
    }

    [Fact]
    public async Task NonSpfTxtRecordsAreIgnoredAndSeveralSpfRecordsArePermError()
    {
        var zone = OpenSpfZone.FromYaml("""
            one.example:
              - TXT: "google-site-verification=abc"
              - TXT: "v=spf10 +all"
              - TXT: "v=spf1 -all"
            two.example:
              - TXT: "v=spf1 -all"
              - TXT: "V=SPF1 +all"
            """);
        Assert.Equal(SpfResult.Fail, (await Check(zone, "one.example")).Result);
        var two = await Check(zone, "two.example");
        Assert.Equal(SpfResult.PermError, two.Result);
        Assert.Contains("2 SPF records", two.ErrorMessage);
    }

    [Fact]
    public async Task ConfiguredLookupLimitApplies()
    {
        var zone = OpenSpfZone.FromYaml("""
            example.com:
              - TXT: "v=spf1 a mx ip4:192.0.2.10 -all"
              - A: 198.51.100.1
              - MX: [10, example.com]
            """);
        Assert.Equal(SpfResult.Pass, (await Check(zone, "example.com")).Result);
        var limited = await Check(zone, "example.com", options: new SpfEvaluationOptions { MaxDnsLookups = 1 });
        Assert.Equal(SpfResult.PermError, limited.Result);
        Assert.Contains("More than 1", limited.ErrorMessage);
    }

    [Fact]
    public async Task RedirectIsIgnoredWhenAllIsPresentAndRedirectTargetWithoutRecordIsPermError()
    {
        var zone = OpenSpfZone.FromYaml("""
            a.example:
              - TXT: "v=spf1 redirect=nowhere.example ~all"
            b.example:
              - TXT: "v=spf1 redirect=nowhere.example"
            c.example:
              - TXT: "v=spf1 redirect=d.example exp=x.example"
            d.example:
              - TXT: "v=spf1 -all"
            x.example:
              - TXT: "never used"
            """);
        Assert.Equal(SpfResult.SoftFail, (await Check(zone, "a.example")).Result);
        Assert.Equal(SpfResult.PermError, (await Check(zone, "b.example")).Result);
        var c = await Check(zone, "c.example");
        Assert.Equal(SpfResult.Fail, c.Result);
        Assert.Equal("d.example", c.MatchedDomain);
        Assert.Equal("-all", c.MatchedTerm);
        Assert.Null(c.Explanation);
    }

    [Fact]
    public async Task ExplanationIsExpandedOnFailOnly()
    {
        var zone = OpenSpfZone.FromYaml("""
            example.com:
              - TXT: "v=spf1 ip4:192.0.2.99 -all exp=why.%{d}"
            soft.example.com:
              - TXT: "v=spf1 ~all exp=why.example.com"
            why.example.com:
              - TXT: "%{i} may not send for %{d} (%{r}, %{t})"
            """);
        var options = new SpfEvaluationOptions { ReceiverName = "mx.receiver.example", Clock = () => DateTimeOffset.FromUnixTimeSeconds(1700000000) };
        var r = await Check(zone, "example.com", options: options);
        Assert.Equal(SpfResult.Fail, r.Result);
        Assert.Equal("192.0.2.10 may not send for example.com (mx.receiver.example, 1700000000)", r.Explanation);
        var soft = await Check(zone, "soft.example.com");
        Assert.Equal(SpfResult.SoftFail, soft.Result);
        Assert.Null(soft.Explanation);
    }

    [Fact]
    public async Task MxLimitIsPermErrorAndPtrExtraNamesAreIgnored()
    {
        var mx = string.Concat(Enumerable.Range(0, 11).Select(i => $"  - MX: [{i}, mx{i}.example.com]\n"));
        var zone = OpenSpfZone.FromYaml("example.com:\n  - TXT: \"v=spf1 mx -all\"\n" + mx);
        var r = await Check(zone, "example.com");
        Assert.Equal(SpfResult.PermError, r.Result);
        var limited = await Check(zone, "example.com", options: new SpfEvaluationOptions { MaxMxNames = 11 });
        Assert.Equal(SpfResult.Fail, limited.Result);
    }

    [Fact]
    public async Task Ipv4MappedClientMatchesIp4AndNotIp6()
    {
        var zone = OpenSpfZone.FromYaml("""
            example.com:
              - TXT: "v=spf1 ip6:::/0 ip4:192.0.2.0/24 -all"
            """);
        var r = await Check(zone, "example.com", IPAddress.Parse("::ffff:192.0.2.10"));
        Assert.Equal(SpfResult.Pass, r.Result);
        Assert.Equal("ip4:192.0.2.0/24", r.MatchedTerm);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), r.Ip);
    }

    [Theory]
    [InlineData("", "helo.example.org", "postmaster@helo.example.org", "helo.example.org", true)]
    [InlineData(null, "helo.example.org", "postmaster@helo.example.org", "helo.example.org", true)]
    [InlineData("<>", "helo.example.org", "postmaster@helo.example.org", "helo.example.org", true)]
    [InlineData("@example.net", "helo.example.org", "postmaster@example.net", "example.net", false)]
    [InlineData("example.net", "helo.example.org", "postmaster@example.net", "example.net", false)]
    [InlineData("<user@example.net>", "helo.example.org", "user@example.net", "example.net", false)]
    [InlineData("Macro Error@e8.example.com", "x", "Macro Error@e8.example.com", "e8.example.com", false)]
    public void IdentityLogic(string? mailFrom, string helo, string sender, string domain, bool isHelo)
    {
        var id = SpfIdentity.FromMailFrom(mailFrom, helo);
        Assert.Equal(sender, id.Sender);
        Assert.Equal(domain, id.Domain);
        Assert.Equal(isHelo, id.IsHeloIdentity);
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("Example.COM.", true)]
    [InlineData("localhost", false)]
    [InlineData("a..example.com", false)]
    [InlineData("[192.0.2.1]", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("", false)]
    public void DomainValidityForInitialProcessing(string domain, bool ok)
    {
        Assert.Equal(ok, SpfEvaluator.IsCheckableDomain(domain, out _, out var reason));
        Assert.Equal(ok, reason is null);
    }

    [Fact]
    public void OptionsAreFrozenByTheEvaluator()
    {
        var options = new SpfEvaluationOptions { MaxDnsLookups = 5 };
        var evaluator = new SpfEvaluator(new StatusResolver(DnsLookupStatus.NxDomain), options);
        Assert.True(options.IsFrozen);
        Assert.Same(options, evaluator.Options);
        Assert.Throws<InvalidOperationException>(() => options.MaxDnsLookups = 20);
        var copy = options.Clone();
        copy.MaxDnsLookups = 20;
        Assert.Equal(20, copy.MaxDnsLookups);
        Assert.Equal(5, options.MaxDnsLookups);
    }

    [Fact]
    public async Task CancellationPropagates()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var zone = OpenSpfZone.FromYaml("example.com:\n  - TXT: \"v=spf1 -all\"\n");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SpfEvaluator(zone).CheckHostAsync(Client, "example.com", "a@example.com", null, cts.Token));
    }

    [SkippableFact]
    public async Task SuiteNeverQueriesTheObsoleteSpfType()
    {
        var root = TestPaths.ConformanceRoot;
        Skip.If(root is null, TestPaths.ConformanceMissing);
        int queries = 0;
        foreach (var s in OpenSpfSuite.Load(Path.Combine(root!, "spf", "rfc7208-tests.yml")))
        {
            foreach (var t in s.Tests) await OpenSpfSuite.RunAsync(s, t);
            Assert.DoesNotContain(s.Zone.Queries, q => q.Type == DnsRecordType.SPF);
            queries += s.Zone.Queries.Count;
        }
        Assert.True(queries > 0);
    }

    private sealed class StatusResolver : IDnsResolver
    {
        private readonly DnsLookupStatus _status;
        public StatusResolver(DnsLookupStatus status) => _status = status;
        public List<DnsRecordType> Types { get; } = new();

        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Types.Add(type);
            return Task.FromResult(new DnsLookupResult(name, type, _status));
        }
    }
}
