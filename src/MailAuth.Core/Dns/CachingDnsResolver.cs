using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns
{
    /// <summary>
    /// A cache in front of any resolver, for one cmdlet invocation. Thread-safe.
    /// <list type="bullet">
    /// <item>Keyed by (name in lower case without the trailing dot, type): names compare case-insensitively (RFC 4343).</item>
    /// <item>Answers are kept for the smallest TTL of their records (RFC 1035 §3.2.1, RFC 2181 §5.2); a TTL of 0 is not kept.</item>
    /// <item>NXDOMAIN and NODATA are kept for <see cref="DnsLookupResult.NegativeTimeToLive"/> (RFC 2308 §5), or
    /// <see cref="DefaultNegativeTtl"/> when the answer had no SOA.</item>
    /// <item>Failures (Timeout, SERVFAIL, REFUSED, Error) are kept only for <see cref="FailureTtl"/> (RFC 2308 §7).</item>
    /// <item>Identical lookups in flight at the same time share one query to the inner resolver.</item>
    /// <item>At most <see cref="MaxEntries"/> entries are held, so a bulk run of any length stays within bounded
    /// memory: beyond it the oldest entry is dropped unless it was used again since it came in (then it gets a second
    /// chance; the CLOCK policy), so records shared by many domains (providers' SPF includes) stay while one-time
    /// answers go. A dropped answer is simply asked again when needed.</item>
    /// </list>
    /// <see cref="Statistics"/> counts misses passed on (<see cref="DnsQueryStatistics.QueriesSent"/>) and hits.
    /// </summary>
    public sealed class CachingDnsResolver : IDnsResolver
    {
        /// <summary>How long a negative answer without SOA is kept.</summary>
        public static readonly TimeSpan DefaultNegativeTtl = TimeSpan.FromSeconds(60);

        /// <summary>How long a failure is kept by default: long enough that one evaluation does not wait twice for a dead server.</summary>
        public static readonly TimeSpan DefaultFailureTtl = TimeSpan.FromSeconds(5);

        /// <summary>The most entries held by default (some 50 per audited domain; shared records survive eviction).</summary>
        public const int DefaultMaxEntries = 20_000;

        private readonly IDnsResolver _inner;
        private readonly Func<TimeSpan> _clock;
        private readonly object _gate = new object();
        private readonly Dictionary<Key, Entry> _entries = new Dictionary<Key, Entry>();
        private readonly Queue<Key> _order = new Queue<Key>();

        /// <param name="inner">The resolver asked on a miss.</param>
        /// <param name="statistics">Counters to add to (shared with the live resolver); a new one when null.</param>
        /// <param name="enabled">False: nothing is kept and nothing coalesced; every lookup is passed on and counted.</param>
        /// <param name="failureTtl">How long failures are kept; <see cref="DefaultFailureTtl"/> when null, zero for never.</param>
        public CachingDnsResolver(IDnsResolver inner, DnsQueryStatistics? statistics = null, bool enabled = true, TimeSpan? failureTtl = null)
            : this(inner, statistics, enabled, failureTtl, null)
        {
        }

        internal CachingDnsResolver(IDnsResolver inner, DnsQueryStatistics? statistics, bool enabled, TimeSpan? failureTtl, Func<TimeSpan>? clock, int maxEntries = DefaultMaxEntries)
        {
            if (maxEntries < 1) throw new ArgumentOutOfRangeException(nameof(maxEntries));
            MaxEntries = maxEntries;
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            Statistics = statistics ?? new DnsQueryStatistics();
            Enabled = enabled;
            FailureTtl = failureTtl ?? DefaultFailureTtl;
            if (FailureTtl < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(failureTtl));
            if (clock is null)
            {
                var watch = Stopwatch.StartNew();
                clock = () => watch.Elapsed;
            }
            _clock = clock;
        }

        /// <summary>The resolver behind the cache.</summary>
        public IDnsResolver Inner => _inner;

        public DnsQueryStatistics Statistics { get; }

        public bool Enabled { get; }

        public TimeSpan FailureTtl { get; }

        /// <summary>The most entries held; older ones not used again are dropped first.</summary>
        public int MaxEntries { get; }

        /// <summary>Entries held now (answers and lookups in flight).</summary>
        public int Count { get { lock (_gate) return _entries.Count; } }

        /// <summary>Forgets every kept answer (lookups in flight finish normally).</summary>
        public void Clear()
        {
            lock (_gate)
            {
                foreach (var key in _entries.Where(e => e.Value.Task.IsCompleted).Select(e => e.Key).ToList()) _entries.Remove(key);
            }
        }

        /// <inheritdoc />
        public async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            if (!Enabled)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Statistics.AddQuerySent();
                return await _inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            }

            var key = new Key(DnsName.Normalize(name), type);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Entry? entry = null;
                var owner = false;
                lock (_gate)
                {
                    if (_entries.TryGetValue(key, out var existing))
                    {
                        if (!existing.Task.IsCompleted)
                        {
                            entry = existing;
                            Statistics.AddCoalesced();
                        }
                        else if (existing.Task.Status == TaskStatus.RanToCompletion && _clock() < existing.Expires)
                        {
                            existing.Referenced = true;
                            Statistics.AddCacheHit();
                            return existing.Task.Result;
                        }
                        else
                        {
                            _entries.Remove(key);
                        }
                    }

                    if (entry is null)
                    {
                        entry = new Entry();
                        _entries[key] = entry;
                        _order.Enqueue(key);
                        TrimLocked();
                        owner = true;
                        Statistics.AddQuerySent();
                    }
                }

                if (owner)
                {
                    return await RunAsync(key, entry, name, type, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    return await WaitAsync(entry.Task, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The lookup we joined was cancelled by its own caller, not by us: ask again.
                }
            }
        }

        private async Task<DnsLookupResult> RunAsync(Key key, Entry entry, string name, DnsRecordType type, CancellationToken cancellationToken)
        {
            DnsLookupResult result;
            try
            {
                result = await _inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Forget(key, entry);
                entry.Completion.TrySetCanceled();
                throw;
            }
            catch (Exception ex)
            {
                Forget(key, entry);
                entry.Completion.TrySetException(ex);
                throw;
            }

            var ttl = TimeToKeep(result);
            if (ttl > TimeSpan.Zero)
            {
                // No lock needed: readers look at Expires only once the task has completed, and completing it below
                // publishes this write to them. Every answer that is kept saves a lock round here.
                entry.Expires = _clock() + ttl;
            }
            else
            {
                lock (_gate)
                {
                    if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry)) _entries.Remove(key);
                }
            }
            entry.Completion.TrySetResult(result);
            return result;
        }

        /// <summary>Drops entries beyond <see cref="MaxEntries"/> (CLOCK: an entry used since it came in gets a second chance). Under the lock.</summary>
        private void TrimLocked()
        {
            // Keys of entries removed elsewhere stay in the queue until they come round; rebuild it when they pile up.
            if (_order.Count > 2 * Math.Max(_entries.Count, 1024))
            {
                _order.Clear();
                foreach (var k in _entries.Keys) _order.Enqueue(k);
            }
            var now = _clock();
            for (int budget = _order.Count; _entries.Count > MaxEntries && budget > 0 && _order.Count > 0; budget--)
            {
                var k = _order.Dequeue();
                if (!_entries.TryGetValue(k, out var e)) continue;
                if (!e.Task.IsCompleted || (e.Referenced && now < e.Expires))
                {
                    e.Referenced = false;
                    _order.Enqueue(k);
                    continue;
                }
                _entries.Remove(k);
            }
        }

        private void Forget(Key key, Entry entry)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry)) _entries.Remove(key);
            }
        }

        /// <summary>How long a result may be kept (zero: not at all).</summary>
        internal TimeSpan TimeToKeep(DnsLookupResult result)
        {
            switch (result.Status)
            {
                case DnsLookupStatus.Success:
                    return result.Records.Count == 0
                        ? DefaultNegativeTtl
                        : TimeSpan.FromSeconds(result.Records.Min(r => r.TimeToLive));
                case DnsLookupStatus.NoData:
                case DnsLookupStatus.NxDomain:
                    return result.NegativeTimeToLive.HasValue ? TimeSpan.FromSeconds(result.NegativeTimeToLive.Value) : DefaultNegativeTtl;
                case DnsLookupStatus.NotAvailableOffline:
                    return DefaultNegativeTtl;
                default:
                    return FailureTtl;
            }
        }

        private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || task.IsCompleted) return await task.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(s => ((TaskCompletionSource<bool>)s!).TrySetResult(true), cancelled))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                    throw new OperationCanceledException(cancellationToken);
            }
            return await task.ConfigureAwait(false);
        }

        private readonly struct Key : IEquatable<Key>
        {
            public Key(string name, DnsRecordType type) { Name = name; Type = type; }
            public string Name { get; }
            public DnsRecordType Type { get; }
            public bool Equals(Key other) => Type == other.Type && string.Equals(Name, other.Name, StringComparison.Ordinal);
            public override bool Equals(object? obj) => obj is Key k && Equals(k);
            public override int GetHashCode() => unchecked(StringComparer.Ordinal.GetHashCode(Name) * 31 + (int)Type);
        }

        private sealed class Entry
        {
            public readonly TaskCompletionSource<DnsLookupResult> Completion =
                new TaskCompletionSource<DnsLookupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            public Task<DnsLookupResult> Task => Completion.Task;
            public TimeSpan Expires;
            public bool Referenced;
        }
    }
}
