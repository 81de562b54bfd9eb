using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Audit
{
    /// <summary>
    /// Runs many audits at once for one bulk run: at most <see cref="ThrottleLimit"/> domains in flight, requests
    /// with the same domain (and selectors and sending IPs) audited once and reported for each row, results handed
    /// out strictly in input order as soon as they and every row before them are done. Every submitted row yields
    /// exactly one result: a failure or an invalid name gives a <see cref="AuditStatus.Failed"/> result with the reason.
    /// Rows are submitted and results taken from one thread (the PowerShell pipeline thread); the audits run on the
    /// thread pool. Cancelling the token stops the audits promptly; <see cref="TakeReady"/> then throws
    /// <see cref="OperationCanceledException"/>.
    /// Memory stays bounded in a long run: a finished audit is kept for later duplicates only while it is among the
    /// last <see cref="DefaultRecentAudits"/> distinct audits; a duplicate of an older row is audited again (through the
    /// shared cache) and still reported with <see cref="MailAuthAuditResult.DuplicateOfRow"/>. Per finished domain only
    /// its key and first row number are kept.
    /// </summary>
    public sealed class MailAuthAuditRunner : IDisposable
    {
        /// <summary>
        /// The default number of domains audited at the same time: with 20 ms round trips a domain takes ~0.1-0.2 s
        /// of mostly waiting, so 128 at a time keep a 2-core machine busy (~600 domains/s, ~13,000 queries/s to the
        /// DNS server at full speed). A shared or rate-limited resolver wants a lower -ThrottleLimit.
        /// </summary>
        public const int DefaultThrottleLimit = 128;

        /// <summary>
        /// Domains to audit at a time under a query rate limit: a tenth of the rate (at least 1), so that at ~20 queries
        /// per domain each domain still finishes in about two seconds instead of waiting behind the others.
        /// </summary>
        public static int ThrottleForQueryRate(int queriesPerSecond) =>
            queriesPerSecond <= 0 ? DefaultThrottleLimit : Math.Max(1, Math.Min(DefaultThrottleLimit, queriesPerSecond / 10));

        /// <summary>How many distinct audits (finished or not) are kept for rows that repeat them.</summary>
        public const int DefaultRecentAudits = 512;

        private readonly MailAuthAuditor _auditor;
        private readonly SemaphoreSlim _slots;
        private readonly CancellationTokenSource _cancellation;
        private readonly Dictionary<string, int> _firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, Task<MailAuthAuditResult>> _recent = new Dictionary<string, Task<MailAuthAuditResult>>(StringComparer.Ordinal);
        private readonly Queue<string> _recentOrder = new Queue<string>();
        private readonly int _recentLimit;
        private int _auditsStarted;
        private readonly Queue<Row> _pending = new Queue<Row>();
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private int _submitted;
        private int _returned;
        private int _auditsFinished;

        public MailAuthAuditRunner(MailAuthAuditor auditor, int throttleLimit = DefaultThrottleLimit, CancellationToken cancellationToken = default)
            : this(auditor, throttleLimit, cancellationToken, DefaultRecentAudits)
        {
        }

        internal MailAuthAuditRunner(MailAuthAuditor auditor, int throttleLimit, CancellationToken cancellationToken, int recentAudits)
        {
            _recentLimit = Math.Max(1, recentAudits);
            _auditor = auditor ?? throw new ArgumentNullException(nameof(auditor));
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "The throttle limit must be at least 1.");
            ThrottleLimit = throttleLimit;
            _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public int ThrottleLimit { get; }
        /// <summary>Rows submitted so far.</summary>
        public int Submitted => _submitted;
        /// <summary>Rows whose result was taken.</summary>
        public int Returned => _returned;
        /// <summary>Rows submitted but not yet taken.</summary>
        public int Pending => _submitted - _returned;
        /// <summary>Distinct audits started (duplicates excluded).</summary>
        public int AuditsStarted => Volatile.Read(ref _auditsStarted);
        /// <summary>Distinct audits finished.</summary>
        public int AuditsFinished => Volatile.Read(ref _auditsFinished);
        /// <summary>Time since the runner was created.</summary>
        public TimeSpan Elapsed => _watch.Elapsed;

        /// <summary>Adds a row and starts its audit (or joins the audit of an earlier identical row). Returns the row number (1-based).</summary>
        public int Submit(MailAuthAuditRequest request)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var row = ++_submitted;
            var key = request.Key;
            Task<MailAuthAuditResult>? task;
            int? duplicateOf = null;
            if (_firstRow.TryGetValue(key, out var first)) duplicateOf = first;
            else _firstRow[key] = row;
            if (!_recent.TryGetValue(key, out task))
            {
                // A new audit (or a repeat of one forgotten long ago), on the thread pool, never the caller's context.
                task = Task.Run(() => RunAsync(request));
                Interlocked.Increment(ref _auditsStarted);
                _recent[key] = task;
                _recentOrder.Enqueue(key);
                // Forget the oldest finished audits beyond the limit (rows waiting for them hold their own reference).
                while (_recent.Count > _recentLimit && _recent[_recentOrder.Peek()].IsCompleted) _recent.Remove(_recentOrder.Dequeue());
            }
            _pending.Enqueue(new Row(row, request.Input, task, duplicateOf));
            return row;
        }

        /// <summary>The results that are ready, in input order (stops at the first row still running). Never blocks.</summary>
        public IReadOnlyList<MailAuthAuditResult> TakeReady()
        {
            var ready = new List<MailAuthAuditResult>();
            while (_pending.Count > 0 && _pending.Peek().Task.IsCompleted)
            {
                var row = _pending.Peek();
                if (row.Task.IsCanceled || _cancellation.IsCancellationRequested) throw new OperationCanceledException(_cancellation.Token);
                _pending.Dequeue();
                _returned++;
                ready.Add(row.Task.Result.ForRow(row.Number, row.Input, row.DuplicateOf));
            }
            return ready;
        }

        /// <summary>Waits until the next row in order is done, or <paramref name="timeout"/> passes, or the run is cancelled. True when a result is ready.</summary>
        public bool WaitForNext(TimeSpan timeout)
        {
            if (_pending.Count == 0) return false;
            try
            {
                return TaskBlocking.Wait(_pending.Peek().Task, timeout, _cancellation.Token);
            }
            catch (OperationCanceledException) { return false; }
        }

        /// <summary>Audits every request and returns the results in input order (for callers without a pipeline).</summary>
        public async Task<IReadOnlyList<MailAuthAuditResult>> RunAllAsync(IEnumerable<MailAuthAuditRequest> requests)
        {
            if (requests is null) throw new ArgumentNullException(nameof(requests));
            var results = new List<MailAuthAuditResult>();
            foreach (var r in requests) Submit(r);
            while (_pending.Count > 0)
            {
                await Task.WhenAny(_pending.Peek().Task, Task.Delay(Timeout.Infinite, _cancellation.Token)).ConfigureAwait(false);
                _cancellation.Token.ThrowIfCancellationRequested();
                results.AddRange(TakeReady());
            }
            return results;
        }

        /// <summary>Stops every audit in flight.</summary>
        public void Cancel() => _cancellation.Cancel();

        private async Task<MailAuthAuditResult> RunAsync(MailAuthAuditRequest request)
        {
            var token = _cancellation.Token;
            try
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _auditsFinished);
                throw;
            }
            try
            {
                return await _auditor.AuditAsync(request, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // The auditor turns failures into results; this is the last line of defence.
                var domain = Dns.DnsName.TryNormalizeDomain(request.Input, out var n, out _) ? n : request.Input;
                return MailAuthAuditResult.Failed(request.Input, domain, $"The audit failed: {ex.GetType().Name}: {ex.Message}");
            }
            finally
            {
                _slots.Release();
                Interlocked.Increment(ref _auditsFinished);
            }
        }

        /// <summary>Cancels whatever is still running.</summary>
        public void Dispose() => _cancellation.Cancel();

        private sealed class Row
        {
            public Row(int number, string input, Task<MailAuthAuditResult> task, int? duplicateOf)
            {
                Number = number;
                Input = input;
                Task = task;
                DuplicateOf = duplicateOf;
            }

            public int Number { get; }
            public string Input { get; }
            public Task<MailAuthAuditResult> Task { get; }
            public int? DuplicateOf { get; }
        }
    }
}
