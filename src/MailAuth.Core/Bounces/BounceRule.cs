using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace MailAuth.Bounces
{
    /// <summary>What a bounce is about, as far as the sender can act on it.</summary>
    public enum BounceCategory
    {
        /// <summary>No rule matched.</summary>
        Unknown,
        /// <summary>Neither SPF nor DKIM passed, or the receiver's authentication requirements were not met.</summary>
        Authentication,
        /// <summary>SPF failed or erred for the sending IP.</summary>
        Spf,
        /// <summary>No valid DKIM signature.</summary>
        Dkim,
        /// <summary>DMARC failed (no aligned pass) under a reject or quarantine policy.</summary>
        Dmarc,
        /// <summary>The From domain is not aligned with the SPF or DKIM domain.</summary>
        Alignment,
        /// <summary>The sending IP has no PTR record, or it does not resolve back.</summary>
        ReverseDns,
        /// <summary>The sending IP or domain has a poor reputation, or the message looks like spam.</summary>
        Reputation,
        /// <summary>The sending IP is on a block list.</summary>
        Blocklist,
        /// <summary>A policy of the receiving (or sending) organisation refused the message.</summary>
        Policy,
        /// <summary>The receiver defers or limits the volume it accepts.</summary>
        RateLimit,
        /// <summary>The recipient address does not exist or is not accepted.</summary>
        Recipient,
        /// <summary>The mailbox is full, disabled or cannot take the message.</summary>
        Mailbox,
        /// <summary>The receiver requires TLS.</summary>
        Tls,
        /// <summary>The message headers break RFC 5322 (From, Message-ID, Date ...).</summary>
        Headers,
        /// <summary>Another cause named by the status code.</summary>
        Other,
    }

    /// <summary>DNS checks that bear on a bounce (what -Audit runs).</summary>
    [Flags]
    public enum BounceChecks
    {
        None = 0,
        Spf = 1,
        Dkim = 2,
        Dmarc = 4,
        Ptr = 8,
        Authentication = Spf | Dkim | Dmarc,
        All = Spf | Dkim | Dmarc | Ptr,
    }

    /// <summary>
    /// One row of the bounce classifier's table: a provider (or null for the RFC 3463/7372 meaning of a code), the
    /// enhanced status codes it covers (exact, or a prefix ending in '*'), optional reply codes and an optional text
    /// pattern that tells variants of one code apart.
    /// </summary>
    public sealed class BounceRule
    {
        internal BounceRule(string id, string? provider, string[] codes, BounceCategory category, BounceChecks checks,
            string meaning, string likelyCause, string remediation, string? pattern = null, int[]? replyCodes = null, bool textIdentifiesProvider = false)
        {
            Id = id;
            Provider = provider;
            Codes = codes;
            Category = category;
            Checks = checks;
            Meaning = meaning;
            LikelyCause = likelyCause;
            Remediation = remediation;
            Pattern = pattern is null ? null : new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            ReplyCodes = replyCodes ?? Array.Empty<int>();
            TextIdentifiesProvider = textIdentifiesProvider;
        }

        /// <summary>Stable id, e.g. "Gmail.5.7.26.Dmarc".</summary>
        public string Id { get; }
        /// <summary>"Gmail", "Microsoft", "Yahoo", or null for a generic (RFC) rule.</summary>
        public string? Provider { get; }
        /// <summary>Enhanced status codes (RFC 3463) this rule covers; "4.7.*" covers a whole subject; empty: any code.</summary>
        public IReadOnlyList<string> Codes { get; }
        public BounceCategory Category { get; }
        public BounceChecks Checks { get; }
        public string Meaning { get; }
        public string LikelyCause { get; }
        public string Remediation { get; }
        /// <summary>Text the server response must contain for this rule (variants of one code), or null.</summary>
        public Regex? Pattern { get; }
        /// <summary>Reply codes this rule is limited to (empty: any).</summary>
        public IReadOnlyList<int> ReplyCodes { get; }
        /// <summary>True when the pattern is specific enough to name the provider when nothing else does.</summary>
        public bool TextIdentifiesProvider { get; }

        internal bool MatchesCode(string? code)
        {
            if (Codes.Count == 0) return true;
            if (code is null) return false;
            foreach (var c in Codes)
            {
                if (c.EndsWith("*", StringComparison.Ordinal))
                {
                    if (code.StartsWith(c.Substring(0, c.Length - 1), StringComparison.Ordinal)) return true;
                }
                else if (c == code) return true;
            }
            return false;
        }

        internal bool MatchesText(string text)
        {
            if (Pattern is null) return true;
            try { return Pattern.IsMatch(text); }
            catch (RegexMatchTimeoutException) { return false; }
        }

        public override string ToString() => Id;
    }
}
