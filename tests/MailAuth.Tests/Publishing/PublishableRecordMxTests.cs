using MailAuth.Publishing;
using MailAuth.Zone;
using Xunit;

namespace MailAuth.Tests.Publishing;

public class PublishableRecordMxTests
{
    [Fact]
    public void MxRecordCarriesTheAddDnsServerResourceRecordMxProperties()
    {
        var r = PublishableRecord.CreateMx("Contoso.Example.", "contoso.example", "MX1.Contoso.Example.", 10, TimeSpan.FromHours(1));
        Assert.Equal("contoso.example", r.ZoneName);
        Assert.Equal("@", r.Name);
        Assert.Equal("MX", r.RecordType);
        Assert.Equal("mx1.contoso.example", r.MailExchange);
        Assert.Equal((ushort)10, r.Preference);
        Assert.Equal("10 mx1.contoso.example", r.Value);
        Assert.Null(r.DescriptiveText);
        Assert.Null(r.HostNameAlias);
        Assert.Equal("@\t3600\tIN\tMX\t10 mx1.contoso.example.", r.ZoneFileLine);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    public void EmptyExchangeMakesANullMx(string exchange)
    {
        var r = PublishableRecord.CreateMx("parked.example", "@", exchange, 10, TimeSpan.FromHours(1));
        Assert.Equal(".", r.MailExchange);
        Assert.Equal((ushort)0, r.Preference);
        Assert.EndsWith("MX\t0 .", r.ZoneFileLine);
    }

    [Fact]
    public void MxZoneFileLineParsesBack()
    {
        var r = PublishableRecord.CreateMx("contoso.example", "@", "mail.contoso.example", 20, TimeSpan.FromMinutes(5));
        var parsed = ZoneFileParser.Parse(r.ZoneFileLine + "\n", "contoso.example");
        Assert.False(parsed.HasErrors);
        var mx = Assert.Single(parsed.Zone.Records);
        Assert.Equal((ushort)20, mx.Preference);
        Assert.Equal("mail.contoso.example", mx.Target);
        Assert.Equal("contoso.example", mx.Name);
    }

    [Fact]
    public void TxtRecordsHaveNoMxProperties()
    {
        var r = PublishableRecord.CreateTxt("contoso.example", "@", "v=spf1 -all", TimeSpan.FromHours(1));
        Assert.Null(r.MailExchange);
        Assert.Null(r.Preference);
    }
}
