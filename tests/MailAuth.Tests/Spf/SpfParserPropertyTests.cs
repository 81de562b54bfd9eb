using System.Globalization;
using CsCheck;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

/// <summary>Property tests: the parser never throws, and generated valid records parse cleanly and round-trip.</summary>
public class SpfParserPropertyTests
{
    private static readonly Gen<string> Label =
        Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyz"], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_"], 0, 8],
            Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], (a, mid, z) => a + mid + z);

    private static readonly Gen<string> TopLabel =
        Gen.OneOf(Gen.Const("com"), Gen.Const("org"), Gen.Const("example"), Gen.Const("xn--zckzah"),
            Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz"], 2, 6]);

    private static readonly Gen<string> Macro =
        Gen.Select(Gen.Char["slodiphvSLODIPHV"], Gen.Int[0, 12], Gen.Bool, Gen.String[Gen.Char[".-+,/_="], 0, 3],
            (letter, digits, reverse, delims) => "%{" + letter + (digits == 0 ? "" : digits.ToString(CultureInfo.InvariantCulture)) + (reverse ? "r" : "") + delims + "}");

    private static readonly Gen<string> Piece = Gen.Frequency((4, Label), (1, Macro), (1, Gen.OneOf(Gen.Const("%%"), Gen.Const("%_"), Gen.Const("%-"))));

    private static readonly Gen<string> DomainSpec =
        Gen.OneOf(
            Gen.Select(Piece.Array[1, 3], TopLabel, Gen.Bool, (pieces, top, dot) => string.Concat(pieces.Select(p => p + ".")) + top + (dot ? "." : "")),
            Gen.Select(Piece.Array[0, 3], Macro, (pieces, m) => string.Concat(pieces.Select(p => p + ".")) + m));

    private static readonly Gen<string> Qualifier = Gen.OneOf(Gen.Const(""), Gen.Const("+"), Gen.Const("-"), Gen.Const("~"), Gen.Const("?"));

    private static readonly Gen<string> Ip4 =
        Gen.Select(Gen.Int[0, 255].Array[4], Gen.Int[-1, 32], (b, p) => string.Join(".", b) + (p < 0 ? "" : "/" + p));

    private static readonly Gen<string> Ip6 =
        Gen.Select(Gen.UShort.Array[8], Gen.Int[-1, 128], Gen.Bool, (g, p, compress) =>
        {
            var addr = new System.Net.IPAddress(g.SelectMany(x => new[] { (byte)(x >> 8), (byte)x }).ToArray());
            var text = compress ? addr.ToString() : string.Join(":", g.Select(x => x.ToString("x", CultureInfo.InvariantCulture)));
            return text + (p < 0 ? "" : "/" + p);
        });

    private static readonly Gen<string> DualCidr =
        Gen.Select(Gen.Int[-1, 32], Gen.Int[-1, 128], (c4, c6) => (c4 < 0 ? "" : "/" + c4) + (c6 < 0 ? "" : "//" + c6));

    private static readonly Gen<string> OptionalDomain = Gen.Frequency((1, Gen.Const("")), (2, DomainSpec.Select(d => ":" + d)));

    private static readonly Gen<string> Mechanism =
        Gen.OneOf(
            Gen.Const("all"),
            DomainSpec.Select(d => "include:" + d),
            Gen.Select(Gen.OneOf(Gen.Const("a"), Gen.Const("mx"), Gen.Const("A"), Gen.Const("MX")), OptionalDomain, DualCidr, (n, d, c) => n + d + c),
            OptionalDomain.Select(d => "ptr" + d),
            Ip4.Select(i => "ip4:" + i),
            Ip6.Select(i => "ip6:" + i),
            DomainSpec.Select(d => "exists:" + d));

    private static readonly Gen<string> Directive = Gen.Select(Qualifier, Mechanism, (q, m) => q + m);

    private static readonly Gen<string> ModifierName =
        Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyzABC"], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."], 0, 8], (a, rest) => a + rest)
            .Where(n => !n.Equals("redirect", StringComparison.OrdinalIgnoreCase) && !n.Equals("exp", StringComparison.OrdinalIgnoreCase));

    private static readonly Gen<string> UnknownModifier =
        Gen.Select(ModifierName, Gen.Frequency((3, Piece), (1, Gen.Const("")), (1, Gen.Const("%{s}%{h}%{v}"))), (n, v) => n + "=" + v);

    /// <summary>A valid record: version, directives and unknown modifiers, at most one redirect= and one exp=.</summary>
    private static readonly Gen<(string Record, string[] Terms)> ValidRecord =
        Gen.Select(Gen.Frequency((4, Directive), (1, UnknownModifier)).Array[0, 12], Gen.Int[-1, 12], DomainSpec, Gen.Int[-1, 12], DomainSpec,
            Gen.Int[1, 3], Gen.Bool, (terms, ri, rd, ei, ed, spaces, trailing) =>
            {
                var list = terms.ToList();
                if (ri >= 0) list.Insert(Math.Min(ri, list.Count), "redirect=" + rd);
                if (ei >= 0) list.Insert(Math.Min(ei, list.Count), "exp=" + ed);
                var sep = new string(' ', spaces);
                var record = "v=spf1" + (list.Count > 0 ? sep + string.Join(sep, list) : "") + (trailing ? " " : "");
                return (record, list.ToArray());
            });

    [Fact]
    public void GeneratedValidRecordsParseWithoutDiagnosticsAndRoundTrip()
    {
        ValidRecord.Sample(v =>
        {
            var r = SpfParser.Parse(v.Record);
            Assert.True(r.IsValid, v.Record + " => " + string.Join("; ", r.Diagnostics));
            Assert.Empty(r.Diagnostics);
            Assert.Equal(v.Terms, r.Terms.Select(t => t.Text));
            foreach (var t in r.Terms) Assert.Equal(t.Text, v.Record.Substring(t.Position, t.Text.Length));
            // Re-serialising the terms gives a record that parses to the same model.
            var again = SpfParser.Parse("v=spf1 " + string.Join(" ", r.Terms.Select(t => t.Text)));
            Assert.Equal(r.Terms.Select(t => (t.GetType(), t.Text)), again.Terms.Select(t => (t.GetType(), t.Text)));
        }, iter: 3000);
    }

    [Fact]
    public void EvaluatorNeverThrowsOnGeneratedAndMutatedRecords()
    {
        var gen = Gen.Select(ValidRecord, Gen.Int[0, 200], Gen.Char[" %{}:/=.-+~?_\u00EFa1"], Gen.Bool, (v, at, ch, mutate) =>
        {
            var s = v.Record;
            return mutate ? s.Insert(at % (s.Length + 1), ch.ToString()) : s;
        });
        gen.Sample(record =>
        {
            var resolver = new OneRecordResolver(record);
            foreach (var ip in new[] { "192.0.2.10", "2001:db8::10", "::ffff:192.0.2.10" })
            {
                var r = new SpfEvaluator(resolver).CheckHostAsync(System.Net.IPAddress.Parse(ip), "example.com", "user@example.com", "helo.example.com")
                    .GetAwaiter().GetResult();
                Assert.True(Enum.IsDefined(r.Result));
                Assert.Equal(r.Result is SpfResult.PermError or SpfResult.TempError, r.ErrorMessage != null);
                if (r.Result != SpfResult.PermError) Assert.InRange(r.LookupCount, 0, 10);
                Assert.NotEmpty(r.Trace);
            }
        }, iter: 500);
    }

    /// <summary>Serves the record at example.com; names ending in "a" have an A and MX record, all else is NXDOMAIN.</summary>
    private sealed class OneRecordResolver : MailAuth.Dns.IDnsResolver
    {
        private readonly string _record;
        public OneRecordResolver(string record) => _record = record;

        public Task<MailAuth.Dns.DnsLookupResult> QueryAsync(string name, MailAuth.Dns.DnsRecordType type, CancellationToken cancellationToken = default)
        {
            var n = MailAuth.Dns.DnsName.Normalize(name);
            var records = new List<MailAuth.Dns.DnsResourceRecord>();
            if (n == "example.com" && type == MailAuth.Dns.DnsRecordType.TXT)
                records.Add(MailAuth.Dns.DnsResourceRecord.CreateText(n, type, new[] { _record }, 60));
            else if (n.EndsWith("a", StringComparison.Ordinal) && type == MailAuth.Dns.DnsRecordType.A)
                records.Add(MailAuth.Dns.DnsResourceRecord.CreateAddress(n, System.Net.IPAddress.Parse("192.0.2.10"), 60));
            else if (n.EndsWith("a", StringComparison.Ordinal) && type == MailAuth.Dns.DnsRecordType.MX)
                records.Add(MailAuth.Dns.DnsResourceRecord.CreateMx(n, 10, n, 60));
            var status = records.Count > 0 ? MailAuth.Dns.DnsLookupStatus.Success
                : n == "example.com" || n.EndsWith("a", StringComparison.Ordinal) ? MailAuth.Dns.DnsLookupStatus.NoData : MailAuth.Dns.DnsLookupStatus.NxDomain;
            return Task.FromResult(new MailAuth.Dns.DnsLookupResult(n, type, status, records));
        }
    }

    [Fact]
    public void RandomStringsNeverThrow()
    {
        var anyChar = Gen.Char[" \t\r\n\0%{}:/=.-+~?_,abcdefghijklmnopqrstuvwxyzAV0123456789\u00EF\u0096\u00FF"];
        Gen.String[anyChar, 0, 80].Sample(s =>
        {
            foreach (var text in new[] { s, "v=spf1 " + s, "v=spf1" + s })
            {
                var r = SpfParser.Parse(text);
                Assert.Equal(text, r.Raw);
                Assert.Equal(r.HasValidVersion, SpfParser.IsSpfRecord(text));
                Assert.Equal(r.HasErrors, r.Diagnostics.Any(d => d.IsError));
                Assert.Equal(!r.HasValidVersion || r.InvalidTerms.Count > 0 || r.Diagnostics.Any(d => d.Id == "SPF.DuplicateModifier"), !r.IsValid);
                foreach (var t in r.Terms) Assert.Equal(t.Text, text.Substring(t.Position, t.Text.Length));
            }
        }, iter: 3000);
        Gen.String.Sample(s => { SpfParser.Parse(s); SpfParser.Parse("v=spf1 " + s); }, iter: 2000);
    }

    [Fact]
    public void MutatedValidRecordsNeverThrow()
    {
        var mutation = Gen.Select(ValidRecord, Gen.Int[0, 2], Gen.Int[0, 1000], Gen.Char[" %{}:/=.-+~?_\r\n\0\u00EFa1"], (v, op, at, ch) =>
        {
            var s = v.Record;
            int i = s.Length == 0 ? 0 : at % (s.Length + 1);
            return op switch
            {
                0 => s.Insert(i, ch.ToString()),
                1 => i < s.Length ? s.Remove(i, 1) : s,
                _ => i < s.Length ? s.Remove(i, 1).Insert(i, ch.ToString()) : s + ch,
            };
        });
        mutation.Sample(text =>
        {
            var r = SpfParser.Parse(text);
            Assert.Equal(text, r.Raw);
            var expectedTerms = r.HasValidVersion ? text.Substring(6).Split(' ', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
            Assert.Equal(expectedTerms, r.Terms.Select(t => t.Text));
            foreach (var t in r.InvalidTerms) Assert.Contains(r.Diagnostics, d => d.TermIndex == t.Index && d.Id == t.DiagnosticId);
        }, iter: 5000);
    }
}
