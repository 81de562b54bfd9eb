@{
    Synopsis    = 'Explains a bounce (non-delivery report or DSN): status codes, provider, meaning and likely cause, and with -Audit the DNS checks behind it.'
    Description = @'
Resolve-MailBounce reads a bounce: a delivery status notification saved as an .eml file (RFC 3464 multipart/report, read with MimeKit, including the message/delivery-status part and the returned message's headers), a provider's non-delivery report, or text pasted from one and piped from Get-Content (the lines are joined until the end of the input and give one result).

It finds the SMTP reply code (RFC 5321) and the enhanced status code (RFC 3463), preferring the DSN's Diagnostic-Code field, joins multi-line replies (550-5.7.26 ...) into ServerResponse, tells the provider that refused the message (Gmail, Microsoft, Yahoo) from the response, the receiving server and the text, and classifies it with a table of rules: Gmail 5.7.26 (and its DMARC variant), 5.7.27, 5.7.25, 5.7.28, 5.7.32, the 5.7.1 variants and 4.7.x deferrals; Microsoft 5.7.515, 5.7.509, 5.7.23, the 5.7.1 family (block lists, recipients) and 5.7.705/5.7.708/5.7.750; Yahoo 553/554 5.7.x and 4.7.x deferrals; otherwise the generic meaning of the code (RFC 3463, RFC 7372, RFC 7505). RuleId names the rule; Category, Meaning, LikelyCause and Remediation say what it means and what to do.

It also returns the sender domain (named in the response, else the From header of the returned message, else the envelope sender), the relay IP the response names (never the receiving server's address, never a private address), the failed recipient and the DKIM selectors of the returned message's DKIM-Signature headers. What it cannot find is left empty and explained in Notes (also written with -Verbose).

With -Audit it runs, against -Server/-ZoneFile or the system resolvers: SPF check_host() for the relay IP and the sender domain (with a suggested record adding the IP when SPF does not pass), DKIM key discovery with the message's own selectors first (a signed selector without a published key is an error), DMARC policy discovery (as Get-DmarcRecord does it: the RFC 9989 tree walk, the report in Audit.DmarcReport) and forward-confirmed reverse DNS of the IP. The results and findings are in the Audit property. -IPAddress and -SenderDomain give what the text does not say.
'@
    Parameters  = @{
        InputObject  = 'The bounce text, usually piped from Get-Content (one line per pipeline object; all lines form one bounce). Get-Content -Raw works as well. Alias: Text.'
        Path         = 'Bounce files (.eml or .txt) to read, one result per file. Wildcards are expanded. Accepts pipeline input by the property names Path, PSPath and FullName, so Get-ChildItem output pipes in.'
        Audit        = 'Runs the DNS checks behind the bounce (SPF check_host for the relay IP, DKIM, DMARC, PTR) and attaches them as the Audit property.'
        IPAddress    = 'The sending (relay) IP to audit, when the bounce does not name it or names another.'
        SenderDomain = 'The sender domain to audit, when the bounce does not name it or names another.'
        Server       = 'DNS servers to ask for -Audit instead of the system resolvers: host, host:port or [IPv6]:port. Several may be given.'
        ZoneFile     = 'RFC 1035 zone files (BIND or Windows DNS Server exports) to answer -Audit lookups from instead of live DNS. Names outside every loaded zone are asked of -Server when it is given; otherwise they are reported as not available offline.'
        TimeoutSec   = 'Seconds to wait for each DNS answer before retrying (default 3).'
        RetryCount   = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production; waiting for a slot does not count against -TimeoutSec.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Lines of bounce text (from Get-Content).' }
        @{ Type = 'System.IO.FileInfo'; Description = 'Bounce files, bound to -Path by their FullName.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Bounces.MailBounceAnalysis'; Description = 'One object per bounce: ReplyCode, EnhancedStatusCode, StatusClass, Provider, RuleId, Category, Meaning, LikelyCause, Remediation, ServerResponse, SenderAddress, SenderDomain, RecipientAddress, RelayIp, RemoteMta, DkimSelectors, Notes, and with -Audit the Audit property (Spf, SpfRecord, Dkim, DmarcReport, Dmarc, DmarcPolicy, ReverseDns, Findings, Summary).' }
    )
    Examples    = @(
        @{
            Title   = 'What does this Gmail bounce mean?'
            Code    = 'Get-Content .\bounce.txt | Resolve-MailBounce'
            Remarks = 'Shows the code, the provider, what it means, the likely cause and what to do.'
        }
        @{
            Title   = 'Explain a saved bounce and check the DNS behind it'
            Code    = 'Resolve-MailBounce -Path .\Undeliverable.eml -Audit | Select-Object -ExpandProperty Audit | Select-Object -ExpandProperty Findings'
            Remarks = 'Runs SPF check_host for the relay IP, looks for the DKIM key of the selector that signed the message, reads the DMARC record and checks the PTR record, and lists what is wrong.'
        }
        @{
            Title   = 'A folder of bounces, summarised'
            Code    = 'Get-ChildItem .\bounces\*.eml | Resolve-MailBounce | Group-Object RuleId | Sort-Object Count -Descending'
            Remarks = 'Which rejection is most common.'
        }
    )
    Links       = @('Test-SpfRecord', 'Test-DkimSelector', 'Test-DkimSignature', 'RFC 3463', 'RFC 3464', 'RFC 7372', 'RFC 5321')
}
