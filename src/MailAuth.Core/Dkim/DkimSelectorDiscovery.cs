using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Spf;

namespace MailAuth.Dkim
{
    /// <summary>A mail service a domain visibly uses, and the evidence for it.</summary>
    public sealed class DkimProviderHint
    {
        internal DkimProviderHint(DkimProvider provider, string evidence)
        {
            Provider = provider.Name;
            Evidence = evidence;
            ExpectedSelectors = provider.Selectors;
        }

        public string Provider { get; }
        /// <summary>What showed it: "MX contoso-com.mail.protection.outlook.com", "SPF include:_spf.google.com".</summary>
        public string Evidence { get; }
        /// <summary>The selectors the service normally publishes keys under.</summary>
        public IReadOnlyList<string> ExpectedSelectors { get; }

        public override string ToString() => $"{Provider} ({Evidence})";
    }

    /// <summary>
    /// What <see cref="DkimSelectorDiscovery"/> learned about one domain: the keys found, the selectors tried, the
    /// providers seen in MX and SPF, and the RFC 8020 probe of <c>_domainkey.&lt;domain&gt;</c>.
    /// </summary>
    public sealed class DkimDiscoveryResult
    {
        internal DkimDiscoveryResult(string domain) { Domain = domain; ProbeName = "_domainkey." + domain; }

        public string Domain { get; }
        /// <summary>One report per selector where a record or a CNAME was found.</summary>
        public IReadOnlyList<DkimRecordReport> Reports { get; internal set; } = Array.Empty<DkimRecordReport>();
        /// <summary>The selectors found (the <see cref="DkimRecordReport.Selector"/> of each report).</summary>
        public IReadOnlyList<string> SelectorsFound => Reports.Select(r => r.Selector).ToArray();
        /// <summary>Every selector that was looked up.</summary>
        public IReadOnlyList<string> SelectorsTried { get; internal set; } = Array.Empty<string>();
        /// <summary>Services the domain's MX records and SPF includes point to.</summary>
        public IReadOnlyList<DkimProviderHint> Providers { get; internal set; } = Array.Empty<DkimProviderHint>();
        /// <summary>The probe name, _domainkey.&lt;domain&gt;.</summary>
        public string ProbeName { get; }
        /// <summary>The probe's outcome: NxDomain proves no key exists under any selector (RFC 8020); NoData means some may.</summary>
        public DnsLookupStatus ProbeStatus { get; internal set; }
        /// <summary>True when the probe answered NXDOMAIN, so no selector can exist (if the server follows RFC 8020).</summary>
        public bool NoKeysPossible => ProbeStatus == DnsLookupStatus.NxDomain;
        /// <summary>Selector lookups that failed (timeout, SERVFAIL), which leaves the result incomplete.</summary>
        public IReadOnlyList<string> FailedSelectors { get; internal set; } = Array.Empty<string>();
        /// <summary>One sentence on what was tried and what it showed.</summary>
        public string Summary { get; internal set; } = string.Empty;
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();

        public override string ToString() => $"{Domain}: {Summary}";
    }

    /// <summary>
    /// Finds the DKIM keys a domain publishes. Selector names cannot be listed from DNS, so discovery combines a
    /// built-in list of common selectors (<see cref="DkimProviders.DiscoverySelectors"/>, which includes every
    /// known provider's), the providers the domain's MX records and SPF includes show, and the RFC 8020 probe of
    /// <c>_domainkey.&lt;domain&gt;</c>. All lookups of one domain go out in one parallel round (bounded by
    /// <see cref="MaxParallelQueries"/>), not one after the other.
    /// </summary>
    public sealed class DkimSelectorDiscovery
    {
        /// <summary>Finding ids of discovery.</summary>
        public static class FindingIds
        {
            public const string NoDomainKeys = "DKIM.NoDomainKeys";
            public const string NoSelectorFound = "DKIM.NoSelectorFound";
            public const string ProviderSelectorMissing = "DKIM.ProviderSelectorMissing";
            public const string ProbeInconsistent = "DKIM.ProbeInconsistent";
            public const string LookupsFailed = "DKIM.DiscoveryLookupsFailed";
        }

        private readonly IDnsResolver _resolver;

        /// <param name="resolver">The resolver every lookup goes through.</param>
        /// <param name="maxParallelQueries">How many lookups may be in flight at once (1-256).</param>
        public DkimSelectorDiscovery(IDnsResolver resolver, int maxParallelQueries = 16)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            if (maxParallelQueries < 1 || maxParallelQueries > 256) throw new ArgumentOutOfRangeException(nameof(maxParallelQueries));
            MaxParallelQueries = maxParallelQueries;
        }

        public int MaxParallelQueries { get; }

        /// <summary>Checks the given selectors at <paramref name="domain"/>, in parallel; one report per selector, in the order given.</summary>
        public async Task<IReadOnlyList<DkimRecordReport>> CheckAsync(string domain, IEnumerable<string> selectors, CancellationToken cancellationToken = default)
        {
            if (domain is null) throw new ArgumentNullException(nameof(domain));
            if (selectors is null) throw new ArgumentNullException(nameof(selectors));
            var analyzer = new DkimAnalyzer(new Throttle(_resolver, MaxParallelQueries));
            var list = selectors.Where(s => s != null).ToList();
            return await Task.WhenAll(list.Select(s => analyzer.AnalyzeAsync(domain, s, cancellationToken))).ConfigureAwait(false);
        }

        /// <summary>
        /// Ask the RFC 8020 probe (<c>_domainkey.&lt;domain&gt;</c>) first, and skip the built-in selectors when it
        /// answers NXDOMAIN: one round trip more for domains with keys, some forty queries fewer for domains without.
        /// The bulk audit sets it; off, every lookup goes out in one round (and a server that answers NXDOMAIN for the
        /// probe although keys exist below it is caught even under built-in selectors).
        /// </summary>
        public bool ProbeFirst { get; init; }

        /// <summary>
        /// Discovers the keys of <paramref name="domain"/>: looks up every built-in selector plus
        /// <paramref name="extraSelectors"/>, the domain's MX and TXT records and the probe, all in one parallel round
        /// (with <see cref="ProbeFirst"/>, the probe first).
        /// </summary>
        public async Task<DkimDiscoveryResult> DiscoverAsync(string domain, IEnumerable<string>? extraSelectors = null, CancellationToken cancellationToken = default)
        {
            if (domain is null) throw new ArgumentNullException(nameof(domain));
            domain = DnsName.Normalize(domain);
            var resolver = new Throttle(_resolver, MaxParallelQueries);
            var extras = (extraSelectors ?? Enumerable.Empty<string>()).Where(s => DkimAnalyzer.IsValidSelector(s, out _)).Select(DnsName.Normalize)
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var selectors = DkimProviders.DiscoverySelectors.Concat(extras).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

            var probeTask = resolver.QueryAsync("_domainkey." + domain, DnsRecordType.TXT, cancellationToken);
            var mxTask = resolver.QueryAsync(domain, DnsRecordType.MX, cancellationToken);
            var txtTask = resolver.QueryAsync(domain, DnsRecordType.TXT, cancellationToken);
            if (ProbeFirst && (await probeTask.ConfigureAwait(false)).Status == DnsLookupStatus.NxDomain)
            {
                // RFC 8020: nothing exists below a name that does not exist, so no built-in selector can have a key.
                // Only the given selectors are still asked (they would show a server that breaks RFC 8020).
                selectors = extras;
            }
            var selectorTasks = selectors.Select(s => resolver.QueryAsync(DkimAnalyzer.KeyName(s, domain), DnsRecordType.TXT, cancellationToken)).ToList();
            await Task.WhenAll(selectorTasks.Concat(new[] { probeTask, mxTask, txtTask })).ConfigureAwait(false);

            var result = new DkimDiscoveryResult(domain) { SelectorsTried = selectors, ProbeStatus = probeTask.Result.Status };
            var reports = new List<DkimRecordReport>();
            var failed = new List<string>();
            for (int i = 0; i < selectors.Count; i++)
            {
                var answer = selectorTasks[i].Result;
                if (answer.Status.IsTransientFailure()) { failed.Add(selectors[i]); continue; }
                if (answer.CnameChain.Count > 0 || (answer.Status == DnsLookupStatus.Success && answer.Records.Count > 0))
                    reports.Add(DkimAnalyzer.AnalyzeLookup(domain, selectors[i], answer));
            }
            result.Reports = reports;
            result.FailedSelectors = failed;
            result.Providers = ProviderHints(mxTask.Result, txtTask.Result);
            Judge(result);
            return result;
        }

        private static IReadOnlyList<DkimProviderHint> ProviderHints(DnsLookupResult mx, DnsLookupResult txt)
        {
            var hints = new List<DkimProviderHint>();
            void Add(DkimProvider? p, string evidence)
            {
                if (p != null && !hints.Any(h => h.Provider == p.Name)) hints.Add(new DkimProviderHint(p, evidence));
            }
            foreach (var r in mx.Records.Where(r => r.RecordType == DnsRecordType.MX && !string.IsNullOrEmpty(r.Target)))
                Add(DkimProviders.FromMxHost(r.Target), "MX " + r.Target);
            var spf = txt.Records.Select(r => r.Text).FirstOrDefault(SpfParser.IsSpfRecord);
            if (spf != null)
            {
                var parsed = SpfParser.Parse(spf);
                foreach (var m in parsed.Mechanisms.Where(m => m.Kind == SpfMechanismKind.Include && m.DomainSpec != null))
                    Add(DkimProviders.FromSpfInclude(m.DomainSpec), "SPF include:" + m.DomainSpec);
                if (parsed.Redirect != null)
                    Add(DkimProviders.FromSpfInclude(parsed.Redirect.Value), "SPF redirect=" + parsed.Redirect.Value);
            }
            return hints;
        }

        private static void Judge(DkimDiscoveryResult r)
        {
            const string Area = DkimAnalyzer.Area;
            var findings = new List<Finding>();
            var found = r.Reports.Select(x => x.Selector).ToList();
            var probe = r.ProbeStatus;
            string probeText = probe == DnsLookupStatus.NxDomain ? $"{r.ProbeName} does not exist (NXDOMAIN), so no key exists under any selector"
                : probe == DnsLookupStatus.NoData || probe == DnsLookupStatus.Success ? $"{r.ProbeName} exists, so keys may exist under selectors no list contains"
                : $"the probe of {r.ProbeName} failed ({probe})";

            if (found.Count == 0)
            {
                if (probe == DnsLookupStatus.NxDomain && r.FailedSelectors.Count == 0)
                    findings.Add(new Finding(FindingIds.NoDomainKeys, FindingSeverity.Error, Area,
                        $"{r.Domain} publishes no DKIM key: {probeText} (RFC 8020).",
                        "Enable DKIM signing at every service that sends mail for the domain and publish the keys (or CNAMEs) they give you.",
                        "RFC 8020 §2, RFC 6376 §3.6.2.1"));
                else
                    findings.Add(new Finding(FindingIds.NoSelectorFound, FindingSeverity.Warning, Area,
                        $"No DKIM key was found under the {r.SelectorsTried.Count} selectors tried; {probeText}.",
                        "Look at the s= tag of a DKIM-Signature in mail the domain sent (or in DMARC aggregate reports) and check that selector with -Selector.",
                        "RFC 6376 §3.6.2.1"));
            }
            else if (probe == DnsLookupStatus.NxDomain)
            {
                findings.Add(new Finding(FindingIds.ProbeInconsistent, FindingSeverity.Warning, Area,
                    $"{r.ProbeName} answered NXDOMAIN although keys exist below it ({string.Join(", ", found)}); the domain's DNS servers do not follow RFC 8020, and some resolvers will then treat every key as missing.",
                    "Report the bug to the DNS provider; an empty non-terminal must answer NOERROR with no data.", "RFC 8020 §2"));
            }

            foreach (var hint in r.Providers.Where(h => h.ExpectedSelectors.Count > 0))
            {
                if (hint.ExpectedSelectors.Any(s => found.Contains(s, StringComparer.OrdinalIgnoreCase))) continue;
                if (probe == DnsLookupStatus.NxDomain && found.Count == 0) continue; // already said: no key at all
                findings.Add(new Finding(FindingIds.ProviderSelectorMissing, FindingSeverity.Warning, Area,
                    $"{r.Domain} uses {hint.Provider} ({hint.Evidence}), but none of its selectors ({string.Join(", ", hint.ExpectedSelectors)}) has a key.",
                    $"Enable DKIM in {hint.Provider} and publish the records it shows (or check the selector it uses with -Selector).",
                    "RFC 6376 §3.6.2.1"));
            }

            if (r.FailedSelectors.Count > 0)
                findings.Add(new Finding(FindingIds.LookupsFailed, FindingSeverity.Warning, Area,
                    $"{r.FailedSelectors.Count} of {r.SelectorsTried.Count} selector lookups failed ({string.Join(", ", r.FailedSelectors.Take(5))}{(r.FailedSelectors.Count > 5 ? ", ..." : "")}); the result may be incomplete.",
                    "Run the discovery again, or ask another DNS server with -Server.", "RFC 6376 §6.1.2"));

            r.Findings = findings;
            r.Summary = found.Count > 0
                ? $"Found {found.Count} selector(s) ({string.Join(", ", found)}) among {r.SelectorsTried.Count} tried; {probeText}."
                : $"No key found among {r.SelectorsTried.Count} selectors tried" +
                  (r.Providers.Count > 0 ? $" (providers seen: {string.Join(", ", r.Providers.Select(p => p.Provider))})" : "") + $"; {probeText}.";
        }

        /// <summary>Bounds how many queries are in flight at once (DnsClient has had id-collision bugs under heavy concurrency).</summary>
        private sealed class Throttle : IDnsResolver
        {
            private readonly IDnsResolver _inner;
            private readonly SemaphoreSlim _gate;

            public Throttle(IDnsResolver inner, int max)
            {
                _inner = inner;
                _gate = new SemaphoreSlim(max, max);
            }

            public async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try { return await _inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false); }
                finally { _gate.Release(); }
            }
        }
    }
}
