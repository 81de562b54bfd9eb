<#
.SYNOPSIS
    One measured run of a MailAuth cmdlet, in its own pwsh process (started by bench/Invoke-Benchmark.ps1).
.DESCRIPTION
    audit  Import-Csv domains.csv | Invoke-MailAuthAudit -Server ...; every result is written as one CSV row to
           -ResultFile as it arrives (nothing is kept in memory), so the process's peak memory is the module's.
    spf    Import-Csv spf-pairs.csv | Test-SpfRecord -Server ...
    dkim   the files listed in messages.txt | Test-DkimSignature -Server ...
    Writes a JSON summary to -SummaryFile: count, seconds (the cmdlet's pipeline only, not the module import),
    outcomes, and the resolver statistics line the cmdlet writes to the verbose stream. Writes its process id to
    -PidFile first so the harness can sample threads, sockets and memory.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('audit', 'spf', 'dkim')] [string] $Task,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $InputFile,
    [Parameter(Mandatory)] [string] $Server,
    [Parameter(Mandatory)] [string] $SummaryFile,
    [string] $ResultFile,
    [string] $PidFile,
    [int] $ThrottleLimit = 0,
    [int] $Limit = 0,
    [int] $WarmUp = -1,
    [Parameter(Mandatory)] [string] $SinkAssembly
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if ($PidFile) { Set-Content -Path $PidFile -Value $PID }
Import-Module $ModulePath

$verbose = [System.Collections.Generic.List[string]]::new()
$outcomes = @{}
$count = 0
$errors = 0
$watch = [Diagnostics.Stopwatch]::new()


# The compiled result sinks (bench/lib/BenchSink.cs), built by the harness, so this process never loads a compiler.
Add-Type -Path $SinkAssembly

# The input streams from the file (the audit of 100,000 rows never holds them all); -Limit takes the first N.
$source = if ($Task -eq 'dkim') {
    $base = Split-Path -Parent (Resolve-Path $InputFile).Path
    { Get-Content $InputFile | Where-Object { $_.Trim() } | ForEach-Object { [pscustomobject]@{ Path = (Join-Path $base $_.Trim()) } } }.GetNewClosure()
} else { { Import-Csv $InputFile } }
$rows = if ($Limit -gt 0) { { & $source | Select-Object -First $Limit }.GetNewClosure() } else { $source }
if ($Task -ne 'audit') {
    # SPF pairs and messages are few: read before the clock starts, as the peers read their input.
    $items = @(& $rows)
    $rows = { $items }.GetNewClosure()
}

# Warm-up: the first items once through the same cmdlet in its own invocation (its own resolver and cache), so
# the measured run does not pay for loading and compiling the module's code. Its DNS queries are reported apart.
# .NET compiles a method quickly first and optimises it only after ~30 calls and a pause (tiered compilation), so a
# run of one or two seconds (the SPF and DKIM sets) would be measured mostly on unoptimised code: those warm up on
# up to 1,000 items; the audit, which runs for tens of seconds, on 50.
if ($WarmUp -lt 0) { $WarmUp = if ($Task -eq 'audit') { 50 } else { 1000 } }
$warmupQueries = 0
if ($WarmUp -gt 0) {
    $few = @(& $rows | Select-Object -First $WarmUp)
    $wv = switch ($Task) {
        'audit' { $few | Invoke-MailAuthAudit -Server $Server -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } }
        'spf' { $few | Test-SpfRecord -Server $Server -Verbose -ErrorAction SilentlyContinue 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } }
        'dkim' { $few | Test-DkimSignature -Server $Server -Verbose -ErrorAction SilentlyContinue 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } }
    }
    $line = @($wv | ForEach-Object Message | Where-Object { $_ -like 'DNS queries:*' }) | Select-Object -Last 1
    if ($line -match '(\d+) network queries') { $warmupQueries = [long]$Matches[1] }
}

switch ($Task) {
    'audit' {
        # The results are written by a small compiled sink (one cheap call per result), so the measurement is the
        # cmdlet's work and not a script block's; nothing is kept in memory.
        $sink = [MailAuthBench.AuditSink]::new($ResultFile)
        $params = @{ Server = $Server; Verbose = $true }
        if ($ThrottleLimit -gt 0) { $params.ThrottleLimit = $ThrottleLimit }
        $watch.Start()
        & $rows | Invoke-MailAuthAudit @params 4>&1 | & { process { $sink.Add($_) } }
        $watch.Stop()
        $sink.Dispose()
        $count = $sink.Count
        foreach ($kv in $sink.Outcomes.GetEnumerator()) { $outcomes[$kv.Key] = $kv.Value }
        $verbose.AddRange($sink.Verbose)
    }
    'spf' {
        $sink = [MailAuthBench.OutcomeSink]::new()
        $watch.Start()
        & $rows | Test-SpfRecord -Server $Server -Verbose -ErrorAction SilentlyContinue -ErrorVariable +failures 4>&1 | & { process { $sink.Add($_) } }
        $watch.Stop()
        $errors = @($failures).Count
    }
    'dkim' {
        $sink = [MailAuthBench.OutcomeSink]::new()
        $watch.Start()
        & $rows | Test-DkimSignature -Server $Server -Verbose -ErrorAction SilentlyContinue -ErrorVariable +failures 4>&1 | & { process { $sink.Add($_) } }
        $watch.Stop()
        $errors = @($failures).Count
    }
}

if ($Task -ne 'audit') {
    $sink.Flush()
    $count = $sink.Count
    foreach ($kv in $sink.Outcomes.GetEnumerator()) { $outcomes[$kv.Key] = $kv.Value }
    $verbose.AddRange($sink.Verbose)
}
$stats = $verbose | Where-Object { $_ -like 'DNS queries:*' } | Select-Object -Last 1
$network = $null; $lookups = $null; $hits = $null; $tcp = $null; $timeouts = $null
if ($stats -match '(\d+) lookups sent, (\d+) cache hits, (\d+) network queries \((\d+) TCP, (\d+) timed out\)') {
    $lookups = [long]$Matches[1]; $hits = [long]$Matches[2]; $network = [long]$Matches[3]; $tcp = [long]$Matches[4]; $timeouts = [long]$Matches[5]
}
$proc = [Diagnostics.Process]::GetCurrentProcess()
[ordered]@{
    task = $Task; count = $count; seconds = $watch.Elapsed.TotalSeconds; outcomes = $outcomes; errors = $errors
    lookups = $lookups; cacheHits = $hits; networkQueries = $network; tcpQueries = $tcp; timeouts = $timeouts
    statistics = $stats; warmupItems = $WarmUp; warmupQueries = $warmupQueries; peakWorkingSetBytes = $proc.PeakWorkingSet64; gcHeapBytes = [GC]::GetTotalMemory($false)
} | ConvertTo-Json -Depth 4 | Set-Content -Path $SummaryFile
