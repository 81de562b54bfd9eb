namespace MailAuth.Dns
{
    /// <summary>How a lookup ended. SPF needs these apart: None/void lookups (NxDomain, NoData) versus TempError (ServerFailure, Timeout).</summary>
    public enum DnsLookupStatus
    {
        /// <summary>NOERROR with at least one record of the asked type.</summary>
        Success,
        /// <summary>NOERROR, the name exists, but it has no record of the asked type (NODATA).</summary>
        NoData,
        /// <summary>NXDOMAIN: the name does not exist.</summary>
        NxDomain,
        /// <summary>SERVFAIL from the server.</summary>
        ServerFailure,
        /// <summary>REFUSED from the server.</summary>
        Refused,
        /// <summary>No answer within the configured time and retries.</summary>
        Timeout,
        /// <summary>Offline mode: the name is outside every loaded zone file and no server was given.</summary>
        NotAvailableOffline,
        /// <summary>Any other failure (FORMERR, NOTIMP, malformed answer, network error).</summary>
        Error,
    }

    public static class DnsLookupStatusExtensions
    {
        /// <summary>True for outcomes that say nothing about the data (SPF temperror, RFC 7208 §4.4).</summary>
        public static bool IsTransientFailure(this DnsLookupStatus status) =>
            status == DnsLookupStatus.ServerFailure || status == DnsLookupStatus.Refused ||
            status == DnsLookupStatus.Timeout || status == DnsLookupStatus.Error ||
            status == DnsLookupStatus.NotAvailableOffline;

        /// <summary>True when the name has no data of the asked type (NXDOMAIN or NODATA): an SPF "void lookup".</summary>
        public static bool IsVoid(this DnsLookupStatus status) =>
            status == DnsLookupStatus.NxDomain || status == DnsLookupStatus.NoData;
    }
}
