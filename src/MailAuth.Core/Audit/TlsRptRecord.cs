using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Findings;

namespace MailAuth.Audit
{
    /// <summary>
    /// The SMTP TLS Reporting record at <c>_smtp._tls.&lt;domain&gt;</c> (RFC 8460 §3):
    /// <c>v=TLSRPTv1; rua=mailto:...,https://...</c>. <see cref="Parse"/> never throws.
    /// </summary>
    public sealed class TlsRptRecord
    {
        private const string Reference = "RFC 8460 §3";

        private TlsRptRecord(string text) { Text = text; }

        public string Text { get; }
        public IReadOnlyList<RecordField> Fields { get; private set; } = Array.Empty<RecordField>();
        /// <summary>The report destinations of rua=, in order.</summary>
        public IReadOnlyList<string> ReportUris { get; private set; } = Array.Empty<string>();
        public IReadOnlyList<RecordDiagnostic> Diagnostics { get; private set; } = Array.Empty<RecordDiagnostic>();
        public bool IsValid => !Diagnostics.Any(d => d.IsError);

        /// <summary>RFC 8460 §3: records not starting with v=TLSRPTv1 are discarded.</summary>
        public static bool IsTlsRptText(string? text) =>
            text != null && text.TrimStart(' ', '\t').StartsWith("v=TLSRPTv1", StringComparison.Ordinal);

        public static TlsRptRecord Parse(string? text)
        {
            var record = new TlsRptRecord(text ?? string.Empty);
            var diagnostics = new List<RecordDiagnostic>();
            var fields = RecordTags.Split(record.Text, "TLSRPT", Reference, diagnostics);
            record.Fields = fields;
            if (fields.Count == 0 || fields[0].Name != "v" || fields[0].Value != "TLSRPTv1")
                diagnostics.Add(new RecordDiagnostic("TLSRPT.InvalidVersion", FindingSeverity.Error,
                    "The record must start with v=TLSRPTv1 (case-sensitive).", Reference, fields.Count > 0 ? fields[0].ToString() : null));
            RecordTags.AddDuplicates(fields, "TLSRPT", Reference, diagnostics);
            var rua = RecordTags.Find(fields, "rua");
            if (rua is null || rua.Value.Length == 0)
            {
                diagnostics.Add(new RecordDiagnostic("TLSRPT.MissingRua", FindingSeverity.Error,
                    "The record has no rua= destination, so no report can be sent.", Reference));
            }
            else
            {
                var uris = rua.Value.Split(',').Select(u => u.Trim(' ', '\t')).Where(u => u.Length > 0).ToList();
                record.ReportUris = uris;
                foreach (var u in uris)
                {
                    bool mailto = u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && u.IndexOf('@') > 7;
                    bool https = u.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(u, UriKind.Absolute, out _);
                    if (!mailto && !https)
                        diagnostics.Add(new RecordDiagnostic("TLSRPT.InvalidRua", FindingSeverity.Error,
                            $"'{u}' is neither a mailto: address nor an https: URL.", Reference, u));
                }
            }
            record.Diagnostics = diagnostics;
            return record;
        }

        public override string ToString() => Text;
    }

    /// <summary>
    /// The BIMI assertion record at <c>default._bimi.&lt;domain&gt;</c> (draft-brand-indicators-for-message-identification):
    /// <c>v=BIMI1; l=&lt;https URL of an SVG Tiny PS logo&gt;; a=&lt;https URL of the mark certificate&gt;</c>. Empty l= and a=
    /// make a declination record. <see cref="Parse"/> never throws.
    /// </summary>
    public sealed class BimiRecord
    {
        private const string Reference = "draft-brand-indicators-for-message-identification §4.2";

        private BimiRecord(string text) { Text = text; }

        public string Text { get; }
        public IReadOnlyList<RecordField> Fields { get; private set; } = Array.Empty<RecordField>();
        /// <summary>The logo location(s) of l=.</summary>
        public IReadOnlyList<string> LogoUris { get; private set; } = Array.Empty<string>();
        /// <summary>The authority evidence (VMC/CMC) location of a=, or null.</summary>
        public string? AuthorityUri { get; private set; }
        /// <summary>True when l= and a= are empty: the domain declines to show a logo.</summary>
        public bool IsDeclination { get; private set; }
        public IReadOnlyList<RecordDiagnostic> Diagnostics { get; private set; } = Array.Empty<RecordDiagnostic>();
        public bool IsValid => !Diagnostics.Any(d => d.IsError);

        public static bool IsBimiText(string? text) =>
            text != null && text.TrimStart(' ', '\t').StartsWith("v=BIMI1", StringComparison.OrdinalIgnoreCase);

        public static BimiRecord Parse(string? text)
        {
            var record = new BimiRecord(text ?? string.Empty);
            var diagnostics = new List<RecordDiagnostic>();
            var fields = RecordTags.Split(record.Text, "BIMI", Reference, diagnostics);
            record.Fields = fields;
            if (fields.Count == 0 || !string.Equals(fields[0].Name, "v", StringComparison.OrdinalIgnoreCase) || !string.Equals(fields[0].Value, "BIMI1", StringComparison.OrdinalIgnoreCase))
                diagnostics.Add(new RecordDiagnostic("BIMI.InvalidVersion", FindingSeverity.Error,
                    "The record must start with v=BIMI1.", Reference, fields.Count > 0 ? fields[0].ToString() : null));
            RecordTags.AddDuplicates(fields, "BIMI", Reference, diagnostics);
            var l = RecordTags.Find(fields, "l", caseSensitive: false);
            var a = RecordTags.Find(fields, "a", caseSensitive: false);
            var logos = (l?.Value ?? string.Empty).Split(',').Select(u => u.Trim(' ', '\t')).Where(u => u.Length > 0).ToList();
            record.LogoUris = logos;
            record.AuthorityUri = string.IsNullOrEmpty(a?.Value) ? null : a!.Value;
            record.IsDeclination = logos.Count == 0 && record.AuthorityUri is null;
            if (l is null && a is null)
                diagnostics.Add(new RecordDiagnostic("BIMI.MissingLocation", FindingSeverity.Warning,
                    "The record has neither l= nor a=; receivers read it as a declination (no logo).", Reference));
            foreach (var u in logos)
            {
                if (!IsHttpsUrl(u))
                    diagnostics.Add(new RecordDiagnostic("BIMI.InvalidLogoUri", FindingSeverity.Error,
                        $"l={u} is not an https: URL; receivers fetch the logo over HTTPS only.", Reference, u));
                else if (!new Uri(u).AbsolutePath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
                    diagnostics.Add(new RecordDiagnostic("BIMI.LogoNotSvg", FindingSeverity.Warning,
                        $"l={u} does not end in .svg; the logo must be an SVG Tiny Portable/Secure file.", Reference, u));
            }
            if (record.AuthorityUri != null && !IsHttpsUrl(record.AuthorityUri))
                diagnostics.Add(new RecordDiagnostic("BIMI.InvalidAuthorityUri", FindingSeverity.Error,
                    $"a={record.AuthorityUri} is not an https: URL.", Reference, record.AuthorityUri));
            record.Diagnostics = diagnostics;
            return record;
        }

        private static bool IsHttpsUrl(string u) =>
            u.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Host.Length > 0;

        public override string ToString() => Text;
    }
}
