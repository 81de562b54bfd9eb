using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Audit
{
    /// <summary>The outcome of fetching an MTA-STS policy file. A failed fetch is a value, never an exception.</summary>
    public sealed class MtaStsFetchResult
    {
        private MtaStsFetchResult(string url, bool success, string? body, string? contentType, int? statusCode, string? error)
        {
            Url = url;
            IsSuccess = success;
            Body = body;
            ContentType = contentType;
            StatusCode = statusCode;
            Error = error;
        }

        /// <summary>The URL fetched: https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt.</summary>
        public string Url { get; }
        public bool IsSuccess { get; }
        /// <summary>The policy text (UTF-8), when the fetch succeeded.</summary>
        public string? Body { get; }
        /// <summary>The media type of the answer ("text/plain"), when there was one.</summary>
        public string? ContentType { get; }
        /// <summary>The HTTP status code, when an answer came.</summary>
        public int? StatusCode { get; }
        /// <summary>Why the fetch failed (timeout, certificate, redirect, status, size), or null.</summary>
        public string? Error { get; }

        public static MtaStsFetchResult Succeeded(string url, string body, string? contentType = "text/plain", int statusCode = 200) =>
            new MtaStsFetchResult(url, true, body ?? throw new ArgumentNullException(nameof(body)), contentType, statusCode, null);

        public static MtaStsFetchResult Failed(string url, string error, int? statusCode = null) =>
            new MtaStsFetchResult(url, false, null, null, statusCode, error ?? throw new ArgumentNullException(nameof(error)));

        /// <summary>The policy URL for a domain (RFC 8461 §3.3).</summary>
        public static string PolicyUrl(string domain) => "https://mta-sts." + Dns.DnsName.Normalize(domain) + "/.well-known/mta-sts.txt";

        public override string ToString() => IsSuccess ? $"{Url}: {StatusCode}" : $"{Url}: {Error}";
    }

    /// <summary>
    /// Fetches the MTA-STS policy of a domain. Implementations return a failed <see cref="MtaStsFetchResult"/> for
    /// every network, TLS or HTTP problem; they throw only <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public interface IMtaStsPolicyFetcher
    {
        Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken = default);
    }

    /// <summary>A fetcher that never goes to the network (offline audits): every fetch fails with the given reason.</summary>
    public sealed class OfflineMtaStsPolicyFetcher : IMtaStsPolicyFetcher
    {
        public OfflineMtaStsPolicyFetcher(string reason = "not fetched: the audit runs offline (zone files only)") { Reason = reason; }

        public string Reason { get; }

        public Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(MtaStsFetchResult.Failed(MtaStsFetchResult.PolicyUrl(domain), Reason));
        }
    }

    /// <summary>
    /// Fetches policies over HTTPS as RFC 8461 §3.3 requires: the certificate must be valid for
    /// mta-sts.&lt;domain&gt; (the platform's validation is left on), redirects are not followed, the answer must be
    /// 200 and is read up to <see cref="MaxBytes"/> (64 KiB by default), within <see cref="Timeout"/>.
    /// Thread-safe; dispose it when done.
    /// </summary>
    public sealed class HttpMtaStsPolicyFetcher : IMtaStsPolicyFetcher, IDisposable
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
        public const int DefaultMaxBytes = 64 * 1024;

        private readonly HttpClient _client;

        /// <param name="timeout">Time for the whole fetch (connect, TLS, headers and body).</param>
        /// <param name="maxBytes">Largest body accepted.</param>
        /// <param name="handler">The HTTP handler (tests); null: a handler without redirects or cookies, certificate validation on.</param>
        /// <param name="resolver">Resolves the policy host when no handler is given: the audit's own DNS (its -Server, its
        /// cache), see <see cref="ResolverConnectHandler"/>. Null: the operating system's resolver.</param>
        public HttpMtaStsPolicyFetcher(TimeSpan? timeout = null, int maxBytes = DefaultMaxBytes, HttpMessageHandler? handler = null, Dns.IDnsResolver? resolver = null)
        {
            Timeout = timeout ?? DefaultTimeout;
            if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout));
            if (maxBytes < 1) throw new ArgumentOutOfRangeException(nameof(maxBytes));
            MaxBytes = maxBytes;
            if (handler is null && resolver != null) handler = ResolverConnectHandler.TryCreate(resolver);
            handler ??= CreateDefaultHandler();
            _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            _client.DefaultRequestHeaders.UserAgent.ParseAdd("MailAuth/0.1 (MTA-STS policy check)");
        }

        public TimeSpan Timeout { get; }
        public int MaxBytes { get; }

        /// <summary>The handler used when none is given: no redirects (RFC 8461 §3.3), no cookies, the platform's certificate validation.</summary>
        internal static HttpClientHandler CreateDefaultHandler() => new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };

        public async Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken = default)
        {
            var url = MtaStsFetchResult.PolicyUrl(domain);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status >= 300 && status < 400)
                    return MtaStsFetchResult.Failed(url, $"the server answered {status} with a redirect{(response.Headers.Location is null ? "" : " to " + response.Headers.Location)}; senders must not follow redirects (RFC 8461 §3.3)", status);
                if (response.StatusCode != HttpStatusCode.OK)
                    return MtaStsFetchResult.Failed(url, $"the server answered HTTP {status} {response.ReasonPhrase}; only 200 is a policy (RFC 8461 §3.3)", status);
                var length = response.Content.Headers.ContentLength;
                if (length > MaxBytes)
                    return MtaStsFetchResult.Failed(url, $"the policy is {length} bytes, more than the {MaxBytes} accepted", status);
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var buffer = new MemoryStream();
                var chunk = new byte[8192];
                while (true)
                {
                    int read = await stream.ReadAsync(chunk, 0, chunk.Length, timeout.Token).ConfigureAwait(false);
                    if (read == 0) break;
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > MaxBytes)
                        return MtaStsFetchResult.Failed(url, $"the policy is larger than the {MaxBytes} bytes accepted", status);
                }
                var body = new UTF8Encoding(false, false).GetString(buffer.ToArray());
                return MtaStsFetchResult.Succeeded(url, body, response.Content.Headers.ContentType?.MediaType, status);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException)
            {
                return MtaStsFetchResult.Failed(url, $"no answer within {Timeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is System.Security.Authentication.AuthenticationException
                                       || ex is System.Net.Sockets.SocketException || ex is InvalidOperationException || ex is WebException)
            {
                return MtaStsFetchResult.Failed(url, Describe(ex));
            }
        }

        private static string Describe(Exception ex)
        {
            var parts = new StringBuilder(ex.Message.TrimEnd('.'));
            for (var inner = ex.InnerException; inner != null; inner = inner.InnerException)
                if (!parts.ToString().Contains(inner.Message.TrimEnd('.'))) parts.Append(": ").Append(inner.Message.TrimEnd('.'));
            return parts.ToString();
        }

        public void Dispose() => _client.Dispose();
    }
}
