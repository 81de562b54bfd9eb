using System.Collections.Generic;
using System.Globalization;

namespace MailAuth.Spf
{
    /// <summary>Where a macro-string appears; decides which macro letters and characters are allowed (RFC 7208 §7.1).</summary>
    public enum SpfMacroContext
    {
        /// <summary>A domain-spec of a mechanism, redirect= or exp=: letters s l o d i p h v.</summary>
        DomainSpec,
        /// <summary>The value of an unknown modifier: letters s l o d i p h v (c r t belong to explanations only, as pyspf also rules).</summary>
        UnknownModifier,
        /// <summary>The explanation text fetched by exp= (explain-string): also c r t, and spaces.</summary>
        Explanation,
    }

    internal enum MacroTokenKind
    {
        /// <summary>Literal characters.</summary>
        Literal,
        /// <summary>"%%", "%_" or "%-" (a macro-expand in the grammar, expanding to fixed text).</summary>
        Escape,
        /// <summary>"%{" letter transformers delimiters "}".</summary>
        Macro,
    }

    internal sealed class MacroToken
    {
        public MacroTokenKind Kind;
        /// <summary>The source text of the token.</summary>
        public string Source = string.Empty;
        /// <summary>For Literal and Escape: the expanded text.</summary>
        public string Value = string.Empty;
        /// <summary>For Macro: the letter, lower case.</summary>
        public char Letter;
        /// <summary>For Macro: the letter was upper case (URL-escape the result).</summary>
        public bool UrlEscape;
        /// <summary>For Macro: number of right-hand parts to keep, 0 = all.</summary>
        public int Digits;
        public bool Reverse;
        /// <summary>For Macro: delimiter characters; empty means ".".</summary>
        public string Delimiters = string.Empty;
    }

    /// <summary>Syntax of macro-string and domain-spec (RFC 7208 §7.1, §12).</summary>
    public static class SpfMacroString
    {
        private const string Delimiters = ".-+,/_=";

        /// <summary>Checks a macro-string; returns null when valid, else a message.</summary>
        public static string? Validate(string text, SpfMacroContext context) =>
            Tokenize(text, context, out _, out var error) ? null : error;

        /// <summary>
        /// Checks a domain-spec (RFC 7208 §7.1: macro-string domain-end, where domain-end is "." toplabel ["."] or a
        /// macro-expand). Returns null when valid, else a message.
        /// </summary>
        public static string? ValidateDomainSpec(string text)
        {
            if (string.IsNullOrEmpty(text)) return "The domain-spec is empty.";
            if (!Tokenize(text, SpfMacroContext.DomainSpec, out var tokens, out var error)) return error;
            var last = tokens[tokens.Count - 1];
            if (last.Kind != MacroTokenKind.Literal) return null;
            var lit = last.Value;
            if (lit.EndsWith(".")) lit = lit.Substring(0, lit.Length - 1);
            int dot = lit.LastIndexOf('.');
            if (dot < 0)
                return $"'{text}' does not end in a dot and a top-level label (or a macro), so it is not a domain name.";
            var top = lit.Substring(dot + 1);
            if (!IsTopLabel(top))
                return top.Length == 0
                    ? $"'{text}' ends with an empty label."
                    : $"'{top}' is not a valid top-level label in '{text}' (letters, digits and inner hyphens only, not all digits).";
            return null;
        }

        /// <summary>toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).</summary>
        internal static bool IsTopLabel(string s)
        {
            if (s.Length == 0) return false;
            bool letter = false, hyphen = false;
            foreach (var c in s)
            {
                if (IsAlpha(c)) letter = true;
                else if (c == '-') hyphen = true;
                else if (!(c >= '0' && c <= '9')) return false;
            }
            if (s[0] == '-' || s[s.Length - 1] == '-') return false;
            return letter || hyphen;
        }

        internal static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        internal static bool Tokenize(string text, SpfMacroContext context, out List<MacroToken> tokens, out string? error)
        {
            tokens = new List<MacroToken>();
            error = null;
            var lit = new System.Text.StringBuilder();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c != '%')
                {
                    bool ok = (c >= 0x21 && c <= 0x7E) || (c == ' ' && context == SpfMacroContext.Explanation);
                    if (!ok)
                    {
                        error = c < 0x80
                            ? $"The character U+{(int)c:X4} at position {i + 1} is not allowed here."
                            : $"The non-ASCII character U+{(int)c:X4} at position {i + 1} is not allowed (SPF is 7-bit ASCII).";
                        return false;
                    }
                    lit.Append(c);
                    i++;
                    continue;
                }
                FlushLiteral(tokens, lit);
                if (i + 1 >= text.Length) { error = "A '%' at the end must be written as '%%'."; return false; }
                char n = text[i + 1];
                if (n == '%' || n == '_' || n == '-')
                {
                    tokens.Add(new MacroToken
                    {
                        Kind = MacroTokenKind.Escape,
                        Source = text.Substring(i, 2),
                        Value = n == '%' ? "%" : n == '_' ? " " : "%20",
                    });
                    i += 2;
                    continue;
                }
                if (n != '{')
                {
                    error = $"'%{n}' at position {i + 1} is not a macro: '%' must be followed by '{{', '%', '_' or '-' (write '%%' for a percent sign).";
                    return false;
                }
                int close = text.IndexOf('}', i + 2);
                if (close < 0) { error = $"The macro starting at position {i + 1} has no closing '}}'."; return false; }
                var body = text.Substring(i + 2, close - i - 2);
                var token = new MacroToken { Kind = MacroTokenKind.Macro, Source = text.Substring(i, close - i + 1) };
                if (!ParseMacroBody(body, context, token, out error)) return false;
                tokens.Add(token);
                i = close + 1;
            }
            FlushLiteral(tokens, lit);
            return true;
        }

        private static void FlushLiteral(List<MacroToken> tokens, System.Text.StringBuilder lit)
        {
            if (lit.Length == 0) return;
            var s = lit.ToString();
            tokens.Add(new MacroToken { Kind = MacroTokenKind.Literal, Source = s, Value = s });
            lit.Clear();
        }

        private static bool ParseMacroBody(string body, SpfMacroContext context, MacroToken token, out string? error)
        {
            error = null;
            if (body.Length == 0) { error = "'%{}' has no macro letter."; return false; }
            char letter = body[0];
            char lower = char.ToLowerInvariant(letter);
            if ("slodiphcrtv".IndexOf(lower) < 0 || !IsAlpha(letter))
            {
                error = $"'%{{{body}}}': '{letter}' is not a macro letter (s l o d i p h v, and c r t in explanations).";
                return false;
            }
            if ((lower == 'c' || lower == 'r' || lower == 't') && context != SpfMacroContext.Explanation)
            {
                error = $"'%{{{body}}}': the macro letter '{letter}' is allowed only in explanation text (RFC 7208 §7.1).";
                return false;
            }
            token.Letter = lower;
            token.UrlEscape = letter >= 'A' && letter <= 'Z';
            int j = 1;
            int digitsStart = j;
            while (j < body.Length && body[j] >= '0' && body[j] <= '9') j++;
            if (j > digitsStart)
            {
                var digits = body.Substring(digitsStart, j - digitsStart);
                var trimmed = digits.TrimStart('0');
                if (trimmed.Length == 0) { error = $"'%{{{body}}}': the number of parts must not be zero."; return false; }
                token.Digits = trimmed.Length > 4 ? 9999 : int.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            if (j < body.Length && (body[j] == 'r' || body[j] == 'R')) { token.Reverse = true; j++; }
            int delimStart = j;
            while (j < body.Length && Delimiters.IndexOf(body[j]) >= 0) j++;
            token.Delimiters = body.Substring(delimStart, j - delimStart);
            if (j != body.Length)
            {
                error = $"'%{{{body}}}': unexpected '{body[j]}' (a macro is a letter, an optional number, an optional 'r' and delimiters from \".-+,/_=\").";
                return false;
            }
            return true;
        }
    }
}
