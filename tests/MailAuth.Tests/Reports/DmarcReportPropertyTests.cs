using CsCheck;
using MailAuth.Reports;
using Xunit;
using static MailAuth.Tests.Reports.ReportSamples;

namespace MailAuth.Tests.Reports;

/// <summary>Random bytes and mutated reports (plain, gzip, zip, e-mail, and the conformance samples) never throw out of the reader.</summary>
public class DmarcReportPropertyTests
{
    private static void AssertWellBehaved(byte[] data)
    {
        var items = new DmarcReportReader(new DmarcReportReaderOptions { MaxDecompressedBytes = 8 * 1024 * 1024 })
            .Read(new MemoryStream(data), "fuzz").ToList();
        Assert.NotEmpty(items);
        foreach (var i in items)
        {
            Assert.True((i.Row is null) != (i.Problem is null));
            if (i.Problem != null) Assert.False(string.IsNullOrWhiteSpace(i.Problem.Message));
            if (i.Row != null) Assert.Equal("fuzz", i.Row.Path);
        }
    }

    private static byte[][] Corpus()
    {
        var xml = Utf8(Report(records: new[] { Record(), Record(ip: "2001:db8::5", count: "9", disposition: "reject") })
            .Replace("<org_name>Fabrikam", "<org_name>AT&T <![CDATA[x&y]]><!-- c -->"));
        var list = new List<byte[]>
        {
            xml, Gzip(xml), Zip(("r.xml", xml)), Zip(("a.xml.gz", Gzip(xml))),
            Mail("application", "zip", "r.zip", Zip(("r.xml", xml))), Mail("application", "gzip", "r.xml.gz", Gzip(xml)),
            Mail("text", "xml", "r.xml", xml, forwarded: true),
        };
        if (TestPaths.ConformanceRoot is { } root)
            foreach (var f in Directory.GetFiles(Path.Combine(root, "dmarc", "reports"), "*", SearchOption.AllDirectories))
                if (!f.EndsWith(".md", StringComparison.Ordinal)) list.Add(File.ReadAllBytes(f));
        return list.ToArray();
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        Gen.Byte.Array[0, 3000].Sample(AssertWellBehaved, iter: 2000);
        // Random bytes behind each magic number, so the gzip, zip, XML and mail paths all see garbage.
        var magics = new[]
        {
            new byte[] { 0x1F, 0x8B }, new byte[] { 0x50, 0x4B, 3, 4 }, new byte[] { 0x50, 0x4B, 5, 6 }, "<feedback>"u8.ToArray(),
            "From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"u8.ToArray(), new byte[] { 0xFF, 0xFE, (byte)'<', 0 },
        };
        var magic = Gen.Int[0, magics.Length - 1].Select(i => magics[i]);
        Gen.Select(magic, Gen.Byte.Array[0, 2000], (m, rest) => m.Concat(rest).ToArray()).Sample(AssertWellBehaved, iter: 2000);
    }

    [Fact]
    public void MutatedReportsNeverThrow()
    {
        var corpus = Corpus();
        var mutated = Gen.Select(Gen.Int[0, corpus.Length - 1], Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Int[1, 64], Gen.Byte.Array[1, 16],
            (which, op, at, len, bytes) =>
            {
                var s = corpus[which].ToList();
                int i = s.Count == 0 ? 0 : at % s.Count;
                switch (op)
                {
                    case 0: for (int k = 0; k < bytes.Length && i + k < s.Count; k++) s[i + k] ^= bytes[k]; break;
                    case 1: s.InsertRange(i, bytes); break;
                    case 2: s.RemoveRange(i, Math.Min(len, s.Count - i)); break;
                    case 3: s.RemoveRange(i, s.Count - i); break;
                    default: s.InsertRange(i, s.Skip(i).Take(len).ToArray()); break;
                }
                return s.ToArray();
            });
        mutated.Sample(AssertWellBehaved, iter: 3000);
    }
}
