using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns
{
    /// <summary>
    /// Spaces DNS messages to at most <see cref="QueriesPerSecond"/> per second, letting a short burst of a tenth of a
    /// second's worth (at least one) go at once: the generic cell rate algorithm. Each caller reserves the next free
    /// slot under a lock and then waits outside it, so waiting callers never hold each other up. A resolver that
    /// limits its clients (public resolvers do) or a server shared with production stays below its limit.
    /// </summary>
    public sealed class QueryRateLimiter
    {
        private readonly object _lock = new object();
        private readonly double _interval;
        private readonly double _tolerance;
        private readonly Func<double> _now;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private double _theoreticalArrival;
        private long _delayed;

        /// <param name="queriesPerSecond">The most messages per second (at least 1).</param>
        /// <param name="clock">Seconds from any fixed point (tests give their own; a monotonic stopwatch otherwise).</param>
        /// <param name="delay">How to wait (tests give their own; <see cref="Task.Delay(TimeSpan, CancellationToken)"/> otherwise).</param>
        public QueryRateLimiter(int queriesPerSecond, Func<double>? clock = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            if (queriesPerSecond < 1) throw new ArgumentOutOfRangeException(nameof(queriesPerSecond), queriesPerSecond, "At least one query per second.");
            QueriesPerSecond = queriesPerSecond;
            BurstSize = Math.Max(1, queriesPerSecond / 10);
            _interval = 1.0 / queriesPerSecond;
            _tolerance = (BurstSize - 1) * _interval;
            if (clock is null)
            {
                var watch = Stopwatch.StartNew();
                clock = () => watch.Elapsed.TotalSeconds;
            }
            _now = clock;
            _delay = delay ?? Task.Delay;
            _theoreticalArrival = _now();
        }

        public int QueriesPerSecond { get; }

        /// <summary>How many messages may go at once after a quiet spell.</summary>
        public int BurstSize { get; }

        /// <summary>Messages that had to wait for their slot.</summary>
        public long DelayedQueries => Interlocked.Read(ref _delayed);

        /// <summary>Completes when the caller may send one message.</summary>
        public Task WaitAsync(CancellationToken cancellationToken = default)
        {
            double wait;
            lock (_lock)
            {
                var now = _now();
                var arrival = Math.Max(_theoreticalArrival, now);
                wait = arrival - _tolerance - now;
                _theoreticalArrival = arrival + _interval;
            }
            if (wait <= 0) return Task.CompletedTask;
            Interlocked.Increment(ref _delayed);
            return _delay(TimeSpan.FromSeconds(wait), cancellationToken);
        }
    }
}
