using CsCheck;
using MailAuth.Dns;
using MailAuth.Zone;
using Xunit;

namespace MailAuth.Tests.Zone;

/// <summary>Property tests: whatever the input, the parser returns a result, and what it returns is consistent.</summary>
public class ZoneFileParserPropertyTests
{
    private const string ZoneAlphabet = "\"();\\ \t\n\r$@.*0123456789abcdefhmswINATXSOMCPRYGE#:-=_/+\u00e9\u0000\uFEFF";

    private static readonly string[] Tokens =
    {
        "$ORIGIN", "$TTL", "$INCLUDE", "$GENERATE", "@", ".", "*", "IN", "CH", "CLASS1", "A", "AAAA", "MX", "TXT", "SPF", "SOA", "NS",
        "CNAME", "PTR", "CAA", "SRV", "TYPE99", "TYPE65000", "\\#", "0", "4", "10", "1h", "1w2d", "300", "4294967296", "192.0.2.1",
        "2001:db8::1", "999.1.1.1", "(", ")", "\"", "\"v=spf1 -all\"", "\"a\\\"b\"", "\"\\999\"", "v=spf1", "-all", "contoso.com.",
        "www", "a..b", "_dmarc", "; comment", "\n", "\n ", "\r\n", "[AGE:1]", "C0000201", "abc", "mail._domainkey",
    };

    /// <summary>Checks what every result must satisfy, whatever the input.</summary>
    private static void AssertConsistent(string text, ZoneFileParseResult r)
    {
        Assert.NotNull(r.Zone);
        var lines = text.Count(c => c == '\n') + 1;
        foreach (var d in r.Diagnostics)
        {
            Assert.InRange(d.Line, 0, lines);
            Assert.False(string.IsNullOrEmpty(d.Message));
        }
        foreach (var rec in r.Zone.Records)
        {
            Assert.True(r.Zone.Contains(rec.Name), $"{rec.Name} outside {r.Zone.Origin}");
            Assert.True(r.Zone.NameExists(rec.Name));
            switch (rec.RecordType)
            {
                case DnsRecordType.A:
                case DnsRecordType.AAAA: Assert.NotNull(rec.Address); break;
                case DnsRecordType.CNAME:
                case DnsRecordType.NS:
                case DnsRecordType.PTR:
                case DnsRecordType.MX: Assert.NotNull(rec.Target); break;
                case DnsRecordType.TXT:
                case DnsRecordType.SPF: Assert.NotEmpty(rec.Strings); break;
                default: Assert.NotNull(rec.Data); break;
            }
            Assert.False(string.IsNullOrEmpty(rec.ToString()));
        }
    }

    [Fact]
    public void RandomStringsNeverThrow()
    {
        Gen.String.Sample(s => AssertConsistent(s, ZoneFileParser.Parse(s)), iter: 2000);
        Gen.String.Sample(s => AssertConsistent(s, ZoneFileParser.Parse(s, "contoso.com", "db.contoso.com")), iter: 1000);
    }

    [Fact]
    public void RandomZoneAlphabetStringsNeverThrow()
    {
        Gen.String[Gen.Char[ZoneAlphabet], 0, 300].Sample(s =>
        {
            AssertConsistent(s, ZoneFileParser.Parse(s));
            AssertConsistent(s, ZoneFileParser.Parse(s, "contoso.com"));
        }, iter: 3000);
    }

    [Fact]
    public void RandomTokenSoupNeverThrows()
    {
        var gen = Gen.Int[0, Tokens.Length - 1].Array[0, 60].Select(ix => string.Join(" ", ix.Select(i => Tokens[i])));
        gen.Sample(s =>
        {
            AssertConsistent(s, ZoneFileParser.Parse(s));
            var withOrigin = "$ORIGIN contoso.com.\n" + s + "\n";
            AssertConsistent(withOrigin, ZoneFileParser.Parse(withOrigin, null, "contoso.com.dns"));
        }, iter: 3000);
    }

    private static readonly Gen<Func<string, string>> Mutation = Gen.OneOf(
        // delete a range
        Gen.Select(Gen.Double[0, 1], Gen.Int[1, 40], (p, n) => (Func<string, string>)(t =>
        {
            if (t.Length == 0) return t;
            var at = (int)(p * (t.Length - 1));
            return t.Remove(at, Math.Min(n, t.Length - at));
        })),
        // insert junk
        Gen.Select(Gen.Double[0, 1], Gen.String[Gen.Char[ZoneAlphabet], 1, 8], (p, junk) => (Func<string, string>)(t => t.Insert((int)(p * t.Length), junk))),
        // insert a meaningful token
        Gen.Select(Gen.Double[0, 1], Gen.Int[0, Tokens.Length - 1], (p, i) => (Func<string, string>)(t => t.Insert((int)(p * t.Length), " " + Tokens[i] + " "))),
        // replace one character
        Gen.Select(Gen.Double[0, 1], Gen.Char[ZoneAlphabet], (p, c) => (Func<string, string>)(t =>
        {
            if (t.Length == 0) return t;
            var at = (int)(p * (t.Length - 1));
            return t.Substring(0, at) + c + t.Substring(at + 1);
        })),
        // duplicate or drop a line
        Gen.Select(Gen.Double[0, 1], Gen.Bool, (p, dup) => (Func<string, string>)(t =>
        {
            var lines = t.Split('\n').ToList();
            var at = (int)(p * (lines.Count - 1));
            if (dup) lines.Insert(at, lines[at]); else lines.RemoveAt(at);
            return string.Join("\n", lines);
        })));

    [Fact]
    public void MutatedValidZonesNeverThrow()
    {
        var gen = Gen.Select(Gen.Int[0, 2], Mutation.Array[1, 6], (which, mutations) =>
        {
            var text = which switch { 0 => ZoneSamples.Bind, 1 => ZoneSamples.Windows, _ => ZoneSamples.WindowsOnDisk };
            foreach (var m in mutations) text = m(text);
            return text;
        });
        gen.Sample(text =>
        {
            AssertConsistent(text, ZoneFileParser.Parse(text));
            AssertConsistent(text, ZoneFileParser.Parse(text, null, "contoso.com.dns"));
            AssertConsistent(text, ZoneFileParser.Parse(text, "contoso.com"));
        }, iter: 3000);
    }

    [Fact]
    public void BinaryFilesNeverThrow()
    {
        var dir = Directory.CreateTempSubdirectory("mailauth-zone-bin-");
        try
        {
            var path = Path.Combine(dir.FullName, "contoso.com.dns");
            Gen.Byte.Array[0, 600].Sample(bytes =>
            {
                File.WriteAllBytes(path, bytes);
                var r = ZoneFileParser.ParseFile(path);
                Assert.NotNull(r.Zone);
                Assert.All(r.Zone.Records, rec => Assert.True(r.Zone.Contains(rec.Name)));
            }, iter: 300, threads: 1);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void QuotedCharacterStringsRoundTrip()
    {
        // Text without lone surrogates, including quotes, backslashes, semicolons, parentheses, control and non-ASCII characters.
        var chars = Gen.Frequency((8, Gen.Char[' ', '~']), (1, Gen.Char["\"\\;()\t\u0001\u007f"]), (1, Gen.Char['\u00a0', '\u07ff']));
        var gen = Gen.String[chars, 0, 80].Array[1, 4];
        gen.Sample(strings =>
        {
            var line = "@ 300 IN TXT " + ZoneText.FormatCharacterStrings(strings) + "\n";
            var r = ZoneFileParser.Parse(line, "contoso.com");
            Assert.False(r.HasErrors, string.Join(" | ", r.Diagnostics));
            var txt = Assert.Single(r.Zone.GetRecords("contoso.com", DnsRecordType.TXT));
            Assert.Equal(strings, txt.Strings);
        }, iter: 2000);
    }

    [Fact]
    public void GeneratedAddressRecordsParse()
    {
        var gen = Gen.Select(Gen.Byte.Array[4], Gen.Byte.Array[16], Gen.Int[0, 86400], (v4, v6, ttl) => (v4, v6, ttl));
        gen.Sample(t =>
        {
            var a4 = new System.Net.IPAddress(t.v4);
            var a6 = new System.Net.IPAddress(t.v6);
            var r = ZoneFileParser.Parse($"host {t.ttl} IN A {a4}\nhost IN {t.ttl} AAAA {a6}\n", "contoso.com");
            Assert.False(r.HasErrors, string.Join(" | ", r.Diagnostics));
            Assert.Equal(a4, Assert.Single(r.Zone.GetRecords("host.contoso.com", DnsRecordType.A)).Address);
            var aaaa = Assert.Single(r.Zone.GetRecords("host.contoso.com", DnsRecordType.AAAA));
            Assert.Equal(a6, aaaa.Address);
            Assert.Equal((uint)t.ttl, aaaa.TimeToLive);
        }, iter: 1000);
    }
}
