using System;
using MailAuth.Dns;

namespace MailAuth.Dkim
{
    /// <summary>
    /// Identifier alignment between a DKIM signing domain (d=) and the From domain (RFC 7489 §3.1.1; RFC 9989,
    /// "DKIM-Authenticated Identifiers"). Relaxed alignment compares organisational domains; by default they come
    /// from the Public Suffix List bundled with MailAuth (<see cref="Dmarc.PublicSuffixList.Bundled"/>, the legacy
    /// RFC 7489 §3.2 method). The DNS tree walk of RFC 9989 needs DNS queries and is done by the DMARC discovery;
    /// pass its result through <see cref="DkimVerificationOptions.OrganizationalDomain"/> to use it instead.
    /// </summary>
    public static class DkimAlignment
    {
        /// <summary>
        /// The organisational domain by the Public Suffix List (RFC 7489 §3.2): the registrable domain, or the name
        /// itself when it is a public suffix.
        /// </summary>
        public static string OrganizationalDomain(string domain) =>
            Dmarc.PublicSuffixList.Bundled.GetOrganizationalDomain(DnsName.Normalize(domain));

        /// <summary>True when the two domains are equal (strict alignment).</summary>
        public static bool IsStrictlyAligned(string? signingDomain, string? fromDomain) =>
            !string.IsNullOrEmpty(signingDomain) && !string.IsNullOrEmpty(fromDomain) && DnsName.AreEqual(signingDomain, fromDomain);

        /// <summary>True when the two domains have the same organisational domain (relaxed alignment).</summary>
        public static bool IsRelaxedAligned(string? signingDomain, string? fromDomain, Func<string, string>? organizationalDomain = null)
        {
            if (string.IsNullOrEmpty(signingDomain) || string.IsNullOrEmpty(fromDomain)) return false;
            var org = organizationalDomain ?? OrganizationalDomain;
            return DnsName.AreEqual(org(DnsName.Normalize(signingDomain)), org(DnsName.Normalize(fromDomain)));
        }
    }
}
