using System.Net;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

public class IpNetworkTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.77", true)]
    [InlineData("192.0.2.0/24", "192.0.3.1", false)]
    [InlineData("192.0.2.1/24", "192.0.2.200", true)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("192.0.2.128/25", "192.0.2.127", false)]
    [InlineData("192.0.2.128/25", "192.0.2.128", true)]
    [InlineData("192.0.2.5", "192.0.2.5", true)]
    [InlineData("192.0.2.5", "192.0.2.6", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("cafe:babe:8000::/33", "cafe:babe:8000::", true)]
    [InlineData("cafe:babe:8000::/33", "cafe:babe:7fff::", false)]
    [InlineData("::/0", "1234::1", true)]
    // IPv4-mapped IPv6 clients are IPv4 clients (RFC 7208 §5).
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.10", true)]
    [InlineData("::/0", "::ffff:192.0.2.10", false)]
    [InlineData("::ffff:0:0/96", "::ffff:192.0.2.10", false)]
    [InlineData("::/0", "192.0.2.10", false)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    public void Contains(string network, string address, bool expected)
    {
        var n = IpNetwork.Parse(network);
        Assert.Equal(expected, n.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("192.0.2.0/33")]
    [InlineData("192.0.2.0/024")]
    [InlineData("192.0.2/24")]
    [InlineData("192.0.2.256")]
    [InlineData("192.0.02.1")]
    [InlineData("2001:db8::/129")]
    [InlineData("2001:db8::1::2")]
    [InlineData("fe80::1%2")]
    [InlineData("[2001:db8::1]")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("/24")]
    [InlineData("192.0.2.0/")]
    public void RejectsMalformedInput(string? text)
    {
        Assert.False(IpNetwork.TryParse(text, out _));
    }

    [Fact]
    public void NetworkAddressClearsHostBits()
    {
        var n = IpNetwork.Parse("192.0.2.77/24");
        Assert.Equal(IPAddress.Parse("192.0.2.77"), n.Address);
        Assert.Equal(IPAddress.Parse("192.0.2.0"), n.NetworkAddress);
        Assert.Equal("192.0.2.77/24", n.ToString());
        Assert.Equal(IPAddress.Parse("2001:db8::"), IpNetwork.Parse("2001:db8::1/64").NetworkAddress);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), IpNetwork.Unmap(IPAddress.Parse("::ffff:192.0.2.1")));
    }
}
