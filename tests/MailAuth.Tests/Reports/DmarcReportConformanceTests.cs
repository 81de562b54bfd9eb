using MailAuth.Reports;
using Xunit;

namespace MailAuth.Tests.Reports;

/// <summary>
/// Every fact ../shared/conformance/dmarc/reports/README.md states about the parsedmarc report samples: record and message
/// counts, reporter, report id, policy fields and record values, and the error the empty file gives.
/// </summary>
public class DmarcReportConformanceTests
{
    private static string? Folder => TestPaths.ConformanceRoot is null ? null : Path.Combine(TestPaths.ConformanceRoot, "dmarc", "reports");

    private static (List<DmarcReportRow> Rows, List<DmarcReportProblem> Problems) Import(params string[] relative)
    {
        var reader = new DmarcReportReader();
        var rows = new List<DmarcReportRow>();
        var problems = new List<DmarcReportProblem>();
        foreach (var r in relative)
            foreach (var item in reader.ReadFile(Path.Combine(Folder!, r)))
            {
                if (item.Row != null) rows.Add(item.Row);
                else problems.Add(item.Problem!);
            }
        return (rows, problems);
    }

    private static string Aggregate(string startsWith)
    {
        var match = Directory.GetFiles(Path.Combine(Folder!, "aggregate")).Single(f => Path.GetFileName(f).StartsWith(startsWith, StringComparison.Ordinal));
        return Path.Combine("aggregate", Path.GetFileName(match));
    }

    private static void AssertNoErrors(List<DmarcReportProblem> problems) => Assert.DoesNotContain(problems, p => p.IsError);

    [SkippableFact]
    public void ExampleNetXml()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import("aggregate/example.net!example.com!1529366400!1529452799.xml");
        AssertNoErrors(problems);
        var row = Assert.Single(rows);
        Assert.Equal(1, row.Count);
        Assert.Equal("example.net", row.OrgName);
        Assert.Equal("b043f0e264cf4ea995e93765242f6dfb", row.ReportId);
        Assert.Equal("example.com", row.PolicyDomain);
    }

    [SkippableFact]
    public void FastmailGzip()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import(Aggregate("fastmail.com!"));
        AssertNoErrors(problems);
        var row = Assert.Single(rows);
        Assert.Equal(1, row.Count);
        Assert.Equal("FastMail Pty Ltd", row.OrgName);
        Assert.Equal("102675056", row.ReportId);
        Assert.Equal("indemed.com", row.PolicyDomain);
    }

    [SkippableFact]
    public void ZipFromXyzCorporation()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import(Aggregate("estadocuenta1.infonacot.gob.mx!"));
        AssertNoErrors(problems);
        var row = Assert.Single(rows);
        Assert.Equal(1, row.Count);
        Assert.Equal("XYZ Corporation", row.OrgName);
        Assert.Equal("2940", row.ReportId);
        Assert.NotNull(row.Entry);
    }

    [SkippableFact]
    public void ReportAttachedToAnEmail()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import(Aggregate("Report domain- borschow.com"));
        AssertNoErrors(problems);
        var row = Assert.Single(rows);
        Assert.Equal(1, row.Count);
        Assert.Equal("google.com", row.OrgName);
        Assert.Equal("borschow.com", row.PolicyDomain);
        Assert.EndsWith(".xml", row.Entry);
    }

    [SkippableFact]
    public void Rfc9990Sample()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import("aggregate/rfc9990-sample.xml");
        AssertNoErrors(problems);
        var row = Assert.Single(rows);
        Assert.Equal(DmarcReportSchema.Rfc9990, row.ReportSchema);
        Assert.Equal("Sample Reporter", row.OrgName);
        Assert.Equal("3v98abbp8ya9n3va8yr8oa3ya", row.ReportId);
        Assert.Equal("quarantine", row.PolicyP);
        Assert.Equal("none", row.PolicySp);
        Assert.Equal("none", row.PolicyNp);
        Assert.Equal("n", row.PolicyTesting);
        Assert.Equal("treewalk", row.PolicyDiscoveryMethod);
        Assert.Equal("192.0.2.123", row.SourceIp);
        Assert.Equal(123, row.Count);
        Assert.Equal("pass", row.Disposition);
        Assert.Equal("pass", row.EvaluatedDkim);
        Assert.Equal("pass", row.DkimResult);
        Assert.Equal("abc123", row.DkimSelector);
        Assert.Equal("fail", row.EvaluatedSpf);
        Assert.Equal("fail", row.SpfResult);
    }

    [SkippableFact]
    public void OldDraftFromTheWiki()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import("aggregate/old_draft_from_wiki.xml");
        AssertNoErrors(problems);
        var row = Assert.Single(rows);
        Assert.Equal(2, row.Count);
        Assert.Equal("acme.com", row.OrgName);
    }

    [SkippableFact]
    public void EmptyOverrideReason()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import("aggregate/empty_reason.xml");
        AssertNoErrors(problems);
        var row = Assert.Single(rows);
        Assert.Equal(2, row.Count);
        Assert.Empty(row.OverrideReasons);
        Assert.Null(row.OverrideReason);
    }

    [SkippableFact]
    public void UpperCasedResultsReadAsPass()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import("aggregate/report_with_upper_cased_pass.xml");
        AssertNoErrors(problems);
        var row = Assert.Single(rows);
        Assert.Equal("pass", row.EvaluatedDkim);
        Assert.Equal("pass", row.EvaluatedSpf);
        Assert.Equal("pass", row.DkimResult);
        Assert.Equal("pass", row.SpfResult);
        Assert.Equal("none", row.Disposition);
    }

    [SkippableFact]
    public void EmptyFileIsAnErrorNamingItAndTheImportGoesOn()
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import("aggregate/old_draft_from_wiki.xml", "aggregate/empty.xml", "aggregate/rfc9990-sample.xml");
        var error = Assert.Single(problems, p => p.IsError);
        Assert.Equal(DmarcReportProblemReason.Empty, error.Reason);
        Assert.EndsWith("empty.xml", error.Path);
        Assert.Contains("empty.xml", error.ToString());
        Assert.Equal(new[] { "acme.com", "Sample Reporter" }, rows.Select(r => r.OrgName));
    }

    [SkippableTheory]
    [InlineData("extract_report/nice-input.xml")]
    [InlineData("extract_report/nice-input.xml.gz")]
    [InlineData("extract_report/nice-input.xml.zip")]
    public void NiceInputThreeWays(string file)
    {
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var (rows, problems) = Import(file);
        AssertNoErrors(problems);
        Assert.Equal(20, rows.Count);
        Assert.Equal(3047, rows.Sum(r => r.Count));
        Assert.All(rows, r => Assert.Equal("google.com", r.OrgName));
        Assert.All(rows, r => Assert.Equal("11038226378739404135", r.ReportId));
        Assert.Equal(Enumerable.Range(1, 20), rows.Select(r => r.RecordNumber));
    }

    [SkippableFact]
    public void EverySampleIsReadWhateverItsFileName()
    {
        // The format is told by content: each sample copied under a misleading name still imports the same.
        Skip.If(Folder is null, TestPaths.ConformanceMissing);
        var temp = Directory.CreateTempSubdirectory("mailauth-reports-");
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Folder!, "aggregate")).Concat(Directory.GetFiles(Path.Combine(Folder!, "extract_report"))))
            {
                var expected = new DmarcReportReader().ReadFile(file).ToList();
                var copy = Path.Combine(temp.FullName, "renamed.txt");
                File.Copy(file, copy, overwrite: true);
                var actual = new DmarcReportReader().ReadFile(copy).ToList();
                Assert.Equal(expected.Count(i => i.Row != null), actual.Count(i => i.Row != null));
                Assert.Equal(expected.Where(i => i.Row != null).Select(i => (i.Row!.ReportId, i.Row.SourceIp, i.Row.Count)),
                             actual.Where(i => i.Row != null).Select(i => (i.Row!.ReportId, i.Row.SourceIp, i.Row.Count)));
                Assert.Equal(expected.Where(i => i.Problem != null).Select(i => i.Problem!.Reason), actual.Where(i => i.Problem != null).Select(i => i.Problem!.Reason));
            }
        }
        finally { temp.Delete(recursive: true); }
    }
}
