using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailAuth.Spf;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Get-SpfRecord: reads, expands, counts and judges a domain's SPF record.</summary>
    [Cmdlet(VerbsCommon.Get, "SpfRecord", DefaultParameterSetName = DomainSet)]
    [OutputType(typeof(SpfRecordReport))]
    public sealed class GetSpfRecordCommand : MailAuthDnsCmdletBase
    {
        private const string DomainSet = "Domain";
        private readonly Dictionary<string, int> _seen = new Dictionary<string, int>(StringComparer.Ordinal);
        private string? _zone;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DomainSet)]
        [Parameter(Mandatory = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        [Alias("DomainName", "Name", "ZoneName")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = Array.Empty<string>();

        /// <summary>RecordData of a Get-DnsServerResourceRecord result (its DescriptiveText is the record text).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        public PSObject? RecordData { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        public string? HostName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        public string? RecordType { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == WindowsDnsRecordInput.ParameterSet)
            {
                ProcessWindowsDnsRecord();
                return;
            }
            foreach (var input in Domain)
            {
                var domain = NormalizeDomainOrWriteError(input);
                if (domain is null) continue;
                var analyzer = new SpfAnalyzer(Resolver);
                WriteObject(Run(ct => analyzer.AnalyzeAsync(domain, ct)));
            }
        }

        /// <summary>Judges the text of a piped TXT record as if published (its includes are still looked up).</summary>
        private void ProcessWindowsDnsRecord()
        {
            // The parameter set is known only once the first record is bound, so the zone is checked here.
            _zone ??= WindowsDnsRecordInput.ZoneOrThrow(this, Domain);
            if (!WindowsDnsRecordInput.TryRead(RecordData, HostName, RecordType, _zone, out var owner, out var text, out var reason))
            {
                WriteVerbose(reason);
                return;
            }
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

        protected override void EndProcessing() => WriteResolverStatistics();
    }
}
