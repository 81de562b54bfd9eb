using System;
using System.Management.Automation;
using MailAuth.Publishing;
using MailAuth.Spf;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>New-SpfRecord: builds and validates an SPF record ready for Add-DnsServerResourceRecord -Txt.</summary>
    [Cmdlet(VerbsCommon.New, "SpfRecord")]
    [OutputType(typeof(PublishableRecord))]
    public sealed class NewSpfRecordCommand : MailAuthDnsCmdletBase
    {
        // Every value parameter also binds by property name, so one CSV row (ZoneName, Include, IPv4Address, ...)
        // yields one record. List cells may hold several values separated by spaces, commas or semicolons.
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("Ip4")] public string[] IPv4Address { get; set; } = Array.Empty<string>();
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("Ip6")] public string[] IPv6Address { get; set; } = Array.Empty<string>();
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] Include { get; set; } = Array.Empty<string>();
        [Parameter(ValueFromPipelineByPropertyName = true)] public SwitchParameter Mx { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] public SwitchParameter A { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] public string? Redirect { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] public SpfAllPolicy? All { get; set; }
        [Parameter] public SwitchParameter Force { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("Domain")] public string ZoneName { get; set; } = string.Empty;
        [Parameter(ValueFromPipelineByPropertyName = true)] public string Name { get; set; } = "@";
        [Parameter(ValueFromPipelineByPropertyName = true)] public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);
        [Parameter] public SwitchParameter Validate { get; set; }

        private static readonly char[] ListSeparators = { ' ', ',', ';', '\t' };

        private static string[] SplitList(string[] values)
        {
            var result = new System.Collections.Generic.List<string>();
            foreach (var v in values ?? Array.Empty<string>())
                if (v != null) result.AddRange(v.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries));
            return result.ToArray();
        }

        protected override void ProcessRecord()
        {
            string value;
            try
            {
                value = SpfRecordBuilder.Build(new SpfRecordSpec
                {
                    IPv4Addresses = SplitList(IPv4Address),
                    IPv6Addresses = SplitList(IPv6Address),
                    Includes = SplitList(Include),
                    Mx = Mx,
                    A = A,
                    Redirect = string.IsNullOrWhiteSpace(Redirect) ? null : Redirect,
                    All = All,
                    AllowPassAll = Force,
                });
            }
            catch (SpfBuildException ex)
            {
                // A bad row does not stop the others; a single call still fails (Should -Throw, -ErrorAction Stop).
                WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidArgument, ex.Term));
                return;
            }

            var zone = ZoneName;
            if (zone.Length > 0 && NormalizeDomainOrWriteError(zone) is string z) zone = z;
            var record = PublishableRecord.CreateTxt(zone, Name, value, TimeToLive);
            if (Validate)
            {
                var domain = record.FullName.Length > 0 && record.FullName != "@" ? record.FullName : "example.invalid";
                var analyzer = new SpfAnalyzer(Resolver); // resolver built here, on the pipeline thread
                var report = Run(ct => analyzer.AnalyzeRecordAsync(domain, value, ct));
                record = record.WithValidation(report.DnsLookupCount, report.Findings);
                foreach (var f in report.Findings)
                    if (f.Severity == Findings.FindingSeverity.Error) WriteWarning($"{f.Id}: {f.Message}");
            }
            WriteObject(record);
        }

        protected override void EndProcessing() => WriteResolverStatistics();
    }
}
