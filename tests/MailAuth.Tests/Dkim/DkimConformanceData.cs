using System.Text;
using MailAuth.Dns;
using MailAuth.Publishing;
using MailAuth.Zone;

namespace MailAuth.Tests.Dkim;

/// <summary>Reads ../shared/conformance/dkim and serves its DNS records through a <see cref="ZoneFileResolver"/>.</summary>
internal static class DkimConformanceData
{
    /// <summary>The dkim folder, or null when the shared conformance data is absent.</summary>
    public static string? Root => TestPaths.ConformanceRoot is string c ? Path.Combine(c, "dkim") : null;

    public static string PathOf(string relative) => Path.Combine(Root!, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative)).Trim();

    /// <summary>Reads a dns.txt file: "name&lt;TAB&gt;TXT value" per line.</summary>
    public static IEnumerable<(string Name, string Value)> DnsFile(string relative) =>
        File.ReadAllLines(PathOf(relative)).Where(l => l.Contains('\t')).Select(l =>
        {
            var tab = l.IndexOf('\t');
            return (l.Substring(0, tab), l.Substring(tab + 1));
        });

    /// <summary>A resolver over one root zone holding the given TXT records (each split into 255-octet strings).</summary>
    public static ZoneFileResolver Resolver(IEnumerable<(string Name, string Value)> txt, IEnumerable<DnsResourceRecord>? extra = null)
    {
        var records = txt.Select(t => DnsResourceRecord.CreateText(t.Name, DnsRecordType.TXT, PublishableRecord.SplitCharacterStrings(t.Value), 300)).ToList();
        if (extra != null) records.AddRange(extra);
        return new ZoneFileResolver(new[] { new DnsZone("", records, "test data") });
    }
}
