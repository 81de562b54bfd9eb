using System;
using System.Collections.Generic;
using System.Net;

namespace MailAuth.Dns
{
    /// <summary>One resource record, independent of where it came from (live server, zone file, test data).</summary>
    public sealed class DnsResourceRecord
    {
        private static readonly IReadOnlyList<string> NoStrings = Array.Empty<string>();

        private DnsResourceRecord(string name, DnsRecordType type, uint ttl)
        {
            Name = DnsName.Normalize(name);
            RecordType = type;
            TimeToLive = ttl;
        }

        /// <summary>Owner name, lower case, without the trailing dot.</summary>
        public string Name { get; }
        public DnsRecordType RecordType { get; }
        /// <summary>TTL in seconds.</summary>
        public uint TimeToLive { get; }
        /// <summary>A/AAAA address.</summary>
        public IPAddress? Address { get; private set; }
        /// <summary>Target of CNAME, PTR, NS, or the exchange of MX (lower case, no trailing dot; "" for a null MX ".").</summary>
        public string? Target { get; private set; }
        /// <summary>MX preference.</summary>
        public ushort Preference { get; private set; }
        /// <summary>TXT/SPF character-strings in order (RFC 1035 §3.3.14); join with no separator for the value.</summary>
        public IReadOnlyList<string> Strings { get; private set; } = NoStrings;
        /// <summary>Record data in presentation form for types MailAuth does not model.</summary>
        public string? Data { get; private set; }

        /// <summary>TXT value: the character-strings joined with nothing between them (RFC 7208 §3.3).</summary>
        public string Text => string.Concat(Strings);

        public static DnsResourceRecord CreateAddress(string name, IPAddress address, uint ttl)
        {
            if (address is null) throw new ArgumentNullException(nameof(address));
            var type = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
            return new DnsResourceRecord(name, type, ttl) { Address = address };
        }

        public static DnsResourceRecord CreateText(string name, DnsRecordType type, IReadOnlyList<string> strings, uint ttl)
        {
            if (strings is null) throw new ArgumentNullException(nameof(strings));
            return new DnsResourceRecord(name, type, ttl) { Strings = strings };
        }

        public static DnsResourceRecord CreateTarget(string name, DnsRecordType type, string target, uint ttl) =>
            new DnsResourceRecord(name, type, ttl) { Target = DnsName.Normalize(target) };

        public static DnsResourceRecord CreateMx(string name, ushort preference, string exchange, uint ttl) =>
            new DnsResourceRecord(name, DnsRecordType.MX, ttl) { Preference = preference, Target = DnsName.Normalize(exchange) };

        public static DnsResourceRecord CreateOther(string name, DnsRecordType type, string data, uint ttl) =>
            new DnsResourceRecord(name, type, ttl) { Data = data };

        public override string ToString()
        {
            string rdata;
            switch (RecordType)
            {
                case DnsRecordType.A:
                case DnsRecordType.AAAA: rdata = Address!.ToString(); break;
                case DnsRecordType.MX: rdata = Preference + " " + (Target!.Length == 0 ? "." : Target + "."); break;
                case DnsRecordType.TXT:
                case DnsRecordType.SPF: rdata = ZoneText.FormatCharacterStrings(Strings); break;
                default: rdata = Target != null ? Target + "." : Data ?? string.Empty; break;
            }
            return $"{Name}. {TimeToLive} IN {RecordType} {rdata}";
        }
    }
}
