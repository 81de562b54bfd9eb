using System;
using System.Management.Automation;
using System.Net;
using MailAuth.Spf;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Test-SpfRecord: RFC 7208 check_host() for a client IP, sender and HELO name.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "SpfRecord")]
    [OutputType(typeof(SpfCheckResult))]
    public sealed class TestSpfRecordCommand : MailAuthConcurrentDnsCmdletBase
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

        /// <summary>The default -ThrottleLimit: enough items in flight to hide DNS round trips.</summary>
        public const int DefaultThrottleLimit = 128;

        public TestSpfRecordCommand() : base(DefaultThrottleLimit) { }

        protected override void ProcessRecord()
        {
            var window = Window;
            var ip = IPAddress;
            if (string.IsNullOrWhiteSpace(Sender) && string.IsNullOrWhiteSpace(HeloDomain) && string.IsNullOrWhiteSpace(Domain))
            {
                window.Post(() => WriteMailAuthError("MissingSpfIdentity", ErrorCategory.InvalidArgument, ip,
                    "Give -Sender, -HeloDomain or -Domain: SPF checks the MAIL FROM domain, or the HELO name for an empty sender."));
                return;
            }
            var identity = SpfIdentity.FromMailFrom(Sender, HeloDomain);
            if (string.IsNullOrWhiteSpace(Sender) && string.IsNullOrWhiteSpace(HeloDomain))
                identity = SpfIdentity.FromSender(string.Empty, Domain);
            var domain = string.IsNullOrWhiteSpace(Domain) ? identity.Domain : Domain!.Trim();
            var helo = HeloDomain;
            var evaluator = new SpfEvaluator(Resolver);
            window.Start(ct => evaluator.CheckHostAsync(ip, domain, identity.Sender, helo, ct), result => WriteObject(result));
        }
    }
}
