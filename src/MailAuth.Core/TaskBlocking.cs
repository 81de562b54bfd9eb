using System;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth
{
    /// <summary>
    /// Blocks a thread on a task without spinning. <see cref="Task.Wait(int, CancellationToken)"/> spins on the CPU
    /// before it sleeps; a pipeline thread that waits for the next result hundreds of times a second took ~10% of a
    /// bulk audit's CPU that way, on a machine where the audits themselves needed every cycle. This waits on the
    /// task's kernel event (and the cancellation token's) instead.
    /// </summary>
    internal static class TaskBlocking
    {
        /// <summary>True when <paramref name="task"/> completed (in any state) within <paramref name="timeout"/>.</summary>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
        public static bool Wait(Task task, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (task.IsCompleted) return true;
            cancellationToken.ThrowIfCancellationRequested();
            var ms = timeout == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds));
            var handle = ((IAsyncResult)task).AsyncWaitHandle;
            var signalled = cancellationToken.CanBeCanceled
                ? WaitHandle.WaitAny(new[] { handle, cancellationToken.WaitHandle }, ms)
                : (handle.WaitOne(ms) ? 0 : WaitHandle.WaitTimeout);
            // Cancellation wins over a task that completed at the same moment (often because of it), as in Task.Wait.
            cancellationToken.ThrowIfCancellationRequested();
            return signalled == 0 || task.IsCompleted;
        }
    }
}
