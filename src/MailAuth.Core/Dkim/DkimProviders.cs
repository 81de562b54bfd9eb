using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dns;

namespace MailAuth.Dkim
{
    /// <summary>A mail service and the DKIM selectors it is known to use (see ../shared/notes/dkim-selectors.md).</summary>
    public sealed class DkimProvider
    {
        internal DkimProvider(string name, string[] selectors, string[] cnameSuffixes, string[] mxSuffixes, string[] spfIncludeSuffixes)
        {
            Name = name;
            Selectors = selectors;
            CnameSuffixes = cnameSuffixes;
            MxSuffixes = mxSuffixes;
            SpfIncludeSuffixes = spfIncludeSuffixes;
        }

        public string Name { get; }
        /// <summary>The selectors the service publishes keys under (empty when they are random, e.g. Amazon SES).</summary>
        public IReadOnlyList<string> Selectors { get; }
        /// <summary>Domains the service's DKIM CNAME targets lie under.</summary>
        public IReadOnlyList<string> CnameSuffixes { get; }
        /// <summary>Domains the service's MX hosts lie under.</summary>
        public IReadOnlyList<string> MxSuffixes { get; }
        /// <summary>Domains of the SPF includes the service asks customers to publish.</summary>
        public IReadOnlyList<string> SpfIncludeSuffixes { get; }

        public override string ToString() => Name;
    }

    /// <summary>
    /// Known mail services: which selectors they use, and how to recognise them from a DKIM CNAME target, an MX host or
    /// an SPF include. Matching is by domain suffix (the name itself or a name under it).
    /// </summary>
    public static class DkimProviders
    {
        /// <summary>The services MailAuth recognises.</summary>
        public static IReadOnlyList<DkimProvider> All { get; } = new[]
        {
            new DkimProvider("Microsoft 365", new[] { "selector1", "selector2" },
                new[] { "onmicrosoft.com", "dkim.mail.microsoft" }, new[] { "mail.protection.outlook.com", "mx.microsoft" }, new[] { "spf.protection.outlook.com" }),
            new DkimProvider("Google Workspace", new[] { "google" },
                Array.Empty<string>(), new[] { "google.com", "googlemail.com" }, new[] { "_spf.google.com" }),
            new DkimProvider("SendGrid", new[] { "s1", "s2" }, new[] { "sendgrid.net" }, Array.Empty<string>(), new[] { "sendgrid.net" }),
            new DkimProvider("Mailchimp", new[] { "k1", "k2", "k3", "mandrill" },
                new[] { "mcsv.net", "mandrillapp.com" }, Array.Empty<string>(), new[] { "servers.mcsv.net", "spf.mandrillapp.com" }),
            new DkimProvider("Amazon SES", Array.Empty<string>(), new[] { "amazonses.com" }, new[] { "amazonaws.com", "amazonses.com" }, new[] { "amazonses.com" }),
            new DkimProvider("Fastmail", new[] { "fm1", "fm2", "fm3" }, new[] { "fmhosted.com" }, new[] { "messagingengine.com" }, new[] { "spf.messagingengine.com" }),
            new DkimProvider("Proton Mail", new[] { "protonmail", "protonmail2", "protonmail3" }, new[] { "proton.ch" }, new[] { "protonmail.ch" }, new[] { "_spf.protonmail.ch" }),
            new DkimProvider("Mailgun", new[] { "pdk1", "pdk2", "mx", "smtp", "k1" }, new[] { "mailgun.org" }, new[] { "mailgun.org" }, new[] { "mailgun.org" }),
            new DkimProvider("Zoho", new[] { "zmail", "zoho" }, Array.Empty<string>(), new[] { "zoho.com", "zoho.eu", "zohomail.com" }, new[] { "zoho.com", "zoho.eu", "zohomail.com" }),
            new DkimProvider("HubSpot", Array.Empty<string>(), new[] { "hubspotemail.net" }, Array.Empty<string>(), new[] { "hubspotemail.net" }),
            new DkimProvider("Zendesk", new[] { "zendesk1", "zendesk2" }, new[] { "zendesk.com" }, Array.Empty<string>(), new[] { "mail.zendesk.com" }),
            new DkimProvider("Everlytic", new[] { "everlytickey1", "everlytickey2" }, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>()),
        };

        /// <summary>Common selectors beyond the providers' own (hosting panels, mail servers, habits).</summary>
        public static IReadOnlyList<string> CommonSelectors { get; } = new[]
        {
            "default", "mail", "dkim", "key1", "key2", "sig1", "smtp", "email", "mx", "k2", "mxvault", "s1", "s2", "selector", "dkim1", "dkim2",
        };

        /// <summary>Every selector discovery tries: the common list plus every provider's selectors, without duplicates.</summary>
        public static IReadOnlyList<string> DiscoverySelectors { get; } =
            All.SelectMany(p => p.Selectors).Concat(CommonSelectors).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

        /// <summary>The service whose DKIM CNAME targets lie under the domain of <paramref name="target"/>, or null.</summary>
        public static DkimProvider? FromCnameTarget(string? target) => Match(target, p => p.CnameSuffixes);

        /// <summary>The service an MX host belongs to, or null.</summary>
        public static DkimProvider? FromMxHost(string? host) => Match(host, p => p.MxSuffixes);

        /// <summary>The service an SPF include (or redirect) domain belongs to, or null.</summary>
        public static DkimProvider? FromSpfInclude(string? domain) => Match(domain, p => p.SpfIncludeSuffixes);

        private static DkimProvider? Match(string? name, Func<DkimProvider, IReadOnlyList<string>> suffixes)
        {
            if (string.IsNullOrEmpty(name)) return null;
            var n = DnsName.Normalize(name);
            foreach (var p in All)
                foreach (var s in suffixes(p))
                    if (DnsName.IsSubdomainOf(n, s)) return p;
            return null;
        }
    }
}
