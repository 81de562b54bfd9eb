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
    /// Answers DNS questions from loaded zone files, the way an authoritative server for those zones would
    /// (RFC 1034 §4.3.2), so that audits can run offline or against a zone before it is published.
    /// <list type="bullet">
    /// <item>A name at or under a loaded zone's origin is answered from that zone (the most specific zone wins):
    /// records of the asked type give <see cref="DnsLookupStatus.Success"/>; a name that exists (owns records, or is an
    /// empty non-terminal with names below it, RFC 8020) but has none of that type gives
    /// <see cref="DnsLookupStatus.NoData"/>; otherwise <see cref="DnsLookupStatus.NxDomain"/>.</item>
    /// <item>A CNAME at the name is followed when another type is asked (RFC 1034 §3.6.2), within the loaded zones
    /// and through the fallback resolver for targets outside them, at most <see cref="MaxCnameHops"/> times; a loop or
    /// a longer chain gives <see cref="DnsLookupStatus.Error"/>.</item>
    /// <item>Wildcards are expanded as RFC 4592 §3.3.1 says: only when the name does not exist, from the
    /// "*" child of its closest encloser; synthesised records carry the query name.</item>
    /// <item>Names below a delegation (NS records below the apex, RFC 1034 §4.2.1) are outside the zone's authority:
    /// they are handled like names outside every zone, except an NS query at the delegation point itself.</item>
    /// <item>A name outside every loaded zone goes to the fallback resolver; without one the answer is
    /// <see cref="DnsLookupStatus.NotAvailableOffline"/> with a message naming the loaded zones.</item>
    /// </list>
    /// DNAME records (RFC 6672) are kept as data but not followed.
    /// <see cref="DnsLookupResult.Source"/> is "zone file &lt;origin&gt;". Never throws for DNS outcomes; only
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public sealed class ZoneFileResolver : IDnsResolver
    {
        /// <summary>The most CNAME records followed for one question.</summary>
        public const int MaxCnameHops = 16;

        private readonly Dictionary<string, DnsZone> _byOrigin;

        /// <summary>Creates a resolver over the given zones.</summary>
        /// <param name="zones">The zones; two zones with the same origin are refused (merge them first).</param>
        /// <param name="fallback">Asked for names outside every zone (and CNAME targets there); null to stay offline.</param>
        /// <exception cref="ArgumentException">Two zones have the same origin.</exception>
        public ZoneFileResolver(IEnumerable<DnsZone> zones, IDnsResolver? fallback = null)
        {
            if (zones is null) throw new ArgumentNullException(nameof(zones));
            _byOrigin = new Dictionary<string, DnsZone>(StringComparer.Ordinal);
            var list = new List<DnsZone>();
            foreach (var zone in zones)
            {
                if (zone is null) continue;
                if (_byOrigin.ContainsKey(zone.Origin))
                    throw new ArgumentException($"Two zones have the origin '{OriginText(zone.Origin)}'.", nameof(zones));
                _byOrigin.Add(zone.Origin, zone);
                list.Add(zone);
            }
            Zones = list.AsReadOnly();
            Fallback = fallback;
        }

        /// <summary>The loaded zones, in the order given.</summary>
        public IReadOnlyList<DnsZone> Zones { get; }

        /// <summary>The resolver asked for names outside the loaded zones, or null.</summary>
        public IDnsResolver? Fallback { get; }

        /// <summary>
        /// Parses zone files with <see cref="ZoneFileParser.ParseFile"/> (origin from $ORIGIN, the SOA owner or the file
        /// name) and builds a resolver over them. Files that yield no records are not loaded; a second file for a zone
        /// already loaded is not loaded either. All parser diagnostics, plus one error for each file not loaded, are
        /// returned in <paramref name="diagnostics"/>. Does not throw for unreadable or broken files.
        /// </summary>
        public static ZoneFileResolver FromFiles(IEnumerable<string> paths, IDnsResolver? fallback, out IReadOnlyList<ZoneFileDiagnostic> diagnostics)
        {
            if (paths is null) throw new ArgumentNullException(nameof(paths));
            var diags = new List<ZoneFileDiagnostic>();
            var zones = new List<DnsZone>();
            var byOrigin = new Dictionary<string, DnsZone>(StringComparer.Ordinal);
            foreach (var path in paths)
            {
                if (string.IsNullOrWhiteSpace(path)) continue;
                var result = ZoneFileParser.ParseFile(path);
                diags.AddRange(result.Diagnostics);
                var zone = result.Zone;
                if (zone.Records.Count == 0)
                {
                    diags.Add(new ZoneFileDiagnostic(FindingSeverity.Error, 0, "No records could be read; the file is not loaded.", null, zone.SourceName ?? path));
                    continue;
                }
                if (byOrigin.TryGetValue(zone.Origin, out var first))
                {
                    diags.Add(new ZoneFileDiagnostic(FindingSeverity.Error, 0,
                        $"The zone '{OriginText(zone.Origin)}' is already loaded from '{first.SourceName}'; this file is not loaded.", null, zone.SourceName ?? path));
                    continue;
                }
                byOrigin.Add(zone.Origin, zone);
                zones.Add(zone);
            }
            diagnostics = diags.AsReadOnly();
            return new ZoneFileResolver(zones, fallback);
        }

        /// <summary>The most specific loaded zone whose origin is <paramref name="name"/> or an ancestor of it, or null.</summary>
        public DnsZone? FindZone(string name)
        {
            var n = DnsName.Normalize(name);
            while (true)
            {
                if (_byOrigin.TryGetValue(n, out var zone)) return zone;
                if (n.Length == 0) return null;
                var dot = n.IndexOf('.');
                n = dot < 0 ? string.Empty : n.Substring(dot + 1);
            }
        }

        /// <inheritdoc />
        public async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var qname = DnsName.Normalize(name);
            var chain = new List<string>();
            var current = qname;
            DnsZone? lastZone = null;
            while (true)
            {
                var zone = FindZone(current);
                var cut = zone?.FindDelegation(current);
                if (zone != null && cut != null && cut == current && type == DnsRecordType.NS)
                {
                    // The parent holds the delegation NS set (not authoritative data, RFC 2181 §6.1).
                    return new DnsLookupResult(qname, type, DnsLookupStatus.Success, zone.GetRecords(current, DnsRecordType.NS), chain, SourceOf(zone));
                }
                if (zone is null || cut != null)
                    return await OutsideAsync(qname, type, current, chain, zone, cut, lastZone, cancellationToken).ConfigureAwait(false);

                lastZone = zone;
                var records = zone.GetRecords(current);
                bool wildcard = false;
                if (records.Count == 0)
                {
                    if (zone.NameExists(current))
                        return new DnsLookupResult(qname, type, DnsLookupStatus.NoData, null, chain, SourceOf(zone), authoritative: true);
                    records = zone.GetRecords(WildcardFor(zone, current));
                    if (records.Count == 0)
                        return new DnsLookupResult(qname, type, DnsLookupStatus.NxDomain, null, chain, SourceOf(zone), authoritative: true);
                    wildcard = true;
                }

                if (type != DnsRecordType.CNAME)
                {
                    var cname = records.FirstOrDefault(r => r.RecordType == DnsRecordType.CNAME);
                    if (cname != null)
                    {
                        var target = cname.Target ?? string.Empty;
                        if (target == qname || chain.Contains(target))
                        {
                            var path = string.Join(" -> ", new[] { qname }.Concat(chain).Concat(new[] { target }));
                            return new DnsLookupResult(qname, type, DnsLookupStatus.Error, null, chain, SourceOf(zone),
                                $"CNAME loop: {path}.", authoritative: true);
                        }
                        if (chain.Count >= MaxCnameHops)
                        {
                            return new DnsLookupResult(qname, type, DnsLookupStatus.Error, null, chain, SourceOf(zone),
                                $"The CNAME chain from '{qname}' is longer than {MaxCnameHops} names.", authoritative: true);
                        }
                        chain.Add(target);
                        current = target;
                        continue;
                    }
                }

                var answers = records.Where(r => r.RecordType == type).Select(r => wildcard ? WithName(r, current) : r).ToList();
                return new DnsLookupResult(qname, type, answers.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData,
                    answers, chain, SourceOf(zone), authoritative: true);
            }
        }

        /// <summary>A name outside the loaded data: ask the fallback, or say it is not available offline.</summary>
        private async Task<DnsLookupResult> OutsideAsync(string qname, DnsRecordType type, string current, List<string> chain,
            DnsZone? zone, string? cut, DnsZone? lastZone, CancellationToken cancellationToken)
        {
            if (Fallback != null)
            {
                var answer = await Fallback.QueryAsync(current, type, cancellationToken).ConfigureAwait(false);
                if (chain.Count == 0) return answer;
                var merged = chain.Concat(answer.CnameChain).ToList();
                var source = SourceOf(lastZone!) + ", then " + (answer.Source ?? "the fallback resolver");
                return new DnsLookupResult(qname, type, answer.Status, answer.Records, merged, source, answer.ErrorMessage, false, answer.UsedTcp);
            }
            string message;
            if (zone != null && cut != null)
                message = $"'{current}' is delegated from zone file {OriginText(zone.Origin)} to other name servers (NS records at '{cut}'), and that zone is not loaded.";
            else
                message = $"'{OriginText(current)}' is not in any loaded zone file (loaded zones: {LoadedZonesText()}).";
            if (chain.Count > 0) message = $"The CNAME chain from '{qname}' leads to '{current}': " + message;
            return new DnsLookupResult(qname, type, DnsLookupStatus.NotAvailableOffline, null, chain,
                lastZone != null ? SourceOf(lastZone) : zone != null ? SourceOf(zone) : "zone files", message);
        }

        /// <summary>RFC 4592 §3.3.1: the wildcard owner "*.&lt;closest encloser&gt;" for a name that does not exist.</summary>
        private static string WildcardFor(DnsZone zone, string name)
        {
            var n = name;
            while (n.Length > zone.Origin.Length)
            {
                var dot = n.IndexOf('.');
                n = dot < 0 ? string.Empty : n.Substring(dot + 1);
                if (zone.NameExists(n)) break;
            }
            return n.Length == 0 ? "*" : "*." + n;
        }

        /// <summary>A copy of the record owned by <paramref name="name"/> (wildcard synthesis, RFC 4592 §3.3.1).</summary>
        private static DnsResourceRecord WithName(DnsResourceRecord r, string name)
        {
            if (r.Address != null) return DnsResourceRecord.CreateAddress(name, r.Address, r.TimeToLive);
            if (r.RecordType == DnsRecordType.MX && r.Target != null) return DnsResourceRecord.CreateMx(name, r.Preference, r.Target, r.TimeToLive);
            if (r.Target != null) return DnsResourceRecord.CreateTarget(name, r.RecordType, r.Target, r.TimeToLive);
            if (r.Data != null) return DnsResourceRecord.CreateOther(name, r.RecordType, r.Data, r.TimeToLive);
            return DnsResourceRecord.CreateText(name, r.RecordType, r.Strings, r.TimeToLive);
        }

        private string LoadedZonesText() =>
            Zones.Count == 0 ? "none" : string.Join(", ", Zones.Select(z => OriginText(z.Origin)));

        private static string SourceOf(DnsZone zone) => "zone file " + OriginText(zone.Origin);

        private static string OriginText(string origin) => origin.Length == 0 ? "." : origin;
    }
}
