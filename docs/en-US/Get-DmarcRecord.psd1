@{
    Synopsis    = 'Finds the DMARC policy that applies to a domain, where it is published, and what is wrong with it.'
    Description = @'
Get-DmarcRecord discovers the DMARC record that applies to each name the way receivers do. By default it follows RFC 9989: a DNS tree walk that queries _dmarc.<name> and its parents (at most five queries, however long the name), honours psd=y and psd=n, and picks the organisational domain from the records it finds. With -DiscoveryMethod PublicSuffixList it follows the legacy RFC 7489 method instead: _dmarc.<name>, then _dmarc.<organisational domain> as the Public Suffix List bundled with the module defines it (-PublicSuffixListPath loads a newer copy).

The result says where the record was found (Location: Domain, OrganizationalDomain or PublicSuffixDomain), gives the raw record and every tag as a typed property (Policy, SubdomainPolicy, NonExistentSubdomainPolicy, Psd, Testing, DkimAlignment, SpfAlignment, FailureReportOptions, AggregateReportUris, FailureReportUris, and the removed Percentage, ReportFormat and ReportInterval), and the policy that applies to the name asked (AppliedPolicy and AppliedPolicyTag): p= for the domain's own record; sp= of a parent's record for an existing subdomain; np= for a subdomain that does not exist (checked in DNS).

Every rua= and ruf= destination is listed in ReportDestinations. A destination outside the record's organisational domain only receives reports when it publishes a v=DMARC1 TXT record at <record-domain>._report._dmarc.<destination> (a wildcard counts); the Authorized property says whether it does, and a finding carries the record it must publish.

Findings have stable Ids: DMARC.NoRecord, DMARC.MultipleRecords, DMARC.VersionNotFirst, DMARC.InvalidVersion, DMARC.NotDmarcRecord, DMARC.MissingPolicy, DMARC.InvalidPolicy, DMARC.InvalidValue, DMARC.DuplicateTag, DMARC.UnknownTag, DMARC.PolicyNone, DMARC.RemovedTag (pct, rf, ri, with what RFC 7489-only receivers still do with them), DMARC.NoAggregateReports, DMARC.InvalidReportUri, DMARC.ObsoleteSizeLimit, DMARC.RecordAtApex, DMARC.ExternalReportNotAuthorized, DMARC.LookupFailed and others.

An invalid domain name writes a non-terminating error (InvalidDomainName) and the next name is processed. The domain binds from the pipeline by value and by property name (Domain, DomainName, Name or ZoneName), so Import-Csv domains.csv | Get-DmarcRecord works.

Records straight from Windows DNS Server: pipe Get-DnsServerResourceRecord -ZoneName <zone> -RRType Txt into Get-DmarcRecord -ZoneName <zone>, and every TXT record named _dmarc or _dmarc.<subdomain> is judged as if published: it answers for its own name, while the rest of the discovery (parent domains, report destinations) is looked up as usual.
'@
    Parameters  = @{
        Domain               = 'The names to check. Accepts pipeline input by value and by the property names Domain, DomainName, Name and ZoneName. With records piped from Get-DnsServerResourceRecord, give the zone they come from as -ZoneName (an alias of -Domain).'
        RecordData           = 'The RecordData of a record piped from Get-DnsServerResourceRecord -RRType Txt (bound by property name): its DescriptiveText is judged as the record text, one character-string per line, without looking the record up. Use it with -ZoneName.'
        HostName             = 'The record''s name relative to -ZoneName ("@" for the apex), bound by property name from Get-DnsServerResourceRecord output.'
        RecordType           = 'The record type, bound by property name from Get-DnsServerResourceRecord output ("TXT" or "Txt"); records of other types are skipped (with -Verbose).'
        DiscoveryMethod      = 'TreeWalk (default, RFC 9989) or PublicSuffixList (the legacy RFC 7489 method, with the Public Suffix List bundled with the module).'
        PublicSuffixListPath = 'A public_suffix_list.dat file to use instead of the bundled copy. Implies -DiscoveryMethod PublicSuffixList unless that parameter is given.'
        Server               = 'DNS servers to ask instead of the system resolvers: host, host:port or [IPv6]:port. Several may be given.'
        ZoneFile             = 'RFC 1035 zone files (BIND or Windows DNS Server exports) to answer from instead of live DNS. Names outside every loaded zone are asked of -Server when it is given; otherwise they are reported as not available offline.'
        TimeoutSec           = 'Seconds to wait for each DNS answer before retrying (default 3).'
        RetryCount           = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production; waiting for a slot does not count against -TimeoutSec.'
    }
    Inputs      = @(
        @{ Type = 'Microsoft.Management.Infrastructure.CimInstance#DnsServerResourceRecord'; Description = 'TXT records from Get-DnsServerResourceRecord (HostName, RecordType, RecordData.DescriptiveText), judged without a lookup; give -ZoneName.' }
        @{ Type = 'System.String'; Description = 'Domain names.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with a Domain, DomainName, Name or ZoneName property, such as rows from Import-Csv.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Dmarc.DmarcRecordReport'; Description = 'One object per name: where the record was found, the record and its tags, the applied policy, the report destinations and the findings.' }
    )
    Examples    = @(
        @{
            Title   = 'Check a DMARC record in a Windows DNS zone before it goes live'
            Code    = 'Get-DnsServerResourceRecord -ZoneName contoso.com -Name _dmarc -RRType Txt -ComputerName dc1 | Get-DmarcRecord -ZoneName contoso.com'
            Remarks = 'Judges the record the DNS server holds, as receivers would read it.'
        }
        @{
            Title   = 'Which DMARC policy protects a domain?'
            Code    = 'Get-DmarcRecord contoso.com | Format-List Domain, Location, RecordName, AppliedPolicy, AppliedPolicyTag, Record'
            Remarks = 'Shows where the record was found and which tag decides the policy for the name asked.'
        }
        @{
            Title   = 'Will the report addresses receive reports?'
            Code    = '(Get-DmarcRecord contoso.com).ReportDestinations | Format-Table Tag, Uri, IsExternal, Authorized, AuthorizationName'
            Remarks = 'An external destination that has not published its _report._dmarc record gets no reports; the finding DMARC.ExternalReportNotAuthorized carries the record it must publish.'
        }
        @{
            Title   = 'Audit a list of domains offline and keep the problems'
            Code    = 'Import-Csv .\domains.csv | Get-DmarcRecord -ZoneFile .\zones\*.zone | ForEach-Object { $d = $_.Domain; $_.Findings | Select-Object @{ n = ''Domain''; e = { $d } }, Id, Severity, Message } | Export-Csv dmarc-findings.csv -NoTypeInformation'
            Remarks = 'Reads the Domain column of the CSV file, answers from zone files and writes one row per finding.'
        }
        @{
            Title   = 'Compare the legacy Public Suffix List method with the tree walk'
            Code    = 'Get-DmarcRecord shop.contoso.co.uk -DiscoveryMethod PublicSuffixList -PublicSuffixListPath .\public_suffix_list.dat'
            Remarks = 'Uses a newer copy of the Public Suffix List, as RFC 7489-only receivers would.'
        }
    )
    Links       = @('New-DmarcRecord', 'Get-SpfRecord', 'Get-DkimRecord', 'RFC 9989', 'RFC 7489')
}
