using System.Net;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Zone;
using Xunit;

namespace MailAuth.Tests.Zone;

public class ZoneFileResolverTests
{
    private const string Example = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA ns1 hostmaster 1 7200 3600 1209600 300
        @       NS ns1
        @       TXT "v=spf1 include:_spf.example.com -all"
        @       MX 10 mail
        ns1     A 192.0.2.1
        mail    A 192.0.2.25
        _spf    TXT "v=spf1 ip4:192.0.2.0/24 -all"
        a.b.c   A 192.0.2.5
        www     CNAME web
        web     A 192.0.2.80
                AAAA 2001:db8::80
        ext     CNAME host.fabrikam.net.
        loop1   CNAME loop2
        loop2   CNAME loop1
        self    CNAME self
        *.wild  A 192.0.2.99
        *.wild  TXT "wild"
        *.wild  MX 5 mail
        sub.wild A 192.0.2.98
        *.wc    CNAME web
        sub     NS ns.sub
        ns.sub  A 192.0.2.53
        to-other CNAME www.other.example.
        dangling CNAME nothing
        """;

    private const string Other = """
        $ORIGIN other.example.
        @   3600 SOA ns hostmaster 1 2 3 4 5
        www 60 TXT "from other"
        """;

    private const string Child = """
        $ORIGIN child.example.com.
        @   3600 SOA ns hostmaster 1 2 3 4 5
        x   60 TXT "from child"
        """;

    private static DnsZone Parse(string text)
    {
        var r = ZoneFileParser.Parse(text);
        Assert.False(r.HasErrors, string.Join(" | ", r.Diagnostics));
        return r.Zone;
    }

    private static ZoneFileResolver Resolver(IDnsResolver? fallback = null) =>
        new(new[] { Parse(Example), Parse(Other), Parse(Child) }, fallback);

    private static string Chain(int length)
    {
        var lines = new List<string> { "$ORIGIN chain.example.", "@ 60 SOA ns h 1 2 3 4 5" };
        for (int i = 0; i < length; i++) lines.Add($"c{i} 60 CNAME c{i + 1}");
        lines.Add($"c{length} 60 TXT \"end\"");
        return string.Join("\n", lines);
    }

    /// <summary>A fallback that records the questions and answers with a fixed CNAME hop and a TXT record.</summary>
    private sealed class FakeFallback : IDnsResolver
    {
        public List<(string Name, DnsRecordType Type)> Questions { get; } = new();

        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Questions.Add((name, type));
            var final = "final." + name;
            var records = new[] { DnsResourceRecord.CreateText(final, DnsRecordType.TXT, new[] { "fallback for " + name }, 30) };
            return Task.FromResult(new DnsLookupResult(name, type, DnsLookupStatus.Success, records, new[] { final }, "server 127.0.0.1:53"));
        }
    }

    [Fact]
    public async Task RecordsOfTheTypeAreASuccess()
    {
        var r = await Resolver().QueryAsync("example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal("v=spf1 include:_spf.example.com -all", Assert.Single(r.Records).Text);
        Assert.Equal("zone file example.com", r.Source);
        Assert.True(r.Authoritative);
        Assert.Empty(r.CnameChain);
        Assert.Equal("example.com", r.CanonicalName);
    }

    [Fact]
    public async Task QueryNamesAreCaseInsensitiveAndMayEndWithADot()
    {
        var r = await Resolver().QueryAsync("_SPF.Example.COM.", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal("_spf.example.com", r.QueryName);
        Assert.Equal("_spf.example.com", Assert.Single(r.Records).Name);
    }

    [Fact]
    public async Task ExistingNameWithoutTheTypeIsNoData()
    {
        var r = await Resolver().QueryAsync("mail.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.NoData, r.Status);
        Assert.Empty(r.Records);
        Assert.True(r.Authoritative);
    }

    [Fact]
    public async Task MissingNameIsNxDomain()
    {
        var r = await Resolver().QueryAsync("nothing.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.NxDomain, r.Status);
        Assert.Equal("zone file example.com", r.Source);
        Assert.True((await Resolver().QueryAsync("x.a.b.c.example.com", DnsRecordType.A)).Status == DnsLookupStatus.NxDomain);
    }

    [Theory]
    [InlineData("b.c.example.com")]
    [InlineData("c.example.com")]
    public async Task EmptyNonTerminalIsNoData(string name)
    {
        var resolver = Resolver();
        Assert.Equal(DnsLookupStatus.NoData, (await resolver.QueryAsync(name, DnsRecordType.A)).Status);
        Assert.Equal(DnsLookupStatus.NoData, (await resolver.QueryAsync(name, DnsRecordType.TXT)).Status);
        // The name below that makes it exist.
        Assert.Equal(DnsLookupStatus.Success, (await resolver.QueryAsync("a.b.c.example.com", DnsRecordType.A)).Status);
        // A sibling that does not exist is NXDOMAIN, not NODATA.
        Assert.Equal(DnsLookupStatus.NxDomain, (await resolver.QueryAsync("x." + name, DnsRecordType.A)).Status);
    }

    [Fact]
    public async Task CnameIsFollowedWithinTheZone()
    {
        var r = await Resolver().QueryAsync("www.example.com", DnsRecordType.A);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal(new[] { "web.example.com" }, r.CnameChain);
        Assert.Equal("web.example.com", r.CanonicalName);
        var a = Assert.Single(r.Records);
        Assert.Equal("web.example.com", a.Name);
        Assert.Equal(IPAddress.Parse("192.0.2.80"), a.Address);

        var noData = await Resolver().QueryAsync("www.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.NoData, noData.Status);
        Assert.Equal(new[] { "web.example.com" }, noData.CnameChain);

        var nx = await Resolver().QueryAsync("dangling.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.NxDomain, nx.Status);
        Assert.Equal(new[] { "nothing.example.com" }, nx.CnameChain);
    }

    [Fact]
    public async Task CnameQueryReturnsTheCnameItself()
    {
        var r = await Resolver().QueryAsync("www.example.com", DnsRecordType.CNAME);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal("web.example.com", Assert.Single(r.Records).Target);
        Assert.Empty(r.CnameChain);
    }

    [Fact]
    public async Task CnameIsFollowedIntoAnotherLoadedZone()
    {
        var r = await Resolver().QueryAsync("to-other.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal(new[] { "www.other.example" }, r.CnameChain);
        Assert.Equal("from other", Assert.Single(r.Records).Text);
        Assert.Equal("zone file other.example", r.Source);
    }

    [Theory]
    [InlineData("loop1.example.com", "loop1.example.com -> loop2.example.com -> loop1.example.com")]
    [InlineData("self.example.com", "self.example.com -> self.example.com")]
    public async Task CnameLoopIsAnError(string name, string path)
    {
        var r = await Resolver().QueryAsync(name, DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Error, r.Status);
        Assert.Contains("loop", r.ErrorMessage);
        Assert.Contains(path, r.ErrorMessage);
        Assert.Empty(r.Records);
    }

    [Fact]
    public async Task CnameChainsAreLimitedTo16Hops()
    {
        var ok = new ZoneFileResolver(new[] { Parse(Chain(ZoneFileResolver.MaxCnameHops)) });
        var r = await ok.QueryAsync("c0.chain.example", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal(16, r.CnameChain.Count);
        Assert.Equal("c16.chain.example", r.CanonicalName);

        var tooLong = new ZoneFileResolver(new[] { Parse(Chain(ZoneFileResolver.MaxCnameHops + 1)) });
        var e = await tooLong.QueryAsync("c0.chain.example", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Error, e.Status);
        Assert.Contains("longer than 16", e.ErrorMessage);
    }

    [Fact]
    public async Task WildcardAnswersCarryTheQueryName()
    {
        var resolver = Resolver();
        var r = await resolver.QueryAsync("anything.wild.example.com", DnsRecordType.A);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        var a = Assert.Single(r.Records);
        Assert.Equal("anything.wild.example.com", a.Name);
        Assert.Equal(IPAddress.Parse("192.0.2.99"), a.Address);
        Assert.Equal("anything.wild.example.com", Assert.Single((await resolver.QueryAsync("anything.wild.example.com", DnsRecordType.TXT)).Records).Name);
        var mx = Assert.Single((await resolver.QueryAsync("anything.wild.example.com", DnsRecordType.MX)).Records);
        Assert.Equal(("anything.wild.example.com", (ushort)5, "mail.example.com"), (mx.Name, mx.Preference, mx.Target));

        // Deeper names whose closest encloser is wild.example.com match too (RFC 4592 §3.3.1).
        Assert.Equal(DnsLookupStatus.Success, (await resolver.QueryAsync("x.y.wild.example.com", DnsRecordType.A)).Status);
        // The wildcard node without the type: NODATA.
        Assert.Equal(DnsLookupStatus.NoData, (await resolver.QueryAsync("anything.wild.example.com", DnsRecordType.AAAA)).Status);
        // An existing name is never replaced by the wildcard.
        var sub = await resolver.QueryAsync("sub.wild.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.NoData, sub.Status);
        // Below an existing name the closest encloser is that name, which has no "*" child.
        Assert.Equal(DnsLookupStatus.NxDomain, (await resolver.QueryAsync("x.sub.wild.example.com", DnsRecordType.A)).Status);
        // The wildcard does not cover its own parent.
        Assert.Equal(DnsLookupStatus.NoData, (await resolver.QueryAsync("wild.example.com", DnsRecordType.A)).Status);
    }

    [Fact]
    public async Task WildcardCnameIsFollowed()
    {
        var r = await Resolver().QueryAsync("foo.wc.example.com", DnsRecordType.AAAA);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal(new[] { "web.example.com" }, r.CnameChain);
        Assert.Equal(IPAddress.Parse("2001:db8::80"), Assert.Single(r.Records).Address);
    }

    [Fact]
    public async Task MostSpecificZoneWins()
    {
        var resolver = Resolver();
        var r = await resolver.QueryAsync("x.child.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal("from child", Assert.Single(r.Records).Text);
        Assert.Equal("zone file child.example.com", r.Source);
        Assert.Same(resolver.Zones[2], resolver.FindZone("deep.x.child.example.com"));
        Assert.Same(resolver.Zones[0], resolver.FindZone("example.com"));
        Assert.Null(resolver.FindZone("example.org"));
    }

    [Fact]
    public async Task OutOfZoneWithoutFallbackIsNotAvailableOffline()
    {
        var r = await Resolver().QueryAsync("contoso.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.NotAvailableOffline, r.Status);
        Assert.Contains("not in any loaded zone file", r.ErrorMessage);
        Assert.Contains("example.com, other.example, child.example.com", r.ErrorMessage);
        Assert.True(r.Status.IsTransientFailure());
    }

    [Fact]
    public async Task OutOfZoneWithFallbackAsksTheFallback()
    {
        var fallback = new FakeFallback();
        var r = await Resolver(fallback).QueryAsync("contoso.com", DnsRecordType.TXT);
        Assert.Equal(new[] { ("contoso.com", DnsRecordType.TXT) }, fallback.Questions);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal("server 127.0.0.1:53", r.Source);
        Assert.Equal("fallback for contoso.com", Assert.Single(r.Records).Text);
        // In-zone names never reach the fallback, even when they do not exist.
        await Resolver(fallback).QueryAsync("nothing.example.com", DnsRecordType.TXT);
        Assert.Single(fallback.Questions);
    }

    [Fact]
    public async Task CnameTargetOutsideTheZonesUsesTheFallback()
    {
        var fallback = new FakeFallback();
        var r = await Resolver(fallback).QueryAsync("ext.example.com", DnsRecordType.TXT);
        Assert.Equal(new[] { ("host.fabrikam.net", DnsRecordType.TXT) }, fallback.Questions);
        Assert.Equal(DnsLookupStatus.Success, r.Status);
        Assert.Equal("ext.example.com", r.QueryName);
        Assert.Equal(new[] { "host.fabrikam.net", "final.host.fabrikam.net" }, r.CnameChain);
        Assert.Equal("zone file example.com, then server 127.0.0.1:53", r.Source);

        var offline = await Resolver().QueryAsync("ext.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.NotAvailableOffline, offline.Status);
        Assert.Equal(new[] { "host.fabrikam.net" }, offline.CnameChain);
        Assert.Contains("host.fabrikam.net", offline.ErrorMessage);
    }

    [Fact]
    public async Task DelegatedNamesAreNotAnsweredFromTheParent()
    {
        var offline = await Resolver().QueryAsync("ns.sub.example.com", DnsRecordType.A);
        Assert.Equal(DnsLookupStatus.NotAvailableOffline, offline.Status);
        Assert.Contains("delegated", offline.ErrorMessage);

        var ns = await Resolver().QueryAsync("sub.example.com", DnsRecordType.NS);
        Assert.Equal(DnsLookupStatus.Success, ns.Status);
        Assert.Equal("ns.sub.example.com", Assert.Single(ns.Records).Target);
        Assert.False(ns.Authoritative);

        var fallback = new FakeFallback();
        await Resolver(fallback).QueryAsync("x.sub.example.com", DnsRecordType.TXT);
        Assert.Equal(new[] { ("x.sub.example.com", DnsRecordType.TXT) }, fallback.Questions);
    }

    [Fact]
    public async Task CancellationThrows()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Resolver().QueryAsync("example.com", DnsRecordType.TXT, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Resolver(new FakeFallback()).QueryAsync("ext.example.com", DnsRecordType.TXT, cts.Token));
    }

    [Fact]
    public void DuplicateOriginsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ZoneFileResolver(new[] { Parse(Example), Parse(Example) }));
    }

    [Fact]
    public async Task EmptyResolverIsOfflineForEverything()
    {
        var r = await new ZoneFileResolver(Array.Empty<DnsZone>()).QueryAsync("example.com", DnsRecordType.A);
        Assert.Equal(DnsLookupStatus.NotAvailableOffline, r.Status);
        Assert.Contains("loaded zones: none", r.ErrorMessage);
    }

    [Fact]
    public async Task FromFilesLoadsZonesAndReportsProblems()
    {
        var dir = Directory.CreateTempSubdirectory("mailauth-zres-");
        try
        {
            var contoso = Path.Combine(dir.FullName, "contoso.com.dns");
            File.WriteAllText(contoso, ZoneSamples.WindowsOnDisk);
            var copy = Path.Combine(dir.FullName, "db.contoso.com");
            File.WriteAllText(copy, ZoneSamples.Bind);
            var empty = Path.Combine(dir.FullName, "empty.example.zone");
            File.WriteAllText(empty, "; nothing\n");
            var missing = Path.Combine(dir.FullName, "missing.example.zone");
            var broken = Path.Combine(dir.FullName, "fabrikam.com.zone");
            File.WriteAllText(broken, "@ 60 TXT \"v=spf1 -all\"\nbad A 1.2.3\n");

            var resolver = ZoneFileResolver.FromFiles(new[] { contoso, copy, empty, missing, broken }, null, out var diagnostics);
            Assert.Equal(new[] { "contoso.com", "fabrikam.com" }, resolver.Zones.Select(z => z.Origin));
            Assert.Contains(diagnostics, d => d.Severity == FindingSeverity.Error && d.SourceName == copy && d.Message.Contains("already loaded"));
            Assert.Contains(diagnostics, d => d.Severity == FindingSeverity.Error && d.SourceName == empty && d.Message.Contains("not loaded"));
            Assert.Contains(diagnostics, d => d.Severity == FindingSeverity.Error && d.SourceName == missing && d.Message.Contains("cannot be read"));
            Assert.Contains(diagnostics, d => d.Severity == FindingSeverity.Error && d.SourceName == broken && d.Line == 2);

            var spf = await resolver.QueryAsync("contoso.com", DnsRecordType.TXT);
            Assert.Equal("v=spf1 include:spf.protection.outlook.com -all", Assert.Single(spf.Records).Text);
            Assert.Equal(DnsLookupStatus.Success, (await resolver.QueryAsync("fabrikam.com", DnsRecordType.TXT)).Status);
            Assert.Equal(DnsLookupStatus.NotAvailableOffline, (await resolver.QueryAsync("spf.protection.outlook.com", DnsRecordType.TXT)).Status);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
