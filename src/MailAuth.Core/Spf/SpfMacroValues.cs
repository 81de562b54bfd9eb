using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailAuth.Spf
{
    /// <summary>The inputs of macro expansion (RFC 7208 §7.2, §7.3).</summary>
    public sealed class SpfMacroValues
    {
        /// <param name="ip">The client address; an IPv4-mapped IPv6 address is used as IPv4 (RFC 7208 §5).</param>
        /// <param name="sender">&lt;sender&gt; ("local@domain"; a missing local part becomes "postmaster").</param>
        /// <param name="domain">The current &lt;domain&gt; (%{d}).</param>
        /// <param name="heloDomain">HELO/EHLO name (%{h}); null expands to "unknown".</param>
        /// <param name="receiverName">Receiving host (%{r}); null expands to "unknown".</param>
        /// <param name="timestamp">Time for %{t}.</param>
        public SpfMacroValues(IPAddress ip, string sender, string domain, string? heloDomain, string? receiverName, DateTimeOffset timestamp)
        {
            if (ip is null) throw new ArgumentNullException(nameof(ip));
            Ip = IpNetwork.Unmap(ip);
            var identity = SpfIdentity.FromSender(sender ?? string.Empty, domain);
            Sender = identity.Sender;
            LocalPart = identity.LocalPart;
            SenderDomain = identity.Domain;
            Domain = domain ?? string.Empty;
            HeloDomain = heloDomain;
            ReceiverName = receiverName;
            Timestamp = timestamp;
        }

        public IPAddress Ip { get; }
        public string Sender { get; }
        public string LocalPart { get; }
        public string SenderDomain { get; }
        public string Domain { get; }
        public string? HeloDomain { get; }
        public string? ReceiverName { get; }
        public DateTimeOffset Timestamp { get; }

        public bool IsIPv6 => Ip.AddressFamily == AddressFamily.InterNetworkV6;

        /// <summary>The same values with another current domain (include and redirect change %{d}).</summary>
        public SpfMacroValues WithDomain(string domain) =>
            new SpfMacroValues(Ip, Sender, domain, HeloDomain, ReceiverName, Timestamp);

        /// <summary>%{i}: dotted quad for IPv4; for IPv6 the 32 nibbles separated by dots, in upper case
        /// (as the OpenSPF suite expects; DNS names compare case-insensitively).</summary>
        public string DottedIp
        {
            get
            {
                if (!IsIPv6) return Ip.ToString();
                var sb = new StringBuilder(63);
                foreach (var b in Ip.GetAddressBytes())
                {
                    if (sb.Length > 0) sb.Append('.');
                    sb.Append(((b >> 4) & 0xF).ToString("X", CultureInfo.InvariantCulture)).Append('.')
                      .Append((b & 0xF).ToString("X", CultureInfo.InvariantCulture));
                }
                return sb.ToString();
            }
        }

        /// <summary>%{c}: the address in its usual text form (compressed lower-case IPv6).</summary>
        public string ReadableIp => Ip.ToString();

        /// <summary>%{v}: "in-addr" or "ip6".</summary>
        public string IpVersionLabel => IsIPv6 ? "ip6" : "in-addr";

        /// <summary>The reverse-lookup name for the client address ("4.3.2.1.in-addr.arpa", nibbles under ip6.arpa).</summary>
        public static string ReverseName(IPAddress ip)
        {
            ip = IpNetwork.Unmap(ip);
            var bytes = ip.GetAddressBytes();
            var sb = new StringBuilder(73);
            if (ip.AddressFamily == AddressFamily.InterNetwork)
            {
                for (int i = 3; i >= 0; i--) sb.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
                return sb.Append("in-addr.arpa").ToString();
            }
            for (int i = 15; i >= 0; i--)
            {
                sb.Append((bytes[i] & 0xF).ToString("x", CultureInfo.InvariantCulture)).Append('.');
                sb.Append(((bytes[i] >> 4) & 0xF).ToString("x", CultureInfo.InvariantCulture)).Append('.');
            }
            return sb.Append("ip6.arpa").ToString();
        }
    }
}
