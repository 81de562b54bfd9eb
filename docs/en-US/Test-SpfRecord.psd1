@{
    Synopsis    = 'Evaluates SPF for a sending IP address as a receiving mail server would (RFC 7208 check_host()).'
    Description = @'
Test-SpfRecord runs the RFC 7208 check_host() function for a client IP address, a MAIL FROM address and a HELO name, and returns the result a receiver would reach: Pass, Fail, SoftFail, Neutral, None, PermError or TempError.

The result carries the explanation (the expanded exp= text on Fail), the term that matched, the domain whose record decided, the number of DNS lookups used and a step-by-step trace of the evaluation. Macros (RFC 7208 section 7) are fully supported, IPv4-mapped IPv6 addresses are treated as IPv4, and an empty sender is evaluated as postmaster@<HELO name>.

When -Domain is not given, the domain of -Sender is checked; when the sender is empty, the HELO domain is checked.
'@
    Parameters  = @{
        IPAddress  = 'The IP address of the sending server (the SMTP client). Accepts pipeline input by property name (IPAddress, IP, SendingIP, SourceIP).'
        Sender     = 'The MAIL FROM (envelope sender) address. Empty or omitted means a bounce: the HELO identity is checked as postmaster@<HeloDomain>.'
        HeloDomain = 'The name the client gave in HELO or EHLO.'
        Domain     = 'The domain whose SPF record is evaluated. Defaults to the domain of -Sender, or to -HeloDomain when the sender is empty.'
        Server     = 'DNS servers to ask instead of the system resolvers: host, host:port or [IPv6]:port.'
        ZoneFile   = 'RFC 1035 zone files to answer from instead of live DNS.'
        TimeoutSec = 'Seconds to wait for each DNS answer before retrying (default 3).'
        RetryCount = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production; waiting for a slot does not count against -TimeoutSec.'
        ThrottleLimit = 'How many pipeline items are evaluated at the same time (default 128, 1 to 256). Results are still written in input order; 1 evaluates one item after another.'
    }
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with IPAddress, Sender, HeloDomain and Domain properties, such as rows from Import-Csv.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Spf.SpfCheckResult'; Description = 'The result, explanation, matching term, domain, lookups used and the evaluation trace.' }
    )
    Examples    = @(
        @{
            Title   = 'Would this server pass SPF for the sender?'
            Code    = 'Test-SpfRecord -IPAddress 203.0.113.25 -Sender alerts@contoso.com'
            Remarks = 'Returns Pass, Fail, SoftFail, Neutral, None, PermError or TempError with the deciding term.'
        }
        @{
            Title   = 'Follow the evaluation step by step'
            Code    = '(Test-SpfRecord 2001:db8::25 -Sender a@contoso.com).Trace | Format-Table Depth, Domain, Term, Outcome'
            Remarks = 'Shows every record read and every term tried, with the lookups each cost.'
        }
        @{
            Title   = 'Check many sending IPs from a CSV'
            Code    = 'Import-Csv .\senders.csv | Test-SpfRecord | Where-Object Result -ne Pass'
            Remarks = 'The CSV needs IPAddress and Sender columns.'
        }
    )
    Links       = @('Get-SpfRecord', 'New-SpfRecord', 'RFC 7208')
}
