using System;
using System.IO;
using System.Security;
using System.Text;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Zone
{
    /// <summary>
    /// Reads DNS master files (RFC 1035 §5) as BIND, Knot, Cloudflare and Windows DNS Server export them.
    /// <para>
    /// Supported: <c>$ORIGIN</c>, <c>$TTL</c> (RFC 2308 §4), <c>$INCLUDE</c> (followed relative to the including file by
    /// <see cref="ParseFile"/>; reported as a warning by <see cref="Parse"/>), <c>@</c>, relative and absolute names,
    /// a blank owner meaning the previous owner, TTL (decimal or BIND units such as <c>1h30m</c>) and class in either
    /// order, parentheses spanning lines, <c>;</c> comments, quoted character-strings with <c>\"</c>, <c>\\</c> and
    /// <c>\DDD</c> escapes, unquoted TXT words, CR LF line ends and a UTF-8 byte-order mark, and RFC 3597 unknown
    /// types (<c>TYPE123</c>, <c>\# len hex</c>).
    /// </para>
    /// <para>
    /// Modelled types: A, AAAA, CNAME, NS, PTR, MX (including the null MX "0 .", RFC 7505), TXT and SPF (type 99) as
    /// lists of character-strings, SOA and CAA as normalised presentation data; every other type is kept as raw data
    /// (<see cref="DnsResourceRecord.CreateOther"/>). Only class IN is kept.
    /// </para>
    /// <para>
    /// The origin, for relative names before any <c>$ORIGIN</c>: the <c>origin</c> argument; else the owner of the first
    /// SOA record when written fully qualified; else a domain taken from the file name (<c>contoso.com.dns</c>,
    /// <c>contoso.com.zone</c>, <c>contoso.com.db</c>, <c>db.contoso.com</c>). The zone's apex
    /// (<see cref="DnsZone.Origin"/>) is the argument, else the SOA owner, else the first <c>$ORIGIN</c>, else the
    /// file-name guess. Records outside the apex are dropped with a warning, as BIND does.
    /// </para>
    /// <para>
    /// Two departures for real exports: an SOA owner written without its trailing dot (Cloudflare writes
    /// <c>contoso.com 3600 IN SOA ...</c> without <c>$ORIGIN</c>) is read as the zone name when it equals the origin or
    /// no origin is known; and any other relative name that already ends with the origin
    /// (<c>mail._domainkey.contoso.com</c> under <c>contoso.com.</c>) keeps its RFC 1035 meaning (the doubled name a
    /// server would publish) but gets a warning about the missing dot.
    /// </para>
    /// <para>Never throws, whatever the input: every broken entry becomes a <see cref="ZoneFileDiagnostic"/> and
    /// reading goes on with the next entry.</para>
    /// </summary>
    public static class ZoneFileParser
    {
        /// <summary>How deep <c>$INCLUDE</c> may nest.</summary>
        public const int MaxIncludeDepth = 8;

        /// <summary>Parses master-file text.</summary>
        /// <param name="text">The file content (a leading byte-order mark is ignored).</param>
        /// <param name="origin">The zone apex, e.g. "contoso.com"; null to take it from the file.</param>
        /// <param name="sourceName">A file name or path used in diagnostics and to guess the origin; not read.</param>
        public static ZoneFileParseResult Parse(string text, string? origin = null, string? sourceName = null) =>
            new ZoneFileReader(origin, sourceName, null).Read(text ?? string.Empty);

        /// <summary>
        /// Reads and parses a zone file. I/O problems (missing file, no access) are returned as an error diagnostic
        /// with an empty zone, not thrown. UTF-8 (with or without BOM) and UTF-16 with BOM are read.
        /// </summary>
        public static ZoneFileParseResult ParseFile(string path, string? origin = null)
        {
            string? full = null;
            try
            {
                full = Path.GetFullPath(path);
                var text = ReadText(full);
                return new ZoneFileReader(origin, full, Path.GetDirectoryName(full)).Read(text);
            }
            catch (Exception ex) when (IsIoException(ex))
            {
                var reader = new ZoneFileReader(origin, full ?? path, null);
                return reader.Failed($"The file cannot be read: {ex.Message}");
            }
        }

        /// <summary>
        /// Guesses a zone name from a zone file's name, as BIND and Windows DNS Server name them:
        /// <c>contoso.com.dns</c>, <c>contoso.com.zone</c>, <c>contoso.com.db</c>, <c>db.contoso.com</c>.
        /// Returns null when the name does not look like one of these or the rest is not a domain name with a dot.
        /// </summary>
        public static string? InferOriginFromFileName(string? path)
        {
            if (string.IsNullOrWhiteSpace(path)) return null;
            // Both separators, whatever the platform: a Windows path can reach us on Linux and the reverse.
            var trimmed = path!.Trim();
            var name = trimmed.Substring(Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf('\\')) + 1);
            var lower = name.ToLowerInvariant();
            string? candidate = null;
            if (lower.StartsWith("db.", StringComparison.Ordinal)) candidate = lower.Substring(3);
            else
            {
                foreach (var suffix in new[] { ".dns", ".zone", ".db" })
                {
                    if (lower.EndsWith(suffix, StringComparison.Ordinal)) { candidate = lower.Substring(0, lower.Length - suffix.Length); break; }
                }
            }
            if (candidate is null || candidate.IndexOf('.') < 0) return null;
            return DnsName.TryNormalizeDomain(candidate, out var normalized, out _) ? normalized : null;
        }

        internal static string ReadText(string fullPath)
        {
            var bytes = File.ReadAllBytes(fullPath);
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) return new UnicodeEncoding(false, false, false).GetString(bytes, 2, bytes.Length - 2);
            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) return new UnicodeEncoding(true, false, false).GetString(bytes, 2, bytes.Length - 2);
            int skip = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return new UTF8Encoding(false, false).GetString(bytes, skip, bytes.Length - skip);
        }

        internal static bool IsIoException(Exception ex) =>
            ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException ||
            ex is SecurityException;

        internal static ZoneFileDiagnostic Diagnostic(FindingSeverity severity, int line, string message, string? text, string? source) =>
            new ZoneFileDiagnostic(severity, line, message, text, source);
    }
}
