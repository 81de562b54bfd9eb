using MailAuth.Findings;

namespace MailAuth.Spf
{
    /// <summary>
    /// A problem the parser found in an SPF record. Errors make check_host() return permerror (RFC 7208 §4.6);
    /// ids are stable ("SPF.UnknownMechanism", "SPF.InvalidDomainSpec", ...).
    /// </summary>
    public sealed class SpfDiagnostic
    {
        public SpfDiagnostic(string id, FindingSeverity severity, string message, string? term, int termIndex, int position, string? reference)
        {
            Id = id;
            Severity = severity;
            Message = message;
            Term = term;
            TermIndex = termIndex;
            Position = position;
            Reference = reference;
        }

        /// <summary>Stable identifier, e.g. "SPF.SyntaxError".</summary>
        public string Id { get; }
        public FindingSeverity Severity { get; }
        public string Message { get; }
        /// <summary>The offending term as written, or null for a record-level problem.</summary>
        public string? Term { get; }
        /// <summary>Index of the term in <see cref="SpfRecord.Terms"/>, or -1 for a record-level problem.</summary>
        public int TermIndex { get; }
        /// <summary>Character offset in the record text where the problem starts.</summary>
        public int Position { get; }
        /// <summary>The RFC section behind the rule, e.g. "RFC 7208 §5.6".</summary>
        public string? Reference { get; }

        public bool IsError => Severity == FindingSeverity.Error;

        public override string ToString() => Term is null ? $"{Id}: {Message}" : $"{Id}: {Message} (term {TermIndex + 1}: '{Term}')";
    }
}
