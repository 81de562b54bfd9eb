using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAuth.Dns
{
    /// <summary>
    /// How a cmdlet invocation resolves names. Immutable: set the properties in an object initializer
    /// (<c>new DnsResolverOptions { Servers = ..., Timeout = ... }</c>) or derive a copy with
    /// <c>options with { Retries = 2 }</c>; collections are copied when set, invalid values throw
    /// <see cref="ArgumentOutOfRangeException"/> at once.
    /// </summary>
    public sealed record DnsResolverOptions
    {
        private static readonly IReadOnlyList<DnsServerEndpoint> NoServers = Array.Empty<DnsServerEndpoint>();
        private static readonly IReadOnlyList<string> NoFiles = Array.Empty<string>();

        private IReadOnlyList<DnsServerEndpoint> _servers = NoServers;
        private IReadOnlyList<string> _zoneFiles = NoFiles;
        private TimeSpan _timeout = DefaultTimeout;
        private int _retries = DefaultRetries;
        private int _ednsBufferSize = DefaultEdnsBufferSize;
        private int _maxConcurrentQueries = DefaultMaxConcurrentQueries;
        private int _maxQueriesPerSecond;

        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);
        public const int DefaultRetries = 1;
        /// <summary>The EDNS(0) UDP payload size recommended by DNS Flag Day 2020 (RFC 6891 §6.2.5).</summary>
        public const int DefaultEdnsBufferSize = 1232;
        /// <summary>Queries in flight at once by default (each holds a UDP socket while it waits): enough for 128 domains audited at a time.</summary>
        public const int DefaultMaxConcurrentQueries = 512;

        /// <summary>The defaults: system resolvers, 3 s timeout, 1 retry, TCP fallback, EDNS 1232, cache on.</summary>
        public static DnsResolverOptions Default { get; } = new DnsResolverOptions();

        /// <summary>Servers to query, in order. Empty: the system's resolvers (/etc/resolv.conf or the adapters' DNS servers).</summary>
        public IReadOnlyList<DnsServerEndpoint> Servers
        {
            get => _servers;
            init => _servers = value is null ? NoServers : value.Where(s => s != null).ToArray();
        }

        /// <summary>Time to wait for one answer (per try, per server). Must be positive.</summary>
        public TimeSpan Timeout
        {
            get => _timeout;
            init
            {
                if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
                    throw new ArgumentOutOfRangeException(nameof(Timeout), value, "The DNS timeout must be positive.");
                _timeout = value;
            }
        }

        /// <summary>Extra tries per server after a timeout (0 = one try only).</summary>
        public int Retries
        {
            get => _retries;
            init
            {
                if (value < 0 || value > 10)
                    throw new ArgumentOutOfRangeException(nameof(Retries), value, "The DNS retry count must be between 0 and 10.");
                _retries = value;
            }
        }

        /// <summary>Repeat a truncated UDP answer over TCP (RFC 7766 §5; RFC 1035 §4.2.2).</summary>
        public bool UseTcpFallback { get; init; } = true;

        /// <summary>The EDNS(0) UDP payload size advertised in queries (RFC 6891 §6.2.5). 512 to 4096.</summary>
        public int EdnsBufferSize
        {
            get => _ednsBufferSize;
            init
            {
                if (value < 512 || value > 4096)
                    throw new ArgumentOutOfRangeException(nameof(EdnsBufferSize), value, "The EDNS buffer size must be between 512 and 4096.");
                _ednsBufferSize = value;
            }
        }

        /// <summary>RFC 1035 master files to answer from (offline mode, or in front of the servers).</summary>
        public IReadOnlyList<string> ZoneFiles
        {
            get => _zoneFiles;
            init => _zoneFiles = value is null ? NoFiles : value.Where(f => !string.IsNullOrWhiteSpace(f)).ToArray();
        }

        /// <summary>Cache answers for the life of the resolver (one cmdlet invocation), honouring TTLs.</summary>
        public bool UseCache { get; init; } = true;

        /// <summary>Queries in flight at once on the live resolver.</summary>
        public int MaxConcurrentQueries
        {
            get => _maxConcurrentQueries;
            init
            {
                if (value < 1)
                    throw new ArgumentOutOfRangeException(nameof(MaxConcurrentQueries), value, "At least one concurrent query is needed.");
                _maxConcurrentQueries = value;
            }
        }

        /// <summary>
        /// The most DNS messages per second the live resolver sends (every try, retry and TCP query counts); 0, the
        /// default, means no limit. Time spent waiting for a slot is not part of <see cref="Timeout"/>.
        /// </summary>
        public int MaxQueriesPerSecond
        {
            get => _maxQueriesPerSecond;
            init
            {
                if (value < 0)
                    throw new ArgumentOutOfRangeException(nameof(MaxQueriesPerSecond), value, "The query rate limit cannot be negative (0 means no limit).");
                _maxQueriesPerSecond = value;
            }
        }

        /// <summary>True when no server is given and at least one zone file is: names outside the zones are not looked up.</summary>
        public bool IsOffline => Servers.Count == 0 && ZoneFiles.Count > 0;

        public override string ToString() =>
            $"Servers={(Servers.Count == 0 ? "(system)" : string.Join(",", Servers))}, Timeout={Timeout.TotalSeconds}s, Retries={Retries}, " +
            $"TcpFallback={UseTcpFallback}, Edns={EdnsBufferSize}, ZoneFiles={ZoneFiles.Count}, Cache={UseCache}" +
            (MaxQueriesPerSecond > 0 ? $", MaxQueriesPerSecond={MaxQueriesPerSecond}" : string.Empty);
    }
}
