using System;
using System.Collections.Generic;
using System.Text;
using MailAuth.Dns;

namespace MailAuth.Publishing
{
    /// <summary>
    /// The one record type every New-* cmdlet returns and every finding suggests. Its property names match the
    /// parameters of Windows DNS Server's Add-DnsServerResourceRecord that bind by property name
    /// (ZoneName, Name, DescriptiveText, TimeToLive; HostNameAlias for CNAME; MailExchange and Preference for MX),
    /// so it pipes straight in.
    /// </summary>
    public sealed class PublishableRecord
    {
        /// <summary>Windows DNS Server's documented limit per line of -DescriptiveText.</summary>
        public const int MaxStringOctets = 255;

        private PublishableRecord(string zoneName, string name, string recordType, TimeSpan ttl)
        {
            ZoneName = zoneName;
            Name = name;
            RecordType = recordType;
            TimeToLive = ttl;
        }

        /// <summary>The zone the record belongs in (no trailing dot).</summary>
        public string ZoneName { get; }
        /// <summary>Owner relative to <see cref="ZoneName"/>; "@" for the apex.</summary>
        public string Name { get; }
        /// <summary>Fully qualified owner name.</summary>
        public string FullName => Name == "@" ? ZoneName : (ZoneName.Length == 0 ? Name : Name + "." + ZoneName);
        /// <summary>"TXT", "CNAME" or "MX".</summary>
        public string RecordType { get; }
        /// <summary>RFC 1035 character-strings, each at most 255 octets (TXT only).</summary>
        public IReadOnlyList<string> Strings { get; private set; } = Array.Empty<string>();
        /// <summary>The joined text of the record (what a resolver returns once the strings are concatenated).</summary>
        public string Value { get; private set; } = string.Empty;
        /// <summary>
        /// What Add-DnsServerResourceRecord -DescriptiveText takes: the value itself when it fits in one string,
        /// otherwise the strings joined with CR LF, which the DnsServer documentation describes as one
        /// character-string per line (not verified here against a real Windows server).
        /// </summary>
        public string? DescriptiveText { get; private set; }
        /// <summary>CNAME target (Add-DnsServerResourceRecordCName -HostNameAlias).</summary>
        public string? HostNameAlias { get; private set; }
        /// <summary>
        /// MX exchange host (Add-DnsServerResourceRecordMX -MailExchange), without the trailing dot;
        /// "." for a null MX (RFC 7505). Null for other types.
        /// </summary>
        public string? MailExchange { get; private set; }
        /// <summary>MX preference (Add-DnsServerResourceRecordMX -Preference); null for other types.</summary>
        public ushort? Preference { get; private set; }
        public TimeSpan TimeToLive { get; }
        /// <summary>DNS lookups the record costs (SPF, when it was validated against DNS); null when not measured.</summary>
        public int? DnsLookupCount { get; private set; }
        /// <summary>What validation found about the record (empty when it was not validated or is clean).</summary>
        public IReadOnlyList<Findings.Finding> Findings { get; private set; } = Array.Empty<Findings.Finding>();
        /// <summary>A correctly escaped master-file line (RFC 1035 §5.1), owner relative to the zone.</summary>
        public string ZoneFileLine
        {
            get
            {
                var ttl = (long)TimeToLive.TotalSeconds;
                var rdata = RecordType == "CNAME" ? HostNameAlias + "."
                    : RecordType == "MX" ? Preference + " " + (MailExchange == "." ? "." : MailExchange + ".")
                    : ZoneText.FormatCharacterStrings(Strings);
                return $"{Name}\t{ttl}\tIN\t{RecordType}\t{rdata}";
            }
        }

        /// <summary>Creates a TXT record, splitting the value into character-strings of at most 255 octets.</summary>
        public static PublishableRecord CreateTxt(string zoneName, string name, string value, TimeSpan timeToLive)
        {
            if (value is null) throw new ArgumentNullException(nameof(value));
            var strings = SplitCharacterStrings(value, MaxStringOctets);
            return new PublishableRecord(DnsName.Normalize(zoneName), NormalizeOwner(name, zoneName), "TXT", timeToLive)
            {
                Strings = strings,
                Value = value,
                DescriptiveText = strings.Count <= 1 ? value : string.Join("\r\n", strings),
            };
        }

        /// <summary>A copy carrying validation results.</summary>
        public PublishableRecord WithValidation(int? dnsLookupCount, IReadOnlyList<Findings.Finding> findings)
        {
            var copy = (PublishableRecord)MemberwiseClone();
            copy.DnsLookupCount = dnsLookupCount;
            copy.Findings = findings ?? Array.Empty<Findings.Finding>();
            return copy;
        }

        /// <summary>Creates a CNAME record (for example a Microsoft 365 DKIM delegation).</summary>
        public static PublishableRecord CreateCname(string zoneName, string name, string target, TimeSpan timeToLive) =>
            new PublishableRecord(DnsName.Normalize(zoneName), NormalizeOwner(name, zoneName), "CNAME", timeToLive)
            {
                HostNameAlias = DnsName.Normalize(target),
                Value = DnsName.Normalize(target),
            };

        /// <summary>
        /// Creates an MX record (RFC 1035 §3.3.9), shaped for Add-DnsServerResourceRecordMX (ZoneName, Name,
        /// MailExchange, Preference, TimeToLive). An empty exchange or "." makes a null MX (RFC 7505 §3: preference 0,
        /// exchange "."), which says the domain accepts no mail.
        /// </summary>
        public static PublishableRecord CreateMx(string zoneName, string name, string mailExchange, ushort preference, TimeSpan timeToLive)
        {
            var exchange = DnsName.Normalize(mailExchange);
            bool nullMx = exchange.Length == 0 || exchange == ".";
            if (nullMx) { exchange = "."; preference = 0; }
            return new PublishableRecord(DnsName.Normalize(zoneName), NormalizeOwner(name, zoneName), "MX", timeToLive)
            {
                MailExchange = exchange,
                Preference = preference,
                Value = preference + " " + exchange,
            };
        }

        /// <summary>
        /// Splits text into character-strings of at most <paramref name="maxOctets"/> UTF-8 octets,
        /// never inside a multi-byte character.
        /// </summary>
        public static IReadOnlyList<string> SplitCharacterStrings(string value, int maxOctets = MaxStringOctets)
        {
            var result = new List<string>();
            if (value.Length == 0) { result.Add(string.Empty); return result; }
            var sb = new StringBuilder();
            int octets = 0;
            for (int i = 0; i < value.Length; i++)
            {
                int len = char.IsHighSurrogate(value[i]) && i + 1 < value.Length ? 2 : 1;
                int charOctets = Encoding.UTF8.GetByteCount(value.ToCharArray(i, len));
                if (octets + charOctets > maxOctets)
                {
                    result.Add(sb.ToString());
                    sb.Clear();
                    octets = 0;
                }
                sb.Append(value, i, len);
                octets += charOctets;
                i += len - 1;
            }
            result.Add(sb.ToString());
            return result;
        }

        /// <summary>Accepts a relative owner ("mail._domainkey", "@") or a fully qualified one under the zone.</summary>
        private static string NormalizeOwner(string name, string zoneName)
        {
            var n = DnsName.Normalize(name);
            if (n.Length == 0 || n == "@") return "@";
            var z = DnsName.Normalize(zoneName);
            return z.Length > 0 && DnsName.IsSubdomainOf(n, z) ? DnsName.RelativeTo(n, z) : n;
        }

        public override string ToString() => ZoneFileLine;
    }
}
