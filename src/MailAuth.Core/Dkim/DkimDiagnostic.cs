using MailAuth.Findings;

namespace MailAuth.Dkim
{
    /// <summary>
    /// A problem found while parsing a DKIM tag list (RFC 6376 §3.2), a key record (§3.6.1) or a DKIM-Signature
    /// header field (§3.5). Ids are stable ("DKIM.DuplicateTag", "DKIM.InvalidBase64", ...).
    /// </summary>
    public sealed class DkimDiagnostic
    {
        public DkimDiagnostic(string id, FindingSeverity severity, string message, string? tag, int position, string? reference)
        {
            Id = id;
            Severity = severity;
            Message = message;
            Tag = tag;
            Position = position;
            Reference = reference;
        }

        /// <summary>Stable identifier, e.g. "DKIM.DuplicateTag".</summary>
        public string Id { get; }
        public FindingSeverity Severity { get; }
        public string Message { get; }
        /// <summary>The name of the tag concerned, or null for a problem of the whole text.</summary>
        public string? Tag { get; }
        /// <summary>Character offset in the parsed text where the problem starts.</summary>
        public int Position { get; }
        /// <summary>The RFC section behind the rule, e.g. "RFC 6376 §3.2".</summary>
        public string? Reference { get; }

        public bool IsError => Severity == FindingSeverity.Error;

        public override string ToString() => Tag is null ? $"{Id} at {Position}: {Message}" : $"{Id} at {Position} ({Tag}=): {Message}";
    }
}
