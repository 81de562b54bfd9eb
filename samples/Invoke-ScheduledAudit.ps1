<#
.SYNOPSIS
    Scheduled mail-authentication audit: reads a CSV of domains, writes the results as CSV, JSON and HTML, and
    exits with a non-zero code when any Error finding is present.
.DESCRIPTION
    Meant for Task Scheduler (or cron): it never prompts, writes nothing to the host (only a summary object to
    the output stream, which a scheduled task discards unless redirected) and no ANSI colour codes.

    Exit codes: 0 no Error finding; 2 at least one Error finding (or a domain that could not be audited);
    1 the audit itself could not run (missing module, unreadable CSV, ...).

    Lists (-Server, -ZoneFile, -ReferenceZoneFile, -Requirement) may be given as one comma-separated argument,
    which is what a Task Scheduler action passes.

    The CSV needs a Domain column (or DomainName, Name, ZoneName); Selector and SendingIP columns are optional.
    Output files are named mailauth-audit-<yyyyMMdd-HHmmss>.csv/.json/.html in -OutputFolder. The HTML report
    comes from Export-MailAuthReport when the module has it, otherwise from ConvertTo-Html.
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File C:\Scripts\Invoke-ScheduledAudit.ps1 -InputCsv C:\Audit\domains.csv -OutputFolder C:\Audit\Reports
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $InputCsv,
    [Parameter(Mandatory)] [string] $OutputFolder,
    # The module to load: a path to MailAuth.psd1, or the name of an installed module.
    [string] $ModulePath = 'MailAuth',
    [string[]] $Server,
    [string[]] $ZoneFile,
    [string[]] $ReferenceZoneFile,
    # Google, Yahoo, Microsoft or All.
    [string[]] $Requirement,
    [ValidateRange(1, 256)] [int] $ThrottleLimit = 32
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$ConfirmPreference = 'None'
if ($PSVersionTable.PSVersion.Major -ge 7 -and (Get-Variable PSStyle -ErrorAction Ignore)) { $PSStyle.OutputRendering = 'PlainText' }

# Task Scheduler hands every argument over as one string: accept "a,b" wherever a list is expected.
function Split-List([string[]] $Value) { @($Value | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ }) }

try {
    $Server = Split-List $Server
    $ZoneFile = Split-List $ZoneFile
    $ReferenceZoneFile = Split-List $ReferenceZoneFile
    $Requirement = Split-List $Requirement
    Import-Module $ModulePath -ErrorAction Stop
    $null = New-Item -ItemType Directory -Path $OutputFolder -Force
    $stamp = Get-Date -Format 'yyyyMMdd-HHmmss'
    $base = Join-Path $OutputFolder "mailauth-audit-$stamp"

    $audit = @{ ThrottleLimit = $ThrottleLimit }
    if ($Server) { $audit.Server = $Server }
    if ($ZoneFile) { $audit.ZoneFile = $ZoneFile }
    if ($ReferenceZoneFile) { $audit.ReferenceZoneFile = $ReferenceZoneFile }
    if ($Requirement) { $audit.Requirement = $Requirement }
    $results = @(Import-Csv -Path $InputCsv | Invoke-MailAuthAudit @audit)

    $summary = 'Row', 'Domain', 'Status', 'Grade', 'Reason', 'IsParked', 'SpfStatus', 'SpfLookupCount', 'DkimStatus',
        'DkimSelectorsFound', 'DkimSelectorsMissing', 'WeakestDkimKeyBits', 'DmarcStatus', 'DmarcPolicy', 'MxStatus', 'MxHosts',
        'MtaStsMode', 'TlsRptStatus', 'BimiStatus', 'RequirementsFailed', 'ErrorCount', 'WarningCount', 'SuggestedRecordCount', 'DuplicateOfRow', 'Findings'
    $results | Select-Object $summary | Export-Csv -Path "$base.csv" -NoTypeInformation -Encoding utf8

    $rows = @($results | ForEach-Object {
        $row = $_ | Select-Object ($summary | Where-Object { $_ -ne 'Findings' })
        $row | Add-Member -NotePropertyName Findings -NotePropertyValue @($_.Findings | ForEach-Object {
                [pscustomobject]@{
                    Id = $_.Id; Severity = $_.Severity.ToString(); Area = $_.Area; Message = $_.Message
                    Remediation = $_.Remediation; Reference = $_.Reference
                    SuggestedRecord = if ($_.SuggestedRecord) { $_.SuggestedRecord.ZoneFileLine } else { $null }
                }
            })
        $row | Add-Member -NotePropertyName Requirements -NotePropertyValue @($_.Requirements | Select-Object Provider, Id, Rule, AppliesTo, @{ n = 'Verdict'; e = { $_.Verdict.ToString() } }, Evidence)
        $row
    })
    # -InputObject keeps a one-domain result an array (ConvertTo-Json -AsArray is PowerShell 7 only).
    ConvertTo-Json -InputObject $rows -Depth 6 | Set-Content -Path "$base.json" -Encoding utf8

    if (Get-Command Export-MailAuthReport -ErrorAction Ignore) {
        $results | Export-MailAuthReport -Path "$base.html"
    } else {
        $head = '<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style>'
        $table = $results | Select-Object Row, Domain, Status, Grade, SpfStatus, DkimStatus, DmarcPolicy, MxStatus, ErrorCount, WarningCount, Reason |
            ConvertTo-Html -Fragment -PreContent '<h2>Domains</h2>'
        $findings = $results | ForEach-Object { $d = $_.Domain; $_.Findings | Where-Object Severity -ne 'Information' |
                Select-Object @{ n = 'Domain'; e = { $d } }, Severity, Id, Message, @{ n = 'Record to publish'; e = { if ($_.SuggestedRecord) { $_.SuggestedRecord.ZoneFileLine } } } } |
            ConvertTo-Html -Fragment -PreContent '<h2>Findings</h2>'
        ConvertTo-Html -Title "MailAuth audit $stamp" -Head $head -Body (@($table) + @($findings) -join "`n") | Set-Content -Path "$base.html" -Encoding utf8
    }

    $errors = ($results | Measure-Object -Property ErrorCount -Sum).Sum
    [pscustomobject]@{
        Domains = $results.Count
        Failed  = @($results | Where-Object Status -eq 'Failed').Count
        Errors  = [int]$errors
        Csv     = "$base.csv"
        Json    = "$base.json"
        Html    = "$base.html"
    }
    if ($errors -gt 0) { exit 2 }
    exit 0
}
catch {
    Write-Error -ErrorRecord $_ -ErrorAction Continue
    exit 1
}
