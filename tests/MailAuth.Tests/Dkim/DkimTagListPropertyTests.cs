using CsCheck;
using MailAuth.Dkim;
using Xunit;

namespace MailAuth.Tests.Dkim;

/// <summary>Property tests: the tag-list and key-record parsers never throw, and generated valid lists parse back exactly.</summary>
public class DkimTagListPropertyTests
{
    private static readonly Gen<string> Name =
        Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyzABCXYZ"], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789_"], 0, 5], (a, r) => a + r);

    private static readonly Gen<string> Tval = Gen.String[Gen.Char["abcXYZ0123456789!\"#$%&'()*+,-./:<=>?@[\\]^_`{|}~"], 1, 12];

    private static readonly Gen<string> Ws = Gen.OneOf(Gen.Const(""), Gen.Const(" "), Gen.Const("\t"), Gen.Const("\r\n "), Gen.Const("  "));

    private static readonly Gen<string> Value =
        Gen.Frequency((1, Gen.Const("")), (4, Gen.Select(Tval.Array[1, 3], Gen.OneOf(Gen.Const(" "), Gen.Const("\r\n\t")), (parts, sep) => string.Join(sep, parts))));

    /// <summary>A grammatical tag list with distinct names, and the expected (name, value) pairs.</summary>
    private static readonly Gen<(string Text, (string Name, string Value)[] Tags)> ValidList =
        Gen.Select(Gen.Select(Name, Value).Array[0, 8], Ws, Ws, Ws, Ws, Gen.Bool, (pairs, w1, w2, w3, w4, trailing) =>
        {
            var distinct = pairs.GroupBy(p => p.Item1).Select(g => g.First()).ToArray();
            var text = string.Join(";", distinct.Select(p => w1 + p.Item1 + w2 + "=" + w3 + p.Item2 + w4)) + (trailing && distinct.Length > 0 ? ";" + w1 : "");
            return (text, distinct.Select(p => (p.Item1, p.Item2)).ToArray());
        });

    [Fact]
    public void GeneratedValidListsParseExactly()
    {
        ValidList.Sample(v =>
        {
            var l = DkimTagList.Parse(v.Text);
            Assert.Empty(l.Diagnostics);
            Assert.Equal(v.Tags, l.Tags.Select(t => (t.Name, t.Value)));
            foreach (var t in l.Tags)
            {
                Assert.Equal(t.Name, v.Text.Substring(t.Position, t.Name.Length));
                Assert.Equal(t.Value, v.Text.Substring(t.ValuePosition, t.Value.Length));
            }
        }, iter: 3000);
    }

    [Fact]
    public void RandomAndMutatedTextNeverThrows()
    {
        var anyChar = Gen.Char[" \t\r\n\0;=;=;=vkphst\"\\abcAB019+/_\u00e9\u0096\u00ff"];
        var random = Gen.String[anyChar, 0, 60];
        var mutated = Gen.Select(ValidList, Gen.Int[0, 2], Gen.Int[0, 500], anyChar, (v, op, at, ch) =>
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
            var l = DkimTagList.Parse(text);
            Assert.Equal(text, l.Text);
            Assert.Equal(l.HasErrors, l.Diagnostics.Any(d => d.IsError));
            foreach (var d in l.Diagnostics) Assert.InRange(d.Position, 0, text.Length);
            foreach (var t in l.Tags)
            {
                Assert.Equal(t.Name, text.Substring(t.Position, t.Name.Length));
                Assert.Equal(t.Value, text.Substring(t.ValuePosition, t.Value.Length));
            }
            // A duplicate name always comes with a DuplicateTag error.
            var dup = l.Tags.GroupBy(t => t.Name).Any(g => g.Count() > 1);
            Assert.Equal(dup, l.Diagnostics.Any(d => d.Id == "DKIM.DuplicateTag"));

            var k = DkimKeyRecord.Parse(text);
            Assert.Equal(text, k.Text);
            Assert.True(k.IsUsable || k.KeyBits is null || k.HasErrors || k.Revoked || k.KeyParameter != null);
            var k2 = DkimKeyRecord.Parse("v=DKIM1; k=rsa; p=" + text);
            Assert.Equal(k2.Revoked, k2.PublicKey == "");
        }, iter: 6000);
    }

    [Fact]
    public void MutatedRealKeysNeverThrow()
    {
        const string Key = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";
        var gen = Gen.Select(Gen.Int[0, Key.Length], Gen.Int[0, Key.Length], Gen.Char["AZaz09+/=\" "], Gen.OneOf(Gen.Const("rsa"), Gen.Const("ed25519")),
            (cut, at, ch, k) => (k, Key.Substring(0, cut).Insert(Math.Min(at, cut), ch.ToString())));
        gen.Sample(v =>
        {
            var r = DkimKeyRecord.Parse($"v=DKIM1; k={v.Item1}; p={v.Item2}");
            Assert.Equal(r.IsUsable, r.KeyParameter != null && !r.HasErrors);
            if (r.IsUsable) Assert.NotNull(r.KeyBits);
        }, iter: 3000);
    }
}
