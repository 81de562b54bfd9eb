<#
.SYNOPSIS
    Writes the HTML report of the bundled sample domains (offline, from the zone files): the picture in the README.
.DESCRIPTION
    Audits every domain of samples/domains.csv against the new DNS host's zone files (with Invoke-MailAuthAudit when
    the module has it, otherwise with Get-SpfRecord, Test-DkimSelector and Get-DmarcRecord), adds the migration check
    of the old host's export against the new one (Compare-MailAuthRecord: the missing mail._domainkey), and writes
    everything to one self-contained HTML file with Export-MailAuthReport.
.EXAMPLE
    dotnet pwsh ./samples/Export-SampleReport.ps1 -ModulePath ./out/MailAuth/MailAuth.psd1 -Path ./out/sample-report.html
#>
param(
    [string] $ModulePath,
    [string] $Path = (Join-Path ([IO.Path]::GetTempPath()) 'mailauth-sample-report.html')
)
$ErrorActionPreference = 'Stop'
if ($ModulePath) { Import-Module $ModulePath -Force }

$zones = Join-Path $PSScriptRoot 'zones'
$now = Get-ChildItem (Join-Path $zones 'new-host'), (Join-Path $zones 'providers') -File | ForEach-Object FullName
$before = Get-ChildItem (Join-Path $zones 'old-host') -File | ForEach-Object FullName
$domains = Import-Csv (Join-Path $PSScriptRoot 'domains.csv')

if (Get-Command Invoke-MailAuthAudit -ErrorAction Ignore) {
    # The audit compares with the old host's export itself (ReferenceComparison).
    $results = $domains | Invoke-MailAuthAudit -ZoneFile $now -ReferenceZoneFile $before
    $migration = @()
}
else {
    $results = foreach ($d in $domains.Domain) {
        Get-SpfRecord $d -ZoneFile $now
        Test-DkimSelector $d -ZoneFile $now
        # Offline, the RFC 7489 Public Suffix List method keeps the discovery inside the zone files
        # (the RFC 9989 tree walk would also ask _dmarc.example, which no file holds).
        Get-DmarcRecord $d -ZoneFile $now -DiscoveryMethod PublicSuffixList
    }
    $migration = Compare-MailAuthRecord -ReferenceZoneFile $before -DifferenceZoneFile $now
}

@($results) + @($migration) | Export-MailAuthReport -Path $Path -Title 'Contoso Pharma: mail authentication after the DNS move' -PassThru
