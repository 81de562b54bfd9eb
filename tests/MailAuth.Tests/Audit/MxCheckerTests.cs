using MailAuth.Audit;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Audit;

public class MxCheckerTests
{
    private static Task<MxReport> Check(DictionaryResolver dns, string domain = "contoso.example", bool rdns = true) =>
        new MxChecker(dns, rdns).CheckAsync(domain);

    [Fact]
    public async Task HostsThatResolveWithConfirmedReverseDnsAreOk()
    {
        var dns = new DictionaryResolver()
            .Mx("contoso.example", 20, "mx2.contoso.example").Mx("contoso.example", 10, "mx1.contoso.example")
            .A("mx1.contoso.example", "192.0.2.1").A("mx2.contoso.example", "192.0.2.2").Aaaa("mx2.contoso.example", "2001:db8::2")
            .Ptr("192.0.2.1", "mx1.contoso.example").Ptr("192.0.2.2", "mx2.contoso.example").Ptr("2001:db8::2", "mx2.contoso.example");
        var r = await Check(dns);
        Assert.Equal(MxStatus.Ok, r.Status);
        Assert.Equal(new[] { "mx1.contoso.example", "mx2.contoso.example" }, r.HostNames);
        Assert.Equal(2, r.Hosts[1].Addresses.Count);
        Assert.All(r.Hosts.SelectMany(h => h.ReverseDns), x => Assert.Equal(ReverseDnsStatus.Confirmed, x.Status));
        Assert.Empty(r.Findings);
    }

    [Fact]
    public async Task NullMxAloneMeansNoMail()
    {
        var r = await Check(new DictionaryResolver().NullMx("contoso.example"));
        Assert.Equal(MxStatus.NullMx, r.Status);
        Assert.True(r.HasNullMx);
        Assert.Empty(r.Hosts);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public async Task NullMxBesideOtherMxIsAnError()
    {
        var dns = new DictionaryResolver().NullMx("contoso.example").Mx("contoso.example", 10, "mx1.contoso.example").A("mx1.contoso.example", "192.0.2.1");
        var r = await Check(dns, rdns: false);
        Assert.Equal(MxStatus.Error, r.Status);
        Assert.Contains(r.Findings, f => f.Id == "MX.NullMxWithOthers" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public async Task NoMxWithAnAddressWarnsAboutTheImplicitMx()
    {
        var r = await Check(new DictionaryResolver().A("contoso.example", "192.0.2.80").Txt("contoso.example", "v=spf1 -all"));
        Assert.Equal(MxStatus.NoMx, r.Status);
        Assert.True(r.HasAddressRecords);
        Assert.Equal(FindingSeverity.Warning, Assert.Single(r.Findings).Severity);
    }

    [Fact]
    public async Task NoMxAndNoAddressIsOnlyInformation()
    {
        var r = await Check(new DictionaryResolver().Txt("contoso.example", "v=spf1 -all"));
        Assert.Equal(MxStatus.NoMx, r.Status);
        Assert.Equal(FindingSeverity.Information, Assert.Single(r.Findings).Severity);
    }

    [Fact]
    public async Task AnIpLiteralIsAnError()
    {
        var r = await Check(new DictionaryResolver().Mx("contoso.example", 10, "192.0.2.25"));
        Assert.Equal(MxStatus.Error, r.Status);
        Assert.True(Assert.Single(r.Hosts).IsIpLiteral);
        Assert.Equal("192.0.2.25", Assert.Single(r.Findings, f => f.Id == "MX.IpLiteral").Term);
    }

    [Fact]
    public async Task AHostThatIsACnameWarns()
    {
        var dns = new DictionaryResolver().Mx("contoso.example", 10, "mail.contoso.example")
            .Add(DnsResourceRecord.CreateTarget("mail.contoso.example", DnsRecordType.CNAME, "mx.provider.example", 300));
        var cnameAware = new CnameResolver(dns, "mail.contoso.example", "mx.provider.example", "192.0.2.30");
        var r = await new MxChecker(cnameAware, false).CheckAsync("contoso.example");
        Assert.True(r.Hosts[0].IsCname);
        Assert.Contains(r.Findings, f => f.Id == "MX.Cname" && f.Severity == FindingSeverity.Warning);
        Assert.Equal(MxStatus.Warning, r.Status);
    }

    [Fact]
    public async Task AHostWithoutAddressIsAnError()
    {
        var r = await Check(new DictionaryResolver().Mx("contoso.example", 10, "gone.contoso.example").Txt("contoso.example", "x"));
        Assert.Contains(r.Findings, f => f.Id == "MX.HostNoAddress" && f.Term == "gone.contoso.example");
        Assert.Equal(MxStatus.Error, r.Status);
    }

    [Fact]
    public async Task AFailedHostLookupIsAWarningNotAnError()
    {
        var dns = new DictionaryResolver().Mx("contoso.example", 10, "mx.slow.example").Fail("mx.slow.example", DnsLookupStatus.Timeout);
        var r = await Check(dns);
        Assert.Equal(MxStatus.Warning, r.Status);
        Assert.Contains(r.Findings, f => f.Id == "MX.HostLookupFailed");
    }

    [Fact]
    public async Task LoopbackAndPrivateAddressesAreErrors()
    {
        var dns = new DictionaryResolver().Mx("contoso.example", 10, "mx.contoso.example").A("mx.contoso.example", "10.1.2.3");
        var r = await Check(dns, rdns: false);
        Assert.Contains(r.Findings, f => f.Id == "MX.UnroutableAddress");
        Assert.True(MxChecker.IsUnroutable(System.Net.IPAddress.Parse("127.0.0.1")));
        Assert.True(MxChecker.IsUnroutable(System.Net.IPAddress.Parse("fd00::1")));
        Assert.False(MxChecker.IsUnroutable(System.Net.IPAddress.Parse("192.0.2.1")));
    }

    [Fact]
    public async Task MissingReverseDnsOfAnMxHostIsInformation()
    {
        var dns = new DictionaryResolver().Mx("contoso.example", 10, "mx.contoso.example").A("mx.contoso.example", "192.0.2.9");
        var r = await Check(dns);
        var f = Assert.Single(r.Findings);
        Assert.Equal("MX.ReverseDnsNotConfirmed", f.Id);
        Assert.Equal(FindingSeverity.Information, f.Severity);
        Assert.Equal(MxStatus.Ok, r.Status);
    }

    [Theory]
    [InlineData(DnsLookupStatus.Timeout, MxStatus.LookupFailed)]
    [InlineData(DnsLookupStatus.ServerFailure, MxStatus.LookupFailed)]
    public async Task FailedMxLookups(DnsLookupStatus failure, MxStatus expected)
    {
        var r = await Check(new DictionaryResolver().Fail("contoso.example", failure));
        Assert.Equal(expected, r.Status);
        Assert.Equal(failure, r.LookupStatus);
    }

    [Fact]
    public async Task NxDomainIsDomainNotFound()
    {
        var r = await Check(new DictionaryResolver());
        Assert.Equal(MxStatus.DomainNotFound, r.Status);
    }

    /// <summary>Answers A queries for <c>alias</c> through a CNAME, as a recursive resolver does.</summary>
    private sealed class CnameResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner; private readonly string _alias, _target, _address;
        public CnameResolver(IDnsResolver inner, string alias, string target, string address) { _inner = inner; _alias = alias; _target = target; _address = address; }
        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            if (DnsName.AreEqual(name, _alias) && type == DnsRecordType.A)
                return Task.FromResult(new DnsLookupResult(name, type, DnsLookupStatus.Success,
                    new[] { DnsResourceRecord.CreateAddress(_target, System.Net.IPAddress.Parse(_address), 300) }, new[] { _target }));
            if (DnsName.AreEqual(name, _alias) && type == DnsRecordType.AAAA)
                return Task.FromResult(new DnsLookupResult(name, type, DnsLookupStatus.NoData, null, new[] { _target }));
            return _inner.QueryAsync(name, type, cancellationToken);
        }
    }
}
