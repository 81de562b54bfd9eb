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

        /// <summary>The most DNS messages per second sent to the servers; 0 (the default) means no limit.</summary>
        [Parameter]
        [ValidateRange(0, 1000000)]
        public int MaxQueriesPerSecond { get; set; }

        /// <summary>The invocation's resolver; created on first use.</summary>
        protected IDnsResolver Resolver => (_session ??= CreateSession()).Resolver;

        private DnsResolverSession CreateSession() => CreateResolverSession(Server, ZoneFile, TimeoutSec, RetryCount, side: null, MaxQueriesPerSecond);

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
