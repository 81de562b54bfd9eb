using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAuth.Dmarc;
using MailAuth.Findings;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>
    /// New-DmarcRecord: builds and validates a DMARC record for _dmarc.&lt;zone&gt;, plus the _report._dmarc records that
    /// report destinations in other organisational domains must publish.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "DmarcRecord")]
    [OutputType(typeof(PublishableRecord))]
    public sealed class NewDmarcRecordCommand : MailAuthCmdletBase
    {
        // Every value parameter also binds by property name, so one CSV row yields one record; address cells may
        // hold several addresses separated by spaces, commas or semicolons.
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)] [Alias("p")] public DmarcPolicy Policy { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("sp")] public DmarcPolicy? SubdomainPolicy { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("np")] public DmarcPolicy? NonExistentSubdomainPolicy { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("rua")] public string[] AggregateReportAddress { get; set; } = Array.Empty<string>();
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("ruf")] public string[] FailureReportAddress { get; set; } = Array.Empty<string>();
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("adkim")] public DmarcAlignmentMode DkimAlignment { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("aspf")] public DmarcAlignmentMode SpfAlignment { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("fo")] [ValidateSet("0", "1", "d", "s")] public string[] FailureReportOptions { get; set; } = Array.Empty<string>();
        [Parameter(ValueFromPipelineByPropertyName = true)] public SwitchParameter Testing { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("Domain")] public string ZoneName { get; set; } = string.Empty;
        [Parameter(ValueFromPipelineByPropertyName = true)] public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

        private static readonly char[] ListSeparators = { ' ', ',', ';', '\t' };

        private static string[] SplitList(string[] values)
        {
            var result = new List<string>();
            foreach (var v in values ?? Array.Empty<string>())
                if (v != null) result.AddRange(v.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries));
            return result.ToArray();
        }

        protected override void ProcessRecord()
        {
            var zone = ZoneName ?? string.Empty;
            if (zone.Length > 0)
            {
                if (NormalizeDomainOrWriteError(zone) is string z) zone = z;
                else return;
            }
            string value;
            try
            {
                value = DmarcRecordBuilder.Build(new DmarcRecordSpec
                {
                    Policy = Policy,
                    SubdomainPolicy = SubdomainPolicy,
                    NonExistentSubdomainPolicy = NonExistentSubdomainPolicy,
                    AggregateReportAddresses = SplitList(AggregateReportAddress),
                    FailureReportAddresses = SplitList(FailureReportAddress),
                    DkimAlignment = DkimAlignment,
                    SpfAlignment = SpfAlignment,
                    FailureReportOptions = SplitList(FailureReportOptions),
                    Testing = Testing,
                });
            }
            catch (DmarcBuildException ex)
            {
                // A bad row does not stop the others; a single call still fails with -ErrorAction Stop.
                WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidArgument, ex.Term));
                return;
            }

            // Validate with the parser Get-DmarcRecord uses; what it says travels on the output object.
            var parsed = DmarcRecord.Parse(value);
            var findings = parsed.Diagnostics
                .Select(d => new Finding(d.Id, d.Severity, "DMARC", d.Message, d.Remediation, d.Reference, d.Tag))
                .ToList();
            if (parsed.HasErrors)
            {
                var first = parsed.Diagnostics.First(d => d.IsError);
                WriteMailAuthError("InvalidDmarcRecord", ErrorCategory.InvalidResult, value, $"The record '{value}' is not valid: {first.Message}");
                return;
            }
            if (Policy == DmarcPolicy.None)
                findings.Add(new Finding("DMARC.PolicyNone", FindingSeverity.Warning, "DMARC",
                    "p=none is monitoring only: receivers handle spoofed mail as if there were no DMARC.",
                    "Move to p=quarantine, then p=reject, once the aggregate reports show that all legitimate mail passes.", "RFC 9989, General Record Format", "p=none"));
            if (!parsed.HasUsableAggregateReportUri)
                findings.Add(new Finding("DMARC.NoAggregateReports", FindingSeverity.Warning, "DMARC",
                    "The record has no rua= address, so nobody receives aggregate reports.",
                    "Add -AggregateReportAddress with a mailbox that processes DMARC reports.", "RFC 9989, General Record Format"));

            var record = PublishableRecord.CreateTxt(zone, "_dmarc", value, TimeToLive).WithValidation(null, findings);
            WriteObject(record);

            if (zone.Length == 0)
            {
                if (parsed.AggregateReportUris.Concat(parsed.FailureReportUris).Any())
                    WriteWarning("Without -ZoneName the report addresses cannot be checked against the record's domain, so no _report._dmarc authorisation records are made.");
                return;
            }
            foreach (var auth in DmarcRecordBuilder.AuthorizationRecords(zone, value, TimeToLive))
            {
                WriteVerbose($"{auth.FullName}: the destination must publish this record to accept reports about {zone}.");
                WriteObject(auth);
            }
        }
    }
}
