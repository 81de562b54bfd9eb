using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace MailAuth.Dns
{
    /// <summary>
    /// Asks real DNS servers (DnsClient's <see cref="LookupClient"/>, its cache off) and maps the answers into
    /// <see cref="DnsLookupResult"/>. Tries and retries are driven here, one message at a time, so that every message
    /// sent is counted in <see cref="DnsQueryStatistics.NetworkQueriesSent"/>:
    /// <list type="bullet">
    /// <item>each server in order; per server 1 + <see cref="DnsResolverOptions.Retries"/> tries after timeouts;</item>
    /// <item>a truncated UDP answer (TC bit) is asked again over TCP (RFC 7766 §5, RFC 1035 §4.2.2);</item>
    /// <item>queries carry EDNS(0) with a <see cref="DnsResolverOptions.EdnsBufferSize"/> payload (RFC 6891);</item>
    /// <item>CNAME chains in the answer are followed (RFC 1034 §3.6.2, §5.2.2); when the answer stops at a CNAME
    /// whose target's data is not included, the target is asked for, at most <see cref="MaxCnameLinks"/> links,
    /// and a loop is reported as an error;</item>
    /// <item>NXDOMAIN after a CNAME refers to the last target (RFC 6604 §3).</item>
    /// </list>
    /// Never throws for a DNS outcome; only <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public sealed class LiveDnsResolver : IDnsResolver, IDisposable
    {
        /// <summary>The most CNAME links followed for one lookup.</summary>
        public const int MaxCnameLinks = 8;

        private readonly LookupClient _client;
        private readonly SemaphoreSlim _gate;
        private readonly QueryRateLimiter? _rateLimiter;
        private readonly DnsQueryOptions _udpOptions;
        private readonly DnsQueryOptions _tcpOptions;
        private readonly IReadOnlyList<(DnsServerEndpoint Endpoint, NameServer[] NameServer)> _servers;
        private readonly string? _serverError;

        /// <summary>Creates a resolver for <see cref="DnsResolverOptions.Servers"/> (or the system's resolvers when empty).</summary>
        public LiveDnsResolver(DnsResolverOptions? options = null, DnsQueryStatistics? statistics = null)
        {
            Options = options ?? DnsResolverOptions.Default;
            Statistics = statistics ?? new DnsQueryStatistics();

            IReadOnlyList<DnsServerEndpoint> endpoints = Options.Servers;
            if (endpoints.Count == 0)
            {
                endpoints = SystemServers(out _serverError);
            }
            Servers = endpoints;
            _servers = endpoints.Select(e => (e, new[] { new NameServer(e.ToIPEndPoint()) })).ToArray();

            _client = new LookupClient(new LookupClientOptions(new NameServer(System.Net.IPAddress.Loopback))
            {
                AutoResolveNameServers = false,
                UseCache = false,
                Retries = 0,
                ThrowDnsErrors = false,
            });
            _udpOptions = CreateQueryOptions(Options, tcp: false);
            _tcpOptions = CreateQueryOptions(Options, tcp: true);
            _gate = new SemaphoreSlim(Options.MaxConcurrentQueries, Options.MaxConcurrentQueries);
            if (Options.MaxQueriesPerSecond > 0) _rateLimiter = new QueryRateLimiter(Options.MaxQueriesPerSecond);
        }

        /// <summary>The rate limit of this resolver (<see cref="DnsResolverOptions.MaxQueriesPerSecond"/>), or null when there is none.</summary>
        public QueryRateLimiter? RateLimiter => _rateLimiter;

        public DnsResolverOptions Options { get; }

        /// <summary>The servers asked, in order (the system's when none were given).</summary>
        public IReadOnlyList<DnsServerEndpoint> Servers { get; }

        /// <summary>Counts the messages really sent (<see cref="DnsQueryStatistics.NetworkQueriesSent"/>).</summary>
        public DnsQueryStatistics Statistics { get; }

        private static DnsQueryOptions CreateQueryOptions(DnsResolverOptions options, bool tcp) => new DnsQueryOptions
        {
            UseCache = false,
            Retries = 0,
            Timeout = options.Timeout,
            UseTcpFallback = false,
            UseTcpOnly = tcp,
            ExtendedDnsBufferSize = options.EdnsBufferSize,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            Recursion = true,
            EnableAuditTrail = false,
            RequestDnsSecRecords = false,
            CacheFailedResults = false,
        };

        private static IReadOnlyList<DnsServerEndpoint> SystemServers(out string? error)
        {
            error = null;
            try
            {
                var found = NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)
                    .Select(ns => System.Net.IPAddress.TryParse(ns.Address, out var address) ? new DnsServerEndpoint(address, ns.Port) : null)
                    .Where(e => e != null)
                    .Select(e => e!)
                    .Distinct()
                    .ToArray();
                if (found.Length == 0) error = "No DNS server is configured on this system; give one with -Server.";
                return found;
            }
            catch (Exception ex)
            {
                error = "The system's DNS servers could not be determined (" + ex.Message + "); give one with -Server.";
                return Array.Empty<DnsServerEndpoint>();
            }
        }

        /// <inheritdoc />
        public async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var queryName = DnsName.Normalize(name);
            if (queryName.Length == 0)
                return new DnsLookupResult(name ?? string.Empty, type, DnsLookupStatus.Error, errorMessage: "The name to look up is empty.");
            if (queryName.StartsWith(".", StringComparison.Ordinal) || queryName.IndexOf("..", StringComparison.Ordinal) >= 0)
                return new DnsLookupResult(queryName, type, DnsLookupStatus.Error, errorMessage: $"'{name}' has an empty label and cannot be asked for.");
            if (_servers.Count == 0)
                return new DnsLookupResult(queryName, type, DnsLookupStatus.Error, errorMessage: _serverError ?? "No DNS server to ask.");

            var chain = new List<string>();
            var visited = new HashSet<string>(StringComparer.Ordinal) { queryName };
            var current = queryName;
            var usedTcp = false;

            while (true)
            {
                var exchange = await ExchangeAsync(current, type, cancellationToken).ConfigureAwait(false);
                usedTcp |= exchange.UsedTcp;
                var source = "server " + exchange.Server;
                if (exchange.Response is null)
                {
                    return new DnsLookupResult(queryName, type, exchange.FailureStatus, cnameChain: chain.ToArray(),
                        source: source, errorMessage: exchange.FailureMessage, usedTcp: usedTcp);
                }

                var response = exchange.Response;
                var authoritative = response.Header.HasAuthorityAnswer;
                var answers = response.Answers;

                // Walk the answer section from the name asked, through CNAMEs, to records of the asked type.
                var owner = current;
                List<DnsResourceRecord>? records = null;
                while (true)
                {
                    var matching = answers.Where(r => (ushort)r.RecordType == (ushort)type && DnsName.AreEqual(WireName(r.DomainName), owner)).ToList();
                    if (matching.Count > 0)
                    {
                        records = new List<DnsResourceRecord>(matching.Count);
                        foreach (var r in matching)
                        {
                            var mapped = Map(r, type);
                            if (mapped != null) records.Add(mapped);
                        }
                        break;
                    }
                    if (type == DnsRecordType.CNAME) break;
                    var cname = answers.OfType<CNameRecord>().FirstOrDefault(r => DnsName.AreEqual(WireName(r.DomainName), owner));
                    if (cname is null) break;
                    var target = DnsName.Normalize(WireName(cname.CanonicalName));
                    if (!visited.Add(target))
                    {
                        return new DnsLookupResult(queryName, type, DnsLookupStatus.Error, cnameChain: chain.ToArray(), source: source,
                            errorMessage: $"CNAME loop: {owner} points back to {target}.", authoritative: authoritative, usedTcp: usedTcp);
                    }
                    chain.Add(target);
                    if (chain.Count > MaxCnameLinks)
                    {
                        return new DnsLookupResult(queryName, type, DnsLookupStatus.Error, cnameChain: chain.ToArray(), source: source,
                            errorMessage: $"The CNAME chain from {queryName} is longer than {MaxCnameLinks} links.", authoritative: authoritative, usedTcp: usedTcp);
                    }
                    owner = target;
                }

                var rcode = response.Header.ResponseCode;
                if (rcode == DnsHeaderResponseCode.NoError)
                {
                    if (records != null && records.Count > 0)
                    {
                        return new DnsLookupResult(queryName, type, DnsLookupStatus.Success, records, chain.ToArray(), source,
                            authoritative: authoritative, usedTcp: usedTcp);
                    }

                    var soa = response.Authorities.OfType<SoaRecord>().FirstOrDefault();
                    if (owner != current && (soa is null || !DnsName.IsSubdomainOf(owner, WireName(soa.DomainName))))
                    {
                        // The answer stopped at a CNAME target this server did not answer for: ask for the target.
                        current = owner;
                        continue;
                    }

                    return new DnsLookupResult(queryName, type, DnsLookupStatus.NoData, null, chain.ToArray(), source,
                        authoritative: authoritative, usedTcp: usedTcp, negativeTimeToLive: NegativeTtl(soa));
                }

                if (rcode == DnsHeaderResponseCode.NotExistentDomain)
                {
                    var soa = response.Authorities.OfType<SoaRecord>().FirstOrDefault();
                    return new DnsLookupResult(queryName, type, DnsLookupStatus.NxDomain, null, chain.ToArray(), source,
                        authoritative: authoritative, usedTcp: usedTcp, negativeTimeToLive: NegativeTtl(soa));
                }

                var status = rcode == DnsHeaderResponseCode.ServerFailure ? DnsLookupStatus.ServerFailure
                    : rcode == DnsHeaderResponseCode.Refused ? DnsLookupStatus.Refused
                    : DnsLookupStatus.Error;
                return new DnsLookupResult(queryName, type, status, null, chain.ToArray(), source,
                    errorMessage: $"The server {exchange.Server} answered {RcodeText(rcode)} for {current} {type}.",
                    authoritative: authoritative, usedTcp: usedTcp);
            }
        }

        private static readonly IdnMapping Idn = new IdnMapping();

        /// <summary>
        /// A name as it was on the wire (A-labels, RFC 5890 §2.3.2.1). DnsClient 1.8.0 decodes "xn--" labels to Unicode
        /// inconsistently: owner names keep the wire form in <see cref="DnsString.Original"/>, names inside RDATA
        /// (CNAME, MX, NS, PTR, SOA) in <see cref="DnsString.Value"/>. Whichever is ASCII is the wire form.
        /// </summary>
        internal static string WireName(DnsString name)
        {
            var value = name.Value ?? string.Empty;
            if (IsAscii(value)) return value;
            var original = name.Original ?? string.Empty;
            if (IsAscii(original)) return original;
            try
            {
                return Idn.GetAscii(value.TrimEnd('.'));
            }
            catch (ArgumentException)
            {
                return value;
            }
        }

        private static bool IsAscii(string s)
        {
            foreach (var c in s)
            {
                if (c > 127) return false;
            }
            return true;
        }

        private static uint? NegativeTtl(SoaRecord? soa)
        {
            if (soa is null) return null;
            var ttl = (uint)Math.Max(0, soa.InitialTimeToLive);
            return Math.Min(ttl, soa.Minimum);
        }

        private static string RcodeText(DnsHeaderResponseCode rcode)
        {
            switch (rcode)
            {
                case DnsHeaderResponseCode.FormatError: return "FORMERR";
                case DnsHeaderResponseCode.ServerFailure: return "SERVFAIL";
                case DnsHeaderResponseCode.NotExistentDomain: return "NXDOMAIN";
                case DnsHeaderResponseCode.NotImplemented: return "NOTIMP";
                case DnsHeaderResponseCode.Refused: return "REFUSED";
                default: return "RCODE " + ((int)rcode).ToString(CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Maps one DnsClient record of the asked type; null for data MailAuth cannot represent.</summary>
        internal static DnsResourceRecord? Map(DnsClient.Protocol.DnsResourceRecord record, DnsRecordType type)
        {
            var owner = WireName(record.DomainName);
            var ttl = (uint)Math.Max(0, record.InitialTimeToLive);
            switch (record)
            {
                case ARecord a: return DnsResourceRecord.CreateAddress(owner, a.Address, ttl);
                case AaaaRecord aaaa: return DnsResourceRecord.CreateAddress(owner, aaaa.Address, ttl);
                // Text holds the character-strings as sent, one entry per string, not escaped (EscapedText is for zone files).
                case TxtRecord txt: return DnsResourceRecord.CreateText(owner, type, txt.Text.ToArray(), ttl);
                case MxRecord mx: return DnsResourceRecord.CreateMx(owner, mx.Preference, WireName(mx.Exchange), ttl);
                case CNameRecord cname: return DnsResourceRecord.CreateTarget(owner, DnsRecordType.CNAME, WireName(cname.CanonicalName), ttl);
                case PtrRecord ptr: return DnsResourceRecord.CreateTarget(owner, DnsRecordType.PTR, WireName(ptr.PtrDomainName), ttl);
                case NsRecord ns: return DnsResourceRecord.CreateTarget(owner, DnsRecordType.NS, WireName(ns.NSDName), ttl);
                case SoaRecord soa:
                    return DnsResourceRecord.CreateOther(owner, DnsRecordType.SOA, string.Format(CultureInfo.InvariantCulture,
                        "{0} {1} {2} {3} {4} {5} {6}", WireName(soa.MName), WireName(soa.RName), soa.Serial, soa.Refresh, soa.Retry, soa.Expire, soa.Minimum), ttl);
                case CaaRecord caa:
                    return DnsResourceRecord.CreateOther(owner, DnsRecordType.CAA, string.Format(CultureInfo.InvariantCulture,
                        "{0} {1} {2}", caa.Flags, caa.Tag, ZoneText.QuoteCharacterString(caa.Value ?? string.Empty)), ttl);
                default:
                    return null;
            }
        }

        private sealed class Exchange
        {
            public string Server = string.Empty;
            public IDnsQueryResponse? Response;
            public bool UsedTcp;
            public DnsLookupStatus FailureStatus = DnsLookupStatus.Error;
            public string? FailureMessage;
        }

        /// <summary>Asks the servers in order until one gives a usable answer; tries, retries and TCP fallback.</summary>
        private async Task<Exchange> ExchangeAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
        {
            DnsQuestion question;
            try
            {
                question = new DnsQuestion(name, (QueryType)(ushort)type, QueryClass.IN);
            }
            catch (ArgumentException ex)
            {
                return new Exchange { Server = _servers[0].Endpoint.ToString(), FailureMessage = $"'{name}' cannot be asked for: {ex.Message}" };
            }

            Exchange? last = null;
            for (int s = 0; s < _servers.Count; s++)
            {
                var server = _servers[s];
                var isLastServer = s == _servers.Count - 1;
                for (int attempt = 0; attempt <= Options.Retries; attempt++)
                {
                    var result = await SendAsync(server.Endpoint, server.NameServer, question, tcp: false, cancellationToken).ConfigureAwait(false);
                    if (result.Truncated)
                    {
                        if (!Options.UseTcpFallback)
                        {
                            result.Exchange.FailureMessage = $"The answer from {server.Endpoint} for {name} {type} was truncated and TCP fallback is off.";
                            return result.Exchange;
                        }
                        result = await SendAsync(server.Endpoint, server.NameServer, question, tcp: true, cancellationToken).ConfigureAwait(false);
                    }

                    last = result.Exchange;
                    if (result.TimedOut) continue;                 // retry this server
                    if (result.Exchange.Response is null) break;   // network error: next server
                    var rcode = result.Exchange.Response.Header.ResponseCode;
                    if ((rcode == DnsHeaderResponseCode.ServerFailure || rcode == DnsHeaderResponseCode.Refused) && !isLastServer) break;
                    return result.Exchange;
                }
            }
            return last!;
        }

        private sealed class SendResult
        {
            public Exchange Exchange = new Exchange();
            public bool Truncated;
            public bool TimedOut;
        }

        private async Task<SendResult> SendAsync(DnsServerEndpoint endpoint, NameServer[] nameServer, DnsQuestion question, bool tcp, CancellationToken cancellationToken)
        {
            var result = new SendResult();
            result.Exchange.Server = endpoint.ToString();
            result.Exchange.UsedTcp = tcp;
            if (_rateLimiter != null) await _rateLimiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Statistics.AddNetworkQuery(tcp);
                var response = await _client.QueryServerAsync(nameServer, question, tcp ? _tcpOptions : _udpOptions, cancellationToken).ConfigureAwait(false);
                if (response.Header.ResultTruncated && !tcp)
                {
                    result.Truncated = true;
                    return result;
                }
                result.Exchange.Response = response;
                return result;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
            {
                Statistics.AddTimeout();
                result.TimedOut = true;
                result.Exchange.FailureStatus = DnsLookupStatus.Timeout;
                result.Exchange.FailureMessage = $"No answer from {endpoint}{(tcp ? " over TCP" : string.Empty)} within {Options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.";
                return result;
            }
            catch (DnsResponseException ex) when (!tcp && IsTruncation(ex))
            {
                result.Truncated = true;
                return result;
            }
            catch (Exception ex)
            {
                result.Exchange.FailureStatus = DnsLookupStatus.Error;
                result.Exchange.FailureMessage = $"Query to {endpoint}{(tcp ? " over TCP" : string.Empty)} failed: {Describe(ex)}";
                return result;
            }
            finally
            {
                _gate.Release();
            }
        }

        // DnsClient reports a truncated UDP answer (when it does its own TCP fallback off) as an error mentioning truncation.
        private static bool IsTruncation(DnsResponseException ex) =>
            ex.Message.IndexOf("truncated", StringComparison.OrdinalIgnoreCase) >= 0;

        private static string Describe(Exception ex)
        {
            var message = ex.Message;
            var inner = ex.InnerException;
            while (inner != null)
            {
                message += " " + inner.Message;
                inner = inner.InnerException;
            }
            return message;
        }

        public void Dispose() => _gate.Dispose();
    }
}
