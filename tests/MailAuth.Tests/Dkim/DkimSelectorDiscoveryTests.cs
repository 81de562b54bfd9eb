using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Findings;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestDns;

namespace MailAuth.Tests.Dkim;

public class DkimSelectorDiscoveryTests
{
    private static readonly string Key = "v=DKIM1; k=rsa; p=" + DkimKeyRecordTests.Rsa1024Spki;

    private static DkimDiscoveryResult Discover(IDnsResolver resolver, string domain = "contoso.com", IEnumerable<string>? extra = null, int parallel = 16) =>
        new DkimSelectorDiscovery(resolver, parallel).DiscoverAsync(domain, extra).GetAwaiter().GetResult();

    [Fact]
    public void FindsMicrosoft365SelectorsThroughTheirCnames()
    {
        var t1 = "selector1-contoso-com._domainkey.contoso.onmicrosoft.com";
        var t2 = "selector2-contoso-com._domainkey.contoso.onmicrosoft.com";
        var r = Discover(Serve(
            Mx("contoso.com", "contoso-com.mail.protection.outlook.com"),
            Txt("contoso.com", "v=spf1 include:spf.protection.outlook.com -all"),
            Cname("selector1._domainkey.contoso.com", t1), Cname("selector2._domainkey.contoso.com", t2),
            Txt(t1, Key), Txt(t2, Key)));
        Assert.Equal(new[] { "selector1", "selector2" }, r.SelectorsFound);
        Assert.All(r.Reports, x => Assert.Equal("Microsoft 365", x.Provider));
        var hint = Assert.Single(r.Providers);
        Assert.Equal("Microsoft 365", hint.Provider);
        Assert.StartsWith("MX ", hint.Evidence);
        Assert.Equal(DnsLookupStatus.NoData, r.ProbeStatus);
        Assert.False(r.NoKeysPossible);
        Assert.DoesNotContain(r.Findings, f => f.Id == "DKIM.ProviderSelectorMissing");
        Assert.Contains("selector1, selector2", r.Summary);
    }

    [Fact]
    public void ProviderFromSpfWhoseSelectorIsMissing()
    {
        var r = Discover(Serve(
            Txt("contoso.com", "v=spf1 include:_spf.google.com include:sendgrid.net ~all"),
            Txt("s1._domainkey.contoso.com", Key)));
        Assert.Equal(new[] { "s1" }, r.SelectorsFound);
        Assert.Equal(new[] { "Google Workspace", "SendGrid" }, r.Providers.Select(p => p.Provider));
        Assert.Equal("SPF include:_spf.google.com", r.Providers[0].Evidence);
        var f = Assert.Single(r.Findings, x => x.Id == "DKIM.ProviderSelectorMissing");
        Assert.Contains("Google Workspace", f.Message);
        Assert.Contains("google", f.Message);
    }

    [Fact]
    public void NxDomainProbeProvesThereAreNoKeys()
    {
        var r = Discover(Serve(Mx("contoso.com", "aspmx.l.google.com")));
        Assert.Empty(r.Reports);
        Assert.Equal(DnsLookupStatus.NxDomain, r.ProbeStatus);
        Assert.True(r.NoKeysPossible);
        var f = Assert.Single(r.Findings);
        Assert.Equal("DKIM.NoDomainKeys", f.Id);
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Contains("NXDOMAIN", r.Summary);
        Assert.Contains("Google Workspace", r.Summary);
    }

    [Fact]
    public void NoDataProbeSaysKeysMayExistUnderOtherSelectors()
    {
        var r = Discover(Serve(Txt("x7f3a9._domainkey.contoso.com", Key)));
        Assert.Empty(r.Reports);
        Assert.Equal(DnsLookupStatus.NoData, r.ProbeStatus);
        Assert.Contains("may exist", Assert.Single(r.Findings, f => f.Id == "DKIM.NoSelectorFound").Message);
        Assert.Equal(DkimProviders.DiscoverySelectors.Count, r.SelectorsTried.Count);
    }

    [Fact]
    public void ExtraSelectorsAreTriedInTheSameRound()
    {
        var resolver = new CountingResolver(Serve(Txt("x7f3a9._domainkey.contoso.com", Key)));
        var r = Discover(resolver, extra: new[] { "X7F3A9", "bad selector", "selector1" });
        Assert.Equal(new[] { "x7f3a9" }, r.SelectorsFound);
        Assert.Equal(DkimProviders.DiscoverySelectors.Count + 1, r.SelectorsTried.Count);
        // One question per selector, plus the probe, MX and TXT of the domain: nothing asked twice.
        Assert.Equal(r.SelectorsTried.Count + 3, resolver.Count);
        Assert.Equal(resolver.Count, resolver.Distinct);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void LookupsRunInParallelWithinTheBound()
    {
        var resolver = new CountingResolver(Serve(Txt("s1._domainkey.contoso.com", Key)), delayMs: 20);
        var r = Discover(resolver, parallel: 8);
        Assert.Single(r.Reports);
        Assert.InRange(resolver.MaxInFlight, 2, 8);
    }

    [Fact]
    public void ProbeNxDomainWhileKeysExistIsReported()
    {
        var inner = Serve(Txt("s1._domainkey.contoso.com", Key));
        var r = Discover(new OverrideResolver(inner, "_domainkey.contoso.com", DnsLookupStatus.NxDomain));
        Assert.Single(r.Reports);
        Assert.Single(r.Findings, f => f.Id == "DKIM.ProbeInconsistent");
    }

    [Fact]
    public void FailedLookupsMakeTheResultIncomplete()
    {
        var r = Discover(new StatusResolver(DnsLookupStatus.Timeout));
        Assert.Empty(r.Reports);
        Assert.Equal(r.SelectorsTried.Count, r.FailedSelectors.Count);
        Assert.Single(r.Findings, f => f.Id == "DKIM.DiscoveryLookupsFailed");
        Assert.Single(r.Findings, f => f.Id == "DKIM.NoSelectorFound");
        Assert.Contains("failed", r.Summary);
    }

    [Fact]
    public void DanglingCnameCountsAsFound()
    {
        var r = Discover(Serve(Cname("k1._domainkey.contoso.com", "dkim.mcsv.net")));
        var report = Assert.Single(r.Reports);
        Assert.Equal("k1", report.Selector);
        Assert.Equal("Mailchimp", report.Provider);
        Assert.Contains(report.Findings, f => f.Id == "DKIM.CnameTargetMissing");
    }

    [Fact]
    public void CheckReturnsOneReportPerSelectorInOrder()
    {
        var resolver = Serve(Txt("b._domainkey.contoso.com", Key));
        var reports = new DkimSelectorDiscovery(resolver).CheckAsync("contoso.com", new[] { "a", "b", "c d" }).GetAwaiter().GetResult();
        Assert.Equal(new[] { "a", "b", "c d" }, reports.Select(x => x.Selector));
        Assert.Equal(new[] { DkimReportStatus.NoRecord, DkimReportStatus.Warning, DkimReportStatus.Error }, reports.Select(x => x.Status));
    }

    [Fact]
    public void DiscoverySelectorsIncludeEveryProvidersSelectors()
    {
        foreach (var p in DkimProviders.All)
            foreach (var s in p.Selectors)
                Assert.Contains(s, DkimProviders.DiscoverySelectors);
        Assert.Equal(DkimProviders.DiscoverySelectors.Count, DkimProviders.DiscoverySelectors.Distinct().Count());
    }

    /// <summary>Counts questions and the most in flight at once.</summary>
    private sealed class CountingResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner;
        private readonly int _delayMs;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _asked = new();
        private int _count, _inFlight, _max;
        public CountingResolver(IDnsResolver inner, int delayMs = 0) { _inner = inner; _delayMs = delayMs; }
        public int Count => _count;
        public int Distinct => _asked.Count;
        public int MaxInFlight => _max;

        public async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            _asked.TryAdd(name + "/" + type, 0);
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while ((seen = Volatile.Read(ref _max)) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen) { }
            try
            {
                if (_delayMs > 0) await Task.Delay(_delayMs, cancellationToken);
                return await _inner.QueryAsync(name, type, cancellationToken);
            }
            finally { Interlocked.Decrement(ref _inFlight); }
        }
    }

    private sealed class OverrideResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner;
        private readonly string _name;
        private readonly DnsLookupStatus _status;
        public OverrideResolver(IDnsResolver inner, string name, DnsLookupStatus status) { _inner = inner; _name = name; _status = status; }
        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default) =>
            DnsName.AreEqual(name, _name) ? Task.FromResult(new DnsLookupResult(name, type, _status)) : _inner.QueryAsync(name, type, cancellationToken);
    }

    [Fact]
    public void ProbeFirstSkipsTheBuiltInSelectorsWhenTheProbeSaysNxDomain()
    {
        var dns = new CountingResolver(Serve(Mx("contoso.com", "aspmx.l.google.com")));
        var r = new DkimSelectorDiscovery(dns) { ProbeFirst = true }.DiscoverAsync("contoso.com", new[] { "given1" }).GetAwaiter().GetResult();
        Assert.True(r.NoKeysPossible);
        Assert.Equal(new[] { "given1" }, r.SelectorsTried);
        Assert.Equal(4, dns.Count); // probe, MX, TXT and the given selector
        Assert.Equal("DKIM.NoDomainKeys", Assert.Single(r.Findings).Id);

        // The same answer as the one-round discovery, which asks every built-in selector too.
        var full = new CountingResolver(Serve(Mx("contoso.com", "aspmx.l.google.com")));
        var all = new DkimSelectorDiscovery(full).DiscoverAsync("contoso.com", new[] { "given1" }).GetAwaiter().GetResult();
        Assert.Equal(r.Findings.Select(f => f.Id), all.Findings.Select(f => f.Id));
        Assert.True(full.Count > 3 + DkimProviders.DiscoverySelectors.Count);
    }

    [Fact]
    public void ProbeFirstStillTriesEverySelectorWhenKeysMayExist()
    {
        var r = new DkimSelectorDiscovery(Serve(Txt("s1._domainkey.contoso.com", Key))) { ProbeFirst = true }
            .DiscoverAsync("contoso.com").GetAwaiter().GetResult();
        Assert.Equal(DnsLookupStatus.NoData, r.ProbeStatus);
        Assert.Equal(new[] { "s1" }, r.SelectorsFound);
        Assert.Equal(DkimProviders.DiscoverySelectors.Count, r.SelectorsTried.Count);
    }
}
