using MailAuth.Dmarc;
using MailAuth.Findings;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>The DMARC record parser against RFC 9989's grammar, tag definitions and examples.</summary>
public class DmarcRecordTests
{
    private static string[] Ids(DmarcRecord r) => r.Diagnostics.Select(d => d.Id).ToArray();

    [Fact]
    public void Rfc9989MonitoringExampleParses()
    {
        // RFC 9989, Domain Owner Example: "Entire Domain, Monitoring Only".
        var r = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com");
        Assert.True(r.IsDmarcRecord);
        Assert.Empty(r.Diagnostics);
        Assert.Equal("DMARC1", r.Version);
        Assert.Equal(DmarcPolicy.None, r.Policy);
        Assert.Null(r.SubdomainPolicy);
        Assert.Null(r.NonExistentSubdomainPolicy);
        Assert.False(r.Testing);
        Assert.Equal(DmarcAlignmentMode.Relaxed, r.DkimAlignment);
        Assert.Equal(DmarcAlignmentMode.Relaxed, r.SpfAlignment);
        Assert.Equal(DmarcPsdFlag.Unspecified, r.Psd);
        Assert.Equal("0", r.FailureReportOptions);
        var rua = Assert.Single(r.AggregateReportUris);
        Assert.True(rua.IsValid);
        Assert.Equal("mailto", rua.Scheme);
        Assert.Equal("dmarc-feedback@example.com", rua.Address);
        Assert.Equal("example.com", rua.Host);
        Assert.Equal(DmarcPolicy.None, r.EffectivePolicy);
        Assert.Equal(DmarcPolicy.None, r.EffectiveNonExistentSubdomainPolicy);
    }

    [Fact]
    public void Rfc9989ThirdPartyExampleParses()
    {
        // RFC 9989, "Per-Message Failure Reports Directed to Third Party" (the record as the zone file joins it).
        var r = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; ruf=mailto:auth-reports@thirdparty.example.net");
        Assert.Empty(r.Diagnostics);
        Assert.Equal("thirdparty.example.net", Assert.Single(r.FailureReportUris).Host);
    }

    [Fact]
    public void EveryTagIsTyped()
    {
        var r = DmarcRecord.Parse("v=DMARC1;p=reject;sp=quarantine;np=reject;psd=n;t=y;adkim=s;aspf=s;fo=d:s;rua=mailto:a@example.com, mailto:b@example.net;ruf=mailto:f@example.com;");
        Assert.Empty(r.Diagnostics);
        Assert.Equal(DmarcPolicy.Reject, r.Policy);
        Assert.Equal(DmarcPolicy.Quarantine, r.SubdomainPolicy);
        Assert.Equal(DmarcPolicy.Reject, r.NonExistentSubdomainPolicy);
        Assert.Equal(DmarcPsdFlag.No, r.Psd);
        Assert.True(r.Testing);
        Assert.Equal(DmarcAlignmentMode.Strict, r.DkimAlignment);
        Assert.Equal(DmarcAlignmentMode.Strict, r.SpfAlignment);
        Assert.Equal("d:s", r.FailureReportOptions);
        Assert.Equal(new[] { "a@example.com", "b@example.net" }, r.AggregateReportUris.Select(u => u.Address));
        Assert.Equal(11, r.Tags.Count);
        Assert.All(r.Tags, t => Assert.True(t.IsKnown));
        Assert.Equal(DmarcPolicy.Quarantine, r.EffectiveSubdomainPolicy);
        Assert.Equal(DmarcPolicy.Reject, r.EffectiveNonExistentSubdomainPolicy);
    }

    [Theory]
    [InlineData("v = DMARC1 ; p = reject ;")]
    [InlineData("v=DMARC1;\tp=reject")]
    [InlineData("v=DMARC1 ;p=reject; ")]
    public void WhitespaceAroundSeparatorsIsAllowed(string text)
    {
        var r = DmarcRecord.Parse(text);
        Assert.True(r.IsDmarcRecord);
        Assert.Equal(DmarcPolicy.Reject, r.Policy);
        Assert.DoesNotContain(r.Diagnostics, d => d.Severity >= FindingSeverity.Warning);
    }

    [Theory]
    [InlineData("p=reject; v=DMARC1", DmarcRecord.DiagnosticIds.VersionNotFirst)]
    [InlineData("v=dmarc1; p=reject", DmarcRecord.DiagnosticIds.InvalidVersion)]
    [InlineData("v=DMARC2; p=reject", DmarcRecord.DiagnosticIds.InvalidVersion)]
    [InlineData("p=reject", DmarcRecord.DiagnosticIds.NotDmarcRecord)]
    [InlineData("v=spf1 -all", DmarcRecord.DiagnosticIds.InvalidVersion)]
    [InlineData("spf1 -all", DmarcRecord.DiagnosticIds.NotDmarcRecord)]
    [InlineData("", DmarcRecord.DiagnosticIds.NotDmarcRecord)]
    public void RecordsThatReceiversDiscard(string text, string id)
    {
        var r = DmarcRecord.Parse(text);
        Assert.False(r.IsDmarcRecord);
        Assert.Contains(id, Ids(r));
        Assert.Null(r.EffectivePolicy);
        Assert.False(DmarcRecord.IsDmarcText(text));
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject", true)]
    [InlineData("p=reject; v=DMARC1", true)]
    [InlineData("v=dmarc1; p=none", true)]
    [InlineData("p=quarantine; rua=mailto:x@example.com", true)]
    [InlineData("v=spf1 include:_spf.example.com -all", false)]
    [InlineData("google-site-verification=abc", false)]
    public void LooksLikeDmarc(string text, bool expected) => Assert.Equal(expected, DmarcRecord.LooksLikeDmarc(text));

    [Fact]
    public void MissingPolicyWithRuaActsAsNone()
    {
        var r = DmarcRecord.Parse("v=DMARC1; rua=mailto:d@example.com");
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(DmarcRecord.DiagnosticIds.MissingPolicy, d.Id);
        Assert.Equal(FindingSeverity.Warning, d.Severity);
        Assert.Null(r.Policy);
        Assert.True(r.PolicyIsUnusable);
        Assert.Equal(DmarcPolicy.None, r.EffectivePolicy);
    }

    [Fact]
    public void MissingPolicyWithoutRuaMeansNoDmarc()
    {
        var r = DmarcRecord.Parse("v=DMARC1; sp=reject");
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(DmarcRecord.DiagnosticIds.MissingPolicy, d.Id);
        Assert.Equal(FindingSeverity.Error, d.Severity);
        Assert.Null(r.EffectivePolicy);
        Assert.Null(r.EffectiveSubdomainPolicy);
    }

    [Theory]
    [InlineData("v=DMARC1; p=block; rua=mailto:d@example.com", DmarcRecord.DiagnosticIds.InvalidPolicy, DmarcPolicy.None)]
    [InlineData("v=DMARC1; p=block", DmarcRecord.DiagnosticIds.InvalidPolicy, null)]
    [InlineData("v=DMARC1; p=; rua=mailto:d@example.com", DmarcRecord.DiagnosticIds.InvalidPolicy, DmarcPolicy.None)]
    [InlineData("v=DMARC1; p=reject; sp=rejected; rua=mailto:d@example.com", DmarcRecord.DiagnosticIds.InvalidValue, DmarcPolicy.None)]
    [InlineData("v=DMARC1; p=reject; np=drop", DmarcRecord.DiagnosticIds.InvalidValue, null)]
    public void InvalidPolicyTagsFallBackToNoneOrNothing(string text, string id, DmarcPolicy? effective)
    {
        var r = DmarcRecord.Parse(text);
        Assert.Contains(r.Diagnostics, d => d.Id == id && d.Severity == FindingSeverity.Error);
        Assert.True(r.PolicyIsUnusable);
        Assert.Equal(effective, r.EffectivePolicy);
        Assert.Equal(effective, r.EffectiveSubdomainPolicy);
        Assert.Equal(effective, r.EffectiveNonExistentSubdomainPolicy);
    }

    [Theory]
    [InlineData("adkim=x")]
    [InlineData("aspf=relaxed")]
    [InlineData("t=yes")]
    [InlineData("psd=maybe")]
    [InlineData("fo=2")]
    [InlineData("fo=d:d")]
    public void InvalidOptionalValuesUseDefaults(string tag)
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=reject; " + tag);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(DmarcRecord.DiagnosticIds.InvalidValue, d.Id);
        Assert.Equal(FindingSeverity.Warning, d.Severity);
        Assert.Equal("v=DMARC1; p=reject; ".Length + tag.IndexOf('=') + 1, d.Position);
        Assert.Equal(DmarcAlignmentMode.Relaxed, r.DkimAlignment);
        Assert.Equal(DmarcAlignmentMode.Relaxed, r.SpfAlignment);
        Assert.False(r.Testing);
        Assert.Equal(DmarcPsdFlag.Unspecified, r.Psd);
        Assert.Equal("0", r.FailureReportOptions);
        Assert.Equal(DmarcPolicy.Reject, r.EffectivePolicy);
    }

    [Fact]
    public void DuplicateAndUnknownTags()
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=reject; p=none; rau=mailto:d@example.com; foo=bar");
        Assert.Equal(new[] { DmarcRecord.DiagnosticIds.DuplicateTag, DmarcRecord.DiagnosticIds.UnknownTag, DmarcRecord.DiagnosticIds.UnknownTag }, Ids(r));
        Assert.Equal(DmarcPolicy.Reject, r.Policy); // the first one
        Assert.Contains("Did you mean rua=?", r.Diagnostics[1].Message);
        Assert.False(r.Tags.Single(t => t.Name == "foo").IsKnown);
    }

    [Fact]
    public void RemovedTagsAreReadAndFlagged()
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=quarantine; pct=25; rf=afrf; ri=3600; rua=mailto:d@example.com");
        Assert.Equal(25, r.Percentage);
        Assert.Equal("afrf", r.ReportFormat);
        Assert.Equal(3600, r.ReportInterval);
        Assert.Equal(3, r.Diagnostics.Count(d => d.Id == DmarcRecord.DiagnosticIds.RemovedTag));
        var pct = r.Diagnostics.Single(d => d.Tag == "pct");
        Assert.Equal(FindingSeverity.Warning, pct.Severity);
        Assert.Contains("RFC 7489 receivers apply the policy to 25%", pct.Message);
        Assert.All(r.Tags.Where(t => t.Name is "pct" or "rf" or "ri"), t => Assert.True(t.IsRemoved));
    }

    [Theory]
    [InlineData("pct=0", FindingSeverity.Warning)]
    [InlineData("pct=0; t=y", FindingSeverity.Information)]
    [InlineData("pct=100", FindingSeverity.Information)]
    public void PctZeroAndHundred(string tags, FindingSeverity severity)
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=reject; " + tags);
        Assert.Equal(severity, r.Diagnostics.Single(d => d.Id == DmarcRecord.DiagnosticIds.RemovedTag).Severity);
    }

    [Theory]
    [InlineData("pct=101")]
    [InlineData("pct=-1")]
    [InlineData("ri=soon")]
    public void InvalidRemovedValues(string tag)
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=reject; " + tag);
        Assert.Contains(DmarcRecord.DiagnosticIds.InvalidValue, Ids(r));
        Assert.Contains(DmarcRecord.DiagnosticIds.RemovedTag, Ids(r));
        Assert.Null(r.Percentage);
        Assert.Null(r.ReportInterval);
    }

    [Fact]
    public void ReportUriProblems()
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:a@example.com!10m, d@example.com, mailto:no-at, https://reports.example.net/dmarc,,mailto:b@exa mple.com");
        Assert.Equal(new[] { "10m", null, null, null, null }, r.AggregateReportUris.Select(u => u.SizeLimit));
        Assert.Equal(new[] { true, false, false, true, false }, r.AggregateReportUris.Select(u => u.IsValid));
        Assert.Equal("a@example.com", r.AggregateReportUris[0].Address);
        Assert.Contains("mailto:d@example.com", r.AggregateReportUris[1].Problem);
        Assert.Equal("reports.example.net", r.AggregateReportUris[3].Host);
        Assert.Single(r.Diagnostics, d => d.Id == DmarcRecord.DiagnosticIds.ObsoleteSizeLimit);
        Assert.Single(r.Diagnostics, d => d.Id == DmarcRecord.DiagnosticIds.NonMailtoUri);
        Assert.Equal(4, r.Diagnostics.Count(d => d.Id == DmarcRecord.DiagnosticIds.InvalidReportUri));
        Assert.True(r.HasUsableAggregateReportUri);
    }

    [Theory]
    [InlineData("mailto:dmarc@example.com", true, "dmarc@example.com")]
    [InlineData("MAILTO:Dmarc@Example.COM", true, "Dmarc@example.com")]
    [InlineData("mailto:dmarc%2Breports@example.com", true, "dmarc+reports@example.com")]
    [InlineData("mailto:a@b%21c.example", false, null)]
    [InlineData("mailto:reports@bücher.example", false, null)]
    [InlineData("mailto:reports@xn--bcher-kva.example?subject=x", true, "reports@xn--bcher-kva.example")]
    [InlineData("mailto:reports@localhost", false, null)]
    [InlineData("mailto:.a@example.com", false, null)]
    [InlineData("mailto:", false, null)]
    [InlineData("dmarc@example.com", false, null)]
    public void MailtoUris(string text, bool valid, string? address)
    {
        var u = DmarcReportUri.Parse(text);
        Assert.Equal(valid, u.IsValid);
        Assert.Equal(address, u.Address);
        Assert.Equal(valid, u.Problem is null);
    }

    [Theory]
    [InlineData("dmarc@example.com", "mailto:dmarc@example.com")]
    [InlineData(" mailto:dmarc@example.com ", "mailto:dmarc@example.com")]
    [InlineData("a!b@example.com", "mailto:a%21b@example.com")]
    [InlineData("https://r.example.net/x", "https://r.example.net/x")]
    public void PlainAddressesBecomeMailto(string input, string uri) => Assert.Equal(uri, DmarcReportUri.ToUri(input));

    [Fact]
    public void FoWithoutRufIsNoted()
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=none; fo=1");
        Assert.Equal(DmarcRecord.DiagnosticIds.FailureOptionsWithoutRuf, Assert.Single(r.Diagnostics).Id);
        Assert.Equal("1", r.FailureReportOptions);
    }

    [Fact]
    public void UpperCaseIsAcceptedWithAWarning()
    {
        var r = DmarcRecord.Parse("V=DMARC1; P=Reject; ADKIM=S");
        Assert.True(r.IsDmarcRecord);
        Assert.Equal(DmarcPolicy.Reject, r.Policy);
        Assert.Equal(DmarcAlignmentMode.Strict, r.DkimAlignment);
        Assert.All(r.Diagnostics, d => Assert.Equal(DmarcRecord.DiagnosticIds.UpperCase, d.Id));
        Assert.Equal(5, r.Diagnostics.Count); // V, P, Reject, ADKIM, S
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject;; rua=mailto:a@example.com", DmarcRecord.DiagnosticIds.EmptyTag)]
    [InlineData("v=DMARC1; p=reject; strict", DmarcRecord.DiagnosticIds.TagSyntax)]
    [InlineData("v=DMARC1; p=reject; a_b=c", DmarcRecord.DiagnosticIds.TagSyntax)]
    [InlineData("v=DMARC1; p=reject; =c", DmarcRecord.DiagnosticIds.TagSyntax)]
    [InlineData(" v=DMARC1; p=reject", DmarcRecord.DiagnosticIds.TagSyntax)]
    public void SyntaxProblems(string text, string id)
    {
        var r = DmarcRecord.Parse(text);
        Assert.True(r.IsDmarcRecord);
        Assert.Equal(id, Assert.Single(r.Diagnostics).Id);
        Assert.Equal(DmarcPolicy.Reject, r.EffectivePolicy);
    }

    [Fact]
    public void NonAsciiValuesAreInvalid()
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=reject; adkim=s\u00e9");
        Assert.Equal(DmarcRecord.DiagnosticIds.InvalidValue, Assert.Single(r.Diagnostics).Id);
    }
}
