using System.Net;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

public class CachingDnsResolverTests
{
    /// <summary>A resolver that answers from a function, counts calls, and can hold answers until released.</summary>
    private sealed class ScriptedResolver : IDnsResolver
    {
        private readonly Func<string, DnsRecordType, DnsLookupResult> _answer;
        private int _calls;
        public ScriptedResolver(Func<string, DnsRecordType, DnsLookupResult> answer) => _answer = answer;
        public int Calls => Volatile.Read(ref _calls);
        public TaskCompletionSource Gate { get; set; } = CompletedGate();
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private static TaskCompletionSource CompletedGate()
        {
            var t = new TaskCompletionSource();
            t.SetResult();
            return t;
        }

        public async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            Entered.TrySetResult();
            var gate = Gate.Task;
            var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
            if (await Task.WhenAny(gate, cancelled) == cancelled) cancellationToken.ThrowIfCancellationRequested();
            return _answer(name, type);
        }
    }

    private sealed class ManualClock
    {
        public TimeSpan Now { get; set; }
    }

    private static DnsLookupResult Txt(string name, params uint[] ttls) =>
        new(name, DnsRecordType.TXT, DnsLookupStatus.Success,
            ttls.Select((t, i) => DnsResourceRecord.CreateText(name, DnsRecordType.TXT, new[] { "v" + i }, t)).ToArray(), source: "test");

    private static (CachingDnsResolver Cache, ScriptedResolver Inner, ManualClock Clock, DnsQueryStatistics Stats) Create(
        Func<string, DnsRecordType, DnsLookupResult> answer, TimeSpan? failureTtl = null)
    {
        var inner = new ScriptedResolver(answer);
        var clock = new ManualClock();
        var stats = new DnsQueryStatistics();
        var cache = new CachingDnsResolver(inner, stats, true, failureTtl, () => clock.Now);
        return (cache, inner, clock, stats);
    }

    [Fact]
    public async Task AtMostMaxEntriesAreHeldAndEntriesInUseSurvive()
    {
        var inner = new ScriptedResolver((n, t) => Txt(n, 300));
        var clock = new ManualClock();
        var cache = new CachingDnsResolver(inner, new DnsQueryStatistics(), true, null, () => clock.Now, maxEntries: 3);
        Assert.Equal(3, cache.MaxEntries);
        await cache.QueryAsync("shared.example", DnsRecordType.TXT);
        for (int i = 0; i < 20; i++)
        {
            await cache.QueryAsync($"once{i}.example", DnsRecordType.TXT);
            await cache.QueryAsync("shared.example", DnsRecordType.TXT); // used again and again: never dropped
            Assert.True(cache.Count <= 3, $"{cache.Count} entries held after {i + 1} names");
        }
        Assert.Equal(21, inner.Calls);
        // A dropped one-time answer is asked for again; the shared one is still there.
        await cache.QueryAsync("once0.example", DnsRecordType.TXT);
        await cache.QueryAsync("shared.example", DnsRecordType.TXT);
        Assert.Equal(22, inner.Calls);
    }

    [Fact]
    public async Task AnswersAreKeptForTheSmallestTtl()
    {
        var (cache, inner, clock, stats) = Create((n, t) => Txt(n, 300, 120, 600));

        var first = await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        clock.Now = TimeSpan.FromSeconds(119);
        var second = await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        clock.Now = TimeSpan.FromSeconds(120);
        var third = await cache.QueryAsync("contoso.example", DnsRecordType.TXT);

        Assert.Same(first, second);
        Assert.NotSame(first, third);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(2, stats.QueriesSent);
        Assert.Equal(1, stats.CacheHits);
    }

    [Fact]
    public async Task KeyIsCaseInsensitiveAndIgnoresTheTrailingDotButNotTheType()
    {
        var (cache, inner, _, stats) = Create((n, t) => t == DnsRecordType.TXT ? Txt(n, 300)
            : new DnsLookupResult(n, t, DnsLookupStatus.Success, new[] { DnsResourceRecord.CreateAddress(n, IPAddress.Loopback, 300) }));

        await cache.QueryAsync("Contoso.Example.", DnsRecordType.TXT);
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        await cache.QueryAsync("CONTOSO.EXAMPLE", DnsRecordType.TXT);
        await cache.QueryAsync("contoso.example", DnsRecordType.A);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(2, stats.CacheHits);
    }

    [Fact]
    public async Task ZeroTtlIsNotKept()
    {
        var (cache, inner, _, _) = Create((n, t) => Txt(n, 0));
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task NegativeAnswersUseTheSoaTtlOrSixtySeconds()
    {
        var (cache, inner, clock, _) = Create((n, t) => n.StartsWith("soa", StringComparison.Ordinal)
            ? new DnsLookupResult(n, t, DnsLookupStatus.NxDomain, negativeTimeToLive: 10)
            : new DnsLookupResult(n, t, DnsLookupStatus.NoData));

        await cache.QueryAsync("soa.contoso.example", DnsRecordType.TXT);
        await cache.QueryAsync("nosoa.contoso.example", DnsRecordType.TXT);
        clock.Now = TimeSpan.FromSeconds(9);
        await cache.QueryAsync("soa.contoso.example", DnsRecordType.TXT);
        Assert.Equal(2, inner.Calls);

        clock.Now = TimeSpan.FromSeconds(10);
        await cache.QueryAsync("soa.contoso.example", DnsRecordType.TXT);
        Assert.Equal(3, inner.Calls);

        clock.Now = TimeSpan.FromSeconds(59);
        await cache.QueryAsync("nosoa.contoso.example", DnsRecordType.TXT);
        Assert.Equal(3, inner.Calls);
        clock.Now = TimeSpan.FromSeconds(60);
        await cache.QueryAsync("nosoa.contoso.example", DnsRecordType.TXT);
        Assert.Equal(4, inner.Calls);
    }

    [Theory]
    [InlineData(DnsLookupStatus.Timeout)]
    [InlineData(DnsLookupStatus.ServerFailure)]
    [InlineData(DnsLookupStatus.Refused)]
    [InlineData(DnsLookupStatus.Error)]
    public async Task FailuresAreKeptOnlyBriefly(DnsLookupStatus status)
    {
        var (cache, inner, clock, _) = Create((n, t) => new DnsLookupResult(n, t, status, errorMessage: "x"));

        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        clock.Now = CachingDnsResolver.DefaultFailureTtl - TimeSpan.FromMilliseconds(1);
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        Assert.Equal(1, inner.Calls);
        clock.Now = CachingDnsResolver.DefaultFailureTtl;
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        Assert.Equal(2, inner.Calls);
        Assert.True(CachingDnsResolver.DefaultFailureTtl <= TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task FailuresAreNotKeptWhenFailureTtlIsZero()
    {
        var (cache, inner, _, _) = Create((n, t) => new DnsLookupResult(n, t, DnsLookupStatus.Timeout), TimeSpan.Zero);
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task ConcurrentIdenticalLookupsShareOneQuery()
    {
        var (cache, inner, _, stats) = Create((n, t) => Txt(n, 300));
        inner.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var tasks = Enumerable.Range(0, 20).Select(_ => cache.QueryAsync("contoso.example", DnsRecordType.TXT)).ToArray();
        await inner.Entered.Task;
        Assert.All(tasks, t => Assert.False(t.IsCompleted));
        inner.Gate.SetResult();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(1, inner.Calls);
        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.Equal(1, stats.QueriesSent);
        Assert.Equal(19, stats.CacheHits);
        Assert.Equal(19, stats.CoalescedQueries);
    }

    [Fact]
    public async Task CancellingTheFirstCallerDoesNotFailTheOthers()
    {
        var (cache, inner, _, _) = Create((n, t) => Txt(n, 300));
        inner.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var firstCts = new CancellationTokenSource();

        var first = cache.QueryAsync("contoso.example", DnsRecordType.TXT, firstCts.Token);
        await inner.Entered.Task;
        var second = cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        firstCts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        inner.Gate.SetResult();
        var result = await second;
        Assert.Equal(DnsLookupStatus.Success, result.Status);
        Assert.Equal(2, inner.Calls); // the second caller asked again after the first gave up
    }

    [Fact]
    public async Task AWaitingCallerCanBeCancelledOnItsOwn()
    {
        var (cache, inner, _, _) = Create((n, t) => Txt(n, 300));
        inner.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();

        var first = cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        await inner.Entered.Task;
        var second = cache.QueryAsync("contoso.example", DnsRecordType.TXT, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        inner.Gate.SetResult();
        Assert.Equal(DnsLookupStatus.Success, (await first).Status);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task DisabledCachePassesEverythingOnAndCountsIt()
    {
        var inner = new ScriptedResolver((n, t) => Txt(n, 300));
        var stats = new DnsQueryStatistics();
        var cache = new CachingDnsResolver(inner, stats, enabled: false);

        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(2, stats.QueriesSent);
        Assert.Equal(0, stats.CacheHits);
    }

    [Fact]
    public async Task ManyThreadsManyNamesStayConsistent()
    {
        var (cache, inner, _, stats) = Create((n, t) => Txt(n, 300));
        var names = Enumerable.Range(0, 50).Select(i => $"n{i}.contoso.example").ToArray();

        var tasks = Enumerable.Range(0, 1000).Select(i => Task.Run(() => cache.QueryAsync(names[i % names.Length], DnsRecordType.TXT))).ToArray();
        var results = await Task.WhenAll(tasks);

        for (int i = 0; i < results.Length; i++) Assert.Equal(names[i % names.Length], results[i].QueryName);
        Assert.Equal(names.Length, inner.Calls);
        Assert.Equal(names.Length, stats.QueriesSent);
        Assert.Equal(1000 - names.Length, stats.CacheHits);
    }

    [Fact]
    public async Task ClearForgetsKeptAnswers()
    {
        var (cache, inner, _, _) = Create((n, t) => Txt(n, 300));
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        cache.Clear();
        await cache.QueryAsync("contoso.example", DnsRecordType.TXT);
        Assert.Equal(2, inner.Calls);
    }
}
