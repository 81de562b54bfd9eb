using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using MailAuth.Dkim;
using MailAuth.Findings;

namespace MailAuth.Audit
{
    /// <summary>Overall verdict of an audit row.</summary>
    public enum AuditStatus
    {
        /// <summary>No Error or Warning finding.</summary>
        Ok,
        /// <summary>Warning findings, no Error.</summary>
        Warning,
        /// <summary>At least one Error finding.</summary>
        Error,
        /// <summary>The domain could not be audited (invalid name, does not exist, DNS failed, timed out); see Reason.</summary>
        Failed,
    }

    /// <summary>The mailbox providers whose sender requirements can be checked.</summary>
    [Flags]
    public enum SenderRequirementProvider
    {
        None = 0,
        Google = 1,
        Yahoo = 2,
        Microsoft = 4,
        All = Google | Yahoo | Microsoft,
    }

    /// <summary>The verdict on one sender-requirement rule.</summary>
    public enum RequirementVerdict
    {
        Pass,
        Fail,
        /// <summary>Met in part, or only recommended by the provider and not met.</summary>
        Warning,
        /// <summary>DNS cannot prove it (message headers, complaint rates, alignment without a message).</summary>
        NotVerifiable,
    }

    /// <summary>One rule of one provider's sender requirements, with the verdict and the evidence for it.</summary>
    public sealed class SenderRequirementResult
    {
        internal SenderRequirementResult(string provider, string id, string rule, string appliesTo, RequirementVerdict verdict, string evidence)
        {
            Provider = provider;
            Id = id;
            Rule = rule;
            AppliesTo = appliesTo;
            Verdict = verdict;
            Evidence = evidence;
        }

        /// <summary>"Google", "Yahoo" or "Microsoft".</summary>
        public string Provider { get; }
        /// <summary>Stable id, e.g. "Google.DmarcRecord".</summary>
        public string Id { get; }
        public string Rule { get; }
        /// <summary>"All senders", "Bulk senders" or "Recommended".</summary>
        public string AppliesTo { get; }
        public RequirementVerdict Verdict { get; }
        /// <summary>What the verdict rests on (or why DNS cannot tell).</summary>
        public string Evidence { get; }

        public override string ToString() => $"{Provider} {Rule}: {Verdict}";
    }

    /// <summary>A read-only list whose text form (what Export-Csv writes) is a short summary instead of a type name.</summary>
    public class SummaryList<T> : ReadOnlyCollection<T>
    {
        private readonly Func<IReadOnlyList<T>, string> _summary;

        internal SummaryList(IList<T> items, Func<IReadOnlyList<T>, string> summary) : base(items) { _summary = summary; }

        public override string ToString() => _summary(this);
    }

    /// <summary>The findings of an audit; as text (Export-Csv), the finding ids joined with "; ".</summary>
    public sealed class FindingList : SummaryList<Finding>
    {
        internal FindingList(IList<Finding> items)
            : base(items, l => string.Join("; ", l.Select(f => f.Id).Distinct())) { }

        public static FindingList Empty { get; } = new FindingList(Array.Empty<Finding>());
    }

    /// <summary>DKIM as the audit sees it: the selectors given and discovered, their reports, the weakest key.</summary>
    public sealed class DkimAuditReport
    {
        internal DkimAuditReport(string domain) { Domain = domain; }

        public string Domain { get; }
        /// <summary>Ok, Warning, Error (a given selector has no key, or a key is broken), NoKeys, Revoked or Wildcard (a wildcard answers every selector), LookupFailed, NotChecked.</summary>
        public string Status { get; internal set; } = "NotChecked";
        /// <summary>The selectors given (CSV column or -Selector).</summary>
        public IReadOnlyList<string> SelectorsGiven { get; internal set; } = Array.Empty<string>();
        /// <summary>One report per given selector and per discovered key, given selectors first.</summary>
        public IReadOnlyList<DkimRecordReport> Reports { get; internal set; } = Array.Empty<DkimRecordReport>();
        /// <summary>The discovery run, or null when it was skipped.</summary>
        public DkimDiscoveryResult? Discovery { get; internal set; }
        /// <summary>Selectors with a key record (or a CNAME to one).</summary>
        public IReadOnlyList<string> SelectorsFound => Reports.Where(r => r.Found && r.Status != DkimReportStatus.NoRecord).Select(r => r.Selector).ToArray();
        /// <summary>Given selectors without a key.</summary>
        public IReadOnlyList<string> SelectorsMissing { get; internal set; } = Array.Empty<string>();
        /// <summary>The smallest RSA key among the usable keys found (Ed25519 keys are not counted), or null.</summary>
        public int? WeakestRsaKeyBits => Reports.Where(r => r.KeyType == DkimKeyType.Rsa && !r.Revoked && r.KeyBits.HasValue)
            .Select(r => r.KeyBits).DefaultIfEmpty(null).Min();
        /// <summary>True when a wildcard (*._domainkey) answers for every selector, so discovery cannot tell real selectors apart.</summary>
        public bool IsWildcard { get; internal set; }
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();

        public override string ToString() => $"{Domain}: DKIM {Status} ({string.Join(", ", SelectorsFound)})";
    }
}
