using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Findings;

namespace MailAuth.Dkim
{
    /// <summary>
    /// A parsed DKIM tag list (RFC 6376 §3.2), the syntax shared by key records and DKIM-Signature header fields:
    /// <c>tag-spec *( ";" tag-spec ) [ ";" ]</c>, each <c>tag-spec</c> being <c>[FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]</c>.
    /// <see cref="Parse"/> never throws: every well-formed tag is kept (unknown names included, in order), and every
    /// problem becomes a <see cref="DkimDiagnostic"/> with its character position.
    /// </summary>
    public sealed class DkimTagList
    {
        /// <summary>Diagnostic ids the tag-list parser emits.</summary>
        public static class DiagnosticIds
        {
            /// <summary>A tag-spec without "=" (Error).</summary>
            public const string TagSyntax = "DKIM.TagSyntax";
            /// <summary>A tag name that is empty or not ALPHA *(ALPHA / DIGIT / "_") (Error).</summary>
            public const string InvalidTagName = "DKIM.InvalidTagName";
            /// <summary>A value with characters outside VALCHAR and whitespace (Error).</summary>
            public const string InvalidTagValue = "DKIM.InvalidTagValue";
            /// <summary>The same tag twice: the whole list is invalid (Error, RFC 6376 §3.2).</summary>
            public const string DuplicateTag = "DKIM.DuplicateTag";
            /// <summary>Two semicolons with nothing between them (Warning: not in the grammar, tolerated by most verifiers).</summary>
            public const string EmptyTag = "DKIM.EmptyTag";
        }

        private const string Reference = "RFC 6376 §3.2";

        private DkimTagList(string text, IReadOnlyList<DkimTag> tags, IReadOnlyList<DkimDiagnostic> diagnostics)
        {
            Text = text;
            Tags = tags;
            Diagnostics = diagnostics;
        }

        /// <summary>The text that was parsed.</summary>
        public string Text { get; }
        /// <summary>Every tag with a valid shape, in the order written (a duplicate is kept after the first).</summary>
        public IReadOnlyList<DkimTag> Tags { get; }
        /// <summary>The problems found, in text order.</summary>
        public IReadOnlyList<DkimDiagnostic> Diagnostics { get; }
        /// <summary>True when a diagnostic of severity Error was found (RFC 6376 §3.2: the list is then invalid).</summary>
        public bool HasErrors => Diagnostics.Any(d => d.IsError);

        /// <summary>The first tag called <paramref name="name"/> (case-sensitive), or null.</summary>
        public DkimTag? Find(string name)
        {
            foreach (var t in Tags)
                if (string.Equals(t.Name, name, StringComparison.Ordinal)) return t;
            return null;
        }

        /// <summary>The value of the first tag called <paramref name="name"/>, or null when absent.</summary>
        public string? this[string name] => Find(name)?.Value;

        /// <summary>True and the value when the tag is present.</summary>
        public bool TryGetValue(string name, out string value)
        {
            var tag = Find(name);
            value = tag?.Value ?? string.Empty;
            return tag != null;
        }

        /// <summary>Whitespace as the tag-list grammar allows it around and inside values (WSP and the CR LF of FWS).</summary>
        internal static bool IsWhiteSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';

        internal static bool IsAlpha(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

        private static bool IsValChar(char c) => c >= 0x21 && c <= 0x7E && c != ';';

        /// <summary>Parses a tag list. Never throws; null is parsed as the empty text.</summary>
        public static DkimTagList Parse(string? text)
        {
            var raw = text ?? string.Empty;
            var tags = new List<DkimTag>();
            var diagnostics = new List<DkimDiagnostic>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int pos = 0;
            while (pos <= raw.Length)
            {
                int end = raw.IndexOf(';', pos);
                if (end < 0) end = raw.Length;
                ParseSpec(raw, pos, end, tags, diagnostics, seen);
                pos = end + 1;
            }
            return new DkimTagList(raw, tags.AsReadOnly(), diagnostics.AsReadOnly());
        }

        private static void ParseSpec(string raw, int start, int end, List<DkimTag> tags, List<DkimDiagnostic> diagnostics, HashSet<string> seen)
        {
            int p = start;
            while (p < end && IsWhiteSpace(raw[p])) p++;
            if (p == end)
            {
                // Nothing but whitespace: fine at the very end (optional trailing ';') or for an empty text.
                if (end < raw.Length)
                    diagnostics.Add(new DkimDiagnostic(DiagnosticIds.EmptyTag, FindingSeverity.Warning,
                        "Two semicolons with no tag between them; the grammar has no empty tag.", null, start, Reference));
                return;
            }

            int nameStart = p;
            int eq = raw.IndexOf('=', p, end - p);
            if (eq < 0)
            {
                var spec = raw.Substring(nameStart, end - nameStart).TrimEnd(' ', '\t', '\r', '\n');
                diagnostics.Add(new DkimDiagnostic(DiagnosticIds.TagSyntax, FindingSeverity.Error,
                    $"'{Shorten(spec)}' has no '=': every element of a tag list is name=value.", null, nameStart, Reference));
                return;
            }

            int nameEnd = eq;
            while (nameEnd > nameStart && IsWhiteSpace(raw[nameEnd - 1])) nameEnd--;
            var name = raw.Substring(nameStart, nameEnd - nameStart);
            bool nameOk = name.Length > 0 && IsAlpha(name[0]);
            for (int i = 1; nameOk && i < name.Length; i++)
            {
                char c = name[i];
                nameOk = IsAlpha(c) || (c >= '0' && c <= '9') || c == '_';
            }

            int vs = eq + 1;
            while (vs < end && IsWhiteSpace(raw[vs])) vs++;
            int ve = end;
            while (ve > vs && IsWhiteSpace(raw[ve - 1])) ve--;
            var value = raw.Substring(vs, ve - vs);

            if (!nameOk)
            {
                diagnostics.Add(new DkimDiagnostic(DiagnosticIds.InvalidTagName, FindingSeverity.Error,
                    name.Length == 0
                        ? "A tag has no name before '='."
                        : $"'{Shorten(name)}' is not a valid tag name (a letter followed by letters, digits or '_').",
                    name.Length == 0 ? null : name, nameStart, Reference));
                return;
            }

            for (int i = vs; i < ve; i++)
            {
                char c = raw[i];
                if (IsValChar(c) || IsWhiteSpace(c)) continue;
                var what = c >= 0x80 ? "the non-ASCII character" : "the control character";
                diagnostics.Add(new DkimDiagnostic(DiagnosticIds.InvalidTagValue, FindingSeverity.Error,
                    $"The value of {name}= contains {what} U+{(int)c:X4}; tag values are printable ASCII.", name, i, Reference));
                break;
            }

            if (!seen.Add(name))
            {
                diagnostics.Add(new DkimDiagnostic(DiagnosticIds.DuplicateTag, FindingSeverity.Error,
                    $"The tag {name}= appears more than once; a tag list with a duplicate tag is invalid.", name, nameStart, Reference));
            }
            tags.Add(new DkimTag(name, value, nameStart, vs));
        }

        internal static string Shorten(string s) => s.Length <= 40 ? s : s.Substring(0, 37) + "...";

        public override string ToString() => string.Join("; ", Tags.Select(t => t.ToString()));
    }
}
