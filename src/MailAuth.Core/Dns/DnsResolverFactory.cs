using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Findings;
using MailAuth.Zone;

namespace MailAuth.Dns
{
    /// <summary>
    /// The resolvers of one cmdlet invocation, built by <see cref="DnsResolverFactory.Create(DnsResolverOptions?)"/>:
    /// a <see cref="CachingDnsResolver"/> in front of the zone files and/or the live servers, with the shared
    /// <see cref="Statistics"/> and the zone files' diagnostics. Use it as the <see cref="IDnsResolver"/> of every
    /// lookup of the invocation; dispose it at the end.
    /// </summary>
    public sealed class DnsResolverSession : IDnsResolver, IDisposable
    {
        internal DnsResolverSession(DnsResolverOptions options, CachingDnsResolver cache, IDnsResolver? network, LiveDnsResolver? live,
            ZoneFileResolver? zones, IReadOnlyList<ZoneFileDiagnostic> zoneDiagnostics, DnsQueryStatistics statistics)
        {
            Options = options;
            Cache = cache;
            Network = network;
            Live = live;
            Zones = zones;
            ZoneDiagnostics = zoneDiagnostics;
            Statistics = statistics;
        }

        public DnsResolverOptions Options { get; }

        /// <summary>The resolver every lookup of the invocation goes through (the cache; the session itself answers the same way).</summary>
        public IDnsResolver Resolver => Cache;

        /// <summary>The cache in front of everything else.</summary>
        public CachingDnsResolver Cache { get; }

        /// <summary>The resolver for names outside the zone files (the live one, or the one given to the factory); null offline.</summary>
        public IDnsResolver? Network { get; }

        /// <summary>The live resolver, or null in offline mode (zone files and no server) or when another network resolver was given.</summary>
        public LiveDnsResolver? Live { get; }

        /// <summary>The zone-file resolver, or null when no zone file was given.</summary>
        public ZoneFileResolver? Zones { get; }

        /// <summary>What the zone file parser reported (errors, warnings), in file order. Empty without zone files.</summary>
        public IReadOnlyList<ZoneFileDiagnostic> ZoneDiagnostics { get; }

        /// <summary>True when zone files have errors (some records, or whole files, were not loaded).</summary>
        public bool HasZoneErrors => ZoneDiagnostics.Any(d => d.Severity == FindingSeverity.Error);

        /// <summary>Lookups sent, cache hits, network queries (shared by the cache and the live resolver).</summary>
        public DnsQueryStatistics Statistics { get; }

        /// <summary>Zone files and no server: names outside the zones are <see cref="DnsLookupStatus.NotAvailableOffline"/>.</summary>
        public bool IsOffline => Zones != null && Zones.Fallback is null;

        /// <inheritdoc />
        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default) =>
            Cache.QueryAsync(name, type, cancellationToken);

        /// <summary>One line for -Verbose: where answers come from.</summary>
        public string Describe()
        {
            var parts = new List<string>();
            if (Zones != null) parts.Add("zone files " + string.Join(", ", Zones.Zones.Select(z => z.Origin.Length == 0 ? "." : z.Origin)));
            if (Live != null) parts.Add("DNS servers " + (Live.Servers.Count == 0 ? "(none found)" : string.Join(", ", Live.Servers)));
            else if (Network != null) parts.Add("resolver " + Network.GetType().Name);
            if (IsOffline) parts.Add("offline: other names are not looked up");
            if (!Options.UseCache) parts.Add("no cache");
            return string.Join("; ", parts);
        }

        public void Dispose() => Live?.Dispose();
    }

    /// <summary>Builds the resolvers for one cmdlet invocation from <see cref="DnsResolverOptions"/>.</summary>
    public static class DnsResolverFactory
    {
        /// <summary>
        /// No zone files: the live servers (or the system's). Zone files and servers: the zones answer for their names
        /// and the servers for the rest. Zone files only: offline, names outside the zones are
        /// <see cref="DnsLookupStatus.NotAvailableOffline"/>. A <see cref="CachingDnsResolver"/> sits in front
        /// (pass-through when <see cref="DnsResolverOptions.UseCache"/> is false). Broken zone files do not throw:
        /// see <see cref="DnsResolverSession.ZoneDiagnostics"/>.
        /// </summary>
        public static DnsResolverSession Create(DnsResolverOptions? options = null) => Create(options, null);

        /// <summary>
        /// As <see cref="Create(DnsResolverOptions?)"/>, but <paramref name="network"/> (when not null) replaces the live
        /// resolver: tests and benchmarks use it to put a fake or counting resolver behind the zones and the cache.
        /// It is used whenever a live resolver would be, that is unless the options are offline.
        /// </summary>
        public static DnsResolverSession Create(DnsResolverOptions? options, IDnsResolver? network)
        {
            options ??= DnsResolverOptions.Default;
            var statistics = new DnsQueryStatistics();

            LiveDnsResolver? live = null;
            IDnsResolver? networkResolver = null;
            if (!options.IsOffline)
            {
                if (network != null) networkResolver = network;
                else networkResolver = live = new LiveDnsResolver(options, statistics);
            }

            ZoneFileResolver? zones = null;
            IReadOnlyList<ZoneFileDiagnostic> diagnostics = Array.Empty<ZoneFileDiagnostic>();
            IDnsResolver front;
            if (options.ZoneFiles.Count > 0)
            {
                zones = ZoneFileResolver.FromFiles(options.ZoneFiles, networkResolver, out diagnostics);
                front = zones;
            }
            else
            {
                front = networkResolver!;
            }

            var cache = new CachingDnsResolver(front, statistics, enabled: options.UseCache);
            return new DnsResolverSession(options, cache, networkResolver, live, zones, diagnostics, statistics);
        }
    }
}
