using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailAuth.Spf;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Get-SpfRecord: reads, expands, counts and judges a domain's SPF record.</summary>
    [Cmdlet(VerbsCommon.Get, "SpfRecord", DefaultParameterSetName = DomainSet)]
    [OutputType(typeof(SpfRecordReport))]
    public sealed class GetSpfRecordCommand : MailAuthRecordCmdletBase
    {
        private readonly Dictionary<string, int> _seen = new Dictionary<string, int>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DomainSet)]
        [Parameter(Mandatory = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        [Alias("DomainName", "Name", "ZoneName")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = Array.Empty<string>();

        protected override string[] DomainInput => Domain;

        protected override void ProcessDomain(string domain)
        {
            var analyzer = new SpfAnalyzer(Resolver);
            WriteObject(Run(ct => analyzer.AnalyzeAsync(domain, ct)));
        }

        /// <summary>Judges the text of a piped TXT record as if published (its includes are still looked up).</summary>
        protected override void ProcessPipedRecord(string owner, string text)
        {
            if (!SpfParser.IsSpfRecord(text))
            {
                WriteVerbose($"{owner}: not an SPF record; skipped.");
                return;
            }
            _seen.TryGetValue(owner, out var count);
            _seen[owner] = ++count;
            if (count == 2)
                WriteWarning($"{owner} has more than one SPF record among the piped records; receivers return permerror when a name publishes several (RFC 7208 §4.5).");
            var analyzer = new SpfAnalyzer(Resolver);
            WriteObject(Run(ct => analyzer.AnalyzeRecordAsync(owner, text, ct)));
        }
    }
}
