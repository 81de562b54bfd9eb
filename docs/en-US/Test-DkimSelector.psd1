@{
    Synopsis    = 'Finds the DKIM keys a domain publishes, or checks given selectors.'
    Description = @'
With -Selector, Test-DkimSelector checks those selectors and returns one report per selector, like Get-DkimRecord.

Without -Selector it discovers the domain's keys. Selector names cannot be listed from DNS, so it tries a built-in list of common selectors (default, mail, dkim, s1, s2, k1, google, selector1, selector2, fm1, protonmail, pdk1 and more), notes the mail services the domain's MX records and SPF includes point to (Microsoft 365, Google Workspace, SendGrid, Mailchimp, Fastmail, Proton Mail, Mailgun, Zoho, ...) and the selectors they use, and probes _domainkey.<domain> as RFC 8020 allows: NXDOMAIN there proves that no key exists under any selector; NOERROR with no data means keys may exist under selectors no list contains (Amazon SES, for example, uses random tokens).

All lookups for one domain go out in one round of parallel queries. It returns one report per selector found; when none is found it returns one discovery result that lists the selectors tried, the providers seen, what the probe showed and findings (DKIM.NoDomainKeys, DKIM.NoSelectorFound, DKIM.ProviderSelectorMissing).

Objects with Domain and Selector properties (or DkimDomain and DkimSelector) bind from the pipeline, so selectors seen in signed mail or DMARC reports can be checked directly.
'@
    Parameters  = @{
        Domain     = 'The domains to check. Accepts pipeline input by value and by the property names Domain, DomainName and DkimDomain.'
        Selector   = 'Selectors to check instead of discovering them. Accepts pipeline input by the property names Selector and DkimSelector.'
        Server     = 'DNS servers to ask instead of the system resolvers: host, host:port or [IPv6]:port. Several may be given.'
        ZoneFile   = 'RFC 1035 zone files (BIND or Windows DNS Server exports) to answer from instead of live DNS. Names outside every loaded zone are asked of -Server when it is given; otherwise they are reported as not available offline.'
        TimeoutSec = 'Seconds to wait for each DNS answer before retrying (default 3).'
        RetryCount = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production; waiting for a slot does not count against -TimeoutSec.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Domain names.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with Domain (or DkimDomain) and optionally Selector (or DkimSelector) properties.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Dkim.DkimRecordReport'; Description = 'One object per selector found (or per selector given).' }
        @{ Type = 'MailAuth.Dkim.DkimDiscoveryResult'; Description = 'When discovery finds no key: what was tried, the providers seen, the probe result and findings.' }
    )
    Examples    = @(
        @{
            Title   = 'Find the keys a domain publishes'
            Code    = 'Test-DkimSelector contoso.com'
            Remarks = 'One report per key found; when none is found, a result saying what was tried and whether _domainkey.contoso.com exists.'
        }
        @{
            Title   = 'Check selectors taken from DMARC reports'
            Code    = 'Import-Csv .\dkim-selectors.csv | Test-DkimSelector'
            Remarks = 'Each CSV row with Domain and Selector columns is checked.'
        }
        @{
            Title   = 'Check one selector through a particular server'
            Code    = 'Test-DkimSelector contoso.com -Selector google -Server 10.0.0.53'
            Remarks = 'Useful to compare what an internal server answers with what the Internet sees.'
        }
    )
    Links       = @('Get-DkimRecord', 'Test-DkimSignature', 'RFC 6376', 'RFC 8020')
}
