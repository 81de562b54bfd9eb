using MailAuth.Audit;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

/// <summary>The query rate limiter on a virtual clock: what each caller is told to wait, no real time involved.</summary>
public class QueryRateLimiterTests
{
    private sealed class VirtualTime
    {
        public double Now;
        public readonly List<double> Waits = new();
        public bool AdvanceOnWait;

        public Task Delay(TimeSpan wait, CancellationToken cancellationToken)
        {
            Waits.Add(wait.TotalSeconds);
            if (AdvanceOnWait) Now += wait.TotalSeconds;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void ABurstOfATenthOfTheRateGoesAtOnceAndTheRestIsSpacedEvenly()
    {
        var time = new VirtualTime();
        var limiter = new QueryRateLimiter(100, () => time.Now, time.Delay);
        Assert.Equal(10, limiter.BurstSize);

        for (int i = 0; i < 30; i++) _ = limiter.WaitAsync();

        Assert.Equal(20, time.Waits.Count);
        Assert.Equal(20, limiter.DelayedQueries);
        Assert.Equal(0.01, time.Waits[0], 6);   // the 11th message: one interval after the burst
        Assert.Equal(0.20, time.Waits[^1], 6);  // the 30th: twenty intervals
        for (int i = 1; i < time.Waits.Count; i++) Assert.Equal(0.01, time.Waits[i] - time.Waits[i - 1], 6);
    }

    [Fact]
    public void AQuietSpellRestoresTheBurstButSavesNoMore()
    {
        var time = new VirtualTime();
        var limiter = new QueryRateLimiter(100, () => time.Now, time.Delay);
        for (int i = 0; i < 10; i++) _ = limiter.WaitAsync();
        Assert.Empty(time.Waits);

        time.Now = 60; // a minute of silence does not bank 6,000 messages
        for (int i = 0; i < 10; i++) _ = limiter.WaitAsync();
        Assert.Empty(time.Waits);
        _ = limiter.WaitAsync();
        Assert.Single(time.Waits);
    }

    [Fact]
    public void OverALongRunTheRateIsTheLimit()
    {
        var time = new VirtualTime { AdvanceOnWait = true };
        var limiter = new QueryRateLimiter(250, () => time.Now, time.Delay);
        for (int i = 0; i < 5000; i++) _ = limiter.WaitAsync();

        // 5,000 messages at 250/s with a burst of 25: the last may go at (5000 - 25) / 250 s.
        Assert.Equal((5000 - 25) / 250.0, time.Now, 6);
    }

    [Fact]
    public void OneQueryPerSecondHasABurstOfOne()
    {
        var time = new VirtualTime();
        var limiter = new QueryRateLimiter(1, () => time.Now, time.Delay);
        Assert.Equal(1, limiter.BurstSize);
        _ = limiter.WaitAsync();
        _ = limiter.WaitAsync();
        Assert.Equal(new[] { 1.0 }, time.Waits);
    }

    [Fact]
    public void CancellationReachesTheWait()
    {
        var limiter = new QueryRateLimiter(1);
        _ = limiter.WaitAsync();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var task = limiter.WaitAsync(cts.Token);
        Assert.True(task.IsCanceled);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void ARateBelowOneIsRejected(int rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueryRateLimiter(rate));

    [Fact]
    public void OptionsTakeZeroAsNoLimitAndRejectNegatives()
    {
        Assert.Equal(0, new DnsResolverOptions().MaxQueriesPerSecond);
        Assert.DoesNotContain("MaxQueriesPerSecond", new DnsResolverOptions().ToString());
        Assert.Contains("MaxQueriesPerSecond=40", new DnsResolverOptions { MaxQueriesPerSecond = 40 }.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsResolverOptions { MaxQueriesPerSecond = -1 });
    }

    [Theory]
    [InlineData(0, MailAuthAuditRunner.DefaultThrottleLimit)]
    [InlineData(5, 1)]
    [InlineData(100, 10)]
    [InlineData(1000, 100)]
    [InlineData(100000, MailAuthAuditRunner.DefaultThrottleLimit)]
    public void TheAuditTakesATenthOfTheRateInDomains(int rate, int domains) =>
        Assert.Equal(domains, MailAuthAuditRunner.ThrottleForQueryRate(rate));
}
