using System.Net;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

public class SpfMacroExpanderTests
{
    private static readonly DateTimeOffset Clock = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static SpfMacroValues Values(string ip = "192.0.2.3", string sender = "strong-bad@email.example.com", string domain = "email.example.com") =>
        new(IPAddress.Parse(ip), sender, domain, "mx.example.org", "receiver.example.net", Clock);

    private static async Task<string> Expand(string text, SpfMacroValues values, SpfMacroContext context = SpfMacroContext.DomainSpec)
    {
        var e = await new SpfMacroExpander(null).ExpandAsync(text, context, values);
        Assert.True(e.Success, e.Error);
        return e.Value!;
    }

    // RFC 7208 §7.4 examples.
    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%%%_%-", "% %20")]
    [InlineData("%{h}", "mx.example.org")]
    [InlineData("%{D2R}", "example.email")]
    public async Task Rfc7208Examples(string text, string expected)
    {
        Assert.Equal(expected, await Expand(text, Values()));
    }

    [Fact]
    public async Task Ipv6UsesDottedNibbles()
    {
        var v = Values(ip: "2001:db8::cb01");
        // RFC 7208 §7.4 writes the nibbles in lower case; the OpenSPF suite and pyspf use upper case. DNS ignores case.
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            await Expand("%{ir}.%{v}._spf.%{d2}", v), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("2001:db8::cb01", await Expand("%{c}", v, SpfMacroContext.Explanation));
    }

    [Fact]
    public async Task Ipv4MappedClientIsIpv4()
    {
        var v = Values(ip: "::ffff:192.0.2.3");
        Assert.Equal("192.0.2.3 in-addr", await Expand("%{i} %{v}", v, SpfMacroContext.Explanation));
    }

    [Fact]
    public async Task ExplanationOnlyLetters()
    {
        var v = Values();
        Assert.Equal("192.0.2.3 receiver.example.net " + Clock.ToUnixTimeSeconds(), await Expand("%{c} %{r} %{t}", v, SpfMacroContext.Explanation));
        var noReceiver = new SpfMacroValues(IPAddress.Parse("192.0.2.3"), "a@b.example", "b.example", null, null, Clock);
        Assert.Equal("unknown", await Expand("%{r}", noReceiver, SpfMacroContext.Explanation));
        var e = await new SpfMacroExpander(null).ExpandAsync("%{c}.example.com", SpfMacroContext.DomainSpec, v);
        Assert.False(e.Success);
        Assert.Null(e.Value);
        Assert.Contains("explanation", e.Error);
    }

    [Fact]
    public async Task UpperCaseLettersAreUrlEscaped()
    {
        var v = Values(sender: "~jack&jill=up-a_b3.c@e8.example.com", domain: "e8.example.com");
        Assert.Equal("~jack%26jill%3Dup-a_b3.c", await Expand("%{L}", v));
        Assert.Equal("~jack&jill=up-a_b3.c", await Expand("%{l}", v));
    }

    [Fact]
    public async Task MissingLocalPartBecomesPostmaster()
    {
        var v = Values(sender: "@example.net", domain: "example.net");
        Assert.Equal("postmaster@example.net", await Expand("%{s}", v));
    }

    [Fact]
    public async Task DomainExpansionDropsTrailingDotAndTruncatesFromTheLeft()
    {
        var v = Values();
        var e = await new SpfMacroExpander(null).ExpandDomainAsync("%{d}.example.net.", v);
        Assert.Equal("email.example.com.example.net", e.Value);
        var label = new string('a', 60);
        var longName = string.Join(".", Enumerable.Repeat(label, 5)) + ".example";
        var truncated = SpfMacroExpander.ToQueryName(longName);
        Assert.True(truncated.Length <= 253);
        Assert.EndsWith(".example", truncated);
        Assert.Equal(string.Join(".", Enumerable.Repeat(label, 4)) + ".example", truncated);
    }

    [Fact]
    public async Task PMacroResolvesValidatedName()
    {
        var zone = OpenSpfZone.FromYaml("""
            3.2.0.192.in-addr.arpa:
              - PTR: other.example.org
              - PTR: mail.email.example.com
              - PTR: fake.email.example.com
            other.example.org:
              - A: 192.0.2.3
            mail.email.example.com:
              - A: 192.0.2.3
            fake.email.example.com:
              - A: 192.0.2.99
            """);
        var expander = new SpfMacroExpander(zone);
        var e = await expander.ExpandAsync("%{p}", SpfMacroContext.DomainSpec, Values());
        Assert.Equal("mail.email.example.com", e.Value);
        Assert.Equal(1, e.PMacroCount);
        var other = await expander.ExpandAsync("%{p}", SpfMacroContext.DomainSpec, Values(domain: "unrelated.example"));
        Assert.Equal("other.example.org", other.Value);
        var none = await new SpfMacroExpander(zone).ExpandAsync("%{p}", SpfMacroContext.DomainSpec, Values(ip: "192.0.2.4"));
        Assert.Equal("unknown", none.Value);
        Assert.Equal("unknown", (await new SpfMacroExpander(null).ExpandAsync("%{p}", SpfMacroContext.DomainSpec, Values())).Value);
    }
}
