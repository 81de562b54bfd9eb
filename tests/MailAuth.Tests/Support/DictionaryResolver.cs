using System.Collections.Concurrent;
using System.Net;
using MailAuth.Dns;

namespace MailAuth.Tests.Support;

/// <summary>A small in-memory resolver for unit tests: absent names are NXDOMAIN, present names without the type NODATA.</summary>
public sealed class DictionaryResolver : IDnsResolver
{
    private readonly Dictionary<(string, DnsRecordType), List<DnsResourceRecord>> _records = new();
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DnsLookupStatus> _failures = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentQueue<(string Name, DnsRecordType Type)> Queries { get; } = new();

    public DictionaryResolver Txt(string name, params string[] strings) => Add(DnsResourceRecord.CreateText(name, DnsRecordType.TXT, strings, 300));
    public DictionaryResolver Spf99(string name, string text) => Add(DnsResourceRecord.CreateText(name, DnsRecordType.SPF, new[] { text }, 300));
    public DictionaryResolver A(string name, string address) => Add(DnsResourceRecord.CreateAddress(name, IPAddress.Parse(address), 300));
    public DictionaryResolver Mx(string name, ushort pref, string host) => Add(DnsResourceRecord.CreateMx(name, pref, host, 300));
    public DictionaryResolver Fail(string name, DnsLookupStatus status) { _failures[DnsName.Normalize(name)] = status; return this; }

    public DictionaryResolver Add(DnsResourceRecord record)
    {
        var key = (record.Name, record.RecordType);
        if (!_records.TryGetValue(key, out var list)) _records[key] = list = new List<DnsResourceRecord>();
        list.Add(record);
        _names.Add(record.Name);
        return this;
    }

    public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var n = DnsName.Normalize(name);
        Queries.Enqueue((n, type));
        if (_failures.TryGetValue(n, out var failure)) return Task.FromResult(new DnsLookupResult(n, type, failure, source: "test"));
        if (_records.TryGetValue((n, type), out var list)) return Task.FromResult(new DnsLookupResult(n, type, DnsLookupStatus.Success, list, source: "test"));
        return Task.FromResult(new DnsLookupResult(n, type, _names.Contains(n) ? DnsLookupStatus.NoData : DnsLookupStatus.NxDomain, source: "test"));
    }
}
