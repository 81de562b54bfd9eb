using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailAuth.Spf
{
    /// <summary>
    /// An IPv4 or IPv6 network in CIDR form ("192.0.2.0/24", "2001:db8::/32"), for netstandard2.0 where
    /// System.Net.IPNetwork does not exist. Used for the ip4/ip6 mechanisms and the a/mx CIDR lengths (RFC 7208 §5.6).
    /// </summary>
    public readonly struct IpNetwork : IEquatable<IpNetwork>
    {
        private readonly IPAddress? _address;

        /// <summary>Creates a network. The address is kept as given; <see cref="NetworkAddress"/> has the host bits cleared.</summary>
        /// <exception cref="ArgumentNullException">address is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">prefixLength is outside 0–32 (IPv4) or 0–128 (IPv6).</exception>
        public IpNetwork(IPAddress address, int prefixLength)
        {
            if (address is null) throw new ArgumentNullException(nameof(address));
            if (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6)
                throw new ArgumentException("Only IPv4 and IPv6 addresses are supported.", nameof(address));
            int max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            if (prefixLength < 0 || prefixLength > max)
                throw new ArgumentOutOfRangeException(nameof(prefixLength), $"The prefix length must be between 0 and {max}.");
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
                address = new IPAddress(address.GetAddressBytes());
            _address = address;
            PrefixLength = prefixLength;
        }

        /// <summary>The address as written (host bits may be set, as SPF allows "ip4:192.0.2.1/24").</summary>
        public IPAddress Address => _address ?? IPAddress.Any;

        /// <summary>The prefix length (0–32 for IPv4, 0–128 for IPv6).</summary>
        public int PrefixLength { get; }

        public AddressFamily AddressFamily => Address.AddressFamily;

        public bool IsIPv4 => AddressFamily == AddressFamily.InterNetwork;

        /// <summary>The address with the host bits cleared.</summary>
        public IPAddress NetworkAddress => new IPAddress(Mask(Address.GetAddressBytes(), PrefixLength));

        /// <summary>
        /// True when <paramref name="candidate"/> lies inside this network. An IPv4-mapped IPv6 candidate
        /// (::ffff:192.0.2.1) is compared as the IPv4 address it carries (RFC 7208 §5: such a client is an IPv4 client),
        /// so it matches IPv4 networks and never IPv6 ones. Addresses of the other family never match.
        /// </summary>
        public bool Contains(IPAddress? candidate)
        {
            if (candidate is null || _address is null) return false;
            var c = Unmap(candidate);
            if (c.AddressFamily != Address.AddressFamily) return false;
            var a = Address.GetAddressBytes();
            var b = c.GetAddressBytes();
            int full = PrefixLength / 8, rest = PrefixLength % 8;
            for (int i = 0; i < full; i++) if (a[i] != b[i]) return false;
            if (rest == 0) return true;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (b[full] & mask);
        }

        /// <summary>Returns the IPv4 address carried by an IPv4-mapped IPv6 address (::ffff:a.b.c.d); any other address unchanged.</summary>
        public static IPAddress Unmap(IPAddress address)
        {
            if (address is null) throw new ArgumentNullException(nameof(address));
            return address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }

        /// <summary>
        /// Parses "address" or "address/prefix". IPv4 must be a strict dotted quad (four decimal parts 0–255, no leading
        /// zeros, as RFC 7208 §5.6 ip4-network); the prefix is decimal without leading zeros. Never throws.
        /// </summary>
        public static bool TryParse(string? text, out IpNetwork network)
        {
            network = default;
            if (text is null) return false;
            var s = text.Trim();
            int slash = s.IndexOf('/');
            string addr = slash < 0 ? s : s.Substring(0, slash);
            IPAddress? ip;
            if (TryParseIPv4Strict(addr, out var v4)) ip = v4;
            else if (TryParseIPv6Strict(addr, out var v6)) ip = v6;
            else return false;
            int max = ip!.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            int prefix = max;
            if (slash >= 0 && !TryParsePrefix(s.Substring(slash + 1), max, out prefix)) return false;
            network = new IpNetwork(ip, prefix);
            return true;
        }

        /// <summary>Parses like <see cref="TryParse"/>, throwing <see cref="FormatException"/> on bad input.</summary>
        public static IpNetwork Parse(string text) =>
            TryParse(text, out var n) ? n : throw new FormatException($"'{text}' is not an IP network in CIDR form.");

        /// <summary>Strict dotted-quad IPv4 (RFC 7208 §5.6 ip4-network: qnum without leading zeros).</summary>
        public static bool TryParseIPv4Strict(string? text, out IPAddress? address)
        {
            address = null;
            if (string.IsNullOrEmpty(text)) return false;
            var parts = text!.Split('.');
            if (parts.Length != 4) return false;
            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                var p = parts[i];
                if (p.Length == 0 || p.Length > 3) return false;
                foreach (var ch in p) if (ch < '0' || ch > '9') return false;
                if (p.Length > 1 && p[0] == '0') return false;
                int v = int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture);
                if (v > 255) return false;
                bytes[i] = (byte)v;
            }
            address = new IPAddress(bytes);
            return true;
        }

        /// <summary>IPv6 in RFC 4291 text form (hex groups, "::", optional trailing dotted quad); no zone index, no brackets.</summary>
        public static bool TryParseIPv6Strict(string? text, out IPAddress? address)
        {
            address = null;
            if (string.IsNullOrEmpty(text) || text!.IndexOf(':') < 0) return false;
            foreach (var ch in text)
            {
                bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') || ch == ':' || ch == '.';
                if (!ok) return false;
            }
            // Shape check the runtime parser is lenient about: at most one "::", groups of 1-4 hex digits.
            int dbl = text.IndexOf("::", StringComparison.Ordinal);
            if (dbl >= 0 && text.IndexOf("::", dbl + 1, StringComparison.Ordinal) >= 0) return false;
            if (text.IndexOf(":::", StringComparison.Ordinal) >= 0) return false;
            var groups = text.Split(':');
            int count = 0;
            for (int i = 0; i < groups.Length; i++)
            {
                var g = groups[i];
                if (g.Length == 0) continue;
                if (g.IndexOf('.') >= 0)
                {
                    if (i != groups.Length - 1 || !TryParseIPv4Strict(g, out _)) return false;
                    count += 2;
                    continue;
                }
                if (g.Length > 4) return false;
                count++;
            }
            if (dbl < 0 && count != 8) return false;
            if (dbl >= 0 && count > 7) return false;
            if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = ip;
            return true;
        }

        internal static bool TryParsePrefix(string digits, int max, out int value)
        {
            value = 0;
            if (digits.Length == 0 || digits.Length > 3) return false;
            foreach (var ch in digits) if (ch < '0' || ch > '9') return false;
            if (digits.Length > 1 && digits[0] == '0') return false;
            value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            return value <= max;
        }

        private static byte[] Mask(byte[] bytes, int prefix)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                int bitsHere = Math.Max(0, Math.Min(8, prefix - i * 8));
                bytes[i] = (byte)(bytes[i] & ((0xFF << (8 - bitsHere)) & 0xFF));
            }
            return bytes;
        }

        public bool Equals(IpNetwork other) => PrefixLength == other.PrefixLength && Address.Equals(other.Address);
        public override bool Equals(object? obj) => obj is IpNetwork n && Equals(n);
        public override int GetHashCode() => Address.GetHashCode() * 31 + PrefixLength;
        public static bool operator ==(IpNetwork a, IpNetwork b) => a.Equals(b);
        public static bool operator !=(IpNetwork a, IpNetwork b) => !a.Equals(b);

        /// <summary>"address/prefix" (address as written).</summary>
        public override string ToString() => Address + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
    }
}
