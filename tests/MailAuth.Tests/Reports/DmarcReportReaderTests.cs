using System.Text;
using MailAuth.Reports;
using Xunit;
using static MailAuth.Tests.Reports.ReportSamples;

namespace MailAuth.Tests.Reports;

/// <summary>The report reader on built reports: fields, both schemas, containers, recovery and errors.</summary>
public class DmarcReportReaderTests
{
    [Fact]
    public void ReadsEveryFieldOfARecord()
    {
        var xml = Report(policy: "<domain>Contoso.Example</domain><adkim>s</adkim><aspf>r</aspf><p>Reject</p><sp>quarantine</sp><pct>50</pct><fo>1</fo>",
            records: Record(ip: "2001:DB8::1", count: "42", disposition: "Quarantine", dkim: "FAIL", spf: "Pass",
                auth: "<dkim><domain>Contoso.Example</domain><selector>S1</selector><result>PASS</result><human_result>ok</human_result></dkim>" +
                      "<dkim><domain>esp.example</domain><selector>k2</selector><result>fail</result></dkim>" +
                      "<spf><domain>bounce.contoso.example</domain><scope>MFROM</scope><result>SoftFail</result></spf>" +
                      "<spf><domain>mx.contoso.example</domain><scope>helo</scope><result>pass</result></spf>"));
        var (rows, problems) = Read(Utf8(xml));
        Assert.Empty(problems);
        var r = Assert.Single(rows);
        Assert.Equal("test-report", r.Path);
        Assert.Null(r.Entry);
        Assert.Equal("Fabrikam", r.OrgName);
        Assert.Equal("dmarc@fabrikam.example", r.Email);
        Assert.Equal("r-1", r.ReportId);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc), r.BeginDate);
        Assert.Equal(DateTimeKind.Utc, r.BeginDate!.Value.Kind);
        Assert.Equal(new DateTime(2023, 11, 15, 22, 13, 19, DateTimeKind.Utc), r.EndDate);
        Assert.Equal("contoso.example", r.PolicyDomain);
        Assert.Equal(("s", "r", "reject", "quarantine", 50, "1"), (r.PolicyAdkim, r.PolicyAspf, r.PolicyP, r.PolicySp, r.PolicyPct, r.PolicyFo));
        Assert.Null(r.PolicyNp);
        Assert.Equal("2001:db8::1", r.SourceIp);
        Assert.Equal(42, r.Count);
        Assert.Equal(("quarantine", "fail", "pass"), (r.Disposition, r.EvaluatedDkim, r.EvaluatedSpf));
        Assert.Equal(("contoso.example", "bounce.contoso.example", null), (r.HeaderFrom, r.EnvelopeFrom, r.EnvelopeTo));
        Assert.Equal(("contoso.example", "S1", "pass"), (r.DkimDomain, r.DkimSelector, r.DkimResult));
        Assert.Equal(("bounce.contoso.example", "mfrom", "softfail"), (r.SpfDomain, r.SpfScope, r.SpfResult));
        Assert.Equal(new[] { "contoso.example", "esp.example" }, r.DkimResults.Select(d => d.Domain));
        Assert.Equal("ok", r.DkimResults[0].HumanResult);
        Assert.Equal(new[] { "softfail", "pass" }, r.SpfResults.Select(s => s.Result));
        Assert.Equal("contoso.example/S1=pass; esp.example/k2=fail", r.DkimResults.ToString());
        Assert.Equal(1, r.RecordNumber);
        Assert.Equal(DmarcReportSchema.Rfc7489, r.ReportSchema);
        Assert.Equal("1.0", r.ReportVersion);
    }

    [Fact]
    public void ReadsRfc9990WithAPrefixAndItsNewFields()
    {
        var xml = "<d:feedback xmlns:d=\"urn:ietf:params:xml:ns:dmarc-2.0\"><d:report_metadata><d:org_name>Fabrikam</d:org_name><d:report_id>x</d:report_id>" +
                  "<d:generator>gen 1.0</d:generator><d:error>one</d:error><d:error>two</d:error></d:report_metadata>" +
                  "<d:policy_published><d:domain>contoso.example</d:domain><d:p>quarantine</d:p><d:np>reject</d:np><d:t>y</d:t><d:psd>n</d:psd>" +
                  "<d:discovery_method>PSL</d:discovery_method></d:policy_published>" +
                  "<d:record><d:row><d:source_ip>192.0.2.9</d:source_ip><d:count>1</d:count><d:policy_evaluated><d:disposition>none</d:disposition>" +
                  "<d:dkim>fail</d:dkim><d:spf>fail</d:spf><d:reason><d:type>policy_test_mode</d:type><d:comment>t=y</d:comment></d:reason></d:policy_evaluated></d:row>" +
                  "<d:identifiers><d:envelope_to>Fabrikam.Example.</d:envelope_to><d:envelope_from>contoso.example</d:envelope_from><d:header_from>contoso.example</d:header_from></d:identifiers>" +
                  "<d:auth_results><d:spf><d:domain>contoso.example</d:domain><d:scope>mfrom</d:scope><d:result>temperror</d:result></d:spf></d:auth_results></d:record></d:feedback>";
        var (rows, problems) = Read(Utf8(xml));
        Assert.Empty(problems);
        var r = Assert.Single(rows);
        Assert.Equal(DmarcReportSchema.Rfc9990, r.ReportSchema);
        Assert.Equal(("reject", "y", "n", "psl"), (r.PolicyNp, r.PolicyTesting, r.PolicyPsd, r.PolicyDiscoveryMethod));
        Assert.Equal("gen 1.0", r.Generator);
        Assert.Equal(new[] { "one", "two" }, r.ReportErrors);
        Assert.Equal("policy_test_mode", r.OverrideReason);
        Assert.Equal("t=y", r.OverrideReasons[0].Comment);
        Assert.Equal("fabrikam.example", r.EnvelopeTo);
        Assert.Null(r.DkimDomain);
        Assert.Empty(r.DkimResults);
        Assert.Equal("temperror", r.SpfResult);
    }

    [Fact]
    public void TellsTheSchemaByTheDefaultNamespace()
    {
        var xml = Report().Replace("<feedback>", "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">");
        Assert.Equal(DmarcReportSchema.Rfc9990, Assert.Single(Read(Utf8(xml)).Rows).ReportSchema);
        xml = Report().Replace("<feedback>", "<feedback xmlns=\"http://dmarc.org/dmarc-xml/0.1\">");
        Assert.Equal(DmarcReportSchema.Rfc7489, Assert.Single(Read(Utf8(xml)).Rows).ReportSchema);
    }

    [Fact]
    public void StreamsManyRecordsInOrderSharingTheReportFields()
    {
        var records = Enumerable.Range(1, 500).Select(i => Record(ip: $"198.51.100.{i % 250}", count: i.ToString())).ToArray();
        var (rows, problems) = Read(Utf8(Report(records: records)));
        Assert.Empty(problems);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long?)i), rows.Select(r => r.Count));
        Assert.Equal(Enumerable.Range(1, 500), rows.Select(r => r.RecordNumber));
        Assert.All(rows, r => Assert.Equal("Fabrikam", r.OrgName));
    }

    [Fact]
    public void ReadsGzipZipAndMailAndNamesTheEntry()
    {
        var xml = Utf8(Report());
        Assert.Single(Read(Gzip(xml)).Rows);
        var zipped = Read(Zip(("fabrikam.example!contoso.example!1!2.xml", xml)));
        Assert.Equal("fabrikam.example!contoso.example!1!2.xml", Assert.Single(zipped.Rows).Entry);
        foreach (var (type, sub, file, data) in new[]
                 {
                     ("application", "zip", "r.zip", Zip(("r.xml", xml))),
                     ("application", "gzip", "r.xml.gz", Gzip(xml)),
                     ("application", "x-gzip", "r.xml.gz", Gzip(xml)),
                     ("text", "xml", "r.xml", xml),
                     ("application", "octet-stream", "noname", Gzip(xml)),
                 })
        {
            var (rows, problems) = Read(Mail(type, sub, file, data));
            Assert.Empty(problems.Errors());
            Assert.StartsWith(file, Assert.Single(rows).Entry);
        }
        var forwarded = Read(Mail("application", "gzip", "r.xml.gz", Gzip(xml), forwarded: true));
        Assert.Single(forwarded.Rows);
    }

    [Fact]
    public void AZipMemberThatIsNotAReportIsSkippedWithAWarning()
    {
        var (rows, problems) = Read(Zip(("README.txt", Utf8("hello")), ("r.xml", Utf8(Report())), ("empty.xml", Array.Empty<byte>())));
        Assert.Single(rows);
        Assert.Empty(problems.Errors());
        Assert.Equal(new[] { "README.txt", "empty.xml" }, problems.Warnings().Select(p => p.Entry));
    }

    [Fact]
    public void NotAReport()
    {
        foreach (var data in new[]
                 {
                     Utf8("just some text"),
                     new byte[] { 0, 1, 2, 3, 255, 254, 7 },
                     Utf8("<html><body>hello</body></html>"),
                     Zip(("a.txt", Utf8("no report here"))),
                     Mail(null, null, null, null),
                     Mail("application", "pdf", "invoice.pdf", Utf8("%PDF-1.4")),
                 })
        {
            var (rows, problems) = Read(data);
            Assert.Empty(rows);
            Assert.Equal(DmarcReportProblemReason.NotAReport, Assert.Single(problems.Errors()).Reason);
        }
    }

    [Fact]
    public void EmptyAndBlank()
    {
        foreach (var data in new[] { Array.Empty<byte>(), Utf8("  \r\n\t "), new byte[] { 0xEF, 0xBB, 0xBF }, Gzip(Array.Empty<byte>()) })
        {
            var (rows, problems) = Read(data);
            Assert.Empty(rows);
            var e = Assert.Single(problems);
            Assert.True(e.IsError);
            Assert.Equal(DmarcReportProblemReason.Empty, e.Reason);
            Assert.Equal("test-report", e.Path);
        }
    }

    [Fact]
    public void InvalidXmlAfterSomeRecordsKeepsThemAndSaysWhere()
    {
        var xml = Report(records: new[] { Record(count: "1"), Record(count: "2") });
        var cut = xml.Substring(0, xml.IndexOf("</feedback>", StringComparison.Ordinal)) + "<record><row><source_ip>1.2.3.4</so";
        var (rows, problems) = Read(Utf8(cut));
        Assert.Equal(2, rows.Count);
        var e = Assert.Single(problems.Errors());
        Assert.Equal(DmarcReportProblemReason.InvalidXml, e.Reason);
        Assert.Equal(2, e.RecordsRead);
        Assert.NotNull(e.LineNumber);
        Assert.Contains("2 record(s) were read before it", e.Message);
    }

    [Fact]
    public void ADtdIsRefusedAndNothingIsFetched()
    {
        var marker = Path.Combine(Path.GetTempPath(), "mailauth-xxe-" + Guid.NewGuid().ToString("n"));
        File.WriteAllText(marker, "SECRET");
        try
        {
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file://{marker}\">]>" +
                      Report(orgName: "&x;").Substring("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".Length);
            var (rows, problems) = Read(Utf8(xml));
            Assert.Empty(rows);
            var e = Assert.Single(problems.Errors());
            Assert.Equal(DmarcReportProblemReason.InvalidXml, e.Reason);
            Assert.Contains("DTD", e.Message);
            Assert.DoesNotContain("SECRET", e.Message);
        }
        finally { File.Delete(marker); }
    }

    [Fact]
    public void RecoversUnescapedAmpersandsControlCharactersAndBadBytes()
    {
        var xml = Report(orgName: "AT&T Mail & more &amp; &#38; &#x26;\u0001", reportId: "id&lt;1&gt;");
        var bytes = Utf8(xml).ToList();
        var email = Encoding.ASCII.GetBytes("dmarc@");
        int e = Utf8(xml).AsSpan().IndexOf(email);
        bytes.Insert(e, 0xFF);
        var (rows, problems) = Read(bytes.ToArray());
        Assert.Empty(problems.Errors());
        var r = Assert.Single(rows);
        Assert.Equal("AT&T Mail & more & & &", r.OrgName);
        Assert.Equal("id<1>", r.ReportId);
        Assert.Equal("\uFFFDdmarc@fabrikam.example", r.Email);
        var warnings = problems.Warnings().Select(p => p.Message).ToList();
        Assert.Contains(warnings, w => w.Contains("2 unescaped '&'"));
        Assert.Contains(warnings, w => w.Contains("1 character(s) not allowed in XML"));
        Assert.Contains(warnings, w => w.Contains("1 byte sequence(s) invalid in utf-8"));
    }

    [Fact]
    public void HonoursTheDeclaredEncodingAndUtf16()
    {
        var xml = Report(orgName: "Société Générale").Replace("UTF-8", "ISO-8859-1");
        var (rows, problems) = Read(Encoding.Latin1.GetBytes(xml));
        Assert.Empty(problems);
        Assert.Equal("Société Générale", Assert.Single(rows).OrgName);

        var utf16 = Report(orgName: "Ünïcødé").Replace("UTF-8", "UTF-16");
        Assert.Equal("Ünïcødé", Assert.Single(Read(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(utf16)).ToArray()).Rows).OrgName);
        Assert.Equal("Ünïcødé", Assert.Single(Read(Encoding.BigEndianUnicode.GetBytes(utf16)).Rows).OrgName);
    }

    [Fact]
    public void StrayWrappersAndTrailingGarbageAreTolerated()
    {
        var inner = Report().Substring("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".Length);
        var wrapped = "<?xml version=\"1.0\"?><xs:schema><junk>1</junk>" + inner + "</xs:schema> trailing <<< garbage";
        var (rows, problems) = Read(Utf8(wrapped));
        Assert.Empty(problems);
        Assert.Single(rows);
    }

    [Fact]
    public void BadValuesAreLeftEmptyWithOneWarningEach()
    {
        var xml = Report(policy: "<domain>contoso.example</domain><pct>all</pct>",
            records: new[] { Record(ip: "not-an-ip", count: "many"), Record(count: "-1"), Record(count: "7") })
            .Replace("<begin>1700000000</begin>", "<begin>yesterday</begin>");
        var (rows, problems) = Read(Utf8(xml));
        Assert.Empty(problems.Errors());
        Assert.Equal(new long?[] { null, null, 7 }, rows.Select(r => r.Count));
        Assert.Equal("not-an-ip", rows[0].SourceIp);
        Assert.Null(rows[0].BeginDate);
        Assert.Null(rows[0].PolicyPct);
        var warnings = problems.Warnings().Select(p => p.Message).ToList();
        Assert.Contains("a count that is not a whole number was left empty (2 times)", warnings);
        Assert.Contains(warnings, w => w.StartsWith("a source_ip", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("a date_range begin", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("a pct", StringComparison.Ordinal));
    }

    [Fact]
    public void LongValuesAreCut()
    {
        var (rows, problems) = Read(Utf8(Report(orgName: new string('x', 10000))));
        Assert.Equal(4096, Assert.Single(rows).OrgName!.Length);
        Assert.Contains(problems.Warnings(), p => p.Message.Contains("longer than 4096"));
    }

    [Fact]
    public void AReportWithoutRecordsIsAWarning()
    {
        var xml = Report().Replace(Record(), "");
        var (rows, problems) = Read(Utf8(xml));
        Assert.Empty(rows);
        Assert.Equal("the report has no record", Assert.Single(problems.Warnings()).Message);
    }

    [Fact]
    public void CorruptArchives()
    {
        var zip = Zip(("r.xml", Utf8(Report(records: Enumerable.Range(0, 50).Select(i => Record(count: i.ToString())).ToArray()))));
        var truncatedZip = zip.Take(zip.Length / 2).ToArray();
        var (rows, problems) = Read(truncatedZip);
        Assert.Empty(rows);
        Assert.Equal(DmarcReportProblemReason.CorruptArchive, Assert.Single(problems.Errors()).Reason);

        var gz = Gzip(Utf8(Report(records: Enumerable.Range(0, 200).Select(i => Record(ip: $"10.0.{i}.1", count: i.ToString())).ToArray())));
        var damaged = (byte[])gz.Clone();
        for (int i = 40; i < damaged.Length - 20; i += 7) damaged[i] ^= 0x5A;
        (rows, problems) = Read(damaged);
        var e = Assert.Single(problems.Errors());
        Assert.Contains(e.Reason, new[] { DmarcReportProblemReason.CorruptArchive, DmarcReportProblemReason.InvalidXml });
        Assert.True(rows.Count < 200);

        var truncatedGz = gz.Take(gz.Length / 2).ToArray();
        (rows, problems) = Read(truncatedGz);
        Assert.True(rows.Count < 200);
        Assert.Contains(Assert.Single(problems.Errors()).Reason, new[] { DmarcReportProblemReason.CorruptArchive, DmarcReportProblemReason.InvalidXml });
    }

    [Fact]
    public void CancellationIsTheOnlyException()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new DmarcReportReader().Read(new MemoryStream(Utf8(Report())), "r", cts.Token).ToList());
    }

    [Fact]
    public void AMissingFileIsUnreadable()
    {
        var missing = Path.Combine(Path.GetTempPath(), "mailauth-missing-" + Guid.NewGuid().ToString("n") + ".xml");
        var p = Assert.Single(new DmarcReportReader().ReadFile(missing)).Problem!;
        Assert.Equal(DmarcReportProblemReason.Unreadable, p.Reason);
        Assert.Equal(missing, p.Path);
        Assert.True(p.IsError);
    }
}
