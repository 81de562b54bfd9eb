using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Audit;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Publishing;
using MailAuth.Spf;

namespace MailAuth.Bounces
{
    /// <summary>The DNS checks Resolve-MailBounce -Audit runs for a bounce's sender domain and relay IP.</summary>
    public sealed class MailBounceAudit
    {
        internal MailBounceAudit(string? domain, IPAddress? ip) { Domain = domain; IPAddress = ip; }

        /// <summary>The sender domain checked, or null.</summary>
        public string? Domain { get; }
        /// <summary>The relay IP checked, or null.</summary>
        public IPAddress? IPAddress { get; }
        /// <summary>check_host() for the IP and the domain (RFC 7208 §4), or null without both.</summary>
        public SpfCheckResult? Spf { get; internal set; }
        /// <summary>The domain's SPF record, analysed, or null without a domain.</summary>
        public SpfRecordReport? SpfRecord { get; internal set; }
        /// <summary>DKIM key discovery (the message's own selectors first), or null without a domain.</summary>
        public DkimDiscoveryResult? Dkim { get; internal set; }
        /// <summary>DMARC policy discovery for the domain (DmarcAnalyzer: RFC 9989 tree walk by default), or null without a domain.</summary>
        public DmarcRecordReport? DmarcReport { get; internal set; }
        /// <summary>The name the DMARC record was found at (_dmarc.domain, or a parent's), or the name asked.</summary>
        public string? DmarcName { get; internal set; }
        public DnsLookupStatus? DmarcLookupStatus { get; internal set; }
        /// <summary>The DMARC record, parsed (RFC 7489 §6.3), or null when none was found.</summary>
        public DmarcRecord? Dmarc { get; internal set; }
        /// <summary>The policy receivers apply to the domain (p=, sp= or np=), or null.</summary>
        public DmarcPolicy? DmarcPolicy { get; internal set; }
        /// <summary>Forward-confirmed reverse DNS of the IP, or null without an IP.</summary>
        public ReverseDnsResult? ReverseDns { get; internal set; }
        /// <summary>What the checks found, with records to publish where one would help.</summary>
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();
        public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);
        public int WarningCount => Findings.Count(f => f.Severity == FindingSeverity.Warning);
        /// <summary>One line: SPF, DKIM, DMARC and PTR at a glance.</summary>
        public string Summary { get; internal set; } = string.Empty;

        public override string ToString() => Summary;
    }

    /// <summary>Runs the DNS checks behind a bounce: SPF check_host for the relay IP, DKIM keys, DMARC and PTR.</summary>
    public sealed class MailBounceAuditor
    {
        private const string Area = "Bounce";
        private readonly IDnsResolver _resolver;
        private readonly DmarcDiscoveryOptions? _dmarcOptions;

        /// <param name="resolver">Answers every lookup of the audit.</param>
        /// <param name="dmarcOptions">How DMARC policy discovery runs (default: the RFC 9989 tree walk).</param>
        public MailBounceAuditor(IDnsResolver resolver, DmarcDiscoveryOptions? dmarcOptions = null)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            _dmarcOptions = dmarcOptions;
        }

        /// <summary>Audits the analysis' sender domain and relay IP; returns a copy with <see cref="MailBounceAnalysis.Audit"/> set.</summary>
        public async Task<MailBounceAnalysis> AuditAsync(MailBounceAnalysis analysis, CancellationToken cancellationToken = default)
        {
            if (analysis is null) throw new ArgumentNullException(nameof(analysis));
            var audit = await AuditAsync(analysis.SenderDomain, analysis.RelayIp, analysis.SenderAddress, analysis.DkimSelectors, cancellationToken).ConfigureAwait(false);
            return analysis.WithAudit(audit);
        }

        /// <summary>Checks <paramref name="domain"/> (SPF record, DKIM, DMARC) and <paramref name="ip"/> (PTR; with the domain, check_host).</summary>
        public async Task<MailBounceAudit> AuditAsync(string? domain, IPAddress? ip, string? sender = null, IEnumerable<string>? selectors = null,
            CancellationToken cancellationToken = default)
        {
            domain = string.IsNullOrWhiteSpace(domain) ? null : DnsName.Normalize(domain);
            var audit = new MailBounceAudit(domain, ip);
            var selectorList = (selectors ?? Enumerable.Empty<string>()).ToList();

            Task<SpfCheckResult>? spfTask = null;
            Task<SpfRecordReport>? spfRecordTask = null;
            Task<DkimDiscoveryResult>? dkimTask = null;
            Task<DmarcRecordReport>? dmarcTask = null;
            Task<ReverseDnsResult>? ptrTask = null;
            if (domain != null)
            {
                var mailFrom = sender != null && sender.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase) ? sender : "postmaster@" + domain;
                if (ip != null) spfTask = new SpfEvaluator(_resolver).CheckMailFromAsync(ip, mailFrom, null, cancellationToken);
                spfRecordTask = new SpfAnalyzer(_resolver).AnalyzeAsync(domain, cancellationToken);
                dkimTask = new DkimSelectorDiscovery(_resolver).DiscoverAsync(domain, selectorList, cancellationToken);
                dmarcTask = new DmarcAnalyzer(_resolver, _dmarcOptions).AnalyzeAsync(domain, cancellationToken);
            }
            if (ip != null) ptrTask = ReverseDnsAsync(ip, cancellationToken);

            var findings = new List<Finding>();
            var summary = new List<string>();
            if (spfRecordTask != null) audit.SpfRecord = await spfRecordTask.ConfigureAwait(false);
            if (spfTask != null)
            {
                var spf = audit.Spf = await spfTask.ConfigureAwait(false);
                summary.Add("SPF " + spf.Result.ToString().ToLowerInvariant());
                AddSpfFindings(domain!, ip!, spf, audit.SpfRecord, findings);
            }
            else if (audit.SpfRecord != null)
            {
                summary.Add("SPF record " + audit.SpfRecord.Status);
                if (audit.SpfRecord.Status == SpfReportStatus.NoRecord || audit.SpfRecord.Status == SpfReportStatus.Error)
                    findings.AddRange(audit.SpfRecord.Findings.Where(f => f.Severity == FindingSeverity.Error));
            }
            if (dkimTask != null)
            {
                var dkim = audit.Dkim = await dkimTask.ConfigureAwait(false);
                summary.Add(dkim.Reports.Count == 0 ? "DKIM no keys" : "DKIM " + string.Join(",", dkim.SelectorsFound));
                AddDkimFindings(domain!, dkim, selectorList, findings);
            }
            if (dmarcTask != null)
            {
                var dmarc = audit.DmarcReport = await dmarcTask.ConfigureAwait(false);
                audit.DmarcName = dmarc.RecordName ?? "_dmarc." + domain;
                audit.DmarcLookupStatus = dmarc.LookupStatus;
                audit.Dmarc = dmarc.Parsed;
                audit.DmarcPolicy = dmarc.AppliedPolicy;
                summary.Add(dmarc.Parsed is null ? "DMARC " + (dmarc.Status == DmarcReportStatus.LookupFailed ? "lookup failed" : "none")
                    : "DMARC p=" + (dmarc.AppliedPolicy?.ToString().ToLowerInvariant() ?? "?"));
                if (dmarc.Status == DmarcReportStatus.NoRecord)
                    findings.Add(new Finding("Bounce.NoDmarc", FindingSeverity.Error, Area,
                        $"No DMARC record applies to {domain}; Gmail and Yahoo require one of bulk senders and Outlook.com of high-volume senders (p=none is enough).",
                        "Publish a DMARC record, starting with p=none and a rua= address to receive reports.", "RFC 9989, DMARC Policy Record",
                        suggestedRecord: PublishableRecord.CreateTxt(domain!, "_dmarc", "v=DMARC1; p=none; rua=mailto:dmarc-reports@" + domain, TimeSpan.FromHours(1))));
                else if (dmarc.Status == DmarcReportStatus.LookupFailed)
                    findings.Add(new Finding("Bounce.DmarcLookupFailed", FindingSeverity.Warning, Area,
                        $"DMARC policy discovery for {domain} failed ({dmarc.LookupStatus}); receivers may defer the mail."));
                else
                    findings.AddRange(dmarc.Findings.Where(f => f.Severity == FindingSeverity.Error));
            }
            if (ptrTask != null)
            {
                var ptr = audit.ReverseDns = await ptrTask.ConfigureAwait(false);
                summary.Add(ptr.IsForwardConfirmed ? "PTR " + ptr.ConfirmedNames[0] : ptr.HasPtr ? "PTR not confirmed" : "PTR none");
                AddPtrFindings(ptr, findings);
            }
            audit.Findings = findings;
            audit.Summary = summary.Count == 0 ? "Nothing to check: no sender domain and no relay IP." : string.Join("; ", summary);
            return audit;
        }

        private static void AddSpfFindings(string domain, IPAddress ip, SpfCheckResult spf, SpfRecordReport? record, List<Finding> findings)
        {
            switch (spf.Result)
            {
                case SpfResult.Pass:
                    findings.Add(new Finding("Bounce.SpfPass", FindingSeverity.Information, Area,
                        $"SPF passes for {ip} at {domain} ({spf.MatchedTerm ?? "matched"}).", reference: "RFC 7208 §2.6.3"));
                    return;
                case SpfResult.TempError:
                    findings.Add(new Finding("Bounce.SpfTempError", FindingSeverity.Warning, Area,
                        $"SPF for {ip} at {domain} gives temperror: {spf.ErrorMessage ?? "a DNS lookup failed"}.", "Check again; make sure the domain's servers answer.", "RFC 7208 §2.6.6"));
                    return;
                case SpfResult.PermError:
                    findings.Add(new Finding("Bounce.SpfPermError", FindingSeverity.Error, Area,
                        $"SPF for {domain} gives permerror: {spf.ErrorMessage ?? "the record is broken"}. Receivers treat that as a failure.",
                        "Fix the record (Get-SpfRecord shows the findings).", "RFC 7208 §2.6.7"));
                    return;
                default:
                    PublishableRecord? suggestion = null;
                    var term = (ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6:" : "ip4:") + ip;
                    if (record?.Record != null && record.Status != SpfReportStatus.NoRecord && SpfParser.IsSpfRecord(record.Record))
                        suggestion = PublishableRecord.CreateTxt(domain, "@", "v=spf1 " + term + record.Record.Substring(6), TimeSpan.FromHours(1));
                    findings.Add(new Finding("Bounce.SpfNotPass", FindingSeverity.Error, Area,
                        $"SPF gives {spf.Result.ToString().ToLowerInvariant()} for {ip} at {domain}: the relay is not authorised" + (spf.Result == SpfResult.None ? " (no SPF record)." : "."),
                        suggestion != null ? $"If {ip} is your relay, add {term} to the record (the suggested record does), then check the lookup count with Get-SpfRecord." : $"Publish an SPF record that lists {ip}.",
                        "RFC 7208 §2.6", term, suggestion));
                    return;
            }
        }

        private static void AddDkimFindings(string domain, DkimDiscoveryResult dkim, List<string> signedSelectors, List<Finding> findings)
        {
            foreach (var selector in signedSelectors.Select(DnsName.Normalize).Distinct())
            {
                var report = dkim.Reports.FirstOrDefault(r => r.Selector == selector);
                if (report is null || !report.Found)
                    findings.Add(new Finding("Bounce.DkimKeyMissing", FindingSeverity.Error, "DKIM",
                        $"The returned message was signed with selector '{selector}' (d={domain}), but no key is published at {DkimAnalyzer.KeyName(selector, domain)}: the signature cannot verify.",
                        "Publish the signer's public key at that name (from its configuration, an old zone export, or New-DkimKey with a new key); Compare-MailAuthRecord finds keys lost in a DNS move.",
                        "RFC 6376 §6.1.2", selector));
            }
            if (dkim.Reports.Count == 0)
                findings.Add(new Finding("Bounce.NoDkimKey", FindingSeverity.Warning, "DKIM",
                    $"No DKIM key was found for {domain} under the common and provider selectors ({dkim.Summary}).",
                    "If the domain signs with another selector, give it with the DKIM-Signature's s= value; otherwise set up DKIM signing.", "RFC 6376 §3.6.2.1"));
            foreach (var report in dkim.Reports.Where(r => r.ErrorCount > 0))
                findings.AddRange(report.Findings.Where(f => f.Severity == FindingSeverity.Error));
        }

        private static void AddPtrFindings(ReverseDnsResult ptr, List<Finding> findings)
        {
            if (ptr.Status == ReverseDnsStatus.LookupFailed)
                findings.Add(new Finding("Bounce.PtrLookupFailed", FindingSeverity.Warning, Area, $"The PTR lookup for {ptr.Address} failed ({ptr.LookupStatus})."));
            else if (!ptr.HasPtr)
                findings.Add(new Finding("Bounce.NoPtr", FindingSeverity.Error, Area,
                    $"{ptr.Address} has no PTR record ({ptr.ReverseName} {ptr.LookupStatus}); Gmail rejects such senders (5.7.25) and Yahoo requires reverse DNS.",
                    "Ask whoever controls the IP range to set a PTR record to a host name that resolves back to the IP.", "RFC 1912 §2.1"));
            else if (!ptr.IsForwardConfirmed)
                findings.Add(new Finding("Bounce.PtrNotConfirmed", FindingSeverity.Error, Area,
                    $"{ptr.Address} has PTR {string.Join(", ", ptr.PtrNames)}, but no such name resolves back to {ptr.Address}.",
                    "Add an A/AAAA record for the PTR name pointing at the IP, or change the PTR to a name that does.", "RFC 8601 §3"));
            else
                findings.Add(new Finding("Bounce.PtrOk", FindingSeverity.Information, Area,
                    $"{ptr.Address} has forward-confirmed reverse DNS: {string.Join(", ", ptr.ConfirmedNames)}."));
        }

        /// <summary>Forward-confirmed reverse DNS of the IP (the same check as the audit's, <see cref="ReverseDnsChecker"/>).</summary>
        public Task<ReverseDnsResult> ReverseDnsAsync(IPAddress ip, CancellationToken cancellationToken = default) =>
            new ReverseDnsChecker(_resolver).CheckAsync(ip, cancellationToken);
    }
}
