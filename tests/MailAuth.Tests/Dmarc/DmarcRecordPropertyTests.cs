using CsCheck;
using MailAuth.Dmarc;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>Property tests: the DMARC parser never throws, keeps positions honest, and parses generated valid records exactly.</summary>
public class DmarcRecordPropertyTests
{
    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);
    private static Gen<string?> Maybe(Gen<string> g) => Gen.Select(Gen.Bool, g, (b, v) => b ? v : null);

    private static readonly Gen<string> Policy = Pick("none", "quarantine", "reject");
    private static readonly Gen<string> Ws = Pick("", " ", "\t", "  ");
    private static readonly Gen<string> Address = Gen.Select(Gen.String[Gen.Char["abcxyz019.-_+"], 1, 8], Pick("example.com", "example.net", "r.example.org"),
        (l, d) => "mailto:" + (System.Text.RegularExpressions.Regex.Replace(l, @"\.+", ".").Trim('.') is { Length: > 0 } x ? x : "a") + "@" + d);

    /// <summary>A valid record: v=DMARC1 first, then a random subset of the other tags in random order.</summary>
    private static readonly Gen<(string Text, Dictionary<string, string> Tags)> Valid =
        Gen.Select(Gen.Select(Policy, Maybe(Policy), Maybe(Policy), Maybe(Pick("y", "n", "u"))), Gen.Select(Maybe(Pick("y", "n")),
            Maybe(Pick("r", "s")), Maybe(Pick("r", "s"))), Address.Array[0, 3], Gen.Select(Ws, Ws, Gen.Bool, Gen.Int),
            (a1, a2, rua, misc) =>
            {
                var (p, sp, np, psd) = a1;
                var (t, adkim, aspf) = a2;
                var tags = new Dictionary<string, string> { ["p"] = p };
                if (sp != null) tags["sp"] = sp;
                if (np != null) tags["np"] = np;
                if (psd != null) tags["psd"] = psd;
                if (t != null) tags["t"] = t;
                if (adkim != null) tags["adkim"] = adkim;
                if (aspf != null) tags["aspf"] = aspf;
                if (rua.Length > 0) tags["rua"] = string.Join("," + misc.Item1, rua);
                var order = tags.Keys.OrderBy(k => (k.GetHashCode() ^ misc.Item4) & 0xff).ToList();
                var text = "v" + misc.Item1 + "=" + misc.Item2 + "DMARC1" + string.Concat(order.Select(k => misc.Item1 + ";" + misc.Item2 + k + misc.Item2 + "=" + misc.Item1 + tags[k]))
                    + (misc.Item3 ? ";" : "");
                return (text, tags);
            });

    [Fact]
    public void GeneratedValidRecordsParseExactly()
    {
        Valid.Sample(v =>
        {
            var r = DmarcRecord.Parse(v.Text);
            Assert.True(r.IsDmarcRecord, v.Text);
            Assert.True(r.Diagnostics.Count == 0, v.Text + " => " + string.Join(" | ", r.Diagnostics));
            Assert.Equal(v.Tags["p"], r.Policy.ToString()!.ToLowerInvariant());
            Assert.Equal(v.Tags.TryGetValue("sp", out var sp) ? sp : null, r.SubdomainPolicy?.ToString().ToLowerInvariant());
            Assert.Equal(v.Tags.TryGetValue("np", out var np) ? np : null, r.NonExistentSubdomainPolicy?.ToString().ToLowerInvariant());
            Assert.Equal(v.Tags.TryGetValue("t", out var t) && t == "y", r.Testing);
            Assert.Equal(v.Tags.TryGetValue("adkim", out var a) && a == "s", r.DkimAlignment == DmarcAlignmentMode.Strict);
            Assert.Equal(v.Tags.TryGetValue("rua", out var rua) ? rua.Split(',').Length : 0, r.AggregateReportUris.Count);
            Assert.Equal(v.Tags.Count + 1, r.Tags.Count);
            Assert.NotNull(r.EffectivePolicy);
            foreach (var tag in r.Tags)
            {
                Assert.Equal(tag.Name, v.Text.Substring(tag.Position, tag.Name.Length));
                Assert.Equal(tag.Value, v.Text.Substring(tag.ValuePosition, tag.Value.Length));
            }
        }, iter: 3000);
    }

    [Fact]
    public void RandomAndMutatedTextNeverThrows()
    {
        var anyChar = Gen.Char[" \t;=,!:@.%vVpPsnrtuyDMARC1adkimfoqe\u00e9\u0000\u00ff"];
        var random = Gen.String[anyChar, 0, 80];
        var mutated = Gen.Select(Valid, Gen.Int[0, 2], Gen.Int[0, 500], anyChar, (v, op, at, ch) =>
        {
            var s = v.Text;
            int i = s.Length == 0 ? 0 : at % (s.Length + 1);
            return op switch
            {
                0 => s.Insert(i, ch.ToString()),
                1 => i < s.Length ? s.Remove(i, 1) : s,
                _ => i < s.Length ? s.Remove(i, 1).Insert(i, ch.ToString()) : s + ch,
            };
        });
        Gen.OneOf(random, mutated, Gen.String).Sample(text =>
        {
            var r = DmarcRecord.Parse(text);
            Assert.Equal(text, r.Text);
            Assert.Equal(r.IsDmarcRecord, DmarcRecord.IsDmarcText(text));
            foreach (var d in r.Diagnostics) Assert.InRange(d.Position, 0, text.Length);
            foreach (var t in r.Tags)
            {
                Assert.Equal(t.Name, text.Substring(t.Position, t.Name.Length));
                Assert.Equal(t.Value, text.Substring(t.ValuePosition, t.Value.Length));
            }
            Assert.Equal(r.Tags.GroupBy(t => t.Name.ToLowerInvariant()).Any(g => g.Count() > 1), r.Diagnostics.Any(d => d.Id == DmarcRecord.DiagnosticIds.DuplicateTag));
            if (!r.IsDmarcRecord) Assert.Null(r.EffectivePolicy);
            if (r.EffectivePolicy is null && r.IsDmarcRecord) Assert.True(r.PolicyIsUnusable && !r.HasUsableAggregateReportUri);
            foreach (var u in r.AggregateReportUris.Concat(r.FailureReportUris)) Assert.Equal(u.IsValid, u.Problem is null);
        }, iter: 8000);
    }
}
