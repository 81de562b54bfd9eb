<#
    A thousand generated domains behind dnsdist in front of knot, 10% of them faulty: dnsdist drops every query for
    *.drop.example (timeouts), answers SERVFAIL for *.fail.example and REFUSED for *.refused.example, and delays the
    answers for *.slow.example past the timeout. Every row must come back, in order, with the right status, within
    the configured time bounds. (The per-fault checks of each cmdlet are in FaultInjection.Tests.ps1.)
#>
BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    # 1,000 rows: 900 answering (840 domains, 60 of them repeated) and 100 faulty, 25 of each kind.
    $script:FaultKinds = @('drop', 'fail', 'refused', 'slow')
    $script:Rows = [System.Collections.Generic.List[object]]::new()
    $ok = [Text.StringBuilder]::new()
    $faulty = @{}
    foreach ($k in $script:FaultKinds) { $faulty[$k] = [Text.StringBuilder]::new() }
    foreach ($i in 1..840) {
        $d = 'd{0:d4}' -f $i
        $spf = if ($i % 10 -eq 0) { "v=spf1 " + ((1..11 | ForEach-Object { "a:mx.$d.ok.example" }) -join " ") + " -all" } else { "v=spf1 ip4:192.0.2.$($i % 250) -all" }
        $null = $ok.AppendLine("$d IN MX 10 mx.$d").AppendLine("mx.$d IN A 192.0.2.$($i % 250)").AppendLine("$d IN TXT `"$spf`"")
        if ($i % 3 -ne 0) { $null = $ok.AppendLine("_dmarc.$d IN TXT `"v=DMARC1; p=reject; rua=mailto:r@$d.ok.example`"") }
        $script:Rows.Add([pscustomobject]@{ Domain = "$d.ok.example"; Kind = 'ok' })
    }
    foreach ($i in 1..25) {
        $d = 'd{0:d4}' -f $i
        foreach ($k in $script:FaultKinds) {
            $null = $faulty[$k].AppendLine("$d IN MX 10 mx.$d").AppendLine("$d IN TXT `"v=spf1 -all`"")
            $script:Rows.Add([pscustomobject]@{ Domain = "$d.$k.example"; Kind = $k })
        }
    }
    foreach ($i in 1..60) { $script:Rows.Add([pscustomobject]@{ Domain = ('d{0:d4}.ok.example' -f ($i * 7)); Kind = 'ok' }) }
    # A fixed shuffle so the kinds are mixed through the input.
    $rng = [Random]::new(20240401)
    $script:Rows = [System.Collections.Generic.List[object]]@($script:Rows | Sort-Object { $rng.Next() })

    $zones = @{ 'ok.example' = $ok.ToString(); 'example' = "ns1 IN A 192.0.2.53`n" }
    foreach ($k in $script:FaultKinds) { $zones["$k.example"] = $faulty[$k].ToString() }
    $script:Knot = Start-TestDnsServer -Zone $zones
    $script:Proxy = Start-TestDnsProxy -Backend $script:Knot.Endpoint -ProbeName d0001.ok.example -Rule @(
        'addAction({"drop.example."}, DropAction())'
        'addAction({"fail.example."}, RCodeAction(DNSRCode.SERVFAIL))'
        'addAction({"refused.example."}, RCodeAction(DNSRCode.REFUSED))'
        'addAction({"slow.example."}, DelayAction(2500))'
    )
    $script:ProxyPort = $script:Proxy.Port

    $script:TimeoutSec = 1
    $script:RetryCount = 1
    $script:DomainTimeoutSec = 30
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $script:Results = @($script:Rows | Invoke-MailAuthAudit -Server "127.0.0.1:$($script:ProxyPort)" -TimeoutSec $script:TimeoutSec -RetryCount $script:RetryCount `
            -DomainTimeoutSec $script:DomainTimeoutSec -ThrottleLimit 32 -SkipSelectorDiscovery -SkipMtaStsPolicy)
    $script:Elapsed = $watch.Elapsed
}

AfterAll {
    if ($script:Proxy) { Stop-TestDnsProxy $script:Proxy }
    if ($script:Knot) { Stop-TestDnsServer $script:Knot }
}

Describe 'Invoke-MailAuthAudit on 1,000 domains behind dnsdist' {
    It 'returns one result per row, in input order' {
        $script:Results.Count | Should -Be 1000
        $script:Results.Row | Should -Be (1..1000)
        $script:Results.Input | Should -Be $script:Rows.Domain
    }

    It 'audits the answering domains' {
        for ($i = 0; $i -lt 1000; $i++) {
            if ($script:Rows[$i].Kind -ne 'ok') { continue }
            $r = $script:Results[$i]
            $r.Status | Should -Not -Be 'Failed' -Because "$($r.Domain): $($r.Reason)"
            $r.MxStatus | Should -Be 'Ok' -Because $r.Domain
        }
        # Every tenth record needs 11 lookups; every third has no DMARC.
        ($script:Results | Where-Object Domain -eq 'd0010.ok.example' | Select-Object -First 1).Findings.Id | Should -Contain 'SPF.TooManyLookups'
        ($script:Results | Where-Object Domain -eq 'd0003.ok.example' | Select-Object -First 1).DmarcStatus | Should -Be 'NoRecord'
        ($script:Results | Where-Object Domain -eq 'd0001.ok.example' | Select-Object -First 1).DmarcPolicy | Should -Be 'reject'
    }

    It 'fails the <Kind> domains, saying <Reason>' -ForEach @(
        @{ Kind = 'drop'; Reason = 'Timeout' }
        @{ Kind = 'fail'; Reason = 'ServerFailure' }
        @{ Kind = 'refused'; Reason = 'Refused' }
        @{ Kind = 'slow'; Reason = 'Timeout' }
    ) {
        $rows = for ($i = 0; $i -lt 1000; $i++) { if ($script:Rows[$i].Kind -eq $Kind) { $script:Results[$i] } }
        @($rows).Count | Should -Be 25
        foreach ($r in $rows) {
            $r.Status | Should -Be 'Failed'
            $r.Reason | Should -Match $Reason
        }
    }

    It 'has exactly 10% failed rows' {
        @($script:Results | Where-Object Status -eq 'Failed').Count | Should -Be 100
    }

    It 'audits repeated domains once and reports each row' {
        $dups = @($script:Results | Where-Object DuplicateOfRow)
        $dups.Count | Should -Be 60
        foreach ($d in $dups) { $script:Results[$d.DuplicateOfRow - 1].Domain | Should -Be $d.Domain }
    }

    It 'stays within the time bounds' {
        # A dropped domain costs one query timeout per try; nothing may come near the per-domain limit.
        $bound = $script:TimeoutSec * ($script:RetryCount + 1)
        foreach ($r in $script:Results) { $r.ElapsedSeconds | Should -BeLessThan ($script:DomainTimeoutSec) -Because $r.Domain }
        $slowest = ($script:Results | Where-Object Status -eq 'Failed' | Measure-Object ElapsedSeconds -Maximum).Maximum
        $slowest | Should -BeLessThan ([Math]::Max(4 * $bound, 10))
        # 100 failing domains at 32 at a time: the whole run is bounded by the timeouts, not their sum.
        $script:Elapsed.TotalSeconds | Should -BeLessThan 300
    }
}
