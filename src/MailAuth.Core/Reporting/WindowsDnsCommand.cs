using System;
using System.Globalization;
using System.Linq;
using MailAuth.Publishing;

namespace MailAuth.Reporting
{
    /// <summary>The Windows DNS Server (DnsServer module) command that publishes a <see cref="PublishableRecord"/>.</summary>
    public static class WindowsDnsCommand
    {
        /// <summary>
        /// Add-DnsServerResourceRecord -Txt for TXT (several character-strings joined with CR LF, one per line, as the
        /// DnsServer documentation describes), Add-DnsServerResourceRecordCName for CNAME, Add-DnsServerResourceRecordMX
        /// for MX. Every value is a single-quoted PowerShell string, so nothing in it is expanded.
        /// </summary>
        public static string For(PublishableRecord record)
        {
            if (record is null) throw new ArgumentNullException(nameof(record));
            var ttl = "-TimeToLive " + Quote(record.TimeToLive.ToString("c", CultureInfo.InvariantCulture));
            var head = $"-ZoneName {Quote(record.ZoneName)} -Name {Quote(record.Name)}";
            switch (record.RecordType)
            {
                case "CNAME":
                    return $"Add-DnsServerResourceRecordCName {head} -HostNameAlias {Quote(record.HostNameAlias ?? string.Empty)} {ttl}";
                case "MX":
                    return $"Add-DnsServerResourceRecordMX {head} -MailExchange {Quote(record.MailExchange ?? ".")} -Preference {record.Preference ?? 0} {ttl}";
                default:
                    var text = record.Strings.Count <= 1
                        ? Quote(record.Value)
                        : "(" + string.Join(", ", record.Strings.Select(Quote)) + " -join \"`r`n\")";
                    return $"Add-DnsServerResourceRecord {head} -Txt -DescriptiveText {text} {ttl}";
            }
        }

        /// <summary>A PowerShell single-quoted string (quotes doubled; typographic single quotes too, which PowerShell treats alike).</summary>
        public static string Quote(string value)
        {
            var sb = new System.Text.StringBuilder("'");
            foreach (var c in value ?? string.Empty)
            {
                sb.Append(c);
                if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') sb.Append(c);
            }
            return sb.Append('\'').ToString();
        }
    }
}
