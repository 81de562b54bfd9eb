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

Export-ModuleMember -Function Start-TestDnsServer, Stop-TestDnsServer
