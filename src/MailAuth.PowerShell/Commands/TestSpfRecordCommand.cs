using System;
using System.Management.Automation;
using System.Net;
using MailAuth.Spf;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Test-SpfRecord: RFC 7208 check_host() for a client IP, sender and HELO name.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "SpfRecord")]
    [OutputType(typeof(SpfCheckResult))]
    public sealed class TestSpfRecordCommand : MailAuthDnsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("IP", "SendingIP", "SourceIP", "ClientIP")]
        public IPAddress IPAddress { get; set; } = IPAddress.None;

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("MailFrom", "EnvelopeFrom")]
        [AllowEmptyString]
        public string? Sender { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Helo", "Ehlo")]
        public string? HeloDomain { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName")]
        public string? Domain { get; set; }

        protected override void ProcessRecord()
        {
            if (string.IsNullOrWhiteSpace(Sender) && string.IsNullOrWhiteSpace(HeloDomain) && string.IsNullOrWhiteSpace(Domain))
            {
                WriteMailAuthError("MissingSpfIdentity", ErrorCategory.InvalidArgument, IPAddress,
                    "Give -Sender, -HeloDomain or -Domain: SPF checks the MAIL FROM domain, or the HELO name for an empty sender.");
                return;
            }
            var identity = SpfIdentity.FromMailFrom(Sender, HeloDomain);
            if (string.IsNullOrWhiteSpace(Sender) && string.IsNullOrWhiteSpace(HeloDomain))
                identity = SpfIdentity.FromSender(string.Empty, Domain);
            var domain = string.IsNullOrWhiteSpace(Domain) ? identity.Domain : Domain!.Trim();
            var evaluator = new SpfEvaluator(Resolver);
            WriteObject(Run(ct => evaluator.CheckHostAsync(IPAddress, domain, identity.Sender, HeloDomain, ct)));
        }

        protected override void EndProcessing() => WriteResolverStatistics();
    }
}
