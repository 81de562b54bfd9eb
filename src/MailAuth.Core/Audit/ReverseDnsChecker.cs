using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Spf;

namespace MailAuth.Audit
{
    /// <summary>The verdict on one address's reverse DNS.</summary>
    public enum ReverseDnsStatus
    {
        /// <summary>A PTR name resolves back to the address (forward-confirmed reverse DNS).</summary>
        Confirmed,
        /// <summary>PTR names exist, but none resolves back to the address.</summary>
        NotConfirmed,
        /// <summary>The address has no PTR record.</summary>
        NoPtr,
        /// <summary>The PTR lookup failed (timeout, SERVFAIL, not available offline).</summary>
        LookupFailed,
    }

    /// <summary>Reverse DNS of one address, with forward confirmation (FCrDNS; RFC 1912 §2.1, RFC 8601 §3 "iprev").</summary>
    public sealed class ReverseDnsResult
    {
        internal ReverseDnsResult(IPAddress address, string reverseName)
        {
            Address = address;
            ReverseName = reverseName;
        }

        public IPAddress Address { get; }
        /// <summary>The name queried: d.c.b.a.in-addr.arpa or the nibbles under ip6.arpa.</summary>
        public string ReverseName { get; }
        public ReverseDnsStatus Status { get; internal set; }
        public DnsLookupStatus LookupStatus { get; internal set; }
        /// <summary>The PTR targets, in answer order.</summary>
        public IReadOnlyList<string> PtrNames { get; internal set; } = Array.Empty<string>();
        /// <summary>The PTR names whose A/AAAA records include the address.</summary>
        public IReadOnlyList<string> ConfirmedNames { get; internal set; } = Array.Empty<string>();
        /// <summary>One sentence on what was found.</summary>
        public string Evidence { get; internal set; } = string.Empty;
        public bool HasPtr => PtrNames.Count > 0;
        public bool IsForwardConfirmed => ConfirmedNames.Count > 0;

        public override string ToString() => $"{Address}: {Status}" + (ConfirmedNames.Count > 0 ? " " + ConfirmedNames[0] : "");
    }

    /// <summary>
    /// Looks up the PTR records of an address and checks each name (at most <see cref="MaxNames"/>) resolves back to
    /// it: forward-confirmed reverse DNS, which Gmail and Yahoo require of sending IPs. Never throws except on cancellation.
    /// </summary>
    public sealed class ReverseDnsChecker
    {
        /// <summary>PTR names checked per address (RFC 7208 §4.6.4 uses the same bound for ptr).</summary>
        public const int MaxNames = 10;

        private readonly IDnsResolver _resolver;

        public ReverseDnsChecker(IDnsResolver resolver)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        }

        public async Task<ReverseDnsResult> CheckAsync(IPAddress address, CancellationToken cancellationToken = default)
        {
            if (address is null) throw new ArgumentNullException(nameof(address));
            address = IpNetwork.Unmap(address);
            var result = new ReverseDnsResult(address, SpfMacroValues.ReverseName(address));
            var ptr = await _resolver.QueryAsync(result.ReverseName, DnsRecordType.PTR, cancellationToken).ConfigureAwait(false);
            result.LookupStatus = ptr.Status;
            if (ptr.Status.IsTransientFailure())
            {
                result.Status = ReverseDnsStatus.LookupFailed;
                result.Evidence = $"the PTR lookup of {address} failed ({ptr.Status})";
                return result;
            }
            var names = ptr.Records.Where(r => r.RecordType == DnsRecordType.PTR && !string.IsNullOrEmpty(r.Target))
                .Select(r => r.Target!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            result.PtrNames = names;
            if (names.Count == 0)
            {
                result.Status = ReverseDnsStatus.NoPtr;
                result.Evidence = $"{address} has no PTR record ({result.ReverseName}: {ptr.Status})";
                return result;
            }
            var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
            var checks = names.Take(MaxNames).Select(n => _resolver.QueryAsync(n, type, cancellationToken)).ToList();
            var answers = await Task.WhenAll(checks).ConfigureAwait(false);
            var confirmed = new List<string>();
            for (int i = 0; i < answers.Length; i++)
                if (answers[i].Records.Any(r => r.Address != null && IpNetwork.Unmap(r.Address).Equals(address)))
                    confirmed.Add(names[i]);
            result.ConfirmedNames = confirmed;
            result.Status = confirmed.Count > 0 ? ReverseDnsStatus.Confirmed : ReverseDnsStatus.NotConfirmed;
            result.Evidence = confirmed.Count > 0
                ? $"{address} has PTR {confirmed[0]}, which resolves back to it"
                : $"{address} has PTR {string.Join(", ", names.Take(3))}, {(names.Count == 1 ? "but that name does not resolve back to it" : "but none of them resolves back to it")}";
            return result;
        }
    }
}
