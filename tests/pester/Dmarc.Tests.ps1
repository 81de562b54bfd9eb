BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    $script:ContosoZone = @'
$ORIGIN contoso.example.
$TTL 300
@        IN SOA ns1 hostmaster 1 3600 600 86400 300
@        IN NS  ns1
ns1      IN A   192.0.2.53
@        IN A   192.0.2.10
mail     IN A   192.0.2.25
_dmarc   IN TXT "v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:dmarc@contoso.example,mailto:contoso@reports.example; ruf=mailto:f@nowhere.example"
legacy   IN A   192.0.2.26
_dmarc.legacy IN TXT "v=DMARC1; p=none; pct=50; rua=mailto:d@contoso.example!10m"
apex     IN TXT "v=DMARC1; p=reject"
_dmarc.apex IN TXT "p=reject; v=DMARC1"
'@
    $script:ReportsZone = @'
$ORIGIN reports.example.
$TTL 300
@        IN SOA ns1.contoso.example. hostmaster 1 3600 600 86400 300
@        IN NS  ns1.contoso.example.
*._report._dmarc IN TXT "v=DMARC1;"
'@
    $script:NowhereZone = @'
$ORIGIN nowhere.example.
$TTL 300
@        IN SOA ns1.contoso.example. hostmaster 1 3600 600 86400 300
@        IN NS  ns1.contoso.example.
@        IN TXT "v=spf1 -all"
'@
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ("mailauth-pester-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder
    Set-Content (Join-Path $script:Folder 'contoso.example.zone') $script:ContosoZone
    Set-Content (Join-Path $script:Folder 'reports.example.zone') $script:ReportsZone
    Set-Content (Join-Path $script:Folder 'nowhere.example.zone') $script:NowhereZone
    # The root zone answers the tree walk's last step (_dmarc.example) offline.
    Set-Content (Join-Path $script:Folder 'root.zone') "`$ORIGIN .`n`$TTL 300`n@ IN SOA a.root. h.root. 1 3600 600 86400 300`n@ IN NS a.root.`n"
    $script:Zones = Get-ChildItem $script:Folder -Filter *.zone | ForEach-Object FullName
    $script:Dns = Start-TestDnsServer -Zone @{ 'contoso.example' = $script:ContosoZone; 'reports.example' = $script:ReportsZone; 'nowhere.example' = $script:NowhereZone; '.' = '' }

    # A stand-in with the TXT parameter set of the DnsServer module's Add-DnsServerResourceRecord
    # (../shared/notes/windows-dns.md): ZoneName, Name, DescriptiveText and TimeToLive bind by property name.
    function global:Add-DnsServerResourceRecord {
        [CmdletBinding(DefaultParameterSetName = 'Txt', SupportsShouldProcess)]
        param(
            [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)] [string] $ZoneName,
            [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName, ParameterSetName = 'Txt')] [string] $Name,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Txt')] [string] $DescriptiveText,
            [Parameter(Mandatory, ParameterSetName = 'Txt')] [switch] $Txt,
            [Parameter(ValueFromPipelineByPropertyName)] [timespan] $TimeToLive,
            [Parameter(ValueFromPipelineByPropertyName)] [string] $ZoneScope,
            [Parameter()] [string] $ComputerName,
            [Parameter()] [switch] $PassThru
        )
        process {
            $script:Added.Add([pscustomobject]@{ ZoneName = $ZoneName; Name = $Name; DescriptiveText = $DescriptiveText; TimeToLive = $TimeToLive; Txt = [bool]$Txt; ComputerName = $ComputerName })
        }
    }
}

AfterAll {
    if ($script:Dns) { Stop-TestDnsServer $script:Dns }
    Remove-Item $script:Folder -Recurse -Force -ErrorAction Ignore
    Remove-Item function:global:Add-DnsServerResourceRecord -ErrorAction Ignore
}

Describe 'Get-DmarcRecord' {
    Context 'live, against knot' {
        It 'finds the record at the domain and applies p=' {
            $r = Get-DmarcRecord contoso.example -Server $script:Dns.Endpoint
            $r | Should -BeOfType ([MailAuth.Dmarc.DmarcRecordReport])
            $r.Location | Should -Be 'Domain'
            $r.RecordName | Should -Be '_dmarc.contoso.example'
            $r.AppliedPolicy | Should -Be 'Reject'
            $r.AppliedPolicyTag | Should -Be 'p'
            $r.Policy | Should -Be 'Reject'
            $r.SubdomainPolicy | Should -Be 'Quarantine'
            $r.NonExistentSubdomainPolicy | Should -Be 'Reject'
            $r.AggregateReportUris | Should -Be @('mailto:dmarc@contoso.example', 'mailto:contoso@reports.example')
        }

        It 'applies sp= to an existing subdomain and np= to a missing one' {
            $mail = Get-DmarcRecord mail.contoso.example -Server $script:Dns.Endpoint
            $mail.Location | Should -Be 'OrganizationalDomain'
            $mail.OrganizationalDomain | Should -Be 'contoso.example'
            $mail.DomainExists | Should -BeTrue
            $mail.AppliedPolicy | Should -Be 'Quarantine'
            $mail.AppliedPolicyTag | Should -Be 'sp'
            $none = Get-DmarcRecord nosuch.contoso.example -Server $script:Dns.Endpoint
            $none.DomainExists | Should -BeFalse
            $none.AppliedPolicy | Should -Be 'Reject'
            $none.AppliedPolicyTag | Should -Be 'np'
        }

        It 'checks external report destinations: a wildcard authorises, a missing record does not' {
            $r = Get-DmarcRecord contoso.example -Server $script:Dns.Endpoint
            $ext = $r.ReportDestinations | Where-Object Host -eq 'reports.example'
            $ext.IsExternal | Should -BeTrue
            $ext.Authorized | Should -BeTrue
            $ext.AuthorizationName | Should -Be 'contoso.example._report._dmarc.reports.example'
            ($r.ReportDestinations | Where-Object Host -eq 'contoso.example').Authorized | Should -BeTrue
            $bad = $r.ReportDestinations | Where-Object Host -eq 'nowhere.example'
            $bad.Authorized | Should -BeFalse
            $f = $r.Findings | Where-Object Id -eq 'DMARC.ExternalReportNotAuthorized'
            $f.SuggestedRecord.FullName | Should -Be 'contoso.example._report._dmarc.nowhere.example'
            $f.SuggestedRecord.Value | Should -Be 'v=DMARC1;'
            $r.Status | Should -Be 'Error'
        }

        It 'flags removed tags, the !size suffix, p=none, a misplaced version and a record at the apex' {
            $legacy = Get-DmarcRecord legacy.contoso.example -Server $script:Dns.Endpoint
            $legacy.Percentage | Should -Be 50
            $legacy.Findings.Id | Should -Contain 'DMARC.RemovedTag'
            $legacy.Findings.Id | Should -Contain 'DMARC.ObsoleteSizeLimit'
            $legacy.Findings.Id | Should -Contain 'DMARC.PolicyNone'
            $apex = Get-DmarcRecord apex.contoso.example -Server $script:Dns.Endpoint
            $apex.Findings.Id | Should -Contain 'DMARC.VersionNotFirst'
            $apex.Findings.Id | Should -Contain 'DMARC.RecordAtApex'
            # the misplaced record is discarded, so the organisational domain's policy applies
            $apex.Location | Should -Be 'OrganizationalDomain'
        }

        It 'says when no record applies' {
            $r = Get-DmarcRecord nowhere.example -Server $script:Dns.Endpoint
            $r.Status | Should -Be 'NoRecord'
            $r.Findings.Id | Should -Contain 'DMARC.NoRecord'
            ($r.Findings | Where-Object Id -eq 'DMARC.NoRecord').SuggestedRecord.FullName | Should -Be '_dmarc.nowhere.example'
        }

        It 'uses the Public Suffix List method on request' {
            $r = Get-DmarcRecord mail.contoso.example -Server $script:Dns.Endpoint -DiscoveryMethod PublicSuffixList
            $r.DiscoveryMethod | Should -Be 'PublicSuffixList'
            $r.OrganizationalDomain | Should -Be 'contoso.example'
            $r.Lookups.Name | Should -Be @('_dmarc.mail.contoso.example', '_dmarc.contoso.example')
        }
    }

    Context 'offline, from zone files' {
        It 'answers from zone files' {
            $r = Get-DmarcRecord mail.contoso.example -ZoneFile $script:Zones
            $r.AppliedPolicy | Should -Be 'Quarantine'
            $r.Source | Should -Match 'zone file'
            ($r.ReportDestinations | Where-Object Host -eq 'reports.example').Authorized | Should -BeTrue
        }

        It 'does not fail because the top-level domain is outside the zone files' {
            $r = Get-DmarcRecord contoso.example -ZoneFile (Join-Path $script:Folder 'contoso.example.zone')
            $r.AppliedPolicy | Should -Be 'Reject'
            $r.Status | Should -Not -Be 'LookupFailed'
            $r.Findings.Id | Should -Contain 'DMARC.TreeWalkOutsideZones'
        }

        It 'loads a Public Suffix List file and implies the PSL method' {
            $psl = Join-Path $script:Folder 'psl.dat'
            Set-Content $psl "// test list`nexample`ncontoso.example`n"
            $r = Get-DmarcRecord a.mail.contoso.example -ZoneFile $script:Zones -PublicSuffixListPath $psl
            $r.DiscoveryMethod | Should -Be 'PublicSuffixList'
            $r.OrganizationalDomain | Should -Be 'mail.contoso.example'
            $r.Status | Should -Be 'NoRecord'
        }

        It 'stops with a clear error when the list file is missing' {
            { Get-DmarcRecord contoso.example -ZoneFile $script:Zones -PublicSuffixListPath (Join-Path $script:Folder 'absent.dat') -ErrorAction Stop } |
                Should -Throw -ErrorId 'PublicSuffixListNotFound,MailAuth.PowerShell.Commands.GetDmarcRecordCommand'
        }
    }

    Context 'pipeline and errors' {
        It 'binds Domain, DomainName, Name and ZoneName from CSV rows' {
            $csv = "Domain`ncontoso.example`nmail.contoso.example" | ConvertFrom-Csv
            ($csv | Get-DmarcRecord -ZoneFile $script:Zones).Domain | Should -Be @('contoso.example', 'mail.contoso.example')
            ([pscustomobject]@{ DomainName = 'contoso.example' } | Get-DmarcRecord -ZoneFile $script:Zones).Domain | Should -Be 'contoso.example'
            ([pscustomobject]@{ ZoneName = 'contoso.example' } | Get-DmarcRecord -ZoneFile $script:Zones).Domain | Should -Be 'contoso.example'
            ([pscustomobject]@{ Name = 'contoso.example' } | Get-DmarcRecord -ZoneFile $script:Zones).Domain | Should -Be 'contoso.example'
            ('contoso.example' | Get-DmarcRecord -ZoneFile $script:Zones).Domain | Should -Be 'contoso.example'
        }

        It 'writes a non-terminating error for an invalid name and goes on' {
            $r = 'bad..name', 'contoso.example' | Get-DmarcRecord -ZoneFile $script:Zones -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Domain | Should -Be 'contoso.example'
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailAuth.PowerShell.Commands.GetDmarcRecordCommand'
        }

        It 'exports to CSV' {
            $file = Join-Path $script:Folder 'dmarc.csv'
            Get-DmarcRecord contoso.example, mail.contoso.example -ZoneFile $script:Zones |
                Select-Object Domain, Status, AppliedPolicy, Location, Record | Export-Csv $file -NoTypeInformation
            (Import-Csv $file).AppliedPolicy | Should -Be @('Reject', 'Quarantine')
        }

        It 'formats as a table within 80 columns' {
            $lines = Get-DmarcRecord contoso.example, mail.contoso.example -ZoneFile $script:Zones | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ }
            $lines[0] | Should -Match 'Domain\s+Status\s+Policy'
            foreach ($l in $lines) { $l.Length | Should -BeLessOrEqual 80 }
        }
    }
}

Describe 'New-DmarcRecord' {
    BeforeEach { $script:Added = [System.Collections.Generic.List[object]]::new() }

    It 'builds the record in RFC 9989 order and turns plain addresses into mailto: URIs' {
        $r = New-DmarcRecord -ZoneName contoso.com -Policy Reject -SubdomainPolicy Quarantine -NonExistentSubdomainPolicy Reject `
            -AggregateReportAddress dmarc@contoso.com -FailureReportAddress mailto:forensic@contoso.com -DkimAlignment Strict -SpfAlignment Strict -FailureReportOptions 1 -Testing
        $r | Should -BeOfType ([MailAuth.Publishing.PublishableRecord])
        $r.Value | Should -Be 'v=DMARC1; p=reject; sp=quarantine; np=reject; t=y; adkim=s; aspf=s; rua=mailto:dmarc@contoso.com; ruf=mailto:forensic@contoso.com; fo=1'
        $r.ZoneName | Should -Be 'contoso.com'
        $r.Name | Should -Be '_dmarc'
        $r.FullName | Should -Be '_dmarc.contoso.com'
        $r.ZoneFileLine | Should -Be "_dmarc`t3600`tIN`tTXT`t`"$($r.Value)`""
    }

    It 'leaves defaults out and warns about p=none in the findings' {
        $r = New-DmarcRecord -ZoneName contoso.com -Policy None -AggregateReportAddress dmarc@contoso.com
        $r.Value | Should -Be 'v=DMARC1; p=none; rua=mailto:dmarc@contoso.com'
        $r.Findings.Id | Should -Be 'DMARC.PolicyNone'
        (New-DmarcRecord -ZoneName contoso.com -Policy Reject).Findings.Id | Should -Be 'DMARC.NoAggregateReports'
    }

    It 'returns the authorisation record an external report destination must publish' {
        $r = New-DmarcRecord -ZoneName contoso.com -Policy Reject -AggregateReportAddress dmarc@contoso.com, contoso@rua.reports.example.net -FailureReportAddress contoso@rua.reports.example.net
        $r.Count | Should -Be 2
        $r[1].ZoneName | Should -Be 'example.net'
        $r[1].FullName | Should -Be 'contoso.com._report._dmarc.rua.reports.example.net'
        $r[1].Name | Should -Be 'contoso.com._report._dmarc.rua.reports'
        $r[1].Value | Should -Be 'v=DMARC1;'
    }

    It 'pipes into Add-DnsServerResourceRecord -Txt with the right values bound' {
        New-DmarcRecord -ZoneName contoso.com -Policy Quarantine -AggregateReportAddress dmarc@contoso.com -TimeToLive '00:30:00' |
            Add-DnsServerResourceRecord -Txt -ComputerName dc1
        $script:Added.Count | Should -Be 1
        $a = $script:Added[0]
        $a.ZoneName | Should -Be 'contoso.com'
        $a.Name | Should -Be '_dmarc'
        $a.DescriptiveText | Should -Be 'v=DMARC1; p=quarantine; rua=mailto:dmarc@contoso.com'
        $a.TimeToLive | Should -Be ([timespan]::FromMinutes(30))
        $a.ComputerName | Should -Be 'dc1'
    }

    It 'rejects an unusable address with a stable error id' {
        { New-DmarcRecord -ZoneName contoso.com -Policy Reject -AggregateReportAddress 'not an address' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidReportAddress,MailAuth.PowerShell.Commands.NewDmarcRecordCommand'
        { New-DmarcRecord -ZoneName contoso.com -Policy Reject -AggregateReportAddress 'mailto:d@contoso.com!10m' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidReportAddress,MailAuth.PowerShell.Commands.NewDmarcRecordCommand'
        { New-DmarcRecord -ZoneName contoso.com -Policy Block -ErrorAction Stop } | Should -Throw
    }

    It 'makes one record per CSV row, and a bad row does not stop the others' {
        $rows = @"
ZoneName,Policy,AggregateReportAddress,SubdomainPolicy
contoso.com,Reject,dmarc@contoso.com;agg@reports.example.net,Quarantine
fabrikam.com,Quarantine,bad address@@,
northwind.example,None,dmarc@northwind.example,
"@ | ConvertFrom-Csv
        $r = $rows | New-DmarcRecord -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.FullName | Should -Be @('_dmarc.contoso.com', 'contoso.com._report._dmarc.reports.example.net', '_dmarc.northwind.example')
        $r[0].Value | Should -Be 'v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@contoso.com,mailto:agg@reports.example.net'
        $r[2].Value | Should -Be 'v=DMARC1; p=none; rua=mailto:dmarc@northwind.example'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidReportAddress,MailAuth.PowerShell.Commands.NewDmarcRecordCommand'
    }

    It 'round-trips: a generated record published in a zone is read back by Get-DmarcRecord' {
        $rec = New-DmarcRecord -ZoneName roundtrip.example -Policy Reject -NonExistentSubdomainPolicy Reject -AggregateReportAddress dmarc@roundtrip.example
        $zone = "`$ORIGIN roundtrip.example.`n`$TTL 300`n@ IN SOA ns1 h 1 3600 600 86400 300`n@ IN NS ns1`nns1 IN A 192.0.2.53`n$($rec.ZoneFileLine)`n"
        $file = Join-Path $script:Folder 'roundtrip.example.zone'
        Set-Content $file $zone
        $r = Get-DmarcRecord roundtrip.example -ZoneFile $file, (Join-Path $script:Folder 'root.zone')
        $r.Record | Should -Be $rec.Value
        $r.Status | Should -Be 'Ok'
    }
}
