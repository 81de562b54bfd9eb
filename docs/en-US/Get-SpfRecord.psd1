@{
    Synopsis    = 'Reads a domain''s SPF record, expands its include and redirect tree, counts its DNS lookups and judges it.'
    Description = @'
Get-SpfRecord looks up the TXT records of each domain, picks the SPF record (the one that starts with v=spf1), parses every term into a typed object and follows every include and redirect recursively, each child with its own record.

It counts the DNS lookups a receiver will spend on the record as RFC 7208 section 4.6.4 counts them (include, a, mx, ptr, exists and redirect at any depth), the void lookups (limit 2), and collects the IPv4 and IPv6 ranges the record authorises where they can be known. Every problem is reported as a finding with a stable Id, a severity, a message and a remediation.

A lookup that fails (timeout, SERVFAIL) does not stop the pipeline: the result says what failed. An invalid domain name writes a non-terminating error with the ErrorId InvalidDomainName and the next domain is processed.

The domain binds from the pipeline by value and by property name (Domain, DomainName, Name or ZoneName), so Import-Csv domains.csv | Get-SpfRecord works. Use -ZoneFile to read zone files instead of live DNS, and -Server to ask particular servers.

Records straight from Windows DNS Server: pipe Get-DnsServerResourceRecord -ZoneName <zone> -RRType Txt into Get-SpfRecord -ZoneName <zone>, and every v=spf1 TXT record among them (at the apex or any other name) is judged as written, before or without publishing it; includes and redirects it names are still looked up through -Server/-ZoneFile. Other TXT records are skipped (with -Verbose); two SPF records at one name give a warning.
'@
    Parameters  = @{
        Domain     = 'The domain names to read. Accepts pipeline input by value and by the property names Domain, DomainName, Name and ZoneName. With records piped from Get-DnsServerResourceRecord, give the zone they come from as -ZoneName (an alias of -Domain).'
        RecordData = 'The RecordData of a record piped from Get-DnsServerResourceRecord -RRType Txt (bound by property name): its DescriptiveText is judged as the record text, one character-string per line, without looking the record up. Use it with -ZoneName.'
        HostName   = 'The record''s name relative to -ZoneName ("@" for the apex), bound by property name from Get-DnsServerResourceRecord output.'
        RecordType = 'The record type, bound by property name from Get-DnsServerResourceRecord output ("TXT" or "Txt"); records of other types are skipped (with -Verbose).'
        Server     = 'DNS servers to ask instead of the system resolvers: host, host:port or [IPv6]:port. Several may be given.'
        ZoneFile   = 'RFC 1035 zone files (BIND or Windows DNS Server exports) to answer from instead of live DNS. Names outside every loaded zone are asked of -Server when it is given; otherwise they are reported as not available offline.'
        TimeoutSec = 'Seconds to wait for each DNS answer before retrying (default 3).'
        RetryCount = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production; waiting for a slot does not count against -TimeoutSec.'
    }
    Inputs      = @(
        @{ Type = 'Microsoft.Management.Infrastructure.CimInstance#DnsServerResourceRecord'; Description = 'TXT records from Get-DnsServerResourceRecord (HostName, RecordType, RecordData.DescriptiveText), judged without a lookup; give -ZoneName.' }
        @{ Type = 'System.String'; Description = 'Domain names.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with a Domain, DomainName, Name or ZoneName property, such as rows from Import-Csv.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Spf.SpfRecordReport'; Description = 'One object per domain: the raw record, the parsed terms, the include tree, the lookup counts, the authorised ranges and the findings.' }
    )
    Examples    = @(
        @{
            Title   = 'Check the SPF record of a Windows DNS zone before it goes live'
            Code    = 'Get-DnsServerResourceRecord -ZoneName contoso.com -RRType Txt -ComputerName dc1 | Get-SpfRecord -ZoneName contoso.com'
            Remarks = 'Judges the text the DNS server holds, without a lookup of the record itself.'
        }
        @{
            Title   = 'Read one domain''s SPF record'
            Code    = 'Get-SpfRecord contoso.com'
            Remarks = 'Shows the record, its DNS lookup count and the number of findings.'
        }
        @{
            Title   = 'See why a record is over the ten-lookup limit'
            Code    = '(Get-SpfRecord contoso.com).Findings | Format-List Id, Severity, Message, Remediation'
            Remarks = 'Each finding says what is wrong and how to fix it.'
        }
        @{
            Title   = 'Audit a list of domains from a CSV file offline'
            Code    = 'Import-Csv .\domains.csv | Get-SpfRecord -ZoneFile .\zones\*.zone | Export-Csv spf.csv -NoTypeInformation'
            Remarks = 'Reads the Domain column of the CSV file and answers from zone files, without network.'
        }
        @{
            Title   = 'Ask a particular DNS server'
            Code    = 'Get-SpfRecord contoso.com -Server 10.0.0.53, ''[2001:db8::53]:53'' -TimeoutSec 2'
            Remarks = 'Useful to check what an internal or a new DNS provider''s server answers before a migration.'
        }
    )
    Links       = @('Test-SpfRecord', 'New-SpfRecord', 'RFC 7208')
}
