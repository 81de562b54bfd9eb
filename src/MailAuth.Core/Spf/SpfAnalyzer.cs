using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Spf
{
    /// <summary>
    /// Reads a domain's SPF record and judges it statically: expands every include and redirect (in parallel,
    /// through the shared resolver), counts DNS lookups as RFC 7208 §4.6.4 counts them at any depth, counts void
    /// lookups, collects the authorised ranges and reports findings. Unlike <see cref="SpfEvaluator"/> it does not
    /// stop at the first match: it measures the worst case a receiver can meet.
    /// </summary>
    public sealed class SpfAnalyzer
    {
        /// <summary>RFC 7208 §4.6.4.</summary>
        public const int LookupLimit = 10;
        public const int VoidLookupLimit = 2;
        public const int MxNameLimit = 10;
        /// <summary>RFC 7208 §3.4: records should fit a 512-octet UDP answer.</summary>
        public const int RecommendedMaxLength = 450;
        /// <summary>Stop expanding past this depth or node count (a hostile tree must not cost unbounded queries).</summary>
        private const int MaxDepth = 12;
        private const int MaxNodes = 200;

        private const string Area = "SPF";
        private readonly IDnsResolver _resolver;

        public SpfAnalyzer(IDnsResolver resolver)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        }

        /// <summary>Looks up and analyses the SPF record of <paramref name="domain"/>.</summary>
        public async Task<SpfRecordReport> AnalyzeAsync(string domain, CancellationToken cancellationToken = default)
        {
            domain = DnsName.Normalize(domain);
            var txtTask = _resolver.QueryAsync(domain, DnsRecordType.TXT, cancellationToken);
            var type99Task = _resolver.QueryAsync(domain, DnsRecordType.SPF, cancellationToken);
            var txt = await txtTask.ConfigureAwait(false);
            var type99 = await type99Task.ConfigureAwait(false);

            var findings = new List<Finding>();
            var report = new SpfRecordReport(domain) { LookupStatus = txt.Status, Source = txt.Source };
            report.HasObsoleteSpfTypeRecord = type99.Status == DnsLookupStatus.Success &&
                type99.Records.Any(r => IsSpfText(r.Text));
            if (report.HasObsoleteSpfTypeRecord)
                findings.Add(new Finding("SPF.ObsoleteSpfRecordType", FindingSeverity.Warning, Area,
                    $"{domain} still publishes the obsolete SPF (type 99) record; receivers ignore it since RFC 7208.",
                    "Remove the type SPF record and keep only the TXT record, so the two cannot drift apart.", "RFC 7208 §3.1"));

            if (txt.Status.IsTransientFailure())
            {
                report.Status = SpfReportStatus.LookupFailed;
                findings.Add(new Finding("SPF.LookupFailed", FindingSeverity.Error, Area,
                    $"The TXT lookup for {domain} failed ({txt.Status}{(txt.ErrorMessage is null ? "" : ": " + txt.ErrorMessage)}); receivers would return temperror.",
                    "Check that the domain's authoritative servers answer TXT queries.", "RFC 7208 §4.4"));
                report.Findings = findings;
                return report;
            }

            var spfRecords = txt.Records.Select(r => r.Text).Where(IsSpfText).ToArray();
            report.AllRecords = spfRecords;
            if (spfRecords.Length == 0)
            {
                report.Status = SpfReportStatus.NoRecord;
                findings.Add(new Finding("SPF.NoRecord", FindingSeverity.Error, Area,
                    txt.Status == DnsLookupStatus.NxDomain ? $"{domain} does not exist (NXDOMAIN)." : $"{domain} has no SPF record.",
                    "Publish a TXT record starting with v=spf1 that lists the servers allowed to send for the domain, or v=spf1 -all if it sends no mail.",
                    "RFC 7208 §4.5",
                    suggestedRecord: Publishing.PublishableRecord.CreateTxt(domain, "@", "v=spf1 -all", TimeSpan.FromHours(1))));
                report.Findings = findings;
                return report;
            }
            if (spfRecords.Length > 1)
                findings.Add(new Finding("SPF.MultipleRecords", FindingSeverity.Error, Area,
                    $"{domain} publishes {spfRecords.Length} SPF records; receivers return permerror.",
                    "Merge them into one TXT record starting with v=spf1 and delete the others.", "RFC 7208 §4.5"));

            await AnalyzeInto(report, domain, spfRecords[0], findings, cancellationToken).ConfigureAwait(false);
            return report;
        }

        /// <summary>Analyses a record text as if published at <paramref name="domain"/> (used by New-SpfRecord -Validate).</summary>
        public async Task<SpfRecordReport> AnalyzeRecordAsync(string domain, string record, CancellationToken cancellationToken = default)
        {
            var report = new SpfRecordReport(DnsName.Normalize(domain)) { AllRecords = new[] { record }, LookupStatus = DnsLookupStatus.Success };
            await AnalyzeInto(report, report.Domain, record, new List<Finding>(), cancellationToken).ConfigureAwait(false);
            return report;
        }

        private async Task AnalyzeInto(SpfRecordReport report, string domain, string record, List<Finding> findings, CancellationToken ct)
        {
            var walk = new Walk(this, ct);
            var root = new SpfTreeNode(domain, "root", null, 0) { LookupStatus = DnsLookupStatus.Success };
            await walk.ExpandRecordAsync(root, record, new[] { domain }, pass: true).ConfigureAwait(false);

            report.Record = record;
            report.Parsed = root.Parsed;
            report.Tree = root;
            report.DnsLookupCount = root.TotalDnsLookupCount;
            report.VoidLookupCount = walk.VoidLookups;
            report.MaxMxNames = walk.MaxMxNames;
            report.AuthorizedIPv4 = walk.Ranges.Where(n => n.IsIPv4).Distinct().OrderBy(n => n, NetworkComparer.Instance).Select(Format).ToArray();
            report.AuthorizedIPv6 = walk.Ranges.Where(n => !n.IsIPv4).Distinct().OrderBy(n => n, NetworkComparer.Instance).Select(Format).ToArray();
            report.RangesComplete = !walk.RangesIncomplete;

            findings.AddRange(walk.Findings);
            AddRecordFindings(domain, record, root, report, findings);
            report.Findings = findings;
            report.Status = findings.Any(f => f.Severity == FindingSeverity.Error) ? SpfReportStatus.Error
                : findings.Any(f => f.Severity == FindingSeverity.Warning) ? SpfReportStatus.Warning
                : SpfReportStatus.Ok;
        }

        private static void AddRecordFindings(string domain, string record, SpfTreeNode root, SpfRecordReport report, List<Finding> findings)
        {
            var parsed = root.Parsed!;
            var all = parsed.Mechanisms.FirstOrDefault(m => m.Kind == SpfMechanismKind.All);
            if (all is null && parsed.Redirect is null)
                findings.Add(new Finding("SPF.NoAllOrRedirect", FindingSeverity.Warning, Area,
                    "The record ends with neither an 'all' term nor a redirect, so unlisted servers get neutral, which protects nothing.",
                    "End the record with ~all (with DMARC) or -all.", "RFC 7208 §4.7"));
            if (all != null && parsed.Redirect != null)
                findings.Add(new Finding("SPF.RedirectWithAll", FindingSeverity.Warning, Area,
                    $"The record has both '{all.Text}' and '{parsed.Redirect.Text}'; a redirect beside 'all' is never used.",
                    "Remove the redirect, or remove 'all' if the redirected record should decide.", "RFC 7208 §6.1", parsed.Redirect.Text));

            if (report.DnsLookupCount > LookupLimit)
                findings.Add(new Finding("SPF.TooManyLookups", FindingSeverity.Error, Area,
                    $"The record needs {report.DnsLookupCount} DNS lookups; receivers stop at {LookupLimit} and return permerror.",
                    "Remove includes of services you no longer use, replace a and mx with ip4/ip6 ranges, or move some senders to a subdomain.",
                    "RFC 7208 §4.6.4"));
            else if (report.DnsLookupCount >= LookupLimit - 1)
                findings.Add(new Finding("SPF.LookupsNearLimit", FindingSeverity.Warning, Area,
                    $"The record needs {report.DnsLookupCount} of the {LookupLimit} DNS lookups allowed; one more include by a provider breaks it.",
                    "Remove unused includes or replace a and mx with ip4/ip6 ranges to leave headroom.", "RFC 7208 §4.6.4"));
            if (report.VoidLookupCount > VoidLookupLimit)
                findings.Add(new Finding("SPF.TooManyVoidLookups", FindingSeverity.Error, Area,
                    $"{report.VoidLookupCount} lookups in the record return no data; receivers return permerror after {VoidLookupLimit}.",
                    "Remove terms that point at names without records.", "RFC 7208 §4.6.4"));
            if (report.RecordLength > RecommendedMaxLength)
                findings.Add(new Finding("SPF.RecordTooLong", FindingSeverity.Warning, Area,
                    $"The record is {report.RecordLength} octets; over {RecommendedMaxLength} the answer may not fit in one UDP packet.",
                    "Shorten it: move ranges into an included record on a subdomain.", "RFC 7208 §3.4"));
        }

        private static bool IsSpfText(string text) => SpfParser.IsSpfRecord(text);

        private static string Format(IpNetwork n)
        {
            int max = n.IsIPv4 ? 32 : 128;
            return n.PrefixLength == max ? n.Address.ToString() : n.NetworkAddress + "/" + n.PrefixLength;
        }

        private sealed class NetworkComparer : IComparer<IpNetwork>
        {
            public static readonly NetworkComparer Instance = new NetworkComparer();
            public int Compare(IpNetwork x, IpNetwork y)
            {
                var a = x.NetworkAddress.GetAddressBytes();
                var b = y.NetworkAddress.GetAddressBytes();
                for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
                    if (a[i] != b[i]) return a[i].CompareTo(b[i]);
                return x.PrefixLength.CompareTo(y.PrefixLength);
            }
        }

        /// <summary>The state of one analysis: findings and counters shared by the parallel branches.</summary>
        private sealed class Walk
        {
            private readonly SpfAnalyzer _owner;
            private readonly CancellationToken _ct;
            private int _voidLookups;
            private int _maxMxNames;
            private int _nodes;
            private volatile bool _rangesIncomplete;

            public Walk(SpfAnalyzer owner, CancellationToken ct) { _owner = owner; _ct = ct; }

            public ConcurrentQueue<Finding> FindingQueue { get; } = new ConcurrentQueue<Finding>();
            public IEnumerable<Finding> Findings => FindingQueue;
            public ConcurrentBag<IpNetwork> Ranges { get; } = new ConcurrentBag<IpNetwork>();
            public int VoidLookups => _voidLookups;
            public int MaxMxNames => _maxMxNames;
            public bool RangesIncomplete => _rangesIncomplete;

            private void Add(FindingSeverity severity, string id, string message, string? remediation, string reference, string? term = null) =>
                FindingQueue.Enqueue(new Finding(id, severity, Area, message, remediation, reference, term));

            private void CountVoid() => Interlocked.Increment(ref _voidLookups);

            /// <summary>Parses <paramref name="text"/> into <paramref name="node"/> and expands its terms.</summary>
            public async Task ExpandRecordAsync(SpfTreeNode node, string text, IReadOnlyList<string> path, bool pass)
            {
                var parsed = SpfParser.Parse(text);
                node.Record = text;
                node.Parsed = parsed;
                var where = node.Depth == 0 ? string.Empty : $" (in {node.Via}:{node.Domain})";
                foreach (var d in parsed.Diagnostics)
                    FindingQueue.Enqueue(new Finding(d.Id, d.Severity, Area, d.Message + where,
                        "Correct the term; receivers return permerror for a syntax error anywhere in the record.", d.Reference ?? "RFC 7208 §12", d.Term));

                var all = parsed.Mechanisms.FirstOrDefault(m => m.Kind == SpfMechanismKind.All);
                var tasks = new List<Task>();
                var children = new List<SpfTreeNode>();
                int lookups = 0;
                foreach (var m in parsed.Mechanisms)
                {
                    if (m.CountsTowardLookupLimit) lookups++;
                    bool authorises = pass && m.Qualifier == SpfQualifier.Pass;
                    switch (m.Kind)
                    {
                        case SpfMechanismKind.All:
                            if (m.Qualifier == SpfQualifier.Pass && pass)
                                Add(FindingSeverity.Error, "SPF.PassAll", $"'{m.Text}'{where} lets every host on the Internet pass SPF for this domain.",
                                    "Replace +all with ~all or -all.", "RFC 7208 §5.1", m.Text);
                            else if (m.Qualifier == SpfQualifier.Neutral && node.Depth == 0)
                                Add(FindingSeverity.Warning, "SPF.NeutralAll", $"'{m.Text}' gives unlisted servers neutral, which receivers treat like no SPF.",
                                    "Use ~all (with DMARC) or -all once every sender is listed.", "RFC 7208 §8.2", m.Text);
                            break;
                        case SpfMechanismKind.Ip4:
                        case SpfMechanismKind.Ip6:
                            if (authorises && m.Network is IpNetwork net) Ranges.Add(net);
                            break;
                        case SpfMechanismKind.Ptr:
                            Add(FindingSeverity.Warning, "SPF.PtrMechanism", $"'{m.Text}'{where} uses ptr, which is slow, unreliable and which some receivers skip.",
                                "Replace ptr with ip4/ip6 ranges or an include.", "RFC 7208 §5.5", m.Text);
                            if (authorises) _rangesIncomplete = true;
                            break;
                        case SpfMechanismKind.Exists:
                            if (authorises) _rangesIncomplete = true;
                            break;
                        case SpfMechanismKind.A:
                        case SpfMechanismKind.Mx:
                            var target = TargetOf(m.DomainSpec, node.Domain);
                            if (target is null) { if (authorises) _rangesIncomplete = true; break; }
                            tasks.Add(m.Kind == SpfMechanismKind.A ? ResolveAAsync(m, target, authorises) : ResolveMxAsync(m, target, authorises, where));
                            break;
                        case SpfMechanismKind.Include:
                            var includeTarget = TargetOf(m.DomainSpec, node.Domain);
                            var child = new SpfTreeNode(includeTarget ?? m.DomainSpec ?? string.Empty, "include", m.Text, node.Depth + 1);
                            children.Add(child);
                            if (includeTarget is null)
                            {
                                child.Problem = "The domain uses macros; it is known only at evaluation time.";
                                if (authorises) _rangesIncomplete = true;
                                break;
                            }
                            tasks.Add(ExpandChildAsync(child, path, authorises));
                            break;
                    }
                }

                if (parsed.Redirect != null && all is null)
                {
                    lookups++;
                    var redirectTarget = TargetOf(parsed.Redirect.Value, node.Domain);
                    var child = new SpfTreeNode(redirectTarget ?? parsed.Redirect.Value, "redirect", parsed.Redirect.Text, node.Depth + 1);
                    children.Add(child);
                    if (redirectTarget is null) { child.Problem = "The domain uses macros; it is known only at evaluation time."; _rangesIncomplete = true; }
                    else tasks.Add(ExpandChildAsync(child, path, pass));
                }

                node.DnsLookupCount = lookups;
                node.Children = children;
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }

            private async Task ExpandChildAsync(SpfTreeNode child, IReadOnlyList<string> path, bool pass)
            {
                var what = $"{child.Via}:{child.Domain}";
                if (path.Contains(child.Domain, StringComparer.OrdinalIgnoreCase))
                {
                    child.Problem = "Loop: this domain is already being expanded above.";
                    Add(FindingSeverity.Error, "SPF.IncludeLoop", $"'{what}' leads back to a record already on the path ({string.Join(" -> ", path)} -> {child.Domain}); receivers return permerror.",
                        "Remove the include or redirect that closes the loop.", "RFC 7208 §4.6.4", child.Term);
                    return;
                }
                if (child.Depth > MaxDepth || Interlocked.Increment(ref _nodes) > MaxNodes)
                {
                    child.Problem = "Not expanded: the tree is too deep or too large.";
                    Add(FindingSeverity.Error, "SPF.TreeTooLarge", $"The include tree is deeper than {MaxDepth} levels or larger than {MaxNodes} records; receivers give up long before.",
                        "Flatten the include chain.", "RFC 7208 §4.6.4", child.Term);
                    return;
                }

                var answer = await _owner._resolver.QueryAsync(child.Domain, DnsRecordType.TXT, _ct).ConfigureAwait(false);
                child.LookupStatus = answer.Status;
                if (answer.Status.IsVoid()) CountVoid();
                if (answer.Status.IsTransientFailure())
                {
                    child.Problem = $"Lookup failed: {answer.Status}.";
                    if (pass) _rangesIncomplete = true;
                    Add(FindingSeverity.Error, "SPF.IncludeLookupFailed", $"The TXT lookup for '{what}' failed ({answer.Status}); receivers would return temperror.",
                        "Check the included domain's DNS servers; if the provider is gone, remove the include.", "RFC 7208 §4.4", child.Term);
                    return;
                }
                var records = answer.Records.Select(r => r.Text).Where(IsSpfText).ToArray();
                if (records.Length == 0)
                {
                    child.Problem = answer.Status == DnsLookupStatus.NxDomain ? "The domain does not exist." : "The domain has no SPF record.";
                    var id = child.Via == "redirect" ? "SPF.RedirectWithoutSpf" : "SPF.IncludeWithoutSpf";
                    Add(FindingSeverity.Error, id, $"'{what}' points at a domain without an SPF record ({child.Problem.TrimEnd('.')}); receivers return permerror.",
                        "Correct the domain name or remove the term; check the provider's documentation for the current include.", "RFC 7208 §5.2", child.Term);
                    return;
                }
                if (records.Length > 1)
                {
                    child.Problem = "Several SPF records.";
                    Add(FindingSeverity.Error, "SPF.IncludeMultipleRecords", $"'{what}' has {records.Length} SPF records; receivers return permerror.",
                        "Ask the owner of the included domain to merge its records.", "RFC 7208 §4.5", child.Term);
                }
                var childPath = path.Concat(new[] { child.Domain }).ToArray();
                await ExpandRecordAsync(child, records[0], childPath, pass).ConfigureAwait(false);
            }

            private async Task ResolveAAsync(SpfMechanism m, string target, bool authorises)
            {
                var a = _owner._resolver.QueryAsync(target, DnsRecordType.A, _ct);
                var aaaa = _owner._resolver.QueryAsync(target, DnsRecordType.AAAA, _ct);
                var ra = await a.ConfigureAwait(false);
                var raaaa = await aaaa.ConfigureAwait(false);
                if (ra.Status.IsVoid() && raaaa.Status.IsVoid())
                {
                    CountVoid();
                    Add(FindingSeverity.Warning, "SPF.VoidLookup", $"'{m.Text}' looks up {target}, which has no A or AAAA record.",
                        "Remove the term or point it at a name with addresses.", "RFC 7208 §4.6.4", m.Text);
                }
                if (ra.Status.IsTransientFailure() || raaaa.Status.IsTransientFailure()) { if (authorises) _rangesIncomplete = true; }
                if (authorises) AddAddresses(ra.Records.Concat(raaaa.Records), m);
            }

            private async Task ResolveMxAsync(SpfMechanism m, string target, bool authorises, string where)
            {
                var mx = await _owner._resolver.QueryAsync(target, DnsRecordType.MX, _ct).ConfigureAwait(false);
                if (mx.Status.IsVoid())
                {
                    CountVoid();
                    Add(FindingSeverity.Warning, "SPF.VoidLookup", $"'{m.Text}'{where} looks up the MX of {target}, which has none.",
                        "Remove the mx term or publish MX records.", "RFC 7208 §4.6.4", m.Text);
                    return;
                }
                if (mx.Status.IsTransientFailure()) { if (authorises) _rangesIncomplete = true; return; }
                var hosts = mx.Records.Where(r => !string.IsNullOrEmpty(r.Target)).Select(r => r.Target!).Distinct().ToArray();
                InterlockedMax(ref _maxMxNames, hosts.Length);
                if (hosts.Length > MxNameLimit)
                    Add(FindingSeverity.Error, "SPF.TooManyMxNames", $"'{m.Text}'{where} yields {hosts.Length} MX names; receivers return permerror above {MxNameLimit}.",
                        "Replace mx with ip4/ip6 ranges.", "RFC 7208 §4.6.4", m.Text);
                if (!authorises) return;
                var lookups = hosts.Take(MxNameLimit).SelectMany(h => new[]
                {
                    _owner._resolver.QueryAsync(h, DnsRecordType.A, _ct),
                    _owner._resolver.QueryAsync(h, DnsRecordType.AAAA, _ct),
                }).ToArray();
                var results = await Task.WhenAll(lookups).ConfigureAwait(false);
                if (results.Any(r => r.Status.IsTransientFailure())) _rangesIncomplete = true;
                AddAddresses(results.SelectMany(r => r.Records), m);
            }

            private void AddAddresses(IEnumerable<DnsResourceRecord> records, SpfMechanism m)
            {
                foreach (var r in records)
                {
                    if (r.Address is null) continue;
                    var v6 = r.Address.AddressFamily == AddressFamily.InterNetworkV6;
                    Ranges.Add(new IpNetwork(r.Address, v6 ? m.EffectiveCidr6 : m.EffectiveCidr4));
                }
            }

            private static void InterlockedMax(ref int location, int value)
            {
                int current;
                while ((current = Volatile.Read(ref location)) < value &&
                       Interlocked.CompareExchange(ref location, value, current) != current) { }
            }

            /// <summary>The domain a term points at, or null when it contains macros (known only at evaluation).</summary>
            private static string? TargetOf(string? domainSpec, string current)
            {
                if (string.IsNullOrEmpty(domainSpec)) return current;
                if (domainSpec!.IndexOf('%') >= 0) return null;
                return DnsName.Normalize(domainSpec);
            }
        }
    }
}
