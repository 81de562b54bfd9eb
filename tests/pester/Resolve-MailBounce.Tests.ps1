BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-bounce-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder
    $script:Samples = Join-Path $PSScriptRoot '../../samples/zones'

    # A Gmail 5.7.26 bounce as Postfix returns it (written for this test), with the returned message's headers.
    $script:Eml = @'
From: MAILER-DAEMON@mail.contoso-pharma.example (Mail Delivery System)
To: alice.martin@contoso-pharma.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

<qa@gmail.com>: host gmail-smtp-in.l.google.com[142.250.102.27] said:
    550-5.7.26 This mail has been blocked because the sender is
    unauthenticated. 550-5.7.26 DKIM = did not pass 550-5.7.26 SPF
    [contoso-pharma.example] with ip: [198.51.100.25] = did not pass
    550 5.7.26 - gsmtp (in reply to end of DATA command)

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.contoso-pharma.example

Final-Recipient: rfc822; qa@gmail.com
Action: failed
Status: 5.7.26
Remote-MTA: dns; gmail-smtp-in.l.google.com
Diagnostic-Code: smtp; 550-5.7.26 This mail has been blocked because the sender
    is unauthenticated. 550-5.7.26 DKIM = did not pass 550-5.7.26 SPF
    [contoso-pharma.example] with ip: [198.51.100.25] = did not pass 550 5.7.26 - gsmtp

--BOUNDARY
Content-Type: text/rfc822-headers

DKIM-Signature: v=1; a=rsa-sha256; d=contoso-pharma.example; s=mail; h=from:to; bh=AAAA; b=BBBB
From: Alice Martin <alice.martin@contoso-pharma.example>
To: qa@gmail.com
Subject: Batch results

--BOUNDARY--
'@ -replace "`r?`n", "`r`n"
    Set-Content -Path (Join-Path $script:Folder 'gmail.eml') -Value $script:Eml -NoNewline
    Set-Content -Path (Join-Path $script:Folder 'yahoo.txt') -Value "host mta6.am0.yahoodns.net[98.136.96.91] said: 554 5.7.9 Message not accepted for policy reasons. (in reply to end of DATA command)"
    $script:Pasted = @'
The response from the remote server was:
550-5.7.26 Unauthenticated email from contoso-pharma.example is not accepted due
550-5.7.26 to domain's DMARC policy. Please contact the administrator of
550 5.7.26 contoso-pharma.example domain if this was a legitimate mail. - gsmtp
'@
    Set-Content -Path (Join-Path $script:Folder 'pasted.txt') -Value $script:Pasted

    # The new DNS provider, played by knot with the new-host export (no mail._domainkey).
    $script:Dns = Start-TestDnsServer -Zone @{
        'contoso-pharma.example' = (Get-Content -Raw (Join-Path $script:Samples 'new-host/contoso-pharma.example.zone')) -replace '(?m)^contoso-pharma\.example\t3600\tIN\tSOA', 'contoso-pharma.example. 3600 IN SOA'
        '100.51.198.in-addr.arpa' = "25 IN PTR mail.contoso-pharma.example.`n"
        'outlook.example' = (Get-Content -Raw (Join-Path $script:Samples 'providers/outlook.example.zone'))
    }
}

AfterAll {
    if ($script:Dns) { Stop-TestDnsServer $script:Dns }
    Remove-Item $script:Folder -Recurse -Force -ErrorAction Ignore
}

Describe 'Resolve-MailBounce' {
    It 'joins piped lines from Get-Content into one bounce' {
        $r = @(Get-Content (Join-Path $script:Folder 'pasted.txt') | Resolve-MailBounce)
        $r | Should -HaveCount 1
        $r[0] | Should -BeOfType ([MailAuth.Bounces.MailBounceAnalysis])
        $r[0].ReplyCode | Should -Be 550
        $r[0].EnhancedStatusCode | Should -Be '5.7.26'
        $r[0].Provider | Should -Be 'Gmail'
        $r[0].RuleId | Should -Be 'Gmail.5.7.26.Dmarc'
        $r[0].SenderDomain | Should -Be 'contoso-pharma.example'
        $r[0].ServerResponse | Should -Match "to domain's DMARC policy"
    }

    It 'reads an .eml DSN with -Path' {
        $r = Resolve-MailBounce -Path (Join-Path $script:Folder 'gmail.eml')
        $r.ParsedAsMessage | Should -BeTrue
        $r.Source | Should -BeLike '*gmail.eml'
        $r.RuleId | Should -Be 'Gmail.5.7.26'
        $r.RelayIp | Should -Be ([ipaddress]'198.51.100.25')
        $r.RecipientAddress | Should -Be 'qa@gmail.com'
        $r.DkimSelectors | Should -Be @('mail')
        $r.Audit | Should -BeNullOrEmpty
    }

    It 'takes files from Get-ChildItem, one result each' {
        $r = @(Get-ChildItem $script:Folder -Filter *.* | Sort-Object Name | Resolve-MailBounce)
        $r | Should -HaveCount 3
        @($r.RuleId) | Should -Be @('Gmail.5.7.26', 'Gmail.5.7.26.Dmarc', 'Yahoo.5.7.9')
    }

    It 'audits against DNS: SPF passes for the relay, the signing key is gone, PTR is confirmed' {
        $r = Resolve-MailBounce -Path (Join-Path $script:Folder 'gmail.eml') -Audit -Server $script:Dns.Endpoint
        $r.Audit.Spf.Result | Should -Be 'Pass'
        $r.Audit.DmarcPolicy | Should -Be 'Quarantine'
        $r.Audit.ReverseDns.IsForwardConfirmed | Should -BeTrue
        $missing = $r.Audit.Findings | Where-Object Id -eq 'Bounce.DkimKeyMissing'
        $missing.Term | Should -Be 'mail'
        $r.Audit.Summary | Should -Match 'SPF pass'
    }

    It 'audits offline from zone files, with -IPAddress and -SenderDomain overriding the text' {
        $zones = Get-ChildItem (Join-Path $script:Samples 'new-host'), (Join-Path $script:Samples 'providers') -File | ForEach-Object FullName
        $r = $script:Pasted | Resolve-MailBounce -Audit -ZoneFile $zones -IPAddress 192.0.2.199 -SenderDomain fabrikam-labs.example
        $r.SenderDomain | Should -Be 'fabrikam-labs.example'
        $r.SenderDomainSource | Should -Be 'given'
        $r.Audit.IPAddress | Should -Be ([ipaddress]'192.0.2.199')
        $r.Audit.Spf.Result | Should -Be 'PermError'
    }

    It 'writes an error for a missing file and goes on' {
        $r = Resolve-MailBounce -Path (Join-Path $script:Folder 'nope.eml'), (Join-Path $script:Folder 'yahoo.txt') -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.RuleId | Should -Be 'Yahoo.5.7.9'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }

    It 'says when it finds nothing' {
        $r = 'hello', 'world' | Resolve-MailBounce -Verbose 4>&1
        $verbose = @($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $result = $r | Where-Object { $_ -is [MailAuth.Bounces.MailBounceAnalysis] }
        $result.Category | Should -Be 'Unknown'
        ($verbose.Message -join ' ') | Should -Match 'No SMTP reply code'
    }

    It 'shows a list view and has help' {
        $text = Resolve-MailBounce -Path (Join-Path $script:Folder 'gmail.eml') | Out-String -Width 80
        $text | Should -Match 'Code\s+: 550 5\.7\.26'
        $text | Should -Match 'Provider\s+: Gmail'
        (Get-Help Resolve-MailBounce -Full).Examples.Example.Count | Should -BeGreaterOrEqual 2
    }
}
