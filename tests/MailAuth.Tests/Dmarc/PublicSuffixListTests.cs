using CsCheck;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>The Public Suffix List: the project's own tests against the bundled list, and the rule kinds on small lists.</summary>
public class PublicSuffixListTests
{
    /// <summary>The cases of the PSL project's tests.txt ("name registrable-or-null" per line; "null" input is null).</summary>
    public static IEnumerable<object?[]> ConformanceCases()
    {
        var root = TestPaths.ConformanceRoot;
        if (root is null) { yield return new object?[] { null, null, "" }; yield break; }
        foreach (var file in new[] { "tests.txt" })
        {
            int line = 0;
            foreach (var raw in File.ReadAllLines(Path.Combine(root, "psl", file)))
            {
                line++;
                var l = raw.Trim();
                if (l.Length == 0 || l.StartsWith("//", StringComparison.Ordinal)) continue;
                var parts = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                yield return new object?[] { parts[0] == "null" ? null : parts[0], parts[1] == "null" ? null : parts[1], $"{file}:{line}" };
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(ConformanceCases))]
    public void ProjectTestsPassWithTheBundledList(string? name, string? expected, string where)
    {
        Skip.If(TestPaths.ConformanceRoot is null, TestPaths.ConformanceMissing);
        Assert.True(where.Length > 0);
        Assert.Equal(expected, PublicSuffixList.Bundled.GetRegistrableDomain(name));
    }

    /// <summary>test_psl.txt says the same in checkPublicSuffix('name', 'expected') form; every call must hold too.</summary>
    [SkippableFact]
    public void CheckPublicSuffixCallsPass()
    {
        var root = TestPaths.ConformanceRoot;
        Skip.If(root is null, TestPaths.ConformanceMissing);
        var call = new System.Text.RegularExpressions.Regex(@"^checkPublicSuffix\((null|'[^']*'),\s*(null|'[^']*')\);");
        int checkedCount = 0;
        foreach (var raw in File.ReadAllLines(Path.Combine(root!, "psl", "test_psl.txt")))
        {
            var m = call.Match(raw.Trim());
            if (!m.Success) continue;
            string? Arg(string s) => s == "null" ? null : s.Substring(1, s.Length - 2);
            var name = Arg(m.Groups[1].Value);
            Assert.True(Arg(m.Groups[2].Value) == PublicSuffixList.Bundled.GetRegistrableDomain(name), $"checkPublicSuffix({name ?? "null"})");
            checkedCount++;
        }
        Assert.True(checkedCount > 50, $"only {checkedCount} calls found");
    }

    [Fact]
    public void BundledListIsLoadedWithBothSectionsAndNoBadLines()
    {
        var psl = PublicSuffixList.Bundled;
        Assert.Equal("bundled", psl.Source);
        Assert.True(psl.RuleCount > 5000, $"{psl.RuleCount} rules");
        Assert.Empty(psl.Diagnostics);
        Assert.True(psl.IsPublicSuffix("blogspot.com"));
        Assert.False(psl.IsPublicSuffix("blogspot.com", includePrivate: false));
        Assert.Equal("example.blogspot.com", psl.GetRegistrableDomain("www.example.blogspot.com"));
        Assert.Equal("blogspot.com", psl.GetRegistrableDomain("www.example.blogspot.com", includePrivate: false));
    }

    private const string Small = """
        // ===BEGIN ICANN DOMAINS===
        com
        uk
        co.uk
        *.ck
        !www.ck
        jp
        *.kobe.jp
        !city.kobe.jp
        公司.cn
        cn
        // ===END ICANN DOMAINS===
        // ===BEGIN PRIVATE DOMAINS===
        blogspot.com  trailing words are ignored
        // ===END PRIVATE DOMAINS===
        """;

    [Theory]
    [InlineData("example.com", "com", "example.com")]
    [InlineData("a.b.example.co.uk", "co.uk", "example.co.uk")]
    [InlineData("co.uk", "co.uk", null)]
    [InlineData("a.b.test.ck", "test.ck", "b.test.ck")]
    [InlineData("test.ck", "test.ck", null)]
    [InlineData("www.ck", "ck", "www.ck")]
    [InlineData("a.www.ck", "ck", "www.ck")]
    [InlineData("x.city.kobe.jp", "kobe.jp", "city.kobe.jp")]
    [InlineData("x.other.kobe.jp", "other.kobe.jp", "x.other.kobe.jp")]
    [InlineData("foo.blogspot.com", "blogspot.com", "foo.blogspot.com")]
    [InlineData("unlisted", "unlisted", null)]
    [InlineData("a.b.unlisted", "unlisted", "b.unlisted")]
    [InlineData("Example.COM.", "com", "example.com")]
    [InlineData("shop.食狮.公司.cn", "公司.cn", "食狮.公司.cn")]
    [InlineData("shop.xn--85x722f.xn--55qx5d.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    public void RuleKinds(string name, string suffix, string? registrable)
    {
        var psl = PublicSuffixList.Parse(Small);
        Assert.Empty(psl.Diagnostics);
        Assert.Equal(suffix, psl.GetPublicSuffix(name));
        Assert.Equal(registrable, psl.GetRegistrableDomain(name));
        Assert.Equal(registrable ?? MailAuth.Dns.DnsName.Normalize(name), psl.GetOrganizationalDomain(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".example.com")]
    [InlineData("a..example.com")]
    [InlineData(null)]
    public void NonNamesHaveNoSuffix(string? name)
    {
        var psl = PublicSuffixList.Parse(Small);
        Assert.Null(psl.GetPublicSuffix(name));
        Assert.Null(psl.GetRegistrableDomain(name));
        Assert.False(psl.IsPublicSuffix(name));
    }

    [Fact]
    public void PrivateRulesCanBeLeftOut()
    {
        var psl = PublicSuffixList.Parse(Small);
        Assert.Equal("blogspot.com", psl.GetRegistrableDomain("foo.blogspot.com", includePrivate: false));
        Assert.Equal("com", psl.GetPublicSuffix("foo.blogspot.com", includePrivate: false));
    }

    [Fact]
    public void BadLinesBecomeDiagnosticsNotExceptions()
    {
        var psl = PublicSuffixList.Parse("com\n!com\n*.*.bad\nfoo..bar\nok.example\n");
        Assert.Equal(2, psl.RuleCount); // com and ok.example
        Assert.Equal(new[] { 2, 3, 4 }, psl.Diagnostics.Select(d => d.Line));
        Assert.Equal("ok.example", psl.GetPublicSuffix("a.b.ok.example"));
    }

    [Fact]
    public void RandomListsAndNamesNeverThrow()
    {
        var chars = Gen.Char["ab.*!/ \n\t\u00e9\u0300\u0000\u00ff\u4e2d=-_"];
        Gen.Select(Gen.String[chars, 0, 80], Gen.String[chars, 0, 30]).Sample(t =>
        {
            var psl = PublicSuffixList.Parse(t.Item1);
            var suffix = psl.GetPublicSuffix(t.Item2);
            var registrable = psl.GetRegistrableDomain(t.Item2);
            var org = psl.GetOrganizationalDomain(t.Item2);
            Assert.NotNull(org);
            if (registrable != null)
            {
                Assert.NotNull(suffix);
                Assert.EndsWith("." + suffix, registrable);
                Assert.False(psl.IsPublicSuffix(t.Item2) && registrable != null);
            }
            _ = PublicSuffixList.Bundled.GetRegistrableDomain(t.Item2);
        }, iter: 3000);
    }

    [Fact]
    public void LoadReadsAFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "mailauth-psl-" + Guid.NewGuid().ToString("N") + ".dat");
        File.WriteAllText(path, "// test list\ncom\nexample.com\n");
        try
        {
            var psl = PublicSuffixList.Load(path);
            Assert.Equal(path, psl.Source);
            Assert.Equal("shop.example.com", psl.GetRegistrableDomain("www.shop.example.com"));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("mail.example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("shop.example.com.au", "example.com.au")]
    [InlineData("www.city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("a.b.c.kawasaki.jp", "b.c.kawasaki.jp")]
    [InlineData("me.example.blogspot.com", "example.blogspot.com")]
    [InlineData("Mail.Example.COM.", "example.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("com", "com")]
    public void DkimAlignmentUsesTheBundledList(string domain, string expected) =>
        Assert.Equal(expected, DkimAlignment.OrganizationalDomain(domain));
}
