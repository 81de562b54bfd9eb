using System.Diagnostics;
using MailAuth.Audit;
using MailAuth.Dns;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Audit;

public class MailAuthAuditRunnerTests
{
    private static DictionaryResolver Domains(int count)
    {
        var dns = new DictionaryResolver();
        for (int i = 0; i < count; i++) dns.GoodDomain($"d{i}.example", $"198.51.{i / 250}.{i % 250 + 1}");
        return dns;
    }

    [Fact]
    public async Task ResultsComeInInputOrderWhateverOrderTheyFinishIn()
    {
        // Earlier domains answer slower, so later ones finish first.
        var dns = new DelayingResolver(Domains(8), (name, type) =>
        {
            if (type != DnsRecordType.MX) return null;
            var i = int.Parse(name.Substring(1, name.IndexOf('.') - 1));
            return TimeSpan.FromMilliseconds((8 - i) * 40);
        });
        var fake = new FakeDmarcCheck();
        using var runner = new MailAuthAuditRunner(new MailAuthAuditor(dns, new MailAuthAuditOptions { DmarcCheck = fake }), throttleLimit: 8);
        var input = Enumerable.Range(0, 8).Select(i => new MailAuthAuditRequest($"d{i}.example")).ToList();
        var results = await runner.RunAllAsync(input);
        Assert.Equal(Enumerable.Range(1, 8), results.Select(r => r.Row));
        Assert.Equal(input.Select(i => i.Input), results.Select(r => r.Domain));
        Assert.All(results, r => Assert.Equal(AuditStatus.Ok, r.Status));
    }

    [Fact]
    public async Task DuplicatesAreAuditedOnceAndReportedForEachRow()
    {
        var fake = new FakeDmarcCheck();
        using var runner = new MailAuthAuditRunner(new MailAuthAuditor(Domains(2), new MailAuthAuditOptions { DmarcCheck = fake }));
        var results = await runner.RunAllAsync(new[] { "d0.example", "d1.example", "D0.EXAMPLE.", "d0.example" }.Select(d => new MailAuthAuditRequest(d)));
        Assert.Equal(4, results.Count);
        Assert.Equal(1, fake.Calls["d0.example"]);
        Assert.Equal(1, fake.Calls["d1.example"]);
        Assert.Equal(new int?[] { null, null, 1, 1 }, results.Select(r => r.DuplicateOfRow));
        Assert.Equal(new[] { "d0.example", "d1.example", "D0.EXAMPLE.", "d0.example" }, results.Select(r => r.Input));
        Assert.Equal(new[] { 1, 2, 3, 4 }, results.Select(r => r.Row));
        Assert.Equal(2, runner.AuditsStarted);
    }

    [Fact]
    public void FinishedAuditsBeyondTheRecentLimitAreForgottenButRepeatsStillNameTheirFirstRow()
    {
        var fake = new FakeDmarcCheck();
        using var runner = new MailAuthAuditRunner(new MailAuthAuditor(Domains(3), new MailAuthAuditOptions { DmarcCheck = fake }),
            throttleLimit: 2, cancellationToken: default, recentAudits: 1);
        var results = new List<MailAuthAuditResult>();
        void SubmitAndFinish(string domain)
        {
            runner.Submit(new MailAuthAuditRequest(domain));
            while (runner.Pending > 0)
            {
                runner.WaitForNext(TimeSpan.FromSeconds(10));
                results.AddRange(runner.TakeReady());
            }
        }
        SubmitAndFinish("d0.example");
        SubmitAndFinish("d1.example"); // d0's finished audit is forgotten here (limit 1)
        SubmitAndFinish("d1.example"); // still the recent one: joined, not audited again
        SubmitAndFinish("d0.example"); // audited again, still reported as a repeat of row 1
        Assert.Equal(new[] { 1, 2, 3, 4 }, results.Select(r => r.Row));
        Assert.Equal(new int?[] { null, null, 2, 1 }, results.Select(r => r.DuplicateOfRow));
        Assert.All(results, r => Assert.Equal(AuditStatus.Ok, r.Status));
        Assert.Equal(2, fake.Calls["d0.example"]);
        Assert.Equal(1, fake.Calls["d1.example"]);
        Assert.Equal(3, runner.AuditsStarted);
    }

    [Fact]
    public async Task EveryRowYieldsExactlyOneResultAndFailuresSayWhy()
    {
        var dns = Domains(3).Fail("servfail.example", DnsLookupStatus.ServerFailure);
        using var runner = new MailAuthAuditRunner(new MailAuthAuditor(dns, new MailAuthAuditOptions { DmarcCheck = new FakeDmarcCheck() }), throttleLimit: 2);
        var input = new[] { "d0.example", "", "bad..name", "missing.example", "servfail.example", "d1.example", "d2.example", "d0.example" };
        var results = await runner.RunAllAsync(input.Select(d => new MailAuthAuditRequest(d)));
        Assert.Equal(input.Length, results.Count);
        Assert.Equal(input, results.Select(r => r.Input));
        var expected = new[] { AuditStatus.Ok, AuditStatus.Failed, AuditStatus.Failed, AuditStatus.Failed, AuditStatus.Failed, AuditStatus.Ok, AuditStatus.Ok, AuditStatus.Ok };
        Assert.Equal(expected, results.Select(r => r.Status));
        Assert.All(results.Where(r => r.Status == AuditStatus.Failed), r => Assert.False(string.IsNullOrEmpty(r.Reason)));
        Assert.Contains("ServerFailure", results[4].Reason);
        Assert.Contains("NXDOMAIN", results[3].Reason);
    }

    [Fact]
    public async Task AnAuditorThatThrowsGivesAFailedRowAndTheRunGoesOn()
    {
        var dns = new ThrowingResolver(Domains(2), "d0.example");
        using var runner = new MailAuthAuditRunner(new MailAuthAuditor(dns, new MailAuthAuditOptions { DmarcCheck = new FakeDmarcCheck() }));
        var results = await runner.RunAllAsync(new[] { new MailAuthAuditRequest("d0.example"), new MailAuthAuditRequest("d1.example") });
        Assert.Equal(AuditStatus.Failed, results[0].Status);
        Assert.Contains("boom", results[0].Reason);
        Assert.Equal(AuditStatus.Ok, results[1].Status);
    }

    [Fact]
    public async Task NoMoreThanTheThrottleLimitRunAtOnce()
    {
        var fake = new FakeDmarcCheck { Delay = TimeSpan.FromMilliseconds(50) };
        using var runner = new MailAuthAuditRunner(new MailAuthAuditor(Domains(12), new MailAuthAuditOptions { DmarcCheck = fake }), throttleLimit: 3);
        var results = await runner.RunAllAsync(Enumerable.Range(0, 12).Select(i => new MailAuthAuditRequest($"d{i}.example")));
        Assert.Equal(12, results.Count);
        Assert.InRange(fake.MaxInFlight, 1, 3);
    }

    [Fact]
    public void ResultsStreamAsSoonAsTheyAndThoseBeforeThemAreDone()
    {
        var gate = new TaskCompletionSource();
        var dns = new GatedResolver(Domains(3), "d0.example", gate.Task);
        using var runner = new MailAuthAuditRunner(new MailAuthAuditor(dns, new MailAuthAuditOptions { DmarcCheck = new FakeDmarcCheck() }));
        for (int i = 0; i < 3; i++) runner.Submit(new MailAuthAuditRequest($"d{i}.example"));
        // Rows 2 and 3 finish, but row 1 holds them back.
        SpinWait.SpinUntil(() => runner.AuditsFinished == 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, runner.AuditsFinished);
        Assert.Empty(runner.TakeReady());
        Assert.False(runner.WaitForNext(TimeSpan.FromMilliseconds(50)));
        gate.SetResult();
        Assert.True(runner.WaitForNext(TimeSpan.FromSeconds(30)));
        var ready = runner.TakeReady();
        Assert.Equal(new[] { 1, 2, 3 }, ready.Select(r => r.Row));
        Assert.Equal(0, runner.Pending);
    }

    [Fact]
    public void CancellationStopsPromptly()
    {
        var dns = new DelayingResolver(Domains(50), (n, t) => Timeout.InfiniteTimeSpan);
        using var cts = new CancellationTokenSource();
        using var runner = new MailAuthAuditRunner(new MailAuthAuditor(dns), throttleLimit: 4, cancellationToken: cts.Token);
        for (int i = 0; i < 50; i++) runner.Submit(new MailAuthAuditRequest($"d{i}.example"));
        var watch = Stopwatch.StartNew();
        cts.CancelAfter(100);
        Assert.False(runner.WaitForNext(TimeSpan.FromSeconds(30)));
        SpinWait.SpinUntil(() => runner.AuditsFinished == 50, TimeSpan.FromSeconds(10));
        Assert.Equal(50, runner.AuditsFinished);
        Assert.Throws<OperationCanceledException>(() => runner.TakeReady());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
    }

    [Fact]
    public void TheThrottleLimitMustBePositive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MailAuthAuditRunner(new MailAuthAuditor(new DictionaryResolver()), 0));

    private sealed class ThrowingResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner; private readonly string _name;
        public ThrowingResolver(IDnsResolver inner, string name) { _inner = inner; _name = name; }
        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default) =>
            DnsName.AreEqual(name, _name) && type == DnsRecordType.MX ? throw new InvalidOperationException("boom") : _inner.QueryAsync(name, type, cancellationToken);
    }

    private sealed class GatedResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner; private readonly string _suffix; private readonly Task _gate;
        public GatedResolver(IDnsResolver inner, string suffix, Task gate) { _inner = inner; _suffix = suffix; _gate = gate; }
        public async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            if (DnsName.IsSubdomainOf(name, _suffix)) await _gate.WaitAsync(cancellationToken);
            return await _inner.QueryAsync(name, type, cancellationToken);
        }
    }
}
