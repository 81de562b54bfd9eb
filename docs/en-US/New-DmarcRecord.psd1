@{
    Synopsis    = 'Builds a valid DMARC record for _dmarc.<zone>, and the authorisation records external report addresses need.'
    Description = @'
New-DmarcRecord assembles a DMARC record in RFC 9989 form (v=DMARC1 first, then p, sp, np, t, adkim, aspf, rua, ruf and fo; default values are left out), validates it with the parser Get-DmarcRecord uses, and returns a record object for the name _dmarc in the zone given: ZoneName, Name, DescriptiveText, Strings, Value, TimeToLive and ZoneFileLine. Its properties bind by name to Windows DNS Server's Add-DnsServerResourceRecord, so the output pipes straight in with -Txt. Findings such as p=none (monitoring only) or a missing aggregate report address travel in its Findings property.

Plain report addresses become mailto: URIs (an exclamation mark or comma in an address is percent-encoded, as RFC 9989 requires). For every report address whose domain belongs to another organisational domain (by the bundled Public Suffix List), a second record object is returned: the TXT record "v=DMARC1;" at <zone>._report._dmarc.<destination>, in the destination's zone, which the destination's operator must publish before receivers send reports there.

Every value parameter binds by property name, so each row of a CSV file (ZoneName, Policy, AggregateReportAddress, ...) yields one record; cells may hold several addresses separated by spaces, commas or semicolons. An unusable address writes a non-terminating error (InvalidReportAddress) and the next row is processed.
'@
    Parameters  = @{
        Policy                     = 'p=: None (monitoring only), Quarantine or Reject, for the domain itself.'
        SubdomainPolicy            = 'sp=: the policy for existing subdomains without a record of their own; p= applies when it is not given.'
        NonExistentSubdomainPolicy = 'np=: the policy for subdomains that do not exist in DNS; sp= (or p=) applies when it is not given.'
        AggregateReportAddress     = 'rua=: addresses for aggregate reports. Plain addresses become mailto: URIs; URIs are kept as given.'
        FailureReportAddress       = 'ruf=: addresses for failure (forensic) reports. Plain addresses become mailto: URIs.'
        DkimAlignment              = 'adkim=: Relaxed (default, left out) or Strict DKIM identifier alignment.'
        SpfAlignment               = 'aspf=: Relaxed (default, left out) or Strict SPF identifier alignment.'
        FailureReportOptions       = 'fo=: when failure reports are wanted: 0 (all mechanisms fail, the default), 1 (any fails), d (DKIM fails), s (SPF fails); several are joined with a colon.'
        Testing                    = 't=y: asks receivers not to apply the policy yet (RFC 9989 testing mode). RFC 7489-only receivers ignore it.'
        ZoneName                   = 'The domain the record is for; the record is named _dmarc in this zone. Needed to work out which report addresses are external.'
        TimeToLive                 = 'The TTL of the records (default one hour).'
    }
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects whose properties are named like the parameters, such as rows from Import-Csv.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Publishing.PublishableRecord'; Description = 'The _dmarc record, followed by one _report._dmarc authorisation record per external report destination.' }
    )
    Examples    = @(
        @{
            Title   = 'Start monitoring with aggregate reports'
            Code    = 'New-DmarcRecord -ZoneName contoso.com -Policy None -AggregateReportAddress dmarc@contoso.com | Add-DnsServerResourceRecord -Txt -ComputerName dc1'
            Remarks = 'Publishes "v=DMARC1; p=none; rua=mailto:dmarc@contoso.com" at _dmarc.contoso.com on a Windows DNS Server.'
        }
        @{
            Title   = 'Enforce, with reports going to a report service'
            Code    = 'New-DmarcRecord -ZoneName contoso.com -Policy Reject -NonExistentSubdomainPolicy Reject -AggregateReportAddress dmarc@contoso.com, contoso@reports.example.net | Format-Table ZoneName, Name, Value'
            Remarks = 'Returns the _dmarc record for contoso.com and, because reports.example.net is another organisation, the record contoso.com._report._dmarc.reports.example.net that the report service must publish.'
        }
        @{
            Title   = 'One record per domain from a CSV file, as zone-file lines'
            Code    = 'Import-Csv .\dmarc.csv | New-DmarcRecord | Select-Object -ExpandProperty ZoneFileLine'
            Remarks = 'The CSV file has the columns ZoneName, Policy and AggregateReportAddress (and any other parameter name).'
        }
    )
    Links       = @('Get-DmarcRecord', 'New-SpfRecord', 'RFC 9989')
}
