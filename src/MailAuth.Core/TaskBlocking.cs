using System;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth
{
    /// <summary>
    /// Blocks a thread on a task without spinning. <see cref="Task.Wait(int, CancellationToken)"/> spins on the CPU
    /// before it sleeps; a pipeline thread that waits for the next result hundreds of times a second took ~10% of a
    /// bulk audit's CPU that way, on a machine where the audits themselves needed every cycle. This sleeps on a
    /// <see cref="ManualResetEventSlim"/> with no spinning, set by a continuation of the task (no kernel handle is
    /// made, which matters on Windows PowerShell 5.1 when a run waits on a hundred thousand tasks).
    /// </summary>
    internal static class TaskBlocking
    {
        private static readonly Action<Task, object?> SetEvent = (_, state) => ((ManualResetEventSlim)state!).Set();

        /// <summary>True when <paramref name="task"/> completed (in any state) within <paramref name="timeout"/>.</summary>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
        public static bool Wait(Task task, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (task.IsCompleted) return true;
            cancellationToken.ThrowIfCancellationRequested();
            var ms = timeout == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds));
            // Not disposed: the continuation may still set it after a timeout; without a kernel handle it is only memory.
            var done = new ManualResetEventSlim(false, spinCount: 0);
            task.ContinueWith(SetEvent, done, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var signalled = done.Wait(ms, cancellationToken);
            // Cancellation wins over a task that completed at the same moment (often because of it), as in Task.Wait.
            cancellationToken.ThrowIfCancellationRequested();
            return signalled || task.IsCompleted;
        }
    }
}
