using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Audit;
using MailAuth.Bounces;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Findings;
using MailAuth.Migration;
using MailAuth.Publishing;
using MailAuth.Spf;

namespace MailAuth.Reporting
{
    /// <summary>How bad a report item is, for sorting and colour (worst wins when a domain has several items).</summary>
    public enum ReportLevel
    {
        Unknown = 0,
        Ok = 1,
        Warning = 2,
        Error = 3,
        /// <summary>The check itself failed (DNS failure, timeout): nothing is known.</summary>
        Failed = 4,
    }

    /// <summary>
    /// One thing the HTML report shows about a domain: an audit result, an SPF/DKIM/DMARC report, the rows of a
    /// migration check, a bounce, or any object with Domain, Status and Findings. Built with the From* methods
    /// or <see cref="Create"/>.
    /// </summary>
    public sealed class ReportItem
    {
        private ReportItem(string domain, string kind, string status, ReportLevel level)
        {
            Domain = Dns.DnsName.Normalize(domain);
            Kind = kind;
            Status = status;
            Level = level;
        }

        public string Domain { get; }
        /// <summary>"Audit", "SPF", "DKIM", "DMARC", "Migration", "Bounce", or the type name of a generic object.</summary>
        public string Kind { get; }
        /// <summary>What the item is about within the domain (a DKIM selector, a bounce file), or null.</summary>
        public string? Label { get; private set; }
        public string Status { get; }
        public ReportLevel Level { get; }
        /// <summary>A to F (audits), or null.</summary>
        public string? Grade { get; private set; }
        /// <summary>Short facts for the summary table, by column ("SPF", "DKIM", "DMARC", "MX", "Migration", "Bounce").</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Facts { get; private set; } = Array.Empty<KeyValuePair<string, string>>();
        public IReadOnlyList<Finding> Findings { get; private set; } = Array.Empty<Finding>();
        /// <summary>The SPF include/redirect tree, or null.</summary>
        public SpfTreeNode? SpfTree { get; private set; }
        /// <summary>Records to publish beyond the findings' suggestions (a migration's missing records).</summary>
        public IReadOnlyList<PublishableRecord> RecordsToPublish { get; private set; } = Array.Empty<PublishableRecord>();
        public IReadOnlyList<MailAuthRecordComparison> Comparisons { get; private set; } = Array.Empty<MailAuthRecordComparison>();
        public MailBounceAnalysis? Bounce { get; private set; }

        /// <summary>Every record to publish: <see cref="RecordsToPublish"/> and the findings' suggested records.</summary>
        public IEnumerable<PublishableRecord> AllRecordsToPublish =>
            RecordsToPublish.Concat(Findings.Where(f => f.SuggestedRecord != null).Select(f => f.SuggestedRecord!));

        /// <summary>A generic item (objects that are not MailAuth results).</summary>
        public static ReportItem Create(string domain, string? status, IEnumerable<Finding>? findings = null, string? kind = null,
            IEnumerable<PublishableRecord>? recordsToPublish = null, SpfTreeNode? spfTree = null)
        {
            var list = (findings ?? Enumerable.Empty<Finding>()).Where(f => f != null).ToList();
            var level = LevelOf(status, list);
            return new ReportItem(domain, kind ?? "Result", string.IsNullOrWhiteSpace(status) ? level.ToString() : status!.Trim(), level)
            {
                Findings = list,
                RecordsToPublish = (recordsToPublish ?? Enumerable.Empty<PublishableRecord>()).Where(r => r != null).ToList(),
                SpfTree = spfTree,
            };
        }

        /// <summary>The known MailAuth result types; null for anything else.</summary>
        public static ReportItem? From(object? value)
        {
            switch (value)
            {
                case MailAuthAuditResult a: return FromAudit(a);
                case SpfRecordReport s: return FromSpf(s);
                case DkimRecordReport d: return FromDkim(d);
                case DkimDiscoveryResult r: return FromDkimDiscovery(r);
                case DmarcRecordReport m: return FromDmarc(m);
                case MailAuthRecordComparison c: return FromComparisons(new[] { c });
                case MailBounceAnalysis b: return FromBounce(b);
                default: return null;
            }
        }

        public static ReportItem FromAudit(MailAuthAuditResult audit)
        {
            if (audit is null) throw new ArgumentNullException(nameof(audit));
            var level = audit.Status == AuditStatus.Ok ? ReportLevel.Ok : audit.Status == AuditStatus.Warning ? ReportLevel.Warning
                : audit.Status == AuditStatus.Error ? ReportLevel.Error : ReportLevel.Failed;
            var facts = new List<KeyValuePair<string, string>>();
            if (audit.Spf != null) facts.Add(Fact("SPF", audit.SpfStatus + (audit.SpfLookupCount is int n ? $" ({n} lookups)" : "")));
            if (audit.Dkim != null) facts.Add(Fact("DKIM", audit.DkimStatus + (audit.DkimSelectorsFound.Length > 0 ? " (" + audit.DkimSelectorsFound + ")" : "")
                + (audit.DkimSelectorsMissing.Length > 0 ? ", missing " + audit.DkimSelectorsMissing : "")));
            if (audit.Dmarc != null) facts.Add(Fact("DMARC", audit.DmarcPolicy != null ? "p=" + audit.DmarcPolicy : audit.DmarcStatus ?? ""));
            if (audit.Mx != null) facts.Add(Fact("MX", audit.MxStatus + (audit.MxHosts.Length > 0 ? " (" + audit.MxHosts + ")" : "")));
            var comparisons = audit.ReferenceComparison ?? Array.Empty<MailAuthRecordComparison>();
            if (comparisons.Count > 0) facts.Add(Fact("Migration", MigrationFact(comparisons)));
            return new ReportItem(audit.Domain, "Audit", audit.Status.ToString(), level)
            {
                Label = audit.Reason,
                Grade = audit.Grade,
                Facts = facts,
                Findings = audit.Findings.ToList(),
                SpfTree = audit.Spf?.Tree,
                Comparisons = comparisons,
                RecordsToPublish = comparisons.Where(c => c.RecordToPublish != null).Select(c => c.RecordToPublish!).ToList(),
            };
        }

        public static ReportItem FromSpf(SpfRecordReport spf)
        {
            if (spf is null) throw new ArgumentNullException(nameof(spf));
            var level = spf.Status == SpfReportStatus.Ok ? ReportLevel.Ok : spf.Status == SpfReportStatus.Warning ? ReportLevel.Warning
                : spf.Status == SpfReportStatus.LookupFailed ? ReportLevel.Failed : ReportLevel.Error;
            return new ReportItem(spf.Domain, "SPF", spf.Status.ToString(), level)
            {
                Facts = new[] { Fact("SPF", spf.Status + (spf.Record != null ? $" ({spf.DnsLookupCount} lookups)" : "")) },
                Findings = spf.Findings,
                SpfTree = spf.Tree,
            };
        }

        public static ReportItem FromDkim(DkimRecordReport dkim)
        {
            if (dkim is null) throw new ArgumentNullException(nameof(dkim));
            var level = dkim.Status == DkimReportStatus.Ok || dkim.Status == DkimReportStatus.Revoked ? ReportLevel.Ok
                : dkim.Status == DkimReportStatus.Warning ? ReportLevel.Warning
                : dkim.Status == DkimReportStatus.LookupFailed ? ReportLevel.Failed : ReportLevel.Error;
            var key = dkim.KeyType is null ? "" : $" {dkim.KeyType} {dkim.KeyBits}";
            return new ReportItem(dkim.Domain, "DKIM", dkim.Status.ToString(), level)
            {
                Label = dkim.Selector,
                Facts = new[] { Fact("DKIM", $"{dkim.Selector}: {dkim.Status}{key}") },
                Findings = dkim.Findings,
            };
        }

        /// <summary>Test-DkimSelector's discovery: the keys found (each judged) and what the discovery concluded.</summary>
        public static ReportItem FromDkimDiscovery(DkimDiscoveryResult discovery)
        {
            if (discovery is null) throw new ArgumentNullException(nameof(discovery));
            var findings = discovery.Findings.Concat(discovery.Reports.SelectMany(r => r.Findings)).ToList();
            var level = ReportLevel.Ok;
            if (discovery.Reports.Any(r => r.Status == DkimReportStatus.LookupFailed)) level = ReportLevel.Failed;
            level = (ReportLevel)Math.Max((int)level, (int)LevelOf(null, findings));
            if (discovery.Reports.Count == 0 && level < ReportLevel.Warning) level = ReportLevel.Warning;
            var found = discovery.Reports.Select(r => r.Selector + (r.Revoked ? " (revoked)" : r.KeyBits is int bits ? " " + bits : "")).ToList();
            string fact;
            if (found.Count == 0) fact = "no keys found";
            else if (found.Count > 4 && discovery.Reports.All(r => r.Revoked)) fact = $"{found.Count} selectors, all revoked (empty p=)";
            else if (found.Count > 4) fact = string.Join(", ", found.Take(4)) + $" and {found.Count - 4} more";
            else fact = string.Join(", ", found);
            return new ReportItem(discovery.Domain, "DKIM", discovery.Reports.Count == 0 ? "NoKeys" : level.ToString(), level)
            {
                Facts = new[] { Fact("DKIM", fact) },
                Findings = findings,
            };
        }

        public static ReportItem FromDmarc(DmarcRecordReport dmarc)
        {
            if (dmarc is null) throw new ArgumentNullException(nameof(dmarc));
            var level = dmarc.Status == DmarcReportStatus.Ok ? ReportLevel.Ok : dmarc.Status == DmarcReportStatus.Warning ? ReportLevel.Warning
                : dmarc.Status == DmarcReportStatus.LookupFailed ? ReportLevel.Failed : ReportLevel.Error;
            var policy = dmarc.AppliedPolicy is null ? dmarc.Status.ToString() : "p=" + dmarc.AppliedPolicy.ToString()!.ToLowerInvariant();
            return new ReportItem(dmarc.Domain, "DMARC", dmarc.Status.ToString(), level)
            {
                Facts = new[] { Fact("DMARC", policy) },
                Findings = dmarc.Findings,
            };
        }

        /// <summary>The rows of Compare-MailAuthRecord for one domain (rows of other domains are ignored).</summary>
        public static ReportItem FromComparisons(IEnumerable<MailAuthRecordComparison> rows)
        {
            if (rows is null) throw new ArgumentNullException(nameof(rows));
            var list = rows.Where(r => r != null).ToList();
            if (list.Count == 0) throw new ArgumentException("At least one comparison row is needed.", nameof(rows));
            var domain = list[0].Domain;
            list = list.Where(r => r.Domain == domain).ToList();
            var bad = list.Count(r => r.State == RecordComparisonState.Missing || r.State == RecordComparisonState.Changed);
            var failed = list.Count(r => r.State == RecordComparisonState.LookupFailed);
            var level = bad > 0 ? ReportLevel.Error : failed > 0 ? ReportLevel.Warning : ReportLevel.Ok;
            return new ReportItem(domain, "Migration", bad > 0 ? "Differs" : failed > 0 ? "Incomplete" : "Same", level)
            {
                Facts = new[] { Fact("Migration", MigrationFact(list)) },
                Comparisons = list,
                RecordsToPublish = list.Where(r => r.RecordToPublish != null).Select(r => r.RecordToPublish!).ToList(),
            };
        }

        public static ReportItem FromBounce(MailBounceAnalysis bounce)
        {
            if (bounce is null) throw new ArgumentNullException(nameof(bounce));
            var level = bounce.StatusClass == "Permanent" ? ReportLevel.Error : bounce.StatusClass == "Transient" ? ReportLevel.Warning : ReportLevel.Unknown;
            var code = $"{bounce.ReplyCode} {bounce.EnhancedStatusCode}".Trim();
            var findings = new List<Finding>
            {
                new Finding("Bounce." + (bounce.RuleId ?? "Unknown"), level == ReportLevel.Error ? FindingSeverity.Error : FindingSeverity.Warning, "Bounce",
                    (code.Length > 0 ? code + ": " : "") + bounce.Meaning + (bounce.LikelyCause.Length > 0 ? " Likely cause: " + bounce.LikelyCause : ""),
                    bounce.Remediation, term: bounce.ServerResponse),
            };
            if (bounce.Audit != null) findings.AddRange(bounce.Audit.Findings);
            return new ReportItem(bounce.SenderDomain ?? "(unknown sender)", "Bounce", code.Length > 0 ? code : bounce.StatusClass, level)
            {
                Label = bounce.Source,
                Facts = new[] { Fact("Bounce", (code + " " + (bounce.Provider ?? "")).Trim()) },
                Findings = findings,
                SpfTree = bounce.Audit?.SpfRecord?.Tree,
                Bounce = bounce,
            };
        }

        private static string MigrationFact(IReadOnlyCollection<MailAuthRecordComparison> rows)
        {
            if (rows.Count > 0 && rows.All(r => r.State == RecordComparisonState.LookupFailed && r.ReferenceStatus == Dns.DnsLookupStatus.NotAvailableOffline))
                return "not in the reference";
            var parts = new[] { RecordComparisonState.Missing, RecordComparisonState.Changed, RecordComparisonState.Extra, RecordComparisonState.LookupFailed, RecordComparisonState.Same }
                .Select(s => (s, n: rows.Count(r => r.State == s))).Where(x => x.n > 0).Select(x => $"{x.n} {(x.s == RecordComparisonState.LookupFailed ? "lookup failed" : x.s.ToString().ToLowerInvariant())}");
            return string.Join(", ", parts);
        }

        private static KeyValuePair<string, string> Fact(string key, string value) => new KeyValuePair<string, string>(key, value);

        /// <summary>The level a status word and findings imply: "Error"/"Fail" and Error findings are errors, and so on.</summary>
        public static ReportLevel LevelOf(string? status, IEnumerable<Finding>? findings = null)
        {
            var s = (status ?? string.Empty).Trim().ToLowerInvariant();
            var fromFindings = ReportLevel.Unknown;
            var list = findings?.ToList() ?? new List<Finding>();
            if (list.Any(f => f.Severity == FindingSeverity.Error)) fromFindings = ReportLevel.Error;
            else if (list.Any(f => f.Severity == FindingSeverity.Warning)) fromFindings = ReportLevel.Warning;
            else if (list.Count > 0) fromFindings = ReportLevel.Ok;
            ReportLevel fromStatus;
            if (s.Length == 0) fromStatus = ReportLevel.Unknown;
            else if (s.Contains("lookupfailed") || s.Contains("timeout") || s == "failed") fromStatus = ReportLevel.Failed;
            else if (s.Contains("error") || s.Contains("fail") || s.Contains("norecord") || s.Contains("missing")) fromStatus = ReportLevel.Error;
            else if (s.Contains("warn")) fromStatus = ReportLevel.Warning;
            else if (s == "ok" || s.Contains("pass") || s == "same" || s == "good" || s == "success") fromStatus = ReportLevel.Ok;
            else fromStatus = ReportLevel.Unknown;
            return (ReportLevel)Math.Max((int)fromStatus, (int)fromFindings);
        }

        public override string ToString() => $"{Domain} {Kind} {Status}";
    }
}
