using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using MailAuth.Findings;

namespace MailAuth.Dmarc
{
    /// <summary>
    /// A parsed DMARC policy record (RFC 9989, "General Record Format" and "Formal Definition"):
    /// <c>dmarc-record = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep]</c>, where <c>dmarc-version</c> is
    /// <c>v=DMARC1</c> and must come first, <c>dmarc-sep</c> is a semicolon with optional spaces or tabs around it,
    /// and each tag is <c>1*ALPHA equals 1*dmarc-value</c>.
    /// <para>
    /// <see cref="Parse"/> never throws: every tag is kept in <see cref="Tags"/> (unknown ones too), each known tag
    /// also as a typed property, and every problem becomes a <see cref="DmarcDiagnostic"/> with its position.
    /// The tags RFC 9989 removed (pct, rf, ri) are read and flagged, since RFC 7489-only receivers still act on them.
    /// </para>
    /// </summary>
    public sealed class DmarcRecord
    {
        /// <summary>Diagnostic ids the parser emits (all in Area "DMARC").</summary>
        public static class DiagnosticIds
        {
            /// <summary>The text does not start with v=DMARC1 (Error: receivers discard it).</summary>
            public const string NotDmarcRecord = "DMARC.NotDmarcRecord";
            /// <summary>v=DMARC1 is present but not the first tag (Error: receivers discard the record).</summary>
            public const string VersionNotFirst = "DMARC.VersionNotFirst";
            /// <summary>The first tag is v= but its value is not exactly "DMARC1" (Error).</summary>
            public const string InvalidVersion = "DMARC.InvalidVersion";
            /// <summary>No p= tag (Error without a usable rua=, otherwise Warning: receivers act as p=none).</summary>
            public const string MissingPolicy = "DMARC.MissingPolicy";
            /// <summary>p= has a value other than none, quarantine or reject (Error).</summary>
            public const string InvalidPolicy = "DMARC.InvalidPolicy";
            /// <summary>A known tag with a value its grammar does not allow (Error for sp/np, Warning otherwise).</summary>
            public const string InvalidValue = "DMARC.InvalidValue";
            /// <summary>The same tag twice (Error).</summary>
            public const string DuplicateTag = "DMARC.DuplicateTag";
            /// <summary>A tag RFC 9989's registry does not define (Warning: ignored, often a typo).</summary>
            public const string UnknownTag = "DMARC.UnknownTag";
            /// <summary>pct, rf or ri: removed by RFC 9989 (Warning or Information, with what RFC 7489 receivers do).</summary>
            public const string RemovedTag = "DMARC.RemovedTag";
            /// <summary>An element without '=' or with an invalid name (Warning: ignored).</summary>
            public const string TagSyntax = "DMARC.TagSyntax";
            /// <summary>Two semicolons with nothing between them (Information).</summary>
            public const string EmptyTag = "DMARC.EmptyTag";
            /// <summary>A tag name or keyword not in lower case (Warning: some receivers compare case-sensitively).</summary>
            public const string UpperCase = "DMARC.UpperCase";
            /// <summary>A rua/ruf URI that cannot be used (Warning; Error when it leaves no usable rua).</summary>
            public const string InvalidReportUri = "DMARC.InvalidReportUri";
            /// <summary>A URI with the RFC 7489 "!size" suffix (Warning).</summary>
            public const string ObsoleteSizeLimit = "DMARC.ObsoleteSizeLimit";
            /// <summary>A URI whose scheme is not mailto (Information: receivers need only support mailto).</summary>
            public const string NonMailtoUri = "DMARC.NonMailtoUri";
            /// <summary>fo= without ruf= (Information: ignored).</summary>
            public const string FailureOptionsWithoutRuf = "DMARC.FailureOptionsWithoutRuf";
        }

        /// <summary>The tags of RFC 9989's DMARC Tag Registry that are current.</summary>
        public static IReadOnlyList<string> KnownTags { get; } = new[] { "v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "fo", "rua", "ruf" };

        /// <summary>The tags RFC 9989 marks historic (defined by RFC 7489).</summary>
        public static IReadOnlyList<string> RemovedTags { get; } = new[] { "pct", "rf", "ri" };

        private const string RefFormat = "RFC 9989, General Record Format";
        private const string RefGrammar = "RFC 9989, Formal Definition";
        private const string RefDiscovery = "RFC 9989, DMARC Policy Discovery";
        private const string RefRemoved = "RFC 9989, Changes from RFC 7489 (Tags Removed)";
        private const string RefUris = "RFC 9989, DMARC URIs";
        private static readonly Regex VersionStart = new Regex(@"^[ \t]*[vV][ \t]*=[ \t]*DMARC1[ \t]*(;|$)", RegexOptions.CultureInvariant);
        private static readonly Regex LooksLikeRegex = new Regex(@"(^|;)[ \t]*v[ \t]*=[ \t]*dmarc", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        private static readonly Regex PolicyLike = new Regex(@"(^|;)[ \t]*p[ \t]*=[ \t]*(none|quarantine|reject)[ \t]*(;|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private DmarcRecord(string text) { Text = text; }

        /// <summary>The record text (TXT character-strings joined).</summary>
        public string Text { get; }
        /// <summary>True when the text starts with v=DMARC1, which is what makes a TXT record a DMARC record.</summary>
        public bool IsDmarcRecord { get; private set; }
        /// <summary>Every tag with a valid shape, in order (duplicates and unknown tags included).</summary>
        public IReadOnlyList<DmarcTag> Tags { get; private set; } = Array.Empty<DmarcTag>();
        /// <summary>The problems found, in text order.</summary>
        public IReadOnlyList<DmarcDiagnostic> Diagnostics { get; private set; } = Array.Empty<DmarcDiagnostic>();
        public bool HasErrors => Diagnostics.Any(d => d.IsError);

        /// <summary>v=: the version as written ("DMARC1" in a valid record).</summary>
        public string? Version { get; private set; }
        /// <summary>p=: the policy for the domain, or null when absent or invalid.</summary>
        public DmarcPolicy? Policy { get; private set; }
        /// <summary>sp=: the policy for existing subdomains, or null when absent or invalid.</summary>
        public DmarcPolicy? SubdomainPolicy { get; private set; }
        /// <summary>np=: the policy for non-existent subdomains, or null when absent or invalid.</summary>
        public DmarcPolicy? NonExistentSubdomainPolicy { get; private set; }
        /// <summary>psd=: y, n or u (the default).</summary>
        public DmarcPsdFlag Psd { get; private set; }
        /// <summary>t=: true for t=y (testing: receivers are asked not to apply the policy).</summary>
        public bool Testing { get; private set; }
        /// <summary>adkim=: DKIM alignment mode (default relaxed).</summary>
        public DmarcAlignmentMode DkimAlignment { get; private set; }
        /// <summary>aspf=: SPF alignment mode (default relaxed).</summary>
        public DmarcAlignmentMode SpfAlignment { get; private set; }
        /// <summary>fo=: failure reporting options as written (default "0").</summary>
        public string FailureReportOptions { get; private set; } = "0";
        /// <summary>rua=: aggregate report URIs, valid or not, in order.</summary>
        public IReadOnlyList<DmarcReportUri> AggregateReportUris { get; private set; } = Array.Empty<DmarcReportUri>();
        /// <summary>ruf=: failure report URIs, valid or not, in order.</summary>
        public IReadOnlyList<DmarcReportUri> FailureReportUris { get; private set; } = Array.Empty<DmarcReportUri>();
        /// <summary>pct= (removed by RFC 9989): the percentage RFC 7489 receivers apply the policy to, or null.</summary>
        public int? Percentage { get; private set; }
        /// <summary>rf= (removed by RFC 9989): failure report format(s) as written, or null.</summary>
        public string? ReportFormat { get; private set; }
        /// <summary>ri= (removed by RFC 9989): requested aggregate report interval in seconds, or null.</summary>
        public long? ReportInterval { get; private set; }

        /// <summary>True when p= is missing or invalid, or sp=/np= is invalid (RFC 9989, DMARC Policy Discovery).</summary>
        public bool PolicyIsUnusable { get; private set; }

        /// <summary>True when rua= holds at least one usable URI.</summary>
        public bool HasUsableAggregateReportUri => AggregateReportUris.Any(u => u.IsValid);

        /// <summary>
        /// The policy a receiver applies to the domain itself: p=; or, when the record has no valid p= (or an invalid
        /// sp=/np=), none if rua= holds a usable URI and null (no DMARC processing) otherwise (RFC 9989, DMARC Policy
        /// Discovery). Null also when the text is not a DMARC record.
        /// </summary>
        public DmarcPolicy? EffectivePolicy => !IsDmarcRecord ? null
            : PolicyIsUnusable ? (HasUsableAggregateReportUri ? DmarcPolicy.None : (DmarcPolicy?)null)
            : Policy;

        /// <summary>The policy for an existing subdomain that has no record of its own: sp=, else p=.</summary>
        public DmarcPolicy? EffectiveSubdomainPolicy => PolicyIsUnusable || !IsDmarcRecord ? EffectivePolicy : SubdomainPolicy ?? Policy;

        /// <summary>The policy for a non-existent subdomain: np=, else sp=, else p=.</summary>
        public DmarcPolicy? EffectiveNonExistentSubdomainPolicy => PolicyIsUnusable || !IsDmarcRecord ? EffectivePolicy : NonExistentSubdomainPolicy ?? SubdomainPolicy ?? Policy;

        /// <summary>The value of the first tag called <paramref name="name"/> (case-insensitive), or null.</summary>
        public string? this[string name] => Tags.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

        /// <summary>True when the text starts with v=DMARC1 (RFC 9989, DNS Tree Walk: other TXT records are discarded).</summary>
        public static bool IsDmarcText(string? text) => text != null && VersionStart.IsMatch(text);

        /// <summary>
        /// True when the text looks like a DMARC record even if receivers would discard it: a v=DMARC tag anywhere
        /// (any case), or a p=none|quarantine|reject tag. Used to spot records at the wrong name or with v= misplaced.
        /// </summary>
        public static bool LooksLikeDmarc(string? text) => text != null && (LooksLikeRegex.IsMatch(text) || PolicyLike.IsMatch(text));

        /// <summary>Parses a record. Never throws; null is parsed as the empty text.</summary>
        public static DmarcRecord Parse(string? text)
        {
            var raw = text ?? string.Empty;
            var r = new DmarcRecord(raw);
            var tags = new List<DmarcTag>();
            var d = new List<DmarcDiagnostic>();
            SplitTags(raw, tags, d);
            r.Tags = tags.AsReadOnly();
            r.IsDmarcRecord = IsDmarcText(raw);
            r.Interpret(d);
            r.Diagnostics = d.OrderBy(x => x.Position).ToList().AsReadOnly();
            return r;
        }

        private static bool IsWsp(char c) => c == ' ' || c == '\t';

        private static void SplitTags(string raw, List<DmarcTag> tags, List<DmarcDiagnostic> d)
        {
            int pos = 0;
            while (pos <= raw.Length)
            {
                int end = raw.IndexOf(';', pos);
                if (end < 0) end = raw.Length;
                int p = pos;
                while (p < end && IsWsp(raw[p])) p++;
                int e = end;
                while (e > p && IsWsp(raw[e - 1])) e--;
                if (p == e)
                {
                    if (end < raw.Length && raw.Substring(end + 1).Trim(' ', '\t').Length > 0)
                        d.Add(new DmarcDiagnostic(DiagnosticIds.EmptyTag, FindingSeverity.Information,
                            "Two semicolons with no tag between them; the grammar has no empty tag.", null, pos, RefGrammar,
                            "Remove the extra semicolon."));
                }
                else
                {
                    ParseTag(raw, p, e, tags, d);
                }
                pos = end + 1;
            }
        }

        private static void ParseTag(string raw, int start, int end, List<DmarcTag> tags, List<DmarcDiagnostic> d)
        {
            int eq = raw.IndexOf('=', start, end - start);
            var spec = raw.Substring(start, end - start);
            if (eq < 0)
            {
                d.Add(new DmarcDiagnostic(DiagnosticIds.TagSyntax, FindingSeverity.Warning,
                    $"'{Shorten(spec)}' has no '='; every element of a DMARC record is tag=value, and receivers ignore this one.",
                    null, start, RefGrammar, "Write it as tag=value, or remove it."));
                return;
            }
            int nameEnd = eq;
            while (nameEnd > start && IsWsp(raw[nameEnd - 1])) nameEnd--;
            var name = raw.Substring(start, nameEnd - start);
            bool nameOk = name.Length > 0 && name.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
            if (!nameOk)
            {
                d.Add(new DmarcDiagnostic(DiagnosticIds.TagSyntax, FindingSeverity.Warning,
                    name.Length == 0 ? "A tag has no name before '='; receivers ignore it."
                        : $"'{Shorten(name)}' is not a valid tag name (letters only); receivers ignore this tag.",
                    name.Length == 0 ? null : name, start, RefGrammar, "Correct the tag name or remove the tag."));
                return;
            }
            int vs = eq + 1;
            while (vs < end && IsWsp(raw[vs])) vs++;
            var value = raw.Substring(vs, end - vs);
            var lower = name.ToLowerInvariant();
            bool known = KnownTags.Contains(lower);
            bool removed = RemovedTags.Contains(lower);
            tags.Add(new DmarcTag(name, value, start, vs, known || removed, removed));
        }

        private void Interpret(List<DmarcDiagnostic> d)
        {
            // Version: must be the first tag, exactly "DMARC1".
            var first = Tags.Count > 0 ? Tags[0] : null;
            var vTag = Tags.FirstOrDefault(t => t.Name.Equals("v", StringComparison.OrdinalIgnoreCase));
            Version = vTag?.Value;
            if (!IsDmarcRecord)
            {
                if (vTag != null && vTag != first)
                    d.Add(new DmarcDiagnostic(DiagnosticIds.VersionNotFirst, FindingSeverity.Error,
                        $"v={vTag.Value} is not the first tag; receivers discard a record that does not start with v=DMARC1.",
                        vTag.Name, vTag.Position, RefFormat, "Move v=DMARC1 to the very start of the record."));
                else if (vTag != null)
                    d.Add(new DmarcDiagnostic(DiagnosticIds.InvalidVersion, FindingSeverity.Error,
                        $"The version is '{vTag.Value}'; it must be exactly DMARC1 (upper case), or receivers discard the record.",
                        vTag.Name, vTag.ValuePosition, RefFormat, "Start the record with v=DMARC1."));
                else
                    d.Add(new DmarcDiagnostic(DiagnosticIds.NotDmarcRecord, FindingSeverity.Error,
                        "The record does not start with v=DMARC1, so receivers do not treat it as a DMARC record.",
                        null, 0, RefFormat, "Start the record with v=DMARC1."));
            }
            else
            {
                if (first!.Name != "v") d.Add(UpperCase(first));
                if (first.Position > 0)
                    d.Add(new DmarcDiagnostic(DiagnosticIds.TagSyntax, FindingSeverity.Warning,
                        "The record starts with whitespace before v=DMARC1; the grammar does not allow it and strict receivers discard the record.",
                        null, 0, RefGrammar, "Remove the whitespace so the record starts with v=DMARC1."));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            bool pSeen = false, pValid = false, spInvalid = false, npInvalid = false;
            foreach (var t in Tags)
            {
                var name = t.Name.ToLowerInvariant();
                if (!seen.Add(name))
                {
                    d.Add(new DmarcDiagnostic(DiagnosticIds.DuplicateTag, FindingSeverity.Error,
                        $"The tag {name}= appears more than once; receivers disagree on which value counts.",
                        t.Name, t.Position, RefGrammar, $"Keep one {name}= tag."));
                    continue;
                }
                if (!t.IsKnown)
                {
                    d.Add(new DmarcDiagnostic(DiagnosticIds.UnknownTag, FindingSeverity.Warning,
                        $"{t.Name}= is not a DMARC tag; receivers ignore it.{Suggest(name)}",
                        t.Name, t.Position, RefFormat, "Correct or remove the tag."));
                    continue;
                }
                if (t.Name != name && t != first) d.Add(UpperCase(t));
                if (t.Value.Length == 0 && name != "v")
                {
                    if (name == "p") { pSeen = true; }
                    if (name == "sp") spInvalid = true;
                    if (name == "np") npInvalid = true;
                    d.Add(new DmarcDiagnostic(name == "p" ? DiagnosticIds.InvalidPolicy : DiagnosticIds.InvalidValue,
                        name == "p" || name == "sp" || name == "np" ? FindingSeverity.Error : FindingSeverity.Warning,
                        $"{name}= has no value.", t.Name, t.ValuePosition, RefGrammar, $"Give {name}= a value or remove it."));
                    continue;
                }
                if (name != "rua" && name != "ruf" && t.Value.Any(c => c < 0x20 || c > 0x7E))
                {
                    var bad = t.Value.First(c => c < 0x20 || c > 0x7E);
                    d.Add(new DmarcDiagnostic(name == "p" ? DiagnosticIds.InvalidPolicy : DiagnosticIds.InvalidValue,
                        name == "p" || name == "sp" || name == "np" ? FindingSeverity.Error : FindingSeverity.Warning,
                        $"The value of {name}= contains the character U+{(int)bad:X4}; DMARC values are printable ASCII.",
                        t.Name, t.ValuePosition, RefGrammar));
                    if (name == "p") pSeen = true;
                    if (name == "sp") spInvalid = true;
                    if (name == "np") npInvalid = true;
                    continue;
                }
                switch (name)
                {
                    case "v": break;
                    case "p":
                        pSeen = true;
                        if (TryPolicy(t, d, out var p)) { Policy = p; pValid = true; }
                        break;
                    case "sp":
                        if (TryPolicy(t, d, out var sp)) SubdomainPolicy = sp; else spInvalid = true;
                        break;
                    case "np":
                        if (TryPolicy(t, d, out var np)) NonExistentSubdomainPolicy = np; else npInvalid = true;
                        break;
                    case "psd":
                        switch (Keyword(t, d))
                        {
                            case "y": Psd = DmarcPsdFlag.Yes; break;
                            case "n": Psd = DmarcPsdFlag.No; break;
                            case "u": Psd = DmarcPsdFlag.Unspecified; break;
                            default: Invalid(t, d, "y, n or u"); break;
                        }
                        break;
                    case "t":
                        switch (Keyword(t, d))
                        {
                            case "y": Testing = true; break;
                            case "n": Testing = false; break;
                            default: Invalid(t, d, "y or n"); break;
                        }
                        break;
                    case "adkim":
                    case "aspf":
                        DmarcAlignmentMode mode;
                        switch (Keyword(t, d))
                        {
                            case "r": mode = DmarcAlignmentMode.Relaxed; break;
                            case "s": mode = DmarcAlignmentMode.Strict; break;
                            default: Invalid(t, d, "r (relaxed) or s (strict)"); continue;
                        }
                        if (name == "adkim") DkimAlignment = mode; else SpfAlignment = mode;
                        break;
                    case "fo":
                        ParseFo(t, d);
                        break;
                    case "rua":
                        AggregateReportUris = ParseUris(t, d);
                        break;
                    case "ruf":
                        FailureReportUris = ParseUris(t, d);
                        break;
                    case "pct":
                        if (int.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pct) && pct <= 100) Percentage = pct;
                        else Invalid(t, d, "a whole number from 0 to 100 (and the tag itself is removed by RFC 9989)");
                        break;
                    case "rf":
                        ReportFormat = t.Value;
                        break;
                    case "ri":
                        if (long.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ri) && ri <= uint.MaxValue) ReportInterval = ri;
                        else Invalid(t, d, "a number of seconds (and the tag itself is removed by RFC 9989)");
                        break;
                }
            }

            foreach (var t in Tags.Where(x => x.IsRemoved).GroupBy(x => x.Name.ToLowerInvariant()).Select(g => g.First()))
                d.Add(RemovedTagDiagnostic(t));

            if (IsDmarcRecord && !pSeen)
            {
                bool rua = HasUsableAggregateReportUri;
                d.Add(new DmarcDiagnostic(DiagnosticIds.MissingPolicy, rua ? FindingSeverity.Warning : FindingSeverity.Error,
                    rua ? "The record has no p= tag; receivers act as if it said p=none."
                        : "The record has no p= tag and no usable rua=; receivers apply no DMARC processing at all.",
                    null, 0, RefDiscovery, "Add p=none, p=quarantine or p=reject right after v=DMARC1."));
            }
            PolicyIsUnusable = !pValid || spInvalid || npInvalid;
            if (!string.Equals(FailureReportOptions, "0", StringComparison.Ordinal) && FailureReportUris.Count == 0)
            {
                var fo = Tags.First(x => x.Name.Equals("fo", StringComparison.OrdinalIgnoreCase));
                d.Add(new DmarcDiagnostic(DiagnosticIds.FailureOptionsWithoutRuf, FindingSeverity.Information,
                    $"fo={fo.Value} has no effect without a ruf= tag.", fo.Name, fo.Position, RefFormat,
                    "Add ruf= with an address for failure reports, or remove fo=."));
            }
        }

        private static string Keyword(DmarcTag t, List<DmarcDiagnostic> d)
        {
            var v = t.Value.Trim(' ', '\t');
            var lower = v.ToLowerInvariant();
            if (v != lower && (lower == "y" || lower == "n" || lower == "u" || lower == "r" || lower == "s" || lower == "none" || lower == "quarantine" || lower == "reject"))
                d.Add(new DmarcDiagnostic(DiagnosticIds.UpperCase, FindingSeverity.Warning,
                    $"{t.Name}={v} is not in lower case; RFC 9989 writes it as {t.Name.ToLowerInvariant()}={lower} and some receivers compare case-sensitively.",
                    t.Name, t.ValuePosition, RefGrammar, $"Write {t.Name.ToLowerInvariant()}={lower}."));
            return lower;
        }

        private static bool TryPolicy(DmarcTag t, List<DmarcDiagnostic> d, out DmarcPolicy policy)
        {
            policy = DmarcPolicy.None;
            switch (Keyword(t, d))
            {
                case "none": policy = DmarcPolicy.None; return true;
                case "quarantine": policy = DmarcPolicy.Quarantine; return true;
                case "reject": policy = DmarcPolicy.Reject; return true;
            }
            var name = t.Name.ToLowerInvariant();
            d.Add(new DmarcDiagnostic(name == "p" ? DiagnosticIds.InvalidPolicy : DiagnosticIds.InvalidValue, FindingSeverity.Error,
                $"{name}={t.Value} is not a policy (none, quarantine or reject); receivers then treat the whole record as p=none if rua= is usable, and ignore it otherwise.",
                t.Name, t.ValuePosition, RefDiscovery, $"Write {name}=none, {name}=quarantine or {name}=reject."));
            return false;
        }

        private static void Invalid(DmarcTag t, List<DmarcDiagnostic> d, string allowed) =>
            d.Add(new DmarcDiagnostic(DiagnosticIds.InvalidValue, FindingSeverity.Warning,
                $"{t.Name}={t.Value} is not valid: the value must be {allowed}. Receivers use the default instead.",
                t.Name, t.ValuePosition, RefGrammar, $"Correct or remove {t.Name}=."));

        private void ParseFo(DmarcTag t, List<DmarcDiagnostic> d)
        {
            // dmarc-fo: "0" / "1" / "d" / "s" / "d:s" / "s:d"; RFC 7489 allowed any colon-separated list of 0, 1, d, s.
            var parts = t.Value.Split(':').Select(p => p.Trim(' ', '\t').ToLowerInvariant()).ToArray();
            if (parts.Length == 0 || parts.Any(p => p != "0" && p != "1" && p != "d" && p != "s") || parts.Distinct().Count() != parts.Length)
            {
                Invalid(t, d, "0, 1, d, s or a colon-separated list of them (d:s)");
                return;
            }
            FailureReportOptions = string.Join(":", parts);
        }

        private IReadOnlyList<DmarcReportUri> ParseUris(DmarcTag t, List<DmarcDiagnostic> d)
        {
            var list = new List<DmarcReportUri>();
            int offset = 0;
            foreach (var part in t.Value.Split(','))
            {
                int at = t.ValuePosition + offset;
                offset += part.Length + 1;
                if (part.Trim(' ', '\t').Length == 0)
                {
                    d.Add(new DmarcDiagnostic(DiagnosticIds.InvalidReportUri, FindingSeverity.Warning,
                        $"{t.Name}= has an empty entry (two commas in a row, or a comma at the end).", t.Name, at, RefUris,
                        "Remove the extra comma."));
                    continue;
                }
                var uri = DmarcReportUri.Parse(part);
                list.Add(uri);
                if (uri.SizeLimit != null)
                    d.Add(new DmarcDiagnostic(DiagnosticIds.ObsoleteSizeLimit, FindingSeverity.Warning,
                        $"'{uri.Text.Trim()}' ends in the size limit !{uri.SizeLimit} of RFC 7489. RFC 9989 removed it and requires '!' to be percent-encoded, so RFC 9989 receivers may treat the URI as malformed; RFC 7489 receivers skip the URI for larger reports.",
                        t.Name, at, RefUris, $"Remove !{uri.SizeLimit} from the URI."));
                if (!uri.IsValid)
                    d.Add(new DmarcDiagnostic(DiagnosticIds.InvalidReportUri, FindingSeverity.Warning,
                        $"{t.Name.ToLowerInvariant()}=: {uri.Problem} Receivers ignore this destination.", t.Name, at, RefUris,
                        "Write each destination as mailto:name@domain, separated by commas."));
                else if (!uri.IsMailto)
                    d.Add(new DmarcDiagnostic(DiagnosticIds.NonMailtoUri, FindingSeverity.Information,
                        $"'{uri.Text.Trim()}' uses the {uri.Scheme}: scheme; receivers are only required to support mailto:, so many will not send there.",
                        t.Name, at, RefFormat, "Add a mailto: destination as well."));
            }
            return list.AsReadOnly();
        }

        private DmarcDiagnostic RemovedTagDiagnostic(DmarcTag t)
        {
            var name = t.Name.ToLowerInvariant();
            switch (name)
            {
                case "pct":
                    if (Percentage == 100)
                        return new DmarcDiagnostic(DiagnosticIds.RemovedTag, FindingSeverity.Information,
                            "pct=100 is the RFC 7489 default and RFC 9989 removed the tag; it changes nothing.",
                            t.Name, t.Position, RefRemoved, "Remove pct=100.");
                    if (Percentage == 0)
                        return new DmarcDiagnostic(DiagnosticIds.RemovedTag, Testing ? FindingSeverity.Information : FindingSeverity.Warning,
                            Testing
                                ? "pct=0 is removed by RFC 9989; with t=y beside it, both RFC 7489 and RFC 9989 receivers treat the policy as a test."
                                : "pct=0 is removed by RFC 9989: RFC 7489 receivers apply the next weaker policy to all failing mail (and mailing lists rewrite From), but RFC 9989 receivers ignore pct and apply the policy in full.",
                            t.Name, t.Position, RefRemoved, Testing ? "Remove pct=0 once RFC 7489-only receivers no longer matter." : "Use t=y for a test (keep pct=0 beside it only for RFC 7489 receivers).");
                    if (Percentage.HasValue)
                        return new DmarcDiagnostic(DiagnosticIds.RemovedTag, FindingSeverity.Warning,
                            $"pct={Percentage} is removed by RFC 9989: RFC 7489 receivers apply the policy to {Percentage}% of failing mail and the next weaker policy to the rest, but RFC 9989 receivers ignore pct and apply the policy to all of it.",
                            t.Name, t.Position, RefRemoved, "Remove pct=; move between none, quarantine and reject instead (t=y for a test).");
                    return new DmarcDiagnostic(DiagnosticIds.RemovedTag, FindingSeverity.Warning,
                        "pct= is removed by RFC 9989; RFC 9989 receivers ignore it.", t.Name, t.Position, RefRemoved, "Remove pct=.");
                case "rf":
                    return new DmarcDiagnostic(DiagnosticIds.RemovedTag, FindingSeverity.Information,
                        $"rf={t.Value} is removed by RFC 9989: failure reports are always in the AFRF format (RFC 6591), which was the only format RFC 7489 defined.",
                        t.Name, t.Position, RefRemoved, "Remove rf=.");
                default:
                    return new DmarcDiagnostic(DiagnosticIds.RemovedTag, FindingSeverity.Information,
                        $"ri={t.Value} is removed by RFC 9989: receivers send aggregate reports at least daily whatever it says (RFC 7489 receivers were only asked to try).",
                        t.Name, t.Position, RefRemoved, "Remove ri=.");
            }
        }

        private static DmarcDiagnostic UpperCase(DmarcTag t) =>
            new DmarcDiagnostic(DiagnosticIds.UpperCase, FindingSeverity.Warning,
                $"The tag name '{t.Name}' is not in lower case; some receivers compare tag names case-sensitively.",
                t.Name, t.Position, RefGrammar, $"Write {t.Name.ToLowerInvariant()}=.");

        private static string Suggest(string name)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["policy"] = "p", ["subdomainpolicy"] = "sp", ["rfu"] = "ruf", ["rau"] = "rua", ["ura"] = "rua", ["ruaf"] = "rua",
                ["dkim"] = "adkim", ["spf"] = "aspf", ["askim"] = "adkim", ["adkin"] = "adkim", ["apsf"] = "aspf", ["test"] = "t",
                ["testing"] = "t", ["version"] = "v", ["nps"] = "np", ["ps"] = "p", ["pd"] = "psd",
            };
            return map.TryGetValue(name, out var s) ? $" Did you mean {s}=?" : string.Empty;
        }

        private static string Shorten(string s) => s.Length <= 40 ? s : s.Substring(0, 37) + "...";

        public override string ToString() => Text;
    }
}
