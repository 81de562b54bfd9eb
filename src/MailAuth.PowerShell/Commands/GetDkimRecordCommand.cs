using System;
using System.Linq;
using System.Management.Automation;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Get-DkimRecord: reads, decodes and judges the DKIM key records of given selectors.</summary>
    [Cmdlet(VerbsCommon.Get, "DkimRecord", DefaultParameterSetName = DomainSet)]
    [OutputType(typeof(DkimRecordReport))]
    public sealed class GetDkimRecordCommand : MailAuthRecordCmdletBase
    {

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DomainSet)]
        [Parameter(Mandatory = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        [Alias("DomainName", "DkimDomain", "ZoneName")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = DomainSet)]
        [Parameter(ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        [Alias("DkimSelector")]
        public string[] Selector { get; set; } = Array.Empty<string>();

        protected override string[] DomainInput => Domain;

        protected override void ProcessDomain(string domain)
        {
            var discovery = new DkimSelectorDiscovery(Resolver);
            foreach (var report in Run(ct => discovery.CheckAsync(domain, Selector, ct)))
                WriteObject(report);
        }

        /// <summary>Judges a piped TXT record at &lt;selector&gt;._domainkey.&lt;domain&gt; without looking it up.</summary>
        protected override void ProcessPipedRecord(string owner, string text)
        {
            const string label = "._domainkey.";
            var at = owner.IndexOf(label, StringComparison.Ordinal);
            if (at <= 0)
            {
                WriteVerbose($"{owner}: not a DKIM key name (<selector>._domainkey.<domain>); skipped.");
                return;
            }
            var selector = owner.Substring(0, at);
            var domain = owner.Substring(at + label.Length);
            if (Selector.Length > 0 && !Selector.Any(s => Dns.DnsName.AreEqual(s, selector))) return;
            if (!DkimAnalyzer.IsValidSelector(selector, out var why))
            {
                WriteMailAuthError("InvalidSelector", ErrorCategory.InvalidData, HostName, $"{owner}: {why}");
                return;
            }
            WriteObject(DkimAnalyzer.AnalyzeRecord(domain, selector, text));
        }
    }
}
