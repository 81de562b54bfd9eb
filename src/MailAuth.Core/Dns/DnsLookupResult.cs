using System;
using System.Collections.Generic;

namespace MailAuth.Dns
{
    /// <summary>The outcome of one question (name, type), after CNAMEs were followed.</summary>
    public sealed class DnsLookupResult
    {
        private static readonly IReadOnlyList<DnsResourceRecord> NoRecords = Array.Empty<DnsResourceRecord>();
        private static readonly IReadOnlyList<string> NoNames = Array.Empty<string>();

        public DnsLookupResult(string queryName, DnsRecordType queryType, DnsLookupStatus status,
            IReadOnlyList<DnsResourceRecord>? records = null, IReadOnlyList<string>? cnameChain = null,
            string? source = null, string? errorMessage = null, bool authoritative = false, bool usedTcp = false,
            uint? negativeTimeToLive = null)
        {
            QueryName = DnsName.Normalize(queryName);
            QueryType = queryType;
            Status = status;
            Records = records ?? NoRecords;
            CnameChain = cnameChain ?? NoNames;
            Source = source;
            ErrorMessage = errorMessage;
            Authoritative = authoritative;
            UsedTcp = usedTcp;
            NegativeTimeToLive = negativeTimeToLive;
        }

        public string QueryName { get; }
        public DnsRecordType QueryType { get; }
        public DnsLookupStatus Status { get; }
        /// <summary>Answers of the asked type only (CNAMEs that led there are in <see cref="CnameChain"/>).</summary>
        public IReadOnlyList<DnsResourceRecord> Records { get; }
        /// <summary>The CNAME targets followed, in order (empty when the name had none).</summary>
        public IReadOnlyList<string> CnameChain { get; }
        /// <summary>The final name the records belong to (the last CNAME target, or the query name).</summary>
        public string CanonicalName => CnameChain.Count > 0 ? CnameChain[CnameChain.Count - 1] : QueryName;
        /// <summary>Where the answer came from: "server 127.0.0.1:53", "zone file contoso.com", "cache".</summary>
        public string? Source { get; }
        public string? ErrorMessage { get; }
        public bool Authoritative { get; }
        public bool UsedTcp { get; }

        /// <summary>
        /// For NXDOMAIN and NODATA: how long the answer may be cached, from the SOA record in the authority section
        /// (RFC 2308 §5: the lesser of the SOA's TTL and its MINIMUM field); null when the answer carried no SOA.
        /// </summary>
        public uint? NegativeTimeToLive { get; }

        public bool IsSuccess => Status == DnsLookupStatus.Success;

        public override string ToString() => $"{QueryName} {QueryType}: {Status} ({Records.Count} records)";
    }
}
