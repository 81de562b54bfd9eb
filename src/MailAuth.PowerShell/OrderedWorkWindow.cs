using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.PowerShell
{
    /// <summary>
    /// Keeps up to <see cref="Limit"/> pipeline items' work in flight and writes their results in input order, from the
    /// pipeline thread only. A cmdlet starts each item's work in ProcessRecord with <see cref="Start{T}"/> (or queues an
    /// already known outcome, such as an error, with <see cref="Post"/>), and calls <see cref="Drain"/> in EndProcessing.
    /// With a limit of 1 this is the plain one-item-at-a-time behaviour.
    /// </summary>
    internal sealed class OrderedWorkWindow
    {
        private readonly Queue<Entry> _pending = new Queue<Entry>();
        private readonly CancellationToken _cancellation;

        public OrderedWorkWindow(int limit, CancellationToken cancellation)
        {
            if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit));
            Limit = limit;
            _cancellation = cancellation;
        }

        public int Limit { get; }

        /// <summary>
        /// Starts <paramref name="work"/> on the thread pool; <paramref name="write"/> runs on the pipeline thread, in
        /// input order, once it and every earlier item are done. Writes whatever is ready, and waits for the oldest
        /// item while the window is full.
        /// </summary>
        public void Start<T>(Func<CancellationToken, Task<T>> work, Action<T> write)
        {
            var token = _cancellation;
            var task = Task.Run(() => work(token), token);
            _pending.Enqueue(new Entry(task, () => write(task.GetAwaiter().GetResult())));
            WriteReady(Limit);
        }

        /// <summary>Queues an outcome known now (an error for a bad input row) so it is written in input order.</summary>
        public void Post(Action write)
        {
            _pending.Enqueue(new Entry(null, write));
            WriteReady(Limit);
        }

        /// <summary>Waits for every item in flight and writes the rest, in order.</summary>
        public void Drain() => WriteReady(1);

        // Writes finished items from the head; waits on the head while more than (keep - 1) items are pending.
        private void WriteReady(int keep)
        {
            while (_pending.Count > 0)
            {
                var head = _pending.Peek();
                if (head.Task != null && !head.Task.IsCompleted)
                {
                    if (_pending.Count < keep) return;
                    Wait(head.Task);
                }
                _pending.Dequeue();
                try
                {
                    head.Write();
                }
                catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }
        }

        private void Wait(Task task)
        {
            // Without spinning (see TaskBlocking); the item's own failure is rethrown, unwrapped, when its result is written.
            try
            {
                TaskBlocking.Wait(task, Timeout.InfiniteTimeSpan, _cancellation);
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private readonly struct Entry
        {
            public Entry(Task? task, Action write)
            {
                Task = task;
                Write = write;
            }

            public Task? Task { get; }
            public Action Write { get; }
        }
    }
}
