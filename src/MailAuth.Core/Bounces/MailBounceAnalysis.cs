using System;
using System.Collections.Generic;
using System.Net;

namespace MailAuth.Bounces
{
    /// <summary>
    /// What Resolve-MailBounce returns for one bounce (non-delivery report, DSN, or the text of one): the reply code
    /// (RFC 5321 §4.2) and enhanced status code (RFC 3463), the provider that refused the message, what the code means
    /// there and its likely cause, the sender domain and relay IP found in the text, and with -Audit the DNS checks.
    /// </summary>
    public sealed class MailBounceAnalysis
    {
        internal MailBounceAnalysis() { }

        /// <summary>Where the text came from (a file path, or "text").</summary>
        public string Source { get; internal set; } = "text";
        /// <summary>The SMTP reply code (550, 421, ...), or null when none was found.</summary>
        public int? ReplyCode { get; internal set; }
        /// <summary>The enhanced status code (RFC 3463), e.g. "5.7.26", or null.</summary>
        public string? EnhancedStatusCode { get; internal set; }
        /// <summary>"Permanent" (5), "Transient" (4), "Success" (2) or "Unknown", from the codes.</summary>
        public string StatusClass { get; internal set; } = "Unknown";
        /// <summary>True for a permanent failure (the sending server will not retry).</summary>
        public bool? IsPermanent => StatusClass == "Permanent" ? true : StatusClass == "Transient" ? false : (bool?)null;
        /// <summary>"Gmail", "Microsoft", "Yahoo", or null when the text does not say.</summary>
        public string? Provider { get; internal set; }
        /// <summary>The id of the classifier rule that matched (stable), or null.</summary>
        public string? RuleId { get; internal set; }
        public BounceCategory Category { get; internal set; }
        /// <summary>What the code means at that provider.</summary>
        public string Meaning { get; internal set; } = string.Empty;
        public string LikelyCause { get; internal set; } = string.Empty;
        public string Remediation { get; internal set; } = string.Empty;
        /// <summary>The DNS checks that bear on this bounce (what -Audit runs).</summary>
        public BounceChecks Checks { get; internal set; }
        /// <summary>The receiving server's response (multi-line replies joined), as far as it was found.</summary>
        public string? ServerResponse { get; internal set; }
        /// <summary>The original sender's address (From of the returned message, or the bounce's recipient), or null.</summary>
        public string? SenderAddress { get; internal set; }
        /// <summary>The domain whose records the receiver judged: named in the response, else the sender's.</summary>
        public string? SenderDomain { get; internal set; }
        /// <summary>How <see cref="SenderDomain"/> was found ("server response", "From header", ...).</summary>
        public string? SenderDomainSource { get; internal set; }
        /// <summary>The recipient that failed, or null.</summary>
        public string? RecipientAddress { get; internal set; }
        /// <summary>The sending (relay) IP named in the text, or null. Receiving servers' addresses are not taken.</summary>
        public IPAddress? RelayIp { get; internal set; }
        /// <summary>The receiving server (DSN Remote-MTA, or the host named in the text), or null.</summary>
        public string? RemoteMta { get; internal set; }
        /// <summary>The server that wrote the report (DSN Reporting-MTA), or null.</summary>
        public string? ReportingMta { get; internal set; }
        /// <summary>DKIM selectors seen in DKIM-Signature headers of the returned message for the sender domain.</summary>
        public IReadOnlyList<string> DkimSelectors { get; internal set; } = Array.Empty<string>();
        /// <summary>True when the text was read as a MIME message (an .eml), false for plain text.</summary>
        public bool ParsedAsMessage { get; internal set; }
        /// <summary>Notes on what could not be found or was ambiguous.</summary>
        public IReadOnlyList<string> Notes { get; internal set; } = Array.Empty<string>();
        /// <summary>The DNS checks run with -Audit, or null.</summary>
        public MailBounceAudit? Audit { get; internal set; }

        /// <summary>A copy with the audit attached.</summary>
        public MailBounceAnalysis WithAudit(MailBounceAudit audit)
        {
            var copy = (MailBounceAnalysis)MemberwiseClone();
            copy.Audit = audit;
            return copy;
        }

        /// <summary>A copy with the sender domain and relay IP replaced (when not null) by what the caller knows.</summary>
        public MailBounceAnalysis WithOverrides(string? senderDomain, IPAddress? relayIp)
        {
            var copy = (MailBounceAnalysis)MemberwiseClone();
            if (senderDomain != null) { copy.SenderDomain = Dns.DnsName.Normalize(senderDomain); copy.SenderDomainSource = "given"; }
            if (relayIp != null) copy.RelayIp = relayIp;
            return copy;
        }

        public override string ToString() =>
            $"{ReplyCode?.ToString() ?? "?"} {EnhancedStatusCode ?? "?"} {Provider ?? "?"}: {Meaning}";
    }
}
