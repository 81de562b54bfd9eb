using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using MailAuth.Findings;
using MailAuth.Migration;
using MailAuth.Publishing;
using MailAuth.Reporting;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Export-MailAuthReport: writes pipeline results (audits, SPF/DKIM/DMARC reports, migration rows, bounces) to one self-contained HTML file.</summary>
    [Cmdlet(VerbsData.Export, "MailAuthReport", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportMailAuthReportCommand : MailAuthCmdletBase
    {
        private readonly List<ReportItem> _items = new List<ReportItem>();
        private readonly List<MailAuthRecordComparison> _comparisons = new List<MailAuthRecordComparison>();
        private readonly List<int> _comparisonSlots = new List<int>();

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            if (InputObject.BaseObject is IEnumerable sequence && !(InputObject.BaseObject is string))
            {
                foreach (var element in sequence) Add(element is null ? null : PSObject.AsPSObject(element));
            }
            else Add(InputObject);
        }

        private void Add(PSObject? value)
        {
            if (value is null) return;
            var baseObject = value.BaseObject;
            if (baseObject is MailAuthRecordComparison row)
            {
                // Rows of one domain become one item, placed where the domain's first row came.
                if (!_comparisons.Any(c => c.Domain == row.Domain)) _comparisonSlots.Add(_items.Count);
                _comparisons.Add(row);
                return;
            }
            var item = ReportItem.From(baseObject) ?? FromGeneric(value);
            if (item is null)
            {
                WriteMailAuthError("NotAReportObject", ErrorCategory.InvalidType, value,
                    $"A {baseObject.GetType().Name} has no Domain (or DomainName, Name, ZoneName) property; it is left out of the report.");
                return;
            }
            _items.Add(item);
        }

        /// <summary>Any object with a domain, a status and findings (Finding objects or objects with Id, Severity and Message).</summary>
        private static ReportItem? FromGeneric(PSObject value)
        {
            var domain = Text(value, "Domain", "DomainName", "ZoneName", "Name");
            if (string.IsNullOrWhiteSpace(domain)) return null;
            var status = Text(value, "Status", "State", "Result");
            var findings = new List<Finding>();
            var raw = Property(value, "Findings");
            if (raw is IEnumerable list && !(raw is string))
            {
                foreach (var f in list)
                {
                    if (f is null) continue;
                    var p = PSObject.AsPSObject(f);
                    if (p.BaseObject is Finding finding) { findings.Add(finding); continue; }
                    var message = Text(p, "Message", "Description");
                    if (message is null) continue;
                    findings.Add(new Finding(Text(p, "Id") ?? "Finding", ParseSeverity(Text(p, "Severity", "Level")), Text(p, "Area") ?? "",
                        message, Text(p, "Remediation"), Text(p, "Reference"), Text(p, "Term"),
                        Property(p, "SuggestedRecord") is PublishableRecord r ? r : null));
                }
            }
            var records = new List<PublishableRecord>();
            if (Property(value, "RecordToPublish", "SuggestedRecord", "Record") is PublishableRecord single) records.Add(single);
            var tree = Property(value, "Tree", "SpfTree") as Spf.SpfTreeNode;
            var kind = value.BaseObject is PSCustomObject ? "Result" : value.BaseObject.GetType().Name;
            return ReportItem.Create(domain!, status, findings, kind, records, tree);
        }

        private static object? Property(PSObject value, params string[] names)
        {
            foreach (var name in names)
            {
                var p = value.Properties[name];
                if (p is null) continue;
                object? v;
                try { v = p.Value; }
                catch (GetValueException) { continue; }
                if (v is PSObject pso) v = pso.BaseObject;
                if (v != null) return v;
            }
            return null;
        }

        private static string? Text(PSObject value, params string[] names) => Property(value, names)?.ToString();

        private static FindingSeverity ParseSeverity(string? text)
        {
            var t = (text ?? string.Empty).Trim().ToLowerInvariant();
            if (t.StartsWith("err", StringComparison.Ordinal) || t == "critical" || t == "high" || t == "fail") return FindingSeverity.Error;
            if (t.StartsWith("warn", StringComparison.Ordinal) || t == "medium") return FindingSeverity.Warning;
            return FindingSeverity.Information;
        }

        protected override void EndProcessing()
        {
            var items = new List<ReportItem>(_items);
            var byDomain = _comparisons.GroupBy(c => c.Domain).ToList();
            for (int i = byDomain.Count - 1; i >= 0; i--)
                items.Insert(Math.Min(_comparisonSlots[i], items.Count), ReportItem.FromComparisons(byDomain[i]));

            var path = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(path, $"Write an HTML report of {items.Select(x => x.Domain).Distinct().Count()} domains")) return;
            var html = HtmlReportWriter.Render(items, Title);
            try
            {
                File.WriteAllText(path, html, new UTF8Encoding(false));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                ThrowTerminatingError(new ErrorRecord(new MailAuthException($"Cannot write '{path}': {ex.Message}", ex), "ReportNotWritten", ErrorCategory.WriteError, path));
            }
            WriteVerbose($"Wrote {path}: {items.Count} results, {html.Length} characters.");
            if (PassThru) WriteObject(new FileInfo(path));
        }
    }
}
