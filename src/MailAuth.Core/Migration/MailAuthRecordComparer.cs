using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Publishing;
using MailAuth.Spf;
using MailAuth.Zone;

namespace MailAuth.Migration
{
    /// <summary>
    /// Compares a domain's mail-authentication records between two resolvers: the reference (for example the old DNS
    /// host's zone export, or its name servers) and the difference side (the new provider, or the normal resolver).
    /// For SPF (RFC 7208 §3), each DKIM selector (RFC 6376 §3.6.2.1, TXT or CNAME), DMARC (RFC 7489 §6.1), every MX
    /// (RFC 1035 §3.3.9), MTA-STS (RFC 8461 §3.1), TLS-RPT (RFC 8460 §3) and BIMI (default._bimi) it returns one
    /// <see cref="MailAuthRecordComparison"/>: Same, Changed, Missing, Extra or LookupFailed, with the reference record
    /// to publish for Missing and Changed. TXT values are compared after joining their character-strings
    /// (RFC 7208 §3.3), exactly; names and CNAME/MX targets case-insensitively (RFC 4343). Records absent on both sides
    /// yield no row. Never throws for DNS outcomes.
    /// </summary>
    public sealed class MailAuthRecordComparer
    {
        /// <summary>TTL of a record to publish when the reference TTL is unknown (CNAME) or below a minute (e.g. "automatic" 1).</summary>
        public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromHours(1);

        private const string DkimLabel = "._domainkey.";
        private readonly IDnsResolver _reference;
        private readonly IDnsResolver _difference;

        public MailAuthRecordComparer(IDnsResolver reference, IDnsResolver difference)
        {
            _reference = reference ?? throw new ArgumentNullException(nameof(reference));
            _difference = difference ?? throw new ArgumentNullException(nameof(difference));
        }

        /// <summary>
        /// Compares the records of <paramref name="domain"/>. DKIM is compared for <paramref name="selectors"/>
        /// (invalid selectors are ignored; see <see cref="FindDkimSelectors"/> for the selectors of a zone file).
        /// Rows come in a fixed order: SPF, DKIM by selector, DMARC, MX, MTA-STS, TLS-RPT, BIMI.
        /// </summary>
        public async Task<IReadOnlyList<MailAuthRecordComparison>> CompareAsync(string domain, IEnumerable<string>? selectors = null,
            CancellationToken cancellationToken = default)
        {
            if (domain is null) throw new ArgumentNullException(nameof(domain));
            domain = DnsName.Normalize(domain);
            var validSelectors = (selectors ?? Enumerable.Empty<string>())
                .Where(s => s != null && DkimAnalyzer.IsValidSelector(s, out _))
                .Select(DnsName.Normalize)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToList();

            var tasks = new List<Task<IReadOnlyList<MailAuthRecordComparison>>>
            {
                One(CompareNameAsync(domain, MailAuthRecordKind.Spf, domain, null, SpfParser.IsSpfRecord, cancellationToken)),
            };
            foreach (var selector in validSelectors)
                tasks.Add(One(CompareNameAsync(domain, MailAuthRecordKind.Dkim, DkimAnalyzer.KeyName(selector, domain), selector, _ => true, cancellationToken)));
            tasks.Add(One(CompareNameAsync(domain, MailAuthRecordKind.Dmarc, "_dmarc." + domain, null, t => HasVersion(t, "v=DMARC1"), cancellationToken)));
            tasks.Add(CompareMxAsync(domain, cancellationToken));
            tasks.Add(One(CompareNameAsync(domain, MailAuthRecordKind.MtaSts, "_mta-sts." + domain, null, t => HasVersion(t, "v=STSv1"), cancellationToken)));
            tasks.Add(One(CompareNameAsync(domain, MailAuthRecordKind.TlsRpt, "_smtp._tls." + domain, null, t => HasVersion(t, "v=TLSRPTv1"), cancellationToken)));
            tasks.Add(One(CompareNameAsync(domain, MailAuthRecordKind.Bimi, "default._bimi." + domain, null, t => HasVersion(t, "v=BIMI1"), cancellationToken)));

            var results = await Task.WhenAll(tasks).ConfigureAwait(false);
            return results.SelectMany(r => r).ToList();
        }

        /// <summary>
        /// The DKIM selectors with a TXT or CNAME record at &lt;selector&gt;._domainkey.&lt;domain&gt; in the given zones
        /// (wildcards excluded), sorted.
        /// </summary>
        public static IReadOnlyList<string> FindDkimSelectors(IEnumerable<DnsZone> zones, string domain)
        {
            if (zones is null) throw new ArgumentNullException(nameof(zones));
            var suffix = DkimLabel + DnsName.Normalize(domain);
            var found = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var zone in zones.Where(z => z != null))
            {
                foreach (var owner in zone.OwnerNames)
                {
                    if (owner.Length <= suffix.Length || !owner.EndsWith(suffix, StringComparison.Ordinal)) continue;
                    var selector = owner.Substring(0, owner.Length - suffix.Length);
                    if (selector.IndexOf('*') >= 0 || !DkimAnalyzer.IsValidSelector(selector, out _)) continue;
                    if (zone.GetRecords(owner).Any(r => r.RecordType == DnsRecordType.TXT || r.RecordType == DnsRecordType.CNAME))
                        found.Add(selector);
                }
            }
            return found.ToList();
        }

        private static async Task<IReadOnlyList<MailAuthRecordComparison>> One(Task<MailAuthRecordComparison?> task)
        {
            var row = await task.ConfigureAwait(false);
            return row is null ? Array.Empty<MailAuthRecordComparison>() : new[] { row };
        }

        /// <summary>True when the text starts with the version tag followed by ';', white space or the end.</summary>
        internal static bool HasVersion(string text, string version)
        {
            var t = text.TrimStart();
            if (!t.StartsWith(version, StringComparison.OrdinalIgnoreCase)) return false;
            if (t.Length == version.Length) return true;
            var next = t[version.Length];
            return next == ';' || next == ' ' || next == '\t';
        }

        private sealed class Side
        {
            public DnsLookupStatus Status;
            public string? Source;
            public string? ErrorMessage;
            public bool Failed;
            /// <summary>"TXT", "CNAME", "MX", or null when the record is absent.</summary>
            public string? Type;
            public List<string> Values = new List<string>();
            public uint? Ttl;
        }

        private static async Task<Side> LookupAsync(IDnsResolver resolver, string name, Func<string, bool> filter, CancellationToken ct)
        {
            var r = await resolver.QueryAsync(name, DnsRecordType.TXT, ct).ConfigureAwait(false);
            var side = new Side { Status = r.Status, Source = r.Source, ErrorMessage = r.ErrorMessage };
            if (r.CnameChain.Count > 0)
            {
                // The name itself is an alias (a DKIM delegation to a mail service, a DMARC reporting service...).
                side.Type = "CNAME";
                side.Values.Add(DnsName.Normalize(r.CnameChain[0]));
                return side;
            }
            if (r.Status.IsTransientFailure()) { side.Failed = true; return side; }
            var matching = r.Records.Where(x => x.RecordType == DnsRecordType.TXT && filter(x.Text)).ToList();
            if (matching.Count == 0) return side;
            side.Type = "TXT";
            side.Values = matching.Select(x => x.Text).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
            side.Ttl = matching.Min(x => x.TimeToLive);
            return side;
        }

        private async Task<MailAuthRecordComparison?> CompareNameAsync(string domain, MailAuthRecordKind kind, string name, string? selector,
            Func<string, bool> filter, CancellationToken ct)
        {
            var refTask = LookupAsync(_reference, name, filter, ct);
            var diffTask = LookupAsync(_difference, name, filter, ct);
            var reference = await refTask.ConfigureAwait(false);
            var difference = await diffTask.ConfigureAwait(false);

            if (!reference.Failed && !difference.Failed && reference.Type is null && difference.Type is null) return null;
            var row = NewRow(domain, kind, name, selector, reference, difference);
            if (Failed(row, reference, difference)) return row;

            if (reference.Type is null)
            {
                row.State = RecordComparisonState.Extra;
                row.Message = $"The {Describe(kind, selector)} is published on the difference side only (it is not in the reference).";
            }
            else if (difference.Type is null)
            {
                row.State = RecordComparisonState.Missing;
                row.RecordToPublish = ToPublish(domain, name, reference);
                row.Message = MissingMessage(kind, selector, domain) + SeveralNote(reference);
            }
            else if (reference.Type == difference.Type && SameValues(reference, difference))
            {
                row.State = RecordComparisonState.Same;
                row.Message = "Same on both sides.";
            }
            else
            {
                row.State = RecordComparisonState.Changed;
                row.RecordToPublish = ToPublish(domain, name, reference);
                if (reference.Type != difference.Type) row.DifferenceRecordType = difference.Type;
                var message = new StringBuilder();
                message.Append($"The {Describe(kind, selector)} differs: the reference has {Article(reference.Type!)} {reference.Type}, the difference side {Article(difference.Type!)} {difference.Type}");
                message.Append(reference.Type == difference.Type ? " with another value." : ".");
                if (reference.Type == difference.Type && OnlyCaseOrSpacing(reference.Values, difference.Values))
                    message.Append(" The values differ only in letter case or spacing.");
                message.Append(" If the change was not intended, replace it with the reference record.");
                row.Message = message + SeveralNote(reference);
            }
            return row;
        }

        private async Task<IReadOnlyList<MailAuthRecordComparison>> CompareMxAsync(string domain, CancellationToken ct)
        {
            var refTask = _reference.QueryAsync(domain, DnsRecordType.MX, ct);
            var diffTask = _difference.QueryAsync(domain, DnsRecordType.MX, ct);
            var refResult = await refTask.ConfigureAwait(false);
            var diffResult = await diffTask.ConfigureAwait(false);
            var reference = MxSide(refResult);
            var difference = MxSide(diffResult);

            if (reference.Failed || difference.Failed)
            {
                var row = NewRow(domain, MailAuthRecordKind.Mx, domain, null, reference, difference);
                row.ReferenceValues = reference.Values;
                row.DifferenceValues = difference.Values;
                Failed(row, reference, difference);
                return new[] { row };
            }

            var refMx = MxMap(refResult);
            var diffMx = MxMap(diffResult);
            var order = refMx.Values.OrderBy(m => m.Preference).ThenBy(m => m.Exchange, StringComparer.Ordinal)
                .Concat(diffMx.Values.Where(m => !refMx.ContainsKey(m.Exchange)).OrderBy(m => m.Preference).ThenBy(m => m.Exchange, StringComparer.Ordinal))
                .Select(m => m.Exchange).ToList();

            var rows = new List<MailAuthRecordComparison>();
            foreach (var exchange in order)
            {
                refMx.TryGetValue(exchange, out var r);
                diffMx.TryGetValue(exchange, out var d);
                var row = new MailAuthRecordComparison(domain, MailAuthRecordKind.Mx, domain, "MX", null)
                {
                    ReferenceStatus = refResult.Status,
                    DifferenceStatus = diffResult.Status,
                    ReferenceSource = refResult.Source,
                    DifferenceSource = diffResult.Source,
                    ReferenceValues = r is null ? Array.Empty<string>() : new[] { r.Value },
                    DifferenceValues = d is null ? Array.Empty<string>() : new[] { d.Value },
                };
                var shown = exchange.Length == 0 ? "the null MX (RFC 7505)" : "MX " + exchange;
                if (r is null)
                {
                    row.State = RecordComparisonState.Extra;
                    row.Message = $"{Capital(shown)} is published on the difference side only.";
                }
                else if (d is null)
                {
                    row.State = RecordComparisonState.Missing;
                    row.RecordToPublish = PublishableRecord.CreateMx(domain, "@", exchange, r.Preference, Ttl(r.Ttl));
                    row.Message = exchange.Length == 0
                        ? "The null MX is on the reference side only: the domain no longer says that it accepts no mail (RFC 7505)."
                        : $"{Capital(shown)} is on the reference side only: mail is no longer delivered through it.";
                }
                else if (r.Preference == d.Preference)
                {
                    row.State = RecordComparisonState.Same;
                    row.Message = "Same on both sides.";
                }
                else
                {
                    row.State = RecordComparisonState.Changed;
                    row.RecordToPublish = PublishableRecord.CreateMx(domain, "@", exchange, r.Preference, Ttl(r.Ttl));
                    row.Message = $"The preference of {shown} changed from {r.Preference} to {d.Preference}, which changes the order in which senders try the MX hosts.";
                }
                rows.Add(row);
            }
            return rows;
        }

        private sealed class MxEntry
        {
            public MxEntry(string exchange, ushort preference, uint ttl) { Exchange = exchange; Preference = preference; Ttl = ttl; }
            public string Exchange { get; }
            public ushort Preference { get; }
            public uint Ttl { get; }
            public string Value => Preference + " " + (Exchange.Length == 0 ? "." : Exchange);
        }

        private static Dictionary<string, MxEntry> MxMap(DnsLookupResult result)
        {
            var map = new Dictionary<string, MxEntry>(StringComparer.Ordinal);
            if (result.Status != DnsLookupStatus.Success) return map;
            foreach (var mx in result.Records.Where(x => x.RecordType == DnsRecordType.MX))
            {
                var exchange = DnsName.Normalize(mx.Target);
                // The same exchange twice with different preferences: keep the most preferred.
                if (!map.TryGetValue(exchange, out var existing) || mx.Preference < existing.Preference)
                    map[exchange] = new MxEntry(exchange, mx.Preference, mx.TimeToLive);
            }
            return map;
        }

        private static Side MxSide(DnsLookupResult result)
        {
            var side = new Side { Status = result.Status, Source = result.Source, ErrorMessage = result.ErrorMessage, Failed = result.Status.IsTransientFailure() };
            var map = MxMap(result);
            if (map.Count > 0)
            {
                side.Type = "MX";
                side.Values = map.Values.OrderBy(m => m.Preference).ThenBy(m => m.Exchange, StringComparer.Ordinal).Select(m => m.Value).ToList();
            }
            return side;
        }

        private static MailAuthRecordComparison NewRow(string domain, MailAuthRecordKind kind, string name, string? selector, Side reference, Side difference) =>
            new MailAuthRecordComparison(domain, kind, name, reference.Type ?? difference.Type ?? (kind == MailAuthRecordKind.Mx ? "MX" : "TXT"), selector)
            {
                ReferenceValues = reference.Values,
                DifferenceValues = difference.Values,
                ReferenceStatus = reference.Status,
                DifferenceStatus = difference.Status,
                ReferenceSource = reference.Source,
                DifferenceSource = difference.Source,
            };

        /// <summary>Marks the row LookupFailed when either side's lookup failed; returns true then.</summary>
        private static bool Failed(MailAuthRecordComparison row, Side reference, Side difference)
        {
            if (!reference.Failed && !difference.Failed) return false;
            row.State = RecordComparisonState.LookupFailed;
            var parts = new List<string>();
            if (reference.Failed) parts.Add(FailureText("reference", reference));
            if (difference.Failed) parts.Add(FailureText("difference", difference));
            row.Message = string.Join("; ", parts) + ". The record could not be compared.";
            return true;
        }

        private static string FailureText(string side, Side s) =>
            $"The {side} lookup failed ({s.Status}{(string.IsNullOrEmpty(s.ErrorMessage) ? "" : ": " + s.ErrorMessage)})";

        private static bool SameValues(Side a, Side b)
        {
            if (a.Values.Count != b.Values.Count) return false;
            var comparer = a.Type == "TXT" ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
            return new HashSet<string>(a.Values, comparer).SetEquals(b.Values);
        }

        private static bool OnlyCaseOrSpacing(IReadOnlyList<string> a, IReadOnlyList<string> b)
        {
            if (a.Count != b.Count) return false;
            var x = a.Select(Squash).OrderBy(v => v, StringComparer.Ordinal);
            var y = b.Select(Squash).OrderBy(v => v, StringComparer.Ordinal);
            return x.SequenceEqual(y, StringComparer.Ordinal);
        }

        private static string Squash(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (var c in s) if (!char.IsWhiteSpace(c)) sb.Append(char.ToLowerInvariant(c));
            return sb.ToString();
        }

        private static PublishableRecord ToPublish(string domain, string name, Side reference)
        {
            var ttl = Ttl(reference.Ttl);
            return reference.Type == "CNAME"
                ? PublishableRecord.CreateCname(domain, name, reference.Values[0], ttl)
                : PublishableRecord.CreateTxt(domain, name, reference.Values[0], ttl);
        }

        private static TimeSpan Ttl(uint? seconds) =>
            seconds is null || seconds < 60 ? DefaultTimeToLive : TimeSpan.FromSeconds(seconds.Value);

        private static string SeveralNote(Side reference) =>
            reference.Type == "TXT" && reference.Values.Count > 1
                ? $" The reference has {reference.Values.Count} such records at the name (receivers treat more than one SPF or DMARC record as an error); RecordToPublish holds the first."
                : string.Empty;

        private static string Article(string type) => type == "MX" ? "an" : "a";

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

        private static string Describe(MailAuthRecordKind kind, string? selector)
        {
            switch (kind)
            {
                case MailAuthRecordKind.Spf: return "SPF record";
                case MailAuthRecordKind.Dkim: return $"DKIM key of selector '{selector}'";
                case MailAuthRecordKind.Dmarc: return "DMARC record";
                case MailAuthRecordKind.MtaSts: return "MTA-STS record";
                case MailAuthRecordKind.TlsRpt: return "TLS-RPT record";
                case MailAuthRecordKind.Bimi: return "BIMI record";
                default: return "MX record";
            }
        }

        private static string MissingMessage(MailAuthRecordKind kind, string? selector, string domain)
        {
            switch (kind)
            {
                case MailAuthRecordKind.Spf:
                    return $"The SPF record is on the reference side only: receivers find no SPF policy for {domain} (SPF none, RFC 7208 §4.5), so DMARC can no longer pass through SPF.";
                case MailAuthRecordKind.Dkim:
                    return $"The DKIM key of selector '{selector}' is on the reference side only: signatures with s={selector} fail for want of a key (RFC 6376 §6.1.2), and DMARC fails for mail that relied on them.";
                case MailAuthRecordKind.Dmarc:
                    return "The DMARC record is on the reference side only: receivers apply no DMARC policy and send no reports (RFC 7489 §6.6.3).";
                case MailAuthRecordKind.MtaSts:
                    return "The MTA-STS record is on the reference side only: senders stop fetching the policy and no longer insist on TLS for inbound mail (RFC 8461 §3).";
                case MailAuthRecordKind.TlsRpt:
                    return "The TLS-RPT record is on the reference side only: senders stop sending TLS failure reports (RFC 8460 §3).";
                case MailAuthRecordKind.Bimi:
                    return "The BIMI record is on the reference side only: mailbox providers stop showing the brand logo.";
                default:
                    return "The MX record is on the reference side only.";
            }
        }
    }
}
