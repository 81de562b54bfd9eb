<#
    A real authoritative DNS server (Knot DNS) for the Pester tests: config, zones, run and database folders live in
    a temporary folder; knotd runs in the foreground on 127.0.0.1 on a free port (UDP and TCP) and is killed by
    Stop-TestDnsServer. Without knotd the tests fail with a message naming the Debian package 'knot'.
#>
Set-StrictMode -Version 3.0

function Get-FreePort {
    for ($i = 0; $i -lt 20; $i++) {
        $udp = [System.Net.Sockets.Socket]::new('InterNetwork', 'Dgram', 'Udp')
        try {
            $udp.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
            $port = $udp.LocalEndPoint.Port
            $tcp = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
            try { $tcp.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, $port)); return $port }
            catch { } finally { $tcp.Dispose() }
        } finally { $udp.Dispose() }
    }
    throw 'No free port on 127.0.0.1.'
}

function Start-TestDnsServer {
    <#
    .SYNOPSIS
        Starts knotd serving the given zones. -Zone maps an origin ('contoso.example', or '.' for the root) to zone text.
        Zone text without $ORIGIN gets one; without a SOA it gets a default SOA and NS.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [hashtable] $Zone)

    $knotd = if ($env:MAILAUTH_KNOTD) { if (Test-Path -PathType Leaf $env:MAILAUTH_KNOTD) { $env:MAILAUTH_KNOTD } } elseif (Test-Path /usr/sbin/knotd) { '/usr/sbin/knotd' } else { (Get-Command knotd -ErrorAction Ignore).Source }
    if (-not $knotd) { throw "knotd (Knot DNS) is not installed and the live DNS tests need it: install the Debian package 'knot'." }

    $folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-knot-' + [guid]::NewGuid().ToString('n'))
    foreach ($d in 'zones', 'run', 'db') { $null = New-Item -ItemType Directory -Path (Join-Path $folder $d) -Force }
    $port = Get-FreePort
    $conf = [Text.StringBuilder]::new()
    $null = $conf.AppendLine('server:').AppendLine("    rundir: `"$folder/run`"").AppendLine("    listen: 127.0.0.1@$port")
    $null = $conf.AppendLine('    udp-workers: 1').AppendLine('    tcp-workers: 1').AppendLine('    background-workers: 1')
    $null = $conf.AppendLine('control:').AppendLine("    listen: `"$folder/run/knot.sock`"")
    $null = $conf.AppendLine('database:').AppendLine("    storage: `"$folder/db`"")
    $null = $conf.AppendLine('log:').AppendLine('  - target: stderr').AppendLine('    any: info')
    $null = $conf.AppendLine('template:').AppendLine('  - id: default').AppendLine("    storage: `"$folder/zones`"")
    $null = $conf.AppendLine('    zonefile-sync: -1').AppendLine('    zonefile-load: whole').AppendLine('    journal-content: none').AppendLine('    semantic-checks: off')
    $null = $conf.AppendLine('zone:')
    $origins = @()
    $i = 0
    foreach ($origin in $Zone.Keys) {
        $o = $origin.TrimEnd('.') + '.'
        $origins += $o
        $file = "zone$i.zone"; $i++
        $text = $Zone[$origin]
        $head = if ($text -notmatch '(?m)^\$ORIGIN') { "`$ORIGIN $o`n`$TTL 300`n" } else { '' }
        if ($text -notmatch '(?m)\sSOA\s') { $head += "@ IN SOA ns1.$($o.TrimStart('.')) hostmaster.$($o.TrimStart('.')) 1 3600 600 86400 60`n@ IN NS ns1.$($o.TrimStart('.'))`n" -replace '\.\.', '.' }
        Set-Content -Path (Join-Path $folder "zones/$file") -Value ($head + $text) -NoNewline
        $null = $conf.AppendLine("  - domain: $o").AppendLine("    file: `"$file`"")
    }
    Set-Content -Path (Join-Path $folder 'knot.conf') -Value $conf.ToString()

    $log = Join-Path $folder 'knotd.log'
    $process = Start-Process -FilePath $knotd -ArgumentList @('-c', (Join-Path $folder 'knot.conf')) -RedirectStandardError $log -RedirectStandardOutput (Join-Path $folder 'stdout.log') -PassThru
    $server = [pscustomobject]@{ Port = $port; Endpoint = "127.0.0.1:$port"; Process = $process; Folder = $folder; Log = $log }
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ($true) {
        Start-Sleep -Milliseconds 30
        $text = if (Test-Path $log) { Get-Content -Raw $log } else { '' }
        if ($null -eq $text) { $text = '' }
        $failed = @($origins | Where-Object { $text.Contains("[$_] zone event 'load' failed") -or $text.Contains("[$_] failed to parse") -or $text.Contains("[$_] zone file error") })
        if ($failed) { Stop-TestDnsServer $server; throw "knot could not load zone(s) $($failed -join ', '):`n$text" }
        $loaded = @($origins | Where-Object { $text.Contains("[$_] loaded") })
        if ($text.Contains('server started') -and $loaded.Count -eq $origins.Count) { return $server }
        if ($process.HasExited) { throw "knotd exited with code $($process.ExitCode):`n$text" }
        if ([DateTime]::UtcNow -gt $deadline) { Stop-TestDnsServer $server; throw "knotd did not load its zones within 10 s:`n$text" }
    }
}

function Stop-TestDnsServer {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] $Server)
    if ($Server.Process -and -not $Server.Process.HasExited) {
        $Server.Process.Kill()
        $null = $Server.Process.WaitForExit(5000)
    }
    Remove-Item $Server.Folder -Recurse -Force -ErrorAction Ignore
}

function Send-TestDnsProbe {
    # One raw DNS query over UDP (no module needed): true when any answer comes back within the timeout.
    param([int] $Port, [string] $Name, [int] $TimeoutMs = 500)
    $bytes = [System.Collections.Generic.List[byte]]::new()
    $bytes.AddRange([byte[]](0x4d, 0x41, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0))
    foreach ($label in $Name.TrimEnd('.').Split('.')) { $bytes.Add([byte]$label.Length); $bytes.AddRange([Text.Encoding]::ASCII.GetBytes($label)) }
    $bytes.AddRange([byte[]](0, 0, 16, 0, 1))
    $udp = [System.Net.Sockets.UdpClient]::new()
    try {
        $udp.Client.ReceiveTimeout = $TimeoutMs
        $udp.Connect([System.Net.IPAddress]::Loopback, $Port)
        $null = $udp.Send($bytes.ToArray(), $bytes.Count)
        $from = [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Any, 0)
        try { $null = $udp.Receive([ref] $from); return $true } catch { return $false }
    } finally { $udp.Dispose() }
}

function Start-TestDnsProxy {
    <#
    .SYNOPSIS
        Starts dnsdist on 127.0.0.1 (UDP and TCP, a free port) in front of a test server, with extra Lua rule lines
        (for instance 'addAction({"drop.test."}, DropAction())') to inject faults. Waits until a query for -ProbeName
        is answered. Without dnsdist the tests fail with a message naming the Debian package 'dnsdist'.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Backend,
        [string[]] $Rule = @(),
        [Parameter(Mandatory)] [string] $ProbeName
    )
    $dnsdist = if (Test-Path /usr/bin/dnsdist) { '/usr/bin/dnsdist' } else { (Get-Command dnsdist -ErrorAction Ignore).Source }
    if (-not $dnsdist) { throw "dnsdist is not installed and the fault-injection tests need it: install the Debian package 'dnsdist'." }
    $folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-dnsdist-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $folder
    $port = Get-FreePort
    $conf = @(
        'setSecurityPollSuffix("")'
        "setLocal(`"127.0.0.1:$port`")"
        "newServer({address=`"$Backend`", name=`"backend`", checkInterval=3600})"
        'getServer(0):setUp()'
    ) + $Rule
    Set-Content (Join-Path $folder 'dnsdist.conf') ($conf -join "`n")
    $process = Start-Process -FilePath $dnsdist -ArgumentList @('--supervised', '--disable-syslog', '-C', (Join-Path $folder 'dnsdist.conf')) `
        -RedirectStandardOutput (Join-Path $folder 'out.log') -RedirectStandardError (Join-Path $folder 'err.log') -PassThru
    $proxy = [pscustomobject]@{ Port = $port; Endpoint = "127.0.0.1:$port"; Process = $process; Folder = $folder }
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while (-not (Send-TestDnsProbe -Port $port -Name $ProbeName)) {
        if ($process.HasExited) { $err = Get-Content -Raw (Join-Path $folder 'err.log'); Stop-TestDnsProxy $proxy; throw "dnsdist exited: $err" }
        if ([DateTime]::UtcNow -gt $deadline) { $err = Get-Content -Raw (Join-Path $folder 'err.log'); Stop-TestDnsProxy $proxy; throw "dnsdist did not answer within 15 s: $err" }
        Start-Sleep -Milliseconds 100
    }
    return $proxy
}

function Stop-TestDnsProxy {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] $Proxy)
    if ($Proxy.Process -and -not $Proxy.Process.HasExited) { $Proxy.Process.Kill(); $null = $Proxy.Process.WaitForExit(5000) }
    Remove-Item $Proxy.Folder -Recurse -Force -ErrorAction Ignore
}

Export-ModuleMember -Function Start-TestDnsServer, Stop-TestDnsServer, Start-TestDnsProxy, Stop-TestDnsProxy
