using System.Net;
using MailAuth.Audit;
using MailAuth.Dns;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Audit;

public class ReverseDnsCheckerTests
{
    [Fact]
    public async Task APtrThatResolvesBackIsConfirmed()
    {
        var dns = new DictionaryResolver().Ptr("192.0.2.25", "relay.contoso.example").A("relay.contoso.example", "192.0.2.25");
        var r = await new ReverseDnsChecker(dns).CheckAsync(IPAddress.Parse("192.0.2.25"));
        Assert.Equal(ReverseDnsStatus.Confirmed, r.Status);
        Assert.Equal("25.2.0.192.in-addr.arpa", r.ReverseName);
        Assert.Equal(new[] { "relay.contoso.example" }, r.ConfirmedNames);
        Assert.Contains("resolves back", r.Evidence);
    }

    [Fact]
    public async Task APtrThatPointsElsewhereIsNotConfirmed()
    {
        var dns = new DictionaryResolver().Ptr("192.0.2.25", "relay.contoso.example").A("relay.contoso.example", "192.0.2.99");
        var r = await new ReverseDnsChecker(dns).CheckAsync(IPAddress.Parse("192.0.2.25"));
        Assert.Equal(ReverseDnsStatus.NotConfirmed, r.Status);
        Assert.Empty(r.ConfirmedNames);
        Assert.Equal(new[] { "relay.contoso.example" }, r.PtrNames);
    }

    [Fact]
    public async Task NoPtr()
    {
        var r = await new ReverseDnsChecker(new DictionaryResolver()).CheckAsync(IPAddress.Parse("198.51.100.7"));
        Assert.Equal(ReverseDnsStatus.NoPtr, r.Status);
        Assert.Equal(DnsLookupStatus.NxDomain, r.LookupStatus);
    }

    [Fact]
    public async Task FailedLookup()
    {
        var dns = new DictionaryResolver().Fail("7.100.51.198.in-addr.arpa", DnsLookupStatus.ServerFailure);
        var r = await new ReverseDnsChecker(dns).CheckAsync(IPAddress.Parse("198.51.100.7"));
        Assert.Equal(ReverseDnsStatus.LookupFailed, r.Status);
    }

    [Fact]
    public async Task IPv6UsesNibblesAndAaaa()
    {
        var dns = new DictionaryResolver().Ptr("2001:db8::25", "relay.contoso.example").Aaaa("relay.contoso.example", "2001:db8::25");
        var r = await new ReverseDnsChecker(dns).CheckAsync(IPAddress.Parse("2001:db8::25"));
        Assert.Equal(ReverseDnsStatus.Confirmed, r.Status);
        Assert.EndsWith(".8.b.d.0.1.0.0.2.ip6.arpa", r.ReverseName);
        Assert.StartsWith("5.2.0.0.", r.ReverseName);
    }

    [Fact]
    public async Task AMappedAddressIsCheckedAsIPv4()
    {
        var dns = new DictionaryResolver().Ptr("192.0.2.25", "relay.contoso.example").A("relay.contoso.example", "192.0.2.25");
        var r = await new ReverseDnsChecker(dns).CheckAsync(IPAddress.Parse("::ffff:192.0.2.25"));
        Assert.Equal(ReverseDnsStatus.Confirmed, r.Status);
        Assert.Equal(IPAddress.Parse("192.0.2.25"), r.Address);
    }
}
