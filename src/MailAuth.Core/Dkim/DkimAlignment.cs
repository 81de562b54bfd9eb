using System;
using System.Collections.Generic;
using MailAuth.Dns;

namespace MailAuth.Dkim
{
    /// <summary>
    /// Identifier alignment between a DKIM signing domain (d=) and the From domain (RFC 7489 §3.1.1).
    /// <para>
    /// The organisational domain here is a stop-gap until the DMARC work brings the Public Suffix List: the last two
    /// labels of the name, or the last three when the name ends in a two-letter country code whose second-level
    /// label is one of the common registry categories (co.uk, com.au, ac.jp, ...). Domains under other multi-label
    /// public suffixes (e.g. city.kawasaki.jp, blogspot.com) are judged wrongly; pass a Public Suffix List function in
    /// <see cref="DkimVerificationOptions.OrganizationalDomain"/> to do better.
    /// </para>
    /// </summary>
    public static class DkimAlignment
    {
        private static readonly HashSet<string> SecondLevelCategories = new HashSet<string>(StringComparer.Ordinal)
        {
            "co", "com", "net", "org", "gov", "edu", "ac", "ne", "or", "go", "gob", "gouv", "govt", "mil", "ltd", "plc", "sch", "nhs",
            "nom", "biz", "info", "res", "gen", "firm", "ind", "int", "mod", "police", "lg", "ad", "ed", "gr", "nic",
        };

        /// <summary>The organisational domain by the simple rule described on the class (not the Public Suffix List).</summary>
        public static string OrganizationalDomain(string domain)
        {
            var n = DnsName.Normalize(domain);
            var labels = n.Split('.');
            if (labels.Length <= 2) return n;
            int keep = 2;
            var tld = labels[labels.Length - 1];
            var second = labels[labels.Length - 2];
            if (tld.Length == 2 && SecondLevelCategories.Contains(second)) keep = 3;
            return string.Join(".", labels, labels.Length - keep, keep);
        }

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
