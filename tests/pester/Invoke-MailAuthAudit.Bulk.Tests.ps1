<#
    A thousand generated domains behind dnsdist in front of knot: dnsdist drops every query for *.drop.example
    (timeouts) and answers SERVFAIL for *.fail.example. Every row must come back, in order, with the right
    status, within the configured time bounds.
#>
BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    $script:Dnsdist = if (Test-Path /usr/bin/dnsdist) { '/usr/bin/dnsdist' } else { (Get-Command dnsdist -ErrorAction Ignore).Source }
    if (-not $script:Dnsdist) { throw "dnsdist is not installed and the bulk test needs it: install the Debian package 'dnsdist'." }

    # 1,000 rows: 880 answering domains (some repeated), 60 that time out, 60 that SERVFAIL.
    $script:Rows = [System.Collections.Generic.List[object]]::new()
    $ok = [Text.StringBuilder]::new(); $drop = [Text.StringBuilder]::new(); $fail = [Text.StringBuilder]::new()
    foreach ($i in 1..820) {
        $d = 'd{0:d4}' -f $i
        $spf = if ($i % 10 -eq 0) { "v=spf1 " + ((1..11 | ForEach-Object { "a:mx.$d.ok.example" }) -join " ") + " -all" } else { "v=spf1 ip4:192.0.2.$($i % 250) -all" }
        $null = $ok.AppendLine("$d IN MX 10 mx.$d").AppendLine("mx.$d IN A 192.0.2.$($i % 250)").AppendLine("$d IN TXT `"$spf`"")
        if ($i % 3 -ne 0) { $null = $ok.AppendLine("_dmarc.$d IN TXT `"v=DMARC1; p=reject; rua=mailto:r@$d.ok.example`"") }
        $script:Rows.Add([pscustomobject]@{ Domain = "$d.ok.example"; Kind = 'ok' })
    }
    foreach ($i in 1..60) {
        $d = 'd{0:d4}' -f $i
        $null = $drop.AppendLine("$d IN MX 10 mx.$d").AppendLine("$d IN TXT `"v=spf1 -all`"")
        $null = $fail.AppendLine("$d IN MX 10 mx.$d").AppendLine("$d IN TXT `"v=spf1 -all`"")
        $script:Rows.Add([pscustomobject]@{ Domain = "$d.drop.example"; Kind = 'drop' })
        $script:Rows.Add([pscustomobject]@{ Domain = "$d.fail.example"; Kind = 'fail' })
    }
    foreach ($i in 1..60) { $script:Rows.Add([pscustomobject]@{ Domain = ('d{0:d4}.ok.example' -f ($i * 7)); Kind = 'ok' }) }
    # A fixed shuffle so the kinds are mixed through the input.
    $rng = [Random]::new(20240401)
    $script:Rows = [System.Collections.Generic.List[object]]@($script:Rows | Sort-Object { $rng.Next() })

    $script:Knot = Start-TestDnsServer -Zone @{ 'ok.example' = $ok.ToString(); 'drop.example' = $drop.ToString(); 'fail.example' = $fail.ToString(); 'example' = "ns1 IN A 192.0.2.53`n" }

    $script:ProxyFolder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-dnsdist-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:ProxyFolder
    $listener = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:ProxyPort = $listener.Client.LocalEndPoint.Port
    $listener.Dispose()
    $conf = @"
setSecurityPollSuffix("")
setLocal("127.0.0.1:$($script:ProxyPort)")
newServer({address="$($script:Knot.Endpoint)", name="knot", checkInterval=3600})
getServer(0):setUp()
addAction({"drop.example."}, DropAction())
addAction({"fail.example."}, RCodeAction(DNSRCode.SERVFAIL))
"@
    Set-Content (Join-Path $script:ProxyFolder 'dnsdist.conf') $conf
    $script:Proxy = Start-Process -FilePath $script:Dnsdist -ArgumentList @('--supervised', '--disable-syslog', '-C', (Join-Path $script:ProxyFolder 'dnsdist.conf')) `
        -RedirectStandardOutput (Join-Path $script:ProxyFolder 'out.log') -RedirectStandardError (Join-Path $script:ProxyFolder 'err.log') -PassThru
    # Wait until dnsdist answers (a SERVFAIL from the fail zone proves the rules are loaded).
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while ($true) {
        Start-Sleep -Milliseconds 200
        if ($script:Proxy.HasExited) { throw "dnsdist exited: $(Get-Content -Raw (Join-Path $script:ProxyFolder 'err.log'))" }
        $probe = Get-SpfRecord d0001.ok.example -Server "127.0.0.1:$($script:ProxyPort)" -TimeoutSec 1 -RetryCount 0 -ErrorAction Ignore
        if ($probe -and $probe.Status -ne 'LookupFailed') { break }
        if ([DateTime]::UtcNow -gt $deadline) { throw "dnsdist did not answer within 15 s: $(Get-Content -Raw (Join-Path $script:ProxyFolder 'err.log'))" }
    }

    $script:TimeoutSec = 1
    $script:RetryCount = 1
    $script:DomainTimeoutSec = 30
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $script:Results = @($script:Rows | Invoke-MailAuthAudit -Server "127.0.0.1:$($script:ProxyPort)" -TimeoutSec $script:TimeoutSec -RetryCount $script:RetryCount `
            -DomainTimeoutSec $script:DomainTimeoutSec -ThrottleLimit 32 -SkipSelectorDiscovery -SkipMtaStsPolicy)
    $script:Elapsed = $watch.Elapsed
}

AfterAll {
    if ($script:Proxy -and -not $script:Proxy.HasExited) { $script:Proxy.Kill(); $null = $script:Proxy.WaitForExit(5000) }
    if ($script:Knot) { Stop-TestDnsServer $script:Knot }
    if ($script:ProxyFolder) { Remove-Item $script:ProxyFolder -Recurse -Force -ErrorAction Ignore }
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

    It 'fails the domains whose queries are dropped, saying Timeout' {
        $dropped = for ($i = 0; $i -lt 1000; $i++) { if ($script:Rows[$i].Kind -eq 'drop') { $script:Results[$i] } }
        @($dropped).Count | Should -Be 60
        foreach ($r in $dropped) {
            $r.Status | Should -Be 'Failed'
            $r.Reason | Should -Match 'Timeout'
        }
    }

    It 'fails the domains that answer SERVFAIL, saying ServerFailure' {
        $failed = for ($i = 0; $i -lt 1000; $i++) { if ($script:Rows[$i].Kind -eq 'fail') { $script:Results[$i] } }
        @($failed).Count | Should -Be 60
        foreach ($r in $failed) {
            $r.Status | Should -Be 'Failed'
            $r.Reason | Should -Match 'ServerFailure'
        }
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
        # 120 failing domains at 32 at a time: the whole run is bounded by the timeouts, not their sum.
        $script:Elapsed.TotalSeconds | Should -BeLessThan 300
    }
}
