using System.Linq;
using MailAuth.Dkim;
using MailAuth.Findings;
using MailAuth.Spf;

namespace MailAuth.Audit
{
    /// <summary>
    /// Turns an audit into a grade from A to F. Points: SPF 25, DKIM 25, DMARC 30 (left out when DMARC was not
    /// checked), MX and transport 20 (MX 10, MTA-STS 6, TLS-RPT 4). A parked domain needs no DKIM key, MTA-STS or
    /// TLS-RPT and gets their points. The percentage gives A (90+), B (80+), C (65+), D (50+) or F; any Error finding
    /// caps the grade at C, and a failed audit is F.
    /// </summary>
    public static class AuditGrader
    {
        public static string Grade(MailAuthAuditResult r) => r.Status == AuditStatus.Failed ? "F" : FromPercent(Percent(r), r.ErrorCount > 0);

        /// <summary>The score in percent of the points that could be earned.</summary>
        public static double Percent(MailAuthAuditResult r)
        {
            double score = 0, max = 0;

            max += 25;
            switch (r.Spf?.Status)
            {
                case SpfReportStatus.Ok: score += 25; break;
                case SpfReportStatus.Warning: score += 18; break;
            }
            if (r.SpfSendingIpResults.Any(c => c.Result != SpfResult.Pass)) score -= 10;

            max += 25;
            if (r.IsParked) score += 25;
            else if (r.Dkim != null)
            {
                var usable = r.Dkim.Reports.Where(x => x.Status == DkimReportStatus.Ok || x.Status == DkimReportStatus.Warning).ToList();
                if (usable.Count > 0)
                {
                    score += usable.Any(x => x.Status == DkimReportStatus.Ok) ? 25 : 18;
                    if (r.Dkim.SelectorsMissing.Count > 0) score -= 10;
                }
                else if (r.Dkim.SelectorsMissing.Count == 0 && r.Dkim.Discovery != null && !r.Dkim.Discovery.NoKeysPossible && r.Dkim.Reports.Count == 0)
                    score += 8; // keys may exist under selectors we do not know
            }

            var dmarc = r.Dmarc;
            if (dmarc != null && dmarc.Status != DmarcAuditStatus.NotChecked)
            {
                max += 30;
                switch (dmarc.Policy)
                {
                    case "reject": score += 30; break;
                    case "quarantine": score += 26; break;
                    case "none": score += 12; break;
                }
                if (dmarc.Policy != null && dmarc.Status == DmarcAuditStatus.Error) score -= 6;
            }

            max += 20;
            switch (r.Mx?.Status)
            {
                case MxStatus.Ok: case MxStatus.NullMx: score += 10; break;
                case MxStatus.Warning: score += 6; break;
                case MxStatus.NoMx: if (r.IsParked) score += 6; break;
            }
            bool noInbound = r.IsParked || r.Mx?.Status == MxStatus.NullMx;
            if (noInbound) score += 10;
            else
            {
                if (r.MtaSts?.Mode == "enforce" && r.MtaSts.Status != PolicyRecordStatus.Error) score += 6;
                else if (r.MtaSts?.Mode == "testing") score += 3;
                if (r.TlsRpt?.Status == PolicyRecordStatus.Ok) score += 4;
            }
            if (score < 0) score = 0;
            return max == 0 ? 0 : 100.0 * score / max;
        }

        internal static string FromPercent(double percent, bool hasErrors)
        {
            string grade = percent >= 90 ? "A" : percent >= 80 ? "B" : percent >= 65 ? "C" : percent >= 50 ? "D" : "F";
            if (hasErrors && (grade == "A" || grade == "B")) grade = "C";
            return grade;
        }
    }
}
