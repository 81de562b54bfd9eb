@{
    Synopsis    = 'Builds a valid SPF record, ready to publish with Add-DnsServerResourceRecord or as a zone-file line.'
    Description = @'
New-SpfRecord assembles an SPF record from the addresses, includes and options given, validates it with the same parser Get-SpfRecord uses, and returns a record object with ZoneName, Name, DescriptiveText, Strings, Value, TimeToLive and ZoneFileLine. Its properties bind by name to Windows DNS Server's Add-DnsServerResourceRecord, so the output pipes straight in with -Txt.

A record longer than 255 characters is split into several character-strings; DescriptiveText then joins them with CR LF, the form the DnsServer documentation describes for long TXT records.

-All Pass (+all) authorises the whole Internet and is refused unless -Force is given. With -Validate, the includes and redirect are resolved and the record's DNS lookup count is reported (property DnsLookupCount) with any findings before anything is published; a record over the ten-lookup limit also writes a warning.
'@
    Parameters  = @{
        IPv4Address = 'IPv4 addresses or networks in CIDR form (192.0.2.10, 198.51.100.0/24) to authorise with ip4: terms.'
        IPv6Address = 'IPv6 addresses or networks in CIDR form (2001:db8::/32) to authorise with ip6: terms.'
        Include     = 'Domains whose SPF records are included (include:), such as spf.protection.outlook.com for Microsoft 365.'
        Mx          = 'Adds the mx mechanism: the domain''s own MX hosts may send.'
        A           = 'Adds the a mechanism: the domain''s own A/AAAA addresses may send.'
        Redirect    = 'A domain whose SPF record replaces this one (redirect=). Without -All, no all term is added.'
        All         = 'The final all term: Fail (-all), SoftFail (~all, the default unless -Redirect is given), Neutral (?all) or Pass (+all, refused without -Force).'
        Force       = 'Allows -All Pass.'
        ZoneName    = 'The zone the record is for (ZoneName of the output). Required for Add-DnsServerResourceRecord.'
        Name        = 'The owner name relative to the zone; @ (the default) for the apex.'
        TimeToLive  = 'The record''s TTL (default one hour).'
        Validate    = 'Resolves includes and redirect through DNS and reports the lookup count and findings on the output object.'
        Server      = 'DNS servers to use with -Validate: host, host:port or [IPv6]:port.'
        ZoneFile    = 'Zone files to use with -Validate instead of live DNS.'
        TimeoutSec  = 'Seconds to wait for each DNS answer with -Validate (default 3).'
        RetryCount  = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production; waiting for a slot does not count against -TimeoutSec.'
    }
    Inputs      = @()
    Outputs     = @(
        @{ Type = 'MailAuth.Publishing.PublishableRecord'; Description = 'The record to publish: ZoneName, Name, DescriptiveText, Strings, Value, TimeToLive, RecordType, ZoneFileLine.' }
    )
    Examples    = @(
        @{
            Title   = 'A record for Microsoft 365 plus one on-premises server'
            Code    = 'New-SpfRecord -ZoneName contoso.com -IPv4Address 203.0.113.25 -Include spf.protection.outlook.com -All Fail'
            Remarks = 'Produces v=spf1 ip4:203.0.113.25 include:spf.protection.outlook.com -all.'
        }
        @{
            Title   = 'Publish it on a Windows DNS server'
            Code    = 'New-SpfRecord -ZoneName contoso.com -Mx -Include _spf.google.com | Add-DnsServerResourceRecord -Txt -ComputerName dc1'
            Remarks = 'ZoneName, Name, DescriptiveText and TimeToLive bind by property name.'
        }
        @{
            Title   = 'Check the lookup count before publishing'
            Code    = 'New-SpfRecord -ZoneName contoso.com -Include spf.protection.outlook.com, _spf.google.com, sendgrid.net -Validate | Select-Object Value, DnsLookupCount, Findings'
            Remarks = 'Resolves every include and reports the total against the limit of ten.'
        }
        @{
            Title   = 'One record per row of a CSV file'
            Code    = 'Import-Csv .\spf-plan.csv | New-SpfRecord | Add-DnsServerResourceRecord -Txt -ComputerName dc1'
            Remarks = 'Columns ZoneName, Name, Include, IPv4Address, IPv6Address, Redirect, All and TimeToLive bind by name; a cell may list several values separated by spaces, commas or semicolons. A row with a bad value writes an error and the other rows go on.'
        }
        @{
            Title   = 'A record for a domain that sends no mail'
            Code    = 'New-SpfRecord -ZoneName parked.example -All Fail | Select-Object -ExpandProperty ZoneFileLine'
            Remarks = 'Produces v=spf1 -all as a zone-file line.'
        }
    )
    Links       = @('Get-SpfRecord', 'Test-SpfRecord', 'Add-DnsServerResourceRecord')
}
