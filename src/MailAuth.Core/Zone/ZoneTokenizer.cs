using System.Collections.Generic;

namespace MailAuth.Zone
{
    /// <summary>One token of a master file entry. Quoted tokens keep their escapes; the quotes are removed.</summary>
    internal sealed class ZoneToken
    {
        public ZoneToken(string text, bool quoted, int line)
        {
            Text = text;
            Quoted = quoted;
            Line = line;
        }

        public string Text { get; }
        public bool Quoted { get; }
        public int Line { get; }

        public override string ToString() => Quoted ? "\"" + Text + "\"" : Text;
    }

    /// <summary>One logical entry (a line, or several lines joined by parentheses).</summary>
    internal sealed class ZoneEntry
    {
        public ZoneEntry(int line, bool blankOwner)
        {
            Line = line;
            BlankOwner = blankOwner;
        }

        public List<ZoneToken> Tokens { get; } = new List<ZoneToken>();
        /// <summary>The entry starts with white space: its owner is the previous owner (RFC 1035 §5.1).</summary>
        public bool BlankOwner { get; }
        public int Line { get; }
        public string Text { get; set; } = string.Empty;
        /// <summary>Errors the tokenizer found (line, message, text or null for the entry text); the entry must be skipped.</summary>
        public List<KeyValuePair<int, string>> Errors { get; } = new List<KeyValuePair<int, string>>();
        /// <summary>Overrides <see cref="Text"/> in the error diagnostics.</summary>
        public string? ErrorText { get; set; }
        public bool Broken => Errors.Count > 0;
    }

    /// <summary>
    /// Splits master-file text into entries (RFC 1035 §5.1): white space separates tokens, ';' starts a comment
    /// outside quotes, '(' and ')' let an entry span lines, '"' quotes a character-string, '\' escapes the next
    /// character. Never throws; reports unbalanced quotes and parentheses and recovers at the next line.
    /// </summary>
    internal static class ZoneTokenizer
    {
        private const int MaxRecoveries = 32;
        private const int MaxEntryText = 160;

        public static List<ZoneEntry> Tokenize(string text)
        {
            var entries = new List<ZoneEntry>();
            int n = text.Length, pos = 0, line = 1, recoveries = 0;
            if (n > 0 && text[0] == '\uFEFF') pos = 1;
            while (pos < n)
            {
                var entry = new ZoneEntry(line, text[pos] == ' ' || text[pos] == '\t');
                int start = pos, depth = 0, parenLine = 0, parenPos = 0;
                bool done = false;
                while (pos < n && !done)
                {
                    char c = text[pos];
                    if (c == '\n')
                    {
                        pos++;
                        line++;
                        if (depth == 0) done = true;
                    }
                    else if (IsSpace(c))
                    {
                        pos++;
                    }
                    else if (c == ';')
                    {
                        while (pos < n && text[pos] != '\n') pos++;
                    }
                    else if (c == '(')
                    {
                        if (depth == 0) { parenLine = line; parenPos = pos; }
                        depth++;
                        pos++;
                    }
                    else if (c == ')')
                    {
                        if (depth == 0)
                        {
                            if (!entry.Broken) Report(entry, line, "')' without a matching '('.");
                        }
                        else depth--;
                        pos++;
                    }
                    else if (c == '"')
                    {
                        int tokenLine = line;
                        pos++;
                        int from = pos;
                        bool closed = false;
                        while (pos < n)
                        {
                            char q = text[pos];
                            if (q == '\\' && pos + 1 < n && text[pos + 1] != '\n') { pos += 2; continue; }
                            if (q == '"') { closed = true; break; }
                            if (q == '\n') break;
                            pos++;
                        }
                        var content = text.Substring(from, pos - from);
                        if (closed)
                        {
                            pos++;
                            entry.Tokens.Add(new ZoneToken(content, true, tokenLine));
                        }
                        else
                        {
                            if (!entry.Broken) Report(entry, tokenLine, "A quoted string is not closed before the end of the line.");
                        }
                    }
                    else
                    {
                        int from = pos;
                        while (pos < n)
                        {
                            char u = text[pos];
                            if (u == '\\' && pos + 1 < n && text[pos + 1] != '\n') { pos += 2; continue; }
                            if (u == '\n' || IsSpace(u) || u == ';' || u == '(' || u == ')' || u == '"') break;
                            pos++;
                        }
                        entry.Tokens.Add(new ZoneToken(text.Substring(from, pos - from), false, line));
                    }
                }

                if (depth > 0)
                {
                    // Unclosed '(' at the end of the text: report it, give up on this entry, and go on from the line after
                    // the one that opened the parenthesis so that later records are not lost.
                    entry.Errors.Clear();
                    Report(entry, parenLine, $"The '(' on line {parenLine} is never closed.");
                    entry.ErrorText = Shorten(text, start, System.Math.Min(n, parenPos + 1) - start);
                    int nl = text.IndexOf('\n', parenPos);
                    if (nl >= 0 && recoveries < MaxRecoveries)
                    {
                        recoveries++;
                        pos = nl + 1;
                        line = parenLine + 1;
                    }
                }
                entry.Text = Shorten(text, start, pos - start);
                if (entry.Tokens.Count > 0 || entry.Broken) entries.Add(entry);
            }
            return entries;
        }

        private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';

        private static void Report(ZoneEntry entry, int line, string message) =>
            entry.Errors.Add(new KeyValuePair<int, string>(line, message));

        internal static string Shorten(string text) => Shorten(text, 0, text.Length);

        /// <summary>A printable, trimmed, at most <see cref="MaxEntryText"/>-character excerpt of text[start, start+length).</summary>
        internal static string Shorten(string text, int start, int length)
        {
            int end = start + length;
            while (start < end && char.IsWhiteSpace(text[start])) start++;
            while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
            bool cut = end - start > MaxEntryText;
            if (cut) end = start + MaxEntryText - 3;
            var chars = text.ToCharArray(start, end - start);
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] == '\n' || chars[i] == '\r' || chars[i] == '\t') chars[i] = ' ';
                else if (char.IsControl(chars[i])) chars[i] = '?';
            }
            return cut ? new string(chars) + "..." : new string(chars);
        }
    }
}
