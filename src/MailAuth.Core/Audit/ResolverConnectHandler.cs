using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Linq.Expressions;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Audit
{
    /// <summary>
    /// An HTTP handler whose connections go to the addresses MailAuth's own resolver gives for the host, so an MTA-STS
    /// policy host (mta-sts.&lt;domain&gt;, RFC 8461 §3.3) is looked up in the same DNS as the domain's records: the
    /// -Server the audit was given, a test server, the cache of the run. Without it the operating system's resolver is
    /// asked, which may not know the names at all and whose blocking lookups tie up thread-pool threads in a bulk run.
    /// TLS (SNI and certificate validation) still uses the host name. Built on the runtime's SocketsHttpHandler and its
    /// ConnectCallback (.NET 5 and later, found by reflection because the core targets netstandard2.0); where the
    /// runtime lacks them, <see cref="TryCreate"/> returns null and the caller keeps the platform's handler.
    /// </summary>
    internal static class ResolverConnectHandler
    {
        /// <summary>A handler without redirects or cookies that connects through <paramref name="resolver"/>; null when the runtime cannot.</summary>
        public static HttpMessageHandler? TryCreate(IDnsResolver resolver)
        {
            if (resolver is null) throw new ArgumentNullException(nameof(resolver));
            try
            {
                var type = Type.GetType("System.Net.Http.SocketsHttpHandler, System.Net.Http", throwOnError: false);
                var callback = type?.GetProperty("ConnectCallback");
                if (type is null || callback is null || !callback.CanWrite) return null;
                var delegateType = callback.PropertyType;                   // Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>
                var args = delegateType.GetGenericArguments();
                if (args.Length != 3) return null;
                var valueTaskCtor = args[2].GetConstructor(new[] { typeof(Task<Stream>) });
                var endPoint = args[0].GetProperty("DnsEndPoint");
                if (valueTaskCtor is null || endPoint is null) return null;

                Func<DnsEndPoint, CancellationToken, Task<Stream>> connect = (ep, ct) => ConnectAsync(resolver, ep.Host, ep.Port, ct);
                var context = Expression.Parameter(args[0], "context");
                var token = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
                var body = Expression.New(valueTaskCtor, Expression.Invoke(Expression.Constant(connect), Expression.Property(context, endPoint), token));
                var lambda = Expression.Lambda(delegateType, body, context, token).Compile();

                var handler = (HttpMessageHandler)Activator.CreateInstance(type)!;
                type.GetProperty("AllowAutoRedirect")?.SetValue(handler, false);
                type.GetProperty("UseCookies")?.SetValue(handler, false);
                type.GetProperty("UseProxy")?.SetValue(handler, false);
                callback.SetValue(handler, lambda);
                return handler;
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                return null;
            }
        }

        /// <summary>Resolves <paramref name="host"/> (A, then AAAA) and connects to the first address that accepts.</summary>
        internal static async Task<Stream> ConnectAsync(IDnsResolver resolver, string host, int port, CancellationToken cancellationToken)
        {
            var addresses = new List<IPAddress>();
            var problems = new List<string>();
            if (IPAddress.TryParse(host, out var literal)) addresses.Add(literal);
            else
            {
                foreach (var type in new[] { DnsRecordType.A, DnsRecordType.AAAA })
                {
                    var answer = await resolver.QueryAsync(host, type, cancellationToken).ConfigureAwait(false);
                    addresses.AddRange(answer.Records.Where(r => r.RecordType == type && r.Address != null).Select(r => r.Address!));
                    if (answer.Status != DnsLookupStatus.Success && answer.Status != DnsLookupStatus.NoData) problems.Add($"{type} {answer.Status}");
                    if (answer.Status == DnsLookupStatus.NxDomain) break;
                }
            }
            if (addresses.Count == 0)
                throw new HttpRequestException($"{host} has no A or AAAA record{(problems.Count > 0 ? " (" + string.Join(", ", problems) + ")" : "")}");

            Exception? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    using (cancellationToken.Register(s => ((Socket)s!).Dispose(), socket))
                        await socket.ConnectAsync(new IPEndPoint(address, port)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    socket.Dispose();
                    last = ex;
                }
                catch (Exception)
                {
                    socket.Dispose();
                    throw new OperationCanceledException(cancellationToken);
                }
            }
            throw new HttpRequestException($"no connection to {host}:{port} ({string.Join(", ", addresses)}): {last?.Message}", last);
        }
    }
}
