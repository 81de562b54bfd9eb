using System;
using MailAuth.Dns;
using System.Collections.ObjectModel;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.PowerShell
{
    /// <summary>
    /// Base for every MailAuth cmdlet: owns the cancellation source (cancelled by Ctrl+C through
    /// <see cref="StopProcessing"/>) and writes errors with stable ids. Cmdlets that query DNS derive from
    /// <see cref="MailAuthDnsCmdletBase"/>.
    /// </summary>
    public abstract class MailAuthCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();

        protected CancellationToken CancellationToken => _cancellation.Token;

        protected override void StopProcessing() => _cancellation.Cancel();

        /// <summary>Runs core async work to completion on the pipeline thread, honouring Ctrl+C.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            try
            {
                return Task.Run(() => work(CancellationToken), CancellationToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Writes a non-terminating error with a stable id; the pipeline goes on.</summary>
        protected void WriteMailAuthError(string errorId, ErrorCategory category, object? target, string message, Exception? inner = null)
        {
            var exception = inner is null ? new MailAuthException(message) : new MailAuthException(message, inner);
            WriteError(new ErrorRecord(exception, errorId, category, target));
        }

        /// <summary>Validates and normalises a domain argument; writes an InvalidDomainName error and returns null when unusable.</summary>
        protected string? NormalizeDomainOrWriteError(string? domain)
        {
            if (Dns.DnsName.TryNormalizeDomain(domain, out var normalized, out var reason)) return normalized;
            WriteMailAuthError("InvalidDomainName", ErrorCategory.InvalidArgument, domain, reason ?? "Invalid domain name.");
            return null;
        }

        /// <summary>
        /// Builds a resolver session from -Server / -ZoneFile style arguments, with the given timeout and retries.
        /// <paramref name="side"/> names the session in messages when a cmdlet uses more than one (e.g. "reference").
        /// Zone-file notes go to -Verbose, warnings and errors to the warning stream.
        /// </summary>
        protected DnsResolverSession CreateResolverSession(string[]? serverArgs, string[]? zoneFileArgs, int timeoutSec, int retryCount, string? side, int maxQueriesPerSecond = 0)
        {
            var servers = new List<DnsServerEndpoint>();
            foreach (var s in serverArgs ?? Array.Empty<string>())
            {
                if (!DnsServerEndpoint.TryParse(s, out var endpoint, out var error))
                {
                    var what = side is null ? $"-Server '{s}'" : $"The {side} server '{s}'";
                    ThrowTerminatingError(new ErrorRecord(new MailAuthException($"{what}: {error}"), "InvalidServer", ErrorCategory.InvalidArgument, s));
                }
                servers.Add(endpoint!);
            }
            var zoneFiles = new List<string>();
            foreach (var pattern in zoneFileArgs ?? Array.Empty<string>())
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
                Timeout = TimeSpan.FromSeconds(timeoutSec),
                Retries = retryCount,
                MaxQueriesPerSecond = maxQueriesPerSecond,
            };
            var session = DnsResolverFactory.Create(options);
            var prefix = side is null ? string.Empty : side + ": ";
            foreach (var d in session.ZoneDiagnostics)
            {
                if (d.Severity == Findings.FindingSeverity.Information) WriteVerbose(prefix + d);
                else WriteWarning(prefix + d);
            }
            WriteVerbose(side is null ? $"DNS: {options}" : $"{side} DNS: {session.Describe()}");
            return session;
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing) _cancellation.Dispose();
        }
    }

    /// <summary>The exception type carried by MailAuth's error records.</summary>
    public sealed class MailAuthException : Exception
    {
        public MailAuthException(string message) : base(message) { }
        public MailAuthException(string message, Exception inner) : base(message, inner) { }
    }
}
