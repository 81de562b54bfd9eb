using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Audit
{
    /// <summary>
    /// The MTA-STS TXT record at <c>_mta-sts.&lt;domain&gt;</c> (RFC 8461 §3.1): <c>v=STSv1; id=&lt;1-32 alphanumerics&gt;;</c>
    /// plus extension fields. <see cref="Parse"/> never throws.
    /// </summary>
    public sealed class MtaStsRecord
    {
        private const string Reference = "RFC 8461 §3.1";

        private MtaStsRecord(string text) { Text = text; }

        public string Text { get; }
        public IReadOnlyList<RecordField> Fields { get; private set; } = Array.Empty<RecordField>();
        /// <summary>The id= value (changes whenever the policy changes), or null.</summary>
        public string? Id { get; private set; }
        public IReadOnlyList<RecordDiagnostic> Diagnostics { get; private set; } = Array.Empty<RecordDiagnostic>();
        /// <summary>False when a sender must treat the domain as having no MTA-STS policy.</summary>
        public bool IsValid => !Diagnostics.Any(d => d.IsError);

        /// <summary>True when the text starts with "v=STSv1" (RFC 8461 §3.1: other TXT records at the name are discarded).</summary>
        public static bool IsMtaStsText(string? text) =>
            text != null && text.TrimStart(' ', '\t').StartsWith("v=STSv1", StringComparison.Ordinal);

        public static MtaStsRecord Parse(string? text)
        {
            var record = new MtaStsRecord(text ?? string.Empty);
            var diagnostics = new List<RecordDiagnostic>();
            var fields = RecordTags.Split(record.Text, "MTASTS", Reference, diagnostics);
            record.Fields = fields;
            if (fields.Count == 0 || fields[0].Name != "v" || fields[0].Value != "STSv1")
                diagnostics.Add(new RecordDiagnostic("MTASTS.InvalidVersion", FindingSeverity.Error,
                    "The record must start with v=STSv1 (case-sensitive).", Reference, fields.Count > 0 ? fields[0].ToString() : null));
            RecordTags.AddDuplicates(fields, "MTASTS", Reference, diagnostics);
            var id = RecordTags.Find(fields, "id");
            if (id is null)
                diagnostics.Add(new RecordDiagnostic("MTASTS.MissingId", FindingSeverity.Error,
                    "The record has no id= field; senders use it to notice policy changes.", Reference));
            else
            {
                record.Id = id.Value;
                if (id.Value.Length < 1 || id.Value.Length > 32 || !id.Value.All(IsAlphaNum))
                    diagnostics.Add(new RecordDiagnostic("MTASTS.InvalidId", FindingSeverity.Error,
                        $"id={id.Value} is not 1 to 32 letters and digits.", Reference, "id=" + id.Value));
            }
            foreach (var f in fields.Skip(1))
            {
                if (f.Name == "id" || f.Name == "v") continue;
                if (f.Name.Length == 0 || f.Name.Length > 32 || !IsAlphaNum(f.Name[0]) ||
                    !f.Name.All(c => IsAlphaNum(c) || c == '_' || c == '-' || c == '.'))
                    diagnostics.Add(new RecordDiagnostic("MTASTS.FieldSyntax", FindingSeverity.Error,
                        $"'{f.Name}' is not a valid field name.", Reference, f.ToString()));
            }
            record.Diagnostics = diagnostics;
            return record;
        }

        internal static bool IsAlphaNum(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        public override string ToString() => Text;
    }

    /// <summary>The policy mode of an MTA-STS policy (RFC 8461 §5).</summary>
    public enum MtaStsMode
    {
        /// <summary>Senders must not deliver to MX hosts that fail validation.</summary>
        Enforce,
        /// <summary>Senders report failures (TLS-RPT) but deliver anyway.</summary>
        Testing,
        /// <summary>No policy: used to withdraw one.</summary>
        None,
    }

    /// <summary>
    /// An MTA-STS policy file, as served at <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c>
    /// (RFC 8461 §3.2): "key: value" lines for version, mode, max_age and mx. <see cref="Parse"/> never throws.
    /// </summary>
    public sealed class MtaStsPolicy
    {
        private const string Reference = "RFC 8461 §3.2";
        /// <summary>RFC 8461 §3.2: the largest max_age.</summary>
        public const long MaxAgeLimit = 31557600;

        private MtaStsPolicy(string text) { Text = text; }

        public string Text { get; }
        public string? Version { get; private set; }
        public MtaStsMode? Mode { get; private set; }
        /// <summary>Seconds a sender may cache the policy, or null when absent or invalid.</summary>
        public long? MaxAge { get; private set; }
        /// <summary>The mx patterns, in order ("mail.example.com" or "*.example.net").</summary>
        public IReadOnlyList<string> MxPatterns { get; private set; } = Array.Empty<string>();
        public IReadOnlyList<RecordDiagnostic> Diagnostics { get; private set; } = Array.Empty<RecordDiagnostic>();
        /// <summary>False when senders must ignore the policy.</summary>
        public bool IsValid => !Diagnostics.Any(d => d.IsError);

        public static MtaStsPolicy Parse(string? text)
        {
            var policy = new MtaStsPolicy(text ?? string.Empty);
            var diagnostics = new List<RecordDiagnostic>();
            var mx = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var rawLine in policy.Text.Split('\n'))
            {
                var line = rawLine.TrimEnd('\r');
                if (line.Trim().Length == 0) continue;
                int colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    diagnostics.Add(new RecordDiagnostic("MTASTS.PolicySyntax", FindingSeverity.Error,
                        $"The policy line '{Shorten(line)}' is not 'key: value'.", Reference, Shorten(line)));
                    continue;
                }
                var key = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim(' ', '\t');
                if (key != "mx" && !seen.Add(key))
                {
                    diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyDuplicateKey", FindingSeverity.Warning,
                        $"The policy has '{key}' more than once; senders use the first.", Reference, key));
                    continue;
                }
                switch (key)
                {
                    case "version":
                        policy.Version = value;
                        if (value != "STSv1")
                            diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyInvalidVersion", FindingSeverity.Error,
                                $"version: {value} is not STSv1.", Reference, line));
                        break;
                    case "mode":
                        switch (value)
                        {
                            case "enforce": policy.Mode = MtaStsMode.Enforce; break;
                            case "testing": policy.Mode = MtaStsMode.Testing; break;
                            case "none": policy.Mode = MtaStsMode.None; break;
                            default:
                                diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyInvalidMode", FindingSeverity.Error,
                                    $"mode: {value} is not enforce, testing or none.", Reference, line));
                                break;
                        }
                        break;
                    case "max_age":
                        if (value.Length >= 1 && value.Length <= 10 && value.All(c => c >= '0' && c <= '9') &&
                            long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var age) && age <= MaxAgeLimit)
                            policy.MaxAge = age;
                        else
                            diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyInvalidMaxAge", FindingSeverity.Error,
                                $"max_age: {value} is not a whole number of seconds from 0 to {MaxAgeLimit}.", Reference, line));
                        break;
                    case "mx":
                        if (IsValidPattern(value)) mx.Add(DnsName.Normalize(value));
                        else
                            diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyInvalidMx", FindingSeverity.Error,
                                $"mx: {value} is not a host name or a '*.' wildcard pattern.", Reference, line));
                        break;
                }
            }
            policy.MxPatterns = mx;
            if (policy.Version is null)
                diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyMissingVersion", FindingSeverity.Error, "The policy has no 'version: STSv1' line.", Reference));
            if (policy.Mode is null && !diagnostics.Any(d => d.Id == "MTASTS.PolicyInvalidMode"))
                diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyMissingMode", FindingSeverity.Error, "The policy has no 'mode:' line.", Reference));
            if (policy.MaxAge is null && !diagnostics.Any(d => d.Id == "MTASTS.PolicyInvalidMaxAge"))
                diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyMissingMaxAge", FindingSeverity.Error, "The policy has no 'max_age:' line.", Reference));
            if (mx.Count == 0 && policy.Mode != MtaStsMode.None)
                diagnostics.Add(new RecordDiagnostic("MTASTS.PolicyMissingMx", FindingSeverity.Error,
                    "The policy lists no 'mx:' pattern, so no MX host can match it.", Reference));
            policy.Diagnostics = diagnostics;
            return policy;
        }

        /// <summary>
        /// True when <paramref name="host"/> matches one of the mx patterns (RFC 8461 §4.1): an exact name, or
        /// "*.suffix" matching exactly one label in front of the suffix.
        /// </summary>
        public bool Covers(string host) => MxPatterns.Any(p => Matches(p, host));

        /// <summary>RFC 8461 §4.1 pattern match (case-insensitive); a wildcard stands for the leftmost label only.</summary>
        public static bool Matches(string pattern, string host)
        {
            var p = DnsName.Normalize(pattern);
            var h = DnsName.Normalize(host);
            if (p.StartsWith("*.", StringComparison.Ordinal))
            {
                var suffix = p.Substring(1); // ".example.net"
                if (!h.EndsWith(suffix, StringComparison.Ordinal)) return false;
                var label = h.Substring(0, h.Length - suffix.Length);
                return label.Length > 0 && label.IndexOf('.') < 0;
            }
            return p == h;
        }

        private static bool IsValidPattern(string value)
        {
            var v = value.StartsWith("*.", StringComparison.Ordinal) ? value.Substring(2) : value;
            return v.IndexOf('*') < 0 && DnsName.TryNormalizeDomain(v, out _, out _) && v.IndexOf('.') > 0;
        }

        private static string Shorten(string s) => s.Length <= 60 ? s : s.Substring(0, 57) + "...";

        public override string ToString() => $"{Mode} max_age={MaxAge} mx={string.Join(",", MxPatterns)}";
    }
}
