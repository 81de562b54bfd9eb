using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Spf
{
    /// <summary>Overall verdict of <see cref="SpfAnalyzer"/> on one domain.</summary>
    public enum SpfReportStatus
    {
        /// <summary>A record was found and nothing worth a warning.</summary>
        Ok,
        /// <summary>A usable record with Warning findings.</summary>
        Warning,
        /// <summary>Error findings: receivers will return permerror, or the record authorises too much.</summary>
        Error,
        /// <summary>No SPF record at the domain.</summary>
        NoRecord,
        /// <summary>The domain's TXT lookup failed (timeout, SERVFAIL, not available offline).</summary>
        LookupFailed,
    }

    /// <summary>One record in the include/redirect tree.</summary>
    public sealed class SpfTreeNode
    {
        internal SpfTreeNode(string domain, string via, string? term, int depth)
        {
            Domain = domain;
            Via = via;
            Term = term;
            Depth = depth;
        }

        public string Domain { get; }
        /// <summary>"root", "include" or "redirect".</summary>
        public string Via { get; }
        /// <summary>The term of the parent that led here (e.g. "include:_spf.google.com").</summary>
        public string? Term { get; }
        public int Depth { get; }
        public DnsLookupStatus LookupStatus { get; internal set; }
        /// <summary>The SPF record text, or null when none was found.</summary>
        public string? Record { get; internal set; }
        public SpfRecord? Parsed { get; internal set; }
        /// <summary>Lookup-counting terms in this record alone (include, a, mx, ptr, exists, redirect).</summary>
        public int DnsLookupCount { get; internal set; }
        /// <summary>This record and everything below it.</summary>
        public int TotalDnsLookupCount => DnsLookupCount + Children.Sum(c => c.TotalDnsLookupCount);
        public IReadOnlyList<SpfTreeNode> Children { get; internal set; } = Array.Empty<SpfTreeNode>();
        /// <summary>Why this node was not expanded further (loop, no record, macro), or null.</summary>
        public string? Problem { get; internal set; }

        public override string ToString() => $"{new string(' ', Depth * 2)}{Via} {Domain}: {Record ?? Problem}";
    }

    /// <summary>What Get-SpfRecord returns for one domain.</summary>
    public sealed class SpfRecordReport
    {
        internal SpfRecordReport(string domain) { Domain = domain; }

        public string Domain { get; }
        public SpfReportStatus Status { get; internal set; }
        /// <summary>The SPF record (TXT character-strings joined), or null.</summary>
        public string? Record { get; internal set; }
        /// <summary>Every v=spf1 TXT record found at the domain (more than one is an error).</summary>
        public IReadOnlyList<string> AllRecords { get; internal set; } = Array.Empty<string>();
        /// <summary>The record's terms as typed objects.</summary>
        public IReadOnlyList<SpfTerm> Terms => Parsed?.Terms ?? (IReadOnlyList<SpfTerm>)Array.Empty<SpfTerm>();
        public SpfRecord? Parsed { get; internal set; }
        /// <summary>The include/redirect tree, rooted at the domain.</summary>
        public SpfTreeNode? Tree { get; internal set; }
        /// <summary>The direct includes and redirect, each with its own record and children.</summary>
        public IReadOnlyList<SpfTreeNode> Includes => Tree?.Children ?? (IReadOnlyList<SpfTreeNode>)Array.Empty<SpfTreeNode>();
        /// <summary>DNS lookups a receiver spends evaluating the whole record (RFC 7208 §4.6.4; limit 10).</summary>
        public int DnsLookupCount { get; internal set; }
        /// <summary>Lookups in the tree that returned NXDOMAIN or no data (limit 2).</summary>
        public int VoidLookupCount { get; internal set; }
        /// <summary>The largest number of MX names one mx mechanism yields (limit 10, RFC 7208 §4.6.4).</summary>
        public int MaxMxNames { get; internal set; }
        /// <summary>IPv4 networks the record authorises with a pass result, as far as they can be known.</summary>
        public IReadOnlyList<string> AuthorizedIPv4 { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> AuthorizedIPv6 { get; internal set; } = Array.Empty<string>();
        /// <summary>False when ptr, exists or macros make the authorised ranges unknowable in advance.</summary>
        public bool RangesComplete { get; internal set; }
        /// <summary>Length of the record in octets (RFC 7208 §3.4 advises at most 450).</summary>
        public int RecordLength => Record is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(Record);
        /// <summary>True when the domain still publishes the obsolete SPF (type 99) record.</summary>
        public bool HasObsoleteSpfTypeRecord { get; internal set; }
        public DnsLookupStatus LookupStatus { get; internal set; }
        /// <summary>Where the answer came from (server or zone file).</summary>
        public string? Source { get; internal set; }
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();
        public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);
        public int WarningCount => Findings.Count(f => f.Severity == FindingSeverity.Warning);

        public override string ToString() => $"{Domain}: {Status} {Record}";
    }
}
