using System;
using System.Management.Automation;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Get-DkimRecord: reads, decodes and judges the DKIM key records of given selectors.</summary>
    [Cmdlet(VerbsCommon.Get, "DkimRecord")]
    [OutputType(typeof(DkimRecordReport))]
    public sealed class GetDkimRecordCommand : MailAuthDnsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "DkimDomain")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("DkimSelector")]
        public string[] Selector { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var input in Domain)
            {
                var domain = NormalizeDomainOrWriteError(input);
                if (domain is null) continue;
                var discovery = new DkimSelectorDiscovery(Resolver);
                foreach (var report in Run(ct => discovery.CheckAsync(domain, Selector, ct)))
                    WriteObject(report);
            }
        }

        protected override void EndProcessing() => WriteResolverStatistics();
    }
}
