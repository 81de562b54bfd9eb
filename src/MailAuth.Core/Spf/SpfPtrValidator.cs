using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Spf
{
    /// <summary>The validated domain names of a client address (RFC 7208 §5.5), computed once and shared by ptr and %{p}.</summary>
    internal sealed class SpfPtrValidator
    {
        private readonly IDnsResolver _resolver;
        private readonly int _maxNames;
        private readonly Dictionary<string, PtrValidation> _cache = new Dictionary<string, PtrValidation>(StringComparer.Ordinal);

        public SpfPtrValidator(IDnsResolver resolver, int maxNames)
        {
            _resolver = resolver;
            _maxNames = maxNames;
        }

        public async Task<PtrValidation> ValidateAsync(IPAddress ip, CancellationToken ct)
        {
            ip = IpNetwork.Unmap(ip);
            var key = ip.ToString();
            if (_cache.TryGetValue(key, out var cached)) return cached;

            var reverse = SpfMacroValues.ReverseName(ip);
            var ptr = await _resolver.QueryAsync(reverse, DnsRecordType.PTR, ct).ConfigureAwait(false);
            var validated = new List<string>();
            int ignored = 0;
            if (ptr.Status == DnsLookupStatus.Success)
            {
                var type = ip.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
                int checkedNames = 0;
                foreach (var record in ptr.Records)
                {
                    if (record.RecordType != DnsRecordType.PTR || string.IsNullOrEmpty(record.Target)) continue;
                    if (checkedNames >= _maxNames) { ignored++; continue; }
                    checkedNames++;
                    var name = record.Target!;
                    // RFC 7208 §5.5: a DNS error on the address lookup skips this name.
                    var addresses = await _resolver.QueryAsync(name, type, ct).ConfigureAwait(false);
                    if (addresses.Status != DnsLookupStatus.Success) continue;
                    foreach (var a in addresses.Records)
                    {
                        if (a.Address != null && IpNetwork.Unmap(a.Address).Equals(ip))
                        {
                            if (!validated.Contains(name)) validated.Add(name);
                            break;
                        }
                    }
                }
            }
            var result = new PtrValidation(reverse, ptr.Status, validated, ignored);
            _cache[key] = result;
            return result;
        }
    }

    internal sealed class PtrValidation
    {
        public PtrValidation(string reverseName, DnsLookupStatus status, IReadOnlyList<string> names, int ignoredNames)
        {
            ReverseName = reverseName;
            Status = status;
            Names = names;
            IgnoredNames = ignoredNames;
        }

        public string ReverseName { get; }
        public DnsLookupStatus Status { get; }
        /// <summary>Validated names (lower case, no trailing dot) in the order the PTR answer gave them.</summary>
        public IReadOnlyList<string> Names { get; }
        /// <summary>PTR names beyond the limit that were not checked.</summary>
        public int IgnoredNames { get; }

        /// <summary>%{p}: the name equal to <paramref name="domain"/>, else one under it, else the first; "unknown" when none (RFC 7208 §7.3).</summary>
        public string Choose(string domain)
        {
            if (Names.Count == 0) return "unknown";
            var d = DnsName.Normalize(domain);
            foreach (var n in Names) if (n == d) return n;
            foreach (var n in Names) if (n.EndsWith("." + d, StringComparison.Ordinal)) return n;
            return Names[0];
        }
    }
}
