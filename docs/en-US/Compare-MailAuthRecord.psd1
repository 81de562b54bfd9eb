@{
    Synopsis    = 'Compares the SPF, DKIM, DMARC, MX, MTA-STS, TLS-RPT and BIMI records of domains between two DNS sources, for example before and after a DNS migration.'
    Description = @'
Compare-MailAuthRecord reads the mail-authentication records of each domain from a reference (the old DNS host's zone export given with -ReferenceZoneFile, or its name servers given with -ReferenceServer) and from a difference side (-DifferenceZoneFile, -DifferenceServer, or, when neither is given, the system resolvers), and returns one row per record:

- SPF: the v=spf1 TXT record at the domain;
- DKIM: every selector with a TXT or CNAME record under _domainkey in the reference (and difference) zone files, plus the selectors given with -Selector; a side answered by servers cannot list its names, so there the common and provider selectors are tried (the discovery of Test-DkimSelector) unless -SkipSelectorDiscovery is given;
- DMARC (_dmarc), MTA-STS (_mta-sts), TLS-RPT (_smtp._tls) and BIMI (default._bimi) TXT records;
- MX: one row per mail exchanger.

State is Same, Changed, Missing (only in the reference), Extra (only on the difference side) or LookupFailed (a timeout, SERVFAIL or a name outside the loaded zone files: nothing is claimed). TXT values are compared after their character-strings are joined, exactly; names and CNAME and MX targets ignore letter case. A record absent on both sides gives no row.

For Missing and Changed rows, RecordToPublish holds the reference record ready for Windows DNS Server: TXT records (split at 255 octets) pipe into Add-DnsServerResourceRecord -Txt, CNAME records into Add-DnsServerResourceRecordCName, MX records into Add-DnsServerResourceRecordMX. Its TTL is the reference record's, or one hour when that is unknown or under a minute. For a Changed row, the record on the difference side has to be replaced, not added beside.

Without -Domain, every zone in the reference zone files is compared. An invalid domain name writes a non-terminating error with the ErrorId InvalidDomainName; an invalid selector one with InvalidSelector. Without -ReferenceZoneFile and -ReferenceServer the cmdlet stops with the ErrorId NoReference.
'@
    Parameters  = @{
        Domain             = 'The domains to compare. Accepts pipeline input by value and by the property names Domain, DomainName, Name and ZoneName (a CSV column). Without it, every zone of the reference zone files is compared.'
        Selector           = 'DKIM selectors to compare in addition to those found in the zone files or by selector discovery (give a selector discovery cannot guess when the reference is a server, since DNS cannot list names). Accepts pipeline input by the property names Selector and DkimSelector.'
        SkipSelectorDiscovery = 'Compares only the DKIM selectors given and those in zone files: no discovery of common and provider selectors on a side answered by servers (fewer queries).'
        ReferenceServer    = 'DNS servers that answer for the reference side, for example the old host''s name servers: host, host:port or [IPv6]:port.'
        ReferenceZoneFile  = 'Zone files (BIND or Windows DNS Server exports) that hold the reference side, for example the export from the old host. Wildcards are expanded. With -ReferenceServer too, names outside the files are asked of the server.'
        DifferenceServer   = 'DNS servers that answer for the difference side, for example the new provider''s name servers. Alias: Server. Without it and -DifferenceZoneFile, the system resolvers answer.'
        DifferenceZoneFile = 'Zone files that hold the difference side, for example the new provider''s export. Alias: ZoneFile.'
        TimeoutSec         = 'Seconds to wait for each DNS answer before retrying (default 3), on both sides.'
        RetryCount         = 'How many times a DNS query is retried after a timeout (default 1), on both sides.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Domain names.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with a Domain (DomainName, Name, ZoneName) property and optionally Selector, such as rows from a CSV file.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Migration.MailAuthRecordComparison'; Description = 'One row per record: Domain, Kind, Name, RecordType, Selector, State, ReferenceValue, DifferenceValue, the lookup statuses and sources, Message, and RecordToPublish for Missing and Changed records.' }
    )
    Examples    = @(
        @{
            Title   = 'Check a DNS move: the old host''s export against the new provider'
            Code    = 'Compare-MailAuthRecord contoso.com -ReferenceZoneFile .\old\contoso.com.zone -DifferenceServer ada.ns.newdns.example'
            Remarks = 'Shows every SPF, DKIM, DMARC, MX, MTA-STS, TLS-RPT and BIMI record and whether it survived the move.'
        }
        @{
            Title   = 'Publish what went missing on Windows DNS Server'
            Code    = @'
Compare-MailAuthRecord -ReferenceZoneFile .\old\*.zone |
    Where-Object { $_.State -eq 'Missing' -and $_.RecordType -eq 'TXT' } |
    ForEach-Object RecordToPublish |
    Add-DnsServerResourceRecord -Txt -ComputerName dc1
'@
            Remarks = 'Compares every zone of the old exports with live DNS and adds the missing TXT records (SPF, DKIM keys, DMARC, ...). Use Add-DnsServerResourceRecordCName and Add-DnsServerResourceRecordMX for CNAME and MX rows.'
        }
        @{
            Title   = 'Two exports side by side, offline'
            Code    = 'Compare-MailAuthRecord contoso.com -ReferenceZoneFile .\old\contoso.com.zone -DifferenceZoneFile .\new\contoso.com.zone -Selector selector1, selector2 | Where-Object State -ne Same | Format-List Kind, Name, State, Message'
            Remarks = 'Only what differs, with what it means for mail.'
        }
    )
    Links       = @('Get-SpfRecord', 'Get-DkimRecord', 'RFC 7208', 'RFC 6376', 'RFC 7489', 'RFC 8461', 'RFC 8460', 'RFC 7505')
}
