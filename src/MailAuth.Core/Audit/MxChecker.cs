using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Audit
{
    /// <summary>Verdict on a domain's MX records.</summary>
    public enum MxStatus
    {
        /// <summary>MX hosts that all resolve, no problems.</summary>
        Ok,
        Warning,
        Error,
        /// <summary>No MX records (senders fall back to the domain's A/AAAA records, RFC 5321 §5.1).</summary>
        NoMx,
        /// <summary>A null MX ("0 ."): the domain accepts no mail (RFC 7505).</summary>
        NullMx,
        /// <summary>The MX lookup failed (timeout, SERVFAIL, not available offline).</summary>
        LookupFailed,
        /// <summary>The domain does not exist (NXDOMAIN).</summary>
        DomainNotFound,
    }

    /// <summary>One MX host and what its name resolves to.</summary>
    public sealed class MxHostReport
    {
        internal MxHostReport(string exchange, ushort preference)
        {
            Exchange = exchange;
            Preference = preference;
        }

        /// <summary>The exchange name (lower case, no trailing dot).</summary>
        public string Exchange { get; }
        public ushort Preference { get; }
        /// <summary>The IPv4 and IPv6 addresses of the host.</summary>
        public IReadOnlyList<IPAddress> Addresses { get; internal set; } = Array.Empty<IPAddress>();
        /// <summary>The CNAMEs followed from the exchange name (MX must not point at an alias, RFC 2181 §10.3).</summary>
        public IReadOnlyList<string> CnameChain { get; internal set; } = Array.Empty<string>();
        public bool IsCname => CnameChain.Count > 0;
        /// <summary>True when the exchange is an IP address written as a name.</summary>
        public bool IsIpLiteral { get; internal set; }
        /// <summary>The A and AAAA lookup outcomes ("A Success, AAAA NoData").</summary>
        public string AddressLookup { get; internal set; } = string.Empty;
        /// <summary>Reverse DNS of the host's addresses (when checked).</summary>
        public IReadOnlyList<ReverseDnsResult> ReverseDns { get; internal set; } = Array.Empty<ReverseDnsResult>();

        public override string ToString() => $"{Preference} {Exchange}" + (Addresses.Count > 0 ? " (" + string.Join(", ", Addresses) + ")" : "");
    }

    /// <summary>What the MX check found for one domain.</summary>
    public sealed class MxReport
    {
        internal MxReport(string domain) { Domain = domain; }

        public string Domain { get; }
        public MxStatus Status { get; internal set; }
        public DnsLookupStatus LookupStatus { get; internal set; }
        /// <summary>The MX hosts in preference order (the null MX is not a host).</summary>
        public IReadOnlyList<MxHostReport> Hosts { get; internal set; } = Array.Empty<MxHostReport>();
        /// <summary>True when the domain publishes the null MX "0 ." (RFC 7505).</summary>
        public bool HasNullMx { get; internal set; }
        /// <summary>True when the domain name itself has an A or AAAA record (the implicit MX without MX records).</summary>
        public bool HasAddressRecords { get; internal set; }
        /// <summary>The host names, in preference order.</summary>
        public IReadOnlyList<string> HostNames => Hosts.Select(h => h.Exchange).ToArray();
        public IReadOnlyList<Finding> Findings { get; internal set; } = Array.Empty<Finding>();

        public override string ToString() => $"{Domain}: MX {Status} {string.Join(", ", HostNames)}";
    }

    /// <summary>
    /// Checks a domain's MX records: present (RFC 5321 §5.1), null MX (RFC 7505 §3), each host resolving to addresses,
    /// no host that is a CNAME (RFC 2181 §10.3) or an IP address (RFC 1035 §3.3.9), and optionally forward-confirmed
    /// reverse DNS of the hosts' addresses. Never throws except on cancellation.
    /// </summary>
    public sealed class MxChecker
    {
        private const string Area = "MX";
        /// <summary>MX hosts resolved per domain; more are listed but not looked up.</summary>
        public const int MaxHosts = 10;
        /// <summary>Addresses per host whose reverse DNS is checked.</summary>
        public const int MaxReverseLookupsPerHost = 4;

        private readonly IDnsResolver _resolver;
        private readonly bool _checkReverseDns;

        public MxChecker(IDnsResolver resolver, bool checkReverseDns = true)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            _checkReverseDns = checkReverseDns;
        }

        public async Task<MxReport> CheckAsync(string domain, CancellationToken cancellationToken = default)
        {
            domain = DnsName.Normalize(domain);
            var report = new MxReport(domain);
            var findings = new List<Finding>();
            var mxTask = _resolver.QueryAsync(domain, DnsRecordType.MX, cancellationToken);
            var aTask = _resolver.QueryAsync(domain, DnsRecordType.A, cancellationToken);
            var aaaaTask = _resolver.QueryAsync(domain, DnsRecordType.AAAA, cancellationToken);
            var mx = await mxTask.ConfigureAwait(false);
            var a = await aTask.ConfigureAwait(false);
            var aaaa = await aaaaTask.ConfigureAwait(false);
            report.LookupStatus = mx.Status;
            report.HasAddressRecords = a.Records.Any(r => r.Address != null) || aaaa.Records.Any(r => r.Address != null);

            if (mx.Status.IsTransientFailure())
            {
                findings.Add(new Finding("MX.LookupFailed", FindingSeverity.Error, Area,
                    $"The MX lookup for {domain} failed ({mx.Status}{(mx.ErrorMessage is null ? "" : ": " + mx.ErrorMessage)}); senders would defer mail.",
                    "Check that the domain's authoritative servers answer MX queries.", "RFC 5321 §5.1"));
                return Done(report, findings, MxStatus.LookupFailed);
            }
            if (mx.Status == DnsLookupStatus.NxDomain)
            {
                findings.Add(new Finding("MX.DomainNotFound", FindingSeverity.Error, Area,
                    $"{domain} does not exist (NXDOMAIN).", "Check the spelling, or register and delegate the domain.", "RFC 5321 §5.1"));
                return Done(report, findings, MxStatus.DomainNotFound);
            }
            var records = mx.Records.Where(r => r.RecordType == DnsRecordType.MX).OrderBy(r => r.Preference).ThenBy(r => r.Target, StringComparer.Ordinal).ToList();
            if (records.Count == 0)
            {
                findings.Add(report.HasAddressRecords
                    ? new Finding("MX.NoMx", FindingSeverity.Warning, Area,
                        $"{domain} has no MX record, so senders deliver to its A/AAAA address (the implicit MX), usually a web server.",
                        "Publish the MX records of the mail service, or a null MX (0 .) if the domain receives no mail.", "RFC 5321 §5.1, RFC 7505")
                    : new Finding("MX.NoMx", FindingSeverity.Information, Area,
                        $"{domain} has neither MX nor address records: it receives no mail.",
                        "Publish a null MX (0 .) to say so explicitly, so senders fail at once instead of retrying.", "RFC 7505 §3"));
                return Done(report, findings, MxStatus.NoMx);
            }

            var nulls = records.Where(r => string.IsNullOrEmpty(r.Target)).ToList();
            if (nulls.Count > 0)
            {
                report.HasNullMx = true;
                if (nulls.Any(r => r.Preference != 0))
                    findings.Add(new Finding("MX.NullMxPreference", FindingSeverity.Warning, Area,
                        "The null MX has a preference other than 0.", "Publish the null MX as \"0 .\".", "RFC 7505 §3"));
                if (records.Count > nulls.Count)
                    findings.Add(new Finding("MX.NullMxWithOthers", FindingSeverity.Error, Area,
                        $"{domain} publishes a null MX together with other MX records; RFC 7505 forbids that and senders behave inconsistently.",
                        "Remove the null MX if the domain receives mail, otherwise remove the other MX records.", "RFC 7505 §3"));
                else
                    return Done(report, findings, MxStatus.NullMx);
            }

            var hosts = new List<MxHostReport>();
            var lookups = new List<Task>();
            foreach (var r in records.Where(r => !string.IsNullOrEmpty(r.Target)))
            {
                var host = new MxHostReport(r.Target!, r.Preference);
                hosts.Add(host);
                if (IPAddress.TryParse(r.Target, out _) && (r.Target!.IndexOf(':') >= 0 || r.Target.All(c => c == '.' || (c >= '0' && c <= '9'))))
                {
                    host.IsIpLiteral = true;
                    findings.Add(new Finding("MX.IpLiteral", FindingSeverity.Error, Area,
                        $"The MX record \"{r.Preference} {r.Target}\" names an IP address; MX must name a host, and senders look the address up as a name and fail.",
                        $"Publish an A record for a host name (e.g. mail.{domain}) with that address and point the MX at it.", "RFC 1035 §3.3.9, RFC 5321 §5.1", r.Target));
                    continue;
                }
                if (hosts.Count <= MaxHosts) lookups.Add(ResolveHostAsync(host, findings, cancellationToken));
            }
            await Task.WhenAll(lookups).ConfigureAwait(false);
            report.Hosts = hosts;
            return Done(report, findings, null);
        }

        private async Task ResolveHostAsync(MxHostReport host, List<Finding> findings, CancellationToken ct)
        {
            var aTask = _resolver.QueryAsync(host.Exchange, DnsRecordType.A, ct);
            var aaaaTask = _resolver.QueryAsync(host.Exchange, DnsRecordType.AAAA, ct);
            var a = await aTask.ConfigureAwait(false);
            var aaaa = await aaaaTask.ConfigureAwait(false);
            host.AddressLookup = $"A {a.Status}, AAAA {aaaa.Status}";
            host.CnameChain = a.CnameChain.Count > 0 ? a.CnameChain : aaaa.CnameChain;
            var addresses = a.Records.Concat(aaaa.Records).Where(r => r.Address != null).Select(r => r.Address!).Distinct().ToList();
            host.Addresses = addresses;
            var local = new List<Finding>();
            if (host.IsCname)
                local.Add(new Finding("MX.Cname", FindingSeverity.Warning, Area,
                    $"The MX host {host.Exchange} is a CNAME (to {host.CnameChain[host.CnameChain.Count - 1]}); MX must point at a name with A/AAAA records, and some senders refuse aliases.",
                    $"Point the MX at {host.CnameChain[host.CnameChain.Count - 1]} directly.", "RFC 2181 §10.3, RFC 5321 §5.1", host.Exchange));
            if (addresses.Count == 0)
            {
                bool failed = a.Status.IsTransientFailure() || aaaa.Status.IsTransientFailure();
                bool offline = a.Status == DnsLookupStatus.NotAvailableOffline || aaaa.Status == DnsLookupStatus.NotAvailableOffline;
                local.Add(failed
                    ? new Finding("MX.HostLookupFailed", offline ? FindingSeverity.Information : FindingSeverity.Warning, Area,
                        $"The addresses of the MX host {host.Exchange} could not be looked up ({host.AddressLookup}).", null, "RFC 5321 §5.1", host.Exchange)
                    : new Finding("MX.HostNoAddress", FindingSeverity.Error, Area,
                        $"The MX host {host.Exchange} has no A or AAAA record ({host.AddressLookup}); mail to it cannot be delivered.",
                        $"Publish the address of {host.Exchange}, or correct the MX record.", "RFC 5321 §5.1", host.Exchange));
            }
            foreach (var address in addresses.Where(IsUnroutable))
                local.Add(new Finding("MX.UnroutableAddress", FindingSeverity.Error, Area,
                    $"The MX host {host.Exchange} resolves to {address}, a loopback, private or unspecified address that senders on the internet cannot reach.",
                    $"Publish the public address of {host.Exchange}.", "RFC 6890", host.Exchange));

            if (_checkReverseDns && addresses.Count > 0)
            {
                var checker = new ReverseDnsChecker(_resolver);
                var results = await Task.WhenAll(addresses.Take(MaxReverseLookupsPerHost).Select(x => checker.CheckAsync(x, ct))).ConfigureAwait(false);
                host.ReverseDns = results;
                foreach (var r in results.Where(r => r.Status == ReverseDnsStatus.NoPtr || r.Status == ReverseDnsStatus.NotConfirmed))
                    local.Add(new Finding("MX.ReverseDnsNotConfirmed", FindingSeverity.Information, Area,
                        $"MX host {host.Exchange}: {r.Evidence}. If this host also sends mail, Gmail rejects it (550-5.7.25) and other receivers mark it as spam.",
                        $"Ask the owner of {r.Address} to set its PTR to {host.Exchange}.", "RFC 1912 §2.1", r.Address.ToString()));
            }
            lock (findings) findings.AddRange(local);
        }

        internal static bool IsUnroutable(IPAddress address)
        {
            if (IPAddress.IsLoopback(address)) return true;
            var b = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork)
                return b[0] == 0 || b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
            if (address.Equals(IPAddress.IPv6Any)) return true;
            return (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
        }

        private static MxReport Done(MxReport report, List<Finding> findings, MxStatus? status)
        {
            // Findings in a stable order whatever order the parallel lookups finished in.
            report.Findings = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Id, StringComparer.Ordinal).ThenBy(f => f.Term, StringComparer.Ordinal).ToList();
            report.Status = status ?? (findings.Any(f => f.Severity == FindingSeverity.Error) ? MxStatus.Error
                : findings.Any(f => f.Severity == FindingSeverity.Warning) ? MxStatus.Warning : MxStatus.Ok);
            return report;
        }
    }
}
