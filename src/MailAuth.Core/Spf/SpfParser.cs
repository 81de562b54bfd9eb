using System;
using System.Collections.Generic;
using MailAuth.Findings;

namespace MailAuth.Spf
{
    /// <summary>
    /// Parses SPF records by the RFC 7208 §12 grammar. Never throws: every term is kept (invalid ones as
    /// <see cref="SpfInvalidTerm"/>) and every problem becomes an <see cref="SpfDiagnostic"/>.
    /// </summary>
    public static class SpfParser
    {
        /// <summary>Diagnostic ids the parser emits.</summary>
        public static class DiagnosticIds
        {
            public const string NotSpfRecord = "SPF.NotSpfRecord";
            public const string InvalidCharacter = "SPF.InvalidCharacter";
            public const string UnknownMechanism = "SPF.UnknownMechanism";
            public const string SyntaxError = "SPF.SyntaxError";
            public const string InvalidDomainSpec = "SPF.InvalidDomainSpec";
            public const string InvalidMacro = "SPF.InvalidMacro";
            public const string InvalidCidr = "SPF.InvalidCidr";
            public const string InvalidIpAddress = "SPF.InvalidIpAddress";
            public const string DuplicateModifier = "SPF.DuplicateModifier";
        }

        private const string Version = "v=spf1";

        /// <summary>
        /// True when <paramref name="text"/> is an SPF version 1 record: it starts with "v=spf1" (case-insensitive)
        /// followed by a space or the end of the text (RFC 7208 §4.5). TXT records failing this are not SPF records.
        /// </summary>
        public static bool IsSpfRecord(string? text) =>
            text != null && text.Length >= Version.Length &&
            string.Compare(text, 0, Version, 0, Version.Length, StringComparison.OrdinalIgnoreCase) == 0 &&
            (text.Length == Version.Length || text[Version.Length] == ' ');

        /// <summary>Parses an SPF record (the TXT character-strings already joined with nothing between them, RFC 7208 §3.3).</summary>
        public static SpfRecord Parse(string? text)
        {
            var raw = text ?? string.Empty;
            var diagnostics = new List<SpfDiagnostic>();
            var terms = new List<SpfTerm>();
            if (!IsSpfRecord(raw))
            {
                diagnostics.Add(new SpfDiagnostic(DiagnosticIds.NotSpfRecord, FindingSeverity.Error,
                    "The text does not start with \"v=spf1\" followed by a space or the end, so it is not an SPF record.",
                    null, -1, 0, "RFC 7208 §4.5"));
                return new SpfRecord(raw, false, terms, diagnostics);
            }

            int pos = Version.Length;
            while (pos < raw.Length)
            {
                if (raw[pos] == ' ') { pos++; continue; }
                int start = pos;
                while (pos < raw.Length && raw[pos] != ' ') pos++;
                var termText = raw.Substring(start, pos - start);
                terms.Add(ParseTerm(termText, terms.Count, start, diagnostics));
            }

            CheckDuplicates(terms, SpfModifierKind.Redirect, "redirect", diagnostics);
            CheckDuplicates(terms, SpfModifierKind.Explanation, "exp", diagnostics);
            return new SpfRecord(raw, true, terms, diagnostics);
        }

        private static void CheckDuplicates(List<SpfTerm> terms, SpfModifierKind kind, string name, List<SpfDiagnostic> diagnostics)
        {
            bool seen = false;
            foreach (var t in terms)
            {
                if (t is SpfModifier m && m.Kind == kind)
                {
                    if (seen)
                        diagnostics.Add(new SpfDiagnostic(DiagnosticIds.DuplicateModifier, FindingSeverity.Error,
                            $"The {name}= modifier appears more than once; a record may have at most one.",
                            t.Text, t.Index, t.Position, "RFC 7208 §6"));
                    seen = true;
                }
            }
        }

        private static SpfTerm ParseTerm(string text, int index, int position, List<SpfDiagnostic> diagnostics)
        {
            SpfTerm Invalid(string id, string message, string reference, int offset = 0)
            {
                diagnostics.Add(new SpfDiagnostic(id, FindingSeverity.Error, message, text, index, position + offset, reference));
                return new SpfInvalidTerm(text, index, position, id, message);
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < 0x21 || c > 0x7E)
                {
                    var what = c >= 0x80 ? "non-ASCII character" : "control character";
                    return Invalid(DiagnosticIds.InvalidCharacter,
                        $"The term contains the {what} U+{(int)c:X4}; SPF records are 7-bit ASCII and terms are separated by spaces only.",
                        "RFC 7208 §3.1, §4.6.1", i);
                }
            }

            // modifier = name "=" value, name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
            if (SpfMacroString.IsAlpha(text[0]))
            {
                int n = 1;
                while (n < text.Length && IsNameChar(text[n])) n++;
                if (n < text.Length && text[n] == '=')
                    return ParseModifier(text, index, position, text.Substring(0, n), text.Substring(n + 1), Invalid);
            }

            int p = 0;
            bool explicitQualifier = SpfQualifierExtensions.TryFromChar(text[0], out var qualifier);
            if (explicitQualifier) p = 1;
            int nameEnd = p;
            while (nameEnd < text.Length && text[nameEnd] != ':' && text[nameEnd] != '/') nameEnd++;
            var name = text.Substring(p, nameEnd - p);
            var rest = text.Substring(nameEnd);
            SpfMechanismKind kind;
            switch (name.ToLowerInvariant())
            {
                case "all": kind = SpfMechanismKind.All; break;
                case "include": kind = SpfMechanismKind.Include; break;
                case "a": kind = SpfMechanismKind.A; break;
                case "mx": kind = SpfMechanismKind.Mx; break;
                case "ptr": kind = SpfMechanismKind.Ptr; break;
                case "ip4": kind = SpfMechanismKind.Ip4; break;
                case "ip6": kind = SpfMechanismKind.Ip6; break;
                case "exists": kind = SpfMechanismKind.Exists; break;
                default:
                    string msg;
                    if (name.Length == 0) msg = "The term has no mechanism name.";
                    else if (name.IndexOf('=') >= 0) msg = $"'{name}' is neither a mechanism nor a valid modifier (a modifier name starts with a letter and has only letters, digits, '-', '_' and '.').";
                    else if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase) || name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                        msg = $"'{name}' is a modifier and must be written as {name.ToLowerInvariant()}=<domain>.";
                    else msg = $"'{name}' is not a mechanism (all, include, a, mx, ptr, ip4, ip6, exists).";
                    return Invalid(DiagnosticIds.UnknownMechanism, msg, "RFC 7208 §5", p);
            }

            string? domainSpec = null;
            IpNetwork? network = null;
            int? cidr4 = null, cidr6 = null;
            int restOffset = nameEnd;
            switch (kind)
            {
                case SpfMechanismKind.All:
                    if (rest.Length != 0) return Invalid(DiagnosticIds.SyntaxError, "'all' takes no argument and no CIDR length.", "RFC 7208 §5.1", restOffset);
                    break;

                case SpfMechanismKind.Include:
                case SpfMechanismKind.Exists:
                    if (rest.Length == 0 || rest[0] != ':')
                        return Invalid(DiagnosticIds.SyntaxError, $"'{name}' needs ':' and a domain, e.g. {name.ToLowerInvariant()}:example.com.",
                            kind == SpfMechanismKind.Include ? "RFC 7208 §5.2" : "RFC 7208 §5.7", restOffset);
                    domainSpec = rest.Substring(1);
                    {
                        var err = SpfMacroString.ValidateDomainSpec(domainSpec);
                        if (err != null) return Invalid(DomainSpecErrorId(domainSpec), err, "RFC 7208 §7.1", restOffset + 1);
                    }
                    break;

                case SpfMechanismKind.Ptr:
                    if (rest.Length != 0)
                    {
                        if (rest[0] != ':') return Invalid(DiagnosticIds.SyntaxError, "'ptr' takes no CIDR length; only an optional ':domain'.", "RFC 7208 §5.5", restOffset);
                        domainSpec = rest.Substring(1);
                        var err = SpfMacroString.ValidateDomainSpec(domainSpec);
                        if (err != null) return Invalid(DomainSpecErrorId(domainSpec), err, "RFC 7208 §7.1", restOffset + 1);
                    }
                    break;

                case SpfMechanismKind.A:
                case SpfMechanismKind.Mx:
                {
                    var reference = kind == SpfMechanismKind.A ? "RFC 7208 §5.3" : "RFC 7208 §5.4";
                    string body = rest;
                    var cidrError = SplitDualCidr(ref body, out cidr4, out cidr6);
                    if (cidrError != null) return Invalid(DiagnosticIds.InvalidCidr, cidrError, reference, restOffset + body.Length);
                    if (body.Length != 0)
                    {
                        if (body[0] != ':')
                            return Invalid(DiagnosticIds.InvalidCidr, $"'{rest}' is not a valid CIDR length: use /n for IPv4 (0-32) and //n for IPv6 (0-128), e.g. /24//64.", reference, restOffset);
                        domainSpec = body.Substring(1);
                        var err = SpfMacroString.ValidateDomainSpec(domainSpec);
                        if (err != null) return Invalid(DomainSpecErrorId(domainSpec), err, "RFC 7208 §7.1", restOffset + 1);
                    }
                    break;
                }

                case SpfMechanismKind.Ip4:
                case SpfMechanismKind.Ip6:
                {
                    bool v4 = kind == SpfMechanismKind.Ip4;
                    var reference = "RFC 7208 §5.6";
                    if (rest.Length == 0 || rest[0] != ':')
                        return Invalid(DiagnosticIds.SyntaxError, v4 ? "'ip4' needs ':' and an address, e.g. ip4:192.0.2.0/24." : "'ip6' needs ':' and an address, e.g. ip6:2001:db8::/32.", reference, restOffset);
                    var value = rest.Substring(1);
                    int slash = value.IndexOf('/');
                    var addrText = slash < 0 ? value : value.Substring(0, slash);
                    System.Net.IPAddress? addr;
                    bool ok = v4 ? IpNetwork.TryParseIPv4Strict(addrText, out addr) : IpNetwork.TryParseIPv6Strict(addrText, out addr);
                    if (!ok)
                    {
                        string msg = v4
                            ? $"'{addrText}' is not an IPv4 address in dotted-quad form (four numbers 0-255 without leading zeros; no ports, no shortened forms)."
                            : $"'{addrText}' is not an IPv6 address.";
                        if (!v4 && IpNetwork.TryParseIPv4Strict(addrText, out _)) msg += " Use ip4: for IPv4 addresses.";
                        if (v4 && IpNetwork.TryParseIPv6Strict(addrText, out _)) msg += " Use ip6: for IPv6 addresses.";
                        return Invalid(DiagnosticIds.InvalidIpAddress, msg, reference, restOffset + 1);
                    }
                    int max = v4 ? 32 : 128;
                    int prefix = max;
                    if (slash >= 0)
                    {
                        var digits = value.Substring(slash + 1);
                        if (!IpNetwork.TryParsePrefix(digits, max, out prefix))
                            return Invalid(DiagnosticIds.InvalidCidr,
                                $"'/{digits}' is not a valid {(v4 ? "IPv4" : "IPv6")} prefix length (0-{max}, no leading zeros{(v4 ? "" : ", a single '/'")}).",
                                reference, restOffset + 1 + slash);
                    }
                    network = new IpNetwork(addr!, prefix);
                    break;
                }
            }

            return new SpfMechanism(text, index, position, qualifier, explicitQualifier, kind, domainSpec, network, cidr4, cidr6);
        }

        private static string DomainSpecErrorId(string domainSpec) =>
            domainSpec.IndexOf('%') >= 0 && SpfMacroString.Validate(domainSpec, SpfMacroContext.DomainSpec) != null
                ? DiagnosticIds.InvalidMacro
                : DiagnosticIds.InvalidDomainSpec;

        private static SpfTerm ParseModifier(string text, int index, int position, string name, string value,
            Func<string, string, string, int, SpfTerm> invalid)
        {
            int valueOffset = name.Length + 1;
            if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase) || name.Equals("exp", StringComparison.OrdinalIgnoreCase))
            {
                bool redirect = name.Length == 8;
                var reference = redirect ? "RFC 7208 §6.1" : "RFC 7208 §6.2";
                var err = SpfMacroString.ValidateDomainSpec(value);
                if (err != null) return invalid(DomainSpecErrorId(value), $"{name.ToLowerInvariant()}=: {err}", reference, valueOffset);
                return new SpfModifier(text, index, position, name, value, redirect ? SpfModifierKind.Redirect : SpfModifierKind.Explanation);
            }
            var macroErr = SpfMacroString.Validate(value, SpfMacroContext.UnknownModifier);
            if (macroErr != null) return invalid(DiagnosticIds.InvalidMacro, $"The value of the modifier '{name}' is not a valid macro-string: {macroErr}", "RFC 7208 §6, §7.1", valueOffset);
            return new SpfModifier(text, index, position, name, value, SpfModifierKind.Unknown);
        }

        /// <summary>Strips a trailing dual-cidr-length ("/n", "//n" or "/n//n") from <paramref name="body"/>.</summary>
        private static string? SplitDualCidr(ref string body, out int? cidr4, out int? cidr6)
        {
            cidr4 = null;
            cidr6 = null;
            int last = body.LastIndexOf('/');
            if (last >= 1 && body[last - 1] == '/' && AllDigits(body, last + 1))
            {
                var digits = body.Substring(last + 1);
                if (!IpNetwork.TryParsePrefix(digits, 128, out var v6))
                {
                    body = body.Substring(0, last - 1);
                    return $"'//{digits}' is not a valid IPv6 CIDR length (0-128, no leading zeros).";
                }
                cidr6 = v6;
                body = body.Substring(0, last - 1);
                last = body.LastIndexOf('/');
            }
            if (last >= 0 && (last == 0 || body[last - 1] != '/') && AllDigits(body, last + 1))
            {
                var digits = body.Substring(last + 1);
                if (!IpNetwork.TryParsePrefix(digits, 32, out var v4))
                {
                    body = body.Substring(0, last);
                    return $"'/{digits}' is not a valid IPv4 CIDR length (0-32, no leading zeros).";
                }
                cidr4 = v4;
                body = body.Substring(0, last);
            }
            return null;
        }

        private static bool AllDigits(string s, int start)
        {
            if (start >= s.Length) return false;
            for (int i = start; i < s.Length; i++) if (s[i] < '0' || s[i] > '9') return false;
            return true;
        }

        private static bool IsNameChar(char c) =>
            SpfMacroString.IsAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    }
}
