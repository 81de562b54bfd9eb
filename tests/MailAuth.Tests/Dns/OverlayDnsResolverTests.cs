using MailAuth.Dns;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Dns;

public class OverlayDnsResolverTests
{
    [Fact]
    public async Task OverlayRecordsWinAndTheRestGoesToTheInnerResolver()
    {
        var inner = new DictionaryResolver()
            .Txt("_dmarc.contoso.example", "v=DMARC1; p=none")
            .Txt("contoso.example", "v=spf1 -all");
        var record = DnsResourceRecord.CreateText("_DMARC.Contoso.Example.", DnsRecordType.TXT, new[] { "v=DMARC1; p=reject" }, 300);
        var overlay = new OverlayDnsResolver(inner, new[] { record }, "pipeline");

        var dmarc = await overlay.QueryAsync("_dmarc.contoso.example", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Success, dmarc.Status);
        Assert.Equal("v=DMARC1; p=reject", Assert.Single(dmarc.Records).Text);
        Assert.Equal("pipeline", dmarc.Source);

        Assert.Equal("v=spf1 -all", Assert.Single((await overlay.QueryAsync("contoso.example", DnsRecordType.TXT)).Records).Text);
        // Another type at the overlay's name is the inner resolver's answer, not an invented NODATA.
        Assert.Equal(DnsLookupStatus.NoData, (await overlay.QueryAsync("_dmarc.contoso.example", DnsRecordType.CNAME)).Status);
        Assert.Contains(("contoso.example", DnsRecordType.TXT), inner.Queries);
        Assert.DoesNotContain(("_dmarc.contoso.example", DnsRecordType.TXT), inner.Queries);
    }

    [Fact]
    public async Task WithoutAnInnerResolverOtherNamesAreNotAvailable()
    {
        var overlay = new OverlayDnsResolver(null, Array.Empty<DnsResourceRecord>());
        var r = await overlay.QueryAsync("x.example", DnsRecordType.A);
        Assert.Equal(DnsLookupStatus.NotAvailableOffline, r.Status);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => overlay.QueryAsync("x.example", DnsRecordType.A, new CancellationToken(true)));
    }
}
