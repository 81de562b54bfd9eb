using System.Diagnostics;
using MailAuth.Audit;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Audit;

public class MailAuthAuditorTests
{
    private static MailAuthAuditor Auditor(IDnsResolver dns, SenderRequirementProvider req = SenderRequirementProvider.None, IDnsResolver? reference = null, TimeSpan? timeout = null) =>
        new(dns, new MailAuthAuditOptions
        {
            DmarcCheck = new FakeDmarcCheck(),
            Requirements = req,
            ReferenceResolver = reference,
            DomainTimeout = timeout ?? MailAuthAuditOptions.DefaultDomainTimeout,
        });

    [Fact]
    public async Task AWellRunDomainGetsAnA()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example");
        var r = await Auditor(dns).AuditAsync(new MailAuthAuditRequest("Contoso.Example."));
        Assert.Equal("contoso.example", r.Domain);
        Assert.True(r.Status == AuditStatus.Ok, string.Join(" | ", r.Findings.Where(f => f.Severity > FindingSeverity.Information)));
        Assert.Equal("Ok", r.SpfStatus);
        Assert.Equal("selector1", r.DkimSelectorsFound);
        Assert.Equal(2048, r.WeakestDkimKeyBits);
        Assert.Equal("reject", r.DmarcPolicy);
        Assert.Equal("Ok", r.MxStatus);
        Assert.Equal(0, r.ErrorCount);
        Assert.False(r.IsParked);
        Assert.InRange(AuditGrader.Percent(r), 70, 100);
        Assert.Contains(r.Grade, new[] { "A", "B" });
    }

    [Fact]
    public async Task AnInvalidNameIsAFailedRowWithTheReason()
    {
        var r = await Auditor(new DictionaryResolver()).AuditAsync(new MailAuthAuditRequest("not a domain!"));
        Assert.Equal(AuditStatus.Failed, r.Status);
        Assert.Equal("F", r.Grade);
        Assert.Contains("not allowed", r.Reason);
        Assert.Equal("Audit.Failed", Assert.Single(r.Findings).Id);
    }

    [Fact]
    public async Task ASingleLabelIsAFailedRow()
    {
        var r = await Auditor(new DictionaryResolver()).AuditAsync(new MailAuthAuditRequest("localhost"));
        Assert.Equal(AuditStatus.Failed, r.Status);
    }

    [Fact]
    public async Task ADomainThatDoesNotExistIsAFailedRow()
    {
        var r = await Auditor(new DictionaryResolver()).AuditAsync(new MailAuthAuditRequest("nowhere.example"));
        Assert.Equal(AuditStatus.Failed, r.Status);
        Assert.Contains("NXDOMAIN", r.Reason);
    }

    [Theory]
    [InlineData(DnsLookupStatus.ServerFailure)]
    [InlineData(DnsLookupStatus.Timeout)]
    public async Task ADomainWhoseDnsFailsIsAFailedRow(DnsLookupStatus failure)
    {
        var dns = new DictionaryResolver().Fail("broken.example", failure);
        var r = await Auditor(dns).AuditAsync(new MailAuthAuditRequest("broken.example"));
        Assert.Equal(AuditStatus.Failed, r.Status);
        Assert.Contains(failure.ToString(), r.Reason);
    }

    [Fact]
    public async Task ADomainThatTakesTooLongFailsWithinTwiceTheBound()
    {
        var dns = new DelayingResolver(new DictionaryResolver().GoodDomain("slow.example"), (n, t) => t == DnsRecordType.MX ? Timeout.InfiniteTimeSpan : null);
        var bound = TimeSpan.FromMilliseconds(500);
        var watch = Stopwatch.StartNew();
        var r = await Auditor(dns, timeout: bound).AuditAsync(new MailAuthAuditRequest("slow.example"));
        Assert.Equal(AuditStatus.Failed, r.Status);
        Assert.Contains("did not finish", r.Reason);
        Assert.True(watch.Elapsed < bound * 2 + TimeSpan.FromSeconds(1), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task CallerCancellationThrows()
    {
        var dns = new DelayingResolver(new DictionaryResolver().GoodDomain("slow.example"), (n, t) => Timeout.InfiniteTimeSpan);
        using var cts = new CancellationTokenSource(200);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Auditor(dns).AuditAsync(new MailAuthAuditRequest("slow.example"), cts.Token));
    }

    [Fact]
    public async Task AParkedDomainWithoutNullMxGetsTheRecordsToPublish()
    {
        var dns = new DictionaryResolver().Txt("parked.example", "v=spf1 ~all").Txt("_dmarc.parked.example", "v=DMARC1; p=none");
        var r = await Auditor(dns).AuditAsync(new MailAuthAuditRequest("parked.example"));
        Assert.True(r.IsParked);
        var spf = Assert.Single(r.Findings, f => f.Id == "Parked.SpfNotFailAll").SuggestedRecord!;
        Assert.Equal(("@", "TXT", "v=spf1 -all"), (spf.Name, spf.RecordType, spf.Value));
        var dmarc = Assert.Single(r.Findings, f => f.Id == "Parked.DmarcNotReject").SuggestedRecord!;
        Assert.Equal(("_dmarc", "v=DMARC1; p=reject;"), (dmarc.Name, dmarc.Value));
        var mx = Assert.Single(r.Findings, f => f.Id == "Parked.NoNullMx").SuggestedRecord!;
        Assert.Equal(("MX", ".", (ushort?)0), (mx.RecordType, mx.MailExchange, mx.Preference));
        // No DKIM key is expected of a domain that sends nothing.
        Assert.DoesNotContain(r.Findings, f => f.Area == "DKIM" && f.Severity != FindingSeverity.Information);
    }

    [Fact]
    public async Task AParkedDomainDoneRightHasNoWarnings()
    {
        var dns = new DictionaryResolver().NullMx("parked.example").Txt("parked.example", "v=spf1 -all").Txt("_dmarc.parked.example", "v=DMARC1; p=reject");
        var r = await Auditor(dns).AuditAsync(new MailAuthAuditRequest("parked.example"));
        Assert.True(r.IsParked);
        Assert.Equal("NullMx", r.MxStatus);
        Assert.Equal(".", r.MxHosts);
        Assert.Equal(AuditStatus.Ok, r.Status);
        Assert.Equal("A", r.Grade);
    }

    [Fact]
    public async Task ADomainWithoutMxThatSendsIsNotParked()
    {
        var dns = new DictionaryResolver().Txt("sender.example", "v=spf1 ip4:192.0.2.0/24 -all");
        var r = await Auditor(dns).AuditAsync(new MailAuthAuditRequest("sender.example"));
        Assert.False(r.IsParked);
        Assert.DoesNotContain(r.Findings, f => f.Area == "Parked");
    }

    [Fact]
    public async Task SelectorDiscoveryRunsOnlyWithoutGivenSelectorsOrWhenAGivenOneHasNoKey()
    {
        static int SelectorQueries(DictionaryResolver dns) =>
            dns.Queries.Count(q => q.Name.EndsWith("._domainkey.contoso.example", StringComparison.Ordinal) && q.Name != "selector1._domainkey.contoso.example");

        // A given selector with a key: no discovery.
        var given = new DictionaryResolver().GoodDomain("contoso.example");
        var r = await Auditor(given).AuditAsync(new MailAuthAuditRequest("contoso.example", new[] { "selector1" }));
        Assert.Equal("selector1", r.DkimSelectorsFound);
        Assert.Null(r.Dkim!.Discovery);
        Assert.Equal(0, SelectorQueries(given));

        // No selector given: discovery finds it.
        var none = new DictionaryResolver().GoodDomain("contoso.example");
        r = await Auditor(none).AuditAsync(new MailAuthAuditRequest("contoso.example"));
        Assert.Equal("selector1", r.DkimSelectorsFound);
        Assert.NotNull(r.Dkim!.Discovery);
        Assert.True(SelectorQueries(none) > 10);

        // A given selector without a key: discovery shows which selectors do have one.
        var missing = new DictionaryResolver().GoodDomain("contoso.example");
        r = await Auditor(missing).AuditAsync(new MailAuthAuditRequest("contoso.example", new[] { "mail" }));
        Assert.Equal("mail", r.DkimSelectorsMissing);
        Assert.Contains("selector1", r.Dkim!.Discovery!.SelectorsFound);
    }

    [Fact]
    public async Task AGivenSelectorWithoutKeyIsAnErrorAndListedAsMissing()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example");
        var r = await Auditor(dns).AuditAsync(new MailAuthAuditRequest("contoso.example", new[] { "mail; selector1" }));
        Assert.Equal("mail", r.DkimSelectorsMissing);
        Assert.Equal("selector1", r.DkimSelectorsFound);
        Assert.Contains(r.Findings, f => f.Id == "DKIM.NoRecord" && f.Message.Contains("mail._domainkey"));
        Assert.Equal(AuditStatus.Error, r.Status);
    }

    [Fact]
    public async Task TheReferenceZoneSuppliesTheMissingRecord()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example");
        var reference = new DictionaryResolver().GoodDomain("contoso.example").Txt("mail._domainkey.contoso.example", "v=DKIM1; p=" + TestKeys.Rsa2048PublicKey);
        var r = await Auditor(dns, reference: reference).AuditAsync(new MailAuthAuditRequest("contoso.example", new[] { "mail" }));
        var f = Assert.Single(r.Findings, x => x.Id == "DKIM.NoRecord");
        Assert.Equal("mail._domainkey", f.SuggestedRecord!.Name);
        Assert.Equal("v=DKIM1; p=" + TestKeys.Rsa2048PublicKey, f.SuggestedRecord.Value);
        Assert.Contains(r.ReferenceComparison, c => c.State == MailAuth.Migration.RecordComparisonState.Missing);
    }

    [Fact]
    public async Task SendingIpsAreCheckedForPtrAndSpf()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example")
            .Ptr("192.0.2.25", "relay.contoso.example").A("relay.contoso.example", "192.0.2.25");
        var r = await Auditor(dns, SenderRequirementProvider.Google).AuditAsync(new MailAuthAuditRequest("contoso.example", null, new[] { "192.0.2.25, 198.51.100.9", "bogus" }));
        Assert.Equal(ReverseDnsStatus.Confirmed, r.SendingIpReverseDns[0].Status);
        Assert.Equal(ReverseDnsStatus.NoPtr, r.SendingIpReverseDns[1].Status);
        Assert.Contains(r.Findings, f => f.Id == "PTR.NoPtr" && f.Term == "198.51.100.9");
        Assert.Contains(r.Findings, f => f.Id == "SPF.SendingIpNotAuthorized" && f.Term == "198.51.100.9");
        Assert.DoesNotContain(r.Findings, f => f.Id == "SPF.SendingIpNotAuthorized" && f.Term == "192.0.2.25");
        Assert.Contains(r.Findings, f => f.Id == "Audit.InvalidSendingIp" && f.Term == "bogus");
        Assert.Equal(RequirementVerdict.Fail, r.Requirements.Single(x => x.Id == "Google.ReverseDns").Verdict);
    }

    [Fact]
    public async Task MtaStsAndTlsRptAreAudited()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example")
            .Txt("_mta-sts.contoso.example", "v=STSv1; id=1").Txt("_smtp._tls.contoso.example", "v=TLSRPTv1; rua=mailto:t@contoso.example");
        var fetcher = new StaticFetcher("version: STSv1\nmode: enforce\nmx: mx1.contoso.example\nmax_age: 604800\n");
        var auditor = new MailAuthAuditor(dns, new MailAuthAuditOptions { DmarcCheck = new FakeDmarcCheck(), MtaStsFetcher = fetcher });
        var r = await auditor.AuditAsync(new MailAuthAuditRequest("contoso.example"));
        Assert.Equal("enforce", r.MtaStsMode);
        Assert.Equal("Ok", r.TlsRptStatus);
        Assert.Equal("A", r.Grade);
    }

    [Fact]
    public async Task BimiWithoutDmarcEnforcementWarns()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example");
        dns.Txt("_dmarc.fabrikam.example", "v=DMARC1; p=none").Txt("fabrikam.example", "v=spf1 -all").NullMx("fabrikam.example")
           .Txt("default._bimi.fabrikam.example", "v=BIMI1; l=https://b.fabrikam.example/l.svg");
        var r = await Auditor(dns).AuditAsync(new MailAuthAuditRequest("fabrikam.example"));
        Assert.Contains(r.Findings, f => f.Id == "BIMI.DmarcNotEnforced");
    }

    [Fact]
    public async Task TheFindingsExportAsTheirIds()
    {
        var dns = new DictionaryResolver().Txt("parked.example", "v=spf1 ~all");
        var r = await Auditor(dns).AuditAsync(new MailAuthAuditRequest("parked.example"));
        Assert.Contains("Parked.SpfNotFailAll", r.Findings.ToString());
        Assert.DoesNotContain("System.", r.Findings.ToString());
    }

    [Fact]
    public async Task WithTheUnavailableDmarcStepDmarcIsNotChecked()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example");
        var r = await new MailAuthAuditor(dns, new MailAuthAuditOptions { DmarcCheck = UnavailableDmarcCheck.Instance }).AuditAsync(new MailAuthAuditRequest("contoso.example"));
        Assert.Equal("NotChecked", r.DmarcStatus);
        Assert.Null(r.DmarcPolicy);
        Assert.Contains(r.Findings, f => f.Id == "DMARC.NotChecked" && f.Severity == FindingSeverity.Information);
    }

    [Fact]
    public async Task ByDefaultTheDmarcAnalyserDecides()
    {
        var dns = new DictionaryResolver().GoodDomain("contoso.example");
        dns.Mx("sub.contoso.example", 10, "mx1.contoso.example").Txt("sub.contoso.example", "v=spf1 -all");
        var r = await new MailAuthAuditor(dns).AuditAsync(new MailAuthAuditRequest("contoso.example"));
        Assert.Equal("reject", r.DmarcPolicy);
        Assert.IsType<MailAuth.Dmarc.DmarcRecordReport>(r.Dmarc!.Details);
        var sub = await new MailAuthAuditor(dns).AuditAsync(new MailAuthAuditRequest("sub.contoso.example"));
        Assert.Equal("reject", sub.DmarcPolicy);
        Assert.Equal("contoso.example", sub.Dmarc!.RecordDomain);
        var none = await new MailAuthAuditor(new DictionaryResolver().Txt("nodmarc.example", "v=spf1 ip4:192.0.2.1 -all").Mx("nodmarc.example", 10, "mx.nodmarc.example"))
            .AuditAsync(new MailAuthAuditRequest("nodmarc.example"));
        Assert.Equal("NoRecord", none.DmarcStatus);
        Assert.NotNull(Assert.Single(none.Findings, f => f.Id == "DMARC.NoRecord").SuggestedRecord);
    }

    private sealed class StaticFetcher : IMtaStsPolicyFetcher
    {
        private readonly string _policy;
        public StaticFetcher(string policy) { _policy = policy; }
        public Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken = default) =>
            Task.FromResult(MtaStsFetchResult.Succeeded(MtaStsFetchResult.PolicyUrl(domain), _policy));
    }
}
