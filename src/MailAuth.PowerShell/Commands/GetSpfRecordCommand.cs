using System;
using System.Management.Automation;
using MailAuth.Spf;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Get-SpfRecord: reads, expands, counts and judges a domain's SPF record.</summary>
    [Cmdlet(VerbsCommon.Get, "SpfRecord")]
    [OutputType(typeof(SpfRecordReport))]
    public sealed class GetSpfRecordCommand : MailAuthDnsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "Name", "ZoneName")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var input in Domain)
            {
                var domain = NormalizeDomainOrWriteError(input);
                if (domain is null) continue;
                var analyzer = new SpfAnalyzer(Resolver);
                WriteObject(Run(ct => analyzer.AnalyzeAsync(domain, ct)));
            }
        }

        protected override void EndProcessing() => WriteResolverStatistics();
    }
}
