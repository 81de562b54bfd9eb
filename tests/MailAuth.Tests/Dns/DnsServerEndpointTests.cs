using System.Net;
using System.Net.Sockets;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

public class DnsServerEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData(" 127.0.0.1:5353 ", "127.0.0.1", 5353)]
    [InlineData("192.0.2.53:53", "192.0.2.53", 53)]
    [InlineData("::1", "::1", 53)]
    [InlineData("2001:db8::53", "2001:db8::53", 53)]
    [InlineData("[::1]", "::1", 53)]
    [InlineData("[::1]:5353", "::1", 5353)]
    [InlineData("[2001:db8::53]:65535", "2001:db8::53", 65535)]
    public void ParsesAddressesAndPorts(string text, string address, int port)
    {
        Assert.True(DnsServerEndpoint.TryParse(text, out var endpoint, out var error), error);
        Assert.Null(error);
        Assert.Equal(IPAddress.Parse(address), endpoint!.Address);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint.ToIPEndPoint());
    }

    [Fact]
    public void HostNamesAreResolvedWhenParsed()
    {
        // localhost comes from the hosts file, not from any DNS server.
        Assert.True(DnsServerEndpoint.TryParse("localhost:5353", out var endpoint, out var error), error);
        Assert.True(IPAddress.IsLoopback(endpoint!.Address));
        Assert.Equal(5353, endpoint.Port);
        Assert.Equal("localhost", endpoint.Host);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(null, "empty")]
    [InlineData("127.0.0.1:0", "port")]
    [InlineData("127.0.0.1:65536", "port")]
    [InlineData("127.0.0.1:dns", "port")]
    [InlineData("127.0.0.1:", "port")]
    [InlineData("127.0.0.1:-5", "port")]
    [InlineData("[::1", "]")]
    [InlineData("[::1]5353", "]")]
    [InlineData("[127.0.0.1]:53", "IPv6")]
    [InlineData(":53", "no host")]
    [InlineData("bad host!", "neither")]
    [InlineData("dns..contoso.example", "neither")]
    public void RejectsBadInputWithAReason(string? text, string reasonPart)
    {
        Assert.False(DnsServerEndpoint.TryParse(text, out var endpoint, out var error));
        Assert.Null(endpoint);
        Assert.Contains(reasonPart, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ParseThrowsFormatExceptionWithTheReason()
    {
        var ex = Assert.Throws<FormatException>(() => DnsServerEndpoint.Parse("127.0.0.1:99999"));
        Assert.Contains("99999", ex.Message);
    }

    [Fact]
    public void FormatsWithBracketsForIPv6()
    {
        Assert.Equal("127.0.0.1:53", DnsServerEndpoint.Parse("127.0.0.1").ToString());
        Assert.Equal("[::1]:5353", DnsServerEndpoint.Parse("[::1]:5353").ToString());
        Assert.Equal(AddressFamily.InterNetworkV6, DnsServerEndpoint.Parse("::1").Address.AddressFamily);
    }

    [Fact]
    public void EqualityIsByAddressAndPort()
    {
        Assert.Equal(DnsServerEndpoint.Parse("127.0.0.1:53"), DnsServerEndpoint.Parse("127.0.0.1"));
        Assert.NotEqual(DnsServerEndpoint.Parse("127.0.0.1:53"), DnsServerEndpoint.Parse("127.0.0.1:54"));
        Assert.Equal(DnsServerEndpoint.Parse("127.0.0.1").GetHashCode(), new DnsServerEndpoint(IPAddress.Loopback).GetHashCode());
    }

    [Fact]
    public void ConstructorRejectsBadPorts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsServerEndpoint(IPAddress.Loopback, 0));
        Assert.Throws<ArgumentNullException>(() => new DnsServerEndpoint(null!, 53));
    }
}
