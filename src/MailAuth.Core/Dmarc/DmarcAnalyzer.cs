using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Findings;
using MailAuth.Publishing;

namespace MailAuth.Dmarc
{
    /// <summary>Settings of <see cref="DmarcAnalyzer"/>, fixed before discovery starts.</summary>
    public sealed class DmarcDiscoveryOptions
    {
        public static DmarcDiscoveryOptions Default { get; } = new DmarcDiscoveryOptions();

        /// <summary>RFC 9989 tree walk (default) or the legacy RFC 7489 Public Suffix List method.</summary>
        public DmarcDiscoveryMethod Method { get; init; } = DmarcDiscoveryMethod.TreeWalk;

        /// <summary>The list for the PSL method; null uses <see cref="PublicSuffixList.Bundled"/>.</summary>
        public PublicSuffixList? PublicSuffixList { get; init; }

        /// <summary>Query _report._dmarc authorisations of external report destinations (default true).</summary>
        public bool CheckReportDestinations { get; init; } = true;

        /// <summary>Look for DMARC-looking TXT records at the name itself (default true).</summary>
        public bool CheckApex { get; init; } = true;
    }

    /// <summary>
    /// Finds the DMARC policy that applies to a name and judges it: RFC 9989 policy discovery by DNS tree walk
    /// (at most five _dmarc queries, psd= handling, organisational domain selection) or the legacy RFC 7489 §6.6.3
    /// method with the Public Suffix List; the policy for the name asked (p=, or sp=/np= of a parent, np= when the
    /// name does not exist); external report destinations (RFC 7489 §7.1; RFC 9990); and findings with stable ids.
    /// </summary>
    public sealed class DmarcAnalyzer
    {
        private const string Area = "DMARC";
        private const string RefTreeWalk = "RFC 9989, DNS Tree Walk";
        private const string RefDiscovery = "RFC 9989, DMARC Policy Discovery";
        private const string RefOrgDomain = "RFC 9989, Organizational Domain Discovery";
        private const string RefRecord = "RFC 9989, DMARC Policy Record";
        private const string RefExternal = "RFC 7489 §7.1; RFC 9990, Verifying External Destinations";
        private const int MaxDnsName = 253;
        private readonly IDnsResolver _resolver;
        private readonly DmarcDiscoveryOptions _options;
        private readonly PublicSuffixList _psl;

        public DmarcAnalyzer(IDnsResolver resolver, DmarcDiscoveryOptions? options = null)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            _options = options ?? DmarcDiscoveryOptions.Default;
            _psl = _options.PublicSuffixList ?? PublicSuffixList.Bundled;
        }

        /// <summary>
        /// The names a tree walk queries for <paramref name="domain"/> (RFC 9989, DNS Tree Walk): the name itself,
        /// then — if it has five labels or more — its last four labels, then one label less each time down to one.
        /// </summary>
        public static IReadOnlyList<string> TreeWalkTargets(string domain)
        {
            var labels = DnsName.Normalize(domain).Split('.');
            var targets = new List<string> { string.Join(".", labels) };
            int n = labels.Length;
            int next = n >= 5 ? 4 : n - 1;
            for (int k = next; k >= 1; k--)
                targets.Add(string.Join(".", labels, labels.Length - k, k));
            return targets;
        }

        /// <summary>Discovers and judges the DMARC policy of <paramref name="domain"/>.</summary>
        public async Task<DmarcRecordReport> AnalyzeAsync(string domain, CancellationToken cancellationToken = default)
        {
            domain = DnsName.Normalize(domain);
            var report = new DmarcRecordReport(domain, _options.Method);
            var findings = new List<Finding>();
            var apexTask = _options.CheckApex ? _resolver.QueryAsync(domain, DnsRecordType.TXT, cancellationToken) : null;

            var lookups = new List<DmarcLookup>();
            DmarcLookup? applied = null;
            bool failed = false;
            if (_options.Method == DmarcDiscoveryMethod.TreeWalk)
            {
                await TreeWalkAsync(domain, lookups, cancellationToken).ConfigureAwait(false);
                report.OrganizationalDomain = SelectOrganizationalDomain(domain, lookups, out var psd);
                report.PublicSuffixDomain = psd;
                var own = lookups[0].Record != null ? lookups[0] : null;
                var org = lookups.FirstOrDefault(l => l.Domain == report.OrganizationalDomain && l.Record != null);
                var psdLookup = psd is null ? null : lookups.FirstOrDefault(l => l.Domain == psd && l.Record != null);
                if (own != null) { applied = own; report.Location = DmarcRecordLocation.Domain; }
                else if (org != null) { applied = org; report.Location = DmarcRecordLocation.OrganizationalDomain; }
                else if (psdLookup != null) { applied = psdLookup; report.Location = DmarcRecordLocation.PublicSuffixDomain; }
                if (applied != null && applied != own)
                {
                    foreach (var l in lookups.Where(l => l.Record != null && l != applied && l != psdLookup && l.Domain.Length > applied.Domain.Length))
                        findings.Add(new Finding("DMARC.IntermediateRecordIgnored", FindingSeverity.Information, Area,
                            $"_dmarc.{l.Domain} has a record, but for {domain} the policy comes from {(report.Location == DmarcRecordLocation.PublicSuffixDomain ? "the public suffix domain" : "the organisational domain")} {applied.Domain}: a record between the two is never used for it.",
                            $"Publish a record at _dmarc.{domain} if it needs its own policy.", RefDiscovery));
                }
            }
            else
            {
                report.OrganizationalDomain = _psl.GetOrganizationalDomain(domain);
                lookups.Add(await LookupAsync(domain, cancellationToken).ConfigureAwait(false));
                if (lookups[0].Record != null) { applied = lookups[0]; report.Location = DmarcRecordLocation.Domain; }
                else if (report.OrganizationalDomain != domain && !lookups[0].Status.IsTransientFailure())
                {
                    var org = await LookupAsync(report.OrganizationalDomain, cancellationToken).ConfigureAwait(false);
                    lookups.Add(org);
                    if (org.Record != null) { applied = org; report.Location = DmarcRecordLocation.OrganizationalDomain; }
                }
            }
            report.Lookups = lookups;
            report.LookupStatus = lookups[0].Status;
            report.Source = lookups[0].Source;

            bool recordSeen = false, answeredBelow = false;
            foreach (var l in lookups)
            {
                if (l.Status == DnsLookupStatus.NotAvailableOffline && answeredBelow)
                {
                    // Offline (zone files only): a name above the loaded zones (often the TLD) cannot be asked. The zones
                    // answered for the names below it, so this is no failure; only a record up there would be missed.
                    findings.Add(new Finding("DMARC.TreeWalkOutsideZones", FindingSeverity.Information, Area,
                        $"_dmarc.{l.Domain} is outside the loaded zone files and no server was given, so the tree walk did not check it; a DMARC record published there (organisational or psd=y) would be seen only live.",
                        null, RefTreeWalk));
                }
                else if (l.Status.IsTransientFailure() && recordSeen)
                {
                    // Above a record already found, a failure rarely changes the outcome (a psd= record higher up could);
                    // offline it is the normal case for the TLD.
                    findings.Add(new Finding("DMARC.TreeWalkIncomplete", FindingSeverity.Information, Area,
                        $"The TXT lookup of _dmarc.{l.Domain} failed ({l.Status}), so the tree walk could not check it for a psd= record; the result relies on the records below it.",
                        null, RefTreeWalk));
                }
                else if (l.Status.IsTransientFailure())
                {
                    failed = true;
                    findings.Add(new Finding("DMARC.LookupFailed", FindingSeverity.Error, Area,
                        $"The TXT lookup of _dmarc.{l.Domain} failed ({l.Status}); receivers cannot tell which policy applies (they may defer or accept the mail).",
                        "Check that the domain's authoritative servers answer TXT queries for _dmarc names.", RefDiscovery));
                }
                if (l.Record != null) recordSeen = true;
                if (!l.Status.IsTransientFailure()) answeredBelow = true;
                if (l.DmarcRecords.Count > 1)
                    findings.Add(new Finding("DMARC.MultipleRecords", FindingSeverity.Error, Area,
                        $"_dmarc.{l.Domain} has {l.DmarcRecords.Count} DMARC records; receivers discard them all, as if there were none.",
                        "Keep exactly one TXT record starting with v=DMARC1 at that name.", RefTreeWalk, "_dmarc." + l.Domain));
                if (l.DmarcRecords.Count == 0 && (l == lookups[0] || l.Domain == report.OrganizationalDomain))
                {
                    foreach (var other in l.OtherRecords.Where(DmarcRecord.LooksLikeDmarc))
                    {
                        var parsed = DmarcRecord.Parse(other);
                        var why = parsed.Diagnostics.FirstOrDefault(x => x.IsError);
                        findings.Add(new Finding(why?.Id ?? DmarcRecord.DiagnosticIds.NotDmarcRecord, FindingSeverity.Error, Area,
                            $"_dmarc.{l.Domain} has '{Shorten(other)}', which is meant as a DMARC record but is discarded by receivers: {why?.Message ?? "it does not start with v=DMARC1."}",
                            why?.Remediation ?? "Start the record with v=DMARC1.", why?.Reference ?? RefRecord, other));
                    }
                }
            }

            if (apexTask != null)
            {
                var apex = await apexTask.ConfigureAwait(false);
                report.ApexRecords = apex.Records.Select(r => r.Text).Where(DmarcRecord.LooksLikeDmarc).ToArray();
                foreach (var text in report.ApexRecords)
                    findings.Add(new Finding("DMARC.RecordAtApex", report.Location == DmarcRecordLocation.Domain ? FindingSeverity.Warning : FindingSeverity.Error, Area,
                        $"{domain} itself has the TXT record '{Shorten(text)}'; receivers only read DMARC records at _dmarc.{domain}, so this one has no effect.",
                        $"Publish it at _dmarc.{domain} and delete it from {domain}.", RefRecord, text,
                        PublishableRecord.CreateTxt(domain, "_dmarc", text, TimeSpan.FromHours(1))));
            }

            if (applied is null)
            {
                report.Status = failed ? DmarcReportStatus.LookupFailed : DmarcReportStatus.NoRecord;
                if (!failed)
                {
                    var org = report.OrganizationalDomain;
                    var mailbox = "dmarc-reports@" + org;
                    findings.Add(new Finding("DMARC.NoRecord", FindingSeverity.Error, Area,
                        $"No DMARC record applies to {domain} ({string.Join(", ", lookups.Select(l => l.Name))} checked). Receivers apply no DMARC policy and send no reports; Gmail, Yahoo and Microsoft require one of bulk senders.",
                        $"Publish a TXT record at _dmarc.{org}, starting with monitoring: v=DMARC1; p=none; rua=mailto:{mailbox} (use a mailbox that exists).",
                        RefDiscovery, null,
                        PublishableRecord.CreateTxt(org, "_dmarc", $"v=DMARC1; p=none; rua=mailto:{mailbox}", TimeSpan.FromHours(1))));
                }
                report.Findings = findings;
                return report;
            }

            var record = applied.Record!;
            report.RecordDomain = applied.Domain;
            report.Record = record.Text;
            report.Parsed = record;
            foreach (var d in record.Diagnostics)
                findings.Add(new Finding(d.Id, d.Severity, Area, $"_dmarc.{applied.Domain}: {d.Message}", d.Remediation, d.Reference,
                    d.Tag is null ? null : record.Tags.FirstOrDefault(t => t.Name == d.Tag && t.Position <= d.Position)?.ToString() ?? d.Tag));

            // The policy for the name asked.
            if (report.Location == DmarcRecordLocation.Domain)
            {
                report.AppliedPolicy = record.EffectivePolicy;
                report.AppliedPolicyTag = "p";
                if (applied.Domain != report.OrganizationalDomain && (record.SubdomainPolicy != null || record.NonExistentSubdomainPolicy != null))
                    findings.Add(new Finding("DMARC.SubdomainTagsIgnored", FindingSeverity.Information, Area,
                        $"_dmarc.{domain} is not the organisational domain ({report.OrganizationalDomain}), so its sp= and np= are never used: subdomains of {domain} get the policy of {report.OrganizationalDomain}.",
                        $"Set sp=/np= in the record of _dmarc.{report.OrganizationalDomain}, or publish records for the subdomains.", RefDiscovery));
            }
            else
            {
                var exists = await _resolver.QueryAsync(domain, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
                report.DomainExists = exists.Status == DnsLookupStatus.NxDomain ? false
                    : exists.Status.IsTransientFailure() ? (bool?)null : true;
                if (report.DomainExists == false)
                {
                    report.AppliedPolicy = record.EffectiveNonExistentSubdomainPolicy;
                    report.AppliedPolicyTag = record.PolicyIsUnusable ? "p" : record.NonExistentSubdomainPolicy != null ? "np" : record.SubdomainPolicy != null ? "sp" : "p";
                    if (record.NonExistentSubdomainPolicy != null && !record.PolicyIsUnusable && (record.SubdomainPolicy ?? record.Policy) != record.NonExistentSubdomainPolicy)
                        findings.Add(new Finding("DMARC.NpUnknownToRfc7489", FindingSeverity.Information, Area,
                            $"{domain} does not exist, so np={Lower(record.NonExistentSubdomainPolicy)} applies; RFC 7489-only receivers do not know np= and apply {(record.SubdomainPolicy != null ? "sp" : "p")}={Lower(record.SubdomainPolicy ?? record.Policy)} instead.",
                            null, RefDiscovery));
                }
                else
                {
                    report.AppliedPolicy = record.EffectiveSubdomainPolicy;
                    report.AppliedPolicyTag = record.PolicyIsUnusable ? "p" : record.SubdomainPolicy != null ? "sp" : "p";
                }
                findings.Add(new Finding("DMARC.InheritedPolicy", FindingSeverity.Information, Area,
                    $"{domain} has no DMARC record of its own; its policy comes from {applied.Name} ({(report.Location == DmarcRecordLocation.PublicSuffixDomain ? "a public suffix domain, psd=y" : "the organisational domain")}): {report.AppliedPolicyTag}={Lower(report.AppliedPolicy) ?? "(none usable)"}{(report.DomainExists == false ? ", because the name does not exist" : "")}.",
                    null, RefDiscovery));
            }
            AddPolicyFindings(report, record, findings);

            if (_options.CheckReportDestinations)
                report.ReportDestinations = await CheckDestinationsAsync(report, record, findings, cancellationToken).ConfigureAwait(false);

            report.Findings = findings;
            report.Status = failed ? DmarcReportStatus.LookupFailed
                : findings.Any(f => f.Severity == FindingSeverity.Error) ? DmarcReportStatus.Error
                : findings.Any(f => f.Severity == FindingSeverity.Warning) ? DmarcReportStatus.Warning
                : DmarcReportStatus.Ok;
            return report;
        }

        private void AddPolicyFindings(DmarcRecordReport report, DmarcRecord record, List<Finding> findings)
        {
            var at = "_dmarc." + report.RecordDomain;
            if (report.AppliedPolicy == DmarcPolicy.None && !record.PolicyIsUnusable)
                findings.Add(new Finding("DMARC.PolicyNone", FindingSeverity.Warning, Area,
                    $"The policy for {report.Domain} is {report.AppliedPolicyTag}=none: monitoring only, receivers handle spoofed mail as if there were no DMARC.",
                    "Once the aggregate reports show that all legitimate mail passes, move to p=quarantine, then p=reject.", RefRecord, report.AppliedPolicyTag + "=none"));
            if (report.Location == DmarcRecordLocation.Domain && record.Policy != null && record.Policy != DmarcPolicy.None && record.SubdomainPolicy == DmarcPolicy.None
                && report.RecordDomain == report.OrganizationalDomain)
                findings.Add(new Finding("DMARC.WeakSubdomainPolicy", FindingSeverity.Warning, Area,
                    $"{at} enforces p={Lower(record.Policy)} but sets sp=none: spoofed mail from any subdomain is not blocked.",
                    "Remove sp=none, or set sp=quarantine or sp=reject once subdomain senders pass DMARC.", RefRecord, "sp=none"));
            if (!record.HasUsableAggregateReportUri)
                findings.Add(new Finding("DMARC.NoAggregateReports", FindingSeverity.Warning, Area,
                    $"{at} has no usable rua= address, so receivers send no aggregate reports and nobody sees who sends mail as {report.Domain}.",
                    $"Add rua=mailto:<a mailbox that processes reports>, e.g. rua=mailto:dmarc-reports@{report.OrganizationalDomain}.", RefRecord));
            if (record.Testing)
                findings.Add(new Finding("DMARC.TestingMode", FindingSeverity.Information, Area,
                    record.Percentage == 0
                        ? $"{at} has t=y (and pct=0 for RFC 7489 receivers): receivers are asked not to apply the policy."
                        : $"{at} has t=y: RFC 9989 receivers are asked not to apply the policy, but RFC 7489-only receivers do not know t= and apply it in full.",
                    "Remove t=y when the test is over.", RefRecord, "t=y"));
            if (record.Psd == DmarcPsdFlag.Yes && record.FailureReportUris.Count > 0)
                findings.Add(new Finding("DMARC.PsdWithRuf", FindingSeverity.Warning, Area,
                    $"{at} is a public suffix domain's record (psd=y) with ruf=; RFC 9989 forbids failure reports for multi-organisational public suffix domains, since they would carry other registrants' mail.",
                    "Remove ruf= from the public suffix domain's record.", "RFC 9989, Failure Report Considerations", "ruf"));
            if (record.Psd == DmarcPsdFlag.Yes && report.Location == DmarcRecordLocation.Domain)
                findings.Add(new Finding("DMARC.PublicSuffixDomainRecord", FindingSeverity.Information, Area,
                    $"{at} says psd=y: {report.RecordDomain} is a public suffix domain whose policy covers the registered domains below it that publish none.",
                    null, RefOrgDomain, "psd=y"));
        }

        private async Task<IReadOnlyList<DmarcReportDestination>> CheckDestinationsAsync(DmarcRecordReport report, DmarcRecord record, List<Finding> findings, CancellationToken ct)
        {
            var list = new List<DmarcReportDestination>();
            list.AddRange(record.AggregateReportUris.Select(u => new DmarcReportDestination("rua", u)));
            list.AddRange(record.FailureReportUris.Select(u => new DmarcReportDestination("ruf", u)));
            var recordDomain = report.RecordDomain!;
            // The record's organisational domain: the one discovered, unless the record is a public suffix domain's.
            var recordOrg = DnsName.IsSubdomainOf(recordDomain, report.OrganizationalDomain)
                ? report.OrganizationalDomain
                : await OrganizationalDomainAsync(recordDomain, ct).ConfigureAwait(false);
            var orgCache = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var dest in list)
            {
                if (!dest.IsValid || dest.Host is null) continue;
                if (DnsName.IsSubdomainOf(dest.Host, recordOrg))
                {
                    dest.OrganizationalDomain = recordOrg;
                    dest.Authorized = true;
                    continue;
                }
                if (!orgCache.TryGetValue(dest.Host, out var destOrg))
                    orgCache[dest.Host] = destOrg = await OrganizationalDomainAsync(dest.Host, ct).ConfigureAwait(false);
                dest.OrganizationalDomain = destOrg;
                if (destOrg == recordOrg) { dest.Authorized = true; continue; }
                dest.IsExternal = true;
                var name = recordDomain + "._report._dmarc." + dest.Host;
                dest.AuthorizationName = name;
                dest.SuggestedRecord = PublishableRecord.CreateTxt(destOrg, name, "v=DMARC1;", TimeSpan.FromHours(1));
                if (name.Length > MaxDnsName)
                {
                    dest.Authorized = false;
                    findings.Add(new Finding("DMARC.ExternalReportNotAuthorized", FindingSeverity.Error, Area,
                        $"{dest.Tag}={dest.Uri}: the authorisation name {name} is longer than DNS allows, so receivers cannot verify the destination and send it no reports.",
                        "Use a report address inside your own domain, or one with a shorter host name.", RefExternal, dest.Uri));
                    continue;
                }
                var result = await _resolver.QueryAsync(name, DnsRecordType.TXT, ct).ConfigureAwait(false);
                dest.AuthorizationLookupStatus = result.Status;
                if (result.Status.IsTransientFailure())
                {
                    findings.Add(new Finding("DMARC.ExternalReportLookupFailed", FindingSeverity.Warning, Area,
                        $"{dest.Tag}={dest.Uri} is outside {recordOrg}; the lookup of its authorisation {name} failed ({result.Status}).",
                        "Check again later; receivers may also fail to verify the destination.", RefExternal, dest.Uri));
                    continue;
                }
                var auth = result.Records.Select(r => r.Text).Where(DmarcRecord.IsDmarcText).ToArray();
                dest.AuthorizationRecords = auth;
                dest.Authorized = auth.Length > 0;
                if (auth.Length > 0)
                {
                    var overrideRua = DmarcRecord.Parse(auth[0]).AggregateReportUris.FirstOrDefault(u => u.IsValid);
                    if (dest.Tag == "rua" && overrideRua != null) dest.OverrideUri = overrideRua.Text.Trim();
                    dest.SuggestedRecord = null;
                }
                else
                {
                    findings.Add(new Finding("DMARC.ExternalReportNotAuthorized", FindingSeverity.Error, Area,
                        $"{dest.Tag}={dest.Uri} is outside {recordOrg}, and {dest.Host} has not authorised reports about {recordDomain}: there is no v=DMARC1 record at {name}, so receivers send no {(dest.Tag == "rua" ? "aggregate" : "failure")} reports there.",
                        $"Ask the operator of {dest.Host} to publish TXT \"v=DMARC1;\" at {name} (report services usually publish a wildcard *._report._dmarc.{dest.Host}).",
                        RefExternal, dest.Uri, dest.SuggestedRecord));
                }
            }
            return list;
        }

        /// <summary>The organisational domain of any name by the configured method (tree walk queries DNS).</summary>
        public async Task<string> OrganizationalDomainAsync(string domain, CancellationToken cancellationToken = default)
        {
            domain = DnsName.Normalize(domain);
            if (_options.Method == DmarcDiscoveryMethod.PublicSuffixList) return _psl.GetOrganizationalDomain(domain);
            var lookups = new List<DmarcLookup>();
            await TreeWalkAsync(domain, lookups, cancellationToken).ConfigureAwait(false);
            return SelectOrganizationalDomain(domain, lookups, out _);
        }

        /// <summary>RFC 9989, DNS Tree Walk: query each target, stopping at psd=n (anywhere) or psd=y (above the start).</summary>
        private async Task TreeWalkAsync(string domain, List<DmarcLookup> lookups, CancellationToken ct)
        {
            var targets = TreeWalkTargets(domain);
            for (int i = 0; i < targets.Count; i++)
            {
                var l = await LookupAsync(targets[i], ct).ConfigureAwait(false);
                lookups.Add(l);
                if (l.Record is null) continue;
                if (l.Record.Psd == DmarcPsdFlag.No) break;
                if (i > 0 && l.Record.Psd == DmarcPsdFlag.Yes) break;
            }
        }

        /// <summary>
        /// RFC 9989, Organizational Domain Discovery: from the longest name with a valid record to the shortest, the
        /// first with psd=n; or, for a psd=y record other than the start, the name one label below it; otherwise the
        /// shortest name with a record; and the start itself when there is none.
        /// </summary>
        private static string SelectOrganizationalDomain(string start, List<DmarcLookup> lookups, out string? publicSuffixDomain)
        {
            publicSuffixDomain = null;
            var withRecords = lookups.Where(l => l.Record != null).ToList();
            foreach (var l in withRecords)
            {
                if (l.Record!.Psd == DmarcPsdFlag.No) return l.Domain;
                if (l.Record.Psd == DmarcPsdFlag.Yes && l.Domain != start)
                {
                    publicSuffixDomain = l.Domain;
                    var labels = start.Split('.');
                    int keep = l.Domain.Split('.').Length + 1;
                    return string.Join(".", labels, labels.Length - keep, keep);
                }
            }
            return withRecords.Count > 0 ? withRecords[withRecords.Count - 1].Domain : start;
        }

        private async Task<DmarcLookup> LookupAsync(string domain, CancellationToken ct)
        {
            var result = await _resolver.QueryAsync("_dmarc." + domain, DnsRecordType.TXT, ct).ConfigureAwait(false);
            var texts = result.Status == DnsLookupStatus.Success ? result.Records.Select(r => r.Text).ToArray() : Array.Empty<string>();
            var dmarc = texts.Where(DmarcRecord.IsDmarcText).ToArray();
            var other = texts.Where(t => !DmarcRecord.IsDmarcText(t)).ToArray();
            return new DmarcLookup(domain, result.Status, dmarc, other)
            {
                Record = dmarc.Length == 1 ? DmarcRecord.Parse(dmarc[0]) : null,
                Source = result.Source,
            };
        }

        private static string? Lower(DmarcPolicy? p) => p?.ToString().ToLowerInvariant();

        private static string Shorten(string s) => s.Length <= 80 ? s : s.Substring(0, 77) + "...";
    }
}
