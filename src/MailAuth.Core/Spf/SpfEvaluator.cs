using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Spf
{
    /// <summary>
    /// The check_host() function of RFC 7208 §4: fetches and evaluates SPF records through an <see cref="IDnsResolver"/>.
    /// Only TXT records are queried; the obsolete SPF type (99) is never used (RFC 7208 §3.1).
    /// Thread-safe: each call runs its own evaluation state. Throws only <see cref="OperationCanceledException"/>.
    /// </summary>
    public sealed class SpfEvaluator
    {
        /// <summary>A hard cap on nested check_host() calls, whatever the configured lookup limit.</summary>
        private const int MaxNesting = 100;

        private readonly IDnsResolver _resolver;

        /// <param name="resolver">The DNS source.</param>
        /// <param name="options">Limits and macro inputs; the instance is frozen (later changes throw). Null: defaults.</param>
        public SpfEvaluator(IDnsResolver resolver, SpfEvaluationOptions? options = null)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            Options = (options ?? new SpfEvaluationOptions()).Freeze();
        }

        /// <summary>The frozen options in use.</summary>
        public SpfEvaluationOptions Options { get; }

        /// <summary>
        /// Checks the MAIL FROM identity (RFC 7208 §2.4): an empty reverse-path checks "postmaster@&lt;helo&gt;" against the
        /// HELO domain; a path without local part gets "postmaster".
        /// </summary>
        public Task<SpfCheckResult> CheckMailFromAsync(IPAddress ip, string? mailFrom, string? heloDomain, CancellationToken cancellationToken = default)
        {
            var id = SpfIdentity.FromMailFrom(mailFrom, heloDomain);
            return CheckHostAsync(ip, id.Domain, id.Sender, heloDomain, cancellationToken);
        }

        /// <summary>Checks the HELO identity (RFC 7208 §2.3): &lt;domain&gt; is the HELO name, &lt;sender&gt; "postmaster@&lt;helo&gt;".</summary>
        public Task<SpfCheckResult> CheckHeloAsync(IPAddress ip, string heloDomain, CancellationToken cancellationToken = default)
        {
            var id = SpfIdentity.FromHelo(heloDomain);
            return CheckHostAsync(ip, id.Domain, id.Sender, heloDomain, cancellationToken);
        }

        /// <summary>
        /// check_host(&lt;ip&gt;, &lt;domain&gt;, &lt;sender&gt;) (RFC 7208 §4). <paramref name="sender"/> without a local part gets
        /// "postmaster" (§4.3). <paramref name="heloDomain"/> feeds the %{h} macro.
        /// </summary>
        public async Task<SpfCheckResult> CheckHostAsync(IPAddress ip, string domain, string sender, string? heloDomain, CancellationToken cancellationToken = default)
        {
            if (ip is null) throw new ArgumentNullException(nameof(ip));
            var session = new Session(_resolver, Options, ip, domain ?? string.Empty, sender ?? string.Empty, heloDomain, cancellationToken);
            return await session.RunAsync().ConfigureAwait(false);
        }

        /// <summary>
        /// RFC 7208 §4.3: true when <paramref name="domain"/> can be checked (a multi-label name, labels of 1–63 octets,
        /// at most 253 octets, no domain literal). Otherwise check_host() returns none.
        /// </summary>
        public static bool IsCheckableDomain(string? domain, out string normalized, out string? reason)
        {
            normalized = string.Empty;
            reason = null;
            var d = (domain ?? string.Empty).Trim();
            if (d.EndsWith(".", StringComparison.Ordinal)) d = d.Substring(0, d.Length - 1);
            if (d.Length == 0) { reason = "The domain is empty."; return false; }
            if (d[0] == '[') { reason = $"'{d}' is an address literal, not a domain name."; return false; }
            if (d.Any(c => c > 0x7E))
            {
                try { d = new IdnMapping().GetAscii(d); }
                catch (ArgumentException) { reason = $"'{d}' is not a valid internationalised domain name."; return false; }
            }
            if (d.Any(c => c <= 0x20 || c > 0x7E)) { reason = $"'{d}' contains spaces or control characters."; return false; }
            if (d.Length > 253) { reason = $"'{d}' is longer than 253 characters."; return false; }
            var labels = d.Split('.');
            if (labels.Length < 2) { reason = $"'{d}' is not a multi-label domain name."; return false; }
            foreach (var l in labels)
            {
                if (l.Length == 0) { reason = $"'{d}' has an empty label."; return false; }
                if (l.Length > 63) { reason = $"'{d}' has a label longer than 63 characters."; return false; }
            }
            if (labels[labels.Length - 1].All(c => c >= '0' && c <= '9')) { reason = $"'{d}' is an IP address, not a domain name."; return false; }
            normalized = d.ToLowerInvariant();
            return true;
        }

        /// <summary>True when a name built from a domain-spec can be sent as a query: labels of 1–63 octets, at most 253 octets.</summary>
        internal static bool IsQueryableName(string name)
        {
            if (name.Length == 0 || name.Length > 253) return false;
            foreach (var l in name.Split('.')) if (l.Length == 0 || l.Length > 63) return false;
            return true;
        }

        private sealed class Abort : Exception
        {
            public Abort(SpfResult result, string message) : base(message) { Result = result; }
            public SpfResult Result { get; }
        }

        private readonly struct Outcome
        {
            public Outcome(SpfResult result, SpfRecord? record, string domain, SpfMechanism? term)
            {
                Result = result;
                Record = record;
                Domain = domain;
                Term = term;
            }

            public SpfResult Result { get; }
            public SpfRecord? Record { get; }
            public string Domain { get; }
            public SpfMechanism? Term { get; }
        }

        /// <summary>The state of one check_host() evaluation.</summary>
        private sealed class Session
        {
            private readonly IDnsResolver _resolver;
            private readonly SpfEvaluationOptions _options;
            private readonly IPAddress _ip;
            private readonly bool _v6;
            private readonly string _domain;
            private readonly SpfMacroValues _values;
            private readonly SpfPtrValidator _ptr;
            private readonly SpfMacroExpander _expander;
            private readonly CancellationToken _ct;
            private readonly List<SpfTraceStep> _trace = new List<SpfTraceStep>();
            private int _lookups;
            private int _voids;
            private int _nesting;
            private string? _topRecord;

            public Session(IDnsResolver resolver, SpfEvaluationOptions options, IPAddress ip, string domain, string sender, string? helo, CancellationToken ct)
            {
                _resolver = resolver;
                _options = options;
                _ip = IpNetwork.Unmap(ip);
                _v6 = _ip.AddressFamily == AddressFamily.InterNetworkV6;
                _domain = domain.Trim();
                _values = new SpfMacroValues(_ip, sender, _domain, helo, options.ReceiverName, options.Now());
                _ptr = new SpfPtrValidator(resolver, options.MaxPtrNames);
                _expander = new SpfMacroExpander(_ptr);
                _ct = ct;
            }

            public async Task<SpfCheckResult> RunAsync()
            {
                SpfResult result;
                string? error = null, explanation = null, matched = null, matchedDomain = null;
                try
                {
                    var outcome = await CheckHostCore(_domain, 0).ConfigureAwait(false);
                    result = outcome.Result;
                    matched = outcome.Term?.Text;
                    matchedDomain = outcome.Term is null ? null : outcome.Domain;
                    if (result == SpfResult.Fail && outcome.Record?.Explanation != null)
                        explanation = await GetExplanation(outcome.Record.Explanation, outcome.Domain).ConfigureAwait(false);
                }
                catch (Abort a)
                {
                    result = a.Result;
                    error = a.Message;
                }
                Trace(0, _domain, null, SpfTraceEvent.Result, "Result: " + result.ToString().ToLowerInvariant() + (error is null ? "" : " (" + error + ")"), result);
                return new SpfCheckResult(result, _ip, _domain, _values.Sender, explanation, matched, matchedDomain, _topRecord,
                    _lookups, _voids, _trace.ToArray(), error);
            }

            private void Trace(int depth, string domain, string? term, SpfTraceEvent e, string detail, SpfResult? result = null) =>
                _trace.Add(new SpfTraceStep(depth, domain, term, e, detail, result));

            private Abort Perm(int depth, string domain, string? term, string message)
            {
                Trace(depth, domain, term, SpfTraceEvent.PermError, message, SpfResult.PermError);
                return new Abort(SpfResult.PermError, message);
            }

            private Abort Temp(int depth, string domain, string? term, DnsLookupResult r)
            {
                var message = $"DNS {r.QueryType} lookup for {r.QueryName} failed: {r.Status}{(r.ErrorMessage is null ? "" : " (" + r.ErrorMessage + ")")}.";
                Trace(depth, domain, term, SpfTraceEvent.DnsError, message, SpfResult.TempError);
                return new Abort(SpfResult.TempError, message);
            }

            private void CountLookup(int depth, string domain, string term, int count = 1)
            {
                if (count <= 0) return;
                _lookups += count;
                if (_lookups > _options.MaxDnsLookups)
                    throw Perm(depth, domain, term, $"More than {_options.MaxDnsLookups} DNS-querying terms (include, a, mx, ptr, exists, redirect) were needed (RFC 7208 §4.6.4).");
            }

            private void CountVoid(int depth, string domain, string term, DnsLookupResult r)
            {
                _voids++;
                Trace(depth, domain, term, SpfTraceEvent.VoidLookup, $"{r.QueryName} {r.QueryType}: {r.Status} (void lookup {_voids}).");
                if (_voids > _options.MaxVoidLookups)
                    throw Perm(depth, domain, term, $"More than {_options.MaxVoidLookups} lookups returned no data or NXDOMAIN (RFC 7208 §4.6.4).");
            }

            private Task<DnsLookupResult> Query(string name, DnsRecordType type) => _resolver.QueryAsync(name, type, _ct);

            private async Task<Outcome> CheckHostCore(string domain, int depth)
            {
                if (++_nesting > MaxNesting)
                    throw Perm(depth, domain, null, "Too many nested include/redirect evaluations.");
                Trace(depth, domain, null, SpfTraceEvent.CheckHost, $"check_host() for {domain}");
                if (!IsCheckableDomain(domain, out var name, out var reason))
                {
                    Trace(depth, domain, null, SpfTraceEvent.InvalidDomain, reason + " Result none (RFC 7208 §4.3).", SpfResult.None);
                    return new Outcome(SpfResult.None, null, domain, null);
                }

                var txt = await Query(name, DnsRecordType.TXT).ConfigureAwait(false);
                if (txt.Status.IsTransientFailure()) throw Temp(depth, name, null, txt);
                var spf = txt.Status == DnsLookupStatus.Success
                    ? txt.Records.Where(r => r.RecordType == DnsRecordType.TXT).Select(r => r.Text).Where(SpfParser.IsSpfRecord).ToList()
                    : new List<string>();
                if (spf.Count == 0)
                {
                    Trace(depth, name, null, SpfTraceEvent.NoRecord,
                        txt.Status == DnsLookupStatus.Success ? "No TXT record starts with \"v=spf1\"." : $"TXT lookup: {txt.Status}.", SpfResult.None);
                    return new Outcome(SpfResult.None, null, name, null);
                }
                if (spf.Count > 1)
                    throw Perm(depth, name, null, $"{name} publishes {spf.Count} SPF records; there must be exactly one (RFC 7208 §4.5).");

                var record = SpfParser.Parse(spf[0]);
                if (depth == 0 && _topRecord is null) _topRecord = record.Raw;
                Trace(depth, name, null, SpfTraceEvent.RecordFound, record.Raw);
                var firstError = record.Diagnostics.FirstOrDefault(d => d.IsError);
                if (firstError != null)
                    throw Perm(depth, name, firstError.Term, $"The SPF record of {name} is invalid: {firstError.Message}");

                var values = _values.WithDomain(name);
                foreach (var term in record.Terms)
                {
                    if (!(term is SpfMechanism m)) continue;
                    bool match = await Evaluate(m, name, values, depth).ConfigureAwait(false);
                    if (match)
                    {
                        var r = m.Qualifier.ToResult();
                        Trace(depth, name, m.Text, SpfTraceEvent.Match, "Matched: " + r.ToString().ToLowerInvariant() + ".", r);
                        return new Outcome(r, record, name, m);
                    }
                    Trace(depth, name, m.Text, SpfTraceEvent.NoMatch, "No match.");
                }

                if (record.Redirect != null)
                {
                    var term = record.Redirect.Text;
                    CountLookup(depth, name, term);
                    var target = await ExpandDomain(record.Redirect.Value, values, depth, name, term).ConfigureAwait(false);
                    Trace(depth, name, term, SpfTraceEvent.Redirect, $"Redirect to {target}.");
                    var o = await CheckHostCore(target, depth).ConfigureAwait(false);
                    if (o.Result == SpfResult.None)
                        throw Perm(depth, name, term, $"The redirect target {target} has no SPF record (RFC 7208 §6.1).");
                    return o;
                }

                Trace(depth, name, null, SpfTraceEvent.Default, "No mechanism matched: neutral (RFC 7208 §4.7).", SpfResult.Neutral);
                return new Outcome(SpfResult.Neutral, record, name, null);
            }

            private async Task<string> ExpandDomain(string domainSpec, SpfMacroValues values, int depth, string domain, string term)
            {
                var e = await _expander.ExpandDomainAsync(domainSpec, values, _ct).ConfigureAwait(false);
                if (!e.Success) throw Perm(depth, domain, term, "Macro error: " + e.Error);
                CountLookup(depth, domain, term, e.PMacroCount);
                return e.Value!;
            }

            private async Task<string?> TargetName(SpfMechanism m, string domain, SpfMacroValues values, int depth)
            {
                var target = m.DomainSpec is null ? domain : await ExpandDomain(m.DomainSpec, values, depth, domain, m.Text).ConfigureAwait(false);
                if (IsQueryableName(target)) return target;
                // RFC 7208 leaves this undefined (OpenSPF suite accepts fail or permerror): treat as a name that does not exist.
                Trace(depth, domain, m.Text, SpfTraceEvent.NoMatch, $"'{target}' is not a valid DNS name; treated as not existing.");
                return null;
            }

            private async Task<bool> Evaluate(SpfMechanism m, string domain, SpfMacroValues values, int depth)
            {
                switch (m.Kind)
                {
                    case SpfMechanismKind.All:
                        return true;

                    case SpfMechanismKind.Ip4:
                    case SpfMechanismKind.Ip6:
                        return m.Network.HasValue && m.Network.Value.Contains(_ip);

                    case SpfMechanismKind.A:
                    {
                        CountLookup(depth, domain, m.Text);
                        var target = await TargetName(m, domain, values, depth).ConfigureAwait(false);
                        if (target is null) return false;
                        var r = await Query(target, _v6 ? DnsRecordType.AAAA : DnsRecordType.A).ConfigureAwait(false);
                        if (r.Status.IsTransientFailure()) throw Temp(depth, domain, m.Text, r);
                        if (r.Status.IsVoid()) { CountVoid(depth, domain, m.Text, r); return false; }
                        return AnyAddressMatches(r, m);
                    }

                    case SpfMechanismKind.Mx:
                    {
                        CountLookup(depth, domain, m.Text);
                        var target = await TargetName(m, domain, values, depth).ConfigureAwait(false);
                        if (target is null) return false;
                        var r = await Query(target, DnsRecordType.MX).ConfigureAwait(false);
                        if (r.Status.IsTransientFailure()) throw Temp(depth, domain, m.Text, r);
                        if (r.Status.IsVoid()) { CountVoid(depth, domain, m.Text, r); return false; }
                        var hosts = r.Records.Where(x => x.RecordType == DnsRecordType.MX).OrderBy(x => x.Preference).ToList();
                        if (hosts.Count > _options.MaxMxNames)
                            throw Perm(depth, domain, m.Text, $"{target} has {hosts.Count} MX records; the mx mechanism may look up at most {_options.MaxMxNames} (RFC 7208 §4.6.4).");
                        foreach (var h in hosts)
                        {
                            if (string.IsNullOrEmpty(h.Target)) continue; // null MX "."
                            var a = await Query(h.Target!, _v6 ? DnsRecordType.AAAA : DnsRecordType.A).ConfigureAwait(false);
                            if (a.Status.IsTransientFailure()) throw Temp(depth, domain, m.Text, a);
                            if (a.Status == DnsLookupStatus.Success && AnyAddressMatches(a, m)) return true;
                        }
                        return false;
                    }

                    case SpfMechanismKind.Ptr:
                    {
                        CountLookup(depth, domain, m.Text);
                        var target = await TargetName(m, domain, values, depth).ConfigureAwait(false);
                        if (target is null) return false;
                        var v = await _ptr.ValidateAsync(_ip, _ct).ConfigureAwait(false);
                        if (v.Status.IsVoid())
                            CountVoid(depth, domain, m.Text, new DnsLookupResult(v.ReverseName, DnsRecordType.PTR, v.Status));
                        else if (v.Status.IsTransientFailure())
                            Trace(depth, domain, m.Text, SpfTraceEvent.NoMatch, $"PTR lookup for {v.ReverseName} failed ({v.Status}): no match (RFC 7208 §5.5).");
                        if (v.IgnoredNames > 0)
                            Trace(depth, domain, m.Text, SpfTraceEvent.NoMatch, $"{v.IgnoredNames} PTR names beyond the first {_options.MaxPtrNames} were ignored (RFC 7208 §4.6.4).");
                        var t = DnsName.Normalize(target);
                        return v.Names.Any(n => n == t || n.EndsWith("." + t, StringComparison.Ordinal));
                    }

                    case SpfMechanismKind.Exists:
                    {
                        CountLookup(depth, domain, m.Text);
                        var target = await TargetName(m, domain, values, depth).ConfigureAwait(false);
                        if (target is null) return false;
                        var r = await Query(target, DnsRecordType.A).ConfigureAwait(false);
                        if (r.Status.IsTransientFailure()) throw Temp(depth, domain, m.Text, r);
                        if (r.Status.IsVoid()) { CountVoid(depth, domain, m.Text, r); return false; }
                        return r.Records.Any(x => x.RecordType == DnsRecordType.A);
                    }

                    case SpfMechanismKind.Include:
                    {
                        CountLookup(depth, domain, m.Text);
                        var target = await ExpandDomain(m.DomainSpec!, values, depth, domain, m.Text).ConfigureAwait(false);
                        var o = await CheckHostCore(target, depth + 1).ConfigureAwait(false);
                        switch (o.Result)
                        {
                            case SpfResult.Pass: return true;
                            case SpfResult.None:
                                throw Perm(depth, domain, m.Text, $"The included domain {target} has no SPF record (RFC 7208 §5.2).");
                            default: return false; // fail, softfail, neutral: no match (temperror/permerror never arrive here)
                        }
                    }

                    default:
                        return false;
                }
            }

            private bool AnyAddressMatches(DnsLookupResult r, SpfMechanism m)
            {
                foreach (var x in r.Records)
                {
                    if (x.Address is null) continue;
                    var addr = x.Address;
                    int prefix = addr.AddressFamily == AddressFamily.InterNetworkV6 ? m.EffectiveCidr6 : m.EffectiveCidr4;
                    if (new IpNetwork(addr, prefix).Contains(_ip)) return true;
                }
                return false;
            }

            private async Task<string?> GetExplanation(SpfModifier exp, string domain)
            {
                // RFC 7208 §6.2: any problem means "proceed as if no exp modifier was given". Not counted toward limits.
                var values = _values.WithDomain(domain);
                var e = await _expander.ExpandDomainAsync(exp.Value, values, _ct).ConfigureAwait(false);
                if (!e.Success || !IsQueryableName(e.Value!))
                {
                    Trace(0, domain, exp.Text, SpfTraceEvent.Explanation, "exp= target could not be built; no explanation.");
                    return null;
                }
                var txt = await Query(e.Value!, DnsRecordType.TXT).ConfigureAwait(false);
                var records = txt.Status == DnsLookupStatus.Success ? txt.Records.Where(r => r.RecordType == DnsRecordType.TXT).ToList() : new List<DnsResourceRecord>();
                if (records.Count != 1)
                {
                    Trace(0, domain, exp.Text, SpfTraceEvent.Explanation,
                        $"{e.Value} TXT: {(txt.Status == DnsLookupStatus.Success ? records.Count.ToString(CultureInfo.InvariantCulture) + " records" : txt.Status.ToString())}; exactly one is needed, no explanation.");
                    return null;
                }
                var x = await _expander.ExpandAsync(records[0].Text, SpfMacroContext.Explanation, values, _ct).ConfigureAwait(false);
                if (!x.Success)
                {
                    Trace(0, domain, exp.Text, SpfTraceEvent.Explanation, "The explanation text is invalid (" + x.Error + "); no explanation.");
                    return null;
                }
                Trace(0, domain, exp.Text, SpfTraceEvent.Explanation, "Explanation: " + x.Value);
                return x.Value;
            }
        }
    }
}
