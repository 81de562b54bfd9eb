using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAuth.Spf
{
    /// <summary>
    /// A parsed SPF record (RFC 7208 §4.5, §4.6, §12) with the problems found. Produced by <see cref="SpfParser.Parse"/>;
    /// never null, even for garbage input.
    /// </summary>
    public sealed class SpfRecord
    {
        internal SpfRecord(string raw, bool isSpf, IReadOnlyList<SpfTerm> terms, IReadOnlyList<SpfDiagnostic> diagnostics)
        {
            Raw = raw;
            HasValidVersion = isSpf;
            Terms = terms;
            Diagnostics = diagnostics;
            Mechanisms = terms.OfType<SpfMechanism>().ToArray();
            Modifiers = terms.OfType<SpfModifier>().ToArray();
            InvalidTerms = terms.OfType<SpfInvalidTerm>().ToArray();
            Redirect = Modifiers.FirstOrDefault(m => m.Kind == SpfModifierKind.Redirect);
            Explanation = Modifiers.FirstOrDefault(m => m.Kind == SpfModifierKind.Explanation);
            HasErrors = diagnostics.Any(d => d.IsError);
        }

        /// <summary>The record text as given (TXT character-strings already joined).</summary>
        public string Raw { get; }

        /// <summary>True when the text starts with "v=spf1" (case-insensitive) followed by a space or the end (RFC 7208 §4.5).</summary>
        public bool HasValidVersion { get; }

        /// <summary>The version tag, "v=spf1" as written, or null when the text is not an SPF record.</summary>
        public string? Version => HasValidVersion ? Raw.Substring(0, 6) : null;

        /// <summary>All terms in record order, including invalid ones.</summary>
        public IReadOnlyList<SpfTerm> Terms { get; }

        /// <summary>The valid directives, in order.</summary>
        public IReadOnlyList<SpfMechanism> Mechanisms { get; }

        /// <summary>The valid modifiers, in order.</summary>
        public IReadOnlyList<SpfModifier> Modifiers { get; }

        /// <summary>Terms that failed the grammar.</summary>
        public IReadOnlyList<SpfInvalidTerm> InvalidTerms { get; }

        /// <summary>The (first) redirect= modifier, or null.</summary>
        public SpfModifier? Redirect { get; }

        /// <summary>The (first) exp= modifier, or null.</summary>
        public SpfModifier? Explanation { get; }

        public IReadOnlyList<SpfDiagnostic> Diagnostics { get; }

        /// <summary>True when any error diagnostic exists: check_host() on this record returns permerror (RFC 7208 §4.6).</summary>
        public bool HasErrors { get; }

        /// <summary>True when the record has a valid version and no errors.</summary>
        public bool IsValid => HasValidVersion && !HasErrors;

        /// <summary>Number of terms that count toward the DNS lookup limit in this record alone (RFC 7208 §4.6.4).</summary>
        public int LookupTermCount => Terms.Count(t => t.CountsTowardLookupLimit);

        public override string ToString() => Raw;
    }
}
