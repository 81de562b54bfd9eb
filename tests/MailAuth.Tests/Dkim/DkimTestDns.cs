using System.Security.Cryptography;
using MailAuth.Dns;

namespace MailAuth.Tests.Dkim;

/// <summary>Small DNS fixtures for DKIM tests.</summary>
internal static class DkimTestDns
{
    public static DnsResourceRecord Txt(string name, params string[] strings) => DnsResourceRecord.CreateText(name, DnsRecordType.TXT, strings, 300);

    public static DnsResourceRecord Cname(string name, string target) => DnsResourceRecord.CreateTarget(name, DnsRecordType.CNAME, target, 300);

    public static DnsResourceRecord Mx(string name, string host) => DnsResourceRecord.CreateMx(name, 10, host, 300);

    /// <summary>A resolver over one root zone holding exactly these records.</summary>
    public static IDnsResolver Serve(params DnsResourceRecord[] records) =>
        new ZoneFileResolver(new[] { new MailAuth.Zone.DnsZone("", records, "test") });

    /// <summary>Base64 SubjectPublicKeyInfo of a fresh RSA key of the given size.</summary>
    public static string RsaSpki(int bits)
    {
        using var rsa = RSA.Create(bits);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }
}

/// <summary>Answers every question with one status, and counts the questions.</summary>
internal sealed class StatusResolver : IDnsResolver
{
    private readonly DnsLookupStatus _status;
    private int _count;
    public StatusResolver(DnsLookupStatus status) => _status = status;
    public int Count => _count;
    public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return Task.FromResult(new DnsLookupResult(name, type, _status, errorMessage: _status.ToString(), source: "stub"));
    }
}
