using MailAuth.Findings;

namespace MailAuth.Dmarc
{
    /// <summary>A Domain Owner Assessment Policy: the value of p=, sp= and np= (RFC 9989, "General Record Format").</summary>
    public enum DmarcPolicy
    {
        /// <summary>No preference: monitoring only, mail is handled as without DMARC.</summary>
        None,
        /// <summary>Failing mail is suspicious (typically delivered to the spam folder).</summary>
        Quarantine,
        /// <summary>Failing mail is not valid use of the domain (typically rejected in SMTP).</summary>
        Reject,
    }

    /// <summary>Identifier alignment mode of adkim= and aspf= ("r" or "s"; default relaxed).</summary>
    public enum DmarcAlignmentMode
    {
        Relaxed,
        Strict,
    }

    /// <summary>The psd= flag of RFC 9989: is the record published for a Public Suffix Domain?</summary>
    public enum DmarcPsdFlag
    {
        /// <summary>psd=u, the default: an ordinary domain; the tree walk decides the organisational domain.</summary>
        Unspecified,
        /// <summary>psd=y: a Public Suffix Domain; the organisational domain is one label below it.</summary>
        Yes,
        /// <summary>psd=n: this domain is the organisational domain of itself and its subdomains.</summary>
        No,
    }

    /// <summary>How the organisational domain and the policy record are found.</summary>
    public enum DmarcDiscoveryMethod
    {
        /// <summary>RFC 9989 DNS tree walk (at most five queries, psd= handling).</summary>
        TreeWalk,
        /// <summary>The legacy RFC 7489 §6.6.3 method: the domain, then its organisational domain by the Public Suffix List.</summary>
        PublicSuffixList,
    }

    /// <summary>Where the policy record that applies to the name asked was found.</summary>
    public enum DmarcRecordLocation
    {
        /// <summary>No applicable record.</summary>
        None,
        /// <summary>At _dmarc.&lt;domain&gt; itself (p= applies).</summary>
        Domain,
        /// <summary>At the organisational domain (sp= or np= applies).</summary>
        OrganizationalDomain,
        /// <summary>At a Public Suffix Domain with psd=y (sp= or np= applies).</summary>
        PublicSuffixDomain,
    }

    /// <summary>
    /// A problem the parser found in a DMARC record. Ids are stable ("DMARC.InvalidPolicy", "DMARC.DuplicateTag", ...);
    /// see <see cref="DmarcRecord.DiagnosticIds"/>.
    /// </summary>
    public sealed class DmarcDiagnostic
    {
        public DmarcDiagnostic(string id, FindingSeverity severity, string message, string? tag, int position, string? reference, string? remediation = null)
        {
            Id = id;
            Severity = severity;
            Message = message;
            Tag = tag;
            Position = position;
            Reference = reference;
            Remediation = remediation;
        }

        /// <summary>Stable identifier, e.g. "DMARC.InvalidPolicy".</summary>
        public string Id { get; }
        public FindingSeverity Severity { get; }
        public string Message { get; }
        /// <summary>The tag concerned (as written), or null for a problem of the whole record.</summary>
        public string? Tag { get; }
        /// <summary>Character offset in the record text where the problem starts.</summary>
        public int Position { get; }
        /// <summary>The RFC section behind the rule.</summary>
        public string? Reference { get; }
        /// <summary>What to change, when the parser can say.</summary>
        public string? Remediation { get; }

        public bool IsError => Severity == FindingSeverity.Error;

        public override string ToString() => Tag is null ? $"{Id} at {Position}: {Message}" : $"{Id} at {Position} ({Tag}=): {Message}";
    }

    /// <summary>One tag=value pair of a DMARC record, as written.</summary>
    public sealed class DmarcTag
    {
        internal DmarcTag(string name, string value, int position, int valuePosition, bool isKnown, bool isRemoved)
        {
            Name = name;
            Value = value;
            Position = position;
            ValuePosition = valuePosition;
            IsKnown = isKnown;
            IsRemoved = isRemoved;
        }

        /// <summary>The tag name as written.</summary>
        public string Name { get; }
        /// <summary>The value without the whitespace around it.</summary>
        public string Value { get; }
        /// <summary>Character offset of the name in the record.</summary>
        public int Position { get; }
        /// <summary>Character offset of the value.</summary>
        public int ValuePosition { get; }
        /// <summary>True for the tags of RFC 9989's registry, the removed ones included.</summary>
        public bool IsKnown { get; }
        /// <summary>True for pct, rf and ri: defined by RFC 7489, historic in RFC 9989 (receivers ignore them).</summary>
        public bool IsRemoved { get; }

        public override string ToString() => Name + "=" + Value;
    }
}
