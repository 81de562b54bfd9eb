using MailAuth.Publishing;

namespace MailAuth.Findings
{
    /// <summary>
    /// One observation about a domain's mail-authentication records. <see cref="Id"/> is stable across releases
    /// (scripts filter on it); the message is for people.
    /// </summary>
    public sealed class Finding
    {
        public Finding(string id, FindingSeverity severity, string area, string message, string? remediation = null,
            string? reference = null, string? term = null, PublishableRecord? suggestedRecord = null)
        {
            Id = id;
            Severity = severity;
            Area = area;
            Message = message;
            Remediation = remediation;
            Reference = reference;
            Term = term;
            SuggestedRecord = suggestedRecord;
        }

        /// <summary>Stable identifier, e.g. "SPF.TooManyLookups".</summary>
        public string Id { get; }
        public FindingSeverity Severity { get; }
        /// <summary>SPF, DKIM, DMARC, MX, ...</summary>
        public string Area { get; }
        public string Message { get; }
        public string? Remediation { get; }
        /// <summary>The RFC section behind the rule, e.g. "RFC 7208 §4.6.4".</summary>
        public string? Reference { get; }
        /// <summary>The offending term or text, when there is one.</summary>
        public string? Term { get; }
        /// <summary>A record that would fix the problem, ready for Add-DnsServerResourceRecord.</summary>
        public PublishableRecord? SuggestedRecord { get; }

        public override string ToString() => $"[{Severity}] {Id}: {Message}";
    }
}
