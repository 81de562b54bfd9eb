using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Findings;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestDns;

namespace MailAuth.Tests.Dkim;

public class DkimAnalyzerTests
{
    private static readonly string Rsa2048 = RsaSpki(2048);
    private const string Name = "s1._domainkey.contoso.com";

    private static DkimRecordReport Analyze(IDnsResolver resolver, string selector = "s1", string domain = "contoso.com") =>
        new DkimAnalyzer(resolver).AnalyzeAsync(domain, selector).GetAwaiter().GetResult();

    private static DkimRecordReport AnalyzeText(params string[] strings) => Analyze(Serve(Txt(Name, strings)));

    private static Finding One(DkimRecordReport r, string id) => Assert.Single(r.Findings, f => f.Id == id);

    [Fact]
    public void A2048BitKeyIsOk()
    {
        var value = "v=DKIM1; k=rsa; p=" + Rsa2048;
        var strings = MailAuth.Publishing.PublishableRecord.SplitCharacterStrings(value).ToArray();
        var r = Analyze(Serve(Txt(Name, strings)));
        Assert.Equal(DkimReportStatus.Ok, r.Status);
        Assert.Empty(r.Findings);
        Assert.True(r.Found);
        Assert.Equal(Name, r.Name);
        Assert.Equal("contoso.com", r.Domain);
        Assert.Equal("s1", r.Selector);
        Assert.Equal(value, r.Record);
        Assert.Equal(2, r.RecordStrings.Count);
        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Equal(2048, r.KeyBits);
        Assert.Equal("DKIM1", r.Version);
        Assert.Equal(Rsa2048, r.PublicKey);
        Assert.Equal(DnsLookupStatus.Success, r.LookupStatus);
        Assert.Null(r.CnameTarget);
        Assert.Null(r.Provider);
        Assert.Equal(new[] { "v", "k", "p" }, r.Tags.Select(t => t.Name));
    }

    [Fact]
    public void A1024BitKeyIsAWarning()
    {
        var r = AnalyzeText("v=DKIM1; p=" + DkimKeyRecordTests.Rsa1024Spki);
        Assert.Equal(DkimReportStatus.Warning, r.Status);
        Assert.Equal(FindingSeverity.Warning, One(r, "DKIM.Key1024").Severity);
        Assert.Equal(1024, r.KeyBits);
    }

    [Fact]
    public void A512BitKeyIsAnError()
    {
        var r = AnalyzeText("v=DKIM1; p=" + RsaSpki(512));
        Assert.Equal(DkimReportStatus.Error, r.Status);
        var f = One(r, "DKIM.KeyTooSmall");
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Equal("RFC 8301 §3.2", f.Reference);
        Assert.Equal("DKIM", f.Area);
    }

    [Fact]
    public void TestingModeAndFlags()
    {
        var r = AnalyzeText("v=DKIM1; t=y:s; p=" + Rsa2048);
        Assert.Equal(DkimReportStatus.Warning, r.Status);
        One(r, "DKIM.TestingMode");
        Assert.True(r.Testing);
        Assert.True(r.StrictSubdomains);
    }

    [Fact]
    public void RevokedKey()
    {
        var r = AnalyzeText("v=DKIM1; k=rsa; p=");
        Assert.Equal(DkimReportStatus.Revoked, r.Status);
        Assert.True(r.Revoked);
        One(r, "DKIM.Revoked");
        Assert.Null(r.KeyBits);
    }

    [Fact]
    public void Sha1OnlyKey()
    {
        var r = AnalyzeText("v=DKIM1; h=sha1; p=" + Rsa2048);
        Assert.Equal(DkimReportStatus.Error, r.Status);
        One(r, "DKIM.Sha1Only");
        Assert.Equal(new[] { "sha1" }, r.HashAlgorithms);
    }

    [Theory]
    [InlineData("v=DKIM1; k=foo; p=AAAA", "DKIM.UnknownKeyType")]
    [InlineData("v=DKIM2; p=AAAA", "DKIM.InvalidVersion")]
    [InlineData("v=DKIM1; k=ed25519; p=AAAA", "DKIM.Ed25519KeyLength")]
    [InlineData("v=DKIM1; p=AAA*", "DKIM.InvalidBase64")]
    [InlineData("v=DKIM1; p=dGhpcyBpcyBub3QgYSBrZXk=", "DKIM.MalformedKey")]
    [InlineData("v=DKIM1; p=AAAA; p=AAAA", "DKIM.DuplicateTag")]
    public void RecordErrorsBecomeFindings(string text, string id)
    {
        var r = AnalyzeText(text);
        Assert.Equal(DkimReportStatus.Error, r.Status);
        var f = One(r, id);
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.NotNull(f.Remediation);
    }

    [Fact]
    public void NxDomainIsNoRecord()
    {
        var r = Analyze(Serve(Txt("other._domainkey.contoso.com", "v=DKIM1; p=")));
        Assert.Equal(DkimReportStatus.NoRecord, r.Status);
        Assert.False(r.Found);
        Assert.Equal(DnsLookupStatus.NxDomain, r.LookupStatus);
        Assert.Contains("does not exist", One(r, "DKIM.NoRecord").Message);
    }

    [Fact]
    public void NoDataIsNoRecord()
    {
        var r = Analyze(Serve(Mx(Name, "mail.contoso.com")));
        Assert.Equal(DkimReportStatus.NoRecord, r.Status);
        Assert.Equal(DnsLookupStatus.NoData, r.LookupStatus);
        One(r, "DKIM.NoRecord");
    }

    [Theory]
    [InlineData("selector1-contoso-com._domainkey.contoso.onmicrosoft.com", "Microsoft 365")]
    [InlineData("selector1-contoso-com._domainkey.contoso.r-v1.dkim.mail.microsoft", "Microsoft 365")]
    [InlineData("s1.domainkey.u123.wl.sendgrid.net", "SendGrid")]
    [InlineData("dkim.mcsv.net", "Mailchimp")]
    [InlineData("abc123.dkim.amazonses.com", "Amazon SES")]
    [InlineData("fm1.contoso.com.dkim.fmhosted.com", "Fastmail")]
    [InlineData("protonmail.domainkey.abc.domains.proton.ch", "Proton Mail")]
    public void CnameTargetAndProvider(string target, string provider)
    {
        var r = Analyze(Serve(Cname(Name, target), Txt(target, "v=DKIM1; k=rsa; p=" + Rsa2048)));
        Assert.Equal(DkimReportStatus.Ok, r.Status);
        Assert.Equal(target, r.CnameTarget);
        Assert.Equal(provider, r.Provider);
        Assert.Equal(2048, r.KeyBits);
    }

    [Fact]
    public void CnameWhoseTargetHasNoKey()
    {
        var target = "selector1-contoso-com._domainkey.contoso.onmicrosoft.com";
        var r = Analyze(Serve(Cname(Name, target), Txt("other.onmicrosoft.com", "x")));
        Assert.Equal(DkimReportStatus.NoRecord, r.Status);
        Assert.True(r.Found);
        var f = One(r, "DKIM.CnameTargetMissing");
        Assert.Contains(target, f.Message);
        Assert.Contains("Microsoft 365", f.Remediation);
        Assert.Contains("proxied", f.Remediation);
        Assert.Equal(target, f.Term);
    }

    [Fact]
    public void SeveralKeyRecords()
    {
        var r = Analyze(Serve(Txt(Name, "v=DKIM1; p=" + Rsa2048), Txt(Name, "v=DKIM1; p=" + DkimKeyRecordTests.Rsa1024Spki)));
        Assert.Equal(DkimReportStatus.Error, r.Status);
        One(r, "DKIM.MultipleRecords");
        Assert.Equal(2, r.AllRecords.Count);
    }

    [Fact]
    public void QuotesInsideTheKeyLookLikeABadSplit()
    {
        var half = Rsa2048.Length / 2;
        var r = AnalyzeText("v=DKIM1; k=rsa; p=" + Rsa2048.Substring(0, half) + "\" \"" + Rsa2048.Substring(half));
        Assert.Equal(DkimReportStatus.Error, r.Status);
        Assert.Equal(FindingSeverity.Error, One(r, "DKIM.SplitLooksWrong").Severity);
        Assert.DoesNotContain(r.Findings, f => f.Id == "DKIM.InvalidBase64");
    }

    [Fact]
    public void SpacesInsideTheKeyAreAWarningButTheKeyWorks()
    {
        var half = Rsa2048.Length / 2;
        var r = AnalyzeText("v=DKIM1; k=rsa; p=" + Rsa2048.Substring(0, half), " " + Rsa2048.Substring(half));
        Assert.Equal(DkimReportStatus.Warning, r.Status);
        Assert.Equal(FindingSeverity.Warning, One(r, "DKIM.SplitLooksWrong").Severity);
        Assert.Equal(2048, r.KeyBits);
    }

    [Fact]
    public void OnlyTheFirst255OctetsPublished()
    {
        var value = "v=DKIM1; k=rsa; p=" + Rsa2048;
        var first = MailAuth.Publishing.PublishableRecord.SplitCharacterStrings(value)[0];
        // Cut at a base64 quantum so the text is still valid base64: the DER length gives the truncation away.
        first = first.Substring(0, 18 + (first.Length - 18) / 4 * 4);
        var r = AnalyzeText(first);
        Assert.Equal(DkimReportStatus.Error, r.Status);
        var f = One(r, "DKIM.SplitLooksWrong");
        Assert.Contains("ends early", f.Message);
        Assert.Contains("255-octet", f.Message);
        Assert.DoesNotContain(r.Findings, x => x.Id == "DKIM.MalformedKey");
    }

    [Fact]
    public void KeySplitIntoTwoRecords()
    {
        var cut = 200;
        var r = Analyze(Serve(Txt(Name, "v=DKIM1; k=rsa; p=" + Rsa2048.Substring(0, cut)), Txt(Name, Rsa2048.Substring(cut))));
        Assert.Equal(DkimReportStatus.Error, r.Status);
        Assert.Contains("separate TXT records", One(r, "DKIM.SplitLooksWrong").Message);
        Assert.DoesNotContain(r.Findings, x => x.Id == "DKIM.MultipleRecords");
    }

    [Theory]
    [InlineData(DnsLookupStatus.Timeout)]
    [InlineData(DnsLookupStatus.ServerFailure)]
    [InlineData(DnsLookupStatus.NotAvailableOffline)]
    public void LookupFailure(DnsLookupStatus status)
    {
        var r = Analyze(new StatusResolver(status));
        Assert.Equal(DkimReportStatus.LookupFailed, r.Status);
        Assert.Equal(status, r.LookupStatus);
        One(r, "DKIM.LookupFailed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad selector")]
    [InlineData("a..b")]
    public void InvalidSelectorIsReportedWithoutALookup(string selector)
    {
        var resolver = new StatusResolver(DnsLookupStatus.Success);
        var r = Analyze(resolver, selector);
        Assert.Equal(DkimReportStatus.Error, r.Status);
        One(r, "DKIM.InvalidSelector");
        Assert.Equal(0, resolver.Count);
    }

    [Fact]
    public void AnalyzeRecordJudgesTextWithoutDns()
    {
        var r = DkimAnalyzer.AnalyzeRecord("contoso.com", "mail", "v=DKIM1; k=ed25519; p=" + DkimKeyRecordTests.Ed25519Key);
        Assert.Equal(DkimReportStatus.Ok, r.Status);
        Assert.Equal(DkimKeyType.Ed25519, r.KeyType);
        Assert.Equal("mail._domainkey.contoso.com", r.Name);
    }

    [Fact]
    public void SelectorWithDotsAndUpperCase()
    {
        var r = Analyze(Serve(Txt("a.b._domainkey.contoso.com", "v=DKIM1; p=" + Rsa2048)), "A.B", "Contoso.COM.");
        Assert.Equal(DkimReportStatus.Ok, r.Status);
        Assert.Equal("a.b._domainkey.contoso.com", r.Name);
    }
}
