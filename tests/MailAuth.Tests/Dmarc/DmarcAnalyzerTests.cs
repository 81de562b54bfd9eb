using System.Net;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>Policy discovery (RFC 9989 tree walk and the RFC 7489 PSL method), the applied policy, external destinations and findings.</summary>
public class DmarcAnalyzerTests
{
    private static DnsResourceRecord Txt(string name, params string[] s) => DnsResourceRecord.CreateText(name, DnsRecordType.TXT, s, 300);
    private static DnsResourceRecord A(string name) => DnsResourceRecord.CreateAddress(name, IPAddress.Parse("192.0.2.1"), 300);

    /// <summary>A resolver over one root zone holding exactly these records (wildcards as RFC 4592 says).</summary>
    private static IDnsResolver Serve(params DnsResourceRecord[] records) =>
        new ZoneFileResolver(new[] { new MailAuth.Zone.DnsZone("", records, "test") });

    private static DmarcRecordReport Analyze(IDnsResolver resolver, string domain, DmarcDiscoveryMethod method = DmarcDiscoveryMethod.TreeWalk) =>
        new DmarcAnalyzer(resolver, new DmarcDiscoveryOptions { Method = method }).AnalyzeAsync(domain).GetAwaiter().GetResult();

    private static string[] Ids(DmarcRecordReport r) => r.Findings.Select(f => f.Id).ToArray();

    [Fact]
    public void TreeWalkTargetsFollowTheRfcExample()
    {
        // RFC 9989, DNS Tree Walk: a.b.c.d.e.mail.example.com needs these five queries.
        Assert.Equal(new[] { "a.b.c.d.e.mail.example.com", "e.mail.example.com", "mail.example.com", "example.com", "com" },
            DmarcAnalyzer.TreeWalkTargets("a.b.c.d.e.mail.example.com"));
        Assert.Equal(new[] { "d.c.example.com", "c.example.com", "example.com", "com" }, DmarcAnalyzer.TreeWalkTargets("d.c.example.com"));
        Assert.Equal(new[] { "b.a.d.c.example.com", "d.c.example.com", "c.example.com", "example.com", "com" }, DmarcAnalyzer.TreeWalkTargets("b.a.d.c.example.com"));
        Assert.Equal(new[] { "com" }, DmarcAnalyzer.TreeWalkTargets("com"));
    }

    [Fact]
    public void RecordAtTheDomainItselfAppliesP()
    {
        var r = Analyze(Serve(Txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com"), A("example.com")), "example.com");
        Assert.Equal(DmarcReportStatus.Warning, r.Status); // sp=none
        Assert.Equal(DmarcRecordLocation.Domain, r.Location);
        Assert.Equal("example.com", r.RecordDomain);
        Assert.Equal("_dmarc.example.com", r.RecordName);
        Assert.Equal("example.com", r.OrganizationalDomain);
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
        Assert.Equal("p", r.AppliedPolicyTag);
        Assert.Equal(DmarcPolicy.None, r.SubdomainPolicy);
        Assert.Null(r.DomainExists);
        Assert.Equal(new[] { "DMARC.WeakSubdomainPolicy" }, Ids(r));
        Assert.StartsWith("zone file", r.Source);
        var dest = Assert.Single(r.ReportDestinations);
        Assert.True(dest.Authorized);
        Assert.False(dest.IsExternal);
    }

    [Fact]
    public void ExistingSubdomainGetsSpOfTheOrganizationalDomain()
    {
        var dns = new DictionaryResolver().Txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:d@example.com").A("mail.example.com", "192.0.2.1");
        var r = Analyze(dns, "mail.example.com");
        Assert.Equal(DmarcRecordLocation.OrganizationalDomain, r.Location);
        Assert.Equal("example.com", r.OrganizationalDomain);
        Assert.True(r.DomainExists);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
        Assert.Equal("sp", r.AppliedPolicyTag);
        Assert.Equal(new[] { "mail.example.com", "example.com", "com" }, r.Lookups.Select(l => l.Domain));
        Assert.Contains("DMARC.InheritedPolicy", Ids(r));
        Assert.Equal(DmarcReportStatus.Ok, r.Status);
    }

    [Fact]
    public void NonExistentSubdomainGetsNp()
    {
        var dns = new DictionaryResolver().Txt("_dmarc.example.com", "v=DMARC1; p=none; sp=quarantine; np=reject; rua=mailto:d@example.com");
        var r = Analyze(dns, "nosuch.example.com");
        Assert.False(r.DomainExists);
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
        Assert.Equal("np", r.AppliedPolicyTag);
        Assert.Contains("DMARC.NpUnknownToRfc7489", Ids(r));
        Assert.Contains(("nosuch.example.com", DnsRecordType.A), dns.Queries);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject; rua=mailto:d@example.com", "p")]
    [InlineData("v=DMARC1; p=none; sp=reject; rua=mailto:d@example.com", "sp")]
    public void NonExistentSubdomainFallsBackToSpThenP(string record, string tag)
    {
        var r = Analyze(new DictionaryResolver().Txt("_dmarc.example.com", record), "x.example.com");
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
        Assert.Equal(tag, r.AppliedPolicyTag);
    }

    [Fact]
    public void PublicSuffixDomainPolicyWithPsdY()
    {
        // Only the PSD publishes: the organisational domain is one label below it, the policy is the PSD's.
        var dns = new DictionaryResolver().Txt("_dmarc.test", "v=DMARC1; p=reject; sp=quarantine; psd=y; rua=mailto:psd@nic.test").A("shop.example.test", "192.0.2.1");
        var r = Analyze(dns, "shop.example.test");
        Assert.Equal("example.test", r.OrganizationalDomain);
        Assert.Equal("test", r.PublicSuffixDomain);
        Assert.Equal(DmarcRecordLocation.PublicSuffixDomain, r.Location);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
        Assert.Equal("sp", r.AppliedPolicyTag);
        Assert.DoesNotContain("DMARC.PsdWithRuf", Ids(r));
        var withRuf = Analyze(new DictionaryResolver().Txt("_dmarc.test", "v=DMARC1; p=reject; psd=y; rua=mailto:psd@nic.test; ruf=mailto:f@nic.test"), "shop.example.test");
        Assert.Contains("DMARC.PsdWithRuf", Ids(withRuf));
    }

    [Fact]
    public void OrganizationalDomainRecordWinsOverThePsd()
    {
        var dns = new DictionaryResolver()
            .Txt("_dmarc.test", "v=DMARC1; p=reject; psd=y; rua=mailto:psd@nic.test")
            .Txt("_dmarc.example.test", "v=DMARC1; p=none; rua=mailto:d@example.test")
            .A("shop.example.test", "192.0.2.1");
        var r = Analyze(dns, "shop.example.test");
        Assert.Equal("example.test", r.OrganizationalDomain);
        Assert.Equal(DmarcRecordLocation.OrganizationalDomain, r.Location);
        Assert.Equal(DmarcPolicy.None, r.AppliedPolicy);
    }

    [Fact]
    public void PsdNStopsTheWalkAndMakesTheOrganizationalDomain()
    {
        var dns = new DictionaryResolver()
            .Txt("_dmarc.dept.example.com", "v=DMARC1; p=quarantine; sp=reject; psd=n; rua=mailto:d@dept.example.com")
            .Txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com")
            .A("a.dept.example.com", "192.0.2.1");
        var r = Analyze(dns, "a.dept.example.com");
        Assert.Equal("dept.example.com", r.OrganizationalDomain);
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
        Assert.Equal(new[] { "a.dept.example.com", "dept.example.com" }, r.Lookups.Select(l => l.Domain));
        Assert.DoesNotContain(("_dmarc.example.com", DnsRecordType.TXT), dns.Queries);
    }

    [Fact]
    public void IntermediateRecordsAreNotThePolicyOfDeeperNames()
    {
        var dns = new DictionaryResolver()
            .Txt("_dmarc.mail.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com")
            .Txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com")
            .A("a.mail.example.com", "192.0.2.1");
        var r = Analyze(dns, "a.mail.example.com");
        Assert.Equal("example.com", r.OrganizationalDomain);
        Assert.Equal("example.com", r.RecordDomain);
        Assert.Equal(DmarcPolicy.None, r.AppliedPolicy);
        Assert.Contains("DMARC.IntermediateRecordIgnored", Ids(r));
    }

    [Fact]
    public void LongNamesCostAtMostFiveDmarcQueries()
    {
        var dns = new DictionaryResolver().Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
        var r = Analyze(dns, "a.b.c.d.e.f.g.mail.example.com");
        Assert.Equal(5, dns.Queries.Count(q => q.Name.StartsWith("_dmarc.", StringComparison.Ordinal)));
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
        Assert.False(r.DomainExists);
    }

    [Fact]
    public void SeveralRecordsAreAllDiscarded()
    {
        var dns = new DictionaryResolver()
            .Txt("_dmarc.example.com", "v=DMARC1; p=reject")
            .Txt("_dmarc.example.com", "v=DMARC1; p=none");
        var r = Analyze(dns, "example.com");
        Assert.Equal(DmarcReportStatus.NoRecord, r.Status);
        Assert.Contains("DMARC.MultipleRecords", Ids(r));
        Assert.Contains("DMARC.NoRecord", Ids(r));
        Assert.Equal(2, r.Lookups[0].DmarcRecords.Count);
    }

    [Fact]
    public void MisplacedVersionIsReportedAndTheRecordIgnored()
    {
        var r = Analyze(new DictionaryResolver().Txt("_dmarc.example.com", "p=reject; v=DMARC1"), "example.com");
        Assert.Equal(DmarcReportStatus.NoRecord, r.Status);
        Assert.Contains("DMARC.VersionNotFirst", Ids(r));
    }

    [Fact]
    public void NoRecordSuggestsOne()
    {
        var r = Analyze(new DictionaryResolver().A("example.com", "192.0.2.1"), "example.com");
        Assert.Equal(DmarcReportStatus.NoRecord, r.Status);
        var f = Assert.Single(r.Findings);
        Assert.Equal("DMARC.NoRecord", f.Id);
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Equal("_dmarc.example.com", f.SuggestedRecord!.FullName);
        Assert.StartsWith("v=DMARC1; p=none; rua=mailto:", f.SuggestedRecord.Value);
        Assert.Null(r.AppliedPolicy);
        Assert.Equal(DmarcRecordLocation.None, r.Location);
    }

    [Fact]
    public void DmarcRecordAtTheApexIsFlagged()
    {
        var dns = new DictionaryResolver().Txt("example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com").Txt("example.com", "v=spf1 -all");
        var r = Analyze(dns, "example.com");
        var f = r.Findings.Single(x => x.Id == "DMARC.RecordAtApex");
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Equal("_dmarc.example.com", f.SuggestedRecord!.FullName);
        Assert.Single(r.ApexRecords);
    }

    [Fact]
    public void LookupFailureIsNotNoRecord()
    {
        var r = Analyze(new DictionaryResolver().Fail("_dmarc.example.com", DnsLookupStatus.Timeout), "example.com");
        Assert.Equal(DmarcReportStatus.LookupFailed, r.Status);
        Assert.Contains("DMARC.LookupFailed", Ids(r));
        Assert.DoesNotContain("DMARC.NoRecord", Ids(r));
    }

    [Fact]
    public void RecordFindingsComeFromTheParser()
    {
        var r = Analyze(new DictionaryResolver().Txt("_dmarc.example.com", "v=DMARC1; p=none; pct=50; foo=bar"), "example.com");
        Assert.Equal(DmarcReportStatus.Warning, r.Status);
        Assert.Contains("DMARC.RemovedTag", Ids(r));
        Assert.Contains("DMARC.UnknownTag", Ids(r));
        Assert.Contains("DMARC.PolicyNone", Ids(r));
        Assert.Contains("DMARC.NoAggregateReports", Ids(r));
        Assert.All(r.Findings, f => Assert.Equal("DMARC", f.Area));
        Assert.Equal(50, r.Percentage);
    }

    [Fact]
    public void ExternalDestinationsNeedAnAuthorization()
    {
        var dns = Serve(
            Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com,mailto:agg@reports.example.net,mailto:x@wild.example.org,mailto:y@other.example; ruf=mailto:f@reports.example.net"),
            Txt("example.com._report._dmarc.reports.example.net", "v=DMARC1; rua=mailto:other@reports.example.net"),
            Txt("*._report._dmarc.wild.example.org", "v=DMARC1;"),
            Txt("example.com._report._dmarc.other.example", "not a dmarc record"),
            A("example.com"));
        var r = Analyze(dns, "example.com");
        var d = r.ReportDestinations.ToDictionary(x => x.Tag + " " + x.Address);
        Assert.False(d["rua d@example.com"].IsExternal);
        Assert.True(d["rua d@example.com"].Authorized);
        Assert.True(d["rua agg@reports.example.net"].IsExternal);
        Assert.True(d["rua agg@reports.example.net"].Authorized);
        Assert.Equal("mailto:other@reports.example.net", d["rua agg@reports.example.net"].OverrideUri);
        Assert.Equal("example.com._report._dmarc.reports.example.net", d["rua agg@reports.example.net"].AuthorizationName);
        Assert.True(d["rua x@wild.example.org"].Authorized); // wildcard counts
        Assert.False(d["rua y@other.example"].Authorized); // only v=DMARC1 records authorise
        Assert.True(d["ruf f@reports.example.net"].Authorized);
        var f = Assert.Single(r.Findings, x => x.Id == "DMARC.ExternalReportNotAuthorized");
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Equal("example.com._report._dmarc.other.example", f.SuggestedRecord!.FullName);
        Assert.Equal("other.example", f.SuggestedRecord.ZoneName);
        Assert.Equal("v=DMARC1;", f.SuggestedRecord.Value);
        Assert.Equal(DmarcReportStatus.Error, r.Status);
    }

    [Fact]
    public void AuthorizationNameUsesTheDomainWhereThePolicyWasFound()
    {
        var dns = new DictionaryResolver()
            .Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:agg@reports.example.net")
            .Txt("example.com._report._dmarc.reports.example.net", "v=DMARC1")
            .A("mail.example.com", "192.0.2.1");
        var r = Analyze(dns, "mail.example.com");
        var dest = Assert.Single(r.ReportDestinations);
        Assert.Equal("example.com._report._dmarc.reports.example.net", dest.AuthorizationName);
        Assert.True(dest.Authorized);
    }

    [Fact]
    public void PublicSuffixListMethodAsksTheDomainThenItsRegistrableDomain()
    {
        var dns = new DictionaryResolver().Txt("_dmarc.example.co.uk", "v=DMARC1; p=quarantine; rua=mailto:d@example.co.uk").A("a.b.example.co.uk", "192.0.2.1");
        var r = Analyze(dns, "a.b.example.co.uk", DmarcDiscoveryMethod.PublicSuffixList);
        Assert.Equal(DmarcDiscoveryMethod.PublicSuffixList, r.DiscoveryMethod);
        Assert.Equal("example.co.uk", r.OrganizationalDomain);
        Assert.Equal(DmarcRecordLocation.OrganizationalDomain, r.Location);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
        Assert.Equal(new[] { "_dmarc.a.b.example.co.uk", "_dmarc.example.co.uk" }, dns.Queries.Where(q => q.Type == DnsRecordType.TXT && q.Name.StartsWith("_dmarc")).Select(q => q.Name));
    }

    [Fact]
    public void TheTwoMethodsDisagreeWhereThePslAndDnsDo()
    {
        // A private PSL suffix: the list says blogspot.com is public, DNS only knows a record at _dmarc.blogspot.com.
        var dns = new DictionaryResolver().Txt("_dmarc.blogspot.com", "v=DMARC1; p=reject; rua=mailto:d@blogspot.com").A("me.blogspot.com", "192.0.2.1");
        var walk = Analyze(dns, "me.blogspot.com");
        Assert.Equal("blogspot.com", walk.OrganizationalDomain);
        Assert.Equal(DmarcPolicy.Reject, walk.AppliedPolicy);
        var psl = Analyze(dns, "me.blogspot.com", DmarcDiscoveryMethod.PublicSuffixList);
        Assert.Equal("me.blogspot.com", psl.OrganizationalDomain);
        Assert.Equal(DmarcReportStatus.NoRecord, psl.Status);
    }

    [Fact]
    public void ATestingRecordIsExplained()
    {
        var r = Analyze(new DictionaryResolver().Txt("_dmarc.example.com", "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com"), "example.com");
        var f = r.Findings.Single(x => x.Id == "DMARC.TestingMode");
        Assert.Contains("RFC 7489-only receivers", f.Message);
        Assert.True(r.Testing);
    }

    [Fact]
    public void AFailureAboveARecordFoundDoesNotFailTheDiscovery()
    {
        // Offline, the TLD is outside every zone file: the walk cannot check it, but the record below decides.
        var dns = new DictionaryResolver().Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com").Fail("_dmarc.com", DnsLookupStatus.NotAvailableOffline);
        var r = Analyze(dns, "example.com");
        Assert.Equal(DmarcReportStatus.Ok, r.Status);
        Assert.Equal("DMARC.TreeWalkOutsideZones", Assert.Single(r.Findings).Id);
        var timeoutAbove = Analyze(new DictionaryResolver().Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com").Fail("_dmarc.com", DnsLookupStatus.Timeout), "example.com");
        Assert.Equal(DmarcReportStatus.Ok, timeoutAbove.Status);
        Assert.Equal("DMARC.TreeWalkIncomplete", Assert.Single(timeoutAbove.Findings).Id);
        var below = Analyze(new DictionaryResolver().Fail("_dmarc.mail.example.com", DnsLookupStatus.Timeout).Txt("_dmarc.example.com", "v=DMARC1; p=reject"), "mail.example.com");
        Assert.Equal(DmarcReportStatus.LookupFailed, below.Status);
    }

    [Fact]
    public void OfflineADomainWithoutARecordHasNoRecordRatherThanAFailedLookup()
    {
        // Zone files only: _dmarc.northwind.example answers NXDOMAIN from its zone, _dmarc.example is outside every zone.
        var dns = new DictionaryResolver().Txt("northwind.example", "v=spf1 -all").Fail("_dmarc.example", DnsLookupStatus.NotAvailableOffline);
        var r = Analyze(dns, "northwind.example");
        Assert.Equal(DmarcReportStatus.NoRecord, r.Status);
        Assert.Contains("DMARC.NoRecord", Ids(r));
        Assert.DoesNotContain("DMARC.LookupFailed", Ids(r));
        Assert.Equal(FindingSeverity.Information, r.Findings.Single(f => f.Id == "DMARC.TreeWalkOutsideZones").Severity);
        Assert.NotNull(r.Findings.Single(f => f.Id == "DMARC.NoRecord").SuggestedRecord);

        // The domain itself outside the zones is still a failed lookup: nothing was answered for it.
        var outside = Analyze(new DictionaryResolver().Fail("_dmarc.other.example", DnsLookupStatus.NotAvailableOffline).Fail("_dmarc.example", DnsLookupStatus.NotAvailableOffline), "other.example");
        Assert.Equal(DmarcReportStatus.LookupFailed, outside.Status);
    }
}
