using System;
using System.Collections.Generic;
using MailAuth.Findings;

namespace MailAuth.Audit
{
    /// <summary>One name=value field of a semicolon-separated DNS policy record (MTA-STS, TLS-RPT, BIMI).</summary>
    public sealed class RecordField
    {
        internal RecordField(string name, string value, int position)
        {
            Name = name;
            Value = value;
            Position = position;
        }

        /// <summary>The field name as written.</summary>
        public string Name { get; }
        /// <summary>The value without the whitespace around it.</summary>
        public string Value { get; }
        /// <summary>Character offset of the name in the record text.</summary>
        public int Position { get; }

        public override string ToString() => Name + "=" + Value;
    }

    /// <summary>A problem found in a record or policy: a stable id, a severity and a message.</summary>
    public sealed class RecordDiagnostic
    {
        internal RecordDiagnostic(string id, FindingSeverity severity, string message, string? reference, string? term = null)
        {
            Id = id;
            Severity = severity;
            Message = message;
            Reference = reference;
            Term = term;
        }

        public string Id { get; }
        public FindingSeverity Severity { get; }
        public string Message { get; }
        public string? Reference { get; }
        public string? Term { get; }
        public bool IsError => Severity == FindingSeverity.Error;

        public override string ToString() => $"{Id}: {Message}";
    }

    /// <summary>
    /// Splits "name=value; name=value" records into fields: the grammar MTA-STS (RFC 8461 §3.1), TLS-RPT
    /// (RFC 8460 §3) and BIMI records share (fields separated by ";" with optional whitespace, a trailing ";" allowed).
    /// Never throws; a piece without "=" becomes a diagnostic.
    /// </summary>
    internal static class RecordTags
    {
        public static IReadOnlyList<RecordField> Split(string text, string idPrefix, string reference, List<RecordDiagnostic> diagnostics)
        {
            var fields = new List<RecordField>();
            int pos = 0;
            foreach (var piece in text.Split(';'))
            {
                int start = pos;
                pos += piece.Length + 1;
                var trimmed = piece.Trim(' ', '\t');
                if (trimmed.Length == 0) continue;
                int lead = piece.Length - piece.TrimStart(' ', '\t').Length;
                int eq = trimmed.IndexOf('=');
                if (eq <= 0)
                {
                    diagnostics.Add(new RecordDiagnostic(idPrefix + ".FieldSyntax", FindingSeverity.Error,
                        $"'{trimmed}' is not a name=value field.", reference, trimmed));
                    continue;
                }
                var name = trimmed.Substring(0, eq).Trim(' ', '\t');
                var value = trimmed.Substring(eq + 1).Trim(' ', '\t');
                fields.Add(new RecordField(name, value, start + lead));
            }
            return fields;
        }

        public static RecordField? Find(IReadOnlyList<RecordField> fields, string name, bool caseSensitive = true)
        {
            foreach (var f in fields)
                if (string.Equals(f.Name, name, caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)) return f;
            return null;
        }

        public static void AddDuplicates(IReadOnlyList<RecordField> fields, string idPrefix, string reference, List<RecordDiagnostic> diagnostics)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in fields)
                if (!seen.Add(f.Name))
                    diagnostics.Add(new RecordDiagnostic(idPrefix + ".DuplicateField", FindingSeverity.Error,
                        $"The field {f.Name}= appears more than once.", reference, f.Name + "="));
        }
    }
}
