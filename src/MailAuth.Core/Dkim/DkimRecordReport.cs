using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Dkim
{
    /// <summary>Overall verdict of <see cref="DkimAnalyzer"/> on one selector.</summary>
    public enum DkimReportStatus
    {
        /// <summary>A usable key and nothing worth a warning.</summary>
        Ok,
        /// <summary>A usable key with Warning findings (1024-bit key, testing mode, ...).</summary>
        Warning,
        /// <summary>Error findings: signatures with this selector cannot verify (bad syntax, undecodable or too small key, ...).</summary>
        Error,
        /// <summary>No key record at the selector (NXDOMAIN or no TXT data, possibly behind a CNAME).</summary>
        NoRecord,
        /// <summary>The key is revoked (empty p=), and nothing else is wrong.</summary>
        Revoked,
        /// <summary>The TXT lookup failed (timeout, SERVFAIL, not available offline).</summary>
        LookupFailed,
    }

    /// <summary>What Get-DkimRecord returns for one selector of one domain (RFC 6376 §3.6.1, §3.6.2.1).</summary>
    public sealed class DkimRecordReport
    {
        internal DkimRecordReport(string domain, string selector)
        {
            Domain = domain;
            Selector = selector;
            Name = DkimAnalyzer.KeyName(selector, domain);
        }

        public string Domain { get; }
        public string Selector { get; }
        /// <summary>The name queried: &lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
        public string Name { get; }
        public DkimReportStatus Status { get; internal set; }
        /// <summary>True when a TXT record (or a CNAME) was found at <see cref="Name"/>.</summary>
        public bool Found { get; internal set; }
        /// <summary>The key record text (character-strings joined), or null.</summary>
        public string? Record { get; internal set; }
        /// <summary>The character-strings of the record as published (a long key needs several).</summary>
        public IReadOnlyList<string> RecordStrings { get; internal set; } = Array.Empty<string>();
        /// <summary>Every TXT record found at the name (more than one is an error).</summary>
        public IReadOnlyList<string> AllRecords { get; internal set; } = Array.Empty<string>();
        /// <summary>The parsed record, or null.</summary>
        public DkimKeyRecord? Parsed { get; internal set; }
        /// <summary>Every tag of the record, known and unknown, in order.</summary>
        public IReadOnlyList<DkimTag> Tags => Parsed?.Tags ?? (IReadOnlyList<DkimTag>)Array.Empty<DkimTag>();
        public string? Version => Parsed?.Version;
        /// <summary>The key type (rsa when k= is absent), or null without a record.</summary>
        public DkimKeyType? KeyType => Parsed?.KeyType;
        /// <summary>RSA modulus bits, 256 for Ed25519; null when the key could not be decoded.</summary>
        public int? KeyBits => Parsed?.KeyBits;
        /// <summary>The p= value (base64, whitespace removed).</summary>
        public string? PublicKey => Parsed?.PublicKey;
        public bool Revoked => Parsed?.Revoked ?? false;
        public bool Testing => Parsed?.Testing ?? false;
        public bool StrictSubdomains => Parsed?.StrictSubdomains ?? false;
        public IReadOnlyList<string> HashAlgorithms => Parsed?.HashAlgorithms ?? (IReadOnlyList<string>)Array.Empty<string>();
        public IReadOnlyList<string> ServiceTypes => Parsed?.ServiceTypes ?? (IReadOnlyList<string>)Array.Empty<string>();
        public string? Notes => Parsed?.Notes;
        /// <summary>The CNAMEs followed from <see cref="Name"/>, in order.</summary>
        public IReadOnlyList<string> CnameChain { get; internal set; } = Array.Empty<string>();
        /// <summary>The last CNAME target, or null when the name has no CNAME.</summary>
        public string? CnameTarget => CnameChain.Count > 0 ? CnameChain[CnameChain.Count - 1] : null;
        /// <summary>The service the CNAME target implies ("Microsoft 365", "SendGrid", ...), or null.</summary>
        public string? Provider { get; internal set; }
        public DnsLookupStatus LookupStatus { get; internal set; }
        /// <summary>Where the answer came from (server or zone file).</summary>
        public string? Source { get; internal set; }
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();
        public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);
        public int WarningCount => Findings.Count(f => f.Severity == FindingSeverity.Warning);

        public override string ToString() => $"{Name}: {Status}" + (KeyType is null ? "" : $" {KeyType} {KeyBits}");
    }
}
