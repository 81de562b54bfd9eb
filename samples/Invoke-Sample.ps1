<#
.SYNOPSIS
    The main job on bundled data: audits the sample company's domains from zone files, without network,
    finds the DKIM key the DNS move lost (mail._domainkey of contoso-pharma.example) and shows the record to
    publish, then the SPF details.
.DESCRIPTION
    Run it through build.ps1 (dotnet pwsh ./build.ps1 -Task Sample), which builds the module first.
    The zones under samples/zones/new-host are the company's DNS after its move to a new provider;
    samples/zones/old-host holds the export from the old host; samples/zones/providers holds the mail
    providers' zones that the SPF records include.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$zones = Get-ChildItem (Join-Path $PSScriptRoot 'zones') -Recurse -File -Include '*.zone', '*.dns' |
    Where-Object { $_.Directory.Name -ne 'old-host' } | ForEach-Object FullName
$oldHost = Get-ChildItem (Join-Path $PSScriptRoot 'zones/old-host') -File | ForEach-Object FullName
$csv = Join-Path $PSScriptRoot 'domains.csv'

Write-Host "`n== Audit of $csv (zone files of the new DNS host, the old host's export as reference, no network) ==" -ForegroundColor Cyan
$audit = Import-Csv $csv | Invoke-MailAuthAudit -ZoneFile $zones -ReferenceZoneFile $oldHost -Requirement All
$audit | Format-Table | Out-Host

Write-Host "== Findings (errors and warnings) ==" -ForegroundColor Cyan
$audit | ForEach-Object {
    $d = $_.Domain
    $_.Findings | Where-Object Severity -ne 'Information' | Select-Object @{ n = 'Domain'; e = { $d } }, Severity, Id, Message
} | Format-Table -Wrap | Out-Host

Write-Host "== Records to publish ==" -ForegroundColor Cyan
$audit | Select-Object -ExpandProperty Findings | Where-Object SuggestedRecord | ForEach-Object {
    [pscustomobject]@{ Finding = $_.Id; Record = $_.SuggestedRecord.ZoneFileLine; Zone = $_.SuggestedRecord.ZoneName }
} | Format-List | Out-Host

Write-Host "== Sender requirements of contoso-pharma.example ==" -ForegroundColor Cyan
($audit | Where-Object Domain -eq 'contoso-pharma.example').Requirements |
    Where-Object Provider -eq 'Google' | Format-Table Rule, Verdict, Evidence -Wrap | Out-Host

Write-Host "== SPF in detail ==" -ForegroundColor Cyan
$reports = $audit | ForEach-Object Spf | Where-Object { $_ }
$reports | Format-Table | Out-Host

$main = $reports | Select-Object -First 1
Write-Host "== $($main.Domain): include tree and authorised ranges ==" -ForegroundColor Cyan
function Show-Tree($node) {
    '{0}{1} {2}  [{3} lookups]  {4}' -f ('  ' * $node.Depth), $node.Via, $node.Domain, $node.DnsLookupCount, ($node.Record ?? $node.Problem)
    foreach ($c in $node.Children) { Show-Tree $c }
}
if ($main.Tree) { Show-Tree $main.Tree | Out-Host }
"Total DNS lookups: $($main.DnsLookupCount) of 10; IPv4: $($main.AuthorizedIPv4 -join ', '); IPv6: $($main.AuthorizedIPv6 -join ', ')" | Out-Host

$ip = $main.AuthorizedIPv4 | Select-Object -First 1
if ($ip) {
    $ip = ($ip -split '/')[0]
    Write-Host "`n== Would these servers pass SPF for postmaster@$($main.Domain)? ==" -ForegroundColor Cyan
    @($ip, '198.18.0.1') | ForEach-Object { Test-SpfRecord -IPAddress $_ -Sender "postmaster@$($main.Domain)" -ZoneFile $zones } | Format-Table | Out-Host
}

Write-Host "== A record to publish for a domain that sends no mail ==" -ForegroundColor Cyan
New-SpfRecord -ZoneName parked.example -All Fail | Format-List ZoneName, Name, DescriptiveText, TimeToLive, ZoneFileLine | Out-Host
