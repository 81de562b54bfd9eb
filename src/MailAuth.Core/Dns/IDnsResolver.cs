using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns
{
    /// <summary>
    /// The one resolver abstraction every cmdlet uses. Implementations: <see cref="LiveDnsResolver"/> (DnsClient),
    /// <see cref="ZoneFileResolver"/> (offline master files), <see cref="CachingDnsResolver"/> (per-invocation cache).
    /// Implementations never throw for DNS outcomes: failures are reported in <see cref="DnsLookupResult.Status"/>.
    /// They throw only <see cref="System.OperationCanceledException"/> when cancelled.
    /// </summary>
    public interface IDnsResolver
    {
        Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default);
    }
}
