using CsCheck;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Migration;
using MailAuth.Tests.Support;
using MailAuth.Zone;
using Xunit;

namespace MailAuth.Tests.Migration;

public class MailAuthRecordComparerTests
{
    private static string Samples => Path.Combine(TestPaths.RepoRoot, "samples", "zones");

    private static string[] Files(params string[] folders) =>
        folders.SelectMany(f => Directory.GetFiles(Path.Combine(Samples, f))).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    private static ZoneFileResolver Zone(string text, string origin = "contoso.example")
    {
        var parsed = ZoneFileParser.Parse(text, origin);
        Assert.DoesNotContain(parsed.Diagnostics, d => d.Severity == FindingSeverity.Error);
        return new ZoneFileResolver(new[] { parsed.Zone });
    }

    private const string Head = "$ORIGIN contoso.example.\n$TTL 600\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\n";

    [Fact]
    public async Task SampleMigrationCatchesTheMissingRelayKey()
    {
        using var oldSide = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = Files("old-host", "providers") });
        using var newSide = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = Files("new-host", "providers") });
        Assert.DoesNotContain(oldSide.ZoneDiagnostics, d => d.Severity == FindingSeverity.Error);
        var selectors = MailAuthRecordComparer.FindDkimSelectors(oldSide.Zones!.Zones, "contoso-pharma.example");
        Assert.Equal(new[] { "mail" }, selectors);

        var rows = await new MailAuthRecordComparer(oldSide, newSide).CompareAsync("contoso-pharma.example", selectors);

        Assert.Equal(new[] { MailAuthRecordKind.Spf, MailAuthRecordKind.Dkim, MailAuthRecordKind.Dmarc, MailAuthRecordKind.Mx }, rows.Select(r => r.Kind));
        var dkim = rows.Single(r => r.Kind == MailAuthRecordKind.Dkim);
        Assert.Equal(RecordComparisonState.Missing, dkim.State);
        Assert.Equal("mail._domainkey.contoso-pharma.example", dkim.Name);
        Assert.Equal("mail", dkim.Selector);
        Assert.Null(dkim.DifferenceValue);
        Assert.Equal(DnsLookupStatus.NxDomain, dkim.DifferenceStatus);

        // The record to publish is the old host's key, joined and split again at 255 octets.
        var oldKey = (await oldSide.QueryAsync("mail._domainkey.contoso-pharma.example", DnsRecordType.TXT)).Records.Single().Text;
        Assert.StartsWith("v=DKIM1; k=rsa; p=MIIB", oldKey);
        var publish = dkim.RecordToPublish!;
        Assert.Equal("TXT", publish.RecordType);
        Assert.Equal("contoso-pharma.example", publish.ZoneName);
        Assert.Equal("mail._domainkey", publish.Name);
        Assert.Equal(oldKey, publish.Value);
        Assert.Equal(oldKey, string.Concat(publish.Strings));
        Assert.All(publish.Strings, s => Assert.True(s.Length <= 255));
        Assert.Equal(TimeSpan.FromSeconds(3600), publish.TimeToLive);
        Assert.Equal(oldKey, dkim.ReferenceValue);

        Assert.All(rows.Where(r => r.Kind != MailAuthRecordKind.Dkim), r =>
        {
            Assert.Equal(RecordComparisonState.Same, r.State);
            Assert.Null(r.RecordToPublish);
            Assert.Equal(r.ReferenceValue, r.DifferenceValue);
        });
        Assert.StartsWith("v=spf1 ip4:198.51.100.0/27", rows[0].ReferenceValue);
        Assert.Equal("0 contoso-pharma-example.mail.protection.outlook.example", rows.Single(r => r.Kind == MailAuthRecordKind.Mx).ReferenceValue);
    }

    [Fact]
    public async Task SampleNewHostAgainstItselfIsAllSame()
    {
        using var side = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = Files("new-host", "providers") });
        foreach (var domain in new[] { "contoso-pharma.example", "fabrikam-labs.example", "northwind-traders.example", "contoso-pharma-old.example" })
        {
            var selectors = MailAuthRecordComparer.FindDkimSelectors(side.Zones!.Zones, domain);
            var rows = await new MailAuthRecordComparer(side, side).CompareAsync(domain, selectors);
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal(RecordComparisonState.Same, r.State));
        }
    }

    [Fact]
    public async Task ChangedExtraMissingAndTxtJoining()
    {
        var reference = Zone(Head + """
            @ IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
            @ IN TXT "google-site-verification=abc"
            _dmarc IN TXT "v=DMARC1; " "p=reject"
            _mta-sts IN TXT "v=STSv1; id=20240101"
            _smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@contoso.example"
            """);
        var difference = Zone(Head + """
            @ IN TXT "v=spf1 ip4:192.0.2.0/24 ~all"
            @ IN TXT "something-else"
            _dmarc IN TXT "v=DMARC1; p=reject"
            default._bimi IN TXT "v=BIMI1; l=https://contoso.example/logo.svg"
            """);
        var rows = await new MailAuthRecordComparer(reference, difference).CompareAsync("Contoso.Example.");

        var spf = rows.Single(r => r.Kind == MailAuthRecordKind.Spf);
        Assert.Equal(RecordComparisonState.Changed, spf.State);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 -all", spf.ReferenceValue);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 ~all", spf.DifferenceValue);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 -all", spf.RecordToPublish!.Value);
        Assert.Equal("@", spf.RecordToPublish.Name);
        Assert.Equal(TimeSpan.FromSeconds(600), spf.RecordToPublish.TimeToLive);

        // "v=DMARC1; " "p=reject" joins to the same text as one string.
        Assert.Equal(RecordComparisonState.Same, rows.Single(r => r.Kind == MailAuthRecordKind.Dmarc).State);

        var sts = rows.Single(r => r.Kind == MailAuthRecordKind.MtaSts);
        Assert.Equal(RecordComparisonState.Missing, sts.State);
        Assert.Equal("_mta-sts.contoso.example", sts.Name);
        Assert.Equal("_mta-sts", sts.RecordToPublish!.Name);
        var tls = rows.Single(r => r.Kind == MailAuthRecordKind.TlsRpt);
        Assert.Equal(RecordComparisonState.Missing, tls.State);
        Assert.Equal("_smtp._tls", tls.RecordToPublish!.Name);

        var bimi = rows.Single(r => r.Kind == MailAuthRecordKind.Bimi);
        Assert.Equal(RecordComparisonState.Extra, bimi.State);
        Assert.Null(bimi.RecordToPublish);
        Assert.Equal("default._bimi.contoso.example", bimi.Name);

        Assert.DoesNotContain(rows, r => r.Kind == MailAuthRecordKind.Mx);
        Assert.All(rows, r => Assert.Equal("contoso.example", r.Domain));
    }

    [Fact]
    public async Task CaseOrSpacingOnlyIsStillChangedButSaysSo()
    {
        var reference = Zone(Head + "@ IN TXT \"v=spf1 mx -all\"\n");
        var difference = Zone(Head + "@ IN TXT \"v=spf1  MX -all\"\n");
        var spf = Assert.Single(await new MailAuthRecordComparer(reference, difference).CompareAsync("contoso.example"));
        Assert.Equal(RecordComparisonState.Changed, spf.State);
        Assert.Contains("only in letter case or spacing", spf.Message);
    }

    [Fact]
    public async Task DkimCnameAndTxtCompareByTypeAndTarget()
    {
        var reference = Zone(Head + """
            selector1._domainkey IN CNAME selector1-contoso-example._domainkey.tenant.onmicrosoft.example.
            selector2._domainkey IN CNAME selector2-contoso-example._domainkey.tenant.onmicrosoft.example.
            s1._domainkey IN CNAME s1.domainkey.u1.wl.sendgrid.example.
            k1._domainkey IN TXT "v=DKIM1; p=AAAA"
            """);
        var difference = Zone(Head + """
            SELECTOR1._domainkey IN CNAME Selector1-Contoso-Example._domainkey.Tenant.OnMicrosoft.Example.
            s1._domainkey IN TXT "v=DKIM1; p=BBBB"
            k1._domainkey IN TXT "v=DKIM1; p=AAAA"
            new._domainkey IN TXT "v=DKIM1; p=CCCC"
            """);
        var rows = await new MailAuthRecordComparer(reference, difference)
            .CompareAsync("contoso.example", new[] { "selector1", "Selector2", "s1", "k1", "new", "K1", "bad selector!" });
        var dkim = rows.Where(r => r.Kind == MailAuthRecordKind.Dkim).ToDictionary(r => r.Selector!);
        Assert.Equal(new[] { "k1", "new", "s1", "selector1", "selector2" }, dkim.Keys.OrderBy(k => k, StringComparer.Ordinal));

        Assert.Equal(RecordComparisonState.Same, dkim["selector1"].State);
        Assert.Equal("CNAME", dkim["selector1"].RecordType);

        var missing = dkim["selector2"];
        Assert.Equal(RecordComparisonState.Missing, missing.State);
        Assert.Equal("CNAME", missing.RecordToPublish!.RecordType);
        Assert.Equal("selector2-contoso-example._domainkey.tenant.onmicrosoft.example", missing.RecordToPublish.HostNameAlias);
        Assert.Equal("selector2._domainkey", missing.RecordToPublish.Name);
        Assert.Equal(MailAuthRecordComparer.DefaultTimeToLive, missing.RecordToPublish.TimeToLive);

        var changed = dkim["s1"];
        Assert.Equal(RecordComparisonState.Changed, changed.State);
        Assert.Equal("CNAME", changed.RecordType);
        Assert.Equal("TXT", changed.DifferenceRecordType);
        Assert.Equal("CNAME", changed.RecordToPublish!.RecordType);

        Assert.Equal(RecordComparisonState.Same, dkim["k1"].State);
        Assert.Equal(RecordComparisonState.Extra, dkim["new"].State);
        Assert.Equal("TXT", dkim["new"].RecordType);
    }

    [Fact]
    public async Task MxRowsPerExchange()
    {
        var reference = Zone(Head + """
            @ IN MX 10 mx1.contoso.example.
            @ IN MX 20 mx2.contoso.example.
            @ IN MX 30 backup.provider.example.
            """);
        var difference = Zone(Head + """
            @ IN MX 10 MX1.contoso.example.
            @ IN MX 5 mx2.contoso.example.
            @ IN MX 10 inbound.newprovider.example.
            """);
        var rows = (await new MailAuthRecordComparer(reference, difference).CompareAsync("contoso.example"))
            .Where(r => r.Kind == MailAuthRecordKind.Mx).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(new[] { "10 mx1.contoso.example", "20 mx2.contoso.example", "30 backup.provider.example", null },
            rows.Select(r => r.ReferenceValue));
        Assert.Equal(new[] { RecordComparisonState.Same, RecordComparisonState.Changed, RecordComparisonState.Missing, RecordComparisonState.Extra },
            rows.Select(r => r.State));

        var changed = rows[1].RecordToPublish!;
        Assert.Equal("MX", changed.RecordType);
        Assert.Equal("mx2.contoso.example", changed.MailExchange);
        Assert.Equal((ushort)20, changed.Preference);
        Assert.Equal("backup.provider.example", rows[2].RecordToPublish!.MailExchange);
        Assert.Equal("10 inbound.newprovider.example", rows[3].DifferenceValue);
        Assert.Null(rows[3].RecordToPublish);
    }

    [Fact]
    public async Task MissingNullMxIsPublishedAsNullMx()
    {
        var reference = Zone(Head + "@ IN MX 0 .\n");
        var difference = Zone(Head);
        var row = Assert.Single(await new MailAuthRecordComparer(reference, difference).CompareAsync("contoso.example"));
        Assert.Equal(RecordComparisonState.Missing, row.State);
        Assert.Equal("0 .", row.ReferenceValue);
        Assert.Equal(".", row.RecordToPublish!.MailExchange);
        Assert.Contains("RFC 7505", row.Message);
    }

    [Fact]
    public async Task FailedLookupsAreNeverMissing()
    {
        var reference = new DictionaryResolver()
            .Txt("contoso.example", "v=spf1 -all")
            .Txt("_dmarc.contoso.example", "v=DMARC1; p=none")
            .Mx("contoso.example", 10, "mx.contoso.example");
        var difference = new DictionaryResolver()
            .Fail("contoso.example", DnsLookupStatus.Timeout)
            .Fail("_dmarc.contoso.example", DnsLookupStatus.ServerFailure);
        var rows = await new MailAuthRecordComparer(reference, difference).CompareAsync("contoso.example");
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(RecordComparisonState.LookupFailed, r.State);
            Assert.Null(r.RecordToPublish);
            Assert.Contains("difference lookup failed", r.Message);
        });
        Assert.Equal(DnsLookupStatus.ServerFailure, rows.Single(r => r.Kind == MailAuthRecordKind.Dmarc).DifferenceStatus);
        Assert.Equal("10 mx.contoso.example", rows.Single(r => r.Kind == MailAuthRecordKind.Mx).ReferenceValue);
    }

    [Fact]
    public async Task AbsentOnBothSidesGivesNoRows()
    {
        var empty = new DictionaryResolver();
        Assert.Empty(await new MailAuthRecordComparer(empty, empty).CompareAsync("nothing.example", new[] { "mail" }));
    }

    [Fact]
    public void FindDkimSelectorsReadsTxtAndCnameOwnersOfTheDomainOnly()
    {
        var zone = ZoneFileParser.Parse(Head + """
            mail._domainkey IN TXT "v=DKIM1; p=AAAA"
            s2024.eu._domainkey IN TXT "v=DKIM1; p=BBBB"
            selector1._domainkey IN CNAME selector1-x._domainkey.tenant.example.
            _domainkey IN TXT "o=~"
            *._domainkey IN TXT "v=DKIM1; p="
            mail._domainkey.sub IN TXT "v=DKIM1; p=CCCC"
            host._domainkey IN A 192.0.2.1
            """, "contoso.example").Zone;
        Assert.Equal(new[] { "mail", "s2024.eu", "selector1" }, MailAuthRecordComparer.FindDkimSelectors(new[] { zone }, "CONTOSO.example."));
        Assert.Equal(new[] { "mail" }, MailAuthRecordComparer.FindDkimSelectors(new[] { zone }, "sub.contoso.example"));
    }

    [Fact]
    public void AnyRecordSetComparedWithItselfIsSame()
    {
        var text = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789=;:/.- "], 0, 300];
        var gen = Gen.Select(text.Array[0, 3], text.Array[0, 3], Gen.UShort.Array[0, 3], (spf, dmarc, prefs) => (spf, dmarc, prefs));
        gen.Sample(t =>
        {
            var r = new DictionaryResolver();
            foreach (var s in t.spf) r.Txt("contoso.example", PublishableRecordStrings("v=spf1 " + s));
            foreach (var s in t.dmarc) r.Txt("_dmarc.contoso.example", "v=DMARC1; " + s);
            for (int i = 0; i < t.prefs.Length; i++) r.Mx("contoso.example", t.prefs[i], "mx" + i + ".contoso.example");
            var rows = new MailAuthRecordComparer(r, r).CompareAsync("contoso.example").GetAwaiter().GetResult();
            Assert.All(rows, row => Assert.Equal(RecordComparisonState.Same, row.State));
            Assert.Equal((t.spf.Length > 0 ? 1 : 0) + (t.dmarc.Length > 0 ? 1 : 0) + t.prefs.Length, rows.Count);
        }, iter: 200);
    }

    private static string[] PublishableRecordStrings(string value) =>
        MailAuth.Publishing.PublishableRecord.SplitCharacterStrings(value, 40).ToArray();

    [Theory]
    [InlineData("v=DMARC1; p=none", "v=DMARC1", true)]
    [InlineData("v=dmarc1;p=none", "v=DMARC1", true)]
    [InlineData("v=DMARC1", "v=DMARC1", true)]
    [InlineData("v=DMARC10; p=none", "v=DMARC1", false)]
    [InlineData("p=none; v=DMARC1", "v=DMARC1", false)]
    [InlineData("v=STSv1; id=1", "v=STSv1", true)]
    public void VersionTags(string text, string version, bool expected) =>
        Assert.Equal(expected, MailAuthRecordComparer.HasVersion(text, version));
}
