using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Text;
using MailAuth.Dns;

namespace MailAuth.PowerShell
{
    /// <summary>
    /// Reads records shaped like Get-DnsServerResourceRecord's output (HostName, RecordType, RecordData.DescriptiveText):
    /// the parameter set "WindowsDnsRecord" of Get-SpfRecord, Get-DkimRecord and Get-DmarcRecord.
    /// </summary>
    internal static class WindowsDnsRecordInput
    {
        public const string ParameterSet = "WindowsDnsRecord";

        /// <summary>
        /// The owner name (fully qualified) and the TXT text of a record; false with a reason for other types or
        /// records without text. Windows DNS Server's DescriptiveText holds one character-string per line (CR LF),
        /// so the lines are joined with nothing between them, as a resolver joins the strings (RFC 7208 §3.3).
        /// </summary>
        public static bool TryRead(PSObject? recordData, string? hostName, string? recordType, string zone,
            out string owner, out string text, out string? reason)
        {
            owner = OwnerName(hostName, zone);
            text = string.Empty;
            reason = null;
            if (!string.IsNullOrEmpty(recordType) && !string.Equals(recordType!.Trim(), "TXT", StringComparison.OrdinalIgnoreCase))
            {
                reason = $"{owner}: a {recordType} record, not TXT; skipped.";
                return false;
            }
            var value = recordData?.Properties["DescriptiveText"]?.Value;
            if (value is PSObject pso) value = pso.BaseObject;
            string? joined = null;
            if (value is string s) joined = s;
            else if (value is IEnumerable list) joined = string.Concat(list.Cast<object?>().Select(o => o?.ToString() ?? string.Empty));
            else if (value is null && recordData?.BaseObject is string direct) joined = direct;
            if (joined is null)
            {
                reason = $"{owner}: the record has no RecordData.DescriptiveText; skipped.";
                return false;
            }
            var sb = new StringBuilder(joined.Length);
            foreach (var c in joined) if (c != '\r' && c != '\n') sb.Append(c);
            text = sb.ToString();
            return true;
        }

        /// <summary>The one zone name given with -ZoneName, normalised; a terminating error otherwise.</summary>
        public static string ZoneOrThrow(PSCmdlet cmdlet, string[] zones)
        {
            if (zones.Length != 1)
                cmdlet.ThrowTerminatingError(new ErrorRecord(new MailAuthException("With records from Get-DnsServerResourceRecord, give exactly one -ZoneName: the zone they come from."),
                    "OneZoneName", ErrorCategory.InvalidArgument, zones));
            if (!DnsName.TryNormalizeDomain(zones[0], out var zone, out var reason))
                cmdlet.ThrowTerminatingError(new ErrorRecord(new MailAuthException($"-ZoneName: {reason}"), "InvalidZoneName", ErrorCategory.InvalidArgument, zones[0]));
            return zone;
        }

        /// <summary>"@", "" or the zone itself: the apex; a name ending in '.': absolute; otherwise relative to the zone.</summary>
        public static string OwnerName(string? hostName, string zone)
        {
            var h = (hostName ?? string.Empty).Trim();
            var z = DnsName.Normalize(zone);
            if (h.Length == 0 || h == "@" || h == ".") return z;
            if (h.EndsWith(".", StringComparison.Ordinal)) return DnsName.Normalize(h);
            var n = DnsName.Normalize(h);
            if (n == z || n.EndsWith("." + z, StringComparison.Ordinal)) return n;
            return z.Length == 0 ? n : n + "." + z;
        }
    }
}
