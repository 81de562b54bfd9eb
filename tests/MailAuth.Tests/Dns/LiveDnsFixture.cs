using System.Text;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

/// <summary>
/// One knot for the live resolver tests, serving contoso.example, fabrikam.example and a zone that fails to load.
/// The start error (knotd missing) is kept and raised by <see cref="Knot"/> in each test, so every test fails with the
/// message naming the package (or skips with MAILAUTH_SKIP_LIVE_DNS=1) instead of failing in the fixture.
/// </summary>
public sealed class LiveDnsFixture : IAsyncLifetime
{
    public const string Contoso = "contoso.example";
    public const string Fabrikam = "fabrikam.example";
    public const string Broken = "broken.example";
    public const int ConcurrentNames = 200;
    public const int BigTxtCount = 40;

    private KnotServer? _server;
    private Exception? _startError;

    /// <summary>A DKIM-like TXT value of 410 characters, published as two strings of 255 and 155.</summary>
    public static string DkimValue { get; } = MakeDkimValue();

    /// <summary>The value of the i-th of the many TXT records at big.contoso.example.</summary>
    public static string BigTxt(int i) => $"filler-{i:D3}-" + new string((char)('a' + i % 26), 50);

    /// <summary>The TXT value at h{i}.contoso.example.</summary>
    public static string HostTxt(int i) => $"host-value-{i}";

    public KnotServer Knot
    {
        get
        {
            KnotServer.RequireKnotd();
            if (_startError != null) throw new InvalidOperationException(_startError.Message, _startError);
            return _server!;
        }
    }

    public DnsServerEndpoint Endpoint => Knot.Endpoint;

    public async Task InitializeAsync()
    {
        if (KnotServer.SkipRequested || KnotServer.FindKnotd() is null) return;
        try
        {
            _server = await KnotServer.StartAsync((Contoso, ContosoZone()), (Fabrikam, FabrikamZone()), (Broken, "this is not a record\n"));
        }
        catch (Exception ex)
        {
            _startError = ex;
        }
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }

    private static string MakeDkimValue()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var sb = new StringBuilder("v=DKIM1; k=rsa; p=");
        var x = 12345u;
        while (sb.Length < 410)
        {
            x = x * 1103515245u + 12345u;
            sb.Append(alphabet[(int)((x >> 16) % 64)]);
        }
        return sb.ToString();
    }

    private static string ContosoZone()
    {
        var sb = new StringBuilder();
        sb.Append("@ IN MX 10 mail\n");
        sb.Append("mail IN A 192.0.2.25\n");
        sb.Append("mail IN AAAA 2001:db8::25\n");
        sb.Append("@ IN TXT \"v=spf1 mx -all\"\n");
        sb.Append("nomail IN MX 0 .\n");
        sb.Append("onlya IN A 192.0.2.1\n");
        sb.Append("sel1._domainkey IN TXT ")
          .Append(ZoneText.QuoteCharacterString(DkimValue.Substring(0, 255))).Append(' ')
          .Append(ZoneText.QuoteCharacterString(DkimValue.Substring(255))).Append('\n');
        sb.Append("xn--bcher-kva IN TXT \"idn\"\n");
        sb.Append("idn-alias IN CNAME xn--bcher-kva\n");
        sb.Append("idn-mx IN MX 10 xn--bcher-kva\n");
        sb.Append("escaped IN TXT \"a\\\"b\\\\c;d\" \"e f\"\n");
        for (int i = 0; i < BigTxtCount; i++) sb.Append("big IN TXT \"").Append(BigTxt(i)).Append("\"\n");
        sb.Append("alias1 IN CNAME alias2\n");
        sb.Append("alias2 IN CNAME target\n");
        sb.Append("target IN TXT \"v=spf1 -all\"\n");
        sb.Append("ext IN CNAME target.fabrikam.example.\n");
        sb.Append("dangling IN CNAME nothere\n");
        sb.Append("dangling-ext IN CNAME nothere.fabrikam.example.\n");
        sb.Append("loop1 IN CNAME loop2\n");
        sb.Append("loop2 IN CNAME loop1\n");
        sb.Append("_dmarc IN CNAME _dmarc.fabrikam.example.\n");
        for (int i = 0; i < ConcurrentNames; i++) sb.Append('h').Append(i).Append(" IN TXT \"").Append(HostTxt(i)).Append("\"\n");
        return sb.ToString();
    }

    private static string FabrikamZone() =>
        "target IN TXT \"fabrikam target\"\n" +
        "_dmarc IN TXT \"v=DMARC1; p=reject\"\n" +
        "onlya IN A 192.0.2.2\n";
}
