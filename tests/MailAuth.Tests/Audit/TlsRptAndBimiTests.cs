using MailAuth.Audit;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Audit;

public class TlsRptTests
{
    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:tls@contoso.example", 1)]
    [InlineData("v=TLSRPTv1;rua=mailto:tls@contoso.example,https://reports.contoso.example/tls", 2)]
    [InlineData("v=TLSRPTv1; rua=mailto:tls@contoso.example; ext=1;", 1)]
    public void ValidRecords(string text, int uris)
    {
        var r = TlsRptRecord.Parse(text);
        Assert.True(r.IsValid, string.Join(" | ", r.Diagnostics));
        Assert.Equal(uris, r.ReportUris.Count);
    }

    [Theory]
    [InlineData("v=TLSRPTv1;", "TLSRPT.MissingRua")]
    [InlineData("v=TLSRPTv1; rua=tls@contoso.example", "TLSRPT.InvalidRua")]
    [InlineData("v=TLSRPTv1; rua=http://reports.contoso.example/", "TLSRPT.InvalidRua")]
    [InlineData("v=tlsrptv1; rua=mailto:a@b.example", "TLSRPT.InvalidVersion")]
    public void InvalidRecords(string text, string id)
    {
        var r = TlsRptRecord.Parse(text);
        Assert.False(r.IsValid);
        Assert.Contains(r.Diagnostics, d => d.Id == id);
    }

    [Fact]
    public async Task CheckerReportsPublishedAndMissingRecords()
    {
        var dns = new DictionaryResolver().Txt("_smtp._tls.contoso.example", "v=TLSRPTv1; rua=mailto:tls@contoso.example").Txt("fabrikam.example", "x");
        var checker = new PolicyRecordChecker(dns, null);
        var ok = await checker.CheckTlsRptAsync("contoso.example", hasMtaSts: true);
        Assert.Equal(PolicyRecordStatus.Ok, ok.Status);
        Assert.Equal("_smtp._tls.contoso.example", ok.Name);

        var missingWithSts = await checker.CheckTlsRptAsync("fabrikam.example", hasMtaSts: true);
        Assert.Equal(PolicyRecordStatus.NotPublished, missingWithSts.Status);
        var f = Assert.Single(missingWithSts.Findings);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal("_smtp._tls", f.SuggestedRecord!.Name);
        Assert.StartsWith("v=TLSRPTv1; rua=mailto:", f.SuggestedRecord.Value);

        var missing = await checker.CheckTlsRptAsync("fabrikam.example", hasMtaSts: false);
        Assert.Equal(FindingSeverity.Information, Assert.Single(missing.Findings).Severity);
    }

    [Fact]
    public async Task TwoRecordsAreAnError()
    {
        var dns = new DictionaryResolver().Txt("_smtp._tls.contoso.example", "v=TLSRPTv1; rua=mailto:a@contoso.example").Txt("_smtp._tls.contoso.example", "v=TLSRPTv1; rua=mailto:b@contoso.example");
        var r = await new PolicyRecordChecker(dns, null).CheckTlsRptAsync("contoso.example", false);
        Assert.Equal(PolicyRecordStatus.Error, r.Status);
    }
}

public class BimiTests
{
    [Fact]
    public void AValidRecordWithCertificate()
    {
        var r = BimiRecord.Parse("v=BIMI1; l=https://brand.contoso.example/logo.svg; a=https://brand.contoso.example/vmc.pem");
        Assert.True(r.IsValid, string.Join(" | ", r.Diagnostics));
        Assert.Equal("https://brand.contoso.example/logo.svg", Assert.Single(r.LogoUris));
        Assert.Equal("https://brand.contoso.example/vmc.pem", r.AuthorityUri);
        Assert.False(r.IsDeclination);
    }

    [Fact]
    public void ADeclinationRecord()
    {
        var r = BimiRecord.Parse("v=BIMI1; l=; a=;");
        Assert.True(r.IsValid);
        Assert.True(r.IsDeclination);
    }

    [Theory]
    [InlineData("v=BIMI1; l=http://brand.contoso.example/logo.svg", "BIMI.InvalidLogoUri", true)]
    [InlineData("v=BIMI1; l=https://brand.contoso.example/logo.png", "BIMI.LogoNotSvg", false)]
    [InlineData("v=BIMI1; l=https://b.example/l.svg; a=ftp://b.example/vmc.pem", "BIMI.InvalidAuthorityUri", true)]
    [InlineData("l=https://b.example/l.svg", "BIMI.InvalidVersion", true)]
    public void Problems(string text, string id, bool isError)
    {
        var r = BimiRecord.Parse(text);
        var d = Assert.Single(r.Diagnostics, x => x.Id == id);
        Assert.Equal(isError, d.IsError);
    }

    [Fact]
    public async Task CheckerReadsDefaultBimi()
    {
        var dns = new DictionaryResolver().Txt("default._bimi.contoso.example", "v=BIMI1; l=https://brand.contoso.example/logo.svg");
        var r = await new PolicyRecordChecker(dns, null).CheckBimiAsync("contoso.example");
        Assert.Equal(PolicyRecordStatus.Ok, r.Status);
        Assert.Contains(r.Findings, f => f.Id == "BIMI.NoAuthority" && f.Severity == FindingSeverity.Information);
        var none = await new PolicyRecordChecker(dns, null).CheckBimiAsync("fabrikam.example");
        Assert.Equal(PolicyRecordStatus.NotPublished, none.Status);
        Assert.Empty(none.Findings);
    }
}
