using System.Collections.Generic;
using System.Net;

namespace MailAuth.Spf
{
    /// <summary>What happened at one step of an evaluation.</summary>
    public enum SpfTraceEvent
    {
        /// <summary>check_host() started for a domain (the top, an include or a redirect target).</summary>
        CheckHost,
        /// <summary>The domain is not a usable name: result none (RFC 7208 §4.3).</summary>
        InvalidDomain,
        /// <summary>The SPF record was selected from the TXT answer.</summary>
        RecordFound,
        /// <summary>No SPF record (no TXT, NXDOMAIN or no "v=spf1" record).</summary>
        NoRecord,
        /// <summary>A DNS failure (temperror).</summary>
        DnsError,
        /// <summary>A mechanism matched.</summary>
        Match,
        /// <summary>A mechanism did not match.</summary>
        NoMatch,
        /// <summary>A redirect= was followed.</summary>
        Redirect,
        /// <summary>No mechanism matched and no redirect: neutral.</summary>
        Default,
        /// <summary>A permanent error: syntax, limits, several records.</summary>
        PermError,
        /// <summary>A void lookup (NXDOMAIN or no data) was counted.</summary>
        VoidLookup,
        /// <summary>The explanation was fetched, or ignored.</summary>
        Explanation,
        /// <summary>The final result of a check_host() call.</summary>
        Result,
    }

    /// <summary>One step of an evaluation trace.</summary>
    public sealed class SpfTraceStep
    {
        public SpfTraceStep(int depth, string domain, string? term, SpfTraceEvent @event, string detail, SpfResult? result = null)
        {
            Depth = depth;
            Domain = domain;
            Term = term;
            Event = @event;
            Detail = detail;
            Result = result;
        }

        /// <summary>0 for the checked domain, +1 per include (a redirect stays at the same depth, as it replaces the record).</summary>
        public int Depth { get; }
        /// <summary>The &lt;domain&gt; whose record was being evaluated.</summary>
        public string Domain { get; }
        /// <summary>The term, as written, or null for record-level steps.</summary>
        public string? Term { get; }
        public SpfTraceEvent Event { get; }
        public string Detail { get; }
        /// <summary>The result this step produced, if any.</summary>
        public SpfResult? Result { get; }

        public override string ToString() =>
            new string(' ', Depth * 2) + Domain + (Term is null ? "" : " [" + Term + "]") + ": " + Event + " - " + Detail;
    }

    /// <summary>The result of check_host() (RFC 7208 §4, §2.6) with what led to it.</summary>
    public sealed class SpfCheckResult
    {
        internal SpfCheckResult(SpfResult result, IPAddress ip, string domain, string sender, string? explanation, string? matchedTerm,
            string? matchedDomain, string? record, int lookupCount, int voidLookupCount, IReadOnlyList<SpfTraceStep> trace, string? errorMessage)
        {
            Result = result;
            Ip = ip;
            Domain = domain;
            Sender = sender;
            Explanation = explanation;
            MatchedTerm = matchedTerm;
            MatchedDomain = matchedDomain;
            Record = record;
            LookupCount = lookupCount;
            VoidLookupCount = voidLookupCount;
            Trace = trace;
            ErrorMessage = errorMessage;
        }

        public SpfResult Result { get; }
        /// <summary>The client address checked.</summary>
        public IPAddress Ip { get; }
        /// <summary>The &lt;domain&gt; checked.</summary>
        public string Domain { get; }
        /// <summary>The &lt;sender&gt; used for macros.</summary>
        public string Sender { get; }
        /// <summary>For fail: the expanded exp= text of the deciding record (RFC 7208 §6.2), or null when there is none or it could not be used.</summary>
        public string? Explanation { get; }
        /// <summary>The directive that decided the result in the top-level record (or its redirect target), or null when the default applied.</summary>
        public string? MatchedTerm { get; }
        /// <summary>The domain whose record held <see cref="MatchedTerm"/>.</summary>
        public string? MatchedDomain { get; }
        /// <summary>The SPF record of <see cref="Domain"/>, or null when none was found.</summary>
        public string? Record { get; }
        /// <summary>Terms that caused DNS lookups (include, a, mx, ptr, exists, redirect, %{p}) (RFC 7208 §4.6.4).</summary>
        public int LookupCount { get; }
        /// <summary>Lookups that returned NXDOMAIN or no data (RFC 7208 §4.6.4).</summary>
        public int VoidLookupCount { get; }
        public IReadOnlyList<SpfTraceStep> Trace { get; }
        /// <summary>Why the result is permerror or temperror; null otherwise.</summary>
        public string? ErrorMessage { get; }

        public override string ToString() => ErrorMessage is null ? Result.ToString() : Result + ": " + ErrorMessage;
    }
}
