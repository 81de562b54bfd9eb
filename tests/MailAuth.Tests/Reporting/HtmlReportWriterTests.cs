using System.Text.RegularExpressions;
using MailAuth.Bounces;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Migration;
using MailAuth.Publishing;
using MailAuth.Reporting;
using MailAuth.Spf;
using MailAuth.Tests.Bounces;
using Xunit;

namespace MailAuth.Tests.Reporting;

public class HtmlReportWriterTests
{
    private static string[] Files(params string[] folders) =>
        folders.SelectMany(f => Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "samples", "zones", f))).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    private static readonly DateTimeOffset When = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SampleDomainsReport()
    {
        using var dns = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = Files("new-host", "providers") });
        using var old = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = Files("old-host", "providers") });
        var items = new List<ReportItem>();
        foreach (var d in new[] { "contoso-pharma.example", "fabrikam-labs.example", "northwind-traders.example" })
            items.Add(ReportItem.FromSpf(await new SpfAnalyzer(dns).AnalyzeAsync(d)));
        var rows = await new MailAuthRecordComparer(old, dns).CompareAsync("contoso-pharma.example", new[] { "mail" });
        items.Add(ReportItem.FromComparisons(rows));
        items.Add(ReportItem.FromDkim((await new DkimSelectorDiscovery(dns).CheckAsync("contoso-pharma.example", new[] { "mail" })).Single()));

        var html = HtmlReportWriter.Render(items, "Contoso <Pharma> audit", When);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>Contoso &lt;Pharma&gt; audit</title>", html);
        Assert.Contains("Generated 2026-11-28 12:00 +00:00", html);
        // One summary row per domain, the worst status first.
        var summary = Section(html, "summary");
        Assert.Equal(3, Regex.Matches(summary, "<tr class=").Count);
        Assert.Contains("<td class=\"domain\">fabrikam-labs.example</td>", summary);
        Assert.Contains("12 lookups", summary);
        // The missing key: a migration row and a record to publish, as a zone-file line and a command.
        Assert.Contains("<code>mail._domainkey.contoso-pharma.example</code>", Section(html, "migration"));
        var records = Section(html, "records");
        var key = rows.Single(r => r.Kind == MailAuthRecordKind.Dkim).RecordToPublish!;
        Assert.Contains(System.Net.WebUtility.HtmlEncode(key.ZoneFileLine), records);
        Assert.Contains("Add-DnsServerResourceRecord -ZoneName &#39;contoso-pharma.example&#39; -Name &#39;mail._domainkey&#39; -Txt", records);
        // SPF trees: the provider include under contoso-pharma.
        var spf = Section(html, "spf");
        Assert.Contains("spf.protection.outlook.example", spf);
        Assert.Contains("over the limit of 10", spf);
        // Findings grouped by severity.
        Assert.Contains("id=\"findings-error\"", html);
        Assert.Contains("SPF.TooManyLookups", Section(html, "findings"));
        AssertSelfContained(html);
    }

    [Fact]
    public void EverythingIsEncoded()
    {
        var evil = "<script>alert('x')</script>&\"";
        var record = PublishableRecord.CreateTxt("evil.example", "@", "v=spf1 include:<b>x</b> -all", TimeSpan.FromHours(1));
        var item = ReportItem.Create("evil.example", "Error<img>", new[]
        {
            new Finding("X.Evil", FindingSeverity.Error, "<Area>", evil, evil, evil, evil, record),
        }, kind: "<Kind>");
        var html = HtmlReportWriter.Render(new[] { item }, evil, When);
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<b>x</b>", html);
        Assert.DoesNotContain("<img>", html);
        Assert.DoesNotContain("<Area>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;", html);
        Assert.Single(Regex.Matches(html, "<script>"));
        AssertSelfContained(html);
    }

    [Fact]
    public void RecordsAreListedOnceAndLinkedFromFindings()
    {
        var record = PublishableRecord.CreateTxt("contoso.example", "_dmarc", "v=DMARC1; p=none", TimeSpan.FromHours(1));
        var a = ReportItem.Create("contoso.example", "Error", new[] { new Finding("DMARC.NoRecord", FindingSeverity.Error, "DMARC", "No DMARC record.", suggestedRecord: record) });
        var b = ReportItem.Create("Contoso.Example.", "Warning", new[] { new Finding("DMARC.NoRecord", FindingSeverity.Error, "DMARC", "No DMARC record.", suggestedRecord: record) });
        var html = HtmlReportWriter.Render(new[] { a, b }, null, When);
        Assert.Single(Regex.Matches(html, "class=\"record\""));
        Assert.Contains("<a href=\"#rec-1\">record 1</a>", html);
        Assert.Single(Regex.Matches(Section(html, "summary"), "<tr class="));
        Assert.Single(Regex.Matches(Section(html, "findings"), "DMARC.NoRecord"));
        Assert.Contains(HtmlReportWriter.DefaultTitle, html);
    }

    [Fact]
    public void BouncesAndEmptyReports()
    {
        var bounce = MailBounceAnalyzer.Analyze(BounceSamples.Microsoft515);
        var html = HtmlReportWriter.Render(new[] { ReportItem.FromBounce(bounce) }, null, When);
        Assert.Contains("5.7.515", Section(html, "bounces"));
        Assert.Contains("<td class=\"domain\">contoso-pharma.example</td>", Section(html, "summary"));

        var empty = HtmlReportWriter.Render(Array.Empty<ReportItem>(), null, When);
        Assert.Contains("No results were given", empty);
        Assert.Contains("Nothing to publish.", empty);
        AssertSelfContained(empty);
    }

    [Theory]
    [InlineData("Ok", ReportLevel.Ok)]
    [InlineData("Warning", ReportLevel.Warning)]
    [InlineData("NoRecord", ReportLevel.Error)]
    [InlineData("LookupFailed", ReportLevel.Failed)]
    [InlineData("Pass", ReportLevel.Ok)]
    [InlineData("", ReportLevel.Unknown)]
    [InlineData(null, ReportLevel.Unknown)]
    public void LevelsFromStatusWords(string? status, ReportLevel expected) =>
        Assert.Equal(expected, ReportItem.LevelOf(status));

    [Fact]
    public void FindingsRaiseTheLevel() =>
        Assert.Equal(ReportLevel.Error, ReportItem.LevelOf("Ok", new[] { new Finding("a", FindingSeverity.Error, "x", "m") }));

    [Fact]
    public void WindowsDnsCommands()
    {
        Assert.Equal("Add-DnsServerResourceRecord -ZoneName 'contoso.example' -Name '@' -Txt -DescriptiveText 'v=spf1 -all' -TimeToLive '01:00:00'",
            WindowsDnsCommand.For(PublishableRecord.CreateTxt("contoso.example", "@", "v=spf1 -all", TimeSpan.FromHours(1))));
        var longText = "v=DKIM1; k=rsa; p=" + new string('A', 300);
        var split = WindowsDnsCommand.For(PublishableRecord.CreateTxt("contoso.example", "s1._domainkey", longText, TimeSpan.FromHours(1)));
        Assert.Contains("-DescriptiveText ('v=DKIM1; k=rsa; p=AAA", split);
        Assert.Contains("' -join \"`r`n\")", split);
        Assert.Equal("Add-DnsServerResourceRecordCName -ZoneName 'contoso.example' -Name 'selector1._domainkey' -HostNameAlias 'selector1-x._domainkey.tenant.example' -TimeToLive '00:05:00'",
            WindowsDnsCommand.For(PublishableRecord.CreateCname("contoso.example", "selector1._domainkey", "selector1-x._domainkey.tenant.example", TimeSpan.FromMinutes(5))));
        Assert.Equal("Add-DnsServerResourceRecordMX -ZoneName 'contoso.example' -Name '@' -MailExchange '.' -Preference 0 -TimeToLive '01:00:00'",
            WindowsDnsCommand.For(PublishableRecord.CreateMx("contoso.example", "@", ".", 10, TimeSpan.FromHours(1))));
        Assert.Equal("'it''s'", WindowsDnsCommand.Quote("it's"));
        Assert.Equal("'a\u2019\u2019b'", WindowsDnsCommand.Quote("a\u2019b"));
    }

    /// <summary>The text of one section (from its id to the next section).</summary>
    private static string Section(string html, string id)
    {
        var start = html.IndexOf("<section id=\"" + id + "\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no section " + id);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html.Substring(start, end - start);
    }

    private static void AssertSelfContained(string html)
    {
        Assert.DoesNotMatch(new Regex(@"\b(?:src|href)\s*=\s*""(?!#)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", html);
        Assert.Contains("Content-Security-Policy", html);
    }
}
