namespace MailAuth.Dns
{
    /// <summary>The resource record types MailAuth queries (RFC 1035 §3.2.2 and later RFCs).</summary>
    public enum DnsRecordType : ushort
    {
        A = 1,
        NS = 2,
        CNAME = 5,
        SOA = 6,
        PTR = 12,
        MX = 15,
        TXT = 16,
        AAAA = 28,
        /// <summary>The obsolete SPF record type (RFC 4408; removed by RFC 7208 §3.1).</summary>
        SPF = 99,
        CAA = 257,
    }
}
