using System;
using System.Collections.Generic;
using MailAuth.Dns;
using MailAuth.Publishing;

namespace MailAuth.Migration
{
    /// <summary>The mail-authentication records <see cref="MailAuthRecordComparer"/> compares.</summary>
    public enum MailAuthRecordKind
    {
        /// <summary>The v=spf1 TXT record at the domain (RFC 7208 §3).</summary>
        Spf,
        /// <summary>A DKIM key record, TXT or CNAME, at &lt;selector&gt;._domainkey (RFC 6376 §3.6.2.1).</summary>
        Dkim,
        /// <summary>The v=DMARC1 TXT record at _dmarc (RFC 7489 §6.1).</summary>
        Dmarc,
        /// <summary>One MX record of the domain (RFC 1035 §3.3.9, RFC 7505 null MX).</summary>
        Mx,
        /// <summary>The v=STSv1 TXT record at _mta-sts (RFC 8461 §3.1).</summary>
        MtaSts,
        /// <summary>The v=TLSRPTv1 TXT record at _smtp._tls (RFC 8460 §3).</summary>
        TlsRpt,
        /// <summary>The v=BIMI1 TXT record at default._bimi.</summary>
        Bimi,
    }

    /// <summary>How a record on the difference side relates to the same record on the reference side.</summary>
    public enum RecordComparisonState
    {
        /// <summary>Both sides publish the same value.</summary>
        Same,
        /// <summary>Both sides publish the record, with different values (or types: TXT against CNAME).</summary>
        Changed,
        /// <summary>The reference publishes it, the difference side does not.</summary>
        Missing,
        /// <summary>The difference side publishes it, the reference does not.</summary>
        Extra,
        /// <summary>A lookup on either side failed (timeout, SERVFAIL, not available offline), so nothing can be said.</summary>
        LookupFailed,
    }

    /// <summary>
    /// One row of Compare-MailAuthRecord: one record of one domain on the reference side (for example the old DNS
    /// host's zone export) against the difference side (the new provider), with the record to publish when it is
    /// missing or changed.
    /// </summary>
    public sealed class MailAuthRecordComparison
    {
        private static readonly IReadOnlyList<string> NoValues = Array.Empty<string>();

        internal MailAuthRecordComparison(string domain, MailAuthRecordKind kind, string name, string recordType, string? selector)
        {
            Domain = domain;
            Kind = kind;
            Name = name;
            RecordType = recordType;
            Selector = selector;
        }

        /// <summary>The domain compared.</summary>
        public string Domain { get; }
        public MailAuthRecordKind Kind { get; }
        /// <summary>The owner name compared (fully qualified, lower case, no trailing dot).</summary>
        public string Name { get; }
        /// <summary>"TXT", "CNAME" or "MX": the reference's type, or the difference's for <see cref="RecordComparisonState.Extra"/>.</summary>
        public string RecordType { get; internal set; }
        /// <summary>The DKIM selector, or null for other kinds.</summary>
        public string? Selector { get; }
        public RecordComparisonState State { get; internal set; }
        /// <summary>The reference value(s) joined with " | " (TXT strings joined with nothing; "CNAME target"; "preference exchange"), or null.</summary>
        public string? ReferenceValue => Join(ReferenceValues);
        /// <summary>The difference value(s), as <see cref="ReferenceValue"/>.</summary>
        public string? DifferenceValue => Join(DifferenceValues);
        /// <summary>Every reference value of this kind at the name (more than one is itself a fault for SPF and DMARC).</summary>
        public IReadOnlyList<string> ReferenceValues { get; internal set; } = NoValues;
        public IReadOnlyList<string> DifferenceValues { get; internal set; } = NoValues;
        /// <summary>The record type on the difference side when it differs from the reference's (TXT against CNAME), else null.</summary>
        public string? DifferenceRecordType { get; internal set; }
        public DnsLookupStatus ReferenceStatus { get; internal set; }
        public DnsLookupStatus DifferenceStatus { get; internal set; }
        /// <summary>Where the reference answer came from (zone file, server).</summary>
        public string? ReferenceSource { get; internal set; }
        public string? DifferenceSource { get; internal set; }
        /// <summary>
        /// For <see cref="RecordComparisonState.Missing"/> and <see cref="RecordComparisonState.Changed"/>: the reference
        /// record, ready for Add-DnsServerResourceRecord (TXT and CNAME) or Add-DnsServerResourceRecordMX. Null otherwise.
        /// </summary>
        public PublishableRecord? RecordToPublish { get; internal set; }
        /// <summary>What the difference means for mail, in one or two sentences.</summary>
        public string Message { get; internal set; } = string.Empty;

        private static string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(" | ", values);

        public override string ToString() => $"{Name} {Kind} {State}";
    }
}
