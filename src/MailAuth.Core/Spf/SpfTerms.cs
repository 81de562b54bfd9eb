using System;
using System.Net;

namespace MailAuth.Spf
{
    /// <summary>The qualifier in front of a mechanism (RFC 7208 §4.6.2); the result when the mechanism matches.</summary>
    public enum SpfQualifier
    {
        /// <summary>"+" (the default when no qualifier is written).</summary>
        Pass,
        /// <summary>"-"</summary>
        Fail,
        /// <summary>"~"</summary>
        SoftFail,
        /// <summary>"?"</summary>
        Neutral,
    }

    /// <summary>The eight mechanisms of RFC 7208 §5.</summary>
    public enum SpfMechanismKind
    {
        All,
        Include,
        A,
        Mx,
        Ptr,
        Ip4,
        Ip6,
        Exists,
    }

    /// <summary>Modifier kinds (RFC 7208 §6): redirect=, exp=, and any other name (kept, ignored by evaluation).</summary>
    public enum SpfModifierKind
    {
        Redirect,
        Explanation,
        Unknown,
    }

    public static class SpfQualifierExtensions
    {
        /// <summary>The qualifier character: '+', '-', '~' or '?'.</summary>
        public static char ToChar(this SpfQualifier qualifier)
        {
            switch (qualifier)
            {
                case SpfQualifier.Fail: return '-';
                case SpfQualifier.SoftFail: return '~';
                case SpfQualifier.Neutral: return '?';
                default: return '+';
            }
        }

        /// <summary>Maps '+', '-', '~', '?' to the qualifier; false for any other character.</summary>
        public static bool TryFromChar(char c, out SpfQualifier qualifier)
        {
            switch (c)
            {
                case '+': qualifier = SpfQualifier.Pass; return true;
                case '-': qualifier = SpfQualifier.Fail; return true;
                case '~': qualifier = SpfQualifier.SoftFail; return true;
                case '?': qualifier = SpfQualifier.Neutral; return true;
                default: qualifier = SpfQualifier.Pass; return false;
            }
        }

        /// <summary>The check_host() result a matching mechanism with this qualifier produces (RFC 7208 §4.6.2).</summary>
        public static SpfResult ToResult(this SpfQualifier qualifier)
        {
            switch (qualifier)
            {
                case SpfQualifier.Fail: return SpfResult.Fail;
                case SpfQualifier.SoftFail: return SpfResult.SoftFail;
                case SpfQualifier.Neutral: return SpfResult.Neutral;
                default: return SpfResult.Pass;
            }
        }
    }

    /// <summary>One space-separated term of an SPF record (RFC 7208 §4.6.1): a directive (mechanism), a modifier, or an invalid term.</summary>
    public abstract class SpfTerm
    {
        private protected SpfTerm(string text, int index, int position)
        {
            Text = text;
            Index = index;
            Position = position;
        }

        /// <summary>The term exactly as written in the record.</summary>
        public string Text { get; }

        /// <summary>Zero-based index of the term in <see cref="SpfRecord.Terms"/>.</summary>
        public int Index { get; }

        /// <summary>Zero-based character offset of the term in <see cref="SpfRecord.Raw"/>.</summary>
        public int Position { get; }

        /// <summary>True for the terms that cause DNS queries and count toward the limit of 10 (RFC 7208 §4.6.4):
        /// include, a, mx, ptr, exists and the redirect modifier.</summary>
        public abstract bool CountsTowardLookupLimit { get; }

        public override string ToString() => Text;
    }

    /// <summary>A directive: optional qualifier and a mechanism (RFC 7208 §4.6.2, §5).</summary>
    public sealed class SpfMechanism : SpfTerm
    {
        internal SpfMechanism(string text, int index, int position, SpfQualifier qualifier, bool hasExplicitQualifier,
            SpfMechanismKind kind, string? domainSpec, IpNetwork? network, int? cidr4, int? cidr6)
            : base(text, index, position)
        {
            Qualifier = qualifier;
            HasExplicitQualifier = hasExplicitQualifier;
            Kind = kind;
            DomainSpec = domainSpec;
            Network = network;
            Cidr4 = cidr4;
            Cidr6 = cidr6;
        }

        public SpfQualifier Qualifier { get; }

        /// <summary>The qualifier character ('+' also when none was written).</summary>
        public char QualifierChar => Qualifier.ToChar();

        /// <summary>True when the qualifier was written; false when the default '+' applies.</summary>
        public bool HasExplicitQualifier { get; }

        public SpfMechanismKind Kind { get; }

        /// <summary>The mechanism name in lower case: "all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists".</summary>
        public string Name => Kind.ToString().ToLowerInvariant();

        /// <summary>The domain-spec as written (may contain macros, RFC 7208 §7); null when the mechanism has none.</summary>
        public string? DomainSpec { get; }

        /// <summary>For ip4/ip6: the network (a missing CIDR length means /32 or /128).</summary>
        public IpNetwork? Network { get; }

        /// <summary>For ip4/ip6: the address as written.</summary>
        public IPAddress? Address => Network?.Address;

        /// <summary>For ip4/ip6: the prefix length in effect.</summary>
        public int? PrefixLength => Network?.PrefixLength;

        /// <summary>For a/mx: the ip4-cidr-length written, or null (then /32 applies).</summary>
        public int? Cidr4 { get; }

        /// <summary>For a/mx: the ip6-cidr-length written, or null (then /128 applies).</summary>
        public int? Cidr6 { get; }

        /// <summary>For a/mx: the IPv4 prefix length in effect (RFC 7208 §5.3: 32 when absent).</summary>
        public int EffectiveCidr4 => Cidr4 ?? 32;

        /// <summary>For a/mx: the IPv6 prefix length in effect (RFC 7208 §5.3: 128 when absent).</summary>
        public int EffectiveCidr6 => Cidr6 ?? 128;

        /// <summary>include, a, mx, ptr and exists cause DNS lookups (RFC 7208 §4.6.4).</summary>
        public override bool CountsTowardLookupLimit =>
            Kind == SpfMechanismKind.Include || Kind == SpfMechanismKind.A || Kind == SpfMechanismKind.Mx ||
            Kind == SpfMechanismKind.Ptr || Kind == SpfMechanismKind.Exists;
    }

    /// <summary>A modifier: name "=" value (RFC 7208 §4.6.1, §6).</summary>
    public sealed class SpfModifier : SpfTerm
    {
        internal SpfModifier(string text, int index, int position, string name, string value, SpfModifierKind kind)
            : base(text, index, position)
        {
            Name = name;
            Value = value;
            Kind = kind;
        }

        /// <summary>The modifier name as written (compare case-insensitively).</summary>
        public string Name { get; }

        /// <summary>The text after '=' (a domain-spec for redirect and exp, a macro-string otherwise).</summary>
        public string Value { get; }

        public SpfModifierKind Kind { get; }

        /// <summary>redirect= causes a lookup (RFC 7208 §4.6.4); exp= does not count.</summary>
        public override bool CountsTowardLookupLimit => Kind == SpfModifierKind.Redirect;
    }

    /// <summary>A term that does not satisfy the RFC 7208 §12 grammar. Its presence makes check_host() return permerror.</summary>
    public sealed class SpfInvalidTerm : SpfTerm
    {
        internal SpfInvalidTerm(string text, int index, int position, string diagnosticId, string reason)
            : base(text, index, position)
        {
            DiagnosticId = diagnosticId;
            Reason = reason;
        }

        /// <summary>The id of the diagnostic that describes the problem (also in <see cref="SpfRecord.Diagnostics"/>).</summary>
        public string DiagnosticId { get; }

        /// <summary>Why the term is invalid, for people.</summary>
        public string Reason { get; }

        public override bool CountsTowardLookupLimit => false;
    }
}
