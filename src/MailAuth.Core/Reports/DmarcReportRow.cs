using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace MailAuth.Reports
{
    /// <summary>Which aggregate-report schema a report follows.</summary>
    public enum DmarcReportSchema
    {
        /// <summary>RFC 7489 Appendix C (no namespace, or http://dmarc.org/dmarc-xml/0.1), including older drafts.</summary>
        Rfc7489,
        /// <summary>RFC 9990 (namespace urn:ietf:params:xml:ns:dmarc-2.0).</summary>
        Rfc9990,
    }

    /// <summary>One DKIM result of a record's auth_results (RFC 9990 §3.1.1, DKIMAuthResultType).</summary>
    public sealed class DmarcDkimAuthResult
    {
        internal DmarcDkimAuthResult(string? domain, string? selector, string? result, string? humanResult)
        {
            Domain = domain; Selector = selector; Result = result; HumanResult = humanResult;
        }

        /// <summary>The signature's d= domain, lower-case.</summary>
        public string? Domain { get; }
        /// <summary>The signature's s= selector (required by RFC 9990, optional in RFC 7489).</summary>
        public string? Selector { get; }
        /// <summary>none, pass, fail, policy, neutral, temperror or permerror; always lower-case ("PASS" reads as "pass").</summary>
        public string? Result { get; }
        public string? HumanResult { get; }

        public override string ToString() => $"{Domain}{(Selector is null ? "" : "/" + Selector)}={Result}";
    }

    /// <summary>One SPF result of a record's auth_results (RFC 9990 §3.1.1, SPFAuthResultType).</summary>
    public sealed class DmarcSpfAuthResult
    {
        internal DmarcSpfAuthResult(string? domain, string? scope, string? result, string? humanResult)
        {
            Domain = domain; Scope = scope; Result = result; HumanResult = humanResult;
        }

        /// <summary>The checked domain, lower-case.</summary>
        public string? Domain { get; }
        /// <summary>helo or mfrom, lower-case (absent in older reports).</summary>
        public string? Scope { get; }
        /// <summary>none, neutral, pass, fail, softfail, temperror or permerror; always lower-case.</summary>
        public string? Result { get; }
        public string? HumanResult { get; }

        public override string ToString() => $"{Domain}{(Scope is null ? "" : "/" + Scope)}={Result}";
    }

    /// <summary>A policy override reason of policy_evaluated (RFC 9990 PolicyOverrideReason).</summary>
    public sealed class DmarcPolicyOverride
    {
        internal DmarcPolicyOverride(string? type, string? comment) { Type = type; Comment = comment; }

        /// <summary>trusted_forwarder, mailing_list, local_policy, policy_test_mode, forwarded, sampled_out or other; lower-case.</summary>
        public string? Type { get; }
        public string? Comment { get; }

        public override string ToString() => Comment is null ? Type ?? "" : $"{Type} ({Comment})";
    }

    /// <summary>A read-only list whose text form lists its items, so collections read well in Export-Csv.</summary>
    public sealed class DmarcReportList<T> : ReadOnlyCollection<T>
    {
        internal static readonly DmarcReportList<T> Empty = new DmarcReportList<T>(new List<T>());

        internal DmarcReportList(IList<T> items) : base(items) { }

        public override string ToString() => string.Join("; ", this.Select(i => i?.ToString()));
    }

    /// <summary>What a report says about itself and the policy it was evaluated against; shared by the rows of one report.</summary>
    internal sealed class DmarcReportHeader
    {
        public string Path = "";
        public string? Entry;
        public DmarcReportSchema Schema;
        public string? Version;
        public string? OrgName;
        public string? Email;
        public string? ExtraContactInfo;
        public string? ReportId;
        public DateTime? BeginDate;
        public DateTime? EndDate;
        public string? Generator;
        public List<string> Errors = new List<string>();
        public string? PolicyDomain;
        public string? PolicyAdkim;
        public string? PolicyAspf;
        public string? PolicyP;
        public string? PolicySp;
        public string? PolicyNp;
        public int? PolicyPct;
        public string? PolicyFo;
        public string? PolicyTesting;
        public string? PolicyPsd;
        public string? PolicyDiscoveryMethod;

        /// <summary>An unchanging copy for the rows of the records that follow.</summary>
        public DmarcReportHeader Snapshot()
        {
            var copy = (DmarcReportHeader)MemberwiseClone();
            copy.Errors = new List<string>(Errors);
            copy.ErrorList = new DmarcReportList<string>(copy.Errors);
            return copy;
        }

        public DmarcReportList<string> ErrorList = DmarcReportList<string>.Empty;
    }

    /// <summary>
    /// One <c>record</c> of a DMARC aggregate report (RFC 9990 §3, RFC 7489 Appendix C) as one flat row: who reported,
    /// for which period, the published policy, the source and count, the DMARC evaluation, the identifiers and the DKIM and SPF
    /// results. The first DKIM and SPF results are flat columns (for Export-Csv and for piping into Test-DkimSelector by
    /// DkimDomain and DkimSelector); all of them are in <see cref="DkimResults"/> and <see cref="SpfResults"/>.
    /// Result, policy and disposition values are trimmed and lower-case; domains are lower-case.
    /// </summary>
    public sealed class DmarcReportRow
    {
        private readonly DmarcReportHeader _h;

        internal DmarcReportRow(DmarcReportHeader header, int recordNumber, string? sourceIp, long? count, string? disposition,
            string? evaluatedDkim, string? evaluatedSpf, IList<DmarcPolicyOverride> overrides, string? headerFrom, string? envelopeFrom,
            string? envelopeTo, IList<DmarcDkimAuthResult> dkim, IList<DmarcSpfAuthResult> spf)
        {
            _h = header;
            RecordNumber = recordNumber;
            SourceIp = sourceIp;
            Count = count;
            Disposition = disposition;
            EvaluatedDkim = evaluatedDkim;
            EvaluatedSpf = evaluatedSpf;
            OverrideReasons = overrides.Count == 0 ? DmarcReportList<DmarcPolicyOverride>.Empty : new DmarcReportList<DmarcPolicyOverride>(overrides);
            HeaderFrom = headerFrom;
            EnvelopeFrom = envelopeFrom;
            EnvelopeTo = envelopeTo;
            DkimResults = dkim.Count == 0 ? DmarcReportList<DmarcDkimAuthResult>.Empty : new DmarcReportList<DmarcDkimAuthResult>(dkim);
            SpfResults = spf.Count == 0 ? DmarcReportList<DmarcSpfAuthResult>.Empty : new DmarcReportList<DmarcSpfAuthResult>(spf);
        }

        /// <summary>The file the report came from.</summary>
        public string Path => _h.Path;
        /// <summary>The zip entry or e-mail attachment holding the report, when it was inside one.</summary>
        public string? Entry => _h.Entry;

        // report_metadata
        public string? OrgName => _h.OrgName;
        public string? Email => _h.Email;
        public string? ReportId => _h.ReportId;
        /// <summary>Start of the reporting period (date_range/begin, seconds since the epoch), UTC.</summary>
        public DateTime? BeginDate => _h.BeginDate;
        /// <summary>End of the reporting period (date_range/end), UTC.</summary>
        public DateTime? EndDate => _h.EndDate;

        // policy_published
        /// <summary>The domain at which the DMARC record was found.</summary>
        public string? PolicyDomain => _h.PolicyDomain;
        public string? PolicyP => _h.PolicyP;
        public string? PolicySp => _h.PolicySp;
        /// <summary>np= (RFC 9989), policy for non-existent subdomains.</summary>
        public string? PolicyNp => _h.PolicyNp;
        public string? PolicyAdkim => _h.PolicyAdkim;
        public string? PolicyAspf => _h.PolicyAspf;
        /// <summary>pct= (RFC 7489 only; removed by RFC 9989).</summary>
        public int? PolicyPct => _h.PolicyPct;
        public string? PolicyFo => _h.PolicyFo;
        /// <summary>t= (RFC 9989 testing mode; written testing or t), y or n.</summary>
        public string? PolicyTesting => _h.PolicyTesting;
        /// <summary>psd= (RFC 9989).</summary>
        public string? PolicyPsd => _h.PolicyPsd;
        /// <summary>discovery_method (RFC 9990): treewalk or psl.</summary>
        public string? PolicyDiscoveryMethod => _h.PolicyDiscoveryMethod;

        // row
        /// <summary>The sending IP address (normalised when it parses as one).</summary>
        public string? SourceIp { get; }
        /// <summary>The number of messages this record covers; null when absent or not a number.</summary>
        public long? Count { get; }
        /// <summary>The policy applied: none, quarantine, reject (or pass in some RFC 9990 reports).</summary>
        public string? Disposition { get; }
        /// <summary>policy_evaluated/dkim: the DMARC-aligned DKIM verdict, pass or fail.</summary>
        public string? EvaluatedDkim { get; }
        /// <summary>policy_evaluated/spf: the DMARC-aligned SPF verdict, pass or fail.</summary>
        public string? EvaluatedSpf { get; }
        /// <summary>The type of the first policy override reason.</summary>
        public string? OverrideReason => OverrideReasons.Count > 0 ? OverrideReasons[0].Type : null;

        // identifiers
        public string? HeaderFrom { get; }
        public string? EnvelopeFrom { get; }
        public string? EnvelopeTo { get; }

        // first auth results, flat
        public string? DkimDomain => DkimResults.Count > 0 ? DkimResults[0].Domain : null;
        public string? DkimSelector => DkimResults.Count > 0 ? DkimResults[0].Selector : null;
        public string? DkimResult => DkimResults.Count > 0 ? DkimResults[0].Result : null;
        public string? SpfDomain => SpfResults.Count > 0 ? SpfResults[0].Domain : null;
        public string? SpfScope => SpfResults.Count > 0 ? SpfResults[0].Scope : null;
        public string? SpfResult => SpfResults.Count > 0 ? SpfResults[0].Result : null;

        // all of them
        public DmarcReportList<DmarcDkimAuthResult> DkimResults { get; }
        public DmarcReportList<DmarcSpfAuthResult> SpfResults { get; }
        public DmarcReportList<DmarcPolicyOverride> OverrideReasons { get; }

        /// <summary>The 1-based position of this record in its report.</summary>
        public int RecordNumber { get; }
        public DmarcReportSchema ReportSchema => _h.Schema;
        /// <summary>The report's version element, when present.</summary>
        public string? ReportVersion => _h.Version;
        public string? ExtraContactInfo => _h.ExtraContactInfo;
        /// <summary>report_metadata/generator (RFC 9990).</summary>
        public string? Generator => _h.Generator;
        /// <summary>report_metadata/error elements.</summary>
        public DmarcReportList<string> ReportErrors => _h.ErrorList;

        public override string ToString() => $"{OrgName} {ReportId} #{RecordNumber}: {SourceIp} x{Count} {Disposition}";
    }
}
