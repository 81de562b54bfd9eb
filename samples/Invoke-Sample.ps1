<#
.SYNOPSIS
    The main job on bundled data: audits the SPF records of the sample company's domains from zone files,
    without network, and shows how a result leads to the record to publish.
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
$csv = Join-Path $PSScriptRoot 'domains.csv'

Write-Host "`n== SPF audit of $csv (zone files of the new DNS host, no network) ==" -ForegroundColor Cyan
$reports = Import-Csv $csv | Get-SpfRecord -ZoneFile $zones
$reports | Format-Table | Out-Host

Write-Host "== Findings ==" -ForegroundColor Cyan
$reports | ForEach-Object {
    $d = $_.Domain
    $_.Findings | Select-Object @{ n = 'Domain'; e = { $d } }, Severity, Id, Message
} | Format-Table -Wrap | Out-Host

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
