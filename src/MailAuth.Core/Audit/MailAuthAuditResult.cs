using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Findings;
using MailAuth.Migration;
using MailAuth.Spf;

namespace MailAuth.Audit
{
    /// <summary>
    /// One audited domain (one input row). The first properties are flat values that export cleanly to CSV; the
    /// detailed reports follow. <see cref="Findings"/> holds every finding of every check, the records that would
    /// fix them in <see cref="Finding.SuggestedRecord"/>.
    /// </summary>
    public sealed class MailAuthAuditResult
    {
        internal MailAuthAuditResult(string input, string domain)
        {
            Input = input;
            Domain = domain;
        }

        // ---- flat summary (CSV) ----

        /// <summary>The input row this result answers (1-based, in input order).</summary>
        public int Row { get; private set; }
        /// <summary>The domain (A-label form, lower case), or the input text when it is not a valid name.</summary>
        public string Domain { get; }
        public AuditStatus Status { get; internal set; }
        /// <summary>A (best) to F; F for a failed audit.</summary>
        public string Grade { get; internal set; } = "F";
        /// <summary>Why the audit failed, or the main problem; null when there is nothing to say.</summary>
        public string? Reason { get; internal set; }
        /// <summary>True when the domain sends and receives no mail (null MX, or no MX and an SPF record that authorises nobody).</summary>
        public bool IsParked { get; internal set; }
        public string? SpfStatus => Spf?.Status.ToString();
        /// <summary>DNS lookups the SPF record costs (limit 10), or null without a record.</summary>
        public int? SpfLookupCount => Spf?.Record is null ? (int?)null : Spf.DnsLookupCount;
        public string? SpfRecord => Spf?.Record;
        public string? DkimStatus => Dkim?.Status;
        /// <summary>Selectors with a key, comma-separated.</summary>
        public string DkimSelectorsFound => Dkim is null ? string.Empty : string.Join(", ", Dkim.SelectorsFound);
        /// <summary>Given selectors without a key, comma-separated.</summary>
        public string DkimSelectorsMissing => Dkim is null ? string.Empty : string.Join(", ", Dkim.SelectorsMissing);
        /// <summary>The smallest RSA key found, in bits (Ed25519 keys not counted).</summary>
        public int? WeakestDkimKeyBits => Dkim?.WeakestRsaKeyBits;
        public string? DmarcStatus => Dmarc?.Status.ToString();
        /// <summary>none, quarantine or reject; null without a usable record (or when DMARC was not checked).</summary>
        public string? DmarcPolicy => Dmarc?.Policy;
        public string? MxStatus => Mx?.Status.ToString();
        /// <summary>The MX hosts in preference order, comma-separated ("." for a null MX).</summary>
        public string MxHosts => Mx is null ? string.Empty : Mx.HasNullMx && Mx.Hosts.Count == 0 ? "." : string.Join(", ", Mx.HostNames);
        /// <summary>enforce, testing or none; null without a usable MTA-STS policy.</summary>
        public string? MtaStsMode => MtaSts?.Mode;
        public string? MtaStsStatus => MtaSts?.Status.ToString();
        public string? TlsRptStatus => TlsRpt?.Status.ToString();
        public string? BimiStatus => Bimi?.Status.ToString();
        /// <summary>The providers whose requirements were checked, comma-separated.</summary>
        public string RequirementsChecked => string.Join(", ", Requirements.Select(r => r.Provider).Distinct());
        /// <summary>Requirement rules with the verdict Fail.</summary>
        public int RequirementsFailed => Requirements.Count(r => r.Verdict == RequirementVerdict.Fail);
        public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);
        public int WarningCount => Findings.Count(f => f.Severity == FindingSeverity.Warning);
        /// <summary>Findings that come with a record to publish.</summary>
        public int SuggestedRecordCount => Findings.Count(f => f.SuggestedRecord != null);
        /// <summary>The text of the input row.</summary>
        public string Input { get; private set; }
        /// <summary>When the same domain came earlier in the input, that row (the audit ran once); otherwise null.</summary>
        public int? DuplicateOfRow { get; private set; }
        /// <summary>Seconds the audit took.</summary>
        public double ElapsedSeconds { get; internal set; }

        // ---- details ----

        public FindingList Findings { get; internal set; } = FindingList.Empty;
        public SpfRecordReport? Spf { get; internal set; }
        /// <summary>check_host() for each given sending IP (RFC 7208 §4).</summary>
        public IReadOnlyList<SpfCheckResult> SpfSendingIpResults { get; internal set; } = Array.Empty<SpfCheckResult>();
        public DkimAuditReport? Dkim { get; internal set; }
        public DmarcAuditSummary? Dmarc { get; internal set; }
        public MxReport? Mx { get; internal set; }
        public MtaStsReport? MtaSts { get; internal set; }
        public TlsRptReport? TlsRpt { get; internal set; }
        public BimiReport? Bimi { get; internal set; }
        /// <summary>Forward-confirmed reverse DNS of each given sending IP.</summary>
        public IReadOnlyList<ReverseDnsResult> SendingIpReverseDns { get; internal set; } = Array.Empty<ReverseDnsResult>();
        /// <summary>The sending IPs given (CSV column SendingIP or -SendingIP).</summary>
        public IReadOnlyList<string> SendingIPs { get; internal set; } = Array.Empty<string>();
        public SummaryList<SenderRequirementResult> Requirements { get; internal set; } = EmptyRequirements;
        /// <summary>The records compared with the reference zone files (when given).</summary>
        public IReadOnlyList<MailAuthRecordComparison> ReferenceComparison { get; internal set; } = Array.Empty<MailAuthRecordComparison>();

        internal static readonly SummaryList<SenderRequirementResult> EmptyRequirements = NewRequirementList(Array.Empty<SenderRequirementResult>());

        internal static SummaryList<SenderRequirementResult> NewRequirementList(IList<SenderRequirementResult> items) =>
            new SummaryList<SenderRequirementResult>(items, l => l.Count == 0 ? string.Empty
                : string.Join("; ", l.GroupBy(r => r.Provider).Select(g =>
                    $"{g.Key}: {g.Count(r => r.Verdict == RequirementVerdict.Pass)} pass, {g.Count(r => r.Verdict == RequirementVerdict.Fail)} fail, " +
                    $"{g.Count(r => r.Verdict == RequirementVerdict.Warning)} warning, {g.Count(r => r.Verdict == RequirementVerdict.NotVerifiable)} not verifiable")));

        /// <summary>A copy for another input row (duplicates share the audit).</summary>
        internal MailAuthAuditResult ForRow(int row, string input, int? duplicateOf)
        {
            var copy = (MailAuthAuditResult)MemberwiseClone();
            copy.Row = row;
            copy.Input = input;
            copy.DuplicateOfRow = duplicateOf;
            return copy;
        }

        internal static MailAuthAuditResult Failed(string input, string domain, string reason)
        {
            var r = new MailAuthAuditResult(input, domain) { Status = AuditStatus.Failed, Grade = "F", Reason = reason };
            r.Findings = new FindingList(new[] { new Finding("Audit.Failed", FindingSeverity.Error, "Audit", reason) });
            return r;
        }

        public override string ToString() => $"{Domain}: {Status} {Grade}" + (Reason is null ? "" : " - " + Reason);
    }
}
