using System.Management.Automation;

namespace MailAuth.PowerShell
{
    /// <summary>
    /// Base of the Get-*Record cmdlets. Two parameter sets: names looked up in DNS (the -Domain set), and TXT records
    /// piped from <c>Get-DnsServerResourceRecord -ZoneName z -RRType Txt</c> (RecordData, HostName, RecordType, with
    /// -ZoneName given), judged as if published, before the zone goes live. The derived cmdlet declares its own
    /// -Domain parameter (its aliases differ) and says what to do with a name or a piped record.
    /// </summary>
    public abstract class MailAuthRecordCmdletBase : MailAuthDnsCmdletBase
    {
        protected const string DomainSet = "Domain";
        private string? _zone;

        /// <summary>RecordData of a Get-DnsServerResourceRecord result (its DescriptiveText is the record text).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        public PSObject? RecordData { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        public string? HostName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WindowsDnsRecordInput.ParameterSet)]
        public string? RecordType { get; set; }

        /// <summary>The values of the cmdlet's -Domain parameter (in the Windows DNS set: the zone name).</summary>
        protected abstract string[] DomainInput { get; }

        /// <summary>Looks up and judges one valid, normalised name.</summary>
        protected abstract void ProcessDomain(string domain);

        /// <summary>Judges one piped TXT record; <paramref name="owner"/> is its full name within the zone.</summary>
        protected abstract void ProcessPipedRecord(string owner, string text);

        protected override void ProcessRecord()
        {
            if (ParameterSetName == WindowsDnsRecordInput.ParameterSet)
            {
                // The parameter set is known only once the first record is bound, so the zone is checked here.
                _zone ??= WindowsDnsRecordInput.ZoneOrThrow(this, DomainInput);
                if (WindowsDnsRecordInput.TryRead(RecordData, HostName, RecordType, _zone, out var owner, out var text, out var reason))
                    ProcessPipedRecord(owner, text);
                else
                    WriteVerbose(reason);
                return;
            }
            foreach (var input in DomainInput)
            {
                var domain = NormalizeDomainOrWriteError(input);
                if (domain != null) ProcessDomain(domain);
            }
        }

        protected override void EndProcessing() => WriteResolverStatistics();
    }
}
