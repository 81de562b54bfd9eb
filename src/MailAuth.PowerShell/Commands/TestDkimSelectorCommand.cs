using System;
using System.Management.Automation;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>
    /// Test-DkimSelector: checks given selectors, or discovers a domain's keys (common and provider selectors,
    /// the RFC 8020 probe) and returns one report per key found, or one discovery result when none is.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "DkimSelector")]
    [OutputType(typeof(DkimRecordReport), typeof(DkimDiscoveryResult))]
    public sealed class TestDkimSelectorCommand : MailAuthDnsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "DkimDomain")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = Array.Empty<string>();

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("DkimSelector")]
        public string[]? Selector { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var input in Domain)
            {
                var domain = NormalizeDomainOrWriteError(input);
                if (domain is null) continue;
                var discovery = new DkimSelectorDiscovery(Resolver);
                if (Selector != null && Selector.Length > 0)
                {
                    foreach (var report in Run(ct => discovery.CheckAsync(domain, Selector, ct)))
                        WriteObject(report);
                    continue;
                }
                var result = Run(ct => discovery.DiscoverAsync(domain, null, ct));
                WriteVerbose(result.Summary);
                if (result.Reports.Count == 0)
                {
                    WriteObject(result);
                    continue;
                }
                // The reports carry their own findings; what discovery noticed beyond them is said as warnings.
                foreach (var f in result.Findings)
                    if (f.Severity != Findings.FindingSeverity.Information) WriteWarning($"{f.Id}: {f.Message}");
                foreach (var report in result.Reports) WriteObject(report);
            }
        }

        protected override void EndProcessing() => WriteResolverStatistics();
    }
}
