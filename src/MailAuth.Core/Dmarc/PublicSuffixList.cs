using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace MailAuth.Dmarc
{
    /// <summary>The section of the Public Suffix List a rule comes from.</summary>
    public enum PublicSuffixSection
    {
        /// <summary>Between "===BEGIN ICANN DOMAINS===" and "===END ICANN DOMAINS===": suffixes run by registries.</summary>
        Icann,
        /// <summary>Between "===BEGIN PRIVATE DOMAINS===" and "===END PRIVATE DOMAINS===": suffixes run by companies (blogspot.com, ...).</summary>
        Private,
    }

    /// <summary>A line of a Public Suffix List file that is not a usable rule.</summary>
    public sealed class PublicSuffixDiagnostic
    {
        internal PublicSuffixDiagnostic(int line, string text, string message)
        {
            Line = line;
            Text = text;
            Message = message;
        }

        /// <summary>1-based line number.</summary>
        public int Line { get; }
        public string Text { get; }
        public string Message { get; }

        public override string ToString() => $"line {Line}: {Message} ('{Text}')";
    }

    /// <summary>
    /// The Public Suffix List (https://publicsuffix.org/list/) and its algorithm: rules, wildcard rules (<c>*.ck</c>),
    /// exception rules (<c>!www.ck</c>), the ICANN and private sections, and internationalised rules written in UTF-8,
    /// which are compared on their A-labels (RFC 5890) so that a name matches whichever form it is written in.
    /// <para>
    /// MailAuth bundles Debian's copy of the list (MPL-2.0, see the file header) as an embedded resource:
    /// <see cref="Bundled"/>. A newer copy is read with <see cref="Load"/>. It serves the legacy RFC 7489 §3.2
    /// organisational domain (<see cref="GetOrganizationalDomain"/>) and DKIM relaxed alignment.
    /// </para>
    /// <para><see cref="Parse"/> never throws: lines that are not rules become <see cref="Diagnostics"/>.</para>
    /// </summary>
    public sealed class PublicSuffixList
    {
        private const string ResourceName = "MailAuth.Dmarc.public_suffix_list.dat";
        private static readonly Lazy<PublicSuffixList> BundledList = new Lazy<PublicSuffixList>(LoadBundled);
        private static readonly IdnMapping Idn = new IdnMapping();

        // Keys are A-label names in lower case; the value says which section the rule came from.
        private readonly Dictionary<string, PublicSuffixSection> _rules;
        private readonly Dictionary<string, PublicSuffixSection> _wildcards; // "*.ck" stored as "ck"
        private readonly Dictionary<string, PublicSuffixSection> _exceptions; // "!www.ck" stored as "www.ck"

        private PublicSuffixList(string source, Dictionary<string, PublicSuffixSection> rules, Dictionary<string, PublicSuffixSection> wildcards,
            Dictionary<string, PublicSuffixSection> exceptions, IReadOnlyList<PublicSuffixDiagnostic> diagnostics)
        {
            Source = source;
            _rules = rules;
            _wildcards = wildcards;
            _exceptions = exceptions;
            Diagnostics = diagnostics;
        }

        /// <summary>The list bundled with MailAuth (Debian's <c>publicsuffix</c> package, MPL-2.0).</summary>
        public static PublicSuffixList Bundled => BundledList.Value;

        /// <summary>Where the list came from: "bundled" or a file path.</summary>
        public string Source { get; }

        /// <summary>The number of rules (normal, wildcard and exception).</summary>
        public int RuleCount => _rules.Count + _wildcards.Count + _exceptions.Count;

        /// <summary>Lines that could not be read as rules.</summary>
        public IReadOnlyList<PublicSuffixDiagnostic> Diagnostics { get; }

        /// <summary>Reads a list file (UTF-8). Throws the usual I/O exceptions when the file cannot be read.</summary>
        public static PublicSuffixList Load(string path)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            return Parse(File.ReadAllText(path, Encoding.UTF8), path);
        }

        /// <summary>
        /// Parses list text: one rule per line (the first whitespace-separated word), "//" comments, and the
        /// section markers. Never throws.
        /// </summary>
        public static PublicSuffixList Parse(string? text, string source = "text")
        {
            var rules = new Dictionary<string, PublicSuffixSection>(StringComparer.Ordinal);
            var wildcards = new Dictionary<string, PublicSuffixSection>(StringComparer.Ordinal);
            var exceptions = new Dictionary<string, PublicSuffixSection>(StringComparer.Ordinal);
            var diagnostics = new List<PublicSuffixDiagnostic>();
            var section = PublicSuffixSection.Icann;
            var lines = (text ?? string.Empty).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0) continue;
                if (line.StartsWith("//", StringComparison.Ordinal))
                {
                    if (line.IndexOf("===BEGIN PRIVATE DOMAINS===", StringComparison.Ordinal) >= 0) section = PublicSuffixSection.Private;
                    else if (line.IndexOf("===BEGIN ICANN DOMAINS===", StringComparison.Ordinal) >= 0) section = PublicSuffixSection.Icann;
                    continue;
                }
                int ws = 0;
                while (ws < line.Length && !char.IsWhiteSpace(line[ws])) ws++;
                var rule = line.Substring(0, ws);

                var target = rules;
                var body = rule;
                if (body.StartsWith("!", StringComparison.Ordinal)) { target = exceptions; body = body.Substring(1); }
                else if (body.StartsWith("*.", StringComparison.Ordinal)) { target = wildcards; body = body.Substring(2); }

                if (!TryToAscii(body, out var ascii) || body.IndexOf('*') >= 0 || body.IndexOf('!') >= 0)
                {
                    diagnostics.Add(new PublicSuffixDiagnostic(i + 1, rule, "Not a valid rule: a rule is a domain name, optionally preceded by '*.' or '!'."));
                    continue;
                }
                if (target == exceptions && ascii.IndexOf('.') < 0)
                {
                    diagnostics.Add(new PublicSuffixDiagnostic(i + 1, rule, "An exception rule needs at least two labels."));
                    continue;
                }
                target[ascii] = section;
            }
            return new PublicSuffixList(source, rules, wildcards, exceptions, diagnostics.AsReadOnly());
        }

        /// <summary>
        /// The public suffix of <paramref name="name"/> (for "www.example.co.uk": "co.uk") by the list's algorithm, with
        /// the implicit "*" rule for unlisted top-level domains. Returned in the form the name was written in, lower
        /// case. Null for names that are not domain names (empty, leading dot, empty label).
        /// </summary>
        /// <param name="name">A domain name, in A-labels or U-labels.</param>
        /// <param name="includePrivate">False to use the ICANN section only.</param>
        public string? GetPublicSuffix(string? name, bool includePrivate = true)
        {
            if (!TrySplit(name, out var original, out var ascii)) return null;
            int n = SuffixLabelCount(ascii, includePrivate);
            return Join(original, n);
        }

        /// <summary>
        /// The registrable domain of <paramref name="name"/>: its public suffix and one more label (for
        /// "www.example.co.uk": "example.co.uk"). Null when the name is itself a public suffix or is not a domain name.
        /// Returned in the form the name was written in (A-labels or U-labels), lower case.
        /// </summary>
        public string? GetRegistrableDomain(string? name, bool includePrivate = true)
        {
            if (!TrySplit(name, out var original, out var ascii)) return null;
            int n = SuffixLabelCount(ascii, includePrivate);
            return n >= original.Length ? null : Join(original, n + 1);
        }

        /// <summary>
        /// The organisational domain by the legacy method of RFC 7489 §3.2 (kept in RFC 9989's appendix): the
        /// registrable domain, or the name itself when it is a public suffix (or not a domain name). Never null.
        /// </summary>
        public string GetOrganizationalDomain(string name)
        {
            var registrable = GetRegistrableDomain(name);
            if (registrable != null) return registrable;
            return Dns.DnsName.Normalize(name);
        }

        /// <summary>True when the name is itself a public suffix (com, co.uk, kawasaki.jp's children, blogspot.com).</summary>
        public bool IsPublicSuffix(string? name, bool includePrivate = true)
        {
            if (!TrySplit(name, out var original, out var ascii)) return false;
            return SuffixLabelCount(ascii, includePrivate) >= original.Length;
        }

        /// <summary>How many labels (from the right) form the public suffix of the A-label name.</summary>
        private int SuffixLabelCount(string[] labels, bool includePrivate)
        {
            int count = labels.Length;
            // Exception rules prevail over every other rule: the suffix is the exception minus its leftmost label.
            int best = 0;
            for (int i = 1; i <= count; i++)
            {
                var candidate = Suffix(labels, i);
                if (Matches(_exceptions, candidate, includePrivate)) best = Math.Max(best, i);
            }
            if (best > 0) return best - 1;

            int longest = 1; // the implicit "*" rule
            for (int i = 1; i <= count; i++)
            {
                if (Matches(_rules, Suffix(labels, i), includePrivate)) longest = Math.Max(longest, i);
                if (i >= 2 && Matches(_wildcards, Suffix(labels, i - 1), includePrivate)) longest = Math.Max(longest, i);
            }
            return Math.Min(longest, count);
        }

        private static bool Matches(Dictionary<string, PublicSuffixSection> set, string candidate, bool includePrivate) =>
            set.TryGetValue(candidate, out var section) && (includePrivate || section == PublicSuffixSection.Icann);

        private static string Suffix(string[] labels, int count) => string.Join(".", labels, labels.Length - count, count);

        private static string Join(string[] labels, int count) => string.Join(".", labels, labels.Length - count, count);

        /// <summary>Splits a name into its labels as written (lower case) and as A-labels. False when it is no domain name.</summary>
        private static bool TrySplit(string? name, out string[] original, out string[] ascii)
        {
            original = ascii = Array.Empty<string>();
            if (name is null) return false;
            var n = name.Trim();
            if (n.EndsWith(".", StringComparison.Ordinal)) n = n.Substring(0, n.Length - 1);
            if (n.Length == 0) return false;
            original = n.ToLowerInvariant().Split('.');
            ascii = new string[original.Length];
            for (int i = 0; i < original.Length; i++)
            {
                if (original[i].Length == 0) return false;
                if (!TryToAscii(original[i], out ascii[i])) return false;
            }
            return true;
        }

        /// <summary>Converts a name or label to lower-case A-labels; ASCII input is only lower-cased.</summary>
        private static bool TryToAscii(string value, out string ascii)
        {
            ascii = string.Empty;
            if (value.Length == 0) return false;
            bool nonAscii = false;
            foreach (var c in value)
            {
                if (c > 127) { nonAscii = true; break; }
            }
            if (!nonAscii)
            {
                ascii = value.ToLowerInvariant();
                foreach (var label in ascii.Split('.')) if (label.Length == 0) return false;
                return true;
            }
            try
            {
                ascii = Idn.GetAscii(value).ToLowerInvariant();
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        private static PublicSuffixList LoadBundled()
        {
            var assembly = typeof(PublicSuffixList).Assembly;
            using var stream = assembly.GetManifestResourceStream(ResourceName);
            if (stream is null) return Parse(string.Empty, "bundled (missing)");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return Parse(reader.ReadToEnd(), "bundled");
        }
    }
}
