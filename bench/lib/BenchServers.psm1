<#
    Servers for the benchmark: knotd serving a generated data set's zones (zones.txt) on 127.0.0.1, and dnsdist in
    front of it (optionally delaying every UDP answer with DelayAction) with a console for its query counters.
    Only loopback addresses are used. Every wait is bounded.
#>
Set-StrictMode -Version 3.0

function Get-BenchFreePort {
    for ($i = 0; $i -lt 50; $i++) {
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

function Start-BenchKnot {
    <#
    .SYNOPSIS
        Starts knotd with every zone listed in <DataSet>/zones.txt; returns an object with Port, Endpoint, Process, Folder.
        Waits until every zone is loaded (at most -LoadTimeoutSec).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $DataSet,
        [int] $UdpWorkers = 2,
        [int] $LoadTimeoutSec = 300
    )
    $knotd = if (Test-Path /usr/sbin/knotd) { '/usr/sbin/knotd' } else { (Get-Command knotd -ErrorAction Ignore).Source }
    if (-not $knotd) { throw "knotd is not installed: install the Debian package 'knot'." }
    $folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-bench-knot-' + [guid]::NewGuid().ToString('n'))
    foreach ($d in 'run', 'db') { $null = New-Item -ItemType Directory -Path (Join-Path $folder $d) -Force }
    $zonesDir = (Resolve-Path (Join-Path $DataSet 'zones')).Path
    $port = Get-BenchFreePort
    $zones = @(Get-Content (Join-Path $DataSet 'zones.txt') | Where-Object { $_.Trim() } | ForEach-Object {
            $name, $file = $_.Trim() -split '\s+'
            [pscustomobject]@{ Name = $name.TrimEnd('.') + '.'; File = $file }
        })
    $conf = [Text.StringBuilder]::new()
    $null = $conf.AppendLine('server:').AppendLine("    rundir: `"$folder/run`"").AppendLine("    listen: 127.0.0.1@$port")
    $null = $conf.AppendLine("    udp-workers: $UdpWorkers").AppendLine('    tcp-workers: 1').AppendLine('    background-workers: 1')
    # Generous limits for the large data sets: TCP clients and the reply size; zones themselves have no size cap by default.
    $null = $conf.AppendLine('    tcp-max-clients: 1024').AppendLine('    udp-max-payload: 1232')
    $null = $conf.AppendLine('control:').AppendLine("    listen: `"$folder/run/knot.sock`"")
    $null = $conf.AppendLine('database:').AppendLine("    storage: `"$folder/db`"")
    $null = $conf.AppendLine('log:').AppendLine('  - target: stderr').AppendLine('    any: info')
    $null = $conf.AppendLine('template:').AppendLine('  - id: default').AppendLine("    storage: `"$zonesDir`"")
    $null = $conf.AppendLine('    zonefile-sync: -1').AppendLine('    zonefile-load: whole').AppendLine('    journal-content: none')
    $null = $conf.AppendLine('    semantic-checks: off')
    $null = $conf.AppendLine('zone:')
    foreach ($z in $zones) { $null = $conf.AppendLine("  - domain: $($z.Name)").AppendLine("    file: `"$($z.File)`"") }
    Set-Content -Path (Join-Path $folder 'knot.conf') -Value $conf.ToString()

    $log = Join-Path $folder 'knotd.log'
    $process = Start-Process -FilePath $knotd -ArgumentList @('-c', (Join-Path $folder 'knot.conf')) -RedirectStandardError $log `
        -RedirectStandardOutput (Join-Path $folder 'stdout.log') -PassThru
    $server = [pscustomobject]@{ Port = $port; Endpoint = "127.0.0.1:$port"; Process = $process; Folder = $folder; Log = $log; Zones = $zones.Count }
    $deadline = [DateTime]::UtcNow.AddSeconds($LoadTimeoutSec)
    while ($true) {
        Start-Sleep -Milliseconds 200
        $text = if (Test-Path $log) { [IO.File]::ReadAllText($log) } else { '' }
        $failed = @($zones | Where-Object { $text.Contains("[$($_.Name)] zone event 'load' failed") -or $text.Contains("[$($_.Name)] failed to parse") -or $text.Contains("[$($_.Name)] zone file error") })
        if ($failed) { Stop-BenchServer $server; throw "knot could not load zone(s) $($failed.Name -join ', '):`n$text" }
        $loaded = @($zones | Where-Object { $text.Contains("[$($_.Name)] loaded") })
        if ($text.Contains('server started') -and $loaded.Count -eq $zones.Count) { return $server }
        if ($process.HasExited) { throw "knotd exited with code $($process.ExitCode):`n$text" }
        if ([DateTime]::UtcNow -gt $deadline) { Stop-BenchServer $server; throw "knotd did not load its zones within $LoadTimeoutSec s:`n$text" }
    }
}

function Start-BenchDnsdist {
    <#
    .SYNOPSIS
        Starts dnsdist on 127.0.0.1 in front of -Backend (host:port), delaying UDP answers by -DelayMs (0: no delay).
        Returns Port, Endpoint, Process, Folder, Config. -ProbeName: a name that must answer before it is ready.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Backend,
        [int] $DelayMs = 0,
        [Parameter(Mandatory)] [string] $ProbeName
    )
    $dnsdist = if (Test-Path /usr/bin/dnsdist) { '/usr/bin/dnsdist' } else { (Get-Command dnsdist -ErrorAction Ignore).Source }
    if (-not $dnsdist) { throw "dnsdist is not installed: install the Debian package 'dnsdist'." }
    $folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-bench-dnsdist-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $folder
    $port = Get-BenchFreePort
    $consolePort = Get-BenchFreePort
    $key = [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
    $lines = @(
        'setSecurityPollSuffix("")'
        "setLocal(`"127.0.0.1:$port`")"
        "newServer({address=`"$Backend`", name=`"knot`", checkInterval=3600})"
        'getServer(0):setUp()'
        "controlSocket(`"127.0.0.1:$consolePort`")"
        "setKey(`"$key`")"
        'setMaxUDPOutstanding(65535)'
        # The kernel's default 208 KB receive buffer overflows under a client's burst of a few hundred queries
        # (counted in /proc/net/snmp RcvbufErrors, seen as timeouts); a real resolver has room for them.
        'setUDPSocketBufferSizes(4194304, 4194304)'
    )
    if ($DelayMs -gt 0) { $lines += "addAction(AllRule(), DelayAction($DelayMs))" }
    $config = Join-Path $folder 'dnsdist.conf'
    Set-Content $config ($lines -join "`n")
    $process = Start-Process -FilePath $dnsdist -ArgumentList @('--supervised', '--disable-syslog', '-C', $config) `
        -RedirectStandardOutput (Join-Path $folder 'out.log') -RedirectStandardError (Join-Path $folder 'err.log') -PassThru
    $proxy = [pscustomobject]@{ Port = $port; Endpoint = "127.0.0.1:$port"; Process = $process; Folder = $folder; Config = $config; DelayMs = $DelayMs }
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        Start-Sleep -Milliseconds 200
        if ($process.HasExited) { throw "dnsdist exited: $(Get-Content -Raw (Join-Path $folder 'err.log'))" }
        $answer = & kdig "@127.0.0.1" -p $port +short +timeout=1 +retry=0 $ProbeName TXT 2>$null
        if ($LASTEXITCODE -eq 0 -and $answer) { return $proxy }
        if ([DateTime]::UtcNow -gt $deadline) { Stop-BenchServer $proxy; throw "dnsdist did not answer within 20 s: $(Get-Content -Raw (Join-Path $folder 'err.log'))" }
    }
}

function Get-BenchDnsdistQueries {
    <# The number of queries dnsdist has received so far (its "queries" counter). #>
    param([Parameter(Mandatory)] $Proxy)
    $out = & /usr/bin/dnsdist -C $Proxy.Config -c -e 'dumpStats()' 2>$null
    foreach ($line in $out) {
        if ($line -match '(?:^|\s)queries\s+(\d+)') { return [long]$Matches[1] }
    }
    return $null
}

function Stop-BenchServer {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] $Server)
    if ($Server.Process -and -not $Server.Process.HasExited) {
        $Server.Process.Kill()
        $null = $Server.Process.WaitForExit(10000)
    }
    Remove-Item $Server.Folder -Recurse -Force -ErrorAction Ignore
}

Export-ModuleMember -Function Get-BenchFreePort, Start-BenchKnot, Start-BenchDnsdist, Get-BenchDnsdistQueries, Stop-BenchServer
