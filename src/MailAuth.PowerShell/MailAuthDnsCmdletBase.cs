using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using MailAuth.Dns;

namespace MailAuth.PowerShell
{
    /// <summary>
    /// Base for cmdlets that query DNS: declares -Server, -ZoneFile, -TimeoutSec and -RetryCount, and builds one
    /// resolver (with one cache) per invocation, on first use, shared by every lookup of that invocation.
    /// </summary>
    public abstract class MailAuthDnsCmdletBase : MailAuthCmdletBase
    {
        private DnsResolverSession? _session;


        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Server { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ZoneFile { get; set; }

        [Parameter]
        [ValidateRange(1, 300)]
        public int TimeoutSec { get; set; } = (int)DnsResolverOptions.DefaultTimeout.TotalSeconds;

        [Parameter]
        [ValidateRange(0, 10)]
        public int RetryCount { get; set; } = DnsResolverOptions.DefaultRetries;

        /// <summary>The invocation's resolver; created on first use.</summary>
        protected IDnsResolver Resolver => (_session ??= CreateSession()).Resolver;

        private DnsResolverSession CreateSession()
        {
            var servers = new List<DnsServerEndpoint>();
            foreach (var s in Server ?? Array.Empty<string>())
            {
                if (!DnsServerEndpoint.TryParse(s, out var endpoint, out var error))
                    ThrowTerminatingError(new ErrorRecord(new MailAuthException($"-Server '{s}': {error}"), "InvalidServer", ErrorCategory.InvalidArgument, s));
                servers.Add(endpoint!);
            }
            var zoneFiles = new List<string>();
            foreach (var pattern in ZoneFile ?? Array.Empty<string>())
            {
                Collection<string> paths;
                try { paths = GetResolvedProviderPathFromPSPath(pattern, out _); }
                catch (ItemNotFoundException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "ZoneFileNotFound", ErrorCategory.ObjectNotFound, pattern));
                    throw;
                }
                zoneFiles.AddRange(paths);
            }
            var options = new DnsResolverOptions
            {
                Servers = servers,
                ZoneFiles = zoneFiles,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                Retries = RetryCount,
            };
            var session = DnsResolverFactory.Create(options);
            foreach (var d in session.ZoneDiagnostics)
            {
                if (d.Severity == Findings.FindingSeverity.Information) WriteVerbose(d.ToString());
                else WriteWarning(d.ToString());
            }
            WriteVerbose($"DNS: {options}");
            return session;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _session?.Dispose();
            base.Dispose(disposing);
        }

        /// <summary>Writes the query count of this invocation with -Verbose.</summary>
        protected void WriteResolverStatistics()
        {
            if (_session != null) WriteVerbose($"DNS queries: {_session.Statistics}");
        }
    }
}
