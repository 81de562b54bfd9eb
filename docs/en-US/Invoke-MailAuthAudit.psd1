@{
    Synopsis    = 'Audits whole domains in bulk: MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, BIMI, PTR and sender requirements, one result per input row, with the records to publish.'
    Description = @'
Invoke-MailAuthAudit checks every mail-authentication record of each domain and returns one result object per input row, in input order, as soon as that row and every row before it are done.

Per domain it checks:
MX: present, the null MX of RFC 7505 ("0 ."), each host resolving to addresses, hosts that are CNAMEs or IP addresses, unroutable addresses, and forward-confirmed reverse DNS of the hosts' addresses.
SPF (as Get-SpfRecord: lookup count, void lookups, syntax), and for each sending IP given, SPF check_host() and forward-confirmed reverse DNS (Gmail rejects mail from IPs without it, 550-5.7.25).
DKIM: the selectors given (parameter or CSV column Selector); for a domain without given selectors, or when a given selector has no key, also the common and provider selectors found by discovery (as Test-DkimSelector, asking the RFC 8020 probe _domainkey.<domain> first: when it does not exist, no selector can). A given selector without a key is an Error finding.
DMARC (as Get-DmarcRecord: RFC 9989 tree walk, the policy that applies, report destinations).
MTA-STS: the _mta-sts TXT record (v=STSv1; id=) and the policy at https://mta-sts.<domain>/.well-known/mta-sts.txt (fetched over HTTPS with certificate validation, no redirects, 64 KiB and 10 s at most; version, mode, max_age, mx) and whether its mx patterns cover every MX host. A policy that cannot be fetched is a finding, never an error of the cmdlet. With -ZoneFile and no -Server (offline) the policy is not fetched.
TLS-RPT (_smtp._tls, v=TLSRPTv1; rua=) and BIMI (default._bimi, v=BIMI1; l= https; a=) record syntax, and whether BIMI has the DMARC enforcement it needs.
Parked domains (a null MX, or no MX and an SPF record that authorises no one): findings recommending v=spf1 -all, DMARC p=reject and a null MX, each with the record to publish.
With -Requirement Google, Yahoo, Microsoft or All: one verdict per rule of the provider's sender requirements (Pass, Fail, Warning or NotVerifiable) with the evidence; rules DNS cannot prove (one-click unsubscribe, complaint rates, alignment without a message, TLS of the sender) say NotVerifiable.

The result has flat properties that export cleanly with Export-Csv (Row, Domain, Status, Grade, Reason, IsParked, SpfStatus, SpfLookupCount, DkimStatus, DkimSelectorsFound, DkimSelectorsMissing, WeakestDkimKeyBits, DmarcStatus, DmarcPolicy, MxStatus, MxHosts, MtaStsMode, TlsRptStatus, BimiStatus, RequirementsFailed, ErrorCount, WarningCount, SuggestedRecordCount, DuplicateOfRow ...) and the details: Findings (Id, Severity, Area, Message, Remediation, Reference, SuggestedRecord), Spf, Dkim, Dmarc, Mx, MtaSts, TlsRpt, Bimi, SendingIpReverseDns, SpfSendingIpResults, Requirements and ReferenceComparison. In a CSV, Findings becomes the list of finding Ids. SuggestedRecord is the record object the New-* cmdlets return, so "| Select-Object -ExpandProperty Findings | Where-Object SuggestedRecord | Select-Object -ExpandProperty SuggestedRecord" pipes into Add-DnsServerResourceRecord.

Status is Ok, Warning, Error (any Error finding) or Failed: the domain could not be audited (an invalid name, a domain that does not exist, DNS that did not answer, or the audit took longer than -DomainTimeoutSec); Reason says why. Grade runs from A to F: SPF 25 points, DKIM 25, DMARC 30, MX and transport security 20; any Error finding caps it at C, and a failed row is F.

Bulk behaviour: rows are collected as they arrive and audited -ThrottleLimit at a time (default 128) with one DNS cache for the whole run; a row that repeats an earlier domain (with the same selectors and sending IPs) is audited once and reported again with DuplicateOfRow set; a failure or timeout of one domain never stops the others; every input row yields exactly one result; Ctrl+C stops at once. Progress (counts and domains per second) goes to Write-Progress; output objects are written only from the pipeline thread. Nothing is written to the host, so the cmdlet suits scheduled tasks.
'@
    Parameters  = @{
        Domain                = 'The domains to audit. Accepts pipeline input by value and by the property names Domain, DomainName, Name and ZoneName (for example rows from Import-Csv). An empty or invalid name yields a Failed result for that row.'
        Selector              = 'DKIM selectors to check (discovery then runs only if one of them has no key). Accepts pipeline input by the property names Selector, DkimSelector and Selectors; a CSV cell may hold several separated by commas, semicolons or spaces.'
        SendingIP             = 'IP addresses that send mail for the domain: each gets SPF check_host() and a forward-confirmed reverse DNS check. Accepts pipeline input by the property names SendingIP, SendingIPs and SendingIPAddress; a cell may hold several.'
        Requirement           = 'Judge the domains against the sender requirements of Google, Yahoo, Microsoft, or All of them. The verdicts are in the Requirements property; RequirementsFailed counts the failed rules.'
        ThrottleLimit         = 'How many domains are audited at the same time (1-256, default 128). At full speed the default sends the DNS server about 13,000 queries per second (up to 512 in flight); for a shared or rate-limited resolver (public resolvers limit one client to far less) give a lower value, such as 16.'
        DomainTimeoutSec      = 'The longest one domain''s audit may take, in seconds (default 120); after it that row is Failed with a timeout reason and the others go on.'
        ReferenceZoneFile     = 'Zone files from before a migration (for example the old DNS host''s export). A record they publish that is missing now is reported with the old record as SuggestedRecord (as Compare-MailAuthRecord does); the comparison is in ReferenceComparison.'
        SkipSelectorDiscovery = 'Check only the given DKIM selectors, never looking for common and provider selectors (a domain without given selectors then gets no DKIM verdict beyond the probe).'
        SkipMtaStsPolicy      = 'Check the _mta-sts TXT record but do not fetch the MTA-STS policy over HTTPS. (When fetched, the policy host mta-sts.<domain> is looked up through the same DNS as the records, -Server included.)'
        Server                = 'DNS servers to ask instead of the system resolvers: host, host:port or [IPv6]:port. Several may be given.'
        ZoneFile              = 'RFC 1035 zone files (BIND or Windows DNS Server exports) to answer from instead of live DNS. Names outside every loaded zone are asked of -Server when it is given; otherwise they are reported as not available offline, and MTA-STS policies are not fetched.'
        TimeoutSec            = 'Seconds to wait for each DNS answer before retrying (default 3).'
        RetryCount            = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production. Unless -ThrottleLimit is given too, the audit then takes a tenth of this rate in domains at a time (at least 1), since a domain costs about 20 queries; waiting for a slot does not count against -TimeoutSec.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Domain names.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with a Domain (or DomainName, Name, ZoneName) property and optional Selector and SendingIP properties, such as rows from Import-Csv.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Audit.MailAuthAuditResult'; Description = 'One object per input row, in input order: the flat summary, the findings with the records to publish, and the detailed reports.' }
    )
    Examples    = @(
        @{
            Title   = 'Audit the bundled sample domains offline'
            Code    = 'Import-Csv samples/domains.csv | Invoke-MailAuthAudit -ZoneFile (Get-ChildItem samples/zones/new-host, samples/zones/providers -File) -ReferenceZoneFile samples/zones/old-host/*.zone'
            Remarks = 'One row per domain; contoso-pharma.example shows the DKIM key mail._domainkey that the move to the new DNS host lost, with the old record to publish.'
        }
        @{
            Title   = 'A thousand domains from a CSV to a CSV'
            Code    = 'Import-Csv .\domains.csv | Invoke-MailAuthAudit -ThrottleLimit 32 | Export-Csv .\audit.csv -NoTypeInformation'
            Remarks = 'The CSV needs a Domain column; Selector and SendingIP columns are optional. Results come in input order, one per row. 32 domains at a time (the default is 128) is gentler on a shared resolver.'
        }
        @{
            Title   = 'Publish every suggested record on Windows DNS Server'
            Code    = 'Invoke-MailAuthAudit contoso.com | Select-Object -ExpandProperty Findings | Where-Object SuggestedRecord | Select-Object -ExpandProperty SuggestedRecord | Where-Object RecordType -eq TXT | Add-DnsServerResourceRecord -Txt -ComputerName dc1 -WhatIf'
            Remarks = 'Review with -WhatIf first: a suggestion is a starting point (for example p=reject for a parked domain).'
        }
        @{
            Title   = 'Would Gmail, Yahoo and Outlook.com accept our mail?'
            Code    = '(Invoke-MailAuthAudit contoso.com -Requirement All -SendingIP 203.0.113.25).Requirements | Format-Table Provider, Rule, Verdict, Evidence -Wrap'
            Remarks = 'One verdict per rule; NotVerifiable marks what DNS cannot show (unsubscribe headers, complaint rates).'
        }
    )
    Links       = @('Get-SpfRecord', 'Test-DkimSelector', 'Get-DmarcRecord', 'Compare-MailAuthRecord', 'RFC 5321', 'RFC 7505', 'RFC 8461', 'RFC 8460')
}
