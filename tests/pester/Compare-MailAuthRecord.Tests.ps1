BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    $script:Samples = Join-Path $PSScriptRoot '../../samples/zones'
    $script:OldHost = Join-Path $script:Samples 'old-host/contoso-pharma.example.zone'
    $script:NewHost = Join-Path $script:Samples 'new-host'
    $script:OldKey = ((Get-Content $script:OldHost -Raw) -replace '(?s).*mail\._domainkey IN\s+TXT \(\s*"([^"]+)"\s*"([^"]+)".*', '$1$2')

    # The old host's name servers, played by knot with the old export.
    $script:Dns = Start-TestDnsServer -Zone @{ 'contoso-pharma.example' = (Get-Content -Raw $script:OldHost) }

    function global:Add-DnsServerResourceRecord {
        # Stand-in with the TXT parameter set of the DnsServer module's cmdlet (../shared/notes/windows-dns.md).
        [CmdletBinding(DefaultParameterSetName = 'Txt')]
        param(
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $ZoneName,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Txt')] [string] $Name,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Txt')] [string] $DescriptiveText,
            [Parameter(Mandatory, ParameterSetName = 'Txt')] [switch] $Txt,
            [Parameter(ValueFromPipelineByPropertyName)] [timespan] $TimeToLive,
            [Parameter()] [string] $ComputerName
        )
        process { $script:Added.Add([pscustomobject]@{ ZoneName = $ZoneName; Name = $Name; DescriptiveText = $DescriptiveText; TimeToLive = $TimeToLive }) }
    }
    function global:Add-DnsServerResourceRecordMX {
        # Stand-in for the DnsServer module's MX cmdlet: ZoneName, Name, MailExchange, Preference bind by property name.
        [CmdletBinding()]
        param(
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $ZoneName,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $Name,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $MailExchange,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [uint16] $Preference,
            [Parameter(ValueFromPipelineByPropertyName)] [timespan] $TimeToLive
        )
        process { $script:Added.Add([pscustomobject]@{ ZoneName = $ZoneName; Name = $Name; MailExchange = $MailExchange; Preference = $Preference }) }
    }
}

AfterAll {
    if ($script:Dns) { Stop-TestDnsServer $script:Dns }
    Remove-Item function:global:Add-DnsServerResourceRecord, function:global:Add-DnsServerResourceRecordMX -ErrorAction Ignore
}

Describe 'Compare-MailAuthRecord' {
    BeforeEach { $script:Added = [System.Collections.Generic.List[object]]::new() }

    It 'catches the sample''s missing mail._domainkey (old export against new export)' {
        $rows = Compare-MailAuthRecord contoso-pharma.example -ReferenceZoneFile $script:OldHost -DifferenceZoneFile (Join-Path $script:NewHost '*.zone')
        $rows | Should -HaveCount 4
        $rows[0] | Should -BeOfType ([MailAuth.Migration.MailAuthRecordComparison])
        @($rows.Kind) | Should -Be @('Spf', 'Dkim', 'Dmarc', 'Mx')
        $dkim = $rows | Where-Object Kind -eq Dkim
        $dkim.State | Should -Be 'Missing'
        $dkim.Selector | Should -Be 'mail'
        $dkim.Name | Should -Be 'mail._domainkey.contoso-pharma.example'
        $dkim.ReferenceValue | Should -Be $script:OldKey
        $dkim.RecordToPublish.Value | Should -Be $script:OldKey
        $dkim.RecordToPublish.Strings.Count | Should -Be 2
        @($rows | Where-Object State -eq Same) | Should -HaveCount 3
    }

    It 'takes the reference from a live server (the old host''s name servers)' {
        $rows = Compare-MailAuthRecord contoso-pharma.example -ReferenceServer $script:Dns.Endpoint -Selector mail -DifferenceZoneFile (Join-Path $script:NewHost 'contoso-pharma.example.zone')
        ($rows | Where-Object Kind -eq Dkim).State | Should -Be 'Missing'
        ($rows | Where-Object Kind -eq Dkim).ReferenceSource | Should -Match '127\.0\.0\.1'
        ($rows | Where-Object Kind -eq Spf).State | Should -Be 'Same'
        ($rows | Where-Object Kind -eq Dmarc).State | Should -Be 'Same'
    }

    It 'finds the lost key on a live reference without -Selector, by selector discovery' {
        $rows = Compare-MailAuthRecord contoso-pharma.example -ReferenceServer $script:Dns.Endpoint -DifferenceZoneFile (Join-Path $script:NewHost 'contoso-pharma.example.zone') -Verbose 4>&1
        $verbose = @($rows | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $rows = @($rows | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $dkim = $rows | Where-Object Kind -eq Dkim
        $dkim.Selector | Should -Be 'mail'
        $dkim.State | Should -Be 'Missing'
        $dkim.RecordToPublish.Value | Should -Be $script:OldKey
        $verbose.Message | Should -Contain ($verbose.Message | Where-Object { $_ -match 'reference side, selector discovery' } | Select-Object -First 1)
        # -SkipSelectorDiscovery: only the given selectors (and none here), as DNS cannot list names.
        $rows = Compare-MailAuthRecord contoso-pharma.example -ReferenceServer $script:Dns.Endpoint -DifferenceZoneFile (Join-Path $script:NewHost 'contoso-pharma.example.zone') -SkipSelectorDiscovery
        $rows | Where-Object Kind -eq Dkim | Should -BeNullOrEmpty
    }

    It 'compares the new export with live DNS through the -ZoneFile and -Server aliases' {
        # Live DNS (still the old host) has the key the new export lacks; discovery on the server side finds it: Extra.
        $rows = Compare-MailAuthRecord contoso-pharma.example -ReferenceZoneFile (Join-Path $script:NewHost 'contoso-pharma.example.zone') -Server $script:Dns.Endpoint
        ($rows | Where-Object Kind -eq Dkim).State | Should -Be 'Extra'
        # Live DNS (still the old host) has the key the new export lacks: Extra.
        $rows = Compare-MailAuthRecord contoso-pharma.example -Selector mail -ReferenceZoneFile (Join-Path $script:NewHost 'contoso-pharma.example.zone') -Server $script:Dns.Endpoint
        $dkim = $rows | Where-Object Kind -eq Dkim
        $dkim.State | Should -Be 'Extra'
        $dkim.RecordToPublish | Should -BeNullOrEmpty
    }

    It 'pipes the missing TXT record into Add-DnsServerResourceRecord -Txt' {
        Compare-MailAuthRecord -ReferenceZoneFile $script:OldHost -ZoneFile (Join-Path $script:NewHost '*.zone') |
            Where-Object { $_.State -eq 'Missing' -and $_.RecordType -eq 'TXT' } |
            ForEach-Object RecordToPublish |
            Add-DnsServerResourceRecord -Txt
        $script:Added | Should -HaveCount 1
        $script:Added[0].ZoneName | Should -Be 'contoso-pharma.example'
        $script:Added[0].Name | Should -Be 'mail._domainkey'
        ($script:Added[0].DescriptiveText -split "`r`n") -join '' | Should -Be $script:OldKey
        $script:Added[0].TimeToLive | Should -Be ([timespan]::FromHours(1))
    }

    It 'pipes a missing MX into Add-DnsServerResourceRecordMX' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-cmp-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory $folder
        try {
            $head = "`$ORIGIN fabrikam.example.`n`$TTL 300`n@ IN SOA ns1 hostmaster 1 3600 600 86400 300`n@ IN NS ns1`n"
            Set-Content (Join-Path $folder 'old.zone') ($head + "@ IN MX 10 mx1.fabrikam.example.`n@ IN MX 20 mx2.fabrikam.example.`n")
            Set-Content (Join-Path $folder 'new.zone') ($head + "@ IN MX 10 MX1.Fabrikam.Example.`n")
            $rows = Compare-MailAuthRecord fabrikam.example -ReferenceZoneFile (Join-Path $folder 'old.zone') -DifferenceZoneFile (Join-Path $folder 'new.zone')
            @($rows.State) | Should -Be @('Same', 'Missing')
            $rows | Where-Object State -eq Missing | ForEach-Object RecordToPublish | Add-DnsServerResourceRecordMX
            $script:Added | Should -HaveCount 1
            $script:Added[0].MailExchange | Should -Be 'mx2.fabrikam.example'
            $script:Added[0].Preference | Should -Be 20
            $script:Added[0].Name | Should -Be '@'
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction Ignore }
    }

    It 'binds domains and selectors from CSV rows' {
        $csv = @"
Domain,Selector
contoso-pharma.example,mail
fabrikam-labs.example,s1
"@ | ConvertFrom-Csv
        $rows = $csv | Compare-MailAuthRecord -ReferenceZoneFile $script:OldHost -DifferenceZoneFile (Join-Path $script:NewHost '*.zone')
        ($rows | Where-Object Domain -eq contoso-pharma.example | Where-Object Kind -eq Dkim).State | Should -Be 'Missing'
        # The old export does not hold fabrikam-labs.example: nothing can be claimed, so every row is LookupFailed.
        $fab = @($rows | Where-Object Domain -eq fabrikam-labs.example)
        $fab.Count | Should -BeGreaterThan 0
        @($fab.State | Sort-Object -Unique) | Should -Be @('LookupFailed')
    }

    It 'writes errors for bad names and goes on' {
        $rows = Compare-MailAuthRecord 'bad..name', contoso-pharma.example -ReferenceZoneFile $script:OldHost -DifferenceZoneFile $script:OldHost -Selector 'bad selector' -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs.FullyQualifiedErrorId) | Should -Contain 'InvalidDomainName,MailAuth.PowerShell.Commands.CompareMailAuthRecordCommand'
        @($errs.FullyQualifiedErrorId) | Should -Contain 'InvalidSelector,MailAuth.PowerShell.Commands.CompareMailAuthRecordCommand'
        @($rows.State | Sort-Object -Unique) | Should -Be @('Same')
    }

    It 'stops without a reference' {
        { Compare-MailAuthRecord contoso-pharma.example -ErrorAction Stop } | Should -Throw -ErrorId 'NoReference,MailAuth.PowerShell.Commands.CompareMailAuthRecordCommand'
    }

    It 'formats within 80 columns' {
        $rows = Compare-MailAuthRecord -ReferenceZoneFile $script:OldHost -DifferenceZoneFile (Join-Path $script:NewHost '*.zone')
        $lines = ($rows | Format-Table | Out-String -Width 80) -split "`r?`n"
        $lines | Where-Object { $_ -match 'Missing' } | Should -Match 'contoso-pharma\.example\s+Dkim\s+mail\s+Missing'
        foreach ($l in $lines) { $l.Length | Should -BeLessOrEqual 80 }
    }

    It 'has help with examples' {
        $help = Get-Help Compare-MailAuthRecord -Full
        $help.Synopsis | Should -Match 'DNS migration'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }
}
