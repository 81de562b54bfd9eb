using System.Collections.Generic;
using System.Text;

namespace MailAuth.Dns
{
    /// <summary>Presentation-format helpers for character-strings (RFC 1035 §5.1).</summary>
    public static class ZoneText
    {
        /// <summary>Quotes one character-string, escaping '"' and '\' and non-printable octets as \DDD.</summary>
        public static string QuoteCharacterString(string value)
        {
            var sb = new StringBuilder(value.Length + 2);
            sb.Append('"');
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                if (b == (byte)'"' || b == (byte)'\\') sb.Append('\\').Append((char)b);
                else if (b < 0x20 || b >= 0x7f) sb.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                else sb.Append((char)b);
            }
            sb.Append('"');
            return sb.ToString();
        }

        /// <summary>Formats a TXT RDATA: each character-string quoted, separated by one space.</summary>
        public static string FormatCharacterStrings(IEnumerable<string> strings)
        {
            var sb = new StringBuilder();
            foreach (var s in strings)
            {
                if (sb.Length > 0) sb.Append(' ');
                sb.Append(QuoteCharacterString(s));
            }
            return sb.Length == 0 ? "\"\"" : sb.ToString();
        }
    }
}
