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
        [Parameter] [Alias("Ip4")] public string[] IPv4Address { get; set; } = Array.Empty<string>();
        [Parameter] [Alias("Ip6")] public string[] IPv6Address { get; set; } = Array.Empty<string>();
        [Parameter] public string[] Include { get; set; } = Array.Empty<string>();
        [Parameter] public SwitchParameter Mx { get; set; }
        [Parameter] public SwitchParameter A { get; set; }
        [Parameter] public string? Redirect { get; set; }
        [Parameter] public SpfAllPolicy All { get; set; }
        [Parameter] public SwitchParameter Force { get; set; }
        [Parameter] public string ZoneName { get; set; } = string.Empty;
        [Parameter] public string Name { get; set; } = "@";
        [Parameter] public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);
        [Parameter] public SwitchParameter Validate { get; set; }

        protected override void EndProcessing()
        {
            string value;
            try
            {
                value = SpfRecordBuilder.Build(new SpfRecordSpec
                {
                    IPv4Addresses = IPv4Address,
                    IPv6Addresses = IPv6Address,
                    Includes = Include,
                    Mx = Mx,
                    A = A,
                    Redirect = Redirect,
                    All = MyInvocation.BoundParameters.ContainsKey(nameof(All)) ? All : (SpfAllPolicy?)null,
                    AllowPassAll = Force,
                });
            }
            catch (SpfBuildException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidArgument, ex.Term));
                return;
            }

            var zone = ZoneName;
            if (zone.Length > 0 && NormalizeDomainOrWriteError(zone) is string z) zone = z;
            var record = PublishableRecord.CreateTxt(zone, Name, value, TimeToLive);
            if (Validate)
            {
                var domain = record.FullName.Length > 0 && record.FullName != "@" ? record.FullName : "example.invalid";
                var report = Run(ct => new SpfAnalyzer(Resolver).AnalyzeRecordAsync(domain, value, ct));
                record = record.WithValidation(report.DnsLookupCount, report.Findings);
                foreach (var f in report.Findings)
                    if (f.Severity == Findings.FindingSeverity.Error) WriteWarning($"{f.Id}: {f.Message}");
                WriteResolverStatistics();
            }
            WriteObject(record);
        }
    }
}
