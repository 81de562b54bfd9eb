using System.Management.Automation;

namespace MailAuth.PowerShell
{
    /// <summary>
    /// Base for DNS cmdlets that check many pipeline items (Test-SpfRecord, Test-DkimSignature): declares
    /// -ThrottleLimit and keeps that many items' work in flight through an <see cref="OrderedWorkWindow"/>, so
    /// results and errors are still written in input order, from the pipeline thread. EndProcessing waits for the rest.
    /// </summary>
    public abstract class MailAuthConcurrentDnsCmdletBase : MailAuthDnsCmdletBase
    {
        private OrderedWorkWindow? _window;

        protected MailAuthConcurrentDnsCmdletBase(int defaultThrottleLimit) => ThrottleLimit = defaultThrottleLimit;

        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; }

        /// <summary>The invocation's window, created on first use (parameters are bound by then).</summary>
        private protected OrderedWorkWindow Window => _window ??= new OrderedWorkWindow(ThrottleLimit, CancellationToken);

        protected override void EndProcessing()
        {
            _window?.Drain();
            WriteResolverStatistics();
        }
    }
}
