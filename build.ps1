#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and demonstrates the MailAuth module.
.DESCRIPTION
    Build   compiles the assemblies and lays out an importable module folder in out/MailAuth
            (manifest, assemblies, format file, MAML help generated from docs/en-US).
    Test    Build, then the xunit tests, then the Pester tests in their own pwsh process; prints one
            closing line "N passed, N failed, N skipped" summing both, and exits non-zero on any failure
            or when no test ran.
    Sample  Build, then runs the main job on the bundled sample zones (no network needed).
    Bench   Build, then the small benchmark (bench/Invoke-Benchmark.ps1): 1,000 generated domains served by knot
            behind dnsdist at 0 and 20 ms latency, knot's own rate from dnsperf, Invoke-MailAuthAudit,
            Test-SpfRecord and Test-DkimSignature, and whichever peer tools bench/peers/ has installed; prints a
            markdown table and writes bench/out/results-*.json. Needs the Debian packages knot, knot-dnsutils,
            dnsdist, dnsperf and time (see bench/README.md); never part of Test or CI.
    Clean   removes out/ and the build outputs.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Bench
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Sample', 'Bench', 'Clean')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$OutRoot = Join-Path $Root 'out'
$ModuleOut = Join-Path $OutRoot 'MailAuth'
Set-Location $Root

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Invoke-ChildPwsh {
    # A loaded binary module cannot be unloaded, so anything that imports the module runs in its own process.
    param([string[]] $Arguments)
    & dotnet pwsh -NoProfile -NonInteractive @Arguments | Out-Host
    return $LASTEXITCODE
}

function Invoke-BuildTask {
    Write-Host "Building MailAuth ($Configuration)..."
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $Root 'src/MailAuth.PowerShell/MailAuth.PowerShell.csproj') -c $Configuration -nologo -v quiet }
    $bin = Join-Path $Root "src/MailAuth.PowerShell/bin/$Configuration/netstandard2.0"

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $ModuleOut -Force
    # System.Management.Automation comes from the host PowerShell, never from the module folder.
    Get-ChildItem $bin -Filter '*.dll' |
        Where-Object Name -NotIn @('System.Management.Automation.dll') |
        Copy-Item -Destination $ModuleOut
    Copy-Item (Join-Path $Root 'MailAuth.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'src/MailAuth.PowerShell/MailAuth.Format.ps1xml') $ModuleOut

    $helpOut = Join-Path $ModuleOut 'en-US/MailAuth.PowerShell.dll-Help.xml'
    $code = Invoke-ChildPwsh @('-File', (Join-Path $Root 'tools/New-MamlHelp.ps1'),
        '-ModulePath', (Join-Path $ModuleOut 'MailAuth.psd1'),
        '-SourcePath', (Join-Path $Root 'docs/en-US'),
        '-OutFile', $helpOut)
    if ($code -ne 0) { throw 'Help generation failed.' }
    Write-Host "Module ready: $ModuleOut"
}

# Debian packages the tests use: knot (live DNS), dnsdist (fault injection), python3-spf and python3-dkim (oracles),
# chromium (renders the HTML report). .ci/run relies on this list too.
$TestPackages = @('knot', 'dnsdist', 'python3-spf', 'python3-dkim', 'chromium')

function Assert-TestPrerequisites {
    # Install what is missing where we can (root with apt-get); otherwise stop and name the packages.
    if (-not $IsLinux -or -not (Get-Command dpkg -ErrorAction Ignore)) { return }
    $missing = @($TestPackages | Where-Object { & dpkg -s $_ 2>$null | Out-Null; $LASTEXITCODE -ne 0 })
    if ($missing.Count -eq 0) { return }
    $isRoot = (& id -u) -eq '0'
    if ($isRoot -and (Get-Command apt-get -ErrorAction Ignore)) {
        Write-Host "Installing the Debian packages the tests need: $($missing -join ', ')..."
        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get update -qq | Out-Null
        & apt-get install -y -qq @missing | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed with exit code $LASTEXITCODE." }
        # The packaged services are not needed: the tests start their own servers on free ports.
        if (Get-Command systemctl -ErrorAction Ignore) { & systemctl stop knot dnsdist 2>$null | Out-Null }
        $global:LASTEXITCODE = 0
        return
    }
    throw "The tests need the Debian packages $($missing -join ', '). Install them (apt-get install $($missing -join ' ')) and run the tests again."
}

function Get-PesterModulePath {
    Invoke-Native 'Pester download' { dotnet restore (Join-Path $Root 'tests/tools/PesterDownload.csproj') -nologo -v quiet }
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $path = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $path)) { throw "Pester 5.7.1 was not found at $path after the download." }
    return $path
}

function Invoke-XunitTests {
    $results = Join-Path $OutRoot 'test-results'
    $null = New-Item -ItemType Directory -Path $results -Force
    $trx = Join-Path $results 'xunit.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    & dotnet test (Join-Path $Root 'tests/MailAuth.Tests/MailAuth.Tests.csproj') -c $Configuration -nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal' | Out-Host
    $exit = $LASTEXITCODE
    if (-not (Test-Path $trx)) { throw "xunit produced no result file (dotnet test exit code $exit)." }
    [xml] $doc = Get-Content -Raw $trx
    $c = $doc.TestRun.ResultSummary.Counters
    # The trx summary leaves notExecuted at 0 for skipped tests: count the results marked NotExecuted instead.
    $notRun = @($doc.TestRun.Results.UnitTestResult | Where-Object { $_.outcome -eq 'NotExecuted' }).Count
    $counts = [pscustomobject]@{
        Runner = 'xunit'; Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        Skipped = [Math]::Max([Math]::Max([int]$c.notExecuted, $notRun), [int]$c.total - [int]$c.executed)
    }
    if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    return $counts
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    $resultFile = Join-Path $OutRoot 'test-results/pester.json'
    if (Test-Path $resultFile) { Remove-Item $resultFile }
    $code = Invoke-ChildPwsh @('-File', (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1'),
        '-PesterPath', $pester, '-ModulePath', (Join-Path $ModuleOut 'MailAuth.psd1'), '-ResultFile', $resultFile)
    if (-not (Test-Path $resultFile)) {
        return [pscustomobject]@{ Runner = 'Pester'; Passed = 0; Failed = 1; Skipped = 0 }
    }
    $r = Get-Content -Raw $resultFile | ConvertFrom-Json
    $counts = [pscustomobject]@{ Runner = 'Pester'; Passed = [int]$r.Passed; Failed = [int]$r.Failed; Skipped = [int]$r.Skipped }
    if ($code -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    return $counts
}

switch ($Task) {
    'Clean' {
        foreach ($p in @($OutRoot) + (Get-ChildItem $Root -Recurse -Directory -Include bin, obj | ForEach-Object FullName)) {
            if (Test-Path $p) { Remove-Item $p -Recurse -Force }
        }
    }
    'Build' { Invoke-BuildTask }
    'Sample' {
        Invoke-BuildTask
        $code = Invoke-ChildPwsh @('-File', (Join-Path $Root 'samples/Invoke-Sample.ps1'), '-ModulePath', (Join-Path $ModuleOut 'MailAuth.psd1'))
        exit $code
    }
    'Bench' {
        Invoke-BuildTask
        # The small version: 1,000 domains, both latencies, a share of the SPF pairs and messages so it stays under two minutes.
        $code = Invoke-ChildPwsh @('-File', (Join-Path $Root 'bench/Invoke-Benchmark.ps1'), '-Domains', '1000',
            '-SpfLimit', '500', '-DkimLimit', '200', '-DnsperfSeconds', '3', '-PeerMaxSeconds', '3', '-ModulePath', (Join-Path $ModuleOut 'MailAuth.psd1'))
        exit $code
    }
    'Test' {
        Invoke-BuildTask
        Assert-TestPrerequisites
        $all = @(Invoke-XunitTests; Invoke-PesterTests)
        foreach ($r in $all) { Write-Host ("{0}: {1} passed, {2} failed, {3} skipped" -f $r.Runner, $r.Passed, $r.Failed, $r.Skipped) }
        $passed = ($all | Measure-Object Passed -Sum).Sum
        $failed = ($all | Measure-Object Failed -Sum).Sum
        $skipped = ($all | Measure-Object Skipped -Sum).Sum
        Write-Host "$passed passed, $failed failed, $skipped skipped"
        if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
        exit 0
    }
}
