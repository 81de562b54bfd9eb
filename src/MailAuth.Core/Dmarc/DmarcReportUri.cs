using System;
using System.Text.RegularExpressions;
using MailAuth.Dns;

namespace MailAuth.Dmarc
{
    /// <summary>
    /// One report destination of rua= or ruf= (RFC 9989, "DMARC URIs": a URI of RFC 3986 in which commas and
    /// exclamation points are percent-encoded). RFC 7489 §6.2 allowed a size limit after '!' ("mailto:a@b.example!10m");
    /// RFC 9989 removed it, so it is kept in <see cref="SizeLimit"/> and flagged.
    /// </summary>
    public sealed class DmarcReportUri
    {
        private static readonly Regex SchemeRegex = new Regex(@"^[A-Za-z][A-Za-z0-9+.\-]*:", RegexOptions.CultureInvariant);
        private static readonly Regex SizeRegex = new Regex(@"!([0-9]+[kmgtKMGT]?)$", RegexOptions.CultureInvariant);
        private static readonly Regex LocalPartRegex = new Regex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+$", RegexOptions.CultureInvariant);

        private DmarcReportUri(string text) { Text = text; }

        /// <summary>The URI as written in the record.</summary>
        public string Text { get; }
        /// <summary>The scheme in lower case ("mailto", "https"), or null when there is none.</summary>
        public string? Scheme { get; private set; }
        /// <summary>For mailto: the address (local-part@domain, percent-decoded, domain in lower case A-labels).</summary>
        public string? Address { get; private set; }
        /// <summary>The destination host: the domain of a mailto address, or the host of another URI.</summary>
        public string? Host { get; private set; }
        /// <summary>The obsolete RFC 7489 size limit ("10m") after '!', or null.</summary>
        public string? SizeLimit { get; private set; }
        /// <summary>True when the URI can be used (mailto with a valid address, or another absolute URI with a host).</summary>
        public bool IsValid { get; private set; }
        /// <summary>True for mailto, the one scheme every receiver must support.</summary>
        public bool IsMailto => Scheme == "mailto";
        /// <summary>Why the URI cannot be used, or null.</summary>
        public string? Problem { get; private set; }

        /// <summary>Parses one URI of a rua/ruf list. Never throws.</summary>
        public static DmarcReportUri Parse(string? text)
        {
            var raw = text ?? string.Empty;
            var r = new DmarcReportUri(raw);
            var t = raw.Trim();
            var size = SizeRegex.Match(t);
            if (size.Success)
            {
                r.SizeLimit = size.Groups[1].Value;
                t = t.Substring(0, size.Index);
            }
            if (t.Length == 0) { r.Problem = "The URI is empty."; return r; }
            if (!SchemeRegex.IsMatch(t))
            {
                r.Problem = t.IndexOf('@') > 0
                    ? $"'{t}' has no scheme: write it as mailto:{t}."
                    : $"'{t}' is not a URI (it has no scheme such as mailto:).";
                return r;
            }
            int colon = t.IndexOf(':');
            r.Scheme = t.Substring(0, colon).ToLowerInvariant();
            var rest = t.Substring(colon + 1);
            foreach (var c in t)
            {
                if (c <= ' ' || c > '~')
                {
                    r.Problem = $"'{t}' contains {(c == ' ' ? "a space" : $"the character U+{(int)c:X4}")}; a URI has none (percent-encode it).";
                    return r;
                }
                if (c == '!')
                {
                    r.Problem = $"'{t}' contains '!'; RFC 9989 requires it to be percent-encoded (%21).";
                    return r;
                }
            }
            if (r.Scheme == "mailto") ParseMailto(r, rest);
            else ParseOther(r, t);
            return r;
        }

        private static void ParseMailto(DmarcReportUri r, string rest)
        {
            int q = rest.IndexOf('?');
            var addr = q >= 0 ? rest.Substring(0, q) : rest;
            string decoded;
            try { decoded = Uri.UnescapeDataString(addr); }
            catch (Exception ex) when (ex is UriFormatException || ex is ArgumentException) { r.Problem = $"'{r.Text.Trim()}' has a bad percent-encoding."; return; }
            int at = decoded.LastIndexOf('@');
            if (at <= 0 || at == decoded.Length - 1)
            {
                r.Problem = $"'{r.Text.Trim()}' has no address of the form name@domain after mailto:.";
                return;
            }
            var local = decoded.Substring(0, at);
            var domain = decoded.Substring(at + 1);
            if (!LocalPartRegex.IsMatch(local) || local.StartsWith(".", StringComparison.Ordinal) || local.EndsWith(".", StringComparison.Ordinal) || local.Contains(".."))
            {
                r.Problem = $"'{local}' is not a valid local part of an e-mail address.";
                return;
            }
            if (!DnsName.TryNormalizeDomain(domain, out var host, out var reason) || host.IndexOf('.') < 0)
            {
                r.Problem = reason ?? $"'{domain}' is not a fully qualified domain name.";
                return;
            }
            r.Host = host;
            r.Address = local + "@" + host;
            r.IsValid = true;
        }

        private static void ParseOther(DmarcReportUri r, string t)
        {
            if (!Uri.TryCreate(t, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                r.Problem = $"'{t}' is not an absolute URI with a host.";
                return;
            }
            r.Host = DnsName.Normalize(uri.IdnHost);
            r.IsValid = true;
        }

        /// <summary>Turns a plain address into a mailto: URI (percent-encoding '!' and ','); URIs are returned unchanged.</summary>
        public static string ToUri(string addressOrUri)
        {
            var t = (addressOrUri ?? string.Empty).Trim();
            if (SchemeRegex.IsMatch(t)) return t;
            return "mailto:" + t.Replace("!", "%21").Replace(",", "%2C");
        }

        public override string ToString() => Text;
    }
}
