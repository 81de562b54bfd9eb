using MailAuth.Audit;
using MailAuth.Dns;
using MailAuth.Findings;
using Xunit;
using Xunit.Abstractions;

namespace MailAuth.Tests.Audit;

/// <summary>The audit of the bundled sample domains (offline, zone files) shows what samples/README.md promises.</summary>
public class SampleAuditTests
{
    private readonly ITestOutputHelper _output;
    public SampleAuditTests(ITestOutputHelper output) { _output = output; }

    private static string Samples => Path.Combine(TestPaths.RepoRoot, "samples");

    private static string[] ZoneFiles(params string[] folders) =>
        folders.SelectMany(f => Directory.GetFiles(Path.Combine(Samples, "zones", f))).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    private static async Task<IReadOnlyList<MailAuthAuditResult>> AuditSamplesAsync(IDnsResolver? reference)
    {
        var resolver = new CachingDnsResolver(ZoneFileResolver.FromFiles(ZoneFiles("new-host", "providers"), null, out _));
        var auditor = new MailAuthAuditor(resolver, new MailAuthAuditOptions
        {
            ReferenceResolver = reference,
            MtaStsFetcher = new OfflineMtaStsPolicyFetcher(),
            Requirements = SenderRequirementProvider.All,
        });
        var rows = File.ReadAllLines(Path.Combine(Samples, "domains.csv")).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(',')).Select(c => new MailAuthAuditRequest(c[0], c.Length > 1 ? new[] { c[1] } : null, c.Length > 2 ? new[] { c[2] } : null)).ToList();
        using var runner = new MailAuthAuditRunner(auditor);
        return await runner.RunAllAsync(rows);
    }

    [Fact]
    public async Task ContosoPharmaMissesTheMailSelectorAndTheOldHostHasTheRecordToPublish()
    {
        var reference = ZoneFileResolver.FromFiles(ZoneFiles("old-host", "providers"), null, out _);
        var results = await AuditSamplesAsync(reference);
        foreach (var r in results)
        {
            _output.WriteLine($"{r.Row} {r.Domain} {r.Status} {r.Grade} spf={r.SpfStatus}/{r.SpfLookupCount} dkim={r.DkimStatus} [{r.DkimSelectorsFound}] missing=[{r.DkimSelectorsMissing}] mx={r.MxStatus} {r.MxHosts} parked={r.IsParked} e={r.ErrorCount} w={r.WarningCount} req={r.Requirements}");
            foreach (var f in r.Findings) _output.WriteLine($"    {f.Severity} {f.Id}: {f.Message}" + (f.SuggestedRecord is null ? "" : "  => " + f.SuggestedRecord.ZoneFileLine));
        }
        var contoso = results.Single(r => r.Domain == "contoso-pharma.example");
        Assert.Equal("mail", contoso.DkimSelectorsMissing);
        var missing = Assert.Single(contoso.Findings, f => f.Id == "DKIM.NoRecord");
        Assert.NotNull(missing.SuggestedRecord);
        Assert.Equal("mail._domainkey", missing.SuggestedRecord!.Name);
        Assert.Equal("contoso-pharma.example", missing.SuggestedRecord.ZoneName);
        Assert.StartsWith("v=DKIM1", missing.SuggestedRecord.Value);
        var oldKey = await reference.QueryAsync("mail._domainkey.contoso-pharma.example", DnsRecordType.TXT);
        Assert.Equal(oldKey.Records[0].Text, missing.SuggestedRecord.Value);
        Assert.Equal(AuditStatus.Error, contoso.Status);
    }

    [Fact]
    public async Task EverySampleDomainGetsTheVerdictTheReadmeDescribes()
    {
        var results = await AuditSamplesAsync(null);
        Assert.Equal(new[] { 1, 2, 3, 4 }, results.Select(r => r.Row));
        var byDomain = results.ToDictionary(r => r.Domain);
        Assert.True(byDomain["fabrikam-labs.example"].SpfLookupCount > 10);
        Assert.Contains(byDomain["fabrikam-labs.example"].Findings, f => f.Id == "SPF.TooManyLookups");
        Assert.Contains(byDomain["northwind-traders.example"].Findings, f => f.Severity == FindingSeverity.Error && f.Area == "SPF");
        var parked = byDomain["contoso-pharma-old.example"];
        Assert.True(parked.IsParked);
        Assert.Equal("NullMx", parked.MxStatus);
        Assert.Equal(0, parked.ErrorCount);
        Assert.Null(Assert.Single(results, r => r.Domain == "contoso-pharma.example").DuplicateOfRow);
    }
}
