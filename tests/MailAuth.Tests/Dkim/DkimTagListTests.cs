using MailAuth.Dkim;
using MailAuth.Findings;
using Xunit;

namespace MailAuth.Tests.Dkim;

public class DkimTagListTests
{
    [Fact]
    public void ParsesTagsWithWhitespaceAroundNamesAndValues()
    {
        var l = DkimTagList.Parse(" v = DKIM1 ;\tk=rsa;  p=AB CD\r\n EF ; ");
        Assert.Empty(l.Diagnostics);
        Assert.Equal(new[] { "v", "k", "p" }, l.Tags.Select(t => t.Name));
        Assert.Equal("DKIM1", l["v"]);
        Assert.Equal("rsa", l["k"]);
        Assert.Equal("AB CD\r\n EF", l["p"]);
        Assert.Equal(1, l.Find("v")!.Position);
        Assert.Equal(5, l.Find("v")!.ValuePosition);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a=1")]
    [InlineData("a=1;")]
    [InlineData("a=;b=")]
    public void AcceptsGrammaticalLists(string text)
    {
        var l = DkimTagList.Parse(text);
        Assert.Empty(l.Diagnostics);
        Assert.False(l.HasErrors);
    }

    [Fact]
    public void EmptyValuesAreKept()
    {
        var l = DkimTagList.Parse("v=DKIM1; p=");
        Assert.True(l.TryGetValue("p", out var p));
        Assert.Equal("", p);
        Assert.False(l.TryGetValue("k", out _));
        Assert.Null(l["k"]);
    }

    [Fact]
    public void DuplicateTagIsAnErrorWithItsPosition()
    {
        var l = DkimTagList.Parse("k=rsa; p=AAAA; k=ed25519");
        var d = Assert.Single(l.Diagnostics);
        Assert.Equal("DKIM.DuplicateTag", d.Id);
        Assert.Equal(FindingSeverity.Error, d.Severity);
        Assert.Equal("k", d.Tag);
        Assert.Equal(15, d.Position);
        Assert.Equal("rsa", l["k"]);
        Assert.Equal(3, l.Tags.Count);
    }

    [Fact]
    public void UnknownTagsAreKeptInOrder()
    {
        var l = DkimTagList.Parse("v=DKIM1; g=*; x_y2=z; p=AAAA");
        Assert.Empty(l.Diagnostics);
        Assert.Equal(new[] { "v", "g", "x_y2", "p" }, l.Tags.Select(t => t.Name));
    }

    [Fact]
    public void NamesAreCaseSensitive()
    {
        var l = DkimTagList.Parse("P=abc; p=def");
        Assert.Empty(l.Diagnostics);
        Assert.Equal("abc", l["P"]);
        Assert.Equal("def", l["p"]);
    }

    [Theory]
    [InlineData("v=DKIM1; garbage; p=AAAA", "DKIM.TagSyntax", 9)]
    [InlineData("v=DKIM1; =x", "DKIM.InvalidTagName", 9)]
    [InlineData("1a=x", "DKIM.InvalidTagName", 0)]
    [InlineData("a b=x", "DKIM.InvalidTagName", 0)]
    [InlineData("a-b=x", "DKIM.InvalidTagName", 0)]
    [InlineData("a=x\u00e9y", "DKIM.InvalidTagValue", 3)]
    [InlineData("a=x\u0001", "DKIM.InvalidTagValue", 3)]
    public void BadSpecsGiveErrorsWithPositions(string text, string id, int position)
    {
        var l = DkimTagList.Parse(text);
        var d = Assert.Single(l.Diagnostics, x => x.IsError);
        Assert.Equal(id, d.Id);
        Assert.Equal(position, d.Position);
        Assert.True(l.HasErrors);
    }

    [Fact]
    public void EmptyTagBetweenSemicolonsIsAWarning()
    {
        var l = DkimTagList.Parse("a=1;; b=2");
        var d = Assert.Single(l.Diagnostics);
        Assert.Equal("DKIM.EmptyTag", d.Id);
        Assert.Equal(FindingSeverity.Warning, d.Severity);
        Assert.Equal(4, d.Position);
        Assert.False(l.HasErrors);
        Assert.Equal(2, l.Tags.Count);
    }

    [Fact]
    public void NullIsTheEmptyList()
    {
        var l = DkimTagList.Parse(null);
        Assert.Equal("", l.Text);
        Assert.Empty(l.Tags);
    }
}
