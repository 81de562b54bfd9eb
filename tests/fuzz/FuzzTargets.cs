using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using MailAuth.Bounces;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Reports;
using MailAuth.Spf;
using MailAuth.Zone;

namespace MailAuth.Fuzz
{
    /// <summary>
    /// The fuzz targets: one per parser that reads outside data. Each takes raw bytes and drives the parser; the
    /// property is that it returns (a model with diagnostics) for any input. An exception escaping a target is a
    /// finding. This file is compiled into the AFL++/SharpFuzz driver (tests/fuzz/MailAuth.Fuzz) and into the xunit
    /// project, which replays the seed corpora and saved regressions in the normal test run.
    /// </summary>
    public static class FuzzTargets
    {
        /// <summary>Largest input a target reads; longer inputs are cut (the parsers cap their own input too).</summary>
        public const int MaxInput = 256 * 1024;

        public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.OrdinalIgnoreCase)
        {
            ["spf"] = Spf,
            ["dkim"] = Dkim,
            ["dkimsig"] = DkimSignature,
            ["dmarc"] = Dmarc,
            ["zone"] = Zone,
            ["report"] = Report,
            ["bounce"] = Bounce,
        };

        /// <summary>Bytes as text the way DNS TXT data reaches the parsers: UTF-8, invalid sequences replaced.</summary>
        public static string Text(byte[] data) => Encoding.UTF8.GetString(data, 0, Math.Min(data.Length, MaxInput));

        /// <summary>SPF (RFC 7208): parse, build the text back, and run check_host() over the record with macro expansion.</summary>
        public static void Spf(byte[] data)
        {
            var text = Text(data);
            var record = SpfParser.Parse(text);
            _ = record.Diagnostics.Count;
            _ = record.ToString();
            if (!SpfParser.IsSpfRecord(text)) text = "v=spf1 " + text;
            var records = new List<DnsResourceRecord>(Fixture.SpfFixture) { DnsResourceRecord.CreateText("fuzz.example", DnsRecordType.TXT, new[] { text }, 300) };
            var dns = new ZoneFileResolver(new[] { new DnsZone("fuzz.example", records, "fuzz"), Fixture.SpfReverseZone });
            var evaluator = new SpfEvaluator(dns);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var result = evaluator.CheckHostAsync(IPAddress.Parse("192.0.2.1"), "fuzz.example", "user@fuzz.example", "helo.fuzz.example", cts.Token)
                .GetAwaiter().GetResult();
            _ = result.Result;
            var v6 = evaluator.CheckHostAsync(IPAddress.Parse("2001:db8::1"), "fuzz.example", "user@fuzz.example", null, cts.Token).GetAwaiter().GetResult();
            _ = v6.Result;
        }

        /// <summary>DKIM key record (RFC 6376 §3.6.1): the tag list, the key record with its decoded key, and the analyser's findings.</summary>
        public static void Dkim(byte[] data)
        {
            var text = Text(data);
            var tags = DkimTagList.Parse(text);
            _ = tags.Tags.Count;
            var key = DkimKeyRecord.Parse(text);
            _ = key.KeyBits;
            _ = key.Diagnostics.Count;
            var report = DkimAnalyzer.AnalyzeRecord("fuzz.example", "sel", text);
            _ = report.Findings.Count;
        }

        /// <summary>The key records the DKIM-Signature target verifies against.</summary>
        public static IDnsResolver DkimKeyResolver => Fixture.DkimKeyResolver;

        /// <summary>Verification at a fixed time, so a seed's verdict does not change with the clock.</summary>
        public static DkimVerificationOptions DkimOptions => Fixture.DkimOptions;

        /// <summary>
        /// The fixed DNS data of the targets. A nested class so that it is built on the first input, inside the AFL
        /// fork server: instrumented core code that runs before SharpFuzz maps AFL's shared memory crashes the driver.
        /// </summary>
        private static class Fixture
        {
            /// <summary>
            /// What the fuzzed SPF record at fuzz.example can reach: addresses, MX, an include target, a CNAME, an
            /// explanation with macros and a PTR for the client 192.0.2.1, so check_host() gets past its first lookup.
            /// </summary>
            internal static readonly DnsResourceRecord[] SpfFixture =
            {
                DnsResourceRecord.CreateAddress("fuzz.example", IPAddress.Parse("192.0.2.1"), 300),
                DnsResourceRecord.CreateAddress("fuzz.example", IPAddress.Parse("2001:db8::1"), 300),
                DnsResourceRecord.CreateMx("fuzz.example", 10, "mail.fuzz.example", 300),
                DnsResourceRecord.CreateAddress("mail.fuzz.example", IPAddress.Parse("192.0.2.25"), 300),
                DnsResourceRecord.CreateText("_spf.fuzz.example", DnsRecordType.TXT, new[] { "v=spf1 ip4:198.51.100.0/24 include:deep.fuzz.example ?all" }, 300),
                DnsResourceRecord.CreateText("deep.fuzz.example", DnsRecordType.TXT, new[] { "v=spf1 exists:%{ir}.%{v}._spf.%{d2} a:alias.fuzz.example -all" }, 300),
                DnsResourceRecord.CreateTarget("alias.fuzz.example", DnsRecordType.CNAME, "mail.fuzz.example", 300),
                DnsResourceRecord.CreateText("explain.fuzz.example", DnsRecordType.TXT, new[] { "%{i} is not allowed to send for %{d} (%{s}, %{h}, %{c}, %{r}, %{t})" }, 300),
            };

            internal static readonly DnsZone SpfReverseZone = new DnsZone("2.0.192.in-addr.arpa", new[]
            {
                DnsResourceRecord.CreateTarget("1.2.0.192.in-addr.arpa", DnsRecordType.PTR, "fuzz.example", 300),
            }, "fuzz");

            /// <summary>The public key the DKIM-Signature seeds were signed with (RSA-1024, made for the fuzz corpus only).</summary>
            internal const string DkimSeedKey = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4P491VWMrjrap9kTqP88jRizGVaLOmllVTEo/nbWW2MDKqCuLY3lvL1GWb4taU/7ker/C+w9Tfu5g3fwobCyJs+QjDLXwsxDVeOkfEf5L6cJHHmnGIlCeannffPyU4z0g4Twc48g37PLmlg4zeWyHqvDwEP1mEgU7LXqWpzzNZwIDAQAB";

            /// <summary>The key records the DKIM-Signature target verifies against.</summary>
            internal static readonly ZoneFileResolver DkimKeyResolver = new ZoneFileResolver(new[] { new DnsZone("fuzz.example", new[]
            {
                DnsResourceRecord.CreateText("sel._domainkey.fuzz.example", DnsRecordType.TXT, new[] { DkimSeedKey }, 300),
                DnsResourceRecord.CreateText("t._domainkey.fuzz.example", DnsRecordType.TXT, new[] { "v=DKIM1; t=y:s; h=sha256; s=email; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4P491VWMrjrap9kTqP88jRizGVaLOmllVTEo/nbWW2MDKqCuLY3lvL1GWb4taU/7ker/C+w9Tfu5g3fwobCyJs+QjDLXwsxDVeOkfEf5L6cJHHmnGIlCeannffPyU4z0g4Twc48g37PLmlg4zeWyHqvDwEP1mEgU7LXqWpzzNZwIDAQAB" }, 300),
                DnsResourceRecord.CreateText("revoked._domainkey.fuzz.example", DnsRecordType.TXT, new[] { "v=DKIM1; p=" }, 300),
                DnsResourceRecord.CreateText("ed._domainkey.fuzz.example", DnsRecordType.TXT, new[] { "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" }, 300),
                DnsResourceRecord.CreateTarget("cname._domainkey.fuzz.example", DnsRecordType.CNAME, "sel._domainkey.fuzz.example", 300),
            }, "fuzz") });

            /// <summary>Verification at a fixed time, so a seed's verdict does not change with the clock.</summary>
            internal static readonly DkimVerificationOptions DkimOptions = new DkimVerificationOptions { Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) };
        }

        /// <summary>
        /// DKIM-Signature header fields (RFC 6376 §3.5 tag list, §6 verification): a whole message verified against fixed
        /// key records for fuzz.example (selectors sel, t, revoked, ed and cname).
        /// </summary>
        public static void DkimSignature(byte[] data)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var verifier = new DkimSignatureVerifier(Fixture.DkimKeyResolver, Fixture.DkimOptions);
            using var stream = new MemoryStream(data, 0, Math.Min(data.Length, MaxInput), writable: false);
            foreach (var result in verifier.VerifyAsync(stream, cts.Token).GetAwaiter().GetResult())
            {
                // The verifier turns an exception inside one signature's check into PermError; a programming error there is a finding.
                if (result.Reason == DkimFailureReason.VerificationError && IsProgrammingErrorMessage(result.Detail))
                    throw new InvalidOperationException("The DKIM verifier hit an internal error: " + result.Detail);
            }
        }

        /// <summary>DMARC record (RFC 7489 §6.3, RFC 9989): the record and each report URI.</summary>
        public static void Dmarc(byte[] data)
        {
            var text = Text(data);
            var record = DmarcRecord.Parse(text);
            _ = record.Diagnostics.Count;
            _ = record.EffectivePolicy;
            foreach (var part in text.Split(',', ';', '='))
                _ = DmarcReportUri.Parse(part).ToString();
        }

        /// <summary>Zone files (RFC 1035 §5 master files, Windows DNS Server and Cloudflare exports).</summary>
        public static void Zone(byte[] data)
        {
            var text = Text(data);
            var result = ZoneFileParser.Parse(text, "fuzz.example", "fuzz.zone");
            _ = result.Diagnostics.Count;
            foreach (var owner in result.Zone.OwnerNames.Take(1000))
                _ = result.Zone.GetRecords(owner).Count;
            var noOrigin = ZoneFileParser.Parse(text, null, "fuzz.zone");
            _ = noOrigin.Diagnostics.Count;
        }

        /// <summary>DMARC aggregate reports (RFC 7489 §7.2, appendix C): XML, gzip, zip or a message, read as a stream.</summary>
        public static void Report(byte[] data)
        {
            var reader = new DmarcReportReader(new DmarcReportReaderOptions { MaxDecompressedBytes = 8 * 1024 * 1024 });
            using var stream = new MemoryStream(data, 0, Math.Min(data.Length, MaxInput), writable: false);
            foreach (var item in reader.Read(stream, "fuzz.xml"))
            {
                // The reader turns every failure into a problem row; a problem that names a programming error is a finding.
                var problem = item.Problem;
                if (problem != null && IsProgrammingError(problem.Message))
                    throw new InvalidOperationException("The report reader hit an internal error: " + problem.Message);
            }
        }

        /// <summary>Bounce and NDR text (RFC 3463 status codes, RFC 3464 delivery status), plain or a whole message.</summary>
        public static void Bounce(byte[] data)
        {
            var analysis = MailBounceAnalyzer.Analyze(Text(data), "fuzz.txt");
            _ = analysis.ToString();
            using var stream = new MemoryStream(data, 0, Math.Min(data.Length, MaxInput), writable: false);
            _ = MailBounceAnalyzer.Analyze(stream, "fuzz.eml").ToString();
        }

        private static readonly string[] ProgrammingErrors =
        {
            nameof(NullReferenceException), nameof(IndexOutOfRangeException), nameof(ArgumentOutOfRangeException),
            nameof(ArgumentNullException), nameof(InvalidCastException), nameof(KeyNotFoundException), nameof(DivideByZeroException),
            nameof(OverflowException), nameof(StackOverflowException), nameof(NotImplementedException),
        };

        // The messages of those exceptions (the runtime's English texts), for callers that keep only ex.Message.
        private static readonly string[] ProgrammingErrorMessages =
        {
            "Object reference not set", "Index was outside the bounds", "Specified argument was out of the range",
            "Unable to cast object", "Arithmetic operation resulted in an overflow", "Attempted to divide by zero",
            "was not present in the dictionary", "Value cannot be null",
        };

        internal static bool IsProgrammingErrorMessage(string message) => ProgrammingErrorMessages.Any(m => message.IndexOf(m, StringComparison.Ordinal) >= 0);

        internal static bool IsProgrammingError(string message) => ProgrammingErrors.Any(n => message.IndexOf("(" + n + ")", StringComparison.Ordinal) >= 0);
    }
}
