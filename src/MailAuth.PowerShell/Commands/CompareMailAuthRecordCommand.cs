using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Migration;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>
    /// Compare-MailAuthRecord: a domain's SPF, DKIM, DMARC, MX, MTA-STS, TLS-RPT and BIMI records on a reference
    /// (the old host's zone export or name servers) against a difference side (the new provider, or normal DNS).
    /// </summary>
    [Cmdlet(VerbsData.Compare, "MailAuthRecord")]
    [OutputType(typeof(MailAuthRecordComparison))]
    public sealed class CompareMailAuthRecordCommand : MailAuthCmdletBase
    {
        private DnsResolverSession? _reference;
        private DnsResolverSession? _difference;
        private bool _sawDomain;

        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "Name", "ZoneName")]
        [AllowEmptyString]
        public string[]? Domain { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DkimSelector")]
        [ValidateNotNull]
        public string[]? Selector { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ReferenceServer { get; set; }

        [Parameter]
        public SwitchParameter SkipSelectorDiscovery { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ReferenceZoneFile { get; set; }

        [Parameter]
        [Alias("Server")]
        [ValidateNotNullOrEmpty]
        public string[]? DifferenceServer { get; set; }

        [Parameter]
        [Alias("ZoneFile")]
        [ValidateNotNullOrEmpty]
        public string[]? DifferenceZoneFile { get; set; }

        [Parameter]
        [ValidateRange(1, 300)]
        public int TimeoutSec { get; set; } = (int)DnsResolverOptions.DefaultTimeout.TotalSeconds;

        [Parameter]
        [ValidateRange(0, 10)]
        public int RetryCount { get; set; } = DnsResolverOptions.DefaultRetries;

        protected override void BeginProcessing()
        {
            if (ReferenceServer is null && ReferenceZoneFile is null)
                ThrowTerminatingError(new ErrorRecord(new MailAuthException("Give the reference side with -ReferenceZoneFile (for example the old host's zone export) or -ReferenceServer."),
                    "NoReference", ErrorCategory.InvalidArgument, null));
            _reference = CreateResolverSession(ReferenceServer, ReferenceZoneFile, TimeoutSec, RetryCount, "reference");
            _difference = CreateResolverSession(DifferenceServer, DifferenceZoneFile, TimeoutSec, RetryCount, "difference");
        }

        protected override void ProcessRecord()
        {
            foreach (var input in Domain ?? Array.Empty<string>())
            {
                _sawDomain = true;
                var domain = NormalizeDomainOrWriteError(input);
                if (domain is null) continue;
                Compare(domain);
            }
        }

        protected override void EndProcessing()
        {
            if (!_sawDomain)
            {
                // No domain given: every zone of the reference zone files.
                var origins = _reference!.Zones?.Zones.Select(z => z.Origin).Where(o => o.Length > 0).Distinct().ToList() ?? new List<string>();
                if (origins.Count == 0)
                    WriteMailAuthError("NoDomain", ErrorCategory.InvalidArgument, null,
                        "Give -Domain, or reference zone files whose zones are then compared.");
                foreach (var origin in origins) Compare(origin);
            }
            WriteVerbose($"DNS queries: reference {_reference!.Statistics}; difference {_difference!.Statistics}");
        }

        private void Compare(string domain)
        {
            var selectors = new List<string>();
            foreach (var s in Selector ?? Array.Empty<string>())
            {
                if (DkimAnalyzer.IsValidSelector(s, out var reason)) selectors.Add(s);
                else WriteMailAuthError("InvalidSelector", ErrorCategory.InvalidArgument, s, reason ?? $"'{s}' is not a valid DKIM selector.");
            }
            if (_reference!.Zones != null) selectors.AddRange(MailAuthRecordComparer.FindDkimSelectors(_reference.Zones.Zones, domain));
            if (_difference!.Zones != null) selectors.AddRange(MailAuthRecordComparer.FindDkimSelectors(_difference.Zones.Zones, domain));
            // A side answered by servers cannot list its names: look for keys under the common and provider selectors
            // (the same discovery as Test-DkimSelector), so a key the move lost is found without -Selector.
            if (!SkipSelectorDiscovery)
            {
                foreach (var (side, label) in new[] { (_reference, "reference"), (_difference, "difference") })
                {
                    if (side.Zones != null) continue;
                    var discovery = new DkimSelectorDiscovery(side);
                    var found = Run(ct => discovery.DiscoverAsync(domain, null, ct));
                    WriteVerbose($"{domain}: {label} side, selector discovery: {found.Summary}");
                    selectors.AddRange(found.SelectorsFound);
                }
            }

            var comparer = new MailAuthRecordComparer(_reference, _difference);
            var rows = Run(ct => comparer.CompareAsync(domain, selectors, ct));
            if (rows.Count == 0) WriteVerbose($"{domain}: no SPF, DKIM, DMARC, MX, MTA-STS, TLS-RPT or BIMI record on either side.");
            foreach (var row in rows) WriteObject(row);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _reference?.Dispose();
                _difference?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
