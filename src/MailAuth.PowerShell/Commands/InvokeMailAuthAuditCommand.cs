using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using MailAuth.Audit;
using MailAuth.Dns;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>
    /// Invoke-MailAuthAudit: audits whole domains (MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, BIMI, PTR, parked-domain
    /// advice, sender requirements) in bulk. Rows are collected as they stream in and audited in parallel
    /// (-ThrottleLimit); results are written in input order, from the pipeline thread only.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "MailAuthAudit")]
    [OutputType(typeof(MailAuthAuditResult))]
    public sealed class InvokeMailAuthAuditCommand : MailAuthDnsCmdletBase
    {
        private const int ProgressId = 4711;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private MailAuthAuditRunner? _runner;
        private HttpMtaStsPolicyFetcher? _httpFetcher;
        private DnsResolverSession? _referenceSession;
        private DateTime _lastProgress = DateTime.MinValue;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "Name", "ZoneName")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DkimSelector", "Selectors")]
        [AllowNull, AllowEmptyString, AllowEmptyCollection]
        public string[]? Selector { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SendingIPs", "SendingIPAddress")]
        [AllowNull, AllowEmptyString, AllowEmptyCollection]
        public string[]? SendingIP { get; set; }

        [Parameter]
        [ValidateSet("Google", "Yahoo", "Microsoft", "All", IgnoreCase = true)]
        public string[]? Requirement { get; set; }

        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = MailAuthAuditRunner.DefaultThrottleLimit;

        [Parameter]
        [ValidateRange(1, 3600)]
        public int DomainTimeoutSec { get; set; } = (int)MailAuthAuditOptions.DefaultDomainTimeout.TotalSeconds;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ReferenceZoneFile { get; set; }

        [Parameter]
        public SwitchParameter SkipSelectorDiscovery { get; set; }

        [Parameter]
        public SwitchParameter SkipMtaStsPolicy { get; set; }

        protected override void BeginProcessing()
        {
            var providers = SenderRequirementProvider.None;
            foreach (var r in Requirement ?? Array.Empty<string>())
                if (SenderRequirementEvaluator.TryParseProvider(r, out var p)) providers |= p;

            bool offline = ZoneFile != null && ZoneFile.Length > 0 && (Server is null || Server.Length == 0);
            IMtaStsPolicyFetcher? fetcher;
            if (SkipMtaStsPolicy) fetcher = null;
            else if (offline) fetcher = new OfflineMtaStsPolicyFetcher();
            else fetcher = _httpFetcher = new HttpMtaStsPolicyFetcher(resolver: Resolver); // policy hosts looked up in the audit's DNS

            var options = new MailAuthAuditOptions
            {
                Requirements = providers,
                DiscoverSelectors = !SkipSelectorDiscovery,
                MtaStsFetcher = fetcher,
                ReferenceResolver = CreateReferenceResolver(),
                DomainTimeout = TimeSpan.FromSeconds(DomainTimeoutSec),
            };
            // One resolver, with one cache, for the whole run; taken here, on the pipeline thread.
            var auditor = new MailAuthAuditor(Resolver, options);
            var throttle = ThrottleLimit;
            if (MaxQueriesPerSecond > 0 && !MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)))
            {
                // A domain costs ~20 queries: under a rate limit, more domains in flight than the rate feeds only make
                // each one slower (up to -DomainTimeoutSec), not the run faster.
                throttle = MailAuthAuditRunner.ThrottleForQueryRate(MaxQueriesPerSecond);
            }
            _runner = new MailAuthAuditRunner(auditor, throttle, CancellationToken);
            WriteVerbose($"Auditing with {throttle} domains at a time" + (MaxQueriesPerSecond > 0 ? $", at most {MaxQueriesPerSecond} DNS queries per second" : "") + (providers == SenderRequirementProvider.None ? "" : $", sender requirements: {providers}") + (offline ? ", offline" : "") + ".");
        }

        private IDnsResolver? CreateReferenceResolver()
        {
            if (ReferenceZoneFile is null || ReferenceZoneFile.Length == 0) return null;
            var paths = new List<string>();
            foreach (var pattern in ReferenceZoneFile)
            {
                Collection<string> resolved;
                try { resolved = GetResolvedProviderPathFromPSPath(pattern, out _); }
                catch (ItemNotFoundException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "ReferenceZoneFileNotFound", ErrorCategory.ObjectNotFound, pattern));
                    throw;
                }
                paths.AddRange(resolved);
            }
            _referenceSession = DnsResolverFactory.Create(new DnsResolverOptions { ZoneFiles = paths });
            foreach (var d in _referenceSession.ZoneDiagnostics)
            {
                if (d.Severity == Findings.FindingSeverity.Information) WriteVerbose("Reference: " + d);
                else WriteWarning("Reference: " + d);
            }
            return _referenceSession.Resolver;
        }

        protected override void ProcessRecord()
        {
            var runner = _runner!;
            foreach (var domain in Domain ?? Array.Empty<string>())
                runner.Submit(new MailAuthAuditRequest(domain, Selector, SendingIP));
            // Keep a bounded number of rows in flight: write what is ready, and wait when too much is pending.
            int maxPending = Math.Max(64, ThrottleLimit * 4);
            Drain(untilPendingBelow: maxPending);
        }

        protected override void EndProcessing()
        {
            Drain(untilPendingBelow: 1);
            if (_runner != null && _runner.Submitted > 0)
                WriteProgress(new ProgressRecord(ProgressId, "Invoke-MailAuthAudit", "Done") { RecordType = ProgressRecordType.Completed });
            WriteResolverStatistics();
        }

        /// <summary>Writes ready results in order; blocks (showing progress) until fewer than <paramref name="untilPendingBelow"/> rows are pending.</summary>
        private void Drain(int untilPendingBelow)
        {
            var runner = _runner!;
            while (true)
            {
                IReadOnlyList<MailAuthAuditResult> ready;
                try { ready = runner.TakeReady(); }
                catch (OperationCanceledException) { throw new PipelineStoppedException(); }
                foreach (var result in ready)
                {
                    if (result.Status == AuditStatus.Failed) WriteVerbose($"Row {result.Row} ({result.Input}): {result.Reason}");
                    WriteObject(result);
                }
                WriteProgressMaybe(force: ready.Count > 0 && runner.Pending == 0);
                if (runner.Pending < untilPendingBelow) return;
                if (Stopping || CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                runner.WaitForNext(ProgressInterval);
            }
        }

        private void WriteProgressMaybe(bool force)
        {
            var runner = _runner!;
            var now = DateTime.UtcNow;
            if (!force && now - _lastProgress < ProgressInterval) return;
            _lastProgress = now;
            var seconds = Math.Max(0.001, runner.Elapsed.TotalSeconds);
            var rate = runner.Returned / seconds;
            var status = $"{runner.Returned} of {runner.Submitted} domains audited ({rate:0.0}/s, {runner.AuditsStarted - runner.AuditsFinished} in progress)";
            var record = new ProgressRecord(ProgressId, "Invoke-MailAuthAudit", status);
            if (runner.Submitted > 0) record.PercentComplete = (int)Math.Min(100, 100L * runner.Returned / runner.Submitted);
            if (rate > 0 && runner.Pending > 0) record.SecondsRemaining = (int)Math.Min(int.MaxValue, runner.Pending / rate);
            WriteProgress(record);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _runner?.Dispose();
                _httpFetcher?.Dispose();
                _referenceSession?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
