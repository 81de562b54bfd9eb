BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    # A stand-in with the TXT parameter set of the DnsServer module's Add-DnsServerResourceRecord
    # (../shared/notes/windows-dns.md): ZoneName, Name, DescriptiveText and TimeToLive bind by property name;
    # -Txt and -ComputerName do not come from the pipeline. It records what it was given.
    function global:Add-DnsServerResourceRecord {
        [CmdletBinding(DefaultParameterSetName = 'Txt', SupportsShouldProcess)]
        param(
            [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)] [string] $ZoneName,
            [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName, ParameterSetName = 'Txt')] [string] $Name,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Txt')] [string] $DescriptiveText,
            [Parameter(Mandatory, ParameterSetName = 'Txt')] [switch] $Txt,
            [Parameter(ValueFromPipelineByPropertyName)] [timespan] $TimeToLive,
            [Parameter(ValueFromPipelineByPropertyName)] [string] $ZoneScope,
            [Parameter()] [switch] $AgeRecord,
            [Parameter()] [switch] $AllowUpdateAny,
            [Parameter()] [string] $ComputerName,
            [Parameter()] [switch] $PassThru
        )
        process {
            $script:Added.Add([pscustomobject]@{
                ZoneName = $ZoneName; Name = $Name; DescriptiveText = $DescriptiveText; TimeToLive = $TimeToLive
                Txt = [bool]$Txt; ComputerName = $ComputerName
            })
        }
    }
}

AfterAll {
    Remove-Item function:global:Add-DnsServerResourceRecord -ErrorAction Ignore
}

Describe 'New-SpfRecord' {
    BeforeEach { $script:Added = [System.Collections.Generic.List[object]]::new() }

    It 'builds the terms in order with ~all by default' {
        $r = New-SpfRecord -ZoneName contoso.com -IPv4Address 203.0.113.25, 198.51.100.0/24 -IPv6Address 2001:db8::/32 -Mx -Include spf.protection.outlook.com
        $r.Value | Should -Be 'v=spf1 ip4:203.0.113.25 ip4:198.51.100.0/24 ip6:2001:db8::/32 mx include:spf.protection.outlook.com ~all'
        $r.ZoneName | Should -Be 'contoso.com'
        $r.Name | Should -Be '@'
        $r.RecordType | Should -Be 'TXT'
        $r.TimeToLive | Should -Be ([timespan]::FromHours(1))
        $r.ZoneFileLine | Should -Be "@`t3600`tIN`tTXT`t`"$($r.Value)`""
        $r | Should -BeOfType ([MailAuth.Publishing.PublishableRecord])
    }

    It 'pipes into Add-DnsServerResourceRecord -Txt with the right values bound' {
        New-SpfRecord -ZoneName contoso.com -Include _spf.google.com -All Fail -TimeToLive '00:30:00' |
            Add-DnsServerResourceRecord -Txt -ComputerName dc1
        $script:Added.Count | Should -Be 1
        $a = $script:Added[0]
        $a.ZoneName | Should -Be 'contoso.com'
        $a.Name | Should -Be '@'
        $a.DescriptiveText | Should -Be 'v=spf1 include:_spf.google.com -all'
        $a.TimeToLive | Should -Be ([timespan]::FromMinutes(30))
        $a.Txt | Should -BeTrue
        $a.ComputerName | Should -Be 'dc1'
    }

    It 'splits a record over 255 characters into strings and joins them with CR LF for -DescriptiveText' {
        $ips = 1..15 | ForEach-Object { "198.51.100.$_" }
        $r = New-SpfRecord -ZoneName contoso.com -Name mail -IPv4Address $ips -All Fail
        $r.Value.Length | Should -BeGreaterThan 255
        $r.Strings.Count | Should -Be 2
        ($r.Strings | ForEach-Object { [Text.Encoding]::UTF8.GetByteCount($_) } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 255
        ($r.Strings -join '') | Should -Be $r.Value
        $r.DescriptiveText | Should -Be ($r.Strings -join "`r`n")
        $r | Add-DnsServerResourceRecord -Txt
        $script:Added[0].Name | Should -Be 'mail'
        $script:Added[0].DescriptiveText | Should -Be $r.DescriptiveText
    }

    It 'refuses +all without -Force' {
        { New-SpfRecord -ZoneName contoso.com -All Pass -ErrorAction Stop } | Should -Throw -ErrorId 'PassAllRefused,MailAuth.PowerShell.Commands.NewSpfRecordCommand'
        (New-SpfRecord -ZoneName contoso.com -All Pass -Force).Value | Should -Be 'v=spf1 +all'
    }

    It 'rejects an invalid address with a stable error id' {
        { New-SpfRecord -ZoneName contoso.com -IPv4Address 300.1.1.1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidIPv4Address,MailAuth.PowerShell.Commands.NewSpfRecordCommand'
        { New-SpfRecord -ZoneName contoso.com -IPv4Address 192.0.2.1/24 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidIPv4Address,MailAuth.PowerShell.Commands.NewSpfRecordCommand'
        { New-SpfRecord -ZoneName contoso.com -IPv6Address 192.0.2.1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidIPv6Address,MailAuth.PowerShell.Commands.NewSpfRecordCommand'
        { New-SpfRecord -ZoneName contoso.com -Include 'bad domain' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDomain,MailAuth.PowerShell.Commands.NewSpfRecordCommand'
    }

    It 'uses redirect without an all term' {
        (New-SpfRecord -ZoneName contoso.com -Redirect _spf.contoso.com).Value | Should -Be 'v=spf1 redirect=_spf.contoso.com'
        { New-SpfRecord -ZoneName contoso.com -Redirect _spf.contoso.com -All Fail -ErrorAction Stop } | Should -Throw -ErrorId 'RedirectWithAll,MailAuth.PowerShell.Commands.NewSpfRecordCommand'
    }

    It 'makes one record per CSV row, and a bad row does not stop the others' {
        $rows = @"
ZoneName,Include,IPv4Address,All
contoso.com,spf.protection.outlook.com _spf.google.com,203.0.113.25,Fail
fabrikam.com,,300.1.1.1,Fail
northwind.example,sendgrid.net,,SoftFail
"@ | ConvertFrom-Csv
        $r = $rows | New-SpfRecord -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Count | Should -Be 2
        $r[0].ZoneName | Should -Be 'contoso.com'
        $r[0].Value | Should -Be 'v=spf1 ip4:203.0.113.25 include:spf.protection.outlook.com include:_spf.google.com -all'
        $r[1].Value | Should -Be 'v=spf1 include:sendgrid.net ~all'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidIPv4Address,MailAuth.PowerShell.Commands.NewSpfRecordCommand'
    }

    It 'validates the lookup count through DNS with -Validate, live and offline' {
        $zone = @'
$ORIGIN provider.example.
$TTL 300
@     IN SOA ns1 hostmaster 1 3600 600 86400 300
@     IN NS  ns1
ns1   IN A   192.0.2.53
_spf  IN TXT "v=spf1 include:_spf2.provider.example -all"
_spf2 IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
'@
        $dns = Start-TestDnsServer -Zone @{ 'provider.example' = $zone }
        try {
            $r = New-SpfRecord -ZoneName contoso.example -Include _spf.provider.example -Validate -Server $dns.Endpoint
            $r.DnsLookupCount | Should -Be 2
            $r.Findings.Count | Should -Be 0
            $bad = New-SpfRecord -ZoneName contoso.example -Include missing.provider.example -Validate -Server $dns.Endpoint -WarningVariable w -WarningAction SilentlyContinue
            $bad.Findings.Id | Should -Contain 'SPF.IncludeWithoutSpf'
            $w.Count | Should -BeGreaterThan 0
        }
        finally { Stop-TestDnsServer $dns }
        $file = Join-Path ([IO.Path]::GetTempPath()) "provider-$([guid]::NewGuid().ToString('n')).example.zone"
        Set-Content $file $zone
        try { (New-SpfRecord -ZoneName contoso.example -Include _spf.provider.example -Validate -ZoneFile $file).DnsLookupCount | Should -Be 2 }
        finally { Remove-Item $file }
    }

    It 'builds v=spf1 -all for a domain that sends no mail' {
        (New-SpfRecord -ZoneName parked.example -All Fail).ZoneFileLine | Should -Be "@`t3600`tIN`tTXT`t`"v=spf1 -all`""
    }
}
