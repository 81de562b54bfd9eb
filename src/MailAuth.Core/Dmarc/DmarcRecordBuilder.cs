using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dns;
using MailAuth.Publishing;

namespace MailAuth.Dmarc
{
    /// <summary>What a DMARC record should say (New-DmarcRecord's parameters).</summary>
    public sealed class DmarcRecordSpec
    {
        public DmarcPolicy Policy { get; init; }
        public DmarcPolicy? SubdomainPolicy { get; init; }
        public DmarcPolicy? NonExistentSubdomainPolicy { get; init; }
        /// <summary>Addresses (plain or mailto:) or URIs for aggregate reports (rua=).</summary>
        public IReadOnlyList<string> AggregateReportAddresses { get; init; } = Array.Empty<string>();
        /// <summary>Addresses (plain or mailto:) or URIs for failure reports (ruf=).</summary>
        public IReadOnlyList<string> FailureReportAddresses { get; init; } = Array.Empty<string>();
        public DmarcAlignmentMode DkimAlignment { get; init; }
        public DmarcAlignmentMode SpfAlignment { get; init; }
        /// <summary>fo= options: "0", "1", "d", "s" (joined with ':').</summary>
        public IReadOnlyList<string> FailureReportOptions { get; init; } = Array.Empty<string>();
        /// <summary>t=y.</summary>
        public bool Testing { get; init; }
    }

    /// <summary>A DMARC record cannot be built from the values given.</summary>
    public sealed class DmarcBuildException : Exception
    {
        public DmarcBuildException(string errorId, string message, string? term = null) : base(message)
        {
            ErrorId = errorId;
            Term = term;
        }

        /// <summary>Stable id: InvalidReportAddress, InvalidFailureReportOptions, InvalidZoneName.</summary>
        public string ErrorId { get; }
        public string? Term { get; }
    }

    /// <summary>
    /// Builds DMARC record text in RFC 9989 form (v=DMARC1 first, then p, sp, np, t, adkim, aspf, rua, ruf, fo; defaults
    /// left out) and, for report destinations outside the record's organisational domain, the authorisation records
    /// those destinations must publish (RFC 7489 §7.1; RFC 9990).
    /// </summary>
    public static class DmarcRecordBuilder
    {
        /// <summary>Builds the record text. Throws <see cref="DmarcBuildException"/> for unusable input.</summary>
        public static string Build(DmarcRecordSpec spec)
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            var parts = new List<string> { "v=DMARC1", "p=" + Lower(spec.Policy) };
            if (spec.SubdomainPolicy.HasValue) parts.Add("sp=" + Lower(spec.SubdomainPolicy.Value));
            if (spec.NonExistentSubdomainPolicy.HasValue) parts.Add("np=" + Lower(spec.NonExistentSubdomainPolicy.Value));
            if (spec.Testing) parts.Add("t=y");
            if (spec.DkimAlignment == DmarcAlignmentMode.Strict) parts.Add("adkim=s");
            if (spec.SpfAlignment == DmarcAlignmentMode.Strict) parts.Add("aspf=s");
            var rua = Uris(spec.AggregateReportAddresses);
            var ruf = Uris(spec.FailureReportAddresses);
            if (rua.Count > 0) parts.Add("rua=" + string.Join(",", rua));
            if (ruf.Count > 0) parts.Add("ruf=" + string.Join(",", ruf));
            var fo = spec.FailureReportOptions.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().ToLowerInvariant()).Distinct().ToList();
            foreach (var o in fo)
                if (o != "0" && o != "1" && o != "d" && o != "s")
                    throw new DmarcBuildException("InvalidFailureReportOptions", $"'{o}' is not a failure reporting option: use 0, 1, d or s.", o);
            if (fo.Count > 0 && !(fo.Count == 1 && fo[0] == "0")) parts.Add("fo=" + string.Join(":", fo));
            return string.Join("; ", parts);
        }

        /// <summary>
        /// The _report._dmarc records the destinations outside <paramref name="recordDomain"/>'s organisational domain
        /// (by the Public Suffix List) must publish: one per destination host, in the destination's organisational
        /// domain's zone, value "v=DMARC1;".
        /// </summary>
        public static IReadOnlyList<PublishableRecord> AuthorizationRecords(string recordDomain, string recordText, TimeSpan timeToLive, PublicSuffixList? psl = null)
        {
            psl ??= PublicSuffixList.Bundled;
            var domain = DnsName.Normalize(recordDomain);
            var org = psl.GetOrganizationalDomain(domain);
            var parsed = DmarcRecord.Parse(recordText);
            var result = new List<PublishableRecord>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var uri in parsed.AggregateReportUris.Concat(parsed.FailureReportUris))
            {
                if (!uri.IsValid || uri.Host is null || DnsName.IsSubdomainOf(uri.Host, org)) continue;
                var destOrg = psl.GetOrganizationalDomain(uri.Host);
                if (destOrg == org || !seen.Add(uri.Host)) continue;
                result.Add(PublishableRecord.CreateTxt(destOrg, domain + "._report._dmarc." + uri.Host, "v=DMARC1;", timeToLive));
            }
            return result;
        }

        private static List<string> Uris(IReadOnlyList<string> addresses)
        {
            var list = new List<string>();
            foreach (var a in addresses)
            {
                if (string.IsNullOrWhiteSpace(a)) continue;
                var uri = DmarcReportUri.ToUri(a);
                var parsed = DmarcReportUri.Parse(uri);
                if (!parsed.IsValid || parsed.SizeLimit != null)
                    throw new DmarcBuildException("InvalidReportAddress", $"'{a}' is not a usable report address: {parsed.Problem ?? "the !size suffix is obsolete."}", a);
                if (!list.Contains(uri, StringComparer.OrdinalIgnoreCase)) list.Add(uri);
            }
            return list;
        }

        private static string Lower(DmarcPolicy p) => p.ToString().ToLowerInvariant();
    }
}
