using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailAuth.Zone
{
    /// <summary>Presentation-format pieces of RFC 1035 §5.1 and RFC 3597 §5, decoded without throwing.</summary>
    internal static class ZoneSyntax
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

        /// <summary>
        /// A TTL: decimal seconds, or BIND's unit form ("1h30m", "2d", "1w"; units w d h m s, any case).
        /// Fails on anything else or on values above 2^32-1.
        /// </summary>
        public static bool TryParseTtl(string token, out ulong seconds)
        {
            seconds = 0;
            if (string.IsNullOrEmpty(token) || token.Length > 40) return false;
            ulong total = 0, current = 0;
            bool digits = false, anyUnit = false;
            foreach (var c in token)
            {
                if (c >= '0' && c <= '9')
                {
                    current = current * 10 + (ulong)(c - '0');
                    if (current > uint.MaxValue) return false;
                    digits = true;
                    continue;
                }
                if (!digits) return false;
                ulong factor;
                switch (char.ToLowerInvariant(c))
                {
                    case 'w': factor = 604800; break;
                    case 'd': factor = 86400; break;
                    case 'h': factor = 3600; break;
                    case 'm': factor = 60; break;
                    case 's': factor = 1; break;
                    default: return false;
                }
                total += current * factor;
                if (total > uint.MaxValue) return false;
                current = 0;
                digits = false;
                anyUnit = true;
            }
            if (digits)
            {
                if (anyUnit) return false; // "1h30": BIND refuses a trailing number without unit
                total = current;
            }
            seconds = total;
            return total <= uint.MaxValue;
        }

        /// <summary>A decimal number in [0, max].</summary>
        public static bool TryParseNumber(string token, ulong max, out ulong value)
        {
            value = 0;
            if (string.IsNullOrEmpty(token) || token.Length > 20) return false;
            foreach (var c in token) if (c < '0' || c > '9') return false;
            return ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
        }

        /// <summary>
        /// Decodes a character-string token (RFC 1035 §5.1): "\DDD" is one octet, "\X" is X, other characters are
        /// taken as UTF-8. Returns the octets; <paramref name="error"/> is set for a bad "\DDD" (value over 255).
        /// </summary>
        public static byte[] DecodeCharacterString(string raw, out string? error)
        {
            error = null;
            var bytes = new List<byte>(raw.Length);
            var one = new char[2];
            for (int i = 0; i < raw.Length; i++)
            {
                char c = raw[i];
                if (c == '\\' && i + 1 < raw.Length)
                {
                    if (i + 3 < raw.Length && IsDigit(raw[i + 1]) && IsDigit(raw[i + 2]) && IsDigit(raw[i + 3]))
                    {
                        int v = (raw[i + 1] - '0') * 100 + (raw[i + 2] - '0') * 10 + (raw[i + 3] - '0');
                        if (v > 255) { error ??= $"The escape \\{raw.Substring(i + 1, 3)} is above 255."; v &= 0xff; }
                        bytes.Add((byte)v);
                        i += 3;
                        continue;
                    }
                    if (IsDigit(raw[i + 1])) error ??= "A '\\' followed by a digit must be followed by exactly three digits (\\DDD).";
                    i++;
                    c = raw[i];
                }
                if (char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
                {
                    one[0] = c;
                    one[1] = raw[i + 1];
                    bytes.AddRange(Utf8.GetBytes(one, 0, 2));
                    i++;
                }
                else if (c < 0x80) bytes.Add((byte)c);
                else
                {
                    one[0] = c;
                    bytes.AddRange(Utf8.GetBytes(one, 0, 1));
                }
            }
            return bytes.ToArray();
        }

        /// <summary>Octets to text: UTF-8 where valid, invalid sequences become U+FFFD.</summary>
        public static string OctetsToString(byte[] octets, int offset, int count) => Utf8.GetString(octets, offset, count);

        /// <summary>Strict dotted-quad IPv4 (four decimal parts 0–255), as RFC 1035 §3.4.1 presentation form.</summary>
        public static bool TryParseIPv4(string token, out IPAddress? address)
        {
            address = null;
            var parts = token.Split('.');
            if (parts.Length != 4) return false;
            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                if (parts[i].Length == 0 || parts[i].Length > 3 || !TryParseNumber(parts[i], 255, out var v)) return false;
                bytes[i] = (byte)v;
            }
            address = new IPAddress(bytes);
            return true;
        }

        /// <summary>IPv6 text form (RFC 4291 §2.2, RFC 3596 §2.4), without zone index or prefix.</summary>
        public static bool TryParseIPv6(string token, out IPAddress? address)
        {
            address = null;
            if (token.IndexOf(':') < 0 || token.IndexOf('%') >= 0 || token.IndexOf('/') >= 0 || token.IndexOf('[') >= 0) return false;
            foreach (var c in token)
            {
                bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
                if (!ok) return false;
            }
            if (!IPAddress.TryParse(token, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = parsed;
            return true;
        }

        /// <summary>Hexadecimal octets (RFC 3597 §5), upper or lower case, no separators.</summary>
        public static bool TryParseHex(string hex, out byte[] octets)
        {
            octets = Array.Empty<byte>();
            if (hex.Length % 2 != 0) return false;
            var result = new byte[hex.Length / 2];
            for (int i = 0; i < result.Length; i++)
            {
                int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
                if (hi < 0 || lo < 0) return false;
                result[i] = (byte)(hi * 16 + lo);
            }
            octets = result;
            return true;
        }

        public static string ToHex(byte[] octets)
        {
            var sb = new StringBuilder(octets.Length * 2);
            foreach (var b in octets) sb.Append(b.ToString("X2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        /// <summary>
        /// Reads an uncompressed wire-format name (RFC 1035 §3.1) at <paramref name="offset"/>; compression pointers
        /// are not allowed in RFC 3597 data. Returns the name in presentation form without the trailing dot.
        /// </summary>
        public static bool TryReadWireName(byte[] data, ref int offset, out string name)
        {
            name = string.Empty;
            var sb = new StringBuilder();
            int total = 0;
            while (true)
            {
                if (offset >= data.Length) return false;
                int len = data[offset++];
                total += len + 1;
                if (len == 0) break;
                if (len > 63 || offset + len > data.Length || total > 255) return false;
                if (sb.Length > 0) sb.Append('.');
                for (int i = 0; i < len; i++)
                {
                    byte b = data[offset + i];
                    if (b == (byte)'.' || b == (byte)'\\' || b <= 0x20 || b >= 0x7f) sb.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
                    else sb.Append((char)b);
                }
                offset += len;
            }
            name = sb.ToString();
            return true;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
