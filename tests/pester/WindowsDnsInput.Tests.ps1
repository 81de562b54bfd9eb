# Records straight from Windows DNS Server: objects shaped like Get-DnsServerResourceRecord -RRType Txt output
# (HostName, RecordType, RecordData.DescriptiveText; no zone name) piped into Get-SpfRecord, Get-DkimRecord and
# Get-DmarcRecord with -ZoneName. The DnsServer module exists only on Windows Server, so the records are stand-ins.
BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force

    function script:New-TxtRecord([string] $HostName, [string] $Text, [string] $Type = 'TXT') {
        [pscustomobject]@{
            HostName          = $HostName
            RecordType        = $Type
            TimeToLive        = [timespan]::FromHours(1)
            Timestamp         = $null
            DistinguishedName = "DC=$HostName,DC=contoso.example,cn=MicrosoftDNS,DC=DomainDnsZones,DC=corp"
            RecordData        = [pscustomobject]@{ DescriptiveText = $Text }
        }
    }

    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-windns-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder
    $script:Key = New-DkimKey -Domain contoso.example -Selector s2026 -PrivateKeyPath (Join-Path $script:Folder 's2026.pem')
    # Only the provider's zone is available: the contoso.example records come from the pipeline alone.
    $script:ProviderZone = Join-Path $script:Folder 'provider.example.zone'
    Set-Content $script:ProviderZone @'
$ORIGIN provider.example.
$TTL 300
@     IN SOA ns1 hostmaster 1 3600 600 86400 300
@     IN NS  ns1
_spf  IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
'@
    $script:Records = @(
        New-TxtRecord '@' 'v=spf1 ip4:192.0.2.0/24 include:_spf.provider.example -all'
        New-TxtRecord '@' 'google-site-verification=abc123' 'Txt'
        New-TxtRecord 'shop' 'v=spf1 inlcude:_spf.provider.example -all'
        New-TxtRecord 's2026._domainkey' $script:Key.DescriptiveText
        New-TxtRecord 'old._domainkey' 'v=DKIM1; k=rsa; p='
        New-TxtRecord '_dmarc' 'v=DMARC1; p=reject; rua=mailto:dmarc@contoso.example'
        New-TxtRecord 'mail' '10 mx.contoso.example' 'MX'
    )
}

AfterAll { Remove-Item $script:Folder -Recurse -Force -ErrorAction Ignore }

Describe 'Records piped from Get-DnsServerResourceRecord' {
    It 'Get-SpfRecord judges every SPF text, apex and below, without looking the records up' {
        $r = @($script:Records | Get-SpfRecord -ZoneName contoso.example -ZoneFile $script:ProviderZone)
        $r | Should -HaveCount 2
        $apex = $r | Where-Object Domain -eq 'contoso.example'
        $apex.Record | Should -Be 'v=spf1 ip4:192.0.2.0/24 include:_spf.provider.example -all'
        $apex.Status | Should -Be 'Ok'
        $apex.DnsLookupCount | Should -Be 1
        $apex.AuthorizedIPv4 | Should -Contain '198.51.100.0/24'
        $shop = $r | Where-Object Domain -eq 'shop.contoso.example'
        $shop.Status | Should -Be 'Error'
        @($shop.Findings.Id) | Should -Contain 'SPF.UnknownMechanism'
    }

    It 'Get-DkimRecord joins a split DescriptiveText and decodes the key' {
        $script:Key.DescriptiveText | Should -Match "`r`n"
        $r = @($script:Records | Get-DkimRecord -ZoneName contoso.example)
        $r | Should -HaveCount 2
        $new = $r | Where-Object Selector -eq 's2026'
        $new.Domain | Should -Be 'contoso.example'
        $new.KeyBits | Should -Be 2048
        $new.Status | Should -Be 'Ok'
        $new.Record | Should -Be $script:Key.RecordValue
        ($r | Where-Object Selector -eq 'old').Status | Should -Be 'Revoked'
    }

    It 'Get-DkimRecord -Selector limits the selectors judged' {
        $r = @($script:Records | Get-DkimRecord -ZoneName contoso.example -Selector OLD)
        $r | Should -HaveCount 1
        $r[0].Selector | Should -Be 'old'
    }

    It 'Get-DmarcRecord judges the _dmarc record as if published' {
        $r = @($script:Records | Get-DmarcRecord -ZoneName contoso.example -ZoneFile $script:ProviderZone)
        $r | Should -HaveCount 1
        $r[0].Domain | Should -Be 'contoso.example'
        $r[0].Record | Should -Match '^v=DMARC1; p=reject'
        $r[0].AppliedPolicy | Should -Be 'Reject'
    }

    It 'says with -Verbose what it skipped' {
        $out = $script:Records | Get-SpfRecord -ZoneName contoso.example -ZoneFile $script:ProviderZone -Verbose 4>&1
        $messages = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $messages | Should -Contain 'contoso.example: not an SPF record; skipped.'
        ($messages -join "`n") | Should -Match 'mail\.contoso\.example: a MX record, not TXT'
    }

    It 'warns about two SPF records at one name' {
        $two = @((New-TxtRecord '@' 'v=spf1 -all'), (New-TxtRecord '@' 'v=spf1 ~all'))
        $null = $two | Get-SpfRecord -ZoneName contoso.example -ZoneFile $script:ProviderZone -WarningVariable w -WarningAction SilentlyContinue
        ($w -join ' ') | Should -Match 'more than one SPF record'
    }

    It 'needs exactly one -ZoneName' {
        { $script:Records | Get-SpfRecord -ZoneName a.example, b.example -ErrorAction Stop } | Should -Throw -ErrorId 'OneZoneName,MailAuth.PowerShell.Commands.GetSpfRecordCommand'
    }

    It 'keeps the usual binding: strings, CSV rows with ZoneName, positional selectors' {
        (@('contoso.example') | Get-SpfRecord -ZoneFile $script:ProviderZone -ErrorAction SilentlyContinue).Domain | Should -Be 'contoso.example'
        ([pscustomobject]@{ ZoneName = 'provider.example' } | Get-SpfRecord -ZoneFile $script:ProviderZone).Domain | Should -Be 'provider.example'
        (Get-DkimRecord provider.example s1 -ZoneFile $script:ProviderZone).Status | Should -Be 'NoRecord'
        ([pscustomobject]@{ Domain = 'provider.example'; Selector = 'x' } | Get-DkimRecord -ZoneFile $script:ProviderZone).Selector | Should -Be 'x'
        ('provider.example' | Get-DmarcRecord -ZoneFile $script:ProviderZone).Domain | Should -Be 'provider.example'
        (Get-Command Get-SpfRecord).DefaultParameterSet | Should -Be 'Domain'
    }
}
