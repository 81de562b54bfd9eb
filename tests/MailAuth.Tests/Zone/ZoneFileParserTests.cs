using System.Net;
using System.Text;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Zone;
using Xunit;

namespace MailAuth.Tests.Zone;

public class ZoneFileParserTests
{
    private static DnsResourceRecord Single(ZoneFileParseResult r, string name, DnsRecordType type)
    {
        var list = r.Zone.GetRecords(name, type);
        Assert.True(list.Count == 1, $"expected one {type} at {name}, found {list.Count}; diagnostics: {string.Join(" | ", r.Diagnostics)}");
        return list[0];
    }

    private static string Errors(ZoneFileParseResult r) => string.Join(" | ", r.Diagnostics.Where(d => d.Severity == FindingSeverity.Error));

    [Fact]
    public void BindExportIsRead()
    {
        var r = ZoneFileParser.Parse(ZoneSamples.Bind);
        Assert.False(r.HasErrors, Errors(r));
        Assert.Equal("contoso.com", r.Zone.Origin);
        Assert.Equal(12, r.Zone.Records.Count);

        var soa = Assert.IsType<DnsResourceRecord>(r.Zone.Soa);
        Assert.Equal("ns1.contoso.com. hostmaster.contoso.com. 2024010101 7200 3600 1209600 300", soa.Data);
        Assert.Equal(3600u, soa.TimeToLive); // $TTL 1h

        Assert.Equal(new[] { "ns1.contoso.com", "ns2.contoso.com" }, r.Zone.GetRecords("contoso.com", DnsRecordType.NS).Select(x => x.Target));
        var mx = Single(r, "contoso.com", DnsRecordType.MX);
        Assert.Equal((ushort)10, mx.Preference);
        Assert.Equal("mail.contoso.com", mx.Target);

        var spf = Single(r, "contoso.com", DnsRecordType.TXT);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 include:spf.protection.outlook.com -all", spf.Text);

        var a = Single(r, "mail.contoso.com", DnsRecordType.A);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), a.Address);
        Assert.Equal(300u, a.TimeToLive);
        var aaaa = Single(r, "mail.contoso.com", DnsRecordType.AAAA); // blank owner: same as previous
        Assert.Equal(IPAddress.Parse("2001:db8::10"), aaaa.Address);
        Assert.Equal(3600u, aaaa.TimeToLive);

        Assert.Equal("contoso.com", Single(r, "www.contoso.com", DnsRecordType.CNAME).Target);

        var dmarc = Single(r, "_dmarc.contoso.com", DnsRecordType.TXT);
        Assert.Equal(new[] { "v=DMARC1; p=quarantine; ", "rua=mailto:dmarc@contoso.com" }, dmarc.Strings);
        var dkim = Single(r, "mail._domainkey.contoso.com", DnsRecordType.TXT);
        Assert.Equal(2, dkim.Strings.Count);
        Assert.StartsWith("v=DKIM1; k=rsa; p=MIIB", dkim.Text);
    }

    [Fact]
    public void WindowsExportIsReadWithInferredOrigin()
    {
        var r = ZoneFileParser.Parse(ZoneSamples.WindowsOnDisk, sourceName: @"C:\Windows\System32\dns\contoso.com.dns");
        Assert.False(r.HasErrors, Errors(r));
        Assert.Equal("contoso.com", r.Zone.Origin);
        Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Information && d.Message.Contains("file name"));

        var soa = r.Zone.Soa!;
        Assert.Equal("dc1.contoso.com. hostmaster.contoso.com. 42 900 600 86400 3600", soa.Data);
        Assert.Equal(600u, Single(r, "contoso.com", DnsRecordType.A).TimeToLive);
        // No $TTL: records without a TTL take the SOA minimum ("default TTL" in Windows' comment), not the previous TTL.
        Assert.Equal(3600u, Single(r, "dc1.contoso.com", DnsRecordType.A).TimeToLive);
        Assert.Equal(3600u, Single(r, "_dmarc.contoso.com", DnsRecordType.TXT).TimeToLive);

        Assert.Equal("v=spf1 include:spf.protection.outlook.com -all", Single(r, "contoso.com", DnsRecordType.TXT).Text);
        Assert.Equal("v=DMARC1; p=none; rua=mailto:dmarc@contoso.com", Single(r, "_dmarc.contoso.com", DnsRecordType.TXT).Text);
        Assert.Equal("selector1-contoso-com._domainkey.contoso.onmicrosoft.com", Single(r, "selector1._domainkey.contoso.com", DnsRecordType.CNAME).Target);
        Assert.Equal("dc1.contoso.com", Single(r, "_msdcs.contoso.com", DnsRecordType.NS).Target);
        // The line numbers count CR LF lines correctly: the diagnostics of a broken copy point at the right line.
        var broken = ZoneSamples.WindowsOnDisk.Replace("10.0.0.10", "10.0.0.300");
        var diag = Assert.Single(ZoneFileParser.Parse(broken, sourceName: "contoso.com.dns").Diagnostics, d => d.Severity == FindingSeverity.Error);
        var expectedLine = ZoneSamples.WindowsOnDisk.Split('\n').ToList().FindIndex(l => l.Contains("10.0.0.10")) + 1;
        Assert.Equal(expectedLine, diag.Line);
        Assert.Contains("10.0.0.300", diag.Text);
    }

    [Fact]
    public void SoaOwnerGivesTheOriginWhenNothingElseDoes()
    {
        var r = ZoneFileParser.Parse("Contoso.COM. 3600 IN SOA ns1 hostmaster 1 2 3 4 5\nwww 60 A 192.0.2.1\n", sourceName: "zone.txt");
        Assert.False(r.HasErrors, Errors(r));
        Assert.Equal("contoso.com", r.Zone.Origin);
        Assert.Equal("ns1.contoso.com. hostmaster.contoso.com. 1 2 3 4 5", r.Zone.Soa!.Data);
        Assert.Single(r.Zone.GetRecords("www.contoso.com", DnsRecordType.A));
    }

    [Fact]
    public void OriginArgumentWinsOverTheFileName()
    {
        var r = ZoneFileParser.Parse("@ 60 TXT hello\n", origin: "Fabrikam.com.", sourceName: "contoso.com.dns");
        Assert.Equal("fabrikam.com", r.Zone.Origin);
        Assert.Equal("hello", Single(r, "fabrikam.com", DnsRecordType.TXT).Text);
        Assert.DoesNotContain(r.Diagnostics, d => d.Message.Contains("file name"));
    }

    [Theory]
    [InlineData("contoso.com.dns", "contoso.com")]
    [InlineData("/etc/bind/db.contoso.com", "contoso.com")]
    [InlineData("contoso.com.zone", "contoso.com")]
    [InlineData(@"C:\zones\Contoso.Com.db", "contoso.com")]
    [InlineData("2.0.192.in-addr.arpa.dns", "2.0.192.in-addr.arpa")]
    [InlineData("zone.txt", null)]
    [InlineData("db.local", null)]
    [InlineData("contoso.com", null)]
    [InlineData("", null)]
    [InlineData("bad..name.zone", null)]
    public void OriginIsInferredFromCommonFileNames(string file, string? expected)
    {
        Assert.Equal(expected, ZoneFileParser.InferOriginFromFileName(file));
    }

    [Fact]
    public void NoOriginAnywhereIsAnErrorButRecordsAreKept()
    {
        var r = ZoneFileParser.Parse("www 60 A 192.0.2.1\nmail.contoso.com. 60 A 192.0.2.2\n");
        Assert.True(r.HasErrors);
        Assert.Contains(r.Diagnostics, d => d.Message.Contains("origin is unknown"));
        Assert.Contains(r.Diagnostics, d => d.Message.Contains("Cannot tell which zone"));
        Assert.Equal(2, r.Zone.Records.Count);
        var at = ZoneFileParser.Parse("@ 60 A 192.0.2.1\n");
        Assert.Empty(at.Zone.Records);
        Assert.Contains(at.Diagnostics, d => d.Severity == FindingSeverity.Error && d.Line == 1 && d.Message.Contains("'@'"));
    }

    [Theory]
    [InlineData("a 300 IN A 192.0.2.1", 300u)]
    [InlineData("a IN 300 A 192.0.2.1", 300u)]
    [InlineData("a IN A 192.0.2.1", 86400u)]
    [InlineData("a A 192.0.2.1", 86400u)]
    [InlineData("a 1h30m A 192.0.2.1", 5400u)]
    [InlineData("a 1W in a 192.0.2.1", 604800u)]
    [InlineData("a CLASS1 60 A 192.0.2.1", 60u)]
    [InlineData("a 4294967295 A 192.0.2.1", 0u)]
    public void TtlAndClassInEitherOrder(string line, uint ttl)
    {
        var r = ZoneFileParser.Parse("$TTL 1d\n" + line + "\n", "contoso.com");
        var a = Single(r, "a.contoso.com", DnsRecordType.A);
        Assert.Equal(ttl, a.TimeToLive);
    }

    [Fact]
    public void DefaultTtlFallsBackToLastTtlThenAssumes3600()
    {
        var r = ZoneFileParser.Parse("a A 192.0.2.1\nb 120 A 192.0.2.2\nc A 192.0.2.3\n", "contoso.com");
        Assert.Equal(3600u, Single(r, "a.contoso.com", DnsRecordType.A).TimeToLive);
        Assert.Equal(120u, Single(r, "c.contoso.com", DnsRecordType.A).TimeToLive);
        Assert.Single(r.Diagnostics, d => d.Message.Contains("3600 seconds is assumed"));
    }

    [Fact]
    public void QuotedStringsDecodeEscapes()
    {
        var r = ZoneFileParser.Parse("@ TXT \"a\\\"b\\\\c\\065\\100;x\" \"caf\\195\\169\" \"h\\\\i\"\n", "contoso.com");
        Assert.False(r.HasErrors, Errors(r));
        var txt = Single(r, "contoso.com", DnsRecordType.TXT);
        Assert.Equal(new[] { "a\"b\\cAd;x", "café", "h\\i" }, txt.Strings);
    }

    [Fact]
    public void EscapeAbove255IsReported()
    {
        var r = ZoneFileParser.Parse("@ TXT \"\\300\"\n", "contoso.com");
        Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Warning && d.Message.Contains("above 255"));
    }

    [Fact]
    public void MultiStringTxtIsOneRecord()
    {
        var r = ZoneFileParser.Parse("k IN TXT \"one\" \"two\" (\n \"three\" ; comment\n \"\" )\n", "contoso.com");
        var txt = Single(r, "k.contoso.com", DnsRecordType.TXT);
        Assert.Equal(new[] { "one", "two", "three", "" }, txt.Strings);
        Assert.Equal("onetwothree", txt.Text);
    }

    [Fact]
    public void UnquotedTxtWordsAreSeparateStrings()
    {
        var r = ZoneFileParser.Parse("@ TXT v=spf1 -all ; comment\n", "contoso.com");
        Assert.Equal(new[] { "v=spf1", "-all" }, Single(r, "contoso.com", DnsRecordType.TXT).Strings);
    }

    [Fact]
    public void SemicolonInsideQuotesIsNotAComment()
    {
        var r = ZoneFileParser.Parse("_dmarc TXT \"v=DMARC1; p=reject; pct=100\" ; real comment \"x\"\n", "contoso.com");
        Assert.Equal("v=DMARC1; p=reject; pct=100", Single(r, "_dmarc.contoso.com", DnsRecordType.TXT).Text);
    }

    [Fact]
    public void CharacterStringOver255OctetsIsAnError()
    {
        var longText = new string('x', 300);
        var r = ZoneFileParser.Parse($"@ TXT \"ok\" \"{longText}\"\nb TXT \"{new string('y', 255)}\"\n", "contoso.com");
        var d = Assert.Single(r.Diagnostics, x => x.Severity == FindingSeverity.Error);
        Assert.Equal(1, d.Line);
        Assert.Contains("300 octets", d.Message);
        // The record is kept so that the audit can still look at it.
        Assert.Equal("ok" + longText, Single(r, "contoso.com", DnsRecordType.TXT).Text);
        // Octets, not characters: 200 two-octet characters are 400 octets.
        var wide = ZoneFileParser.Parse($"@ TXT \"{new string('é', 200)}\"\n", "contoso.com");
        Assert.Contains(wide.Diagnostics, x => x.Message.Contains("400 octets"));
    }

    [Fact]
    public void NullMxAndOrdinaryMx()
    {
        var r = ZoneFileParser.Parse("@ MX 0 .\nsub MX 20 mx1.fabrikam.com.\n", "contoso.com");
        var nullMx = Single(r, "contoso.com", DnsRecordType.MX);
        Assert.Equal((ushort)0, nullMx.Preference);
        Assert.Equal("", nullMx.Target);
        Assert.Equal("mx1.fabrikam.com", Single(r, "sub.contoso.com", DnsRecordType.MX).Target);
    }

    [Fact]
    public void SpfTypePtrAndCaa()
    {
        var r = ZoneFileParser.Parse("@ SPF \"v=spf1 -all\"\n1 PTR host.contoso.com.\n@ CAA 0 issue \"letsencrypt.org\"\n@ CAA 128 IODEF mailto:sec@contoso.com\n", "contoso.com");
        Assert.False(r.HasErrors, Errors(r));
        Assert.Equal("v=spf1 -all", Single(r, "contoso.com", DnsRecordType.SPF).Text);
        Assert.Equal("host.contoso.com", Single(r, "1.contoso.com", DnsRecordType.PTR).Target);
        Assert.Equal(new[] { "0 issue \"letsencrypt.org\"", "128 iodef \"mailto:sec@contoso.com\"" },
            r.Zone.GetRecords("contoso.com", DnsRecordType.CAA).Select(x => x.Data));
    }

    [Fact]
    public void UnknownTypesAreKeptAsRawData()
    {
        var r = ZoneFileParser.Parse(
            "_sip._tcp SRV 10 5 5060 sip\n" +
            "x TYPE65400 \\# 3 abcdef\n" +
            "y TYPE65401 \\# 0\n" +
            "z WINS L1 C900 T604800 ( 10.0.0.1 )\n", "contoso.com");
        Assert.False(r.HasErrors, Errors(r));
        Assert.Equal("10 5 5060 sip", Single(r, "_sip._tcp.contoso.com", (DnsRecordType)33).Data);
        Assert.Equal("\\# 3 ABCDEF", Single(r, "x.contoso.com", (DnsRecordType)65400).Data);
        Assert.Equal("\\# 0", Single(r, "y.contoso.com", (DnsRecordType)65401).Data);
        Assert.Equal("L1 C900 T604800 10.0.0.1", Single(r, "z.contoso.com", (DnsRecordType)0xFF01).Data);
    }

    [Fact]
    public void Rfc3597GenericDataForKnownTypesIsDecoded()
    {
        var r = ZoneFileParser.Parse(
            "a TYPE1 \\# 4 C0000201\n" +
            "a AAAA \\# 16 20010db8000000000000000000000001\n" +
            "t TYPE16 \\# 8 0568656c6c6f0121\n" +
            "c CNAME \\# 17 03777777 07636f6e746f736f 03636f6d 00\n" +
            "@ MX \\# 8 000a 046d61696c 00\n" +
            "bad TXT \\# 3 05 6869\n", "contoso.com");
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Single(r, "a.contoso.com", DnsRecordType.A).Address);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), Single(r, "a.contoso.com", DnsRecordType.AAAA).Address);
        Assert.Equal(new[] { "hello", "!" }, Single(r, "t.contoso.com", DnsRecordType.TXT).Strings);
        Assert.Equal("www.contoso.com", Single(r, "c.contoso.com", DnsRecordType.CNAME).Target);
        var mx = Single(r, "contoso.com", DnsRecordType.MX);
        Assert.Equal((ushort)10, mx.Preference);
        Assert.Equal("mail", mx.Target);
        var d = Assert.Single(r.Diagnostics, x => x.Severity == FindingSeverity.Error);
        Assert.Equal(6, d.Line);
        Assert.Empty(r.Zone.GetRecords("bad.contoso.com"));
    }

    [Fact]
    public void GenericDataLengthMismatchIsAnError()
    {
        var r = ZoneFileParser.Parse("x TYPE65400 \\# 4 abcdef\ny TYPE65400 \\# 2 zz11\n", "contoso.com");
        Assert.Equal(new[] { 1, 2 }, r.Diagnostics.Where(d => d.Severity == FindingSeverity.Error).Select(d => d.Line));
        Assert.Empty(r.Zone.Records);
    }

    [Fact]
    public void OriginAndRelativeNames()
    {
        var r = ZoneFileParser.Parse(
            "$ORIGIN contoso.com.\n" +
            "www A 192.0.2.1\n" +
            "$ORIGIN sub\n" +          // relative: sub.contoso.com
            "host A 192.0.2.2\n" +
            "@ TXT here\n" +
            "abs.contoso.com. A 192.0.2.3\n" +
            "alias CNAME www.contoso.com.\n" +
            "alias2 CNAME host\n", null);
        Assert.False(r.HasErrors, Errors(r));
        Assert.Equal("contoso.com", r.Zone.Origin);
        Assert.Single(r.Zone.GetRecords("www.contoso.com", DnsRecordType.A));
        Assert.Single(r.Zone.GetRecords("host.sub.contoso.com", DnsRecordType.A));
        Assert.Equal("here", Single(r, "sub.contoso.com", DnsRecordType.TXT).Text);
        Assert.Single(r.Zone.GetRecords("abs.contoso.com", DnsRecordType.A));
        Assert.Equal("www.contoso.com", Single(r, "alias.sub.contoso.com", DnsRecordType.CNAME).Target);
        Assert.Equal("host.sub.contoso.com", Single(r, "alias2.sub.contoso.com", DnsRecordType.CNAME).Target);
    }

    [Fact]
    public void NamesAreCaseInsensitiveAndStoredLowerCase()
    {
        var r = ZoneFileParser.Parse("WWW.Contoso.COM. A 192.0.2.1\nMail CNAME WWW\n", "CONTOSO.com");
        Assert.Single(r.Zone.GetRecords("www.contoso.com", DnsRecordType.A));
        Assert.Single(r.Zone.GetRecords("WWW.CONTOSO.COM.", DnsRecordType.A));
        Assert.Equal("www.contoso.com", Single(r, "mail.contoso.com", DnsRecordType.CNAME).Target);
    }

    [Fact]
    public void BrokenLinesAreReportedAndParsingContinues()
    {
        var text = string.Join("\n",
            "$TTL 300",                              // 1
            "a A 192.0.2.300",                       // 2 bad IPv4
            "b FOO 1",                               // 3 unknown type
            "c MX 10",                               // 4 missing exchange
            "d TXT \"unclosed",                      // 5 unclosed quote
            "e A 192.0.2.5 )",                       // 6 stray ')'
            "f AAAA 192.0.2.1",                      // 7 not IPv6
            "g 12x A 192.0.2.7",                     // 8 bad TTL
            "h ANY 192.0.2.8",                       // 9 query type
            "bad..name A 192.0.2.9",                 // 10 empty label
            "$BOGUS x",                              // 11 unknown directive
            "ok A 192.0.2.10",                       // 12 fine
            "");
        var r = ZoneFileParser.Parse(text, "contoso.com");
        var errorLines = r.Diagnostics.Where(d => d.Severity == FindingSeverity.Error).Select(d => d.Line).ToArray();
        Assert.Equal(Enumerable.Range(2, 10), errorLines);
        Assert.All(r.Diagnostics.Where(d => d.Severity == FindingSeverity.Error), d => Assert.False(string.IsNullOrEmpty(d.Text)));
        Assert.Equal(new[] { "ok.contoso.com" }, r.Zone.Records.Select(x => x.Name));
    }

    [Fact]
    public void UnclosedParenthesisIsReportedAndLaterRecordsSurvive()
    {
        var r = ZoneFileParser.Parse("a TXT ( \"x\"\nb A 192.0.2.2\nc A 192.0.2.3\n", "contoso.com");
        var d = Assert.Single(r.Diagnostics, x => x.Severity == FindingSeverity.Error);
        Assert.Equal(1, d.Line);
        Assert.Contains("never closed", d.Message);
        Assert.Empty(r.Zone.GetRecords("a.contoso.com"));
        Assert.Single(r.Zone.GetRecords("b.contoso.com"));
        Assert.Single(r.Zone.GetRecords("c.contoso.com"));
    }

    [Fact]
    public void BlankOwnerWithoutPreviousRecordIsAnError()
    {
        var r = ZoneFileParser.Parse("   A 192.0.2.1\n", "contoso.com");
        Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Error && d.Line == 1 && d.Message.Contains("previous record"));
        Assert.Empty(r.Zone.Records);
    }

    [Fact]
    public void BlankOwnerAfterDirectiveKeepsThePreviousOwner()
    {
        var r = ZoneFileParser.Parse("mail A 192.0.2.1\n$TTL 60\n  TXT \"hi\"\n", "contoso.com");
        Assert.Equal(60u, Single(r, "mail.contoso.com", DnsRecordType.TXT).TimeToLive);
    }

    [Fact]
    public void OutOfZoneRecordsAreDroppedWithAWarning()
    {
        var r = ZoneFileParser.Parse("www A 192.0.2.1\nwww.fabrikam.com. A 192.0.2.2\n", "contoso.com");
        Assert.Single(r.Zone.Records);
        Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Warning && d.Line == 2 && d.Message.Contains("outside the zone"));
    }

    [Fact]
    public void OtherClassesAreIgnored()
    {
        var r = ZoneFileParser.Parse("version CH TXT \"9.18\"\nwww IN A 192.0.2.1\n", "contoso.com");
        Assert.Single(r.Zone.Records);
        Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Warning && d.Message.Contains("Class CH"));
    }

    [Fact]
    public void IncludeWithoutFileIsAWarning()
    {
        var r = ZoneFileParser.Parse("$INCLUDE keys.inc\nwww A 192.0.2.1\n", "contoso.com");
        Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Warning && d.Line == 1 && d.Message.Contains("keys.inc"));
        Assert.Single(r.Zone.Records);
    }

    [Fact]
    public void IncludeIsFollowedRelativeToTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("mailauth-zone-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "inc"));
            File.WriteAllText(Path.Combine(dir.FullName, "contoso.com.zone"),
                "$TTL 60\n@ SOA ns1 hostmaster 1 2 3 4 5\n$INCLUDE inc/dkim.inc _domainkey\n$INCLUDE inc/self.inc\n$INCLUDE missing.inc\nafter TXT \"after\"\n");
            File.WriteAllText(Path.Combine(dir.FullName, "inc", "dkim.inc"), "$ORIGIN elsewhere.contoso.com.\nsel1 TXT \"v=DKIM1; p=abc\"\n");
            File.WriteAllText(Path.Combine(dir.FullName, "inc", "self.inc"), "loop TXT \"once\"\n$INCLUDE self.inc\n");
            var r = ZoneFileParser.ParseFile(Path.Combine(dir.FullName, "contoso.com.zone"));
            Assert.Equal("contoso.com", r.Zone.Origin);
            // The include's $ORIGIN applies inside it only.
            Assert.Single(r.Zone.GetRecords("sel1.elsewhere.contoso.com", DnsRecordType.TXT));
            Assert.Single(r.Zone.GetRecords("after.contoso.com", DnsRecordType.TXT));
            Assert.Single(r.Zone.GetRecords("loop.contoso.com", DnsRecordType.TXT));
            Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Error && d.Message.Contains("loop") && d.SourceName!.EndsWith("self.inc"));
            Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Error && d.Line == 5 && d.Message.Contains("missing.inc"));

            // The include's own origin argument.
            File.WriteAllText(Path.Combine(dir.FullName, "inc", "dkim.inc"), "sel1 TXT \"v=DKIM1; p=abc\"\n");
            var r2 = ZoneFileParser.ParseFile(Path.Combine(dir.FullName, "contoso.com.zone"));
            Assert.Single(r2.Zone.GetRecords("sel1._domainkey.contoso.com", DnsRecordType.TXT));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void ParseFileReportsAMissingFileInsteadOfThrowing()
    {
        var r = ZoneFileParser.ParseFile(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "contoso.com.dns"));
        Assert.True(r.HasErrors);
        Assert.Empty(r.Zone.Records);
        Assert.Equal("contoso.com", r.Zone.Origin);
        var bad = ZoneFileParser.ParseFile("\0bad");
        Assert.True(bad.HasErrors);
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-8")]
    public void ParseFileReadsCommonEncodings(string encoding)
    {
        var path = Path.Combine(Path.GetTempPath(), "mailauth-" + Guid.NewGuid() + "-contoso.com.dns");
        try
        {
            var text = ZoneSamples.Windows.Replace("\r\n", "\n").Replace("\n", "\r\n") + "caf\u00e9 TXT \"na\u00efve\"\r\n";
            Encoding enc = encoding switch
            {
                "utf-8-bom" => new UTF8Encoding(true),
                "utf-16le" => new UnicodeEncoding(false, true),
                "utf-16be" => new UnicodeEncoding(true, true),
                _ => new UTF8Encoding(false),
            };
            File.WriteAllBytes(path, enc.GetPreamble().Concat(enc.GetBytes(text)).ToArray());
            var r = ZoneFileParser.ParseFile(path, "contoso.com");
            Assert.False(r.HasErrors, Errors(r));
            Assert.Equal(9, r.Zone.Records.Count);
            Assert.Equal("na\u00efve", Single(r, "caf\u00e9.contoso.com", DnsRecordType.TXT).Text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CnameWithOtherDataIsReported()
    {
        var r = ZoneFileParser.Parse("www CNAME a\nwww TXT x\nw2 CNAME a\nw2 CNAME b\n", "contoso.com");
        var errors = r.Diagnostics.Where(d => d.Severity == FindingSeverity.Error).ToList();
        Assert.Contains(errors, d => d.Line == 2 && d.Message.Contains("RFC 1034"));
        Assert.Contains(errors, d => d.Line == 4 && d.Message.Contains("only one"));
    }

    [Fact]
    public void DuplicateRecordsAreServedOnce()
    {
        var r = ZoneFileParser.Parse("@ 60 TXT \"v=spf1 -all\"\n@ 300 TXT \"v=spf1 -all\"\n@ TXT \"v=spf1\" \" -all\"\n", "contoso.com");
        Assert.Equal(2, r.Zone.GetRecords("contoso.com", DnsRecordType.TXT).Count);
        Assert.Single(r.Diagnostics, d => d.Line == 2 && d.Severity == FindingSeverity.Information);
    }

    [Fact]
    public void SecondSoaIsIgnored()
    {
        var r = ZoneFileParser.Parse("@ SOA a b 1 2 3 4 5\n@ SOA c d 1 2 3 4 5\n", "contoso.com");
        Assert.Single(r.Zone.GetRecords("contoso.com", DnsRecordType.SOA));
        Assert.Contains(r.Diagnostics, d => d.Line == 2 && d.Severity == FindingSeverity.Warning);
    }

    [Fact]
    public void WindowsAgingStampsAreSkipped()
    {
        var r = ZoneFileParser.Parse("pc1 [AGE:3619311] 1200 A 10.0.0.20\n", "contoso.com");
        Assert.Equal(1200u, Single(r, "pc1.contoso.com", DnsRecordType.A).TimeToLive);
    }

    [Fact]
    public void OwnerThatLooksLikeAClassIsHinted()
    {
        var r = ZoneFileParser.Parse("IN TXT \"x\"\n", "contoso.com");
        Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Warning && d.Message.Contains("white space"));
    }

    [Fact]
    public void ZoneLookupsAndEmptyNonTerminals()
    {
        var r = ZoneFileParser.Parse(ZoneSamples.Bind);
        var z = r.Zone;
        Assert.True(z.HasRecords("mail._domainkey.contoso.com"));
        Assert.False(z.HasRecords("_domainkey.contoso.com"));
        Assert.True(z.NameExists("_domainkey.contoso.com"));
        Assert.True(z.NameExists("contoso.com"));
        Assert.False(z.NameExists("nothing.contoso.com"));
        Assert.True(z.Contains("a.b.contoso.com"));
        Assert.False(z.Contains("contoso.org"));
        Assert.Equal(4, z.GetRecords("contoso.com").Count(x => x.RecordType != DnsRecordType.SOA));
        Assert.Empty(z.GetRecords("contoso.com", DnsRecordType.AAAA));
        Assert.Null(z.FindDelegation("www.contoso.com"));
        var w = ZoneFileParser.Parse(ZoneSamples.Windows, sourceName: "contoso.com.dns").Zone;
        Assert.Equal("_msdcs.contoso.com", w.FindDelegation("dc._msdcs.contoso.com"));
    }

    [Fact]
    public void EmptyAndCommentOnlyTextsGiveAnEmptyZone()
    {
        foreach (var text in new[] { "", "\uFEFF", "; nothing\n\n   \n", "\r\n\r\n" })
        {
            var r = ZoneFileParser.Parse(text, "contoso.com");
            Assert.Empty(r.Zone.Records);
            Assert.False(r.HasErrors);
        }
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "contoso.com.zone")]
    [InlineData("contoso.com", null)]
    [InlineData(null, "export.txt")]
    public void CloudflareExportIsRead(string? origin, string? file)
    {
        var r = ZoneFileParser.Parse(ZoneSamples.Cloudflare, origin, file);
        Assert.False(r.HasErrors, Errors(r));
        Assert.DoesNotContain(r.Diagnostics, d => d.Severity == FindingSeverity.Warning);
        Assert.Equal("contoso.com", r.Zone.Origin);
        Assert.Equal("contoso.com", r.Zone.Soa!.Name);
        Assert.Contains(r.Diagnostics, d => d.Severity == FindingSeverity.Information && d.Line == 7 && d.Message.Contains("trailing dot"));
        Assert.Equal(8, r.Zone.Records.Count);
        Assert.Equal(1u, Single(r, "www.contoso.com", DnsRecordType.A).TimeToLive);
        Assert.Equal("contoso-com.mail.protection.outlook.com", Single(r, "contoso.com", DnsRecordType.MX).Target);
    }

    [Fact]
    public void NameRepeatingTheOriginWithoutDotIsWarned()
    {
        var r = ZoneFileParser.Parse("$ORIGIN contoso.com.\nmail._domainkey.contoso.com TXT \"v=DKIM1; p=x\"\nwww CNAME web.contoso.com\n", null);
        // RFC 1035 meaning is kept: the names really are doubled, which is what a server would publish.
        Assert.Single(r.Zone.GetRecords("mail._domainkey.contoso.com.contoso.com", DnsRecordType.TXT));
        Assert.Equal("web.contoso.com.contoso.com", Single(r, "www.contoso.com", DnsRecordType.CNAME).Target);
        var warnings = r.Diagnostics.Where(d => d.Severity == FindingSeverity.Warning).ToList();
        Assert.Equal(new[] { 2, 3 }, warnings.Select(d => d.Line));
        Assert.Contains("mail._domainkey.contoso.com.contoso.com.", warnings[0].Message);
    }

    [Fact]
    public void RelativeSoaOwnerUnderAnExplicitOriginStaysRelative()
    {
        var r = ZoneFileParser.Parse("$ORIGIN com.\ncontoso 60 IN SOA ns h 1 2 3 4 5\nwww.contoso 60 A 192.0.2.1\n");
        Assert.Equal("contoso.com", r.Zone.Origin);
        Assert.Single(r.Zone.GetRecords("www.contoso.com", DnsRecordType.A));
        Assert.DoesNotContain(r.Diagnostics, d => d.Message.Contains("trailing dot"));
    }
}
