using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Text;
using MailAuth.Audit;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Tests.Support;
using Xunit;

namespace MailAuth.Tests.Audit;

public class MtaStsRecordTests
{
    [Theory]
    [InlineData("v=STSv1; id=20240401T000000;")]
    [InlineData("v=STSv1;id=1")]
    [InlineData("v=STSv1; id=abc123; ext_field.x=whatever")]
    public void ValidRecords(string text)
    {
        var r = MtaStsRecord.Parse(text);
        Assert.True(r.IsValid, string.Join(" | ", r.Diagnostics));
        Assert.NotNull(r.Id);
    }

    [Theory]
    [InlineData("v=STSv1;", "MTASTS.MissingId")]
    [InlineData("v=STSv1; id=2024-04-01", "MTASTS.InvalidId")]
    [InlineData("v=STSv1; id=123456789012345678901234567890123", "MTASTS.InvalidId")]
    [InlineData("v=stsv1; id=1", "MTASTS.InvalidVersion")]
    [InlineData("id=1; v=STSv1", "MTASTS.InvalidVersion")]
    [InlineData("v=STSv1; id=1; id=2", "MTASTS.DuplicateField")]
    [InlineData("v=STSv1; id=1; garbage", "MTASTS.FieldSyntax")]
    public void InvalidRecords(string text, string id)
    {
        var r = MtaStsRecord.Parse(text);
        Assert.False(r.IsValid);
        Assert.Contains(r.Diagnostics, d => d.Id == id);
    }

    [Fact]
    public void ParseNeverThrows()
    {
        foreach (var t in new[] { null, "", ";;;", "=", "v=", "v=STSv1; =x" })
            Assert.NotNull(MtaStsRecord.Parse(t));
    }
}

public class MtaStsPolicyTests
{
    private const string Good = "version: STSv1\r\nmode: enforce\r\nmx: mail.contoso.example\r\nmx: *.mx.provider.example\r\nmax_age: 1209600\r\n";

    [Fact]
    public void ParsesAValidPolicy()
    {
        var p = MtaStsPolicy.Parse(Good);
        Assert.True(p.IsValid, string.Join(" | ", p.Diagnostics));
        Assert.Equal(MtaStsMode.Enforce, p.Mode);
        Assert.Equal(1209600, p.MaxAge);
        Assert.Equal(new[] { "mail.contoso.example", "*.mx.provider.example" }, p.MxPatterns);
    }

    [Theory]
    [InlineData("mail.contoso.example", "mail.contoso.example", true)]
    [InlineData("mail.contoso.example", "MAIL.Contoso.Example.", true)]
    [InlineData("*.mx.provider.example", "a.mx.provider.example", true)]
    [InlineData("*.mx.provider.example", "mx.provider.example", false)]
    [InlineData("*.mx.provider.example", "a.b.mx.provider.example", false)]
    [InlineData("*.mx.provider.example", "amx.provider.example", false)]
    [InlineData("mail.contoso.example", "mail2.contoso.example", false)]
    public void PatternsMatchAsRfc8461Section41Says(string pattern, string host, bool expected) =>
        Assert.Equal(expected, MtaStsPolicy.Matches(pattern, host));

    [Theory]
    [InlineData("mode: enforce\nmx: a.example\nmax_age: 86400\n", "MTASTS.PolicyMissingVersion")]
    [InlineData("version: STSv1\nmx: a.example\nmax_age: 86400\n", "MTASTS.PolicyMissingMode")]
    [InlineData("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 86400\n", "MTASTS.PolicyInvalidMode")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\n", "MTASTS.PolicyMissingMaxAge")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", "MTASTS.PolicyInvalidMaxAge")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 86400\n", "MTASTS.PolicyMissingMx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 86400\n", "MTASTS.PolicyInvalidMx")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 86400\n", "MTASTS.PolicyInvalidVersion")]
    [InlineData("version: STSv1\nmode: enforce\nthis is not a line\nmx: a.example\nmax_age: 86400\n", "MTASTS.PolicySyntax")]
    public void InvalidPolicies(string text, string id)
    {
        var p = MtaStsPolicy.Parse(text);
        Assert.False(p.IsValid);
        Assert.Contains(p.Diagnostics, d => d.Id == id);
    }

    [Fact]
    public void ModeNoneNeedsNoMxAndUnknownKeysAreIgnored()
    {
        var p = MtaStsPolicy.Parse("version: STSv1\nmode: none\nmax_age: 86400\nfuture_key: 1\n");
        Assert.True(p.IsValid, string.Join(" | ", p.Diagnostics));
        Assert.Equal(MtaStsMode.None, p.Mode);
    }
}

public class MtaStsCheckTests
{
    private sealed class FakeFetcher : IMtaStsPolicyFetcher
    {
        private readonly Func<string, MtaStsFetchResult> _answer;
        public int Calls;
        public FakeFetcher(Func<string, MtaStsFetchResult> answer) { _answer = answer; }
        public Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(_answer(domain));
        }
    }

    private static FakeFetcher Serving(string policy, string contentType = "text/plain") =>
        new(d => MtaStsFetchResult.Succeeded(MtaStsFetchResult.PolicyUrl(d), policy, contentType));

    private static DictionaryResolver Dns(string? record = "v=STSv1; id=20240401") =>
        record is null ? new DictionaryResolver().Txt("contoso.example", "x") : new DictionaryResolver().Txt("_mta-sts.contoso.example", record);

    private static readonly string[] Mx = { "mail.contoso.example", "backup.mx.provider.example" };

    [Fact]
    public async Task AnEnforcedPolicyCoveringEveryMxIsOk()
    {
        var fetcher = Serving("version: STSv1\nmode: enforce\nmx: mail.contoso.example\nmx: *.mx.provider.example\nmax_age: 1209600\n");
        var r = await new PolicyRecordChecker(Dns(), fetcher).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.Ok, r.Status);
        Assert.Equal("enforce", r.Mode);
        Assert.Empty(r.UncoveredMxHosts);
        Assert.Equal("https://mta-sts.contoso.example/.well-known/mta-sts.txt", r.PolicyUrl);
        Assert.Equal(1, fetcher.Calls);
    }

    [Fact]
    public async Task AnMxHostOutsideAnEnforcedPolicyIsAnError()
    {
        var fetcher = Serving("version: STSv1\nmode: enforce\nmx: mail.contoso.example\nmax_age: 1209600\n");
        var r = await new PolicyRecordChecker(Dns(), fetcher).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.Error, r.Status);
        Assert.Equal(new[] { "backup.mx.provider.example" }, r.UncoveredMxHosts);
        Assert.Contains(r.Findings, f => f.Id == "MTASTS.MxNotCovered" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public async Task InTestingModeAnUncoveredHostIsAWarning()
    {
        var fetcher = Serving("version: STSv1\nmode: testing\nmx: mail.contoso.example\nmax_age: 1209600\n");
        var r = await new PolicyRecordChecker(Dns(), fetcher).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.Warning, r.Status);
        Assert.Equal("testing", r.Mode);
        Assert.Contains(r.Findings, f => f.Id == "MTASTS.TestingMode");
    }

    [Fact]
    public async Task AFailedFetchIsAFindingNotAnException()
    {
        var fetcher = new FakeFetcher(d => MtaStsFetchResult.Failed(MtaStsFetchResult.PolicyUrl(d), "certificate not valid for mta-sts.contoso.example"));
        var r = await new PolicyRecordChecker(Dns(), fetcher).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.Error, r.Status);
        var f = Assert.Single(r.Findings, x => x.Id == "MTASTS.PolicyFetchFailed");
        Assert.Contains("certificate", f.Message);
        Assert.Null(r.Policy);
    }

    [Fact]
    public async Task OfflineTheTxtRecordIsCheckedAndThePolicyIsNot()
    {
        var r = await new PolicyRecordChecker(Dns(), new OfflineMtaStsPolicyFetcher()).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.Ok, r.Status);
        Assert.Equal(FindingSeverity.Information, Assert.Single(r.Findings).Severity);
    }

    [Fact]
    public async Task NoRecordMeansNoFetch()
    {
        var fetcher = Serving("version: STSv1\nmode: enforce\nmx: x.example\nmax_age: 1\n");
        var r = await new PolicyRecordChecker(Dns(null), fetcher).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.NotPublished, r.Status);
        Assert.Equal(0, fetcher.Calls);
        Assert.Equal("MTASTS.NotPublished", Assert.Single(r.Findings).Id);
    }

    [Fact]
    public async Task TwoRecordsMeanNoPolicy()
    {
        var dns = Dns().Txt("_mta-sts.contoso.example", "v=STSv1; id=2");
        var r = await new PolicyRecordChecker(dns, Serving("")).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.Error, r.Status);
        Assert.Contains(r.Findings, f => f.Id == "MTASTS.MultipleRecords");
    }

    [Fact]
    public async Task WrongContentTypeAndShortMaxAgeWarn()
    {
        var fetcher = Serving("version: STSv1\nmode: enforce\nmx: *.contoso.example\nmx: *.mx.provider.example\nmax_age: 300\n", "text/html");
        var r = await new PolicyRecordChecker(Dns(), fetcher).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.Warning, r.Status);
        Assert.Contains(r.Findings, f => f.Id == "MTASTS.PolicyContentType");
        Assert.Contains(r.Findings, f => f.Id == "MTASTS.ShortMaxAge");
    }

    [Fact]
    public async Task ALookupFailureIsReported()
    {
        var dns = new DictionaryResolver().Fail("_mta-sts.contoso.example", DnsLookupStatus.Timeout);
        var r = await new PolicyRecordChecker(dns, null).CheckMtaStsAsync("contoso.example", Mx);
        Assert.Equal(PolicyRecordStatus.LookupFailed, r.Status);
    }
}

public class HttpMtaStsPolicyFetcherTests
{
    private sealed class Handler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _send;
        public List<Uri> Requests { get; } = new();
        public Handler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) { _send = send; }
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add(request.RequestUri!);
            return _send(request, cancellationToken);
        }
    }

    private static Handler Answer(HttpStatusCode status, string body = "", string mediaType = "text/plain", Action<HttpResponseMessage>? edit = null) =>
        new((_, _) =>
        {
            var m = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            edit?.Invoke(m);
            return Task.FromResult(m);
        });

    [Fact]
    public async Task FetchesThePolicyUrl()
    {
        var handler = Answer(HttpStatusCode.OK, "version: STSv1\n");
        using var f = new HttpMtaStsPolicyFetcher(handler: handler);
        var r = await f.FetchAsync("Contoso.Example.");
        Assert.True(r.IsSuccess);
        Assert.Equal("version: STSv1\n", r.Body);
        Assert.Equal("text/plain", r.ContentType);
        Assert.Equal("https://mta-sts.contoso.example/.well-known/mta-sts.txt", Assert.Single(handler.Requests).ToString());
    }

    [Fact]
    public async Task ARedirectIsAFailure()
    {
        using var f = new HttpMtaStsPolicyFetcher(handler: Answer(HttpStatusCode.Found, edit: m => m.Headers.Location = new Uri("https://elsewhere.example/p.txt")));
        var r = await f.FetchAsync("contoso.example");
        Assert.False(r.IsSuccess);
        Assert.Equal(302, r.StatusCode);
        Assert.Contains("redirect", r.Error);
    }

    [Fact]
    public async Task ANonOkStatusIsAFailure()
    {
        using var f = new HttpMtaStsPolicyFetcher(handler: Answer(HttpStatusCode.NotFound));
        var r = await f.FetchAsync("contoso.example");
        Assert.False(r.IsSuccess);
        Assert.Equal(404, r.StatusCode);
    }

    [Fact]
    public async Task ABodyOverTheCapIsAFailure()
    {
        using var f = new HttpMtaStsPolicyFetcher(maxBytes: 100, handler: Answer(HttpStatusCode.OK, new string('x', 1000)));
        var r = await f.FetchAsync("contoso.example");
        Assert.False(r.IsSuccess);
        Assert.Contains("100", r.Error);
    }

    [Fact]
    public async Task ANetworkErrorIsAFailure()
    {
        using var f = new HttpMtaStsPolicyFetcher(handler: new Handler((_, _) => throw new HttpRequestException("The SSL connection could not be established")));
        var r = await f.FetchAsync("contoso.example");
        Assert.False(r.IsSuccess);
        Assert.Contains("SSL", r.Error);
    }

    [Fact]
    public async Task AServerThatNeverAnswersTimesOutWithinTwiceTheBound()
    {
        var bound = TimeSpan.FromMilliseconds(300);
        using var f = new HttpMtaStsPolicyFetcher(timeout: bound, handler: new Handler(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return new HttpResponseMessage(); }));
        var watch = Stopwatch.StartNew();
        var r = await f.FetchAsync("contoso.example");
        Assert.False(r.IsSuccess);
        Assert.Contains("no answer", r.Error);
        Assert.True(watch.Elapsed < bound * 2 + TimeSpan.FromSeconds(1), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task CancellationByTheCallerThrows()
    {
        using var f = new HttpMtaStsPolicyFetcher(handler: new Handler(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return new HttpResponseMessage(); }));
        using var cts = new CancellationTokenSource(100);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.FetchAsync("contoso.example", cts.Token));
    }

    [Fact]
    public void TheDefaultHandlerFollowsNoRedirectAndValidatesCertificates()
    {
        using var h = HttpMtaStsPolicyFetcher.CreateDefaultHandler();
        Assert.False(h.AllowAutoRedirect);
        Assert.Null(h.ServerCertificateCustomValidationCallback);
        Assert.False(h.UseCookies);
    }
}

public class ResolverConnectHandlerTests
{
    [Fact]
    public async Task ConnectsToTheAddressTheResolverGives()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var dns = new DictionaryResolver().A("mta-sts.contoso.example", "127.0.0.1");
        var accept = listener.AcceptTcpClientAsync();
        using var stream = await ResolverConnectHandler.ConnectAsync(dns, "mta-sts.contoso.example", port, CancellationToken.None);
        using var accepted = await accept;
        Assert.True(stream.CanWrite);
        Assert.Contains(dns.Queries, q => q.Name == "mta-sts.contoso.example" && q.Type == DnsRecordType.A);
    }

    [Fact]
    public async Task AHostWithoutAddressesFailsWithoutConnecting()
    {
        var dns = new DictionaryResolver().Txt("contoso.example", "v=spf1 -all");
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => ResolverConnectHandler.ConnectAsync(dns, "mta-sts.contoso.example", 443, CancellationToken.None));
        Assert.Contains("no A or AAAA record", ex.Message);
    }

    [Fact]
    public async Task ARefusedConnectionIsAnHttpRequestException()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; probe.Stop(); }
        var dns = new DictionaryResolver().A("mta-sts.contoso.example", "127.0.0.1");
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => ResolverConnectHandler.ConnectAsync(dns, "mta-sts.contoso.example", port, CancellationToken.None));
        Assert.Contains("127.0.0.1", ex.Message);
    }

    [Fact]
    public async Task TheFetcherAsksTheResolverForThePolicyHost()
    {
        // On this runtime the handler exists, so the fetch goes through the resolver: a host it does not know fails at once.
        Assert.NotNull(ResolverConnectHandler.TryCreate(new DictionaryResolver()));
        var dns = new DictionaryResolver().Txt("_mta-sts.contoso.example", "v=STSv1; id=1");
        using var fetcher = new HttpMtaStsPolicyFetcher(timeout: TimeSpan.FromSeconds(20), resolver: dns);
        var result = await fetcher.FetchAsync("contoso.example");
        Assert.False(result.IsSuccess);
        Assert.Contains("no A or AAAA record", result.Error);
        Assert.Contains(dns.Queries, q => q.Name == "mta-sts.contoso.example");
    }
}
