using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Spf;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Spf;

public class SpfAnalyzerTests
{
    private static Task<SpfRecordReport> Analyze(DictionaryResolver r, string domain = "contoso.example") =>
        new SpfAnalyzer(r).AnalyzeAsync(domain);

    private static DictionaryResolver Provider() => new DictionaryResolver()
        .Txt("spf.provider.example", "v=spf1 ip4:192.0.2.0/24 include:spf2.provider.example -all")
        .Txt("spf2.provider.example", "v=spf1 ip6:2001:db8::/32 ip4:198.51.100.0/25 -all");

    [Fact]
    public async Task CountsLookupsAcrossTheTreeAndCollectsRanges()
    {
        var r = Provider()
            .Txt("contoso.example", "v=spf1 mx a:mail.contoso.example include:spf.provider.example ip4:203.0.113.5 -all")
            .Mx("contoso.example", 10, "mail.contoso.example")
            .A("mail.contoso.example", "203.0.113.25");
        var report = await Analyze(r);

        Assert.Equal(SpfReportStatus.Ok, report.Status);
        Assert.Equal("v=spf1 mx a:mail.contoso.example include:spf.provider.example ip4:203.0.113.5 -all", report.Record);
        Assert.Equal(4, report.DnsLookupCount); // mx, a, include, nested include
        Assert.Equal(0, report.VoidLookupCount);
        Assert.Equal(new[] { "192.0.2.0/24", "198.51.100.0/25", "203.0.113.5", "203.0.113.25" }, report.AuthorizedIPv4);
        Assert.Equal(new[] { "2001:db8::/32" }, report.AuthorizedIPv6);
        Assert.True(report.RangesComplete);
        var include = Assert.Single(report.Includes);
        Assert.Equal("spf.provider.example", include.Domain);
        Assert.Equal("spf2.provider.example", Assert.Single(include.Children).Domain);
        Assert.Equal(1, include.TotalDnsLookupCount); // the nested include; its own include is counted by the parent
        Assert.Empty(report.Findings);
    }

    [Fact]
    public async Task MoreThanTenLookupsIsAnError()
    {
        var r = new DictionaryResolver();
        var includes = string.Join(" ", Enumerable.Range(1, 6).Select(i => $"include:s{i}.example"));
        r.Txt("contoso.example", $"v=spf1 {includes} -all");
        for (int i = 1; i <= 6; i++) r.Txt($"s{i}.example", $"v=spf1 include:t{i}.example -all").Txt($"t{i}.example", "v=spf1 ip4:192.0.2.1 -all");
        var report = await Analyze(r);
        Assert.Equal(12, report.DnsLookupCount);
        Assert.Equal(SpfReportStatus.Error, report.Status);
        Assert.Contains(report.Findings, f => f.Id == "SPF.TooManyLookups" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public async Task BareAndQualifiedFormsCountAlike()
    {
        var r = new DictionaryResolver()
            .Txt("contoso.example", "v=spf1 a -a:x.contoso.example ~mx ?exists:%{i}.rbl.example +ptr redirect=r.example")
            .A("contoso.example", "192.0.2.1").A("x.contoso.example", "192.0.2.2").Mx("contoso.example", 1, "x.contoso.example")
            .Txt("r.example", "v=spf1 -all");
        var report = await Analyze(r);
        Assert.Equal(6, report.DnsLookupCount);
        Assert.False(report.RangesComplete);
        Assert.Contains(report.Findings, f => f.Id == "SPF.PtrMechanism");
    }

    [Fact]
    public async Task NoRecordAndMultipleRecords()
    {
        var none = await Analyze(new DictionaryResolver().Txt("contoso.example", "google-site-verification=abc"));
        Assert.Equal(SpfReportStatus.NoRecord, none.Status);
        var f = Assert.Single(none.Findings);
        Assert.Equal("SPF.NoRecord", f.Id);
        Assert.Equal("v=spf1 -all", f.SuggestedRecord!.Value);

        var two = await Analyze(new DictionaryResolver().Txt("contoso.example", "v=spf1 -all").Txt("contoso.example", "v=spf1 mx -all"));
        Assert.Contains(two.Findings, x => x.Id == "SPF.MultipleRecords" && x.Severity == FindingSeverity.Error);
        Assert.Equal(2, two.AllRecords.Count);
    }

    [Theory]
    [InlineData("v=spf1 +all", "SPF.PassAll", FindingSeverity.Error)]
    [InlineData("v=spf1 ?all", "SPF.NeutralAll", FindingSeverity.Warning)]
    [InlineData("v=spf1 ip4:192.0.2.1", "SPF.NoAllOrRedirect", FindingSeverity.Warning)]
    [InlineData("v=spf1 ip4:192.0.2.1 redirect=r.example -all", "SPF.RedirectWithAll", FindingSeverity.Warning)]
    [InlineData("v=spf1 ip4:192.0.2.300 -all", "SPF.InvalidIpAddress", FindingSeverity.Error)]
    [InlineData("v=spf1 foo:bar -all", "SPF.UnknownMechanism", FindingSeverity.Error)]
    [InlineData("v=spf1 include:nospf.example -all", "SPF.IncludeWithoutSpf", FindingSeverity.Error)]
    [InlineData("v=spf1 redirect=missing.example", "SPF.RedirectWithoutSpf", FindingSeverity.Error)]
    [InlineData("v=spf1 include:loop.example -all", "SPF.IncludeLoop", FindingSeverity.Error)]
    [InlineData("v=spf1 include:down.example -all", "SPF.IncludeLookupFailed", FindingSeverity.Error)]
    public async Task Findings(string record, string id, FindingSeverity severity)
    {
        var r = new DictionaryResolver()
            .Txt("contoso.example", record)
            .Txt("r.example", "v=spf1 -all")
            .Txt("nospf.example", "some other text")
            .Txt("loop.example", "v=spf1 include:contoso.example -all")
            .Fail("down.example", DnsLookupStatus.Timeout);
        var report = await Analyze(r);
        var finding = Assert.Single(report.Findings, f => f.Id == id);
        Assert.Equal(severity, finding.Severity);
        Assert.False(string.IsNullOrEmpty(finding.Message));
        Assert.False(string.IsNullOrEmpty(finding.Remediation));
    }

    [Fact]
    public async Task SyntaxErrorFindingNamesTheTerm()
    {
        var report = await Analyze(new DictionaryResolver().Txt("contoso.example", "v=spf1 ip4:10.0.0.0/33 foo:bar -all"));
        Assert.Equal(SpfReportStatus.Error, report.Status);
        Assert.Contains(report.Findings, f => f.Term == "ip4:10.0.0.0/33");
        Assert.Contains(report.Findings, f => f.Term == "foo:bar");
        Assert.Equal("v=spf1 ip4:10.0.0.0/33 foo:bar -all", report.Record);
    }

    [Fact]
    public async Task VoidLookupsAreCounted()
    {
        var r = new DictionaryResolver()
            .Txt("contoso.example", "v=spf1 a:v1.example mx:v2.example include:v3.example -all");
        var report = await Analyze(r);
        Assert.Equal(3, report.VoidLookupCount);
        Assert.Contains(report.Findings, f => f.Id == "SPF.TooManyVoidLookups");
    }

    [Fact]
    public async Task LongRecordAndObsoleteTypeAreReported()
    {
        var ips = string.Join(" ", Enumerable.Range(1, 40).Select(i => $"ip4:198.51.100.{i}"));
        var r = new DictionaryResolver().Txt("contoso.example", "v=spf1 " + ips[..240], ips[240..] + " -all").Spf99("contoso.example", "v=spf1 -all");
        var report = await Analyze(r);
        Assert.True(report.RecordLength > 450);
        Assert.Contains(report.Findings, f => f.Id == "SPF.RecordTooLong");
        Assert.True(report.HasObsoleteSpfTypeRecord);
        Assert.Contains(report.Findings, f => f.Id == "SPF.ObsoleteSpfRecordType");
        Assert.Equal(40, report.AuthorizedIPv4.Count);
    }

    [Fact]
    public async Task TooManyMxNames()
    {
        var r = new DictionaryResolver().Txt("contoso.example", "v=spf1 mx -all");
        for (ushort i = 0; i < 11; i++) r.Mx("contoso.example", i, $"mx{i}.contoso.example").A($"mx{i}.contoso.example", $"192.0.2.{i + 1}");
        var report = await Analyze(r);
        Assert.Equal(11, report.MaxMxNames);
        Assert.Contains(report.Findings, f => f.Id == "SPF.TooManyMxNames");
    }

    [Fact]
    public async Task LookupFailureIsReportedNotThrown()
    {
        var report = await Analyze(new DictionaryResolver().Fail("contoso.example", DnsLookupStatus.ServerFailure));
        Assert.Equal(SpfReportStatus.LookupFailed, report.Status);
        Assert.Equal("SPF.LookupFailed", Assert.Single(report.Findings).Id);
    }
}
