using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace MailAuth.Dns
{
    /// <summary>
    /// A DNS server to send queries to: an address and a UDP/TCP port (RFC 1035 §4.2: port 53 by default).
    /// Parsed from what an admin types for -Server: "192.0.2.53", "192.0.2.53:5353", "2001:db8::53",
    /// "[2001:db8::53]:5353", "::1", "dns.contoso.example", "dns.contoso.example:5353".
    /// Host names are resolved to an address once, when the endpoint is parsed.
    /// </summary>
    public sealed class DnsServerEndpoint : IEquatable<DnsServerEndpoint>
    {
        /// <summary>The DNS port (RFC 1035 §4.2.1).</summary>
        public const int DefaultPort = 53;

        public DnsServerEndpoint(IPAddress address, int port = DefaultPort)
            : this(address, port, null)
        {
        }

        private DnsServerEndpoint(IPAddress address, int port, string? host)
        {
            if (address is null) throw new ArgumentNullException(nameof(address));
            if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be between 1 and 65535.");
            Address = address;
            Port = port;
            Host = host ?? address.ToString();
        }

        /// <summary>The server's address.</summary>
        public IPAddress Address { get; }

        /// <summary>The server's port (53 unless given).</summary>
        public int Port { get; }

        /// <summary>The host as typed (a name or the address, without brackets).</summary>
        public string Host { get; }

        public IPEndPoint ToIPEndPoint() => new IPEndPoint(Address, Port);

        /// <summary>Parses a server; throws <see cref="FormatException"/> with the reason when it is not usable.</summary>
        public static DnsServerEndpoint Parse(string text)
        {
            if (TryParse(text, out var endpoint, out var error)) return endpoint!;
            throw new FormatException(error);
        }

        /// <summary>
        /// Parses a server without throwing. Returns false with a readable <paramref name="error"/> when the text is
        /// empty, the port is not a number from 1 to 65535, or a host name does not resolve to an address.
        /// </summary>
        public static bool TryParse(string? text, out DnsServerEndpoint? endpoint, out string? error)
        {
            endpoint = null;
            error = null;
            if (text is null || text.Trim().Length == 0)
            {
                error = "The DNS server is empty.";
                return false;
            }

            var s = text.Trim();
            string host;
            string? portText = null;

            if (s.StartsWith("[", StringComparison.Ordinal))
            {
                // [v6addr] or [v6addr]:port
                var close = s.IndexOf(']');
                if (close < 0)
                {
                    error = $"'{text}' has '[' without a closing ']'.";
                    return false;
                }
                host = s.Substring(1, close - 1);
                var rest = s.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':')
                    {
                        error = $"'{text}' has unexpected text after ']': use [address]:port.";
                        return false;
                    }
                    portText = rest.Substring(1);
                }
                if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    error = $"'{host}' in '{text}' is not an IPv6 address.";
                    return false;
                }
            }
            else
            {
                var colons = s.Count(c => c == ':');
                if (colons > 1)
                {
                    // A bare IPv6 address such as ::1 or 2001:db8::53; a port needs the [address]:port form.
                    host = s;
                }
                else if (colons == 1)
                {
                    var i = s.IndexOf(':');
                    host = s.Substring(0, i);
                    portText = s.Substring(i + 1);
                }
                else
                {
                    host = s;
                }
            }

            int port = DefaultPort;
            if (portText != null)
            {
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
                {
                    error = $"'{portText}' in '{text}' is not a port number from 1 to 65535.";
                    return false;
                }
            }

            if (host.Length == 0)
            {
                error = $"'{text}' has no host or address.";
                return false;
            }

            if (IPAddress.TryParse(host, out var address) && LooksLikeAddress(host, address))
            {
                endpoint = new DnsServerEndpoint(address, port, host);
                return true;
            }

            if (!DnsName.TryNormalizeDomain(host, out var hostName, out var reason))
            {
                error = $"'{text}' is neither an IP address nor a host name: {reason}";
                return false;
            }

            IPAddress[] addresses;
            try
            {
                addresses = System.Net.Dns.GetHostAddresses(hostName);
            }
            catch (SocketException ex)
            {
                error = $"The DNS server name '{hostName}' could not be resolved: {ex.Message}";
                return false;
            }
            catch (ArgumentException ex)
            {
                error = $"The DNS server name '{hostName}' is not valid: {ex.Message}";
                return false;
            }

            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                         ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6);
            if (chosen is null)
            {
                error = $"The DNS server name '{hostName}' has no IPv4 or IPv6 address.";
                return false;
            }

            endpoint = new DnsServerEndpoint(chosen, port, hostName);
            return true;
        }

        // IPAddress.TryParse accepts "1" or "1.2" as IPv4 shorthands; require the dotted quad or an IPv6 form.
        private static bool LooksLikeAddress(string text, IPAddress address)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6) return true;
            return text.Count(c => c == '.') == 3;
        }

        /// <summary>"127.0.0.1:53" or "[::1]:53".</summary>
        public override string ToString() =>
            Address.AddressFamily == AddressFamily.InterNetworkV6
                ? "[" + Address + "]:" + Port.ToString(CultureInfo.InvariantCulture)
                : Address + ":" + Port.ToString(CultureInfo.InvariantCulture);

        public bool Equals(DnsServerEndpoint? other) =>
            other is not null && Address.Equals(other.Address) && Port == other.Port;

        public override bool Equals(object? obj) => Equals(obj as DnsServerEndpoint);

        public override int GetHashCode() => unchecked(Address.GetHashCode() * 397 ^ Port);
    }
}
