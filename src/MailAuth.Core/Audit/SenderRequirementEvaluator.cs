using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dkim;
using MailAuth.Spf;

namespace MailAuth.Audit
{
    /// <summary>
    /// Judges an audit against the mailbox providers' sender requirements (Gmail, Yahoo, Outlook.com; see the
    /// project's sender-requirements notes): one verdict per rule, with evidence. Rules DNS cannot prove (one-click
    /// unsubscribe, RFC 8058; complaint rates; alignment without a message; TLS) are <see cref="RequirementVerdict.NotVerifiable"/>.
    /// </summary>
    public static class SenderRequirementEvaluator
    {
        private const string All = "All senders";
        private const string Bulk = "Bulk senders";
        private const string Recommended = "Recommended";

        /// <summary>Parses "Google", "Yahoo", "Microsoft" or "All" (case-insensitive); false for anything else.</summary>
        public static bool TryParseProvider(string? text, out SenderRequirementProvider provider)
        {
            provider = SenderRequirementProvider.None;
            switch ((text ?? string.Empty).Trim().ToLowerInvariant())
            {
                case "google": case "gmail": provider = SenderRequirementProvider.Google; return true;
                case "yahoo": provider = SenderRequirementProvider.Yahoo; return true;
                case "microsoft": case "outlook": provider = SenderRequirementProvider.Microsoft; return true;
                case "all": provider = SenderRequirementProvider.All; return true;
                default: return false;
            }
        }

        /// <summary>The verdicts for the given providers, Google first, then Yahoo, then Microsoft.</summary>
        public static IReadOnlyList<SenderRequirementResult> Evaluate(MailAuthAuditResult audit, SenderRequirementProvider providers)
        {
            if (audit is null) throw new ArgumentNullException(nameof(audit));
            var list = new List<SenderRequirementResult>();
            if (providers == SenderRequirementProvider.None) return list;
            var spf = JudgeSpf(audit);
            var dkim = JudgeDkim(audit);
            var dmarc = JudgeDmarc(audit);
            var ptr = JudgePtr(audit);
            var alignment = AlignmentEvidence(audit);
            var tls = TlsEvidence(audit);
            const string Unsubscribe = "DNS cannot show it: it is in the message headers (List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click, RFC 8058) and in how fast opt-outs are honoured.";

            if (providers.HasFlag(SenderRequirementProvider.Google))
            {
                const string P = "Google";
                var either = spf.Verdict == RequirementVerdict.Pass || dkim.Verdict == RequirementVerdict.Pass ? RequirementVerdict.Pass
                    : spf.Verdict == RequirementVerdict.Fail && dkim.Verdict == RequirementVerdict.Fail ? RequirementVerdict.Fail
                    : spf.Verdict == RequirementVerdict.Fail ? dkim.Verdict : spf.Verdict;
                list.Add(new SenderRequirementResult(P, "Google.SpfOrDkim", "SPF or DKIM", All, either, spf.Evidence + " " + dkim.Evidence));
                var both = spf.Verdict == RequirementVerdict.Fail || dkim.Verdict == RequirementVerdict.Fail ? RequirementVerdict.Fail
                    : spf.Verdict == RequirementVerdict.Pass && dkim.Verdict == RequirementVerdict.Pass ? RequirementVerdict.Pass
                    : spf.Verdict == RequirementVerdict.NotVerifiable || dkim.Verdict == RequirementVerdict.NotVerifiable ? RequirementVerdict.NotVerifiable
                    : RequirementVerdict.Warning;
                list.Add(new SenderRequirementResult(P, "Google.SpfAndDkim", "SPF and DKIM", Bulk, both, spf.Evidence + " " + dkim.Evidence));
                list.Add(new SenderRequirementResult(P, "Google.DmarcRecord", "DMARC record (p=none is enough)", Bulk, dmarc.Verdict, dmarc.Evidence));
                list.Add(new SenderRequirementResult(P, "Google.Alignment", "From domain aligned with the SPF or DKIM domain", Bulk, RequirementVerdict.NotVerifiable, alignment));
                list.Add(new SenderRequirementResult(P, "Google.ReverseDns", "Sending IPs have forward-confirmed reverse DNS (else 550-5.7.25)", All, ptr.Verdict, ptr.Evidence));
                list.Add(new SenderRequirementResult(P, "Google.Tls", "TLS for transmission", All, RequirementVerdict.NotVerifiable, tls));
                list.Add(new SenderRequirementResult(P, "Google.OneClickUnsubscribe", "One-click unsubscribe, honoured within 2 days", Bulk, RequirementVerdict.NotVerifiable, Unsubscribe));
                list.Add(new SenderRequirementResult(P, "Google.SpamRate", "Spam complaint rate under 0.3% (aim under 0.1%)", All, RequirementVerdict.NotVerifiable,
                    "DNS cannot show it: the rate is Google's data (Postmaster Tools)."));
            }
            if (providers.HasFlag(SenderRequirementProvider.Yahoo))
            {
                const string P = "Yahoo";
                list.Add(new SenderRequirementResult(P, "Yahoo.Spf", "SPF", All, spf.Verdict, spf.Evidence));
                list.Add(new SenderRequirementResult(P, "Yahoo.Dkim", "DKIM", All, dkim.Verdict, dkim.Evidence));
                list.Add(new SenderRequirementResult(P, "Yahoo.DmarcRecord", "DMARC record (p=none minimum)", All, dmarc.Verdict, dmarc.Evidence));
                list.Add(new SenderRequirementResult(P, "Yahoo.Alignment", "From domain aligned with the SPF or DKIM domain", All, RequirementVerdict.NotVerifiable, alignment));
                list.Add(new SenderRequirementResult(P, "Yahoo.ReverseDns", "Sending IPs have forward-confirmed reverse DNS", All, ptr.Verdict, ptr.Evidence));
                list.Add(new SenderRequirementResult(P, "Yahoo.OneClickUnsubscribe", "One-click unsubscribe, honoured within 2 days", Bulk, RequirementVerdict.NotVerifiable, Unsubscribe));
                list.Add(new SenderRequirementResult(P, "Yahoo.SpamRate", "Spam complaint rate under 0.3%", All, RequirementVerdict.NotVerifiable,
                    "DNS cannot show it: the rate is Yahoo's data (Sender Hub)."));
            }
            if (providers.HasFlag(SenderRequirementProvider.Microsoft))
            {
                const string P = "Microsoft";
                list.Add(new SenderRequirementResult(P, "Microsoft.Spf", "SPF must pass", Bulk, spf.Verdict, spf.Evidence));
                list.Add(new SenderRequirementResult(P, "Microsoft.Dkim", "DKIM must pass", Bulk, dkim.Verdict, dkim.Evidence));
                list.Add(new SenderRequirementResult(P, "Microsoft.DmarcRecord", "DMARC record (p=none minimum; else 550 5.7.515)", Bulk, dmarc.Verdict, dmarc.Evidence));
                list.Add(new SenderRequirementResult(P, "Microsoft.Alignment", "SPF or DKIM aligned with the From domain", Bulk, RequirementVerdict.NotVerifiable, alignment));
                list.Add(new SenderRequirementResult(P, "Microsoft.ReverseDns", "Sending IPs have forward-confirmed reverse DNS", Recommended,
                    ptr.Verdict == RequirementVerdict.Fail ? RequirementVerdict.Warning : ptr.Verdict, ptr.Evidence));
                list.Add(new SenderRequirementResult(P, "Microsoft.Unsubscribe", "Working unsubscribe link", Recommended, RequirementVerdict.NotVerifiable, Unsubscribe));
                list.Add(new SenderRequirementResult(P, "Microsoft.ListHygiene", "List hygiene and low complaint rates", Recommended, RequirementVerdict.NotVerifiable,
                    "DNS cannot show it: it is Microsoft's data (SNDS)."));
            }
            return list;
        }

        private readonly struct Judgement
        {
            public Judgement(RequirementVerdict verdict, string evidence) { Verdict = verdict; Evidence = evidence; }
            public RequirementVerdict Verdict { get; }
            public string Evidence { get; }
        }

        private static Judgement JudgeSpf(MailAuthAuditResult a)
        {
            var spf = a.Spf;
            if (spf is null) return new Judgement(RequirementVerdict.NotVerifiable, "SPF was not checked.");
            switch (spf.Status)
            {
                case SpfReportStatus.NoRecord: return new Judgement(RequirementVerdict.Fail, $"SPF: {a.Domain} has no SPF record.");
                case SpfReportStatus.LookupFailed: return new Judgement(RequirementVerdict.Fail, $"SPF: the TXT lookup failed ({spf.LookupStatus}); receivers get temperror.");
                case SpfReportStatus.Error:
                    var first = spf.Findings.FirstOrDefault(f => f.Severity == Findings.FindingSeverity.Error);
                    return new Judgement(RequirementVerdict.Fail, $"SPF: the record has errors{(first is null ? "" : " (" + first.Id + ")")}, so receivers get permerror or no protection.");
            }
            var evidence = $"SPF: a valid record ({spf.DnsLookupCount} of 10 lookups).";
            if (a.SpfSendingIpResults.Count > 0)
            {
                var failing = a.SpfSendingIpResults.Where(r => r.Result != SpfResult.Pass).ToList();
                evidence += " " + string.Join("; ", a.SpfSendingIpResults.Select(r => $"check_host({r.Ip}) = {r.Result.ToString().ToLowerInvariant()}")) + ".";
                if (failing.Count > 0) return new Judgement(RequirementVerdict.Fail, evidence);
            }
            return new Judgement(RequirementVerdict.Pass, evidence);
        }

        private static Judgement JudgeDkim(MailAuthAuditResult a)
        {
            var d = a.Dkim;
            if (d is null) return new Judgement(RequirementVerdict.NotVerifiable, "DKIM was not checked.");
            if (a.IsParked) return new Judgement(RequirementVerdict.Pass, "DKIM: the domain sends no mail, so it needs no key.");
            var usable = d.Reports.Where(r => r.Status == DkimReportStatus.Ok || r.Status == DkimReportStatus.Warning).Select(r => r.Selector).ToList();
            if (usable.Count > 0)
            {
                var evidence = $"DKIM: usable key(s) at {string.Join(", ", usable)}.";
                if (d.SelectorsMissing.Count > 0)
                    return new Judgement(RequirementVerdict.Warning, evidence + $" But no key at the given selector(s) {string.Join(", ", d.SelectorsMissing)}: mail signed with them fails DKIM.");
                return new Judgement(RequirementVerdict.Pass, evidence);
            }
            if (d.SelectorsMissing.Count > 0)
                return new Judgement(RequirementVerdict.Fail, $"DKIM: no key at the given selector(s) {string.Join(", ", d.SelectorsMissing)}.");
            if (d.Reports.Count > 0)
                return new Judgement(RequirementVerdict.Fail, $"DKIM: the keys found ({string.Join(", ", d.Reports.Select(r => r.Selector + " " + r.Status))}) cannot verify signatures.");
            if (d.Discovery?.NoKeysPossible == true)
                return new Judgement(RequirementVerdict.Fail, "DKIM: _domainkey." + a.Domain + " does not exist, so no key exists under any selector.");
            return new Judgement(RequirementVerdict.NotVerifiable,
                $"DKIM: no key under {d.Discovery?.SelectorsTried.Count ?? 0} common selectors; the selector in use is unknown (give it in a Selector column).");
        }

        private static Judgement JudgeDmarc(MailAuthAuditResult a)
        {
            var d = a.Dmarc;
            if (d is null || d.Status == DmarcAuditStatus.NotChecked) return new Judgement(RequirementVerdict.NotVerifiable, "DMARC was not checked.");
            if (d.Status == DmarcAuditStatus.LookupFailed) return new Judgement(RequirementVerdict.NotVerifiable, "DMARC: the lookup failed.");
            if (d.Status == DmarcAuditStatus.NoRecord || d.Policy is null)
                return new Judgement(RequirementVerdict.Fail, $"DMARC: no usable DMARC record applies to {a.Domain}.");
            return new Judgement(RequirementVerdict.Pass, $"DMARC: p={d.Policy}" + (d.RecordDomain != null && d.RecordDomain != a.Domain ? $" (from {d.RecordDomain})" : "") + ".");
        }

        private static Judgement JudgePtr(MailAuthAuditResult a)
        {
            if (a.SendingIpReverseDns.Count == 0)
                return new Judgement(RequirementVerdict.NotVerifiable, "No sending IPs were given (SendingIP column or -SendingIP), and the MX hosts are not necessarily the senders.");
            var evidence = string.Join("; ", a.SendingIpReverseDns.Select(r => r.Evidence)) + ".";
            if (a.SendingIpReverseDns.Any(r => r.Status == ReverseDnsStatus.NoPtr || r.Status == ReverseDnsStatus.NotConfirmed))
                return new Judgement(RequirementVerdict.Fail, evidence);
            if (a.SendingIpReverseDns.Any(r => r.Status == ReverseDnsStatus.LookupFailed))
                return new Judgement(RequirementVerdict.NotVerifiable, evidence);
            return new Judgement(RequirementVerdict.Pass, evidence);
        }

        private static string AlignmentEvidence(MailAuthAuditResult a)
        {
            var keys = a.Dkim?.SelectorsFound ?? Array.Empty<string>();
            return "Needs the MAIL FROM and DKIM d= domains of real messages (or DMARC aggregate reports); DNS only shows that " +
                   (keys.Count > 0 ? $"{a.Domain} publishes DKIM keys ({string.Join(", ", keys)}), so aligned signing is possible" : $"{a.Domain} publishes no DKIM key found here") +
                   (a.Spf?.Record != null ? " and has an SPF record for aligned envelope senders." : ".");
        }

        private static string TlsEvidence(MailAuthAuditResult a)
        {
            var mode = a.MtaSts?.Mode;
            return "DNS cannot show how a sender's servers connect; as a proxy for the receiving side: " +
                   (mode != null ? $"MTA-STS mode {mode}." : "no MTA-STS policy.");
        }
    }
}
