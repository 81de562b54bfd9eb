using System;
using System.Collections.Generic;
using MailAuth.Zone;

namespace MailAuth.Dns
{
    /// <summary>
    /// The resolver of one cmdlet invocation: a <see cref="CachingDnsResolver"/> in front of either the live
    /// resolver, the zone-file resolver, or the zone-file resolver with the live resolver as fallback.
    /// </summary>
    public sealed class DnsResolverSession : IDisposable
    {
        internal DnsResolverSession(CachingDnsResolver resolver, LiveDnsResolver? live, IReadOnlyList<ZoneFileDiagnostic> zoneDiagnostics)
        {
            Resolver = resolver;
            _live = live;
            ZoneDiagnostics = zoneDiagnostics;
        }

        private readonly LiveDnsResolver? _live;

        /// <summary>The resolver every lookup of the invocation goes through.</summary>
        public IDnsResolver Resolver { get; }
        /// <summary>Cache hits and queries sent (the live resolver shares the same statistics object).</summary>
        public DnsQueryStatistics Statistics => ((CachingDnsResolver)Resolver).Statistics;
        /// <summary>Problems found while reading the zone files (the usable records are still served).</summary>
        public IReadOnlyList<ZoneFileDiagnostic> ZoneDiagnostics { get; }

        public void Dispose() => _live?.Dispose();
    }

    /// <summary>Builds the resolver stack from <see cref="DnsResolverOptions"/>.</summary>
    public static class DnsResolverFactory
    {
        /// <summary>
        /// No zone files: live DNS (the given servers, or the system's). Zone files only: answers from them, and
        /// names outside every zone are <see cref="DnsLookupStatus.NotAvailableOffline"/>. Zone files and servers:
        /// names outside the zones are asked of the servers.
        /// </summary>
        public static DnsResolverSession Create(DnsResolverOptions options)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            var statistics = new DnsQueryStatistics();
            LiveDnsResolver? live = null;
            IDnsResolver inner;
            IReadOnlyList<ZoneFileDiagnostic> diagnostics = Array.Empty<ZoneFileDiagnostic>();
            if (options.ZoneFiles.Count == 0 || options.Servers.Count > 0)
                live = new LiveDnsResolver(options, statistics);
            if (options.ZoneFiles.Count > 0)
                inner = ZoneFileResolver.FromFiles(options.ZoneFiles, live, out diagnostics);
            else
                inner = live!;
            return new DnsResolverSession(new CachingDnsResolver(inner, statistics, options.UseCache), live, diagnostics);
        }
    }
}
