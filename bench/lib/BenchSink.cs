// Result sinks for bench/lib/Invoke-OurRun.ps1: one cheap call per result, compiled once by bench/Invoke-Benchmark.ps1.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MailAuth.Audit;
namespace MailAuthBench
{
    public sealed class AuditSink : IDisposable
    {
        private readonly StreamWriter _w;
        public int Count;
        public Dictionary<string, int> Outcomes = new Dictionary<string, int>();
        public List<string> Verbose = new List<string>();
        public AuditSink(string path)
        {
            _w = new StreamWriter(path, false, new System.Text.UTF8Encoding(false), 1 << 16);
            _w.WriteLine("Row,Domain,Status,ElapsedSeconds,MxStatus,SpfStatus,SpfLookupCount,DmarcStatus,DmarcPolicy,DkimStatus,DkimSelectorsFound,MtaStsStatus,TlsRptStatus,FindingIds");
        }
        public void Add(object o)
        {
            if (o is PSObject p) o = p.BaseObject;
            if (o is VerboseRecord v) { Verbose.Add(v.Message); return; }
            var r = o as MailAuthAuditResult;
            if (r == null) return;
            Count++;
            var s = r.Status.ToString();
            Outcomes[s] = Outcomes.TryGetValue(s, out var n) ? n + 1 : 1;
            var ids = string.Join(";", r.Findings.Select(f => f.Id).Distinct().OrderBy(x => x, StringComparer.Ordinal));
            _w.Write(string.Join(",", r.Row.ToString(CultureInfo.InvariantCulture), r.Domain, s, r.ElapsedSeconds.ToString("0.######", CultureInfo.InvariantCulture),
                r.MxStatus, r.SpfStatus, r.SpfLookupCount?.ToString(CultureInfo.InvariantCulture), r.DmarcStatus, r.DmarcPolicy, r.DkimStatus,
                "\"" + r.DkimSelectorsFound + "\"", r.MtaStsStatus, r.TlsRptStatus, ids));
            _w.Write('\n');
        }
        public void Dispose() => _w.Dispose();
    }

    /// <summary>
    /// Counts Test-SpfRecord results, and Test-DkimSignature results per message (as the peers count): a message's
    /// signatures come one after the other (Index 1, 2, ...) and the message passes when one of them passes.
    /// </summary>
    public sealed class OutcomeSink
    {
        public int Count;
        public int Signatures;
        public Dictionary<string, int> Outcomes = new Dictionary<string, int>();
        public List<string> Verbose = new List<string>();
        private string? _message;

        public void Add(object o)
        {
            if (o is PSObject p) o = p.BaseObject;
            if (o is VerboseRecord v) { Verbose.Add(v.Message); return; }
            if (o is MailAuth.Spf.SpfCheckResult spf) { Count1(spf.Result.ToString().ToLowerInvariant()); return; }
            if (o is MailAuth.Dkim.DkimSignatureResult dkim)
            {
                Signatures++;
                var s = dkim.Result.ToString().ToLowerInvariant();
                if (dkim.Index <= 1) { Flush(); _message = s; }
                else if (s == "pass" || _message is null) _message = s;
            }
        }

        /// <summary>Counts the last message (call after the run).</summary>
        public void Flush()
        {
            if (_message != null) Count1(_message);
            _message = null;
        }

        private void Count1(string s)
        {
            Count++;
            Outcomes[s] = Outcomes.TryGetValue(s, out var n) ? n + 1 : 1;
        }
    }
}
