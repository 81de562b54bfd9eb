using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Migration;
using MailAuth.Publishing;
using MailAuth.Spf;

namespace MailAuth.Audit
{
    /// <summary>One domain to audit: the input text, plus optional DKIM selectors and sending IPs.</summary>
    public sealed class MailAuthAuditRequest
    {
        private static readonly char[] ListSeparators = { ',', ';', ' ', '\t', '|' };

        /// <param name="domain">The domain as given (validated by the auditor; an invalid name gives a Failed result).</param>
        /// <param name="selectors">DKIM selectors; each item may hold several separated by commas, semicolons or spaces.</param>
        /// <param name="sendingIps">Sending IP addresses; each item may hold several, separated the same way.</param>
        public MailAuthAuditRequest(string? domain, IEnumerable<string?>? selectors = null, IEnumerable<string?>? sendingIps = null)
        {
            Input = domain ?? string.Empty;
            Selectors = SplitList(selectors).Select(DnsName.Normalize).Distinct(StringComparer.Ordinal).ToArray();
            SendingIps = SplitList(sendingIps).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        public string Input { get; }
        public IReadOnlyList<string> Selectors { get; }
        public IReadOnlyList<string> SendingIps { get; }

        /// <summary>Requests with the same key are audited once.</summary>
        internal string Key
        {
            get
            {
                var d = DnsName.TryNormalizeDomain(Input, out var n, out _) ? n : "\u0000" + Input;
                return d + "\u0001" + string.Join(",", Selectors.OrderBy(s => s, StringComparer.Ordinal)) + "\u0001" +
                       string.Join(",", SendingIps.OrderBy(s => s, StringComparer.OrdinalIgnoreCase));
            }
        }

        internal static IEnumerable<string> SplitList(IEnumerable<string?>? items) =>
            (items ?? Enumerable.Empty<string?>()).Where(s => s != null)
                .SelectMany(s => s!.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries)).Select(s => s.Trim()).Where(s => s.Length > 0);

        public override string ToString() => Input;
    }

    /// <summary>Settings of <see cref="MailAuthAuditor"/>.</summary>
    public sealed class MailAuthAuditOptions
    {
        public static readonly TimeSpan DefaultDomainTimeout = TimeSpan.FromMinutes(2);

        /// <summary>Whose sender requirements to judge (none by default).</summary>
        public SenderRequirementProvider Requirements { get; init; }
        /// <summary>
        /// Look for DKIM keys under common and provider selectors (default true): for a domain without given selectors,
        /// and for one whose given selectors include one without a key.
        /// </summary>
        public bool DiscoverSelectors { get; init; } = true;
        /// <summary>Fetches MTA-STS policies; null: policies are not fetched (the TXT record is still checked).</summary>
        public IMtaStsPolicyFetcher? MtaStsFetcher { get; init; }
        /// <summary>The DMARC step; <see cref="DmarcAnalyzerCheck"/> (RFC 9989 discovery) when none is given.</summary>
        public IDmarcAuditCheck? DmarcCheck { get; init; }
        /// <summary>A resolver for the records before a migration (e.g. the old host's zone files): records missing now are reported with the record to publish.</summary>
        public IDnsResolver? ReferenceResolver { get; init; }
        /// <summary>Check forward-confirmed reverse DNS of the MX hosts' addresses (default true).</summary>
        public bool CheckMxReverseDns { get; init; } = true;
        /// <summary>The longest one domain's audit may take; after it the row is Failed with a timeout reason.</summary>
        public TimeSpan DomainTimeout { get; init; } = DefaultDomainTimeout;
    }

    /// <summary>
    /// Audits one domain: MX (RFC 5321 §5.1, RFC 7505), SPF (<see cref="SpfAnalyzer"/>, and check_host() for given
    /// sending IPs), DKIM (<see cref="DkimSelectorDiscovery"/>), DMARC (<see cref="IDmarcAuditCheck"/>), MTA-STS,
    /// TLS-RPT and BIMI (<see cref="PolicyRecordChecker"/>), reverse DNS of sending IPs, parked-domain advice and
    /// sender requirements. Every lookup goes through the one resolver given (share a <see cref="CachingDnsResolver"/>
    /// across a run). Thread-safe. Never throws except <see cref="OperationCanceledException"/> for the caller's token:
    /// anything else becomes a result with <see cref="AuditStatus.Failed"/>.
    /// </summary>
    public sealed class MailAuthAuditor
    {
        private static readonly TimeSpan SuggestedTtl = TimeSpan.FromHours(1);
        /// <summary>A selector no one uses: when it has a key, a wildcard answers for every selector.</summary>
        internal const string WildcardProbeSelector = "mailauth-wildcard-probe";

        private readonly IDnsResolver _resolver;

        public MailAuthAuditor(IDnsResolver resolver, MailAuthAuditOptions? options = null)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            Options = options ?? new MailAuthAuditOptions();
        }

        public MailAuthAuditOptions Options { get; }
        public IDnsResolver Resolver => _resolver;

        public async Task<MailAuthAuditResult> AuditAsync(MailAuthAuditRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var watch = Stopwatch.StartNew();
            if (!DnsName.TryNormalizeDomain(request.Input, out var domain, out var reason) || domain.IndexOf('.') < 0)
            {
                reason ??= $"'{request.Input}' is a single label, not a domain name.";
                var failed = MailAuthAuditResult.Failed(request.Input, request.Input.Trim(), reason);
                failed.ElapsedSeconds = watch.Elapsed.TotalSeconds;
                return failed;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.DomainTimeout);
            MailAuthAuditResult result;
            try
            {
                result = await AuditDomainAsync(request, domain, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = MailAuthAuditResult.Failed(request.Input, domain, $"The audit did not finish within {Options.DomainTimeout.TotalSeconds:0.#} s.");
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                result = MailAuthAuditResult.Failed(request.Input, domain, $"The audit failed: {ex.GetType().Name}: {ex.Message}");
            }
            result.ElapsedSeconds = watch.Elapsed.TotalSeconds;
            return result;
        }

        private async Task<MailAuthAuditResult> AuditDomainAsync(MailAuthAuditRequest request, string domain, CancellationToken outer)
        {
            // Cancelled when the audit gives up early, so lookups still in flight for a dead domain stop at once.
            using var work = CancellationTokenSource.CreateLinkedTokenSource(outer);
            var ct = work.Token;
            var result = new MailAuthAuditResult(request.Input, domain) { SendingIPs = request.SendingIps };
            var findings = new List<Finding>();
            var ips = new List<IPAddress>();
            foreach (var text in request.SendingIps)
            {
                if (IPAddress.TryParse(text, out var ip) && (text.IndexOf(':') >= 0 || text.Count(c => c == '.') == 3)) ips.Add(IpNetwork.Unmap(ip));
                else findings.Add(new Finding("Audit.InvalidSendingIp", FindingSeverity.Error, "Audit",
                    $"'{text}' is not an IPv4 or IPv6 address; it was not checked.", "Give sending IPs as addresses, e.g. 192.0.2.25.", null, text));
            }

            var mxTask = new MxChecker(_resolver, Options.CheckMxReverseDns).CheckAsync(domain, ct);
            var spfTask = new SpfAnalyzer(_resolver).AnalyzeAsync(domain, ct);
            var dmarcTask = (Options.DmarcCheck ?? DmarcAnalyzerCheck.Default).CheckAsync(_resolver, domain, ct);
            var dkimTask = CheckDkimAsync(domain, request.Selectors, ct);
            var checker = new PolicyRecordChecker(_resolver, Options.MtaStsFetcher);
            var bimiTask = checker.CheckBimiAsync(domain, ct);
            var rdnsChecker = new ReverseDnsChecker(_resolver);
            var rdnsTasks = ips.Select(ip => rdnsChecker.CheckAsync(ip, ct)).ToList();
            var evaluator = new SpfEvaluator(_resolver);
            var spfIpTasks = ips.Select(ip => evaluator.CheckHostAsync(ip, domain, "postmaster@" + domain, null, ct)).ToList();

            var mx = await mxTask.ConfigureAwait(false);
            var spf = await spfTask.ConfigureAwait(false);
            result.Mx = mx;
            result.Spf = spf;

            // A domain that does not exist, or whose DNS does not answer at all, cannot be audited.
            if (mx.Status == MxStatus.DomainNotFound && spf.LookupStatus == DnsLookupStatus.NxDomain)
            {
                work.Cancel();
                return Fail(result, $"{domain} does not exist (NXDOMAIN).");
            }
            if (mx.Status == MxStatus.LookupFailed && spf.Status == SpfReportStatus.LookupFailed)
            {
                var status = mx.LookupStatus == DnsLookupStatus.NotAvailableOffline
                    ? "not available offline: no zone file holds it"
                    : mx.LookupStatus.ToString() + (spf.LookupStatus != mx.LookupStatus ? "/" + spf.LookupStatus : "");
                work.Cancel();
                return Fail(result, $"DNS lookups for {domain} failed ({status}).");
            }

            var mxHosts = mx.Hosts.Where(h => !h.IsIpLiteral).Select(h => h.Exchange).ToList();
            var mtaStsTask = checker.CheckMtaStsAsync(domain, mxHosts, ct);
            var dmarc = await dmarcTask.ConfigureAwait(false);
            var dkim = await dkimTask.ConfigureAwait(false);
            var bimi = await bimiTask.ConfigureAwait(false);
            var mtaSts = await mtaStsTask.ConfigureAwait(false);
            var tlsRpt = await checker.CheckTlsRptAsync(domain, mtaSts.Status != PolicyRecordStatus.NotPublished && mtaSts.Status != PolicyRecordStatus.LookupFailed, ct).ConfigureAwait(false);
            result.SendingIpReverseDns = await Task.WhenAll(rdnsTasks).ConfigureAwait(false);
            result.SpfSendingIpResults = await Task.WhenAll(spfIpTasks).ConfigureAwait(false);
            result.Dmarc = dmarc;
            result.Dkim = dkim;
            result.Bimi = bimi;
            result.MtaSts = mtaSts;
            result.TlsRpt = tlsRpt;

            result.IsParked = mx.Status == MxStatus.NullMx || (mx.Status == MxStatus.NoMx && !AuthorisesSenders(spf) && !dkim.Reports.Any(r => r.Status == DkimReportStatus.Ok || r.Status == DkimReportStatus.Warning));
            bool receivesMail = mxHosts.Count > 0;

            findings.AddRange(mx.Findings);
            findings.AddRange(spf.Findings);
            findings.AddRange(SendingIpFindings(result));
            findings.AddRange(result.IsParked ? dkim.Findings.Select(Soften) : dkim.Findings);
            // A parked domain gets its own DMARC advice (p=reject) instead of the usual p=none start.
            findings.AddRange(result.IsParked && dmarc.Status == DmarcAuditStatus.NoRecord ? dmarc.Findings.Where(f => f.Id != "DMARC.NoRecord") : dmarc.Findings);
            findings.AddRange(receivesMail ? mtaSts.Findings : mtaSts.Findings.Where(f => f.Id != "MTASTS.NotPublished"));
            findings.AddRange(receivesMail || tlsRpt.Status != PolicyRecordStatus.NotPublished ? tlsRpt.Findings : Enumerable.Empty<Finding>());
            findings.AddRange(bimi.Findings);
            if (bimi.Parsed != null && !bimi.Parsed.IsDeclination && dmarc.Status != DmarcAuditStatus.NotChecked && !dmarc.IsEnforcing)
                findings.Add(new Finding("BIMI.DmarcNotEnforced", FindingSeverity.Warning, "BIMI",
                    $"{domain} publishes BIMI, but its DMARC policy is {(dmarc.Policy is null ? "missing" : "p=" + dmarc.Policy)}; receivers show logos only with p=quarantine or p=reject.",
                    "Move DMARC to p=quarantine or p=reject once reports show your mail passes.", null));
            if (result.IsParked) findings.AddRange(ParkedFindings(domain, mx, spf, dmarc));

            if (Options.ReferenceResolver != null)
            {
                var selectors = request.Selectors.Concat(dkim.SelectorsFound).Distinct(StringComparer.Ordinal).ToList();
                var comparison = await new MailAuthRecordComparer(Options.ReferenceResolver, _resolver).CompareAsync(domain, selectors, ct).ConfigureAwait(false);
                result.ReferenceComparison = comparison;
                findings = ApplyReference(findings, comparison);
            }

            result.Findings = new FindingList(findings);
            result.Requirements = MailAuthAuditResult.NewRequirementList(SenderRequirementEvaluator.Evaluate(result, Options.Requirements).ToList());
            result.Status = findings.Any(f => f.Severity == FindingSeverity.Error) ? AuditStatus.Error
                : findings.Any(f => f.Severity == FindingSeverity.Warning) ? AuditStatus.Warning : AuditStatus.Ok;
            result.Grade = AuditGrader.Grade(result);
            result.Reason = findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error)?.Message;
            return result;
        }

        private static MailAuthAuditResult Fail(MailAuthAuditResult result, string reason)
        {
            var failed = MailAuthAuditResult.Failed(result.Input, result.Domain, reason);
            failed.Mx = result.Mx;
            failed.Spf = result.Spf;
            failed.SendingIPs = result.SendingIPs;
            return failed;
        }

        /// <summary>True when the SPF record lets some server pass (anything but "v=spf1 -all" and the like).</summary>
        internal static bool AuthorisesSenders(SpfRecordReport spf)
        {
            if (spf.Parsed is null) return false;
            if (spf.Parsed.Redirect != null) return true;
            return spf.Parsed.Mechanisms.Any(m => m.Qualifier == SpfQualifier.Pass);
        }

        private async Task<DkimAuditReport> CheckDkimAsync(string domain, IReadOnlyList<string> selectors, CancellationToken ct)
        {
            var report = new DkimAuditReport(domain) { SelectorsGiven = selectors };
            var discovery = new DkimSelectorDiscovery(_resolver) { ProbeFirst = true };
            var givenTask = discovery.CheckAsync(domain, selectors, ct);
            Task<DkimDiscoveryResult>? discoverTask = null;
            Task<IReadOnlyList<DkimRecordReport>>? probeTask = null;
            // Discovery (some forty lookups) runs for a domain without given selectors, in parallel; with given
            // selectors only when one of them has no key, to show which selectors do.
            void StartDiscovery()
            {
                discoverTask = discovery.DiscoverAsync(domain, selectors, ct);
                probeTask = discovery.CheckAsync(domain, new[] { WildcardProbeSelector }, ct);
            }
            if (Options.DiscoverSelectors && selectors.Count == 0) StartDiscovery();
            var given = await givenTask.ConfigureAwait(false);
            if (Options.DiscoverSelectors && selectors.Count > 0 && given.Any(r => r.Status == DkimReportStatus.NoRecord || !r.Found)) StartDiscovery();
            var findings = new List<Finding>();
            var reports = new List<DkimRecordReport>(given);
            foreach (var r in given) findings.AddRange(r.Findings);
            report.SelectorsMissing = given.Where(r => r.Status == DkimReportStatus.NoRecord || !r.Found).Select(r => r.Selector).ToArray();

            if (discoverTask != null)
            {
                var found = await discoverTask.ConfigureAwait(false);
                var probe = (await probeTask!.ConfigureAwait(false))[0];
                report.Discovery = found;
                report.IsWildcard = probe.Found;
                if (report.IsWildcard)
                {
                    findings.Add(new Finding("DKIM.WildcardKey", FindingSeverity.Information, "DKIM",
                        $"A wildcard record answers for every selector under _domainkey.{domain} ({probe.Status}{(probe.Revoked ? ", an empty key that revokes every selector" : "")}); discovered selectors are not listed.",
                        null, "RFC 6376 §3.6.2.1, RFC 4592"));
                }
                else
                {
                    foreach (var r in found.Reports.Where(r => !selectors.Contains(r.Selector, StringComparer.Ordinal)))
                    {
                        reports.Add(r);
                        findings.AddRange(r.Findings);
                    }
                    // Discovery's verdict on "no key found" matters only when no given selector answered it already.
                    findings.AddRange(found.Findings.Where(f => selectors.Count == 0 || f.Id != DkimSelectorDiscovery.FindingIds.NoSelectorFound));
                }
            }
            report.Reports = reports;
            report.Findings = findings;
            var usable = reports.Any(r => r.Status == DkimReportStatus.Ok || r.Status == DkimReportStatus.Warning);
            if (reports.Any(r => r.Status == DkimReportStatus.LookupFailed)) report.Status = "LookupFailed";
            else if (report.SelectorsMissing.Count > 0 || reports.Any(r => r.Status == DkimReportStatus.Error)) report.Status = "Error";
            else if (!usable) report.Status = "NoKeys";
            else if (findings.Any(f => f.Severity == FindingSeverity.Warning)) report.Status = "Warning";
            else report.Status = "Ok";
            if (report.IsWildcard && !usable && selectors.Count == 0) report.Status = probeTask!.Result[0].Revoked ? "Revoked" : "Wildcard";
            return report;
        }

        private static IEnumerable<Finding> SendingIpFindings(MailAuthAuditResult r)
        {
            foreach (var rdns in r.SendingIpReverseDns)
            {
                if (rdns.Status == ReverseDnsStatus.Confirmed) continue;
                if (rdns.Status == ReverseDnsStatus.LookupFailed)
                    yield return new Finding("PTR.LookupFailed", rdns.LookupStatus == DnsLookupStatus.NotAvailableOffline ? FindingSeverity.Information : FindingSeverity.Warning, "PTR",
                        $"Sending IP {rdns.Address}: {rdns.Evidence}.", null, "RFC 1912 §2.1", rdns.Address.ToString());
                else
                    yield return new Finding(rdns.Status == ReverseDnsStatus.NoPtr ? "PTR.NoPtr" : "PTR.NotConfirmed", FindingSeverity.Error, "PTR",
                        $"Sending IP {rdns.Address}: {rdns.Evidence}. Gmail rejects such mail (550-5.7.25) and Yahoo requires forward-confirmed reverse DNS.",
                        $"Ask the owner of {rdns.Address} (your ISP or hosting provider) to set a PTR to the server's host name, and give that name an A/AAAA record with {rdns.Address}.",
                        "RFC 1912 §2.1", rdns.Address.ToString());
            }
            foreach (var check in r.SpfSendingIpResults.Where(c => c.Result != SpfResult.Pass))
                yield return new Finding("SPF.SendingIpNotAuthorized", FindingSeverity.Error, "SPF",
                    $"SPF check_host({check.Ip}, {check.Domain}) = {check.Result.ToString().ToLowerInvariant()}{(check.ErrorMessage is null ? "" : " (" + check.ErrorMessage + ")")}: mail from this sending IP fails SPF.",
                    $"Add ip{(check.Ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "6" : "4")}:{check.Ip} (or the sending service's include) to the SPF record of {check.Domain}.",
                    "RFC 7208 §4", check.Ip.ToString());
        }

        /// <summary>A parked domain needs no DKIM key: "no key found" is information there, not a problem.</summary>
        private static Finding Soften(Finding f)
        {
            if (f.Severity == FindingSeverity.Information) return f;
            if (f.Id != DkimSelectorDiscovery.FindingIds.NoDomainKeys && f.Id != DkimSelectorDiscovery.FindingIds.NoSelectorFound &&
                f.Id != DkimAnalyzer.FindingIds.Revoked && f.Id != DkimSelectorDiscovery.FindingIds.ProviderSelectorMissing) return f;
            return new Finding(f.Id, FindingSeverity.Information, f.Area, f.Message + " The domain sends no mail, so this is expected.", null, f.Reference, f.Term, f.SuggestedRecord);
        }

        private static IEnumerable<Finding> ParkedFindings(string domain, MxReport mx, SpfRecordReport spf, DmarcAuditSummary dmarc)
        {
            const string Area = "Parked";
            if (spf.Record != null && !IsFailAll(spf.Record))
                yield return new Finding("Parked.SpfNotFailAll", FindingSeverity.Warning, Area,
                    $"{domain} sends no mail, but its SPF record is \"{spf.Record}\" rather than \"v=spf1 -all\".",
                    "Publish \"v=spf1 -all\" so receivers reject mail forged with this domain.", "RFC 7208 §4.5",
                    spf.Record, PublishableRecord.CreateTxt(domain, "@", "v=spf1 -all", SuggestedTtl));
            if (dmarc.Status != DmarcAuditStatus.NotChecked && dmarc.Status != DmarcAuditStatus.LookupFailed && dmarc.Policy != "reject")
                yield return new Finding("Parked.DmarcNotReject", dmarc.Status == DmarcAuditStatus.NoRecord ? FindingSeverity.Error : FindingSeverity.Warning, Area,
                    $"{domain} sends no mail, but its DMARC policy is {(dmarc.Policy is null ? "missing" : "p=" + dmarc.Policy)}.",
                    "Publish \"v=DMARC1; p=reject;\" at _dmarc so receivers reject mail that claims to come from the domain.", "RFC 7489 §6.3",
                    dmarc.Record, PublishableRecord.CreateTxt(domain, "_dmarc", "v=DMARC1; p=reject;", SuggestedTtl));
            if (mx.Status == MxStatus.NoMx)
                yield return new Finding("Parked.NoNullMx", FindingSeverity.Warning, Area,
                    $"{domain} receives no mail but has no null MX, so senders try its A record or retry for days.",
                    "Publish the null MX \"0 .\" so senders fail at once.", "RFC 7505 §3",
                    null, PublishableRecord.CreateMx(domain, "@", ".", 0, SuggestedTtl));
        }

        private static bool IsFailAll(string record) =>
            string.Join(" ", record.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)).Equals("v=spf1 -all", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Records the reference publishes and the domain lacks now: the matching finding gets the reference record as
        /// its suggestion; a record with no finding of its own gets a "Reference.Missing" finding.
        /// </summary>
        private static List<Finding> ApplyReference(List<Finding> findings, IReadOnlyList<MailAuthRecordComparison> comparison)
        {
            var result = new List<Finding>(findings);
            foreach (var row in comparison.Where(c => c.State == RecordComparisonState.Missing && c.RecordToPublish != null))
            {
                int index = result.FindIndex(f => Matches(f, row));
                string note = $" The reference zone has {row.Name} {row.RecordType} \"{Shorten(row.ReferenceValue)}\": publish it again (SuggestedRecord).";
                if (index >= 0)
                {
                    var f = result[index];
                    result[index] = new Finding(f.Id, f.Severity, f.Area, f.Message + note, f.Remediation, f.Reference, f.Term, row.RecordToPublish);
                }
                else
                {
                    result.Add(new Finding("Reference.Missing", FindingSeverity.Error, AreaOf(row.Kind),
                        $"{row.Name} ({row.Kind}) is published in the reference zone but missing now.{note}",
                        "Publish the record shown in SuggestedRecord.", null, row.ReferenceValue, row.RecordToPublish));
                }
            }
            foreach (var row in comparison.Where(c => c.State == RecordComparisonState.Changed))
                result.Add(new Finding("Reference.Changed", FindingSeverity.Information, AreaOf(row.Kind),
                    $"{row.Name} ({row.Kind}) differs from the reference zone: now {row.DifferenceValue}, before {row.ReferenceValue}.",
                    null, null, row.ReferenceValue, row.RecordToPublish));
            return result;
        }

        private static string Shorten(string? s) => s is null ? string.Empty : s.Length <= 60 ? s : s.Substring(0, 57) + "...";

        private static bool Matches(Finding f, MailAuthRecordComparison row)
        {
            switch (row.Kind)
            {
                case MailAuthRecordKind.Dkim:
                    return (f.Id == DkimAnalyzer.FindingIds.NoRecord || f.Id == DkimAnalyzer.FindingIds.CnameTargetMissing) &&
                           f.Message.IndexOf(row.Name, StringComparison.OrdinalIgnoreCase) >= 0;
                case MailAuthRecordKind.Spf: return f.Id == "SPF.NoRecord";
                case MailAuthRecordKind.Dmarc: return f.Id == "DMARC.NoRecord";
                default: return false;
            }
        }

        private static string AreaOf(MailAuthRecordKind kind) => kind switch
        {
            MailAuthRecordKind.Spf => "SPF",
            MailAuthRecordKind.Dkim => "DKIM",
            MailAuthRecordKind.Dmarc => "DMARC",
            MailAuthRecordKind.Mx => "MX",
            MailAuthRecordKind.MtaSts => "MTA-STS",
            MailAuthRecordKind.TlsRpt => "TLS-RPT",
            _ => "BIMI",
        };
    }
}
