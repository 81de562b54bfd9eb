using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Publishing;

namespace MailAuth.Dmarc
{
    /// <summary>Overall verdict of <see cref="DmarcAnalyzer"/> on one name.</summary>
    public enum DmarcReportStatus
    {
        /// <summary>A policy applies and nothing worth a warning was found.</summary>
        Ok,
        /// <summary>A policy applies, with Warning findings (p=none, no rua, removed tags...).</summary>
        Warning,
        /// <summary>Error findings: receivers ignore the record or part of it, or reports will not arrive.</summary>
        Error,
        /// <summary>No DMARC record applies to the name.</summary>
        NoRecord,
        /// <summary>A lookup the discovery depends on failed (timeout, SERVFAIL, not available offline).</summary>
        LookupFailed,
    }

    /// <summary>One _dmarc query of the discovery (tree walk or PSL method).</summary>
    public sealed class DmarcLookup
    {
        internal DmarcLookup(string domain, DnsLookupStatus status, IReadOnlyList<string> dmarcRecords, IReadOnlyList<string> otherRecords)
        {
            Domain = domain;
            Status = status;
            DmarcRecords = dmarcRecords;
            OtherRecords = otherRecords;
        }

        /// <summary>The domain whose _dmarc name was queried.</summary>
        public string Domain { get; }
        /// <summary>The name queried: _dmarc.&lt;Domain&gt;.</summary>
        public string Name => "_dmarc." + Domain;
        public DnsLookupStatus Status { get; }
        /// <summary>TXT records there that start with v=DMARC1.</summary>
        public IReadOnlyList<string> DmarcRecords { get; }
        /// <summary>Other TXT records there (receivers discard them).</summary>
        public IReadOnlyList<string> OtherRecords { get; }
        /// <summary>Where the answer came from (server or zone file).</summary>
        public string? Source { get; internal set; }
        /// <summary>The one valid record, or null when there were none or several (several are all discarded).</summary>
        public DmarcRecord? Record { get; internal set; }

        public override string ToString() => $"{Name}: {Status} ({DmarcRecords.Count} DMARC)";
    }

    /// <summary>
    /// One rua= or ruf= destination and whether it may receive reports (RFC 7489 §7.1; RFC 9990 "Verifying External
    /// Destinations"): a destination whose organisational domain differs from the record's must publish
    /// <c>&lt;record-domain&gt;._report._dmarc.&lt;destination-host&gt;</c> with a v=DMARC1 TXT record.
    /// </summary>
    public sealed class DmarcReportDestination
    {
        internal DmarcReportDestination(string tag, DmarcReportUri uri)
        {
            Tag = tag;
            ParsedUri = uri;
        }

        /// <summary>"rua" (aggregate) or "ruf" (failure).</summary>
        public string Tag { get; }
        /// <summary>The URI as written.</summary>
        public string Uri => ParsedUri.Text.Trim();
        public DmarcReportUri ParsedUri { get; }
        /// <summary>The mailbox, for mailto URIs.</summary>
        public string? Address => ParsedUri.Address;
        /// <summary>The destination host.</summary>
        public string? Host => ParsedUri.Host;
        public bool IsValid => ParsedUri.IsValid;
        /// <summary>The destination host's organisational domain.</summary>
        public string? OrganizationalDomain { get; internal set; }
        /// <summary>True when the destination's organisational domain differs from the record's.</summary>
        public bool IsExternal { get; internal set; }
        /// <summary>The name queried for the authorisation (external destinations only).</summary>
        public string? AuthorizationName { get; internal set; }
        public DnsLookupStatus? AuthorizationLookupStatus { get; internal set; }
        /// <summary>The v=DMARC1 records found at <see cref="AuthorizationName"/>.</summary>
        public IReadOnlyList<string> AuthorizationRecords { get; internal set; } = Array.Empty<string>();
        /// <summary>
        /// True when reports may be sent there (internal, or authorised by the destination); false when the
        /// destination has not authorised it (receivers drop these reports); null when the lookup failed or the URI is invalid.
        /// </summary>
        public bool? Authorized { get; internal set; }
        /// <summary>A rua= in the authorisation record, which replaces the URI for receivers (same host only).</summary>
        public string? OverrideUri { get; internal set; }
        /// <summary>The record the destination must publish when <see cref="Authorized"/> is false.</summary>
        public PublishableRecord? SuggestedRecord { get; internal set; }

        public override string ToString() => $"{Tag} {Uri}: {(IsExternal ? "external, " : "")}{(Authorized is null ? "unknown" : Authorized.Value ? "authorized" : "NOT authorized")}";
    }

    /// <summary>What Get-DmarcRecord returns for one name.</summary>
    public sealed class DmarcRecordReport
    {
        internal DmarcRecordReport(string domain, DmarcDiscoveryMethod method)
        {
            Domain = domain;
            DiscoveryMethod = method;
        }

        /// <summary>The name asked about.</summary>
        public string Domain { get; }
        public DmarcReportStatus Status { get; internal set; }
        public DmarcDiscoveryMethod DiscoveryMethod { get; }
        /// <summary>Where the record that applies was found.</summary>
        public DmarcRecordLocation Location { get; internal set; }
        /// <summary>The domain whose _dmarc name holds the record that applies, or null.</summary>
        public string? RecordDomain { get; internal set; }
        /// <summary>The DNS name of that record (_dmarc.&lt;RecordDomain&gt;), or null.</summary>
        public string? RecordName => RecordDomain is null ? null : "_dmarc." + RecordDomain;
        /// <summary>The organisational domain of the name asked (tree walk, or the Public Suffix List).</summary>
        public string OrganizationalDomain { get; internal set; } = string.Empty;
        /// <summary>The Public Suffix Domain (a record with psd=y) the tree walk met, or null.</summary>
        public string? PublicSuffixDomain { get; internal set; }
        /// <summary>The record that applies, as published (TXT strings joined), or null.</summary>
        public string? Record { get; internal set; }
        public DmarcRecord? Parsed { get; internal set; }

        // Every tag as a typed property (from the record that applies).
        /// <summary>v=</summary>
        public string? Version => Parsed?.Version;
        /// <summary>p=</summary>
        public DmarcPolicy? Policy => Parsed?.Policy;
        /// <summary>sp=</summary>
        public DmarcPolicy? SubdomainPolicy => Parsed?.SubdomainPolicy;
        /// <summary>np=</summary>
        public DmarcPolicy? NonExistentSubdomainPolicy => Parsed?.NonExistentSubdomainPolicy;
        /// <summary>psd=</summary>
        public DmarcPsdFlag? Psd => Parsed?.Psd;
        /// <summary>t= (true for t=y)</summary>
        public bool? Testing => Parsed?.Testing;
        /// <summary>adkim=</summary>
        public DmarcAlignmentMode? DkimAlignment => Parsed?.DkimAlignment;
        /// <summary>aspf=</summary>
        public DmarcAlignmentMode? SpfAlignment => Parsed?.SpfAlignment;
        /// <summary>fo=</summary>
        public string? FailureReportOptions => Parsed?.FailureReportOptions;
        /// <summary>rua= URIs as written.</summary>
        public IReadOnlyList<string> AggregateReportUris => Parsed?.AggregateReportUris.Select(u => u.Text.Trim()).ToArray() ?? Array.Empty<string>();
        /// <summary>ruf= URIs as written.</summary>
        public IReadOnlyList<string> FailureReportUris => Parsed?.FailureReportUris.Select(u => u.Text.Trim()).ToArray() ?? Array.Empty<string>();
        /// <summary>pct= (removed by RFC 9989)</summary>
        public int? Percentage => Parsed?.Percentage;
        /// <summary>rf= (removed by RFC 9989)</summary>
        public string? ReportFormat => Parsed?.ReportFormat;
        /// <summary>ri= (removed by RFC 9989)</summary>
        public long? ReportInterval => Parsed?.ReportInterval;

        /// <summary>Whether the name asked exists in DNS (checked only when the record comes from a parent); null when not checked or unknown.</summary>
        public bool? DomainExists { get; internal set; }
        /// <summary>The policy receivers apply to mail from the name asked, or null when no DMARC processing applies.</summary>
        public DmarcPolicy? AppliedPolicy { get; internal set; }
        /// <summary>The tag that gave <see cref="AppliedPolicy"/>: "p", "sp" or "np" (or "p" for a record without a usable policy).</summary>
        public string? AppliedPolicyTag { get; internal set; }
        /// <summary>Every rua/ruf destination with its authorisation.</summary>
        public IReadOnlyList<DmarcReportDestination> ReportDestinations { get; internal set; } = Array.Empty<DmarcReportDestination>();
        /// <summary>The _dmarc queries of the discovery, in order.</summary>
        public IReadOnlyList<DmarcLookup> Lookups { get; internal set; } = Array.Empty<DmarcLookup>();
        /// <summary>DMARC-looking TXT records at the name itself instead of _dmarc (never read by receivers).</summary>
        public IReadOnlyList<string> ApexRecords { get; internal set; } = Array.Empty<string>();
        /// <summary>The status of the lookup of _dmarc.&lt;Domain&gt;.</summary>
        public DnsLookupStatus LookupStatus { get; internal set; }
        /// <summary>Where the answers came from (server or zone file).</summary>
        public string? Source { get; internal set; }
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();
        public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);
        public int WarningCount => Findings.Count(f => f.Severity == FindingSeverity.Warning);

        public override string ToString() => $"{Domain}: {Status} {AppliedPolicy?.ToString() ?? "-"} ({Location}) {Record}";
    }
}
