using System.IO.Compression;
using System.Text;
using MailAuth.Reports;
using MimeKit;
using Xunit;

namespace MailAuth.Tests.Reports;

/// <summary>Builds reports, archives and messages for the reader tests.</summary>
internal static class ReportSamples
{
    public static string Record(string ip = "192.0.2.1", string count = "3", string disposition = "none", string dkim = "pass", string spf = "fail",
        string auth = "<dkim><domain>contoso.example</domain><selector>s1</selector><result>pass</result></dkim><spf><domain>contoso.example</domain><scope>mfrom</scope><result>fail</result></spf>")
        => $"<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>{disposition}</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row>" +
           $"<identifiers><header_from>contoso.example</header_from><envelope_from>bounce.contoso.example</envelope_from></identifiers><auth_results>{auth}</auth_results></record>";

    public static string Report(string orgName = "Fabrikam", string reportId = "r-1", string policy = "<domain>contoso.example</domain><p>reject</p>", params string[] records)
    {
        if (records.Length == 0) records = new[] { Record() };
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback><version>1.0</version><report_metadata><org_name>" + orgName +
               "</org_name><email>dmarc@fabrikam.example</email><report_id>" + reportId +
               "</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata><policy_published>" + policy +
               "</policy_published>" + string.Concat(records) + "</feedback>\n";
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(data);
            }
        return ms.ToArray();
    }

    public static byte[] Mail(string? mediaType, string? subtype, string? fileName, byte[]? attachment, bool forwarded = false)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("noreply-dmarc@fabrikam.example"));
        message.To.Add(MailboxAddress.Parse("dmarc@contoso.example"));
        message.Subject = "Report domain: contoso.example Submitter: fabrikam.example";
        var body = new BodyBuilder { TextBody = "This is an aggregate report from fabrikam.example." };
        if (attachment != null) body.Attachments.Add(fileName ?? "report", attachment, new ContentType(mediaType!, subtype!));
        message.Body = body.ToMessageBody();
        if (forwarded)
        {
            var outer = new MimeMessage();
            outer.From.Add(MailboxAddress.Parse("admin@contoso.example"));
            outer.To.Add(MailboxAddress.Parse("security@contoso.example"));
            outer.Subject = "Fwd: report";
            var mixed = new Multipart("mixed") { new TextPart("plain") { Text = "see the attached message" }, new MessagePart { Message = message } };
            outer.Body = mixed;
            message = outer;
        }
        var ms = new MemoryStream();
        message.WriteTo(ms);
        return ms.ToArray();
    }

    public static (List<DmarcReportRow> Rows, List<DmarcReportProblem> Problems) Read(byte[] data, DmarcReportReaderOptions? options = null, string name = "test-report")
    {
        var rows = new List<DmarcReportRow>();
        var problems = new List<DmarcReportProblem>();
        foreach (var item in new DmarcReportReader(options).Read(new MemoryStream(data), name))
        {
            Assert.True((item.Row is null) != (item.Problem is null), "an item is a row or a problem");
            if (item.Row != null) rows.Add(item.Row);
            else problems.Add(item.Problem!);
        }
        return (rows, problems);
    }

    public static List<DmarcReportProblem> Errors(this List<DmarcReportProblem> problems) => problems.Where(p => p.IsError).ToList();
    public static List<DmarcReportProblem> Warnings(this List<DmarcReportProblem> problems) => problems.Where(p => !p.IsError).ToList();
}
