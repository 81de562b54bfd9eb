using System.Globalization;
using MailAuth.Findings;

namespace MailAuth.Zone
{
    /// <summary>
    /// One problem (or note) found while reading a master file (RFC 1035 §5). The parser never throws on bad input;
    /// it reports each broken entry here and goes on with the next one.
    /// </summary>
    public sealed class ZoneFileDiagnostic
    {
        public ZoneFileDiagnostic(FindingSeverity severity, int line, string message, string? text = null, string? sourceName = null)
        {
            Severity = severity;
            Line = line;
            Message = message;
            Text = text;
            SourceName = sourceName;
        }

        /// <summary>Error: the entry was skipped or is not what a DNS server would serve. Warning: the entry was
        /// read but is suspicious or was ignored on purpose. Information: a note (origin inferred, TTL assumed).</summary>
        public FindingSeverity Severity { get; }

        /// <summary>1-based line number where the entry starts; 0 when the diagnostic concerns the whole file.</summary>
        public int Line { get; }

        public string Message { get; }

        /// <summary>The offending entry as written in the file (shortened when very long), or null.</summary>
        public string? Text { get; }

        /// <summary>The file (or display name) the entry came from; differs from the parsed file for $INCLUDEd files.</summary>
        public string? SourceName { get; }

        public override string ToString()
        {
            var where = (SourceName ?? "zone") + (Line > 0 ? ":" + Line.ToString(CultureInfo.InvariantCulture) : string.Empty);
            return $"{where}: {Severity}: {Message}" + (string.IsNullOrEmpty(Text) ? string.Empty : $" [{Text}]");
        }
    }
}
