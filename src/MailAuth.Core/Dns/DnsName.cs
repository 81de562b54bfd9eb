using System;
using System.Globalization;

namespace MailAuth.Dns
{
    /// <summary>Helpers for domain names in presentation form.</summary>
    public static class DnsName
    {
        private static readonly IdnMapping Idn = new IdnMapping();

        /// <summary>Lower case, trimmed, without the trailing dot. Does not validate.</summary>
        public static string Normalize(string? name)
        {
            if (string.IsNullOrEmpty(name)) return string.Empty;
            var n = name!.Trim();
            if (n.EndsWith(".", StringComparison.Ordinal) && !n.EndsWith("\\.", StringComparison.Ordinal)) n = n.Substring(0, n.Length - 1);
            return n.ToLowerInvariant();
        }

        /// <summary>Names compare case-insensitively (RFC 4343).</summary>
        public static bool AreEqual(string? a, string? b) =>
            string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);

        /// <summary>True when <paramref name="name"/> equals <paramref name="ancestor"/> or lies under it.</summary>
        public static bool IsSubdomainOf(string name, string ancestor)
        {
            var n = Normalize(name);
            var a = Normalize(ancestor);
            if (a.Length == 0) return true;
            return n == a || n.EndsWith("." + a, StringComparison.Ordinal);
        }

        /// <summary>
        /// Validates a host-style domain name as an admin would type it: 1–253 octets, labels of 1–63 letters,
        /// digits, hyphens or underscores, not starting or ending with a hyphen. Internationalised names are
        /// converted to their A-label form. Returns false with a reason when it is not a usable name.
        /// </summary>
        public static bool TryNormalizeDomain(string? input, out string normalized, out string? reason)
        {
            normalized = string.Empty;
            reason = null;
            if (input is null || input.Trim().Length == 0) { reason = "The domain name is empty."; return false; }
            var n = input.Trim();
            if (n.EndsWith(".", StringComparison.Ordinal)) n = n.Substring(0, n.Length - 1);
            if (n.Length == 0) { reason = "The domain name is only a dot."; return false; }
            for (int i = 0; i < n.Length; i++)
            {
                if (n[i] > 127)
                {
                    try { n = Idn.GetAscii(n); }
                    catch (ArgumentException) { reason = $"'{input}' is not a valid internationalised domain name."; return false; }
                    break;
                }
            }
            if (n.Length > 253) { reason = $"'{input}' is longer than 253 characters."; return false; }
            var labels = n.Split('.');
            foreach (var label in labels)
            {
                if (label.Length == 0) { reason = $"'{input}' has an empty label (two dots in a row, or a leading dot)."; return false; }
                if (label.Length > 63) { reason = $"'{input}' has a label longer than 63 characters."; return false; }
                foreach (var c in label)
                {
                    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                    if (!ok) { reason = $"'{input}' contains the character '{c}', which is not allowed in a domain name."; return false; }
                }
                if (label[0] == '-' || label[label.Length - 1] == '-') { reason = $"'{input}' has a label that starts or ends with a hyphen."; return false; }
            }
            normalized = n.ToLowerInvariant();
            return true;
        }

        /// <summary>The owner name relative to a zone: "@" for the apex, "mail._domainkey" under it.</summary>
        public static string RelativeTo(string name, string zone)
        {
            var n = Normalize(name);
            var z = Normalize(zone);
            if (z.Length == 0) return n;
            if (n == z) return "@";
            if (n.EndsWith("." + z, StringComparison.Ordinal)) return n.Substring(0, n.Length - z.Length - 1);
            throw new ArgumentException($"'{name}' is not inside the zone '{zone}'.", nameof(name));
        }
    }
}
