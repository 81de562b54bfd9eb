using System.Net;
using System.Security.Cryptography;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Spf;
using MailAuth.Zone;
using Xunit;

namespace MailAuth.Tests.Zone;

/// <summary>The files under samples/ are what samples/README.md says they are.</summary>
public class SampleZonesTests
{
    private static string Samples => Path.Combine(TestPaths.RepoRoot, "samples");

    private static string[] ZoneFiles(params string[] folders) =>
        folders.SelectMany(f => Directory.GetFiles(Path.Combine(Samples, "zones", f))).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    private static ZoneFileResolver Load(params string[] folders)
    {
        var resolver = ZoneFileResolver.FromFiles(ZoneFiles(folders), null, out var diagnostics);
        Assert.DoesNotContain(diagnostics, d => d.Severity != FindingSeverity.Information);
        return resolver;
    }

    [Fact]
    public void EveryZoneFileParsesCleanly()
    {
        var files = ZoneFiles("old-host", "new-host", "providers");
        Assert.Equal(6, files.Length);
        foreach (var file in files)
        {
            var r = ZoneFileParser.ParseFile(file);
            Assert.True(r.Diagnostics.All(d => d.Severity == FindingSeverity.Information), string.Join(" | ", r.Diagnostics));
            Assert.NotNull(r.Zone.Soa);
            Assert.Equal(ZoneFileParser.InferOriginFromFileName(file), r.Zone.Origin);
        }
    }

    [Fact]
    public void EveryListedDomainHasAZoneFile()
    {
        var lines = File.ReadAllLines(Path.Combine(Samples, "domains.csv")).Where(l => l.Trim().Length > 0).ToList();
        var header = lines[0].Split(',');
        var column = Array.IndexOf(header, "Domain");
        Assert.True(column >= 0, "domains.csv has no Domain column");
        var domains = lines.Skip(1).Select(l => l.Split(',')[column].Trim()).ToList();
        Assert.Contains("contoso-pharma.example", domains);
        Assert.InRange(domains.Count, 3, 4);
        var origins = ZoneFiles("new-host").Select(f => ZoneFileParser.ParseFile(f).Zone.Origin).ToHashSet();
        Assert.All(domains, d => Assert.Contains(d, origins));
        Assert.All(domains, d => Assert.EndsWith(".example", d));
    }

    [Fact]
    public async Task OldHostPublishesTheDkimKeyAndNewHostLostIt()
    {
        var old = await Load("old-host", "providers").QueryAsync("mail._domainkey.contoso-pharma.example", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.Success, old.Status);
        var txt = Assert.Single(old.Records);
        Assert.Equal(2, txt.Strings.Count);
        Assert.All(txt.Strings, s => Assert.InRange(System.Text.Encoding.ASCII.GetByteCount(s), 1, 255));
        var tags = txt.Text.Split(';').Select(t => t.Trim()).Where(t => t.Length > 0).ToDictionary(t => t.Substring(0, t.IndexOf('=')), t => t.Substring(t.IndexOf('=') + 1));
        Assert.Equal("DKIM1", tags["v"]);
        Assert.Equal("rsa", tags["k"]);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(tags["p"]), out _);
        Assert.Equal(2048, rsa.KeySize);

        var now = await Load("new-host", "providers").QueryAsync("mail._domainkey.contoso-pharma.example", DnsRecordType.TXT);
        Assert.Equal(DnsLookupStatus.NxDomain, now.Status);
    }

    [Fact]
    public async Task BothSnapshotsOfContosoPharmaServeTheSameMailRecordsApartFromDkim()
    {
        var old = Load("old-host", "providers");
        var now = Load("new-host", "providers");
        foreach (var (name, type) in new[]
        {
            ("contoso-pharma.example", DnsRecordType.TXT), ("_dmarc.contoso-pharma.example", DnsRecordType.TXT),
            ("contoso-pharma.example", DnsRecordType.MX), ("mail.contoso-pharma.example", DnsRecordType.A),
            ("contoso-pharma-old.example._report._dmarc.contoso-pharma.example", DnsRecordType.TXT),
            ("autodiscover.contoso-pharma.example", DnsRecordType.A),
        })
        {
            var a = await old.QueryAsync(name, type);
            var b = await now.QueryAsync(name, type);
            Assert.Equal(DnsLookupStatus.Success, a.Status);
            Assert.Equal(a.Records.Select(r => r.ToString().Replace(" " + r.TimeToLive + " ", " ")),
                b.Records.Select(r => r.ToString().Replace(" " + r.TimeToLive + " ", " ")));
        }
    }

    [Theory]
    [InlineData("contoso-pharma.example", "198.51.100.5", SpfResult.Pass)]      // office range
    [InlineData("contoso-pharma.example", "203.0.113.70", SpfResult.Pass)]      // data centre
    [InlineData("contoso-pharma.example", "192.0.2.10", SpfResult.Pass)]        // provider, first level
    [InlineData("contoso-pharma.example", "192.0.2.130", SpfResult.Pass)]       // provider, nested include
    [InlineData("contoso-pharma.example", "2001:db8:8000::1", SpfResult.Pass)]
    [InlineData("contoso-pharma.example", "192.0.2.200", SpfResult.Fail)]
    [InlineData("fabrikam-labs.example", "198.51.100.99", SpfResult.PermError)] // 12 lookups
    [InlineData("northwind-traders.example", "203.0.113.140", SpfResult.PermError)] // "inlcude:" typo
    [InlineData("contoso-pharma-old.example", "198.51.100.5", SpfResult.Fail)]  // parked
    public async Task SpfOutcomesMatchTheScenario(string domain, string ip, SpfResult expected)
    {
        var evaluator = new SpfEvaluator(Load("new-host", "providers"));
        var result = await evaluator.CheckHostAsync(IPAddress.Parse(ip), domain, "postmaster@" + domain, null);
        Assert.Equal(expected, result.Result);
        if (domain == "fabrikam-labs.example") Assert.True(result.LookupCount > 10, result.ToString());
    }
}
