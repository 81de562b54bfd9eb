#Requires -Version 7.2
<#
.SYNOPSIS
    Measures MailAuth against the DNS server's own limit and against peer tools, on a generated data set.
.DESCRIPTION
    1. Generates bench/out/<Domains>/ with bench/generator (or reuses it when it was made with the same seed).
    2. Starts knotd serving its zones and measures knot's maximum query rate with dnsperf (the physical limit).
    3. For each -LatencyMs: starts dnsdist in front of knot (DelayAction for latencies above 0) and measures, each
       in its own pwsh process started from the module folder:
         Invoke-MailAuthAudit over domains.csv (default throttle unless -ThrottleLimit): domains/s, DNS queries per
         domain (the cmdlet's resolver statistics and dnsdist's counter), peak memory (/usr/bin/time -v), p50/p99
         of ElapsedSeconds, and the process's threads, sockets and RSS sampled during the run;
         Test-SpfRecord over spf-pairs.csv; Test-DkimSignature over messages.txt;
       and every peer runner in bench/peers/ (contract in bench/README.md), skipped gracefully when absent.
    4. Checks the audit outcomes against truth.csv and counts mismatches.
    5. Writes bench/out/results-<timestamp>.json and prints a markdown table.
    Installs nothing: needs knot, dnsdist, dnsperf and time (Debian packages) and a built module (build.ps1 -Task Build).
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -Domains 10000
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -Domains 1000 -SpfLimit 2000 -DkimLimit 300 -DnsperfSeconds 5
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 999999)] [int] $Domains = 1000,
    [int] $Seed = 42,
    [int[]] $LatencyMs = @(0, 20),
    [string] $ModulePath,
    [string] $OutRoot,
    [switch] $Regenerate,
    [ValidateRange(0, 256)] [int] $ThrottleLimit = 0,
    [int] $SpfLimit = 0,
    [int] $DkimLimit = 0,
    [ValidateRange(1, 600)] [int] $DnsperfSeconds = 10,
    [switch] $SkipDnsperf,
    [switch] $SkipPeers,
    [switch] $SkipSpf,
    [switch] $SkipDkim,
    [ValidateRange(10, 7200)] [int] $RunTimeoutSec = 1800,
    # Passed to the peer runners as --max-seconds: they stop starting new items after it (the rate stays right).
    [ValidateRange(1, 7200)] [int] $PeerMaxSeconds = 120,
    # Where the peer runners are (bench/peers by default).
    [string] $PeersPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$BenchRoot = $PSScriptRoot
$RepoRoot = Split-Path -Parent $BenchRoot
if (-not $ModulePath) { $ModulePath = Join-Path $RepoRoot 'out/MailAuth/MailAuth.psd1' }
if (-not $OutRoot) { $OutRoot = Join-Path $BenchRoot 'out' }
if (-not (Test-Path $ModulePath)) { throw "The module is not built ($ModulePath): run 'dotnet pwsh ./build.ps1 -Task Build' first." }
foreach ($tool in '/usr/bin/time', 'dnsdist', 'knotd', 'kdig') {
    if (-not (Get-Command $tool -ErrorAction Ignore) -and -not (Test-Path "/usr/sbin/$tool")) {
        throw "'$tool' is missing: install the Debian packages knot, knot-dnsutils, dnsdist, dnsperf and time (see bench/README.md)."
    }
}
Import-Module (Join-Path $BenchRoot 'lib/BenchServers.psm1') -Force
$Inv = [Globalization.CultureInfo]::InvariantCulture
$Dotnet = (Get-Process -Id $PID).Path
$PwshDll = Join-Path $PSHOME 'pwsh.dll'
if (-not (Test-Path $PwshDll)) { throw "pwsh.dll not found in $PSHOME; run the benchmark with 'dotnet pwsh' (the repository's local tool)." }
$Work = Join-Path $OutRoot ('run-' + [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss', $Inv))
$null = New-Item -ItemType Directory -Path $Work -Force

# The result sinks our runs use, compiled here once so the measured processes load no compiler.
$SinkAssembly = Join-Path $Work 'MailAuthBench.Sink.dll'
$coreDll = Join-Path (Split-Path -Parent $ModulePath) 'MailAuth.Core.dll'
Add-Type -Path (Join-Path $BenchRoot 'lib/BenchSink.cs') -OutputAssembly $SinkAssembly -OutputType Library -ReferencedAssemblies $coreDll,
    ([System.Management.Automation.PSObject].Assembly.Location), 'netstandard', 'System.Runtime', 'System.Linq', 'System.Collections', 'System.Text.Encoding.Extensions'

function Write-Step([string] $text) { Write-Host ("[{0}] {1}" -f [DateTime]::UtcNow.ToString('HH:mm:ss', $Inv), $text) }

# ---------- data set ----------
$DataSet = Join-Path $OutRoot $Domains.ToString($Inv)
$stampFile = Join-Path $DataSet 'dataset.json'
$stamp = if (Test-Path $stampFile) { Get-Content -Raw $stampFile | ConvertFrom-Json } else { $null }
if ($Regenerate -or -not $stamp -or $stamp.Seed -ne $Seed -or $stamp.Domains -ne $Domains -or -not (Test-Path (Join-Path $DataSet 'domains.csv'))) {
    Write-Step "Building the generator and writing $Domains domains (seed $Seed) to $DataSet ..."
    $genProject = Join-Path $BenchRoot 'generator/MailAuth.Bench.Generator.csproj'
    & dotnet build $genProject -c Release -nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'The generator did not build.' }
    $genDll = Join-Path $BenchRoot 'generator/bin/Release/net10.0/MailAuth.Bench.Generator.dll'
    & dotnet $genDll --domains $Domains --seed $Seed --out $DataSet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'The generator failed.' }
    [ordered]@{ Domains = $Domains; Seed = $Seed; Written = [DateTime]::UtcNow.ToString('o') } | ConvertTo-Json | Set-Content $stampFile
}
else { Write-Step "Reusing the data set in $DataSet (seed $Seed)." }
$domainsCsv = Join-Path $DataSet 'domains.csv'
$pairsCsv = Join-Path $DataSet 'spf-pairs.csv'
$messagesTxt = Join-Path $DataSet 'messages.txt'
$pairCount = [Math]::Max(0, @(Get-Content $pairsCsv).Count - 1)
$messageCount = @(Get-Content $messagesTxt | Where-Object { $_.Trim() }).Count
if ($SpfLimit -gt 0) { $pairCount = [Math]::Min($pairCount, $SpfLimit) }
if ($DkimLimit -gt 0) { $messageCount = [Math]::Min($messageCount, $DkimLimit) }

# ---------- helpers ----------
function Get-ProcessSample([int] $ProcessId) {
    $status = "/proc/$ProcessId/status"
    if (-not (Test-Path $status)) { return $null }
    $threads = 0; $rss = 0
    try {
        foreach ($line in [IO.File]::ReadAllLines($status)) {
            if ($line.StartsWith('Threads:')) { $threads = [int]($line.Substring(8).Trim()) }
            elseif ($line.StartsWith('VmRSS:')) { $rss = [long](($line.Substring(6).Trim() -split '\s+')[0]) * 1024 }
        }
        $sockets = 0
        foreach ($fd in [IO.Directory]::GetFiles("/proc/$ProcessId/fd")) {
            try { if ([IO.File]::ResolveLinkTarget($fd, $false).FullName -match 'socket:') { $sockets++ } } catch { }
        }
        [pscustomobject]@{ Threads = $threads; Rss = $rss; Sockets = $sockets }
    } catch { $null }
}

function Get-PeakRss([string] $timeFile) {
    if (-not (Test-Path $timeFile)) { return $null }
    $m = Select-String -Path $timeFile -Pattern 'Maximum resident set size \(kbytes\):\s*(\d+)' | Select-Object -First 1
    if ($m) { return [long]$m.Matches[0].Groups[1].Value * 1024 }
    return $null
}

function Get-Percentile([double[]] $sorted, [double] $p) {
    if ($sorted.Count -eq 0) { return $null }
    $index = [Math]::Min($sorted.Count - 1, [Math]::Max(0, [int][Math]::Ceiling($p * $sorted.Count) - 1))
    return $sorted[$index]
}

function Get-UdpReceiveBufferErrors {
    # Datagrams the kernel dropped because a socket's receive buffer was full (all sockets: the servers' and ours).
    $lines = @(Get-Content /proc/net/snmp -ErrorAction Ignore | Where-Object { $_ -like 'Udp:*' })
    if ($lines.Count -lt 2) { return $null }
    $names = $lines[0] -split '\s+'; $values = $lines[1] -split '\s+'
    $i = [array]::IndexOf($names, 'RcvbufErrors')
    if ($i -lt 0) { return $null }
    return [long]$values[$i]
}

function Invoke-OurMeasurement {
    # One of our runs in its own pwsh process under /usr/bin/time -v, sampled every 500 ms.
    param([string] $Task, [string] $InputFile, $Proxy, [int] $Limit, [string] $Tag)
    $summary = Join-Path $Work "$Tag.json"
    $results = Join-Path $Work "$Tag.csv"
    $pidFile = Join-Path $Work "$Tag.pid"
    $timeFile = Join-Path $Work "$Tag.time"
    $arguments = @('-v', '-o', $timeFile, $Dotnet, $PwshDll, '-NoProfile', '-NonInteractive', '-File', (Join-Path $BenchRoot 'lib/Invoke-OurRun.ps1'),
        '-Task', $Task, '-ModulePath', $ModulePath, '-InputFile', $InputFile, '-Server', $Proxy.Endpoint,
        '-SummaryFile', $summary, '-ResultFile', $results, '-PidFile', $pidFile, '-SinkAssembly', $SinkAssembly)
    if ($ThrottleLimit -gt 0 -and $Task -eq 'audit') { $arguments += @('-ThrottleLimit', $ThrottleLimit) }
    if ($Limit -gt 0) { $arguments += @('-Limit', $Limit) }
    $before = Get-BenchDnsdistQueries $Proxy
    $rcvbufBefore = Get-UdpReceiveBufferErrors
    $process = Start-Process -FilePath /usr/bin/time -ArgumentList $arguments -PassThru -RedirectStandardOutput (Join-Path $Work "$Tag.out") -RedirectStandardError (Join-Path $Work "$Tag.err")
    $deadline = [DateTime]::UtcNow.AddSeconds($RunTimeoutSec)
    $maxThreads = 0; $maxSockets = 0; $maxRss = 0; $samples = 0; $childPid = 0
    while (-not $process.HasExited) {
        if ([DateTime]::UtcNow -gt $deadline) { $process.Kill($true); throw "$Tag did not finish within $RunTimeoutSec s." }
        if ($childPid -eq 0 -and (Test-Path $pidFile)) { $childPid = [int](Get-Content $pidFile | Select-Object -First 1) }
        if ($childPid -gt 0) {
            $s = Get-ProcessSample $childPid
            if ($s) {
                $samples++
                $maxThreads = [Math]::Max($maxThreads, $s.Threads); $maxSockets = [Math]::Max($maxSockets, $s.Sockets); $maxRss = [Math]::Max($maxRss, $s.Rss)
            }
        }
        Start-Sleep -Milliseconds 500
    }
    $process.WaitForExit()
    $after = Get-BenchDnsdistQueries $Proxy
    $rcvbufAfter = Get-UdpReceiveBufferErrors
    if (-not (Test-Path $summary)) { throw "$Tag wrote no summary; see $Work/$Tag.err:`n$(Get-Content -Raw (Join-Path $Work "$Tag.err") -ErrorAction Ignore)" }
    $r = Get-Content -Raw $summary | ConvertFrom-Json
    $o = [ordered]@{
        tool = 'MailAuth'; task = $Task; latencyMs = $Proxy.DelayMs; count = [int]$r.count; seconds = [double]$r.seconds
        rate = if ($r.seconds -gt 0) { $r.count / $r.seconds } else { $null }
        outcomes = $r.outcomes; errors = $r.errors
        networkQueries = $r.networkQueries; dnsdistQueries = if ($null -ne $before -and $null -ne $after) { $after - $before - [long]$r.warmupQueries } else { $null }
        cacheHits = $r.cacheHits; tcpQueries = $r.tcpQueries; timeouts = $r.timeouts
        udpReceiveBufferErrors = if ($null -ne $rcvbufBefore -and $null -ne $rcvbufAfter) { $rcvbufAfter - $rcvbufBefore } else { $null }
        peakRssBytes = Get-PeakRss $timeFile
        sampled = [ordered]@{ samples = $samples; maxThreads = $maxThreads; maxSockets = $maxSockets; maxRssBytes = $maxRss }
        resultFile = if ($Task -eq 'audit') { $results } else { $null }
    }
    $q = if ($o.dnsdistQueries) { $o.dnsdistQueries } else { $o.networkQueries }
    $o.queriesPerItem = if ($o.count -gt 0 -and $q) { $q / $o.count } else { $null }
    if ($Task -eq 'audit' -and (Test-Path $results)) {
        $elapsed = [double[]]@(Import-Csv $results | ForEach-Object { [double]::Parse($_.ElapsedSeconds, $Inv) } | Sort-Object)
        $o.p50Seconds = Get-Percentile $elapsed 0.50
        $o.p99Seconds = Get-Percentile $elapsed 0.99
    }
    return [pscustomobject]$o
}

function Get-PeerRunners {
    $dir = if ($PeersPath) { $PeersPath } else { Join-Path $BenchRoot 'peers' }
    if (-not (Test-Path $dir)) { return @() }
    @(Get-ChildItem $dir -File | Where-Object {
            $_.Name -notmatch '^(README|install|setup|common|lib|selftest|package)' -and $_.Extension -notin '.md', '.txt', '.json', '.lock' -and
            (($_.UnixFileMode -band [IO.UnixFileMode]::UserExecute) -ne 0)
        } | Sort-Object Name)
}

function Invoke-PeerRunner {
    param([IO.FileInfo] $Runner, [string] $Task, [string] $InputFile, $Proxy, [int] $Limit, [string] $Tag)
    $out = Join-Path $Work "$Tag.out"; $err = Join-Path $Work "$Tag.err"
    $arguments = @('--server', '127.0.0.1', '--port', $Proxy.Port, '--input', $InputFile)
    if ($Limit -gt 0) { $arguments += @('--limit', $Limit) }
    $arguments += @('--max-seconds', $PeerMaxSeconds)
    $before = Get-BenchDnsdistQueries $Proxy
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = Start-Process -FilePath $Runner.FullName -ArgumentList $arguments -PassThru -RedirectStandardOutput $out -RedirectStandardError $err
    if (-not $process.WaitForExit($RunTimeoutSec * 1000)) {
        $process.Kill($true)
        return [pscustomobject]@{ tool = $Runner.BaseName; task = $Task; latencyMs = $Proxy.DelayMs; skipped = "did not finish within $RunTimeoutSec s" }
    }
    $after = Get-BenchDnsdistQueries $Proxy
    $line = Get-Content $out -ErrorAction Ignore | Where-Object { $_.TrimStart().StartsWith('{') } | Select-Object -Last 1
    if (-not $line) {
        return [pscustomobject]@{ tool = $Runner.BaseName; task = $Task; latencyMs = $Proxy.DelayMs; skipped = "no JSON line (exit $($process.ExitCode)): $((Get-Content -Raw $err -ErrorAction Ignore) -replace '\s+', ' ' | ForEach-Object { if ($_.Length -gt 200) { $_.Substring(0, 200) } else { $_ } })" }
    }
    try { $j = $line | ConvertFrom-Json } catch { return [pscustomobject]@{ tool = $Runner.BaseName; task = $Task; latencyMs = $Proxy.DelayMs; skipped = "unreadable JSON: $line" } }
    $names = @($j.PSObject.Properties.Name)
    $o = [ordered]@{
        tool = if ('tool' -in $names) { $j.tool } else { $Runner.BaseName }
        version = if ('version' -in $names) { $j.version } else { $null }
        runner = $Runner.Name; task = if ('task' -in $names) { $j.task } else { $Task }; latencyMs = $Proxy.DelayMs
        count = if ('count' -in $names) { [int]$j.count } else { 0 }
        seconds = if ('seconds' -in $names) { [double]$j.seconds } else { $null }
        wallSeconds = $watch.Elapsed.TotalSeconds
        outcomes = if ('outcomes' -in $names) { $j.outcomes } else { $null }
        errors = if ('errors' -in $names) { $j.errors } else { $null }
        skipped = if ('skipped' -in $names) { $j.skipped } else { $null }
        truncated = if ('truncated' -in $names) { $j.truncated } else { $null }
        truth = if ('truth' -in $names) { $j.truth } else { $null }
        dnsdistQueries = if ($null -ne $before -and $null -ne $after) { $after - $before } else { $null }
    }
    $o.rate = if ($o.seconds -gt 0 -and $o.count -gt 0) { $o.count / $o.seconds } else { $null }
    $o.queriesPerItem = if ($o.count -gt 0 -and $o.dnsdistQueries) { $o.dnsdistQueries / $o.count } else { $null }
    return [pscustomobject]$o
}

function Test-AuditCorrectness([string] $ResultFile) {
    # Light check of the audit's verdicts against what the generator built (truth.csv).
    $truth = @{}
    foreach ($t in Import-Csv (Join-Path $DataSet 'truth.csv')) { $truth[$t.Domain] = $t }
    $mismatch = [ordered]@{}
    $examples = [System.Collections.Generic.List[string]]::new()
    $checked = 0
    function Miss([string] $kind, [string] $domain, [string] $what) {
        if ($mismatch.Contains($kind)) { $mismatch[$kind]++ } else { $mismatch[$kind] = 1 }
        if ($examples.Count -lt 20) { $examples.Add("${domain}: $what") }
    }
    foreach ($r in Import-Csv $ResultFile) {
        $t = $truth[$r.Domain]
        if (-not $t) { continue }
        $checked++
        $ids = @($r.FindingIds -split ';' | Where-Object { $_ })
        if ($r.Status -eq 'Failed') { Miss 'failed' $r.Domain 'Status Failed'; continue }
        switch ($t.Spf) {
            'over-limit' { if ('SPF.TooManyLookups' -notin $ids) { Miss 'spf-over-limit' $r.Domain "no SPF.TooManyLookups ($($r.FindingIds))" } }
            'loop' { if ('SPF.IncludeLoop' -notin $ids -and 'SPF.TooManyLookups' -notin $ids) { Miss 'spf-loop' $r.Domain "no SPF.IncludeLoop/TooManyLookups ($($r.FindingIds))" } }
            'void' { if ('SPF.TooManyVoidLookups' -notin $ids) { Miss 'spf-void' $r.Domain "no SPF.TooManyVoidLookups ($($r.FindingIds))" } }
            'multiple' { if ('SPF.MultipleRecords' -notin $ids) { Miss 'spf-multiple' $r.Domain "no SPF.MultipleRecords ($($r.FindingIds))" } }
            'none' { if ('SPF.NoRecord' -notin $ids) { Miss 'spf-none' $r.Domain "no SPF.NoRecord ($($r.FindingIds))" } }
            'syntax' { if ($r.SpfStatus -notin 'Error', 'PermError', 'Invalid') { Miss 'spf-syntax' $r.Domain "SpfStatus $($r.SpfStatus) ($($r.FindingIds))" } }
            'ok' {
                if ($r.SpfStatus -notin 'Ok', 'Warning') { Miss 'spf-ok' $r.Domain "SpfStatus $($r.SpfStatus) ($($r.FindingIds))" }
                elseif ($r.SpfLookupCount -and [int]$r.SpfLookupCount -ne [int]$t.SpfLookups) { Miss 'spf-lookup-count' $r.Domain "SpfLookupCount $($r.SpfLookupCount), built $($t.SpfLookups)" }
            }
        }
        switch ($t.Mx) {
            'null' { if ($r.MxStatus -ne 'NullMx') { Miss 'null-mx' $r.Domain "MxStatus $($r.MxStatus)" } }
            'none' { if ($r.MxStatus -ne 'NoMx') { Miss 'no-mx' $r.Domain "MxStatus $($r.MxStatus)" } }
            default { if ($r.MxStatus -in 'NoMx', 'NullMx', 'LookupFailed', 'DomainNotFound') { Miss 'mx' $r.Domain "MxStatus $($r.MxStatus)" } }
        }
        if ($t.Dmarc -eq 'none') { if ($r.DmarcStatus -ne 'NoRecord') { Miss 'dmarc-none' $r.Domain "DmarcStatus $($r.DmarcStatus)" } }
        elseif ($r.DmarcStatus -in 'NoRecord', 'LookupFailed', 'NotChecked') { Miss "dmarc-$($t.Dmarc)" $r.Domain "DmarcStatus $($r.DmarcStatus)" }
        foreach ($s in @($t.DkimSelectors -split ';' | Where-Object { $_ })) {
            if ($s -notin @($r.DkimSelectorsFound -split ',\s*')) { Miss 'dkim-selector' $r.Domain "selector $s not found (found: $($r.DkimSelectorsFound))" }
        }
        if ($t.MtaSts -eq '1' -and $r.MtaStsStatus -in 'NotPublished', 'LookupFailed', '') { Miss 'mta-sts' $r.Domain "MtaStsStatus $($r.MtaStsStatus)" }
        if ($t.TlsRpt -eq '1' -and $r.TlsRptStatus -in 'NotPublished', 'LookupFailed', '') { Miss 'tls-rpt' $r.Domain "TlsRptStatus $($r.TlsRptStatus)" }
    }
    $total = 0; foreach ($v in $mismatch.Values) { $total += $v }
    [pscustomobject]@{ checked = $checked; mismatches = $total; byKind = $mismatch; examples = $examples }
}

# ---------- run ----------
$report = [ordered]@{
    started = [DateTime]::UtcNow.ToString('o'); machine = [ordered]@{
        cores = [Environment]::ProcessorCount; os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        cpu = ((Get-Content /proc/cpuinfo -ErrorAction Ignore | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', '')
        loadAverageAtStart = (Get-Content /proc/loadavg -ErrorAction Ignore)
    }
    dataSet = [ordered]@{ folder = $DataSet; domains = $Domains; seed = $Seed; spfPairs = $pairCount; messages = $messageCount }
    server = [ordered]@{}; runs = [System.Collections.Generic.List[object]]::new(); correctness = [ordered]@{}
}

# knot and dnsdist's backend sockets take the kernel's default receive buffer (208 KB on Debian), which a burst of a
# few hundred queries overflows on loopback: the lost datagrams (RcvbufErrors in /proc/net/snmp) become 3 s client
# timeouts that decide a whole run. A production DNS server has larger buffers; as root, the harness raises the
# default to 4 MB for the run and puts it back after. The UDP receive-buffer errors of each run are recorded.
$rmemPath = '/proc/sys/net/core/rmem_default'
$rmemBefore = $null
$rmemWanted = 4194304
try {
    $rmemBefore = [long](Get-Content $rmemPath -ErrorAction Stop)
    if ($rmemBefore -lt $rmemWanted) { [IO.File]::WriteAllText($rmemPath, "$rmemWanted") }
}
catch { Write-Warning "Could not raise net.core.rmem_default to $rmemWanted (not root?): a server may drop queries under bursts, seen as timeouts."; $rmemBefore = $null }
$report.machine.rmemDefault = (Get-Content $rmemPath -ErrorAction Ignore)
if ($null -ne $rmemBefore -and [long]$report.machine.rmemDefault -lt $rmemWanted) { Write-Warning "net.core.rmem_default is still $($report.machine.rmemDefault)." }

$knot = $null
try {
    Write-Step 'Starting knot ...'
    $knot = Start-BenchKnot -DataSet $DataSet
    $report.server.knot = [ordered]@{ endpoint = $knot.Endpoint; zones = $knot.Zones; version = ((& /usr/sbin/knotd --version) -join ' ') }

    $maxRate = $null
    if (-not $SkipDnsperf -and (Get-Command dnsperf -ErrorAction Ignore)) {
        Write-Step "dnsperf against knot for $DnsperfSeconds s ..."
        $perfOut = & dnsperf -s 127.0.0.1 -p $knot.Port -d (Join-Path $DataSet 'dnsperf-queries.txt') -l $DnsperfSeconds -c 4 -T 2 -q 256 -t 2 2>&1
        $perfText = $perfOut -join "`n"
        Set-Content (Join-Path $Work 'dnsperf.txt') $perfText
        if ($perfText -match 'Queries per second:\s*([\d.]+)') { $maxRate = [double]::Parse($Matches[1], $Inv) }
        $lost = if ($perfText -match 'Queries lost:\s*(\d+)') { [long]$Matches[1] } else { $null }
        $report.server.dnsperf = [ordered]@{ queriesPerSecond = $maxRate; seconds = $DnsperfSeconds; lost = $lost; clients = 4; threads = 2; outstanding = 256 }
        Write-Step ("knot's maximum rate: {0:N0} queries/s" -f $maxRate)
    }
    elseif (-not $SkipDnsperf) { Write-Warning "dnsperf is not installed (Debian package 'dnsperf'): no server limit." }

    $peers = @(if (-not $SkipPeers) { Get-PeerRunners })
    if (-not $SkipPeers -and $peers.Count -eq 0) { Write-Step 'No peer runners in bench/peers/: peers skipped.' }

    foreach ($latency in $LatencyMs) {
        Write-Step "dnsdist with $latency ms latency ..."
        $proxy = Start-BenchDnsdist -Backend $knot.Endpoint -DelayMs $latency -ProbeName (Import-Csv $domainsCsv | Select-Object -First 1).Domain
        try {
            $tasks = @(@{ Task = 'audit'; Input = $domainsCsv; Limit = 0 })
            if (-not $SkipSpf) { $tasks += @{ Task = 'spf'; Input = $pairsCsv; Limit = $pairCount } }
            if (-not $SkipDkim) { $tasks += @{ Task = 'dkim'; Input = $messagesTxt; Limit = $messageCount } }
            foreach ($t in $tasks) {
                Write-Step "MailAuth $($t.Task) at $latency ms ..."
                $limit = if ($t.Task -eq 'audit') { 0 } else { $t.Limit }
                $run = Invoke-OurMeasurement -Task $t.Task -InputFile $t.Input -Proxy $proxy -Limit $limit -Tag "ours-$($t.Task)-$latency"
                $report.runs.Add($run)
                Write-Step ("  {0} in {1:0.00} s = {2:N1}/s, {3:0.0} queries each" -f $run.count, $run.seconds, $run.rate, $run.queriesPerItem)
                if ($t.Task -eq 'audit') {
                    $c = Test-AuditCorrectness $run.resultFile
                    $report.correctness["$latency"] = $c
                    Write-Step "  correctness: $($c.mismatches) mismatches in $($c.checked) domains"
                }
                foreach ($runner in $peers) {
                    $n = $runner.BaseName.ToLowerInvariant()
                    $named = @('spf', 'dkim', 'audit') | Where-Object { $n.Contains($_) }
                    if ($named -and $t.Task -notin $named) { continue }
                    $peerLimit = if ($t.Task -eq 'audit') { $Domains } else { $t.Limit }
                    Write-Step "  peer $($runner.Name) $($t.Task) ..."
                    $p = Invoke-PeerRunner -Runner $runner -Task $t.Task -InputFile $t.Input -Proxy $proxy -Limit $peerLimit -Tag "peer-$($runner.BaseName)-$($t.Task)-$latency"
                    if (-not $p.skipped -and $p.task -ne $t.Task) { continue } # a runner that does another task
                    $report.runs.Add($p)
                    if ($p.skipped) { Write-Step "    skipped: $($p.skipped)" }
                    else { Write-Step ("    {0} {1}: {2} in {3:0.00} s = {4:N1}/s" -f $p.tool, $p.version, $p.count, $p.seconds, $p.rate) }
                }
            }
        }
        finally { Stop-BenchServer $proxy }
    }
}
finally {
    if ($knot) { Stop-BenchServer $knot }
    if ($null -ne $rmemBefore -and $rmemBefore -lt $rmemWanted) { try { [IO.File]::WriteAllText($rmemPath, "$rmemBefore") } catch { } }
}

# ---------- ratios and table ----------
$report.finished = [DateTime]::UtcNow.ToString('o')
$report.machine.loadAverageAtEnd = (Get-Content /proc/loadavg -ErrorAction Ignore)
$rows = [System.Collections.Generic.List[object]]::new()
foreach ($run in $report.runs) {
    $ours = $report.runs | Where-Object { $_.tool -eq 'MailAuth' -and $_.task -eq $run.task -and $_.latencyMs -eq $run.latencyMs } | Select-Object -First 1
    $names = @($run.PSObject.Properties.Name)
    $skipped = if ('skipped' -in $names) { $run.skipped } else { $null }
    $vsOurs = if (-not $skipped -and $ours -and $ours.rate -and $run.rate) { $run.rate / $ours.rate } else { $null }
    # The limit: the queries this tool sent, at the server's maximum rate.
    $queries = if ('dnsdistQueries' -in $names -and $run.dnsdistQueries) { $run.dnsdistQueries } elseif ('networkQueries' -in $names) { $run.networkQueries } else { $null }
    $limitSeconds = if ($maxRate -and $queries) { $queries / $maxRate } else { $null }
    $run | Add-Member -NotePropertyName limitSeconds -NotePropertyValue $limitSeconds -Force
    $run | Add-Member -NotePropertyName timesLimit -NotePropertyValue $(if ($limitSeconds -and -not $skipped -and $run.seconds) { $run.seconds / $limitSeconds } else { $null }) -Force
    $run | Add-Member -NotePropertyName rateVsOurs -NotePropertyValue $vsOurs -Force
    $rows.Add($run)
}

$resultPath = Join-Path $OutRoot ('results-' + [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss', $Inv) + '.json')
$report | ConvertTo-Json -Depth 8 | Set-Content $resultPath

function F([object] $v, [string] $format) { if ($null -eq $v -or ($v -is [double] -and [double]::IsNaN($v))) { '–' } else { ([double]$v).ToString($format, $Inv) } }
$md = [System.Collections.Generic.List[string]]::new()
$md.Add("Data set: $Domains domains (seed $Seed), $pairCount SPF pairs, $messageCount messages; knot max rate: $(F $maxRate 'N0') queries/s (dnsperf).")
$md.Add('')
$md.Add('| task | latency | tool | items | seconds | items/s | queries/item | × limit | rate vs MailAuth | peak RSS MB | p50 / p99 ms |')
$md.Add('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|')
foreach ($r in $rows | Sort-Object @{ e = { @('audit', 'spf', 'dkim').IndexOf($_.task) } }, latencyMs, @{ e = { $_.tool -ne 'MailAuth' } }, tool) {
    $names = @($r.PSObject.Properties.Name)
    $tool = if ('version' -in $names -and $r.version) { "$($r.tool) $($r.version)" } else { $r.tool }
    if ('skipped' -in $names -and $r.skipped) { $md.Add("| $($r.task) | $($r.latencyMs) ms | $tool | skipped: $($r.skipped -replace '\|', '/') | | | | | | | |"); continue }
    $rss = if ('peakRssBytes' -in $names -and $r.peakRssBytes) { F ($r.peakRssBytes / 1MB) '0' } else { '–' }
    $pct = if ('p50Seconds' -in $names -and $null -ne $r.p50Seconds) { "$(F ($r.p50Seconds * 1000) '0') / $(F ($r.p99Seconds * 1000) '0')" } else { '–' }
    $md.Add("| $($r.task) | $($r.latencyMs) ms | $tool | $($r.count) | $(F $r.seconds '0.00') | $(F $r.rate 'N1') | $(F $r.queriesPerItem '0.0') | $(F $r.timesLimit '0.0') | $(F $r.rateVsOurs '0.00') | $rss | $pct |")
}
$md.Add('')
foreach ($k in $report.correctness.Keys) {
    $c = $report.correctness[$k]
    $kinds = ($c.byKind.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', '
    $md.Add("Correctness at $k ms: $($c.mismatches) mismatches against truth.csv in $($c.checked) domains$(if ($kinds) { " ($kinds)" })")
}
foreach ($r in $rows | Where-Object { $_.tool -eq 'MailAuth' -and $_.task -eq 'audit' }) {
    $md.Add("Load at $($r.latencyMs) ms (audit process, sampled every 0.5 s): max $($r.sampled.maxThreads) threads, $($r.sampled.maxSockets) sockets, $(F ($r.sampled.maxRssBytes / 1MB) '0') MB RSS.")
}
$md.Add('')
$md.Add("Results: $resultPath")
$text = $md -join "`n"
Set-Content (Join-Path $Work 'table.md') $text
Write-Host ''
Write-Host $text
