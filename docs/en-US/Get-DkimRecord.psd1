@{
    Synopsis    = 'Reads the DKIM key records of given selectors, decodes each key and judges it.'
    Description = @'
Get-DkimRecord looks up the TXT record at <selector>._domainkey.<domain> for each selector (in parallel), following CNAMEs and reporting the target and the mail service it implies (Microsoft 365, SendGrid, Mailchimp, Amazon SES, Fastmail, Proton Mail, ...).

It parses the tag list as RFC 6376 section 3.6.1 defines it (v, k, p, h, s, t, n; unknown tags are kept), decodes the public key (RSA as SubjectPublicKeyInfo or bare RSAPublicKey, Ed25519 as 32 raw bytes) and reports KeyType, KeyBits, Revoked (empty p=), Testing (t=y), StrictSubdomains (t=s), the hash and service restrictions and findings with stable Ids:
DKIM.KeyTooSmall (RSA under 1024 bits: RFC 8301 verifiers reject it), DKIM.Key1024 (use 2048), DKIM.Sha1Only, DKIM.TestingMode, DKIM.Revoked, DKIM.InvalidBase64, DKIM.MalformedKey, DKIM.Ed25519KeyLength, DKIM.UnknownKeyType, DKIM.InvalidVersion, DKIM.MultipleRecords, DKIM.CnameTargetMissing (a CNAME whose target has no key, for example one left "proxied" after a move to Cloudflare), DKIM.SplitLooksWrong (quotes or spaces inside p=, a key cut off at 255 characters, a key split into two TXT records) and DKIM.NoRecord.

A lookup that fails (timeout, SERVFAIL) does not stop the pipeline: the report's Status is LookupFailed. An invalid domain name writes a non-terminating error with the ErrorId InvalidDomainName.

Records straight from Windows DNS Server: pipe Get-DnsServerResourceRecord -ZoneName <zone> -RRType Txt into Get-DkimRecord -ZoneName <zone>, and every TXT record named <selector>._domainkey is judged as written, without a lookup (the lines of a split DescriptiveText are joined, one character-string each). -Selector is then optional and limits the selectors judged.
'@
    Parameters  = @{
        Domain     = 'The domains whose keys to read. Accepts pipeline input by value and by the property names Domain, DomainName, DkimDomain and ZoneName. With records piped from Get-DnsServerResourceRecord, give the zone they come from as -ZoneName (an alias of -Domain).'
        RecordData = 'The RecordData of a record piped from Get-DnsServerResourceRecord -RRType Txt (bound by property name): its DescriptiveText is judged as the record text, one character-string per line, without looking the record up. Use it with -ZoneName.'
        HostName   = 'The record''s name relative to -ZoneName ("@" for the apex), bound by property name from Get-DnsServerResourceRecord output.'
        RecordType = 'The record type, bound by property name from Get-DnsServerResourceRecord output ("TXT" or "Txt"); records of other types are skipped (with -Verbose).'
        Selector   = 'The selectors to read (the s= tag of a DKIM-Signature). Accepts pipeline input by the property names Selector and DkimSelector.'
        Server     = 'DNS servers to ask instead of the system resolvers: host, host:port or [IPv6]:port. Several may be given.'
        ZoneFile   = 'RFC 1035 zone files (BIND or Windows DNS Server exports) to answer from instead of live DNS. Names outside every loaded zone are asked of -Server when it is given; otherwise they are reported as not available offline.'
        TimeoutSec = 'Seconds to wait for each DNS answer before retrying (default 3).'
        RetryCount = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production; waiting for a slot does not count against -TimeoutSec.'
    }
    Inputs      = @(
        @{ Type = 'Microsoft.Management.Infrastructure.CimInstance#DnsServerResourceRecord'; Description = 'TXT records from Get-DnsServerResourceRecord (HostName, RecordType, RecordData.DescriptiveText), judged without a lookup; give -ZoneName.' }
        @{ Type = 'System.String'; Description = 'Domain names.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with Domain (or DkimDomain) and Selector (or DkimSelector) properties, such as rows from a CSV file or a DMARC report.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Dkim.DkimRecordReport'; Description = 'One object per selector: the record, its tags, the decoded key facts, the CNAME target and provider, and the findings.' }
    )
    Examples    = @(
        @{
            Title   = 'Judge the DKIM keys a Windows DNS zone holds'
            Code    = 'Get-DnsServerResourceRecord -ZoneName contoso.com -RRType Txt -ComputerName dc1 | Get-DkimRecord -ZoneName contoso.com'
            Remarks = 'Every <selector>._domainkey TXT record of the zone, decoded and judged without a DNS lookup.'
        }
        @{
            Title   = 'Check the two Microsoft 365 selectors of a domain'
            Code    = 'Get-DkimRecord contoso.com -Selector selector1, selector2'
            Remarks = 'Shows each selector''s status, key type and size, and the CNAME target in the tenant.'
        }
        @{
            Title   = 'See what is wrong with a key'
            Code    = '(Get-DkimRecord contoso.com -Selector mail).Findings | Format-List Id, Severity, Message, Remediation'
            Remarks = 'Each finding says what is wrong and how to fix it.'
        }
        @{
            Title   = 'Check a key in a zone file before it is published'
            Code    = 'Get-DkimRecord contoso.com -Selector s2026 -ZoneFile .\contoso.com.dns'
            Remarks = 'Reads the record from a Windows DNS Server zone export instead of live DNS.'
        }
    )
    Links       = @('Test-DkimSelector', 'New-DkimKey', 'Test-DkimSignature', 'RFC 6376', 'RFC 8301', 'RFC 8463')
}
