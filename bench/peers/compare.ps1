<#
.SYNOPSIS
    Correctness check (not a benchmark): runs MailAuth's Test-SpfRecord and Test-DkimSignature and every peer runner
    (with --results) on the same first -Limit SPF pairs and messages of a data set served on 127.0.0.1:-Port, and
    prints per item how often each peer agrees with MailAuth, with the kinds of disagreement.
.EXAMPLE
    DATA=bench/out/1000 bash bench/peers/selftest.sh --exec "dotnet pwsh -NoProfile bench/peers/compare.ps1"
    (selftest.sh starts knot on the data set and calls this script with the port and the data folder)
#>
param(
    [Parameter(Mandatory, Position = 0)] [int] $Port,
    [Parameter(Mandatory, Position = 1)] [string] $DataDir,
    [int] $Limit = 1000,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/MailAuth/MailAuth.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$server = "127.0.0.1:$Port"
$work = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-peers-compare-' + [guid]::NewGuid().ToString('n'))
$null = New-Item -ItemType Directory $work
try {
    $ours = @{ spf = @{}; dkim = @{} }
    $pairs = @(Import-Csv (Join-Path $DataDir 'spf-pairs.csv') | Select-Object -First $Limit)
    foreach ($p in $pairs) {
        $r = Test-SpfRecord -IPAddress $p.IP -Sender $p.Sender -Server $server -ErrorAction SilentlyContinue
        $ours.spf["$($p.IP) $($p.Domain)"] = if ($r) { "$($r.Result)".ToLowerInvariant() } else { 'error' }
    }
    $list = Join-Path $DataDir 'messages.txt'
    $files = @(Get-Content $list | Where-Object { $_.Trim() } | Select-Object -First $Limit)
    foreach ($f in $files) {
        $rs = @(Test-DkimSignature -Path (Join-Path $DataDir $f.Trim()) -Server $server -ErrorAction SilentlyContinue)
        $res = @($rs | ForEach-Object { "$($_.Result)".ToLowerInvariant() })
        $ours.dkim[[IO.Path]::GetFileName($f.Trim())] = if ($res -contains 'pass') { 'pass' } elseif (-not $res -or -not ($res | Where-Object { $_ -ne 'none' })) { 'nosig' } elseif ($res -contains 'temperror') { 'temperror' } else { 'fail' }
    }
    foreach ($task in 'spf', 'dkim') {
        $counts = $ours[$task].Values | Group-Object | ForEach-Object { "$($_.Name)=$($_.Count)" }
        Write-Host "MailAuth $task ($($ours[$task].Count)): $($counts -join ' ')"
        $inFile = if ($task -eq 'spf') { Join-Path $DataDir 'spf-pairs.csv' } else { $list }
        foreach ($runner in Get-ChildItem $PSScriptRoot -File | Where-Object { $_.Name -like "*-$task*" -and ($_.UnixFileMode -band [IO.UnixFileMode]::UserExecute) }) {
            $results = Join-Path $work "$($runner.BaseName).csv"
            $json = & $runner.FullName --server 127.0.0.1 --port $Port --input $inFile --limit $Limit --max-seconds 60 --results $results | Select-Object -Last 1 | ConvertFrom-Json
            if ($json.PSObject.Properties['skipped'] -and $json.skipped) { Write-Host "  $($runner.Name): skipped ($($json.skipped))"; continue }
            $agree = 0; $kinds = @{}
            foreach ($row in Import-Csv $results) {
                $o = $ours[$task][$row.Item]
                if ($o -eq $row.Outcome) { $agree++ } else {
                    $k = "ours $o / $($json.tool) $($row.Outcome)"
                    if (-not $kinds[$k]) { $kinds[$k] = [Collections.Generic.List[string]]::new() }
                    $kinds[$k].Add($row.Item)
                }
            }
            $total = $agree + ($kinds.Values | ForEach-Object Count | Measure-Object -Sum).Sum
            Write-Host ("  {0} {1}: agrees on {2} of {3}" -f $json.tool, $json.version, $agree, $total)
            foreach ($k in $kinds.Keys | Sort-Object) { Write-Host ("    {0}: {1} (e.g. {2})" -f $k, $kinds[$k].Count, (($kinds[$k] | Select-Object -First 3) -join '; ')) }
        }
    }
}
finally { Remove-Item $work -Recurse -Force -ErrorAction Ignore }
