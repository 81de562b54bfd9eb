using System;
using System.Collections.Generic;
using System.Globalization;

namespace MailAuth.Zone
{
    /// <summary>Record type mnemonics (IANA "Resource Record (RR) TYPEs" registry) and RFC 3597 §5 "TYPEnnn" names.</summary>
    internal static class ZoneRecordTypes
    {
        private static readonly Dictionary<string, ushort> ByName = new Dictionary<string, ushort>(StringComparer.OrdinalIgnoreCase)
        {
            ["A"] = 1, ["NS"] = 2, ["MD"] = 3, ["MF"] = 4, ["CNAME"] = 5, ["SOA"] = 6, ["MB"] = 7, ["MG"] = 8, ["MR"] = 9,
            ["NULL"] = 10, ["WKS"] = 11, ["PTR"] = 12, ["HINFO"] = 13, ["MINFO"] = 14, ["MX"] = 15, ["TXT"] = 16, ["RP"] = 17,
            ["AFSDB"] = 18, ["X25"] = 19, ["ISDN"] = 20, ["RT"] = 21, ["NSAP"] = 22, ["NSAP-PTR"] = 23, ["SIG"] = 24, ["KEY"] = 25,
            ["PX"] = 26, ["GPOS"] = 27, ["AAAA"] = 28, ["LOC"] = 29, ["NXT"] = 30, ["EID"] = 31, ["NIMLOC"] = 32, ["SRV"] = 33,
            ["ATMA"] = 34, ["NAPTR"] = 35, ["KX"] = 36, ["CERT"] = 37, ["A6"] = 38, ["DNAME"] = 39, ["SINK"] = 40, ["APL"] = 42,
            ["DS"] = 43, ["SSHFP"] = 44, ["IPSECKEY"] = 45, ["RRSIG"] = 46, ["NSEC"] = 47, ["DNSKEY"] = 48, ["DHCID"] = 49,
            ["NSEC3"] = 50, ["NSEC3PARAM"] = 51, ["TLSA"] = 52, ["SMIMEA"] = 53, ["HIP"] = 55, ["NINFO"] = 56, ["RKEY"] = 57,
            ["TALINK"] = 58, ["CDS"] = 59, ["CDNSKEY"] = 60, ["OPENPGPKEY"] = 61, ["CSYNC"] = 62, ["ZONEMD"] = 63, ["SVCB"] = 64,
            ["HTTPS"] = 65, ["DSYNC"] = 66, ["SPF"] = 99, ["UINFO"] = 100, ["UID"] = 101, ["GID"] = 102, ["UNSPEC"] = 103,
            ["NID"] = 104, ["L32"] = 105, ["L64"] = 106, ["LP"] = 107, ["EUI48"] = 108, ["EUI64"] = 109, ["RESINFO"] = 261,
            ["URI"] = 256, ["CAA"] = 257, ["AVC"] = 258, ["DOA"] = 259, ["AMTRELAY"] = 260, ["WALLET"] = 262, ["TA"] = 32768,
            ["DLV"] = 32769,
            // Windows DNS Server writes these in its zone files (WINS lookup and WINS reverse lookup).
            ["WINS"] = 0xFF01, ["WINSR"] = 0xFF02,
        };

        /// <summary>Query-only types (RFC 6895 §3.1): meaningless in a master file.</summary>
        private static readonly HashSet<ushort> MetaTypes = new HashSet<ushort> { 0, 41, 249, 250, 251, 252, 253, 254, 255 };

        public static bool IsTypeToken(string token) => TryParse(token, out _);

        /// <summary>Maps a mnemonic or "TYPEnnn" to its number. Meta types (OPT, ANY, AXFR, ...) and 0 are refused.</summary>
        public static bool TryParse(string token, out ushort type)
        {
            type = 0;
            if (ByName.TryGetValue(token, out type)) return true;
            if (token.Length > 4 && token.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) && AllDigits(token, 4) &&
                ushort.TryParse(token.Substring(4), NumberStyles.None, CultureInfo.InvariantCulture, out type))
            {
                return !MetaTypes.Contains(type);
            }
            type = 0;
            return false;
        }

        public static bool IsMeta(string token)
        {
            switch (token.ToUpperInvariant())
            {
                case "ANY": case "AXFR": case "IXFR": case "OPT": case "TKEY": case "TSIG": case "MAILA": case "MAILB": case "*": return true;
                default: return false;
            }
        }

        /// <summary>Class mnemonics (RFC 1035 §3.2.4) and RFC 3597 "CLASSnnn".</summary>
        public static bool TryParseClass(string token, out string cls)
        {
            cls = token.ToUpperInvariant();
            switch (cls)
            {
                case "IN": case "CH": case "CS": case "HS": return true;
            }
            if (cls.Length > 5 && cls.StartsWith("CLASS", StringComparison.Ordinal) && AllDigits(cls, 5) &&
                ushort.TryParse(cls.Substring(5), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                cls = number == 1 ? "IN" : number == 3 ? "CH" : number == 4 ? "HS" : number == 2 ? "CS" : cls;
                return true;
            }
            return false;
        }

        private static bool AllDigits(string s, int from)
        {
            for (int i = from; i < s.Length; i++) if (s[i] < '0' || s[i] > '9') return false;
            return from < s.Length;
        }
    }
}
