using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailAuth.Dns;

namespace MailAuth.Spf
{
    /// <summary>The final <c>all</c> term of a record built by <see cref="SpfRecordBuilder"/>.</summary>
    public enum SpfAllPolicy
    {
        /// <summary><c>-all</c></summary>
        Fail,
        /// <summary><c>~all</c></summary>
        SoftFail,
        /// <summary><c>?all</c></summary>
        Neutral,
        /// <summary><c>+all</c>: authorises every host on the Internet.</summary>
        Pass,
    }

    /// <summary>Input to <see cref="SpfRecordBuilder.Build"/>.</summary>
    public sealed class SpfRecordSpec
    {
        public IReadOnlyList<string> IPv4Addresses { get; init; } = Array.Empty<string>();
        public IReadOnlyList<string> IPv6Addresses { get; init; } = Array.Empty<string>();
        public IReadOnlyList<string> Includes { get; init; } = Array.Empty<string>();
        public bool Mx { get; init; }
        public bool A { get; init; }
        public string? Redirect { get; init; }
        /// <summary>Null: SoftFail, or no all term when <see cref="Redirect"/> is given.</summary>
        public SpfAllPolicy? All { get; init; }
        public bool AllowPassAll { get; init; }
    }

    /// <summary>Thrown by <see cref="SpfRecordBuilder.Build"/> when the requested record would be invalid.</summary>
    public sealed class SpfBuildException : Exception
    {
        public SpfBuildException(string errorId, string message, string? term = null) : base(message)
        {
            ErrorId = errorId;
            Term = term;
        }

        /// <summary>Stable id: InvalidIPv4Address, InvalidIPv6Address, InvalidDomain, PassAllRefused, RedirectWithAll.</summary>
        public string ErrorId { get; }
        public string? Term { get; }
    }

    /// <summary>Builds SPF record text (RFC 7208 §4.6.1 term order: ip4, ip6, a, mx, include, then redirect or all).</summary>
    public static class SpfRecordBuilder
    {
        public static string Build(SpfRecordSpec spec)
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            var terms = new List<string> { "v=spf1" };
            foreach (var ip in spec.IPv4Addresses) terms.Add("ip4:" + NormalizeNetwork(ip, AddressFamily.InterNetwork, 32, "InvalidIPv4Address"));
            foreach (var ip in spec.IPv6Addresses) terms.Add("ip6:" + NormalizeNetwork(ip, AddressFamily.InterNetworkV6, 128, "InvalidIPv6Address"));
            if (spec.A) terms.Add("a");
            if (spec.Mx) terms.Add("mx");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var include in spec.Includes)
            {
                var d = NormalizeDomain(include, "include");
                if (seen.Add(d)) terms.Add("include:" + d);
            }

            var all = spec.All ?? (spec.Redirect is null ? SpfAllPolicy.SoftFail : (SpfAllPolicy?)null);
            if (spec.Redirect != null && spec.All != null)
                throw new SpfBuildException("RedirectWithAll", "A record with 'all' never uses 'redirect' (RFC 7208 §6.1): give either -Redirect or -All, not both.");
            if (all == SpfAllPolicy.Pass && !spec.AllowPassAll)
                throw new SpfBuildException("PassAllRefused", "'+all' authorises every host on the Internet to send as this domain. Use -Force if you really mean it.", "+all");
            if (spec.Redirect != null) terms.Add("redirect=" + NormalizeDomain(spec.Redirect, "redirect"));
            if (all != null) terms.Add(AllTerm(all.Value));
            return string.Join(" ", terms);
        }

        private static string AllTerm(SpfAllPolicy policy)
        {
            switch (policy)
            {
                case SpfAllPolicy.Fail: return "-all";
                case SpfAllPolicy.SoftFail: return "~all";
                case SpfAllPolicy.Neutral: return "?all";
                default: return "+all";
            }
        }

        private static string NormalizeDomain(string value, string what)
        {
            if (!DnsName.TryNormalizeDomain(value, out var d, out var reason))
                throw new SpfBuildException("InvalidDomain", $"The {what} domain is not valid: {reason}", value);
            if (d.IndexOf('.') < 0)
                throw new SpfBuildException("InvalidDomain", $"The {what} domain '{value}' has no dot; SPF domain-specs must end in a top-level label (RFC 7208 §7.1).", value);
            return d;
        }

        private static string NormalizeNetwork(string value, AddressFamily family, int maxPrefix, string errorId)
        {
            var text = (value ?? string.Empty).Trim();
            string addressPart = text;
            int? prefix = null;
            var slash = text.IndexOf('/');
            if (slash >= 0)
            {
                addressPart = text.Substring(0, slash);
                var p = text.Substring(slash + 1);
                if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 0 || n > maxPrefix || (p.Length > 1 && p[0] == '0'))
                    throw new SpfBuildException(errorId, $"'{value}' has an invalid prefix length (0-{maxPrefix}).", value);
                prefix = n;
            }
            if (!IPAddress.TryParse(addressPart, out var address) || address.AddressFamily != family ||
                (family == AddressFamily.InterNetwork && addressPart.Split('.').Length != 4))
            {
                var kind = family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
                throw new SpfBuildException(errorId, $"'{value}' is not an {kind} address or network.", value);
            }
            var network = MaskAddress(address, prefix ?? maxPrefix);
            if (!network.Equals(address))
                throw new SpfBuildException(errorId, $"'{value}' has host bits set; the network is {network}/{prefix}.", value);
            var sb = new StringBuilder(address.ToString());
            if (prefix != null && prefix != maxPrefix) sb.Append('/').Append(prefix.Value.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        private static IPAddress MaskAddress(IPAddress address, int prefix)
        {
            var bytes = address.GetAddressBytes();
            for (int i = 0; i < bytes.Length; i++)
            {
                int bits = Math.Max(0, Math.Min(8, prefix - i * 8));
                bytes[i] &= (byte)(0xFF << (8 - bits));
            }
            return new IPAddress(bytes);
        }
    }
}
