BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    $script:ContosoZone = @'
$ORIGIN contoso.example.
$TTL 300
@       IN SOA ns1 hostmaster 1 3600 600 86400 300
@       IN NS  ns1
ns1     IN A   192.0.2.53
@       IN MX  10 mail
mail    IN A   192.0.2.25
@       IN TXT "v=spf1 mx include:_spf.provider.example ip4:203.0.113.0/24 -all"
@       IN TXT "google-site-verification=abc"
broken  IN TXT "v=spf1 include:nowhere.provider.example ipv4:1.2.3.4 ~all"
loop    IN TXT "v=spf1 include:loop2 -all"
loop2   IN TXT "v=spf1 include:loop.contoso.example -all"
nospf   IN TXT "not an spf record"
'@ -replace 'include:loop2 ', 'include:loop2.contoso.example '
    $script:ProviderZone = @'
$ORIGIN provider.example.
$TTL 300
@       IN SOA ns1.contoso.example. hostmaster 1 3600 600 86400 300
@       IN NS  ns1.contoso.example.
_spf    IN TXT "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:100::/48 -all"
'@
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ("mailauth-pester-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder
    Set-Content (Join-Path $script:Folder 'contoso.example.zone') $script:ContosoZone
    Set-Content (Join-Path $script:Folder 'provider.example.zone') $script:ProviderZone
    $script:Zones = Get-ChildItem $script:Folder -Filter *.zone | ForEach-Object FullName
    $script:Dns = Start-TestDnsServer -Zone @{ 'contoso.example' = $script:ContosoZone; 'provider.example' = $script:ProviderZone }
}

AfterAll {
    if ($script:Dns) { Stop-TestDnsServer $script:Dns }
    Remove-Item $script:Folder -Recurse -Force -ErrorAction Ignore
}

Describe 'Get-SpfRecord' {
    Context 'live, against knot' {
        It 'reads, expands and counts a record' {
            $r = Get-SpfRecord contoso.example -Server $script:Dns.Endpoint
            $r | Should -BeOfType ([MailAuth.Spf.SpfRecordReport])
            $r.Record | Should -Be 'v=spf1 mx include:_spf.provider.example ip4:203.0.113.0/24 -all'
            $r.Status | Should -Be 'Ok'
            $r.DnsLookupCount | Should -Be 2
            $r.Includes[0].Domain | Should -Be '_spf.provider.example'
            $r.Includes[0].Record | Should -Be 'v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:100::/48 -all'
            $r.AuthorizedIPv4 | Should -Contain '192.0.2.25'
            $r.AuthorizedIPv4 | Should -Contain '198.51.100.0/24'
            $r.AuthorizedIPv6 | Should -Be '2001:db8:100::/48'
            $r.Terms.Count | Should -Be 4
            $r.Terms[1].Kind | Should -Be 'Include'
        }

        It 'reports errors as findings with stable ids' {
            $r = Get-SpfRecord broken.contoso.example -Server $script:Dns.Endpoint
            $r.Status | Should -Be 'Error'
            $r.Findings.Id | Should -Contain 'SPF.IncludeWithoutSpf'
            $r.Findings.Id | Should -Contain 'SPF.UnknownMechanism'
            ($r.Findings | Where-Object Id -eq 'SPF.UnknownMechanism').Term | Should -Be 'ipv4:1.2.3.4'
            (Get-SpfRecord loop.contoso.example -Server $script:Dns.Endpoint).Findings.Id | Should -Contain 'SPF.IncludeLoop'
            (Get-SpfRecord nospf.contoso.example -Server $script:Dns.Endpoint).Status | Should -Be 'NoRecord'
            (Get-SpfRecord absent.contoso.example -Server $script:Dns.Endpoint).Findings.Id | Should -Be 'SPF.NoRecord'
        }

        It 'counts the queries it sends with -Verbose' {
            $verbose = Get-SpfRecord contoso.example, contoso.example -Server $script:Dns.Endpoint -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match 'DNS queries'
        }

        It 'reports a server that does not answer as a lookup failure within the time bound' {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $r = Get-SpfRecord contoso.example -Server 127.0.0.1:9 -TimeoutSec 1 -RetryCount 0
            $sw.Stop()
            $r.Status | Should -Be 'LookupFailed'
            $r.Findings.Id | Should -Be 'SPF.LookupFailed'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
        }
    }

    Context 'offline, from zone files' {
        It 'answers from zone files' {
            $r = Get-SpfRecord contoso.example -ZoneFile $script:Zones
            $r.Status | Should -Be 'Ok'
            $r.DnsLookupCount | Should -Be 2
            $r.Source | Should -Match 'zone file'
        }

        It 'says when a name is not in any loaded zone' {
            $r = Get-SpfRecord fabrikam.example -ZoneFile $script:Zones
            $r.Status | Should -Be 'LookupFailed'
            $r.Findings[0].Message | Should -Match 'NotAvailableOffline'
        }

        It 'asks the server for names outside the zone files when -Server is given' {
            $only = Join-Path $script:Folder 'contoso.example.zone'
            $r = Get-SpfRecord contoso.example -ZoneFile $only -Server $script:Dns.Endpoint
            $r.Status | Should -Be 'Ok'
            $r.Includes[0].LookupStatus | Should -Be 'Success'
        }
    }

    Context 'pipeline and errors' {
        It 'binds Domain, DomainName, Name and ZoneName from CSV rows' {
            $csv = @"
Domain
contoso.example
broken.contoso.example
"@ | ConvertFrom-Csv
            $r = $csv | Get-SpfRecord -ZoneFile $script:Zones
            $r.Domain | Should -Be @('contoso.example', 'broken.contoso.example')
            ([pscustomobject]@{ DomainName = 'contoso.example' } | Get-SpfRecord -ZoneFile $script:Zones).Domain | Should -Be 'contoso.example'
            ([pscustomobject]@{ ZoneName = 'contoso.example' } | Get-SpfRecord -ZoneFile $script:Zones).Domain | Should -Be 'contoso.example'
            ([pscustomobject]@{ Name = 'contoso.example' } | Get-SpfRecord -ZoneFile $script:Zones).Domain | Should -Be 'contoso.example'
        }

        It 'writes a non-terminating error for an invalid name and goes on' {
            $r = 'bad..name', 'contoso.example' | Get-SpfRecord -ZoneFile $script:Zones -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Domain | Should -Be 'contoso.example'
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailAuth.PowerShell.Commands.GetSpfRecordCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'exports to CSV without losing the summary' {
            $file = Join-Path $script:Folder 'out.csv'
            Get-SpfRecord contoso.example -ZoneFile $script:Zones | Select-Object Domain, Status, DnsLookupCount, Record | Export-Csv $file -NoTypeInformation
            (Import-Csv $file).DnsLookupCount | Should -Be '2'
        }

        It 'formats as a table within 80 columns' {
            $lines = Get-SpfRecord contoso.example -ZoneFile $script:Zones | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ }
            $lines[0] | Should -Match 'Domain\s+Status\s+Lookups'
            foreach ($l in $lines) { $l.Length | Should -BeLessOrEqual 80 }
        }
    }
}
