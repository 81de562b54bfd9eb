using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Audit
{
    /// <summary>Verdict on a domain's DMARC policy, as the audit summarises it.</summary>
    public enum DmarcAuditStatus
    {
        Ok,
        Warning,
        Error,
        /// <summary>No DMARC record applies to the domain.</summary>
        NoRecord,
        /// <summary>The lookup failed (timeout, SERVFAIL, not available offline).</summary>
        LookupFailed,
        /// <summary>DMARC was not checked (no DMARC analyser in this build).</summary>
        NotChecked,
    }

    /// <summary>The part of a DMARC analysis the audit needs: status, policy, record, findings, and the full report.</summary>
    public sealed class DmarcAuditSummary
    {
        public DmarcAuditSummary(string domain, DmarcAuditStatus status, IReadOnlyList<Finding>? findings = null, string? policy = null,
            string? subdomainPolicy = null, string? record = null, string? recordDomain = null, bool hasAggregateReports = false, object? details = null)
        {
            Domain = domain;
            Status = status;
            Findings = findings ?? Array.Empty<Finding>();
            Policy = policy;
            SubdomainPolicy = subdomainPolicy;
            Record = record;
            RecordDomain = recordDomain;
            HasAggregateReports = hasAggregateReports;
            Details = details;
        }

        public string Domain { get; }
        public DmarcAuditStatus Status { get; }
        /// <summary>The policy that applies to the domain: "none", "quarantine", "reject", or null without a usable record.</summary>
        public string? Policy { get; }
        /// <summary>The policy for subdomains (sp=, or p= when absent).</summary>
        public string? SubdomainPolicy { get; }
        /// <summary>The DMARC record text, or null.</summary>
        public string? Record { get; }
        /// <summary>Where the record was found (the domain, or its organisational domain).</summary>
        public string? RecordDomain { get; }
        /// <summary>True when rua= names a usable aggregate-report destination.</summary>
        public bool HasAggregateReports { get; }
        public IReadOnlyList<Finding> Findings { get; }
        /// <summary>The DMARC analyser's own report object (null when not checked).</summary>
        public object? Details { get; }

        /// <summary>True for p=quarantine or p=reject.</summary>
        public bool IsEnforcing => Policy == "quarantine" || Policy == "reject";

        public override string ToString() => $"{Domain}: DMARC {Status}{(Policy is null ? "" : " p=" + Policy)}";
    }

    /// <summary>
    /// The DMARC step of the audit, behind an interface so the auditor does not depend on how DMARC is analysed.
    /// Implementations never throw except <see cref="OperationCanceledException"/>.
    /// </summary>
    public interface IDmarcAuditCheck
    {
        Task<DmarcAuditSummary> CheckAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken = default);
    }

    /// <summary>Used while no DMARC analyser is available: every domain's DMARC is <see cref="DmarcAuditStatus.NotChecked"/>.</summary>
    public sealed class UnavailableDmarcCheck : IDmarcAuditCheck
    {
        public static UnavailableDmarcCheck Instance { get; } = new UnavailableDmarcCheck();

        public Task<DmarcAuditSummary> CheckAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(new DmarcAuditSummary(DnsName.Normalize(domain), DmarcAuditStatus.NotChecked, new[]
            {
                new Finding("DMARC.NotChecked", FindingSeverity.Information, "DMARC",
                    "DMARC was not checked: this build has no DMARC analyser.", null, "RFC 7489"),
            }));
        }
    }
}
