using System;
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
