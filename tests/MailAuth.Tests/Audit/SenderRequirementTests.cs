using MailAuth.Audit;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Audit;

public class SenderRequirementTests
{
    private static Task<MailAuthAuditResult> Audit(DictionaryResolver dns, string domain, SenderRequirementProvider p, IEnumerable<string>? selectors = null, IEnumerable<string>? ips = null) =>
        new MailAuthAuditor(dns, new MailAuthAuditOptions { DmarcCheck = new FakeDmarcCheck(), Requirements = p }).AuditAsync(new MailAuthAuditRequest(domain, selectors, ips));

    [Theory]
    [InlineData("Google", SenderRequirementProvider.Google)]
    [InlineData("yahoo", SenderRequirementProvider.Yahoo)]
    [InlineData("Microsoft", SenderRequirementProvider.Microsoft)]
    [InlineData("ALL", SenderRequirementProvider.All)]
    public void ProviderNamesParse(string text, SenderRequirementProvider expected)
    {
        Assert.True(SenderRequirementEvaluator.TryParseProvider(text, out var p));
        Assert.Equal(expected, p);
        Assert.False(SenderRequirementEvaluator.TryParseProvider("AOL", out _));
    }

    [Fact]
    public async Task OneVerdictPerRuleWithEvidence()
    {
        var r = await Audit(new DictionaryResolver().GoodDomain("contoso.example"), "contoso.example", SenderRequirementProvider.All);
        Assert.Equal(new[] { "Google", "Yahoo", "Microsoft" }, r.Requirements.Select(x => x.Provider).Distinct());
        Assert.Equal(r.Requirements.Count, r.Requirements.Select(x => x.Id).Distinct().Count());
        Assert.All(r.Requirements, x => Assert.False(string.IsNullOrWhiteSpace(x.Evidence)));
        Assert.Equal("Google, Yahoo, Microsoft", r.RequirementsChecked);
        Assert.Equal(0, r.RequirementsFailed);
        Assert.Equal(RequirementVerdict.Pass, r.Requirements.Single(x => x.Id == "Google.SpfAndDkim").Verdict);
        Assert.Equal(RequirementVerdict.Pass, r.Requirements.Single(x => x.Id == "Yahoo.DmarcRecord").Verdict);
    }

    [Fact]
    public async Task RulesDnsCannotProveSaySo()
    {
        var r = await Audit(new DictionaryResolver().GoodDomain("contoso.example"), "contoso.example", SenderRequirementProvider.All);
        foreach (var id in new[] { "Google.OneClickUnsubscribe", "Google.SpamRate", "Google.Alignment", "Google.Tls", "Yahoo.SpamRate", "Microsoft.ListHygiene" })
            Assert.Equal(RequirementVerdict.NotVerifiable, r.Requirements.Single(x => x.Id == id).Verdict);
        // Without sending IPs, reverse DNS cannot be judged either.
        Assert.Equal(RequirementVerdict.NotVerifiable, r.Requirements.Single(x => x.Id == "Google.ReverseDns").Verdict);
    }

    [Fact]
    public async Task MissingDmarcFailsTheDmarcRulesOfEveryProvider()
    {
        var dns = new DictionaryResolver().Mx("contoso.example", 10, "mx.contoso.example").A("mx.contoso.example", "192.0.2.1").Txt("contoso.example", "v=spf1 ip4:192.0.2.0/24 -all");
        var r = await Audit(dns, "contoso.example", SenderRequirementProvider.All);
        Assert.All(r.Requirements.Where(x => x.Id.EndsWith(".DmarcRecord")), x => Assert.Equal(RequirementVerdict.Fail, x.Verdict));
        Assert.Equal(3, r.Requirements.Count(x => x.Id.EndsWith(".DmarcRecord")));
    }

    [Fact]
    public async Task SpfWithoutDkimPassesGooglesEitherRuleAndFailsTheBulkRule()
    {
        var dns = new DictionaryResolver().Mx("contoso.example", 10, "mx.contoso.example").A("mx.contoso.example", "192.0.2.1")
            .Txt("contoso.example", "v=spf1 ip4:192.0.2.0/24 -all").Txt("_dmarc.contoso.example", "v=DMARC1; p=none");
        var r = await Audit(dns, "contoso.example", SenderRequirementProvider.Google, new[] { "s1" });
        Assert.Equal(RequirementVerdict.Pass, r.Requirements.Single(x => x.Id == "Google.SpfOrDkim").Verdict);
        Assert.Equal(RequirementVerdict.Fail, r.Requirements.Single(x => x.Id == "Google.SpfAndDkim").Verdict);
        Assert.Contains("s1", r.Requirements.Single(x => x.Id == "Google.SpfAndDkim").Evidence);
    }

    [Fact]
    public async Task MicrosoftOnlyRecommendsReverseDns()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example");
        var r = await Audit(dns, "contoso.example", SenderRequirementProvider.All, ips: new[] { "192.0.2.77" });
        Assert.Equal(RequirementVerdict.Fail, r.Requirements.Single(x => x.Id == "Google.ReverseDns").Verdict);
        Assert.Equal(RequirementVerdict.Fail, r.Requirements.Single(x => x.Id == "Yahoo.ReverseDns").Verdict);
        Assert.Equal(RequirementVerdict.Warning, r.Requirements.Single(x => x.Id == "Microsoft.ReverseDns").Verdict);
        Assert.Contains("192.0.2.77", r.Requirements.Single(x => x.Id == "Google.ReverseDns").Evidence);
    }

    [Fact]
    public async Task WithoutRequirementsNoneAreEvaluated()
    {
        var r = await Audit(new DictionaryResolver().GoodDomain("contoso.example"), "contoso.example", SenderRequirementProvider.None);
        Assert.Empty(r.Requirements);
        Assert.Equal(string.Empty, r.RequirementsChecked);
    }
}
