<#
    Fault injection: dnsdist in front of knot turns whole zones into faulty servers — dropped queries (timeouts),
    SERVFAIL, REFUSED, truncated UDP answers (with TCP working, and with TCP dropped too), a server slower than the
    timeout and one slower but within it. Each cmdlet must give the right TempError or finding for each fault, and no
    call may wait past its configured bound (TimeoutSec × (RetryCount + 1), with a generous margin for a busy machine).
    The 1,000-domain batch with faulty domains is in Invoke-MailAuthAudit.Bulk.Tests.ps1.
#>
BeforeDiscovery {
    $script:Faults = @(
        @{ Zone = 'drop.test'; Fault = 'dropped queries'; LookupStatus = @('Timeout') }
        @{ Zone = 'servfail.test'; Fault = 'SERVFAIL'; LookupStatus = @('ServerFailure') }
        @{ Zone = 'refused.test'; Fault = 'REFUSED'; LookupStatus = @('Refused') }
        @{ Zone = 'tcdrop.test'; Fault = 'truncated UDP and dropped TCP'; LookupStatus = @('Timeout', 'Error') }
        @{ Zone = 'slow.test'; Fault = 'a server slower than the timeout'; LookupStatus = @('Timeout') }
    )
    $script:Working = @(
        @{ Zone = 'tc.test'; Fault = 'truncated UDP answers (TCP works)' }
        @{ Zone = 'lag.test'; Fault = 'a slow server within the timeout' }
    )
}

BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    $zoneText = @'
@ IN MX 10 mx
mx IN A 192.0.2.10
@ IN TXT "v=spf1 ip4:192.0.2.10 -all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@ok.test"
sel._domainkey IN TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
'@
    $zones = @{}
    foreach ($z in 'ok', 'drop', 'servfail', 'refused', 'tc', 'tcdrop', 'slow', 'lag') { $zones["$z.test"] = $zoneText }
    # Records in a healthy zone that include a faulty one: check_host() must end in temperror (RFC 7208 §5.2).
    $zones['ok.test'] += "`n" + ((@('drop', 'servfail', 'refused', 'tcdrop', 'slow') | ForEach-Object { "inc-$_ IN TXT `"v=spf1 include:$_.test -all`"" }) -join "`n") + "`n"
    $script:Knot = Start-TestDnsServer -Zone $zones
    $script:Proxy = Start-TestDnsProxy -Backend $script:Knot.Endpoint -ProbeName ok.test -Rule @(
        'addAction({"drop.test."}, DropAction())'
        'addAction({"servfail.test."}, RCodeAction(DNSRCode.SERVFAIL))'
        'addAction({"refused.test."}, RCodeAction(DNSRCode.REFUSED))'
        'addAction(AndRule({makeRule("tc.test."), TCPRule(false)}), TCAction())'
        'addAction(AndRule({makeRule("tcdrop.test."), TCPRule(false)}), TCAction())'
        'addAction(AndRule({makeRule("tcdrop.test."), TCPRule(true)}), DropAction())'
        'addAction({"slow.test."}, DelayAction(2500))'
        'addAction({"lag.test."}, DelayAction(400))'
    )
    $script:Dns = @{ Server = $script:Proxy.Endpoint; TimeoutSec = 1; RetryCount = 1 }
    # The configured bound of one lookup; a check makes several, partly in parallel, so allow a few bounds.
    $script:Bound = 1 * (1 + 1)
    $script:Limit = 3 * $script:Bound + 2

    function script:Measure-Call([scriptblock] $Call) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = & $Call
        [pscustomobject]@{ Output = $out; Seconds = $watch.Elapsed.TotalSeconds }
    }
}

AfterAll {
    if ($script:Proxy) { Stop-TestDnsProxy $script:Proxy }
    if ($script:Knot) { Stop-TestDnsServer $script:Knot }
}

Describe 'A faulty server: <Fault>' -ForEach $script:Faults {
    It 'Get-SpfRecord says LookupFailed with the DNS outcome, within the bound' {
        $m = Measure-Call { Get-SpfRecord $Zone @Dns }
        $m.Output.Status | Should -Be 'LookupFailed'
        $m.Output.LookupStatus | Should -BeIn $LookupStatus
        $m.Seconds | Should -BeLessThan $script:Limit
    }

    It 'Test-SpfRecord returns TempError naming the failed lookup, within the bound' {
        $m = Measure-Call { Test-SpfRecord -Domain $Zone -IPAddress 192.0.2.10 @Dns }
        $m.Output.Result | Should -Be 'TempError'
        $m.Output.ErrorMessage | Should -Match ([regex]::Escape("lookup for $Zone failed"))
        $m.Seconds | Should -BeLessThan $script:Limit
    }

    It 'Test-SpfRecord returns TempError when an include reaches it' {
        $name = 'inc-' + $Zone.Split('.')[0] + '.ok.test'
        $m = Measure-Call { Test-SpfRecord -Domain $name -IPAddress 192.0.2.10 @Dns }
        $m.Output.Result | Should -Be 'TempError'
        $m.Output.LookupCount | Should -Be 1
        $m.Seconds | Should -BeLessThan $script:Limit
    }

    It 'Get-DmarcRecord says LookupFailed with a DMARC.LookupFailed finding' {
        $m = Measure-Call { Get-DmarcRecord $Zone @Dns }
        $m.Output.Status | Should -Be 'LookupFailed'
        $m.Output.LookupStatus | Should -BeIn $LookupStatus
        $m.Output.Findings.Id | Should -Contain 'DMARC.LookupFailed'
        $m.Seconds | Should -BeLessThan $script:Limit
    }

    It 'Get-DkimRecord says LookupFailed with a DKIM.LookupFailed finding' {
        $m = Measure-Call { Get-DkimRecord $Zone -Selector sel @Dns }
        $m.Output.Status | Should -Be 'LookupFailed'
        $m.Output.LookupStatus | Should -BeIn $LookupStatus
        $m.Output.Findings.Id | Should -Contain 'DKIM.LookupFailed'
        $m.Seconds | Should -BeLessThan $script:Limit
    }

    It 'Invoke-MailAuthAudit returns one Failed row saying why' {
        $m = Measure-Call { Invoke-MailAuthAudit $Zone -Selector sel -SkipMtaStsPolicy @Dns }
        @($m.Output).Count | Should -Be 1
        $m.Output.Status | Should -Be 'Failed'
        $m.Output.Reason | Should -Match ($LookupStatus -join '|')
        $m.Output.Grade | Should -Be 'F'
        $m.Seconds | Should -BeLessThan $script:Limit
    }
}

Describe 'A difficult but working server: <Fault>' -ForEach $script:Working {
    It 'Get-SpfRecord, Test-SpfRecord, Get-DkimRecord and Get-DmarcRecord get the records' {
        (Get-SpfRecord $Zone @Dns).Status | Should -Be 'Ok'
        (Test-SpfRecord -Domain $Zone -IPAddress 192.0.2.10 @Dns).Result | Should -Be 'Pass'
        (Test-SpfRecord -Domain $Zone -IPAddress 192.0.2.99 @Dns).Result | Should -Be 'Fail'
        (Get-DkimRecord $Zone -Selector sel @Dns).KeyType | Should -Be 'Ed25519'
        (Get-DmarcRecord $Zone @Dns).AppliedPolicy | Should -Be 'Reject'
    }

    It 'Invoke-MailAuthAudit audits the domain' {
        $r = Invoke-MailAuthAudit $Zone -Selector sel -SkipMtaStsPolicy @Dns
        $r.Status | Should -Not -Be 'Failed' -Because $r.Reason
        $r.SpfStatus | Should -Be 'Ok'
        $r.DmarcPolicy | Should -Be 'reject'
        $r.DkimSelectorsFound | Should -Be 'sel'
    }
}

Describe 'Test-SpfRecord and Test-DkimSignature with many items in flight' {
    It 'writes results in input order when slow and fast lookups are mixed, with errors in their place' {
        $rows = @(
            [pscustomobject]@{ IPAddress = '192.0.2.10'; Domain = 'lag.test' }
            [pscustomobject]@{ IPAddress = '192.0.2.99'; Domain = 'ok.test' }
            [pscustomobject]@{ IPAddress = '192.0.2.10'; Domain = 'drop.test' }
            [pscustomobject]@{ IPAddress = '192.0.2.10'; Domain = '' }
            [pscustomobject]@{ IPAddress = '192.0.2.10'; Domain = 'ok.test' }
            [pscustomobject]@{ IPAddress = '192.0.2.99'; Domain = 'lag.test' }
        )
        foreach ($limit in 8, 1) {
            $out = $rows | Test-SpfRecord -ThrottleLimit $limit @Dns -ErrorAction Continue 2>&1
            $out.Count | Should -Be 6
            $out[3] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $out[3].FullyQualifiedErrorId | Should -BeLike 'MissingSpfIdentity,*'
            $results = $out | Where-Object { $_ -is [MailAuth.Spf.SpfCheckResult] }
            $results.Domain | Should -Be @('lag.test', 'ok.test', 'drop.test', 'ok.test', 'lag.test')
            $results.Result | Should -Be @('Pass', 'Fail', 'TempError', 'Pass', 'Fail')
        }
    }

    It 'Test-DkimSignature keeps input order across a slow and a fast key server' {
        # Unsigned messages need no key; messages with a signature header ask the domain's server for sel._domainkey.
        $messages = foreach ($d in 'lag.test', 'ok.test', 'lag.test', 'ok.test') {
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=$d; s=sel; h=from; bh=AAAA; b=AAAA`r`nFrom: a@$d`r`nSubject: hi`r`n`r`nbody`r`n"
        }
        $r = $messages | Test-DkimSignature @Dns
        $r.Count | Should -Be 4
        $r.Domain | Should -Be @('lag.test', 'ok.test', 'lag.test', 'ok.test')
        $r.Result | Should -Be @('Fail', 'Fail', 'Fail', 'Fail')
    }
}

Describe 'A query rate limit (-MaxQueriesPerSecond)' {
    It 'Get-SpfRecord still gets its record, and says the limit in its DNS settings' {
        $out = Get-SpfRecord ok.test -MaxQueriesPerSecond 5 @Dns -Verbose 4>&1
        ($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Status | Should -Be 'Ok'
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'DNS:*MaxQueriesPerSecond=5*' }).Count | Should -Be 1
    }

    It 'Invoke-MailAuthAudit takes a tenth of the rate in domains at a time unless -ThrottleLimit is given' {
        $out = Invoke-MailAuthAudit ok.test -Selector sel -SkipMtaStsPolicy -MaxQueriesPerSecond 20 @Dns -Verbose 4>&1
        $result = $out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $result.Status | Should -Not -Be 'Failed'
        $result.SpfStatus | Should -Be 'Ok'
        $verbose = ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Should -Contain 'Auditing with 2 domains at a time, at most 20 DNS queries per second.'

        $verbose = (Invoke-MailAuthAudit ok.test -Selector sel -SkipMtaStsPolicy -MaxQueriesPerSecond 20 -ThrottleLimit 7 @Dns -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Should -Contain 'Auditing with 7 domains at a time, at most 20 DNS queries per second.'
    }
}

Describe 'Truncation' {
    It 'falls back to TCP after a truncated UDP answer, and counts the TCP queries' {
        $verbose = Get-SpfRecord tc.test @Dns -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $line = @($verbose | Where-Object Message -Match '\((\d+) TCP')[-1]
        $line | Should -Not -BeNullOrEmpty
        [int]([regex]::Match($line.Message, '\((\d+) TCP').Groups[1].Value) | Should -BeGreaterThan 0
    }
}

Describe 'Timeout bounds' {
    It 'a dropped query costs one timeout per try: <TimeoutSec> s × <Tries> tries' -ForEach @(
        @{ TimeoutSec = 1; RetryCount = 0; Tries = 1 }
        @{ TimeoutSec = 1; RetryCount = 2; Tries = 3 }
        @{ TimeoutSec = 2; RetryCount = 0; Tries = 1 }
    ) {
        $m = Measure-Call { Get-DkimRecord drop.test -Selector sel -Server $script:Proxy.Endpoint -TimeoutSec $TimeoutSec -RetryCount $RetryCount }
        $m.Output.LookupStatus | Should -Be 'Timeout'
        # It waits the configured time (it does not give up early) and not much longer.
        $m.Seconds | Should -BeGreaterThan (0.8 * $TimeoutSec * $Tries)
        $m.Seconds | Should -BeLessThan (2 * $TimeoutSec * $Tries + 2)
    }
}
