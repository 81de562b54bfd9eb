using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Spf
{
    /// <summary>The outcome of expanding one macro-string.</summary>
    public sealed class SpfMacroExpansion
    {
        internal SpfMacroExpansion(string? value, string? error, int pMacroCount)
        {
            Value = value;
            Error = error;
            PMacroCount = pMacroCount;
        }

        /// <summary>True when the string was valid and expanded.</summary>
        public bool Success => Error is null;

        /// <summary>The expanded text, or null on a syntax error.</summary>
        public string? Value { get; }

        /// <summary>The syntax error, or null.</summary>
        public string? Error { get; }

        /// <summary>How many %{p} macros were expanded (each costs a DNS lookup toward the limit of RFC 7208 §4.6.4).</summary>
        public int PMacroCount { get; }
    }

    /// <summary>
    /// Expands SPF macros (RFC 7208 §7): letters s l o d i p h c r t v, the digit and 'r' transformers, delimiters,
    /// URL-escaping for upper-case letters, and %% %_ %-.
    /// %{p} is resolved through the resolver (PTR, then A/AAAA validation); without a resolver it expands to "unknown".
    /// </summary>
    public sealed class SpfMacroExpander
    {
        private readonly SpfPtrValidator? _ptr;

        /// <summary>Creates an expander; <paramref name="resolver"/> serves %{p} (null: %{p} is "unknown").</summary>
        public SpfMacroExpander(IDnsResolver? resolver, SpfEvaluationOptions? options = null)
        {
            if (resolver != null) _ptr = new SpfPtrValidator(resolver, options?.MaxPtrNames ?? 10);
        }

        internal SpfMacroExpander(SpfPtrValidator ptr)
        {
            _ptr = ptr;
        }

        /// <summary>Expands <paramref name="text"/>, checked by the rules of <paramref name="context"/>. Never throws for bad input.</summary>
        public async Task<SpfMacroExpansion> ExpandAsync(string text, SpfMacroContext context, SpfMacroValues values, CancellationToken cancellationToken = default)
        {
            if (values is null) throw new ArgumentNullException(nameof(values));
            if (!SpfMacroString.Tokenize(text ?? string.Empty, context, out var tokens, out var error))
                return new SpfMacroExpansion(null, error, 0);
            var sb = new StringBuilder();
            int pCount = 0;
            foreach (var t in tokens)
            {
                if (t.Kind != MacroTokenKind.Macro) { sb.Append(t.Value); continue; }
                string raw;
                if (t.Letter == 'p')
                {
                    pCount++;
                    raw = _ptr is null ? "unknown" : (await _ptr.ValidateAsync(values.Ip, cancellationToken).ConfigureAwait(false)).Choose(values.Domain);
                }
                else raw = LetterValue(t.Letter, values);
                var transformed = Transform(raw, t.Digits, t.Reverse, t.Delimiters);
                sb.Append(t.UrlEscape ? UrlEscape(transformed) : transformed);
            }
            return new SpfMacroExpansion(sb.ToString(), null, pCount);
        }

        /// <summary>
        /// Expands a domain-spec into a name to query: removes one trailing dot and, when longer than 253 characters,
        /// drops labels from the left until it fits (RFC 7208 §7.3).
        /// </summary>
        public async Task<SpfMacroExpansion> ExpandDomainAsync(string domainSpec, SpfMacroValues values, CancellationToken cancellationToken = default)
        {
            var e = await ExpandAsync(domainSpec, SpfMacroContext.DomainSpec, values, cancellationToken).ConfigureAwait(false);
            if (!e.Success) return e;
            return new SpfMacroExpansion(ToQueryName(e.Value!), null, e.PMacroCount);
        }

        /// <summary>Trailing dot removed, truncated from the left to 253 characters by whole labels (RFC 7208 §7.3).</summary>
        public static string ToQueryName(string name)
        {
            var n = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
            while (n.Length > 253)
            {
                int dot = n.IndexOf('.');
                if (dot < 0) break;
                n = n.Substring(dot + 1);
            }
            return n;
        }

        internal static string LetterValue(char letter, SpfMacroValues v)
        {
            switch (letter)
            {
                case 's': return v.Sender;
                case 'l': return v.LocalPart;
                case 'o': return v.SenderDomain;
                case 'd': return v.Domain;
                case 'i': return v.DottedIp;
                case 'v': return v.IpVersionLabel;
                case 'h': return string.IsNullOrEmpty(v.HeloDomain) ? "unknown" : v.HeloDomain!;
                case 'c': return v.ReadableIp;
                case 'r': return string.IsNullOrEmpty(v.ReceiverName) ? "unknown" : v.ReceiverName!;
                case 't': return v.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                default: return string.Empty;
            }
        }

        /// <summary>Splits on the delimiters (default "."), optionally reverses, keeps the right-most parts, joins with "." (RFC 7208 §7.3).</summary>
        internal static string Transform(string value, int digits, bool reverse, string delimiters)
        {
            if (digits == 0 && !reverse && (delimiters.Length == 0 || delimiters == ".")) return value;
            var delims = delimiters.Length == 0 ? "." : delimiters;
            var parts = new List<string>();
            var cur = new StringBuilder();
            foreach (var c in value)
            {
                if (delims.IndexOf(c) >= 0) { parts.Add(cur.ToString()); cur.Clear(); }
                else cur.Append(c);
            }
            parts.Add(cur.ToString());
            if (reverse) parts.Reverse();
            if (digits > 0 && digits < parts.Count) parts = parts.GetRange(parts.Count - digits, digits);
            return string.Join(".", parts);
        }

        /// <summary>URL-escapes everything outside the unreserved set ALPHA DIGIT "-" "." "_" "~" (RFC 7208 §7.3, RFC 3986).</summary>
        internal static string UrlEscape(string value)
        {
            var sb = new StringBuilder(value.Length);
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                char c = (char)b;
                bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
                if (unreserved) sb.Append(c);
                else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }
    }
}
