using System;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Dns;

namespace MailAuth.Audit
{
    /// <summary>The audit's DMARC step on <see cref="DmarcAnalyzer"/> (RFC 9989 policy discovery): the default.</summary>
    public sealed class DmarcAnalyzerCheck : IDmarcAuditCheck
    {
        private readonly DmarcDiscoveryOptions? _options;

        public DmarcAnalyzerCheck(DmarcDiscoveryOptions? options = null) { _options = options; }

        public static DmarcAnalyzerCheck Default { get; } = new DmarcAnalyzerCheck();

        public async Task<DmarcAuditSummary> CheckAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken = default)
        {
            if (resolver is null) throw new ArgumentNullException(nameof(resolver));
            var report = await new DmarcAnalyzer(resolver, _options).AnalyzeAsync(domain, cancellationToken).ConfigureAwait(false);
            var status = report.Status switch
            {
                DmarcReportStatus.Ok => DmarcAuditStatus.Ok,
                DmarcReportStatus.Warning => DmarcAuditStatus.Warning,
                DmarcReportStatus.Error => DmarcAuditStatus.Error,
                DmarcReportStatus.NoRecord => DmarcAuditStatus.NoRecord,
                _ => DmarcAuditStatus.LookupFailed,
            };
            return new DmarcAuditSummary(report.Domain, status, report.Findings,
                policy: Lower(report.AppliedPolicy),
                subdomainPolicy: Lower(report.Parsed?.EffectiveSubdomainPolicy),
                record: report.Record,
                recordDomain: report.RecordDomain,
                hasAggregateReports: report.Parsed?.HasUsableAggregateReportUri ?? false,
                details: report);
        }

        private static string? Lower(DmarcPolicy? p) => p?.ToString().ToLowerInvariant();
    }
}
