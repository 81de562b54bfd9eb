using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

public class DnsResolverOptionsTests
{
    [Fact]
    public void Defaults()
    {
        var o = new DnsResolverOptions();
        Assert.Empty(o.Servers);
        Assert.Equal(TimeSpan.FromSeconds(3), o.Timeout);
        Assert.Equal(1, o.Retries);
        Assert.True(o.UseTcpFallback);
        Assert.Equal(1232, o.EdnsBufferSize);
        Assert.Empty(o.ZoneFiles);
        Assert.True(o.UseCache);
        Assert.Equal(512, o.MaxConcurrentQueries);
        Assert.False(o.IsOffline);
    }

    [Fact]
    public void CollectionsAreCopiedSoTheOptionsCannotChangeLater()
    {
        var servers = new List<DnsServerEndpoint> { DnsServerEndpoint.Parse("127.0.0.1") };
        var files = new List<string> { "a.zone", " ", "b.zone" };
        var o = new DnsResolverOptions { Servers = servers, ZoneFiles = files };
        servers.Add(DnsServerEndpoint.Parse("127.0.0.2"));
        files.Clear();

        Assert.Single(o.Servers);
        Assert.Equal(new[] { "a.zone", "b.zone" }, o.ZoneFiles);
    }

    [Fact]
    public void WithMakesAChangedCopy()
    {
        var o = new DnsResolverOptions { Retries = 3 };
        var p = o with { Timeout = TimeSpan.FromSeconds(1) };
        Assert.Equal(3, p.Retries);
        Assert.Equal(TimeSpan.FromSeconds(1), p.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(3), o.Timeout);
    }

    [Fact]
    public void OfflineMeansZoneFilesWithoutServers()
    {
        Assert.True(new DnsResolverOptions { ZoneFiles = new[] { "contoso.zone" } }.IsOffline);
        Assert.False(new DnsResolverOptions { ZoneFiles = new[] { "contoso.zone" }, Servers = new[] { DnsServerEndpoint.Parse("127.0.0.1") } }.IsOffline);
    }

    [Fact]
    public void InvalidValuesThrowAtOnce()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsResolverOptions { Timeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsResolverOptions { Retries = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsResolverOptions { EdnsBufferSize = 100 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsResolverOptions { MaxConcurrentQueries = 0 });
    }
}
