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
    [int] $Limit = 0
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

function Add-Outcome([string] $name) {
    if ($outcomes.ContainsKey($name)) { $outcomes[$name]++ } else { $outcomes[$name] = 1 }
}

$rows = if ($Task -eq 'dkim') {
    $base = Split-Path -Parent (Resolve-Path $InputFile).Path
    Get-Content $InputFile | Where-Object { $_.Trim() } | ForEach-Object { [pscustomobject]@{ Path = (Join-Path $base $_.Trim()) } }
} else { Import-Csv $InputFile }
if ($Limit -gt 0) { $rows = @($rows | Select-Object -First $Limit) }

switch ($Task) {
    'audit' {
        $writer = [IO.StreamWriter]::new($ResultFile, $false, [Text.UTF8Encoding]::new($false))
        $writer.WriteLine('Row,Domain,Status,ElapsedSeconds,MxStatus,SpfStatus,SpfLookupCount,DmarcStatus,DmarcPolicy,DkimStatus,DkimSelectorsFound,MtaStsStatus,TlsRptStatus,FindingIds')
        $params = @{ Server = $Server; Verbose = $true }
        if ($ThrottleLimit -gt 0) { $params.ThrottleLimit = $ThrottleLimit }
        $watch.Start()
        $rows | Invoke-MailAuthAudit @params 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose.Add($_.Message); return }
            $r = $_
            $count++
            Add-Outcome $r.Status.ToString()
            $ids = ($r.Findings | ForEach-Object Id | Sort-Object -Unique) -join ';'
            $writer.WriteLine(('{0},{1},{2},{3},{4},{5},{6},{7},{8},{9},"{10}",{11},{12},{13}' -f $r.Row, $r.Domain, $r.Status,
                    $r.ElapsedSeconds.ToString('0.######', [Globalization.CultureInfo]::InvariantCulture), $r.MxStatus, $r.SpfStatus,
                    $r.SpfLookupCount, $r.DmarcStatus, $r.DmarcPolicy, $r.DkimStatus, $r.DkimSelectorsFound, $r.MtaStsStatus, $r.TlsRptStatus, $ids))
        }
        $watch.Stop()
        $writer.Dispose()
    }
    'spf' {
        $watch.Start()
        $rows | Test-SpfRecord -Server $Server -Verbose -ErrorAction SilentlyContinue -ErrorVariable +failures 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose.Add($_.Message); return }
            $count++
            Add-Outcome $_.Result.ToString().ToLowerInvariant()
        }
        $watch.Stop()
        $errors = @($failures).Count
    }
    'dkim' {
        $watch.Start()
        $rows | Test-DkimSignature -Server $Server -Verbose -ErrorAction SilentlyContinue -ErrorVariable +failures 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose.Add($_.Message); return }
            $count++
            Add-Outcome $_.Result.ToString().ToLowerInvariant()
        }
        $watch.Stop()
        $errors = @($failures).Count
    }
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
    statistics = $stats; peakWorkingSetBytes = $proc.PeakWorkingSet64; gcHeapBytes = [GC]::GetTotalMemory($false)
} | ConvertTo-Json -Depth 4 | Set-Content -Path $SummaryFile
