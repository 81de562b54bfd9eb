using System.IO.Compression;
using System.Text;
using MailAuth.Reports;
using Xunit;
using static MailAuth.Tests.Reports.ReportSamples;

namespace MailAuth.Tests.Reports;

/// <summary>
/// Compression bombs built in the test (small compressed, huge expanded), zip entry and nesting caps: each stops with a
/// TooLarge or TooManyEntries error instead of expanding.
/// </summary>
public class DmarcReportSafetyTests
{
    private const int MiB = 1024 * 1024;

    /// <summary>Writes a report-shaped document of about <paramref name="bytes"/> bytes: a feedback element padded with comments.</summary>
    private static void WriteBomb(Stream target, long bytes)
    {
        var head = Encoding.ASCII.GetBytes("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>bomb</org_name></report_metadata>");
        target.Write(head);
        var pad = Encoding.ASCII.GetBytes("<!--" + new string('x', 64 * 1024 - 7) + "-->");
        for (long written = head.Length; written < bytes; written += pad.Length) target.Write(pad);
        target.Write(Encoding.ASCII.GetBytes("</feedback>"));
    }

    private static byte[] GzipBomb(long expanded)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) WriteBomb(gz, expanded);
        return ms.ToArray();
    }

    private static byte[] ZipBomb(long expandedPerEntry, int entries, string prefix = "bomb")
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            for (int i = 0; i < entries; i++)
            {
                using var s = zip.CreateEntry($"{prefix}{i}.xml", CompressionLevel.Optimal).Open();
                WriteBomb(s, expandedPerEntry);
            }
        return ms.ToArray();
    }

    private static DmarcReportProblem SingleError(List<DmarcReportProblem> problems) => Assert.Single(problems, p => p.IsError);

    [Fact]
    public void AGzipBombStopsAtTheCap()
    {
        long expanded = 64L * MiB;
        var bomb = GzipBomb(expanded);
        Assert.True(bomb.Length * 200L < expanded, $"the bomb is {bomb.Length} bytes compressed");
        var (rows, problems) = Read(bomb, new DmarcReportReaderOptions { MaxDecompressedBytes = 4 * MiB });
        Assert.Empty(rows);
        var e = SingleError(problems);
        Assert.Equal(DmarcReportProblemReason.TooLarge, e.Reason);
        Assert.Contains("4,194,304", e.Message);
    }

    [Fact]
    public void TheSameContentUnderTheCapImports()
    {
        var (rows, problems) = Read(GzipBomb(2 * MiB), new DmarcReportReaderOptions { MaxDecompressedBytes = 4 * MiB });
        Assert.Empty(rows);
        Assert.Empty(problems.Errors());
        Assert.Equal("the report has no record", Assert.Single(problems.Warnings()).Message);
    }

    [Fact]
    public void AGzipBombStopsAtTheDefaultCapOf256MiB()
    {
        Assert.Equal(256L * MiB, new DmarcReportReaderOptions().MaxDecompressedBytes);
        long expanded = 320L * MiB;
        var bomb = GzipBomb(expanded);
        Assert.True(bomb.Length * 500L < expanded, $"the bomb is {bomb.Length} bytes compressed");
        var (rows, problems) = Read(bomb);
        Assert.Empty(rows);
        Assert.Equal(DmarcReportProblemReason.TooLarge, SingleError(problems).Reason);
    }

    [Fact]
    public void AZipBombStopsAtTheCap()
    {
        long expanded = 64L * MiB;
        var bomb = ZipBomb(expanded, 1);
        Assert.True(bomb.Length * 200L < expanded, $"the bomb is {bomb.Length} bytes compressed");
        var (rows, problems) = Read(bomb, new DmarcReportReaderOptions { MaxDecompressedBytes = 4 * MiB });
        Assert.Empty(rows);
        var e = SingleError(problems);
        Assert.Equal(DmarcReportProblemReason.TooLarge, e.Reason);
    }

    [Fact]
    public void TheCapCountsEveryEntryOfAZipTogether()
    {
        // Ten entries of under 1 MiB each fit a 4 MiB cap one by one but not together: the reading stops at the fifth.
        var bomb = ZipBomb(900 * 1024, 10);
        var (rows, problems) = Read(bomb, new DmarcReportReaderOptions { MaxDecompressedBytes = 4 * MiB });
        Assert.Empty(rows);
        var e = SingleError(problems);
        Assert.Equal(DmarcReportProblemReason.TooLarge, e.Reason);
        Assert.Equal("bomb4.xml", e.Entry);
        Assert.Equal(4, problems.Count(p => p.Message == "the report has no record"));
    }

    [Fact]
    public void ANestedZipBombStopsAtTheCap()
    {
        // 42.zip in small: a zip of zips, each inner zip expanding to 8 MiB.
        var inner = ZipBomb(2 * MiB, 4, "inner");
        var outer = Zip(Enumerable.Range(0, 8).Select(i => ($"layer{i}.zip", inner)).ToArray());
        var (rows, problems) = Read(outer, new DmarcReportReaderOptions { MaxDecompressedBytes = 16 * MiB });
        Assert.Empty(rows);
        Assert.Equal(DmarcReportProblemReason.TooLarge, SingleError(problems).Reason);
    }

    [Fact]
    public void AnAttachedBombStopsAtTheCap()
    {
        var (rows, problems) = Read(Mail("application", "gzip", "r.xml.gz", GzipBomb(64L * MiB)), new DmarcReportReaderOptions { MaxDecompressedBytes = 4 * MiB });
        Assert.Empty(rows);
        Assert.Equal(DmarcReportProblemReason.TooLarge, SingleError(problems).Reason);
    }

    [Fact]
    public void AZipWithTooManyEntriesIsRefused()
    {
        var many = Zip(Enumerable.Range(0, 1001).Select(i => ($"e{i}.xml", Array.Empty<byte>())).ToArray());
        var (rows, problems) = Read(many);
        Assert.Empty(rows);
        var e = SingleError(problems);
        Assert.Equal(DmarcReportProblemReason.TooManyEntries, e.Reason);
        Assert.Contains("1,001", e.Message);

        var six = Zip(Enumerable.Range(0, 6).Select(i => ($"e{i}.xml", Utf8(Report()))).ToArray());
        Assert.Equal(DmarcReportProblemReason.TooManyEntries, SingleError(Read(six, new DmarcReportReaderOptions { MaxArchiveEntries = 5 }).Problems).Reason);
        Assert.Equal(6, Read(six, new DmarcReportReaderOptions { MaxArchiveEntries = 6 }).Rows.Count);
    }

    [Fact]
    public void ArchivesNestAtMostFourLevels()
    {
        var data = Utf8(Report());
        for (int i = 0; i < DmarcReportReader.MaxNesting; i++) data = Gzip(data);
        Assert.Single(Read(data).Rows);
        var (rows, problems) = Read(Gzip(data));
        Assert.Empty(rows);
        Assert.Equal(DmarcReportProblemReason.TooManyEntries, SingleError(problems).Reason);
    }

    [Fact]
    public void AHugeSingleValueIsRefusedBeforeItIsHeldInMemory()
    {
        var xml = "<feedback><report_metadata><org_name>" + new string('a', XmlRepairReader.MaxRun + 10) + "</org_name></report_metadata></feedback>";
        var (rows, problems) = Read(Utf8(xml));
        Assert.Empty(rows);
        Assert.Equal(DmarcReportProblemReason.TooLarge, SingleError(problems).Reason);
    }
}
