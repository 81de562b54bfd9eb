using System.Threading;

namespace MailAuth.Dns
{
    /// <summary>
    /// Counters of one resolver session (one cmdlet invocation), shared by the cache and the live resolver.
    /// Thread-safe; read them at any time (-Verbose output, benchmarks, tests).
    /// </summary>
    public sealed class DnsQueryStatistics
    {
        private long _queriesSent;
        private long _cacheHits;
        private long _coalesced;
        private long _networkQueries;
        private long _tcpQueries;
        private long _timeouts;

        /// <summary>Lookups the cache could not answer and passed to the resolver behind it (cache misses).</summary>
        public long QueriesSent => Interlocked.Read(ref _queriesSent);

        /// <summary>Lookups answered from the cache, including those that joined an identical lookup already in flight.</summary>
        public long CacheHits => Interlocked.Read(ref _cacheHits);

        /// <summary>The part of <see cref="CacheHits"/> that waited for an identical lookup in flight.</summary>
        public long CoalescedQueries => Interlocked.Read(ref _coalesced);

        /// <summary>DNS messages the live resolver really sent over the network: every UDP try, retry and TCP query.</summary>
        public long NetworkQueriesSent => Interlocked.Read(ref _networkQueries);

        /// <summary>The part of <see cref="NetworkQueriesSent"/> sent over TCP (after a truncated UDP answer).</summary>
        public long TcpQueriesSent => Interlocked.Read(ref _tcpQueries);

        /// <summary>Network tries that got no answer in time.</summary>
        public long Timeouts => Interlocked.Read(ref _timeouts);

        internal void AddQuerySent() => Interlocked.Increment(ref _queriesSent);
        internal void AddCacheHit() => Interlocked.Increment(ref _cacheHits);
        internal void AddCoalesced() { Interlocked.Increment(ref _cacheHits); Interlocked.Increment(ref _coalesced); }
        internal void AddNetworkQuery(bool tcp)
        {
            Interlocked.Increment(ref _networkQueries);
            if (tcp) Interlocked.Increment(ref _tcpQueries);
        }
        internal void AddTimeout() => Interlocked.Increment(ref _timeouts);

        public override string ToString() =>
            $"DNS: {QueriesSent} lookups sent, {CacheHits} cache hits, {NetworkQueriesSent} network queries ({TcpQueriesSent} TCP, {Timeouts} timed out)";
    }
}
