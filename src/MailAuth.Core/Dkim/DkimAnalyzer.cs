using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Dkim
{
    /// <summary>
    /// Reads the key record at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c> (RFC 6376 §3.6.2.1), following CNAMEs,
    /// parses it (§3.6.1), decodes the key and judges it: key size (RFC 8301 §3.2), hash restrictions, testing mode,
    /// revocation, several records, a dangling CNAME, a record that looks split or pasted wrongly.
    /// </summary>
    public sealed class DkimAnalyzer
    {
        internal const string Area = "DKIM";

        /// <summary>Finding ids the analyzer emits (key-record diagnostic ids keep their own id).</summary>
        public static class FindingIds
        {
            public const string NoRecord = "DKIM.NoRecord";
            public const string LookupFailed = "DKIM.LookupFailed";
            public const string CnameTargetMissing = "DKIM.CnameTargetMissing";
            public const string MultipleRecords = "DKIM.MultipleRecords";
            public const string SplitLooksWrong = "DKIM.SplitLooksWrong";
            public const string KeyTooSmall = "DKIM.KeyTooSmall";
            public const string Key1024 = "DKIM.Key1024";
            public const string KeyTooLarge = "DKIM.KeyTooLarge";
            public const string TestingMode = "DKIM.TestingMode";
            public const string Revoked = "DKIM.Revoked";
            public const string InvalidSelector = "DKIM.InvalidSelector";
            public const string Sha1Only = DkimKeyRecord.DiagnosticIds.Sha1Only;
            public const string MalformedKey = DkimKeyRecord.DiagnosticIds.MalformedKey;
            public const string InvalidBase64 = DkimKeyRecord.DiagnosticIds.InvalidBase64;
            public const string Ed25519KeyLength = DkimKeyRecord.DiagnosticIds.Ed25519KeyLength;
            public const string UnknownKeyType = DkimKeyRecord.DiagnosticIds.UnknownKeyType;
            public const string InvalidVersion = DkimKeyRecord.DiagnosticIds.InvalidVersion;
        }

        /// <summary>RFC 8301 §3.2: verifiers must not accept RSA keys under 1024 bits.</summary>
        public const int MinimumRsaBits = 1024;
        /// <summary>The size recommended today (RFC 8301 §3.2 says signers should use at least 2048 bits).</summary>
        public const int RecommendedRsaBits = 2048;
        /// <summary>RFC 8301 §3.2: verifiers must be able to validate keys up to 4096 bits, not beyond.</summary>
        public const int MaximumVerifiableRsaBits = 4096;

        private const string ProxiedHint = " If DNS moved to Cloudflare, make sure the DKIM CNAME is \"DNS only\", not proxied: a proxied CNAME hides the provider's key.";

        private readonly IDnsResolver _resolver;

        public DkimAnalyzer(IDnsResolver resolver)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        }

        /// <summary>The owner name of a key record: &lt;selector&gt;._domainkey.&lt;domain&gt; (RFC 6376 §3.6.2.1).</summary>
        public static string KeyName(string selector, string domain) =>
            DnsName.Normalize(selector) + "._domainkey." + DnsName.Normalize(domain);

        /// <summary>Looks up and analyses the key record of <paramref name="selector"/> at <paramref name="domain"/>.</summary>
        /// <exception cref="ArgumentNullException">A parameter is null.</exception>
        public async Task<DkimRecordReport> AnalyzeAsync(string domain, string selector, CancellationToken cancellationToken = default)
        {
            if (domain is null) throw new ArgumentNullException(nameof(domain));
            if (selector is null) throw new ArgumentNullException(nameof(selector));
            domain = DnsName.Normalize(domain);
            if (!IsValidSelector(selector, out var reason))
            {
                var bad = new DkimRecordReport(domain, selector.Trim()) { Status = DkimReportStatus.Error, LookupStatus = DnsLookupStatus.Error };
                bad.Findings = new[] { new Finding(FindingIds.InvalidSelector, FindingSeverity.Error, Area, reason!, "Give the selector as it appears in the s= tag of a DKIM-Signature, e.g. selector1.", "RFC 6376 §3.1") };
                return bad;
            }
            var txt = await _resolver.QueryAsync(KeyName(selector, domain), DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            return AnalyzeLookup(domain, selector, txt);
        }

        /// <summary>True when the selector is a valid name (RFC 6376 §3.1: sub-domain *( "." sub-domain )).</summary>
        public static bool IsValidSelector(string? selector, out string? reason)
        {
            if (!DnsName.TryNormalizeDomain(selector, out var n, out reason))
            {
                reason = "The selector is not valid: " + reason;
                return false;
            }
            if (n.Length + "._domainkey.".Length > 253) { reason = "The selector is too long for a DNS name."; return false; }
            return true;
        }

        /// <summary>Analyses a record text as if it were published at the selector (no DNS lookup).</summary>
        public static DkimRecordReport AnalyzeRecord(string domain, string selector, string record)
        {
            if (record is null) throw new ArgumentNullException(nameof(record));
            var name = KeyName(selector, domain);
            var rr = DnsResourceRecord.CreateText(name, DnsRecordType.TXT, Publishing.PublishableRecord.SplitCharacterStrings(record), 3600);
            return AnalyzeLookup(DnsName.Normalize(domain), DnsName.Normalize(selector),
                new DnsLookupResult(name, DnsRecordType.TXT, DnsLookupStatus.Success, new[] { rr }, source: "record text"));
        }

        /// <summary>Builds the report from the TXT answer for the key name.</summary>
        internal static DkimRecordReport AnalyzeLookup(string domain, string selector, DnsLookupResult txt)
        {
            selector = DnsName.Normalize(selector);
            var report = new DkimRecordReport(domain, selector)
            {
                LookupStatus = txt.Status,
                Source = txt.Source,
                CnameChain = txt.CnameChain,
            };
            var findings = new List<Finding>();
            var provider = txt.CnameChain.Select(DkimProviders.FromCnameTarget).FirstOrDefault(p => p != null);
            report.Provider = provider?.Name;
            report.Found = txt.CnameChain.Count > 0 || (txt.Status == DnsLookupStatus.Success && txt.Records.Count > 0);

            if (txt.Status.IsTransientFailure())
            {
                report.Status = DkimReportStatus.LookupFailed;
                findings.Add(new Finding(FindingIds.LookupFailed, FindingSeverity.Error, Area,
                    $"The TXT lookup for {report.Name} failed ({txt.Status}{(txt.ErrorMessage is null ? "" : ": " + txt.ErrorMessage)}); receivers would return temperror for signatures with this selector.",
                    "Check that the domain's authoritative servers (and any CNAME target's) answer TXT queries.", "RFC 6376 §6.1.2"));
                report.Findings = findings;
                return report;
            }

            var texts = txt.Records.Where(r => r.RecordType == DnsRecordType.TXT).ToList();
            if (txt.Status != DnsLookupStatus.Success || texts.Count == 0)
            {
                report.Status = DkimReportStatus.NoRecord;
                if (txt.CnameChain.Count > 0)
                {
                    findings.Add(new Finding(FindingIds.CnameTargetMissing, FindingSeverity.Error, Area,
                        $"{report.Name} is a CNAME to {report.CnameTarget}{(provider is null ? "" : $" ({provider.Name})")}, which has no TXT record ({(txt.Status == DnsLookupStatus.NxDomain ? "the name does not exist" : "no data")}); receivers find no key and DKIM fails.",
                        (provider is null ? "Check the target with the sending service, or publish the key as a TXT record." : $"Finish the DKIM setup in {provider.Name} (it publishes the key at the target only once DKIM is enabled there).") + ProxiedHint,
                        "RFC 6376 §6.1.2", report.CnameTarget));
                }
                else
                {
                    findings.Add(new Finding(FindingIds.NoRecord, FindingSeverity.Error, Area,
                        $"No key record at {report.Name} ({(txt.Status == DnsLookupStatus.NxDomain ? "the name does not exist" : "no TXT data")}); signatures with s={selector} d={domain} fail with \"no key\".",
                        "Publish the public key your mail server or sending service shows for this selector (a TXT record, or the CNAME the service gives)." + ProxiedHint,
                        "RFC 6376 §6.1.2"));
                }
                report.Findings = findings;
                return report;
            }

            // Key records among the TXT records: those that look like tag lists with a key, version or key type.
            var all = texts.Select(r => r.Text).ToList();
            report.AllRecords = all;
            var candidates = texts.Where(r => LooksLikeKeyRecord(r.Text)).ToList();
            var chosen = candidates.Count > 0 ? candidates : texts;
            var record = chosen[0];
            report.Record = record.Text;
            report.RecordStrings = record.Strings;
            var parsed = DkimKeyRecord.Parse(record.Text);
            report.Parsed = parsed;

            bool splitAcrossRecords = false;
            if (texts.Count > 1)
            {
                var fragments = texts.Where(r => !ReferenceEquals(r, record) && LooksLikeBase64Fragment(r.Text)).ToList();
                if (fragments.Count > 0 && (parsed.HasErrors || parsed.KeyParameter is null))
                {
                    splitAcrossRecords = true;
                    findings.Add(new Finding(FindingIds.SplitLooksWrong, FindingSeverity.Error, Area,
                        $"{report.Name} has {texts.Count} TXT records and {fragments.Count} of them look like the rest of the key: the key was split into separate TXT records instead of several strings of one record.",
                        "Delete the records and publish one TXT record whose value is the whole key, split into strings of at most 255 characters (New-DkimKey shows the form).",
                        "RFC 6376 §3.6.2.2", fragments[0].Text));
                }
                else if (chosen.Count > 1)
                {
                    findings.Add(new Finding(FindingIds.MultipleRecords, FindingSeverity.Error, Area,
                        $"{report.Name} has {chosen.Count} key records; receivers pick one at random, so signatures verify only some of the time.",
                        "Keep one key record per selector; to rotate keys, publish the new key under a new selector.",
                        "RFC 6376 §3.6.2.2"));
                }
            }

            AddRecordFindings(report, parsed, record, splitAcrossRecords, findings);
            report.Findings = findings;
            report.Status = findings.Any(f => f.Severity == FindingSeverity.Error) ? DkimReportStatus.Error
                : parsed.Revoked ? DkimReportStatus.Revoked
                : findings.Any(f => f.Severity == FindingSeverity.Warning) ? DkimReportStatus.Warning
                : DkimReportStatus.Ok;
            return report;
        }

        private static void AddRecordFindings(DkimRecordReport report, DkimKeyRecord parsed, DnsResourceRecord record, bool splitAcrossRecords, List<Finding> findings)
        {
            var pTag = parsed.TagList.Find("p");
            bool quoteInKey = pTag != null && (pTag.Value.IndexOf('"') >= 0 || pTag.Value.IndexOf('\\') >= 0);
            bool spaceInKey = pTag != null && pTag.Value.Any(DkimTagList.IsWhiteSpace);
            bool truncated = parsed.LooksTruncated && !splitAcrossRecords;

            if (quoteInKey)
                findings.Add(new Finding(FindingIds.SplitLooksWrong, FindingSeverity.Error, Area,
                    "p= contains quote or backslash characters: the record's strings were pasted with their zone-file quotes into a tool that stores text literally (e.g. \"MIIB...\" \"...IDAQAB\" typed into a web form).",
                    "Re-enter the value without quotes; if the tool needs several strings, use its own way of adding them (New-DkimKey shows the split form).",
                    "RFC 6376 §3.6.1", DkimTagList.Shorten(pTag!.Value)));
            else if (spaceInKey)
                findings.Add(new Finding(FindingIds.SplitLooksWrong, FindingSeverity.Warning, Area,
                    "p= contains whitespace: the key's parts were joined with a space. RFC 6376 allows it, but some verifiers and DNS tools do not.",
                    "Publish the key without spaces, split into character-strings of at most 255 octets that join with nothing between them.",
                    "RFC 6376 §3.6.1"));
            if (truncated)
                findings.Add(new Finding(FindingIds.SplitLooksWrong, FindingSeverity.Error, Area,
                    $"The key ends early: its DER header announces more bytes than p= holds ({parsed.KeyData.Length}). The record has {record.Strings.Count} string(s)" +
                    (record.Strings.Any(s => System.Text.Encoding.UTF8.GetByteCount(s) >= 250) ? " and one is at the 255-octet limit, so only the first part of a long key was published." : "; part of the key is missing."),
                    "Publish the whole p= value; a 2048-bit key needs two strings in one TXT record (New-DkimKey shows the split form).",
                    "RFC 6376 §3.6.1"));

            foreach (var d in parsed.Diagnostics)
            {
                if (d.Id == DkimKeyRecord.DiagnosticIds.InvalidBase64 && quoteInKey) continue;
                if (d.Id == DkimKeyRecord.DiagnosticIds.MalformedKey && (truncated || splitAcrossRecords)) continue;
                if (splitAcrossRecords && d.Id == DkimKeyRecord.DiagnosticIds.InvalidBase64) continue;
                findings.Add(new Finding(d.Id, d.Severity, Area, d.Message, RemediationFor(d.Id), d.Reference, d.Tag is null ? null : d.Tag + "="));
            }

            if (parsed.Revoked)
                findings.Add(new Finding(FindingIds.Revoked, FindingSeverity.Warning, Area,
                    $"The key at {report.Name} is revoked (empty p=): every signature with this selector fails.",
                    "If a server still signs with this selector, switch it to the current selector; otherwise the record can stay to mark the key as withdrawn.",
                    "RFC 6376 §3.6.1"));

            if (parsed.KeyType == DkimKeyType.Rsa && parsed.KeyBits is int bits)
            {
                if (bits < MinimumRsaBits)
                    findings.Add(new Finding(FindingIds.KeyTooSmall, FindingSeverity.Error, Area,
                        $"The RSA key has {bits} bits; verifiers must reject keys under {MinimumRsaBits} bits, so every signature fails.",
                        "Generate a 2048-bit key (New-DkimKey), publish it under a new selector, then switch the signer.", "RFC 8301 §3.2"));
                else if (bits < RecommendedRsaBits)
                    findings.Add(new Finding(FindingIds.Key1024, FindingSeverity.Warning, Area,
                        $"The RSA key has {bits} bits; it still verifies, but {RecommendedRsaBits} bits is the size signers should use.",
                        "Generate a 2048-bit key (New-DkimKey), publish it under a new selector, then switch the signer.", "RFC 8301 §3.2"));
                else if (bits > MaximumVerifiableRsaBits)
                    findings.Add(new Finding(FindingIds.KeyTooLarge, FindingSeverity.Warning, Area,
                        $"The RSA key has {bits} bits; verifiers need only support keys up to {MaximumVerifiableRsaBits} bits, so some may fail to verify.",
                        "Use a 2048-bit key.", "RFC 8301 §3.2"));
            }

            if (parsed.Testing)
                findings.Add(new Finding(FindingIds.TestingMode, FindingSeverity.Warning, Area,
                    "t=y: the domain says it is testing DKIM; some receivers treat its failures as no signature at all.",
                    "Remove y from t= once signatures verify.", "RFC 6376 §3.6.1", "t="));
        }

        private static string? RemediationFor(string id)
        {
            switch (id)
            {
                case DkimKeyRecord.DiagnosticIds.InvalidVersion: return "Start the record with v=DKIM1; or leave v= out.";
                case DkimKeyRecord.DiagnosticIds.UnknownKeyType: return "Use k=rsa or k=ed25519 (or leave k= out for RSA).";
                case DkimKeyRecord.DiagnosticIds.MissingPublicKey: return "Add p= with the base64 public key.";
                case DkimKeyRecord.DiagnosticIds.InvalidBase64:
                case DkimKeyRecord.DiagnosticIds.MalformedKey: return "Copy the public key again from the signer (or New-DkimKey) and publish it unchanged.";
                case DkimKeyRecord.DiagnosticIds.Ed25519KeyLength: return "Publish the 32-byte Ed25519 public key in base64 (44 characters).";
                case DkimKeyRecord.DiagnosticIds.KeyTypeMismatch: return "Make k= match the key in p=.";
                case DkimKeyRecord.DiagnosticIds.Sha1Only: return "Remove h= or set h=sha256, and sign with rsa-sha256.";
                case DkimKeyRecord.DiagnosticIds.UnknownHashAlgorithm: return "Remove h= or set h=sha256.";
                case DkimKeyRecord.DiagnosticIds.ServiceNotEmail: return "Remove s= or set s=email.";
                case DkimTagList.DiagnosticIds.DuplicateTag:
                case DkimTagList.DiagnosticIds.TagSyntax:
                case DkimTagList.DiagnosticIds.InvalidTagName:
                case DkimTagList.DiagnosticIds.InvalidTagValue: return "Correct the record's syntax: tag=value pairs separated by semicolons.";
                default: return null;
            }
        }

        /// <summary>True for text that has a DKIM key-record tag (v=DKIM1, k=, p=).</summary>
        internal static bool LooksLikeKeyRecord(string text)
        {
            var l = DkimTagList.Parse(text);
            return l.Find("p") != null || l.Find("k") != null || (l["v"]?.StartsWith("DKIM", StringComparison.OrdinalIgnoreCase) ?? false);
        }

        /// <summary>True for text made of base64 characters only (a piece of a key published as its own record).</summary>
        private static bool LooksLikeBase64Fragment(string text)
        {
            var t = text.Trim();
            if (t.Length < 16) return false;
            foreach (var c in t)
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=')) return false;
            return true;
        }
    }
}
