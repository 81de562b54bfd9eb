using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using MailAuth.Findings;
using MailAuth.Migration;
using MailAuth.Publishing;
using MailAuth.Spf;

namespace MailAuth.Reporting
{
    /// <summary>
    /// Writes one self-contained HTML page (inline CSS and a few lines of inline script for the copy buttons; no
    /// external assets, and a Content-Security-Policy that forbids loading any) from <see cref="ReportItem"/>s: a
    /// summary table with the worst status per domain, findings grouped by severity, each SPF include tree, the
    /// migration comparisons and bounces when there are any, and the records to publish as copyable blocks (zone-file
    /// line and Windows DNS Server command). Every value is HTML-encoded.
    /// </summary>
    public static class HtmlReportWriter
    {
        public const string DefaultTitle = "Mail authentication report";

        private static readonly string[] FactColumns = { "SPF", "DKIM", "DMARC", "MX", "Migration", "Bounce" };

        public static string Render(IEnumerable<ReportItem> items, string? title = null, DateTimeOffset? generatedAt = null)
        {
            if (items is null) throw new ArgumentNullException(nameof(items));
            var list = items.Where(i => i != null).ToList();
            title = string.IsNullOrWhiteSpace(title) ? DefaultTitle : title!.Trim();
            var when = (generatedAt ?? DateTimeOffset.Now).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

            var domains = list.GroupBy(i => i.Domain, StringComparer.Ordinal).Select(g => new DomainGroup(g.Key, g.ToList())).ToList();
            var records = CollectRecords(domains);
            var findings = domains.SelectMany(d => d.Findings.Select(f => (Domain: d.Name, Finding: f))).ToList();

            var sb = new StringBuilder();
            sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
            sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            sb.Append("<meta name=\"generator\" content=\"MailAuth Export-MailAuthReport\">\n");
            sb.Append("<title>").Append(H(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
            sb.Append("<header><h1>").Append(H(title)).Append("</h1>\n<p class=\"meta\">Generated ").Append(H(when)).Append(" by MailAuth &middot; ")
              .Append(domains.Count).Append(domains.Count == 1 ? " domain" : " domains").Append(" &middot; ")
              .Append(findings.Count(f => f.Finding.Severity == FindingSeverity.Error)).Append(" errors &middot; ")
              .Append(findings.Count(f => f.Finding.Severity == FindingSeverity.Warning)).Append(" warnings &middot; ")
              .Append(records.Count).Append(records.Count == 1 ? " record" : " records").Append(" to publish</p>\n");
            sb.Append("<nav><a href=\"#summary\">Summary</a> <a href=\"#findings\">Findings</a>");
            if (domains.Any(d => d.SpfTrees.Count > 0)) sb.Append(" <a href=\"#spf\">SPF include trees</a>");
            if (domains.Any(d => d.Comparisons.Count > 0)) sb.Append(" <a href=\"#migration\">Migration check</a>");
            if (domains.Any(d => d.Bounces.Count > 0)) sb.Append(" <a href=\"#bounces\">Bounces</a>");
            sb.Append(" <a href=\"#records\">Records to publish</a></nav>\n</header>\n<main>\n");

            if (list.Count == 0) sb.Append("<p class=\"empty\">No results were given to the report.</p>\n");
            WriteSummary(sb, domains, records);
            WriteFindings(sb, findings, records);
            WriteSpfTrees(sb, domains);
            WriteComparisons(sb, domains);
            WriteBounces(sb, domains);
            WriteRecords(sb, records);
            sb.Append("</main>\n<footer>MailAuth report. Records are shown as zone-file lines (RFC 1035 §5.1) and as Windows DNS Server commands; review them before publishing.</footer>\n");
            sb.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
            return sb.ToString();
        }

        private sealed class DomainGroup
        {
            public DomainGroup(string name, List<ReportItem> items)
            {
                Name = name;
                Items = items;
                Level = items.Max(i => i.Level);
                // The level word (Ok, Warning, Error, Failed): item statuses differ by kind ("NoKeys", "Differs"...).
                Status = Level == ReportLevel.Unknown ? items[0].Status : Level.ToString();
                Grade = items.Select(i => i.Grade).FirstOrDefault(g => g != null);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                Findings = items.SelectMany(i => i.Findings).Where(f => seen.Add(f.Id + "\u0001" + f.Message)).ToList();
                SpfTrees = items.Where(i => i.SpfTree != null).Select(i => i.SpfTree!).GroupBy(t => t.Domain).Select(g => g.First()).ToList();
                Comparisons = items.SelectMany(i => i.Comparisons).ToList();
                Bounces = items.Where(i => i.Bounce != null).ToList();
            }

            public string Name { get; }
            public List<ReportItem> Items { get; }
            public ReportLevel Level { get; }
            public string Status { get; }
            public string? Grade { get; }
            public List<Finding> Findings { get; }
            public List<SpfTreeNode> SpfTrees { get; }
            public List<MailAuthRecordComparison> Comparisons { get; }
            public List<ReportItem> Bounces { get; }

            /// <summary>The facts of a column joined; more than four (a domain with dozens of selectors) are cut to three and a count.</summary>
            public string Fact(string column)
            {
                var values = Items.SelectMany(i => i.Facts).Where(f => f.Key == column && !string.IsNullOrEmpty(f.Value)).Select(f => f.Value).Distinct().ToList();
                return values.Count <= 4 ? string.Join("; ", values) : string.Join("; ", values.Take(3)) + $"; and {values.Count - 3} more";
            }
        }

        private sealed class RecordEntry
        {
            public RecordEntry(int index, string domain, PublishableRecord record, string why)
            {
                Index = index; Domain = domain; Record = record; Why = why;
            }
            public int Index { get; }
            public string Domain { get; }
            public PublishableRecord Record { get; }
            public string Why { get; }
            public string Anchor => "rec-" + Index.ToString(CultureInfo.InvariantCulture);
        }

        private static List<RecordEntry> CollectRecords(List<DomainGroup> domains)
        {
            var result = new List<RecordEntry>();
            var seen = new Dictionary<string, RecordEntry>(StringComparer.Ordinal);
            foreach (var d in domains)
            {
                var sources = d.Items.SelectMany(i => i.RecordsToPublish.Select(r => (Record: r, Why: WhyFromComparison(i, r))))
                    .Concat(d.Findings.Where(f => f.SuggestedRecord != null).Select(f => (Record: f.SuggestedRecord!, Why: f.Id + ": " + f.Message)));
                foreach (var (record, why) in sources)
                {
                    var key = Key(record);
                    if (seen.ContainsKey(key)) continue;
                    var entry = new RecordEntry(result.Count + 1, d.Name, record, why);
                    seen[key] = entry;
                    result.Add(entry);
                }
            }
            return result;
        }

        private static string WhyFromComparison(ReportItem item, PublishableRecord record)
        {
            var row = item.Comparisons.FirstOrDefault(c => ReferenceEquals(c.RecordToPublish, record));
            return row is null ? "Record to publish." : $"Migration check: {row.State}. {row.Message}";
        }

        private static string Key(PublishableRecord r) => r.ZoneName + "\u0001" + r.Name + "\u0001" + r.RecordType + "\u0001" + r.Value;

        private static void WriteSummary(StringBuilder sb, List<DomainGroup> domains, List<RecordEntry> records)
        {
            sb.Append("<section id=\"summary\">\n<h2>Summary</h2>\n");
            if (domains.Count == 0) { sb.Append("<p class=\"empty\">No domains.</p>\n</section>\n"); return; }
            var columns = FactColumns.Where(c => domains.Any(d => d.Fact(c).Length > 0)).ToList();
            bool grades = domains.Any(d => d.Grade != null);
            sb.Append("<table class=\"summary\">\n<thead><tr><th>Domain</th><th>Status</th>");
            if (grades) sb.Append("<th>Grade</th>");
            foreach (var c in columns) sb.Append("<th>").Append(H(c)).Append("</th>");
            sb.Append("<th class=\"num\">Errors</th><th class=\"num\">Warnings</th><th class=\"num\">Records</th></tr></thead>\n<tbody>\n");
            foreach (var d in domains.OrderByDescending(d => d.Level).ThenBy(d => d.Name, StringComparer.Ordinal))
            {
                sb.Append("<tr class=\"").Append(LevelClass(d.Level)).Append("\"><td class=\"domain\">").Append(H(d.Name)).Append("</td>");
                sb.Append("<td>").Append(Badge(d.Level, d.Status)).Append("</td>");
                if (grades) sb.Append("<td class=\"grade\">").Append(H(d.Grade ?? "")).Append("</td>");
                foreach (var c in columns) sb.Append("<td class=\"fact\">").Append(H(d.Fact(c))).Append("</td>");
                sb.Append("<td class=\"num\">").Append(d.Findings.Count(f => f.Severity == FindingSeverity.Error)).Append("</td>");
                sb.Append("<td class=\"num\">").Append(d.Findings.Count(f => f.Severity == FindingSeverity.Warning)).Append("</td>");
                sb.Append("<td class=\"num\">").Append(records.Count(r => r.Domain == d.Name)).Append("</td></tr>\n");
            }
            sb.Append("</tbody>\n</table>\n</section>\n");
        }

        private static void WriteFindings(StringBuilder sb, List<(string Domain, Finding Finding)> findings, List<RecordEntry> records)
        {
            sb.Append("<section id=\"findings\">\n<h2>Findings</h2>\n");
            if (findings.Count == 0) sb.Append("<p class=\"empty\">No findings.</p>\n");
            foreach (var severity in new[] { FindingSeverity.Error, FindingSeverity.Warning, FindingSeverity.Information })
            {
                var group = findings.Where(f => f.Finding.Severity == severity).ToList();
                if (group.Count == 0) continue;
                var name = severity == FindingSeverity.Error ? "Errors" : severity == FindingSeverity.Warning ? "Warnings" : "Information";
                var cls = severity == FindingSeverity.Error ? "error" : severity == FindingSeverity.Warning ? "warning" : "info";
                sb.Append("<h3 class=\"sev-").Append(cls).Append("\" id=\"findings-").Append(cls).Append("\">").Append(name).Append(" (").Append(group.Count).Append(")</h3>\n");
                sb.Append("<table class=\"findings ").Append(cls).Append("\">\n<thead><tr><th>Domain</th><th>Area</th><th>Finding</th><th>What to do</th><th>Fix</th></tr></thead>\n<tbody>\n");
                foreach (var (domain, f) in group)
                {
                    sb.Append("<tr><td class=\"domain\">").Append(H(domain)).Append("</td><td>").Append(H(f.Area)).Append("</td><td><div class=\"fid\">")
                      .Append(H(f.Id)).Append("</div>").Append(H(f.Message));
                    if (!string.IsNullOrEmpty(f.Term)) sb.Append("<div class=\"term\"><code>").Append(H(f.Term!)).Append("</code></div>");
                    if (!string.IsNullOrEmpty(f.Reference)) sb.Append("<div class=\"ref\">").Append(H(f.Reference!)).Append("</div>");
                    sb.Append("</td><td>").Append(H(f.Remediation ?? "")).Append("</td><td>");
                    if (f.SuggestedRecord != null)
                    {
                        var entry = records.FirstOrDefault(r => Key(r.Record) == Key(f.SuggestedRecord));
                        if (entry != null) sb.Append("<a href=\"#").Append(entry.Anchor).Append("\">record ").Append(entry.Index).Append("</a>");
                    }
                    sb.Append("</td></tr>\n");
                }
                sb.Append("</tbody>\n</table>\n");
            }
            sb.Append("</section>\n");
        }

        private static void WriteSpfTrees(StringBuilder sb, List<DomainGroup> domains)
        {
            var trees = domains.SelectMany(d => d.SpfTrees.Select(t => (Domain: d.Name, Tree: t))).ToList();
            if (trees.Count == 0) return;
            sb.Append("<section id=\"spf\">\n<h2>SPF include trees</h2>\n");
            foreach (var (domain, tree) in trees)
            {
                var total = tree.TotalDnsLookupCount;
                sb.Append("<details open class=\"spf\"><summary><span class=\"domain\">").Append(H(tree.Domain)).Append("</span> &middot; ")
                  .Append(total).Append(total == 1 ? " DNS lookup" : " DNS lookups").Append(total > SpfAnalyzer.LookupLimit ? " <span class=\"badge error\">over the limit of 10</span>" : "")
                  .Append("</summary>\n<ul class=\"tree\">\n");
                WriteNode(sb, tree, 0);
                sb.Append("</ul>\n</details>\n");
            }
            sb.Append("</section>\n");
        }

        private static void WriteNode(StringBuilder sb, SpfTreeNode node, int depth)
        {
            sb.Append("<li><span class=\"via\">").Append(H(node.Via)).Append("</span> <span class=\"node\">").Append(H(node.Domain)).Append("</span>");
            if (node.Record != null) sb.Append(" <code class=\"rec\">").Append(H(node.Record)).Append("</code>");
            sb.Append(" <span class=\"lookups\">").Append(node.TotalDnsLookupCount).Append(" lookups</span>");
            if (node.Problem != null) sb.Append(" <span class=\"problem\">").Append(H(node.Problem)).Append("</span>");
            else if (node.Record is null) sb.Append(" <span class=\"problem\">").Append(H(node.LookupStatus.ToString())).Append("</span>");
            if (node.Children.Count > 0 && depth < 20)
            {
                sb.Append("\n<ul>\n");
                foreach (var child in node.Children) WriteNode(sb, child, depth + 1);
                sb.Append("</ul>\n");
            }
            sb.Append("</li>\n");
        }

        private static void WriteComparisons(StringBuilder sb, List<DomainGroup> domains)
        {
            var rows = domains.SelectMany(d => d.Comparisons).ToList();
            if (rows.Count == 0) return;
            sb.Append("<section id=\"migration\">\n<h2>Migration check</h2>\n<table class=\"migration\">\n<thead><tr><th>Domain</th><th>Record</th><th>Name</th><th>State</th><th>Reference</th><th>Difference</th></tr></thead>\n<tbody>\n");
            foreach (var r in rows)
            {
                var level = r.State == RecordComparisonState.Missing || r.State == RecordComparisonState.Changed ? ReportLevel.Error
                    : r.State == RecordComparisonState.LookupFailed ? ReportLevel.Failed : ReportLevel.Ok;
                sb.Append("<tr><td class=\"domain\">").Append(H(r.Domain)).Append("</td><td>").Append(H(r.Kind.ToString())).Append(' ').Append(H(r.RecordType)).Append("</td><td><code>")
                  .Append(H(r.Name)).Append("</code></td><td>").Append(Badge(level, r.State.ToString())).Append("</td><td><code class=\"val\">")
                  .Append(H(r.ReferenceValue ?? "")).Append("</code></td><td><code class=\"val\">").Append(H(r.DifferenceValue ?? "")).Append("</code></td></tr>\n");
            }
            sb.Append("</tbody>\n</table>\n</section>\n");
        }

        private static void WriteBounces(StringBuilder sb, List<DomainGroup> domains)
        {
            var bounces = domains.SelectMany(d => d.Bounces).ToList();
            if (bounces.Count == 0) return;
            sb.Append("<section id=\"bounces\">\n<h2>Bounces</h2>\n<table class=\"bounces\">\n<thead><tr><th>Source</th><th>Code</th><th>Provider</th><th>Meaning</th><th>Sender domain</th><th>Relay IP</th><th>Audit</th></tr></thead>\n<tbody>\n");
            foreach (var item in bounces)
            {
                var b = item.Bounce!;
                sb.Append("<tr><td>").Append(H(b.Source)).Append("</td><td>").Append(Badge(item.Level, item.Status)).Append("</td><td>").Append(H(b.Provider ?? ""))
                  .Append("</td><td>").Append(H(b.Meaning)).Append("<div class=\"ref\">").Append(H(b.LikelyCause)).Append("</div></td><td class=\"domain\">")
                  .Append(H(b.SenderDomain ?? "")).Append("</td><td>").Append(H(b.RelayIp?.ToString() ?? "")).Append("</td><td>").Append(H(b.Audit?.Summary ?? "")).Append("</td></tr>\n");
            }
            sb.Append("</tbody>\n</table>\n</section>\n");
        }

        private static void WriteRecords(StringBuilder sb, List<RecordEntry> records)
        {
            sb.Append("<section id=\"records\">\n<h2>Records to publish</h2>\n");
            if (records.Count == 0) { sb.Append("<p class=\"empty\">Nothing to publish.</p>\n</section>\n"); return; }
            foreach (var e in records)
            {
                var r = e.Record;
                sb.Append("<div class=\"record\" id=\"").Append(e.Anchor).Append("\">\n<h3>").Append(e.Index).Append(". <code>").Append(H(r.FullName)).Append("</code> ")
                  .Append(H(r.RecordType)).Append("</h3>\n<p class=\"why\">").Append(H(e.Why)).Append("</p>\n");
                AppendCopyable(sb, e.Anchor + "-zone", "Zone file", r.ZoneFileLine);
                AppendCopyable(sb, e.Anchor + "-ps", "Windows DNS Server (PowerShell)", WindowsDnsCommand.For(r));
                sb.Append("</div>\n");
            }
            sb.Append("</section>\n");
        }

        private static void AppendCopyable(StringBuilder sb, string id, string label, string text)
        {
            sb.Append("<div class=\"copyable\"><div class=\"label\">").Append(H(label)).Append(" <button type=\"button\" class=\"copy\" data-target=\"").Append(id)
              .Append("\">Copy</button></div><pre id=\"").Append(id).Append("\">").Append(H(text)).Append("</pre></div>\n");
        }

        private static string Badge(ReportLevel level, string text) =>
            "<span class=\"badge " + LevelClass(level) + "\">" + H(text) + "</span>";

        private static string LevelClass(ReportLevel level) =>
            level == ReportLevel.Ok ? "ok" : level == ReportLevel.Warning ? "warning" : level == ReportLevel.Error ? "error" : level == ReportLevel.Failed ? "failed" : "unknown";

        private static string H(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

        private const string Css = @"
:root { --ok:#1a7f37; --ok-bg:#dafbe1; --warn:#7d4e00; --warn-bg:#fff8c5; --err:#cf222e; --err-bg:#ffebe9; --fail:#57606a; --fail-bg:#eaeef2; --line:#d0d7de; }
* { box-sizing: border-box; }
body { font-family: -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif; font-size: 14px; color: #1f2328; margin: 0; background: #f6f8fa; }
header { background: #24292f; color: #fff; padding: 18px 28px 10px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .meta { margin: 0 0 10px; color: #d0d7de; }
nav a { color: #9ecbff; margin-right: 14px; text-decoration: none; }
main { padding: 8px 28px 28px; max-width: 1400px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 4px 18px 16px; margin-top: 18px; }
h2 { font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 6px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
td.fact { overflow-wrap: anywhere; min-width: 7em; }
td.num, th.num { text-align: right; }
td.domain, span.domain { font-weight: 600; white-space: nowrap; }
td.grade { font-weight: 700; font-size: 16px; text-align: center; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.ok { color: var(--ok); background: var(--ok-bg); } .badge.warning { color: var(--warn); background: var(--warn-bg); }
.badge.error { color: var(--err); background: var(--err-bg); } .badge.failed, .badge.unknown { color: var(--fail); background: var(--fail-bg); }
tr.error td.domain { border-left: 4px solid var(--err); } tr.warning td.domain { border-left: 4px solid #d4a72c; }
tr.ok td.domain { border-left: 4px solid var(--ok); } tr.failed td.domain, tr.unknown td.domain { border-left: 4px solid var(--fail); }
h3.sev-error { color: var(--err); } h3.sev-warning { color: var(--warn); } h3.sev-info { color: #0969da; }
.fid { font-family: ui-monospace, 'DejaVu Sans Mono', Consolas, monospace; font-size: 12px; color: #57606a; }
.ref { color: #57606a; font-size: 12px; margin-top: 2px; }
.term code, code { font-family: ui-monospace, 'DejaVu Sans Mono', Consolas, monospace; font-size: 12px; background: #f6f8fa; padding: 0 3px; border-radius: 3px; }
code.val, code.rec { word-break: break-all; }
ul.tree, ul.tree ul { list-style: none; padding-left: 20px; border-left: 1px dashed var(--line); margin: 4px 0; }
ul.tree li { margin: 4px 0; }
.via { color: #57606a; font-size: 12px; } .node { font-weight: 600; } .lookups { color: #57606a; font-size: 12px; }
.problem { color: var(--err); font-size: 12px; }
details.spf { margin: 8px 0; } details.spf summary { cursor: pointer; }
.record { border-top: 1px solid var(--line); padding-top: 4px; }
.record .why { color: #57606a; margin: 0 0 6px; }
.copyable { margin: 6px 0 10px; }
.copyable .label { font-size: 12px; color: #57606a; margin-bottom: 2px; }
pre { background: #0d1117; color: #e6edf3; padding: 10px 12px; border-radius: 6px; white-space: pre-wrap; word-break: break-all; margin: 0;
      font-family: ui-monospace, 'DejaVu Sans Mono', Consolas, monospace; font-size: 12px; }
button.copy { font-size: 11px; padding: 1px 8px; margin-left: 6px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.empty { color: #57606a; font-style: italic; }
footer { color: #57606a; font-size: 12px; padding: 0 28px 24px; }
";

        private const string Script = @"document.addEventListener('click', function (e) {
  var b = e.target.closest ? e.target.closest('button.copy') : null;
  if (!b) return;
  var pre = document.getElementById(b.getAttribute('data-target'));
  if (!pre) return;
  var done = function () { b.textContent = 'Copied'; setTimeout(function () { b.textContent = 'Copy'; }, 1500); };
  if (navigator.clipboard && navigator.clipboard.writeText) { navigator.clipboard.writeText(pre.textContent).then(done, function () {}); }
  else { var r = document.createRange(); r.selectNodeContents(pre); var s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }
});
";
    }
}
