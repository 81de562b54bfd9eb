using MailAuth.Dns;
using MailAuth.Publishing;
using Xunit;

namespace MailAuth.Tests;

public class PublishableRecordTests
{
    [Fact]
    public void LongValueIsSplitInto255OctetStrings()
    {
        var value = new string('a', 410);
        var record = PublishableRecord.CreateTxt("contoso.com", "mail._domainkey.contoso.com", value, TimeSpan.FromHours(1));
        Assert.Equal(new[] { 255, 155 }, record.Strings.Select(s => s.Length));
        Assert.Equal(value, record.Value);
        Assert.Equal(record.Strings[0] + "\r\n" + record.Strings[1], record.DescriptiveText);
        Assert.Equal("mail._domainkey", record.Name);
        Assert.StartsWith("mail._domainkey\t3600\tIN\tTXT\t\"aaa", record.ZoneFileLine);
    }

    [Fact]
    public void ApexIsAt()
    {
        var record = PublishableRecord.CreateTxt("contoso.com.", "contoso.com", "v=spf1 -all", TimeSpan.FromHours(1));
        Assert.Equal("@", record.Name);
        Assert.Equal("v=spf1 -all", record.DescriptiveText);
        Assert.Equal("@\t3600\tIN\tTXT\t\"v=spf1 -all\"", record.ZoneFileLine);
    }

    [Theory]
    [InlineData("contoso.com", true)]
    [InlineData("Contoso.COM.", true)]
    [InlineData("_dmarc.contoso.com", true)]
    [InlineData("contoso..com", false)]
    [InlineData("-bad.com", false)]
    [InlineData("con toso.com", false)]
    [InlineData("", false)]
    public void DomainValidation(string input, bool valid)
    {
        Assert.Equal(valid, DnsName.TryNormalizeDomain(input, out _, out var reason));
        Assert.Equal(valid, reason is null);
    }
}
