using System.Net;
using MailAuth.Bounces;
using MailAuth.Dns;
using MailAuth.Dmarc;
using MailAuth.Findings;
using MailAuth.Spf;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Bounces;

public class MailBounceAuditorTests
{
    private static string[] SampleZones(params string[] folders) =>
        folders.SelectMany(f => Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "samples", "zones", f))).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task TheSampleBounceLeadsToTheMissingRelayKey()
    {
        // The seed scenario: after the DNS move the relay's DKIM key is gone, Gmail says 5.7.26.
        using var dns = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = SampleZones("new-host", "providers") });
        var analysis = MailBounceAnalyzer.Analyze(BounceSamples.PostfixGmail5726Eml);
        var audited = await new MailBounceAuditor(dns).AuditAsync(analysis);
        var audit = audited.Audit!;
        Assert.Null(analysis.Audit);
        Assert.Equal("contoso-pharma.example", audit.Domain);
        Assert.Equal(IPAddress.Parse("198.51.100.25"), audit.IPAddress);

        // 198.51.100.25 is inside ip4:198.51.100.0/27: SPF passes, so SPF alone is not the problem...
        Assert.Equal(SpfResult.Pass, audit.Spf!.Result);
        Assert.Contains(audit.Findings, f => f.Id == "Bounce.SpfPass");
        // ...but the message was signed with s=mail, and that key is not published any more.
        var missing = Assert.Single(audit.Findings, f => f.Id == "Bounce.DkimKeyMissing");
        Assert.Equal(FindingSeverity.Error, missing.Severity);
        Assert.Equal("mail", missing.Term);
        Assert.Contains("mail._domainkey.contoso-pharma.example", missing.Message);
        Assert.Equal(DmarcPolicy.Quarantine, audit.DmarcPolicy);
        Assert.Equal("_dmarc.contoso-pharma.example", audit.DmarcName);
        Assert.Equal("_dmarc.contoso-pharma.example", audit.DmarcReport!.RecordName);
        Assert.Equal("quarantine", audit.Dmarc!["p"]);
        // The reverse zone is not among the files: the PTR lookup cannot be answered offline.
        Assert.Equal(DnsLookupStatus.NotAvailableOffline, audit.ReverseDns!.LookupStatus);
        Assert.Contains(audit.Findings, f => f.Id == "Bounce.PtrLookupFailed");
        Assert.Contains("SPF pass", audit.Summary);
        Assert.Contains("DMARC p=quarantine", audit.Summary);
    }

    [Fact]
    public async Task UnlistedRelayGetsASuggestedSpfRecord()
    {
        var dns = new DictionaryResolver()
            .Txt("fabrikam.example", "v=spf1 include:_spf.fabrikam.example -all")
            .Txt("_spf.fabrikam.example", "v=spf1 ip4:198.51.100.0/24 -all");
        var audit = await new MailBounceAuditor(dns).AuditAsync("fabrikam.example", IPAddress.Parse("192.0.2.199"));
        Assert.Equal(SpfResult.Fail, audit.Spf!.Result);
        var f = Assert.Single(audit.Findings, x => x.Id == "Bounce.SpfNotPass");
        Assert.Equal("ip4:192.0.2.199", f.Term);
        Assert.Equal("v=spf1 ip4:192.0.2.199 include:_spf.fabrikam.example -all", f.SuggestedRecord!.Value);
        Assert.Equal("@", f.SuggestedRecord.Name);
        var noDmarc = Assert.Single(audit.Findings, x => x.Id == "Bounce.NoDmarc");
        Assert.Equal("_dmarc", noDmarc.SuggestedRecord!.Name);
        Assert.StartsWith("v=DMARC1; p=none", noDmarc.SuggestedRecord.Value);
        Assert.Contains(audit.Findings, x => x.Id == "Bounce.NoDkimKey");
        Assert.Contains(audit.Findings, x => x.Id == "Bounce.NoPtr");
    }

    [Fact]
    public async Task ForwardConfirmedReverseDns()
    {
        var ip = IPAddress.Parse("203.0.113.40");
        var dns = new DictionaryResolver()
            .Add(DnsResourceRecord.CreateTarget("40.113.0.203.in-addr.arpa", DnsRecordType.PTR, "relay.contoso.example", 300))
            .A("relay.contoso.example", "203.0.113.40");
        var ptr = await new MailBounceAuditor(dns).ReverseDnsAsync(ip);
        Assert.Equal("40.113.0.203.in-addr.arpa", ptr.ReverseName);
        Assert.True(ptr.IsForwardConfirmed);
        Assert.Equal(new[] { "relay.contoso.example" }, ptr.ConfirmedNames);

        var wrong = new DictionaryResolver()
            .Add(DnsResourceRecord.CreateTarget("40.113.0.203.in-addr.arpa", DnsRecordType.PTR, "relay.contoso.example", 300))
            .A("relay.contoso.example", "203.0.113.41");
        var audit = await new MailBounceAuditor(wrong).AuditAsync(null, ip);
        Assert.True(audit.ReverseDns!.HasPtr);
        Assert.False(audit.ReverseDns.IsForwardConfirmed);
        Assert.Contains(audit.Findings, f => f.Id == "Bounce.PtrNotConfirmed");
        Assert.Null(audit.Spf);
        Assert.Null(audit.Dkim);
    }

    [Fact]
    public void ReverseNames()
    {
        Assert.Equal("25.100.51.198.in-addr.arpa", MailAuth.Spf.SpfMacroValues.ReverseName(IPAddress.Parse("198.51.100.25")));
        Assert.Equal("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", MailAuth.Spf.SpfMacroValues.ReverseName(IPAddress.Parse("2001:db8::1")));
    }

    [Fact]
    public async Task SubdomainFindsTheOrganisationalDmarcRecord()
    {
        var dns = new DictionaryResolver().Txt("_dmarc.contoso.com", "v=DMARC1; p=reject; sp=quarantine");
        var audit = await new MailBounceAuditor(dns).AuditAsync("mail.contoso.com", null);
        Assert.Equal("_dmarc.contoso.com", audit.DmarcName);
        Assert.Equal(DmarcPolicy.Quarantine, audit.DmarcPolicy);
        Assert.DoesNotContain(audit.Findings, f => f.Id == "Bounce.NoDmarc");
    }

    [Fact]
    public async Task NothingToCheck()
    {
        var audit = await new MailBounceAuditor(new DictionaryResolver()).AuditAsync((string?)null, null);
        Assert.Empty(audit.Findings);
        Assert.Contains("Nothing to check", audit.Summary);
    }
}
