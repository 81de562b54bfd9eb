using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Audit
{
    /// <summary>Verdict on one of the optional policy records (MTA-STS, TLS-RPT, BIMI).</summary>
    public enum PolicyRecordStatus
    {
        /// <summary>The domain does not publish the record.</summary>
        NotPublished,
        /// <summary>Published and nothing worth a warning.</summary>
        Ok,
        Warning,
        /// <summary>Published, but broken: receivers ignore it or it does harm.</summary>
        Error,
        /// <summary>The lookup failed (timeout, SERVFAIL, not available offline).</summary>
        LookupFailed,
    }

    /// <summary>What the MTA-STS check found for one domain (RFC 8461).</summary>
    public sealed class MtaStsReport
    {
        internal MtaStsReport(string domain) { Domain = domain; }

        public string Domain { get; }
        public PolicyRecordStatus Status { get; internal set; }
        /// <summary>The name queried: _mta-sts.&lt;domain&gt;.</summary>
        public string Name => "_mta-sts." + Domain;
        public string? Record { get; internal set; }
        public MtaStsRecord? Parsed { get; internal set; }
        public string PolicyUrl => MtaStsFetchResult.PolicyUrl(Domain);
        /// <summary>The policy fetch, or null when none was attempted (no valid TXT record).</summary>
        public MtaStsFetchResult? Fetch { get; internal set; }
        public MtaStsPolicy? Policy { get; internal set; }
        /// <summary>"enforce", "testing", "none", or null without a usable policy.</summary>
        public string? Mode => Policy?.Mode?.ToString().ToLowerInvariant();
        /// <summary>MX hosts of the domain no mx pattern of the policy matches.</summary>
        public IReadOnlyList<string> UncoveredMxHosts { get; internal set; } = Array.Empty<string>();
        public DnsLookupStatus LookupStatus { get; internal set; }
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();

        public override string ToString() => $"{Domain}: MTA-STS {Status}{(Mode is null ? "" : " " + Mode)}";
    }

    /// <summary>What the TLS-RPT check found (RFC 8460).</summary>
    public sealed class TlsRptReport
    {
        internal TlsRptReport(string domain) { Domain = domain; }

        public string Domain { get; }
        public string Name => "_smtp._tls." + Domain;
        public PolicyRecordStatus Status { get; internal set; }
        public string? Record { get; internal set; }
        public TlsRptRecord? Parsed { get; internal set; }
        public IReadOnlyList<string> ReportUris => Parsed?.ReportUris ?? (IReadOnlyList<string>)Array.Empty<string>();
        public DnsLookupStatus LookupStatus { get; internal set; }
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();

        public override string ToString() => $"{Domain}: TLS-RPT {Status}";
    }

    /// <summary>What the BIMI check found (record syntax only; the logo and certificate are not fetched).</summary>
    public sealed class BimiReport
    {
        internal BimiReport(string domain) { Domain = domain; }

        public string Domain { get; }
        public string Name => "default._bimi." + Domain;
        public PolicyRecordStatus Status { get; internal set; }
        public string? Record { get; internal set; }
        public BimiRecord? Parsed { get; internal set; }
        public DnsLookupStatus LookupStatus { get; internal set; }
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();

        public override string ToString() => $"{Domain}: BIMI {Status}";
    }

    /// <summary>
    /// The checks of the optional transport and brand records: MTA-STS (RFC 8461 §3.1 record, §3.2 policy, §3.3
    /// fetch, §4.1 MX matching), TLS-RPT (RFC 8460 §3) and BIMI (record syntax). Never throw except on cancellation.
    /// </summary>
    public sealed class PolicyRecordChecker
    {
        private readonly IDnsResolver _resolver;
        private readonly IMtaStsPolicyFetcher? _fetcher;

        /// <param name="resolver">The resolver for the TXT lookups.</param>
        /// <param name="fetcher">Fetches MTA-STS policies; null: policies are not fetched (an Information finding says so).</param>
        public PolicyRecordChecker(IDnsResolver resolver, IMtaStsPolicyFetcher? fetcher)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            _fetcher = fetcher;
        }

        /// <summary>Checks _mta-sts.&lt;domain&gt;, fetches the policy and matches it against <paramref name="mxHosts"/>.</summary>
        public async Task<MtaStsReport> CheckMtaStsAsync(string domain, IReadOnlyList<string> mxHosts, CancellationToken cancellationToken = default)
        {
            const string Area = "MTA-STS";
            domain = DnsName.Normalize(domain);
            var report = new MtaStsReport(domain);
            var findings = new List<Finding>();
            var txt = await _resolver.QueryAsync(report.Name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            report.LookupStatus = txt.Status;
            if (txt.Status.IsTransientFailure())
            {
                findings.Add(new Finding("MTASTS.LookupFailed", txt.Status == DnsLookupStatus.NotAvailableOffline ? FindingSeverity.Information : FindingSeverity.Warning, Area,
                    $"The TXT lookup for {report.Name} failed ({txt.Status}); MTA-STS could not be checked.", null, "RFC 8461 §3.1"));
                return Done(report, findings, PolicyRecordStatus.LookupFailed);
            }
            var texts = txt.Records.Where(r => r.RecordType == DnsRecordType.TXT).Select(r => r.Text).ToList();
            var sts = texts.Where(MtaStsRecord.IsMtaStsText).ToList();
            if (sts.Count == 0)
            {
                var near = texts.FirstOrDefault(t => t.TrimStart().StartsWith("v=sts", StringComparison.OrdinalIgnoreCase));
                if (near != null)
                {
                    report.Record = near;
                    findings.Add(new Finding("MTASTS.InvalidVersion", FindingSeverity.Error, Area,
                        $"{report.Name} has '{near}', which does not start with v=STSv1 exactly; senders ignore it.",
                        "Start the record with v=STSv1; (the version is case-sensitive).", "RFC 8461 §3.1", near));
                    return Done(report, findings, PolicyRecordStatus.Error);
                }
                findings.Add(new Finding("MTASTS.NotPublished", FindingSeverity.Information, Area,
                    $"{domain} publishes no MTA-STS policy, so sending servers may deliver to it without TLS or to a forged MX.",
                    $"Serve a policy at {report.PolicyUrl} (start with mode: testing) and publish _mta-sts TXT \"v=STSv1; id=<date>\".", "RFC 8461 §3"));
                return Done(report, findings, PolicyRecordStatus.NotPublished);
            }
            if (sts.Count > 1)
            {
                report.Record = sts[0];
                findings.Add(new Finding("MTASTS.MultipleRecords", FindingSeverity.Error, Area,
                    $"{report.Name} has {sts.Count} v=STSv1 records; senders then assume there is no policy.",
                    "Keep one record and delete the others.", "RFC 8461 §3.1"));
                return Done(report, findings, PolicyRecordStatus.Error);
            }
            report.Record = sts[0];
            report.Parsed = MtaStsRecord.Parse(sts[0]);
            foreach (var d in report.Parsed.Diagnostics) findings.Add(ToFinding(d, Area, "Publish \"v=STSv1; id=20240101T000000\" (id: 1-32 letters and digits, changed with every policy change)."));
            if (!report.Parsed.IsValid) return Done(report, findings, PolicyRecordStatus.Error);

            if (_fetcher is null)
            {
                findings.Add(new Finding("MTASTS.PolicyNotFetched", FindingSeverity.Information, Area,
                    $"The policy at {report.PolicyUrl} was not fetched; only the TXT record was checked.", null, "RFC 8461 §3.3"));
                return Done(report, findings, null);
            }
            var fetch = await _fetcher.FetchAsync(domain, cancellationToken).ConfigureAwait(false);
            report.Fetch = fetch;
            if (!fetch.IsSuccess)
            {
                bool offline = _fetcher is OfflineMtaStsPolicyFetcher;
                findings.Add(new Finding(offline ? "MTASTS.PolicyNotFetched" : "MTASTS.PolicyFetchFailed", offline ? FindingSeverity.Information : FindingSeverity.Error, Area,
                    offline ? $"The policy at {fetch.Url} was {fetch.Error}."
                            : $"The policy at {fetch.Url} could not be fetched: {fetch.Error}. Senders that cannot fetch it treat the domain as having no MTA-STS.",
                    offline ? null : $"Serve the policy over HTTPS at {fetch.Url} with a valid certificate for mta-sts.{domain}, status 200 and no redirect.",
                    "RFC 8461 §3.3"));
                return Done(report, findings, null);
            }
            if (fetch.ContentType != null && !string.Equals(fetch.ContentType, "text/plain", StringComparison.OrdinalIgnoreCase))
                findings.Add(new Finding("MTASTS.PolicyContentType", FindingSeverity.Warning, Area,
                    $"The policy is served as {fetch.ContentType}; RFC 8461 requires text/plain, and strict senders reject anything else.",
                    "Serve mta-sts.txt with Content-Type: text/plain.", "RFC 8461 §3.2"));
            var policy = MtaStsPolicy.Parse(fetch.Body);
            report.Policy = policy;
            foreach (var d in policy.Diagnostics) findings.Add(ToFinding(d, Area, "Correct the policy file: lines 'version: STSv1', 'mode: enforce|testing|none', 'mx: <host or *.domain>', 'max_age: <seconds>'."));
            if (!policy.IsValid) return Done(report, findings, PolicyRecordStatus.Error);

            if (policy.Mode == MtaStsMode.Testing)
                findings.Add(new Finding("MTASTS.TestingMode", FindingSeverity.Information, Area,
                    "The policy is in testing mode: senders report TLS failures but still deliver.",
                    "Switch to mode: enforce once TLS-RPT reports show no failures (and change the id= of the TXT record).", "RFC 8461 §5"));
            else if (policy.Mode == MtaStsMode.None)
                findings.Add(new Finding("MTASTS.ModeNone", FindingSeverity.Warning, Area,
                    "The policy has mode: none, which withdraws MTA-STS protection.",
                    "Use mode: testing or enforce, or remove the _mta-sts record if MTA-STS is being retired.", "RFC 8461 §5"));
            if (policy.MaxAge is long age && age < 86400 && policy.Mode != MtaStsMode.None)
                findings.Add(new Finding("MTASTS.ShortMaxAge", FindingSeverity.Warning, Area,
                    $"max_age is {age} seconds; a policy cached so briefly protects little against an attacker at refresh time.",
                    "Use a max_age of weeks (e.g. 1209600 or 31557600).", "RFC 8461 §3.2"));

            if (policy.Mode != MtaStsMode.None)
            {
                var uncovered = mxHosts.Where(h => !string.IsNullOrEmpty(h) && !policy.Covers(h)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                report.UncoveredMxHosts = uncovered;
                foreach (var host in uncovered)
                    findings.Add(new Finding("MTASTS.MxNotCovered", policy.Mode == MtaStsMode.Enforce ? FindingSeverity.Error : FindingSeverity.Warning, Area,
                        $"The MX host {host} matches no mx pattern of the policy ({string.Join(", ", policy.MxPatterns)}); " +
                        (policy.Mode == MtaStsMode.Enforce ? "senders that enforce MTA-STS will not deliver to it." : "in enforce mode senders would not deliver to it."),
                        $"Add 'mx: {host}' (or a matching *. pattern) to the policy and change the id= of the _mta-sts record.", "RFC 8461 §4.1", host));
            }
            return Done(report, findings, null);
        }

        /// <summary>Checks the TLS-RPT record at _smtp._tls.&lt;domain&gt;.</summary>
        public async Task<TlsRptReport> CheckTlsRptAsync(string domain, bool hasMtaSts, CancellationToken cancellationToken = default)
        {
            const string Area = "TLS-RPT";
            domain = DnsName.Normalize(domain);
            var report = new TlsRptReport(domain);
            var findings = new List<Finding>();
            var txt = await _resolver.QueryAsync(report.Name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            report.LookupStatus = txt.Status;
            PolicyRecordStatus? fixedStatus = null;
            if (txt.Status.IsTransientFailure())
            {
                findings.Add(new Finding("TLSRPT.LookupFailed", txt.Status == DnsLookupStatus.NotAvailableOffline ? FindingSeverity.Information : FindingSeverity.Warning, Area,
                    $"The TXT lookup for {report.Name} failed ({txt.Status}).", null, "RFC 8460 §3"));
                fixedStatus = PolicyRecordStatus.LookupFailed;
            }
            else
            {
                var records = txt.Records.Where(r => r.RecordType == DnsRecordType.TXT).Select(r => r.Text).Where(TlsRptRecord.IsTlsRptText).ToList();
                if (records.Count == 0)
                {
                    findings.Add(new Finding("TLSRPT.NotPublished", hasMtaSts ? FindingSeverity.Warning : FindingSeverity.Information, Area,
                        hasMtaSts ? $"{domain} has MTA-STS but no TLS-RPT record, so nobody learns when senders fail to deliver over TLS."
                                  : $"{domain} publishes no TLS-RPT record.",
                        $"Publish _smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\".", "RFC 8460 §3",
                        suggestedRecord: hasMtaSts ? Publishing.PublishableRecord.CreateTxt(domain, "_smtp._tls", $"v=TLSRPTv1; rua=mailto:tls-reports@{domain}", TimeSpan.FromHours(1)) : null));
                    fixedStatus = PolicyRecordStatus.NotPublished;
                }
                else if (records.Count > 1)
                {
                    report.Record = records[0];
                    findings.Add(new Finding("TLSRPT.MultipleRecords", FindingSeverity.Error, Area,
                        $"{report.Name} has {records.Count} v=TLSRPTv1 records; senders then send no reports.",
                        "Merge the destinations into one record (rua= takes a comma-separated list).", "RFC 8460 §3"));
                    fixedStatus = PolicyRecordStatus.Error;
                }
                else
                {
                    report.Record = records[0];
                    report.Parsed = TlsRptRecord.Parse(records[0]);
                    foreach (var d in report.Parsed.Diagnostics)
                        findings.Add(ToFinding(d, Area, $"Publish \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\"."));
                }
            }
            report.Findings = findings;
            report.Status = fixedStatus ?? StatusOf(findings);
            return report;
        }

        /// <summary>Checks the BIMI record at default._bimi.&lt;domain&gt; (syntax; DMARC enforcement is judged by the auditor).</summary>
        public async Task<BimiReport> CheckBimiAsync(string domain, CancellationToken cancellationToken = default)
        {
            const string Area = "BIMI";
            domain = DnsName.Normalize(domain);
            var report = new BimiReport(domain);
            var findings = new List<Finding>();
            var txt = await _resolver.QueryAsync(report.Name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            report.LookupStatus = txt.Status;
            PolicyRecordStatus? fixedStatus = null;
            if (txt.Status.IsTransientFailure())
            {
                findings.Add(new Finding("BIMI.LookupFailed", txt.Status == DnsLookupStatus.NotAvailableOffline ? FindingSeverity.Information : FindingSeverity.Warning, Area,
                    $"The TXT lookup for {report.Name} failed ({txt.Status}).", null));
                fixedStatus = PolicyRecordStatus.LookupFailed;
            }
            else
            {
                var records = txt.Records.Where(r => r.RecordType == DnsRecordType.TXT).Select(r => r.Text).Where(BimiRecord.IsBimiText).ToList();
                if (records.Count == 0) fixedStatus = PolicyRecordStatus.NotPublished;
                else if (records.Count > 1)
                {
                    report.Record = records[0];
                    findings.Add(new Finding("BIMI.MultipleRecords", FindingSeverity.Error, Area,
                        $"{report.Name} has {records.Count} v=BIMI1 records; receivers show no logo.", "Keep one record.", null));
                    fixedStatus = PolicyRecordStatus.Error;
                }
                else
                {
                    report.Record = records[0];
                    report.Parsed = BimiRecord.Parse(records[0]);
                    foreach (var d in report.Parsed.Diagnostics)
                        findings.Add(ToFinding(d, Area, "Publish \"v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem\"."));
                    if (report.Parsed.IsValid && !report.Parsed.IsDeclination && report.Parsed.AuthorityUri is null)
                        findings.Add(new Finding("BIMI.NoAuthority", FindingSeverity.Information, Area,
                            "The record has no a= (mark certificate); Gmail and Apple Mail show BIMI logos only with a VMC or CMC.",
                            "Obtain a Verified or Common Mark Certificate and publish its URL in a=.", null));
                }
            }
            report.Findings = findings;
            report.Status = fixedStatus ?? StatusOf(findings);
            return report;
        }

        internal static Finding ToFinding(RecordDiagnostic d, string area, string? remediation) =>
            new Finding(d.Id, d.Severity, area, d.Message, d.Severity == FindingSeverity.Information ? null : remediation, d.Reference, d.Term);

        internal static PolicyRecordStatus StatusOf(IReadOnlyList<Finding> findings) =>
            findings.Any(f => f.Severity == FindingSeverity.Error) ? PolicyRecordStatus.Error
            : findings.Any(f => f.Severity == FindingSeverity.Warning) ? PolicyRecordStatus.Warning
            : PolicyRecordStatus.Ok;

        private static MtaStsReport Done(MtaStsReport report, List<Finding> findings, PolicyRecordStatus? status)
        {
            report.Findings = findings;
            report.Status = status ?? StatusOf(findings);
            return report;
        }
    }
}
