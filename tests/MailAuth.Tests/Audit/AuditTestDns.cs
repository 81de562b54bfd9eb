using System.Collections.Concurrent;
using System.Net;
using MailAuth.Audit;
using MailAuth.Dns;
using MailAuth.Tests.Support;

namespace MailAuth.Tests.Audit;

/// <summary>Record helpers for the audit tests, on top of the shared <see cref="DictionaryResolver"/>.</summary>
internal static class AuditTestDns
{
    public static DictionaryResolver Aaaa(this DictionaryResolver r, string name, string address) => r.A(name, address);

    public static DictionaryResolver Ptr(this DictionaryResolver r, string address, string target) =>
        r.Add(DnsResourceRecord.CreateTarget(MailAuth.Spf.SpfMacroValues.ReverseName(IPAddress.Parse(address)), DnsRecordType.PTR, target, 300));

    /// <summary>Makes a name exist without TXT data, as an empty non-terminal does on a real server (RFC 8020).</summary>
    public static DictionaryResolver EmptyNonTerminal(this DictionaryResolver r, string name) =>
        r.Add(DnsResourceRecord.CreateOther(name, DnsRecordType.CAA, "0 issue \";\"", 300));

    public static DictionaryResolver NullMx(this DictionaryResolver r, string name) => r.Mx(name, 0, ".");

    /// <summary>A domain with MX, SPF and a DKIM key: what a well-run sending domain looks like.</summary>
    public static DictionaryResolver GoodDomain(this DictionaryResolver r, string domain, string mxAddress = "192.0.2.10")
    {
        r.Mx(domain, 10, "mx1." + domain).A("mx1." + domain, mxAddress).Ptr(mxAddress, "mx1." + domain)
         .Txt(domain, "v=spf1 ip4:192.0.2.0/24 -all")
         .Txt("selector1._domainkey." + domain, "v=DKIM1; k=rsa; p=" + TestKeys.Rsa2048PublicKey)
         .Txt("_dmarc." + domain, "v=DMARC1; p=reject; rua=mailto:d@" + domain)
         .EmptyNonTerminal("_domainkey." + domain);
        return r;
    }
}

/// <summary>Keys for the tests (generated once per run).</summary>
internal static class TestKeys
{
    private static readonly Lazy<string> Rsa2048 = new(() =>
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    });

    public static string Rsa2048PublicKey => Rsa2048.Value;
}

/// <summary>A resolver that waits before answering for chosen names (or forever), to shuffle completion order and test timeouts.</summary>
internal sealed class DelayingResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly Func<string, DnsRecordType, TimeSpan?> _delay;
    public ConcurrentQueue<(string, DnsRecordType)> Queries { get; } = new();

    public DelayingResolver(IDnsResolver inner, Func<string, DnsRecordType, TimeSpan?> delay)
    {
        _inner = inner;
        _delay = delay;
    }

    public async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Queries.Enqueue((name, type));
        var d = _delay(DnsName.Normalize(name), type);
        if (d.HasValue) await Task.Delay(d.Value, cancellationToken);
        return await _inner.QueryAsync(name, type, cancellationToken);
    }
}

/// <summary>A DMARC step for the tests: reads _dmarc TXT p= only, counts calls per domain and concurrency.</summary>
internal sealed class FakeDmarcCheck : IDmarcAuditCheck
{
    private int _inFlight;
    public ConcurrentDictionary<string, int> Calls { get; } = new();
    public int MaxInFlight;
    public TimeSpan Delay { get; init; }

    public async Task<DmarcAuditSummary> CheckAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken = default)
    {
        Calls.AddOrUpdate(domain, 1, (_, n) => n + 1);
        var now = Interlocked.Increment(ref _inFlight);
        lock (this) MaxInFlight = Math.Max(MaxInFlight, now);
        try
        {
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
            var txt = await resolver.QueryAsync("_dmarc." + domain, DnsRecordType.TXT, cancellationToken);
            var record = txt.Records.Select(r => r.Text).FirstOrDefault(t => t.StartsWith("v=DMARC1", StringComparison.Ordinal));
            if (txt.Status.IsTransientFailure()) return new DmarcAuditSummary(domain, DmarcAuditStatus.LookupFailed);
            if (record is null) return new DmarcAuditSummary(domain, DmarcAuditStatus.NoRecord, new[] { new MailAuth.Findings.Finding("DMARC.NoRecord", MailAuth.Findings.FindingSeverity.Error, "DMARC", "no DMARC record") });
            var p = record.Split(';').Select(s => s.Trim()).FirstOrDefault(s => s.StartsWith("p=", StringComparison.Ordinal))?.Substring(2);
            return new DmarcAuditSummary(domain, DmarcAuditStatus.Ok, policy: p, record: record, recordDomain: domain);
        }
        finally { Interlocked.Decrement(ref _inFlight); }
    }
}
