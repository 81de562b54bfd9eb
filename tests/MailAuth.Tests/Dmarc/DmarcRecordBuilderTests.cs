using MailAuth.Dmarc;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>New-DmarcRecord's core: record text in RFC 9989 order, defaults left out, addresses made URIs, authorisation records.</summary>
public class DmarcRecordBuilderTests
{
    [Fact]
    public void MinimalRecord() =>
        Assert.Equal("v=DMARC1; p=none", DmarcRecordBuilder.Build(new DmarcRecordSpec { Policy = DmarcPolicy.None }));

    [Fact]
    public void EveryOptionInOrderAndTheResultParsesClean()
    {
        var text = DmarcRecordBuilder.Build(new DmarcRecordSpec
        {
            Policy = DmarcPolicy.Reject,
            SubdomainPolicy = DmarcPolicy.Quarantine,
            NonExistentSubdomainPolicy = DmarcPolicy.Reject,
            Testing = true,
            DkimAlignment = DmarcAlignmentMode.Strict,
            SpfAlignment = DmarcAlignmentMode.Strict,
            AggregateReportAddresses = new[] { "a@example.com", "mailto:b@example.net", "A@example.com" },
            FailureReportAddresses = new[] { "f@example.com" },
            FailureReportOptions = new[] { "d", "s", "d" },
        });
        Assert.Equal("v=DMARC1; p=reject; sp=quarantine; np=reject; t=y; adkim=s; aspf=s; rua=mailto:a@example.com,mailto:b@example.net; ruf=mailto:f@example.com; fo=d:s", text);
        var parsed = DmarcRecord.Parse(text);
        Assert.Empty(parsed.Diagnostics);
        Assert.Equal(2, parsed.AggregateReportUris.Count);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("mailto:a@example.com!10m")]
    [InlineData("a@localhost")]
    public void UnusableAddressesAreRefused(string address)
    {
        var ex = Assert.Throws<DmarcBuildException>(() => DmarcRecordBuilder.Build(new DmarcRecordSpec { Policy = DmarcPolicy.Reject, AggregateReportAddresses = new[] { address } }));
        Assert.Equal("InvalidReportAddress", ex.ErrorId);
    }

    [Fact]
    public void BadFailureOptionsAreRefused() =>
        Assert.Equal("InvalidFailureReportOptions", Assert.Throws<DmarcBuildException>(() =>
            DmarcRecordBuilder.Build(new DmarcRecordSpec { Policy = DmarcPolicy.Reject, FailureReportOptions = new[] { "x" } })).ErrorId);

    [Fact]
    public void AuthorizationRecordsForExternalDestinationsOnly()
    {
        var text = "v=DMARC1; p=reject; rua=mailto:a@contoso.co.uk,mailto:b@mail.contoso.co.uk,mailto:c@rua.vendor.example.com; ruf=mailto:d@rua.vendor.example.com,mailto:e@other.co.uk";
        var records = DmarcRecordBuilder.AuthorizationRecords("contoso.co.uk", text, TimeSpan.FromHours(2));
        Assert.Equal(new[] { "contoso.co.uk._report._dmarc.rua.vendor.example.com", "contoso.co.uk._report._dmarc.other.co.uk" }, records.Select(r => r.FullName));
        Assert.Equal(new[] { "example.com", "other.co.uk" }, records.Select(r => r.ZoneName));
        Assert.All(records, r => Assert.Equal("v=DMARC1;", r.Value));
        Assert.All(records, r => Assert.Equal(TimeSpan.FromHours(2), r.TimeToLive));
    }
}
