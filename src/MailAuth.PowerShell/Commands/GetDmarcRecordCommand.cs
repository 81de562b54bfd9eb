using System;
using System.IO;
using System.Management.Automation;
using MailAuth.Dmarc;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Get-DmarcRecord: finds the DMARC policy that applies to a name (RFC 9989 tree walk or the RFC 7489 PSL method) and judges it.</summary>
    [Cmdlet(VerbsCommon.Get, "DmarcRecord", DefaultParameterSetName = DomainSet)]
    [OutputType(typeof(DmarcRecordReport))]
    public sealed class GetDmarcRecordCommand : MailAuthRecordCmdletBase
    {
        private DmarcDiscoveryOptions? _options;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DomainSet)]
        [Parameter(Mandatory = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        [Alias("DomainName", "Name", "ZoneName")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = Array.Empty<string>();

        [Parameter]
        public DmarcDiscoveryMethod DiscoveryMethod { get; set; } = DmarcDiscoveryMethod.TreeWalk;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PublicSuffixListPath { get; set; }

        protected override void BeginProcessing()
        {
            PublicSuffixList? list = null;
            var method = DiscoveryMethod;
            if (PublicSuffixListPath != null)
            {
                var path = GetUnresolvedProviderPathFromPSPath(PublicSuffixListPath);
                try { list = PublicSuffixList.Load(path); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
                {
                    var id = ex is FileNotFoundException || ex is DirectoryNotFoundException ? "PublicSuffixListNotFound" : "PublicSuffixListUnreadable";
                    ThrowTerminatingError(new ErrorRecord(new MailAuthException($"-PublicSuffixListPath '{PublicSuffixListPath}': {ex.Message}", ex), id,
                        id == "PublicSuffixListNotFound" ? ErrorCategory.ObjectNotFound : ErrorCategory.ReadError, PublicSuffixListPath));
                }
                if (list!.RuleCount == 0)
                    ThrowTerminatingError(new ErrorRecord(new MailAuthException($"-PublicSuffixListPath '{PublicSuffixListPath}' holds no Public Suffix List rules."),
                        "InvalidPublicSuffixList", ErrorCategory.InvalidData, PublicSuffixListPath));
                WriteVerbose($"Public Suffix List: {list.RuleCount} rules from {path}; {list.Diagnostics.Count} lines skipped.");
                foreach (var d in list.Diagnostics) WriteVerbose("Public Suffix List " + d);
                if (!MyInvocation.BoundParameters.ContainsKey(nameof(DiscoveryMethod))) method = DmarcDiscoveryMethod.PublicSuffixList;
                else if (method == DmarcDiscoveryMethod.TreeWalk)
                    WriteWarning("-PublicSuffixListPath is not used with -DiscoveryMethod TreeWalk (the tree walk needs no list).");
            }
            _options = new DmarcDiscoveryOptions { Method = method, PublicSuffixList = list };

        }

        protected override string[] DomainInput => Domain;

        protected override void ProcessDomain(string domain)
        {
            var analyzer = new DmarcAnalyzer(Resolver, _options);
            WriteObject(Run(ct => analyzer.AnalyzeAsync(domain, ct)));
        }

        /// <summary>
        /// Judges a piped TXT record at _dmarc.&lt;domain&gt; as if published: the record answers for its own name,
        /// every other name of the discovery (parents, report destinations) is looked up as usual.
        /// </summary>
        protected override void ProcessPipedRecord(string owner, string text)
        {
            if (!owner.StartsWith("_dmarc.", StringComparison.Ordinal))
            {
                WriteVerbose($"{owner}: not a DMARC record name (_dmarc.<domain>); skipped.");
                return;
            }
            var domain = owner.Substring("_dmarc.".Length);
            var record = Dns.DnsResourceRecord.CreateText(owner, Dns.DnsRecordType.TXT, Publishing.PublishableRecord.SplitCharacterStrings(text), 3600);
            var overlay = new Dns.OverlayDnsResolver(Resolver, new[] { record }, "record from the pipeline");
            var analyzer = new DmarcAnalyzer(overlay, _options);
            WriteObject(Run(ct => analyzer.AnalyzeAsync(domain, ct)));
        }
    }
}
