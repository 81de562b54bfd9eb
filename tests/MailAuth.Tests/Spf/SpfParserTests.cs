using System.Net;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

public class SpfParserTests
{
    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("v=spf1 -all", true)]
    [InlineData("V=SpF1 ~all", true)]
    [InlineData("v=spf10", false)]
    [InlineData("v=spf1mx", false)]
    [InlineData("v=spf2 -all", false)]
    [InlineData(" v=spf1 -all", false)]
    [InlineData("v=spf1\t-all", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void RecordSelectionFollowsVersionRule(string? text, bool expected)
    {
        Assert.Equal(expected, SpfParser.IsSpfRecord(text));
        var record = SpfParser.Parse(text);
        Assert.Equal(expected, record.HasValidVersion);
        if (!expected) Assert.Contains(record.Diagnostics, d => d.Id == "SPF.NotSpfRecord");
    }

    [Fact]
    public void ParsesEveryMechanismIntoTheModel()
    {
        var r = SpfParser.Parse("v=spf1 +a -mx:mail.example.com/24//64 ~ptr:example.org ?ip4:192.0.2.1/24 ip6:2001:db8::/32 include:_spf.example.net exists:%{i}.bl.example.com redirect=_spf.example.com exp=explain.%{d} foo.bar=%{l} all");
        Assert.True(r.IsValid, string.Join("; ", r.Diagnostics));
        Assert.Equal(11, r.Terms.Count);

        var a = Assert.IsType<SpfMechanism>(r.Terms[0]);
        Assert.Equal(SpfMechanismKind.A, a.Kind);
        Assert.True(a.HasExplicitQualifier);
        Assert.Equal('+', a.QualifierChar);
        Assert.Null(a.DomainSpec);
        Assert.Null(a.Cidr4);
        Assert.Equal(32, a.EffectiveCidr4);

        var mx = Assert.IsType<SpfMechanism>(r.Terms[1]);
        Assert.Equal(SpfQualifier.Fail, mx.Qualifier);
        Assert.Equal("mail.example.com", mx.DomainSpec);
        Assert.Equal(24, mx.Cidr4);
        Assert.Equal(64, mx.Cidr6);

        var ptr = Assert.IsType<SpfMechanism>(r.Terms[2]);
        Assert.Equal(SpfQualifier.SoftFail, ptr.Qualifier);
        Assert.Equal("example.org", ptr.DomainSpec);

        var ip4 = Assert.IsType<SpfMechanism>(r.Terms[3]);
        Assert.Equal(SpfQualifier.Neutral, ip4.Qualifier);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), ip4.Address);
        Assert.Equal(24, ip4.PrefixLength);
        Assert.False(ip4.CountsTowardLookupLimit);

        var ip6 = Assert.IsType<SpfMechanism>(r.Terms[4]);
        Assert.False(ip6.HasExplicitQualifier);
        Assert.Equal(SpfQualifier.Pass, ip6.Qualifier);
        Assert.Equal(IPAddress.Parse("2001:db8::"), ip6.Address);
        Assert.Equal(32, ip6.PrefixLength);

        var include = Assert.IsType<SpfMechanism>(r.Terms[5]);
        Assert.Equal(SpfMechanismKind.Include, include.Kind);
        Assert.Equal("_spf.example.net", include.DomainSpec);
        Assert.True(include.CountsTowardLookupLimit);

        var exists = Assert.IsType<SpfMechanism>(r.Terms[6]);
        Assert.Equal("%{i}.bl.example.com", exists.DomainSpec);

        Assert.Equal(SpfModifierKind.Redirect, Assert.IsType<SpfModifier>(r.Terms[7]).Kind);
        Assert.Same(r.Terms[7], r.Redirect);
        Assert.Equal("_spf.example.com", r.Redirect!.Value);
        Assert.Same(r.Terms[8], r.Explanation);
        var unknown = Assert.IsType<SpfModifier>(r.Terms[9]);
        Assert.Equal(SpfModifierKind.Unknown, unknown.Kind);
        Assert.Equal("foo.bar", unknown.Name);
        Assert.Equal("%{l}", unknown.Value);
        Assert.Equal(SpfMechanismKind.All, Assert.IsType<SpfMechanism>(r.Terms[10]).Kind);

        // include, a, mx, ptr, exists, redirect
        Assert.Equal(6, r.LookupTermCount);
        for (int i = 0; i < r.Terms.Count; i++) Assert.Equal(i, r.Terms[i].Index);
        Assert.Equal("~ptr:example.org", r.Raw.Substring(r.Terms[2].Position, r.Terms[2].Text.Length));
    }

    [Theory]
    // From the RFC 7208 grammar and the OpenSPF suite's syntax cases.
    [InlineData("v=spf1 a  -all")]
    [InlineData("v=spf1 a -all ")]
    [InlineData("v=spf1")]
    [InlineData("v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all")]
    [InlineData("v=spf1 a:foo:bar/baz.example.com")]
    [InlineData("v=spf1 a:foo.example.xn--zckzah -all")]
    [InlineData("v=spf1 a//0 -all")]
    [InlineData("v=spf1 a//33 -all")]
    [InlineData("v=spf1 a/0 -all")]
    [InlineData("v=spf1 a:mail.example...com -all")]
    [InlineData("v=spf1 a:%{H}.bar -all")]
    [InlineData("v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all")]
    [InlineData("v=spf1 exists:%{i}.%{l2r-}.user.%{d2}")]
    [InlineData("v=spf1 exists:%{l2r+-}.user.%{d2}")]
    [InlineData("v=spf1 redirect=%{d}.d.spf.example.com.")]
    [InlineData("v=spf1 default=pass")]
    [InlineData("v=spf1 default=+")]
    [InlineData("v=spf1 foo=")]
    [InlineData("v=spf1 ip6:::1.1.1.1/0")]
    [InlineData("v=spf1 ip6:Cafe:Babe:8000::/33")]
    [InlineData("v=spf1 -ip4:1.2.3.4 ip6:::FFFF:1.2.3.4")]
    [InlineData("v=spf1 ip4:1.1.1.1/0 -all")]
    [InlineData("v=spf1 -include:_spfh.%{d2} ip4:1.2.3.0/24 -all")]
    [InlineData("v=spf1 -all exp=msg8.%{D2}")]
    [InlineData("v=spf1 all -all")]
    [InlineData("v=spf1 a:museum.com.")]
    [InlineData("v=spf1 a:12-34.com")]
    // ABNF: domain-end may be any macro-expand, "%%" included (pyspf rejects this one).
    [InlineData("v=spf1 a:foo.%% -all")]
    public void ValidRecords(string text)
    {
        var r = SpfParser.Parse(text);
        Assert.True(r.IsValid, string.Join("; ", r.Diagnostics));
        Assert.Empty(r.InvalidTerms);
    }

    [Theory]
    [InlineData("v=spf1 ip4:1.2.3.4 -all moo", "SPF.UnknownMechanism")]
    [InlineData("v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all", "SPF.UnknownMechanism")]
    [InlineData("v=spf1 moo.cow:far_out=man:dog/cat ip4:1.2.3.4 -all", "SPF.UnknownMechanism")]
    [InlineData("v=spf1 ip4:1.2.3.4 redirect:t2.example.com", "SPF.UnknownMechanism")]
    [InlineData("v=spf1 1up=foo", "SPF.UnknownMechanism")]
    [InlineData("v=spf1 =all", "SPF.UnknownMechanism")]
    [InlineData("v=spf1 -all.", "SPF.UnknownMechanism")]
    [InlineData("v=spf1 -all:foobar", "SPF.SyntaxError")]
    [InlineData("v=spf1 -all/8", "SPF.SyntaxError")]
    [InlineData("v=spf1 a:foo-bar -all", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 a:111.222.33.44", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 a:abc.123", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 a:museum", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 a:museum.", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 a:example.-com", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 a:example.com:8080", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 a:", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 a/33 -all", "SPF.InvalidCidr")]
    [InlineData("v=spf1 a//129 -all", "SPF.InvalidCidr")]
    [InlineData("v=spf1 a/24/64 -all", "SPF.InvalidCidr")]
    [InlineData("v=spf1 mx/033 -all", "SPF.InvalidCidr")]
    [InlineData("v=spf1 ptr/0 -all", "SPF.SyntaxError")]
    [InlineData("v=spf1 ptr:", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 include +all", "SPF.SyntaxError")]
    [InlineData("v=spf1 include: -all", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 include:ip5.example.com/24 -all", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 exists", "SPF.SyntaxError")]
    [InlineData("v=spf1 exists:mail.example.com/24", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 ip4", "SPF.SyntaxError")]
    [InlineData("v=spf1 ip4:1.2.3.4/33 -all", "SPF.InvalidCidr")]
    [InlineData("v=spf1 ip4:1.2.3.4/032 -all", "SPF.InvalidCidr")]
    [InlineData("v=spf1 ip4:1.2.3.4//32", "SPF.InvalidCidr")]
    [InlineData("v=spf1 ip4:1.2.3.4:8080", "SPF.InvalidIpAddress")]
    [InlineData("v=spf1 ip4:1.2.3", "SPF.InvalidIpAddress")]
    [InlineData("v=spf1 ip4:01.2.3.4", "SPF.InvalidIpAddress")]
    [InlineData("v=spf1 -all ip6", "SPF.SyntaxError")]
    [InlineData("v=spf1 ip6:::1.1.1.1/129", "SPF.InvalidCidr")]
    [InlineData("v=spf1 ip6:::1.1.1.1//33", "SPF.InvalidCidr")]
    [InlineData("v=spf1 ip6::CAFE::BABE", "SPF.InvalidIpAddress")]
    [InlineData("v=spf1 ip6:fe80::1%eth0", "SPF.InvalidIpAddress")]
    [InlineData("v=spf1 -exists:%(ir).sbl.example.com ?all", "SPF.InvalidMacro")]
    [InlineData("v=spf1 exists:foo%(ir).sbl.example.com ?all", "SPF.InvalidMacro")]
    [InlineData("v=spf1 exists:foo%.sbl.example.com ?all", "SPF.InvalidMacro")]
    [InlineData("v=spf1 -all exp=%{r}.example.com", "SPF.InvalidMacro")]
    [InlineData("v=spf1 a:%{a}.example.com -all", "SPF.InvalidMacro")]
    [InlineData("v=spf1 exists:%{d0}.example.com", "SPF.InvalidMacro")]
    [InlineData("v=spf1 exists:%{d}%", "SPF.InvalidMacro")]
    [InlineData("v=spf1 -all foo=%abc", "SPF.InvalidMacro")]
    [InlineData("v=spf1 -all foo=%{c}", "SPF.InvalidMacro")]
    [InlineData("v=spf1 exists:%{i}. -all", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 exp= -all", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 exp=-all", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 redirect=-all ?all", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 ?all redirect=", "SPF.InvalidDomainSpec")]
    [InlineData("v=spf1 exp=a.example.com -all exp=b.example.com", "SPF.DuplicateModifier")]
    [InlineData("v=spf1 redirect=a.example.com -all REDIRECT=a.example.com", "SPF.DuplicateModifier")]
    [InlineData("v=spf1 a:ctrl.example.com\rptr -all", "SPF.InvalidCharacter")]
    [InlineData("v=spf1 ip4:192.0.2.5\n include:spf.example.com ~all", "SPF.InvalidCharacter")]
    [InlineData("v=spf1 a:\u00EF\u00BB\u00BFgarbage.example.net -all", "SPF.InvalidCharacter")]
    [InlineData("v=spf1 a:foo.example.com\0", "SPF.InvalidCharacter")]
    public void InvalidRecordsCarryDiagnostics(string text, string id)
    {
        var r = SpfParser.Parse(text);
        Assert.True(r.HasValidVersion);
        Assert.True(r.HasErrors);
        Assert.False(r.IsValid);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.False(string.IsNullOrWhiteSpace(d.Message));
        Assert.NotNull(d.Term);
        Assert.Equal(r.Terms[d.TermIndex].Text, d.Term);
        Assert.InRange(d.Position, r.Terms[d.TermIndex].Position, r.Terms[d.TermIndex].Position + d.Term!.Length);
        if (id != "SPF.DuplicateModifier")
        {
            var invalid = Assert.IsType<SpfInvalidTerm>(r.Terms[d.TermIndex]);
            Assert.Equal(id, invalid.DiagnosticId);
            Assert.Equal(d.Message, invalid.Reason);
        }
    }

    [Fact]
    public void InvalidTermsAreKeptInPlaceWithTheirNeighbours()
    {
        var r = SpfParser.Parse("v=spf1 ip4:192.0.2.1 bogus:thing -all");
        Assert.Equal(3, r.Terms.Count);
        Assert.IsType<SpfMechanism>(r.Terms[0]);
        var bad = Assert.IsType<SpfInvalidTerm>(r.Terms[1]);
        Assert.Equal("bogus:thing", bad.Text);
        Assert.Equal(1, bad.Index);
        Assert.IsType<SpfMechanism>(r.Terms[2]);
        Assert.Equal(2, r.Mechanisms.Count);
    }

    [Fact]
    public void MacroStringValidationDependsOnContext()
    {
        Assert.Null(SpfMacroString.Validate("Connections from %{c} at %{t} via %{r}", SpfMacroContext.Explanation));
        Assert.NotNull(SpfMacroString.Validate("%{c}.example.com", SpfMacroContext.DomainSpec));
        Assert.NotNull(SpfMacroString.Validate("The %{x}-files.", SpfMacroContext.Explanation));
        Assert.NotNull(SpfMacroString.Validate("a b", SpfMacroContext.DomainSpec));
        Assert.Null(SpfMacroString.Validate("%{ir}.%{v}.arpa %{L} %{d2r}", SpfMacroContext.Explanation));
        Assert.NotNull(SpfMacroString.Validate("%{d", SpfMacroContext.Explanation));
        Assert.NotNull(SpfMacroString.Validate("%{d2x}", SpfMacroContext.Explanation));
        Assert.NotNull(SpfMacroString.Validate("\u00EF\u00BB\u00BFExplanation", SpfMacroContext.Explanation));
    }
}
