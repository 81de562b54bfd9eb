BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force
    # MimeKit ships in the module folder; the tests use it to sign messages.
    Add-Type -Path (Join-Path (Split-Path $env:MAILAUTH_MODULE_PATH) 'MimeKit.dll')

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

    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-dkim-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder
    $script:Key = New-DkimKey -Domain contoso.example -Selector s2026 -PrivateKeyPath (Join-Path $script:Folder 's2026.pem')
    $script:EdKey = New-DkimKey -Domain contoso.example -Selector default -KeyType Ed25519 -PrivateKeyPath (Join-Path $script:Folder 'default.pem')

    $script:ContosoZone = @"
`$ORIGIN contoso.example.
`$TTL 300
@       IN SOA ns1 hostmaster 1 3600 600 86400 300
@       IN NS  ns1
ns1     IN A   192.0.2.53
@       IN MX  10 aspmx.l.google.com.
@       IN TXT "v=spf1 include:_spf.google.com -all"
$($script:Key.ZoneFileLine)
$($script:EdKey.ZoneFileLine)
old._domainkey IN TXT "v=DKIM1; k=rsa; p="
k1._domainkey  IN CNAME gone.contoso.example.
"@
    $script:FabrikamZone = @'
$ORIGIN fabrikam.example.
$TTL 300
@       IN SOA ns1.contoso.example. hostmaster 1 3600 600 86400 300
@       IN NS  ns1.contoso.example.
@       IN TXT "v=spf1 -all"
'@
    Set-Content (Join-Path $script:Folder 'contoso.example.zone') $script:ContosoZone
    Set-Content (Join-Path $script:Folder 'fabrikam.example.zone') $script:FabrikamZone
    $script:Zones = Get-ChildItem $script:Folder -Filter *.zone | ForEach-Object FullName

    $zones = @{ 'contoso.example' = $script:ContosoZone; 'fabrikam.example' = $script:FabrikamZone }
    # The RFC 6376 / RFC 8463 example keys, from the shared conformance data when it is there.
    $script:Conformance = Join-Path $PSScriptRoot '../../../shared/conformance/dkim'
    if ($env:MAILAUTH_SHARED) { $script:Conformance = Join-Path $env:MAILAUTH_SHARED 'conformance/dkim' }
    $script:HaveConformance = Test-Path $script:Conformance
    if ($script:HaveConformance) {
        $lines = foreach ($f in 'rfc8463/dns.txt', 'rfc6376/dns.txt') {
            foreach ($l in Get-Content (Join-Path $script:Conformance $f)) {
                if ($l -notmatch "`t") { continue }
                $name, $value = $l -split "`t", 2
                $strings = [MailAuth.Publishing.PublishableRecord]::SplitCharacterStrings($value)
                "$name. 300 IN TXT $([MailAuth.Dns.ZoneText]::FormatCharacterStrings($strings))"
            }
        }
        $zones['example.com'] = ($lines -join "`n") + "`n"
    }
    $script:Dns = Start-TestDnsServer -Zone $zones

    function script:New-SignedMessage([string] $KeyPath, [string] $Selector, [string] $Algorithm = 'RsaSha256', [string] $Body = "Hello Bob,`r`nthe report is attached.`r`n") {
        $m = [MimeKit.MimeMessage]::new()
        $m.From.Add([MimeKit.MailboxAddress]::new('Alice', 'alice@contoso.example'))
        $m.To.Add([MimeKit.MailboxAddress]::new('Bob', 'bob@fabrikam.example'))
        $m.Subject = 'Quarterly report'
        $m.MessageId = 'q1@contoso.example'
        $part = [MimeKit.TextPart]::new('plain')
        $part.Text = $Body
        $m.Body = $part
        $stream = [IO.File]::OpenRead($KeyPath)
        try { $signer = [MimeKit.Cryptography.DkimSigner]::new($stream, 'contoso.example', $Selector, [MimeKit.Cryptography.DkimSignatureAlgorithm]$Algorithm) }
        finally { $stream.Dispose() }
        $signer.HeaderCanonicalizationAlgorithm = 'Relaxed'
        $signer.BodyCanonicalizationAlgorithm = 'Relaxed'
        $signer.Sign($m, [MimeKit.HeaderId[]]@('From', 'To', 'Subject', 'MessageId'))
        $options = [MimeKit.FormatOptions]::Default.Clone()
        $options.NewLineFormat = 'Dos'
        $ms = [IO.MemoryStream]::new()
        $m.WriteTo($options, $ms)
        return [Text.Encoding]::ASCII.GetString($ms.ToArray())
    }
}

AfterAll {
    if ($script:Dns) { Stop-TestDnsServer $script:Dns }
    Remove-Item function:global:Add-DnsServerResourceRecord -ErrorAction Ignore
    Remove-Item $script:Folder -Recurse -Force -ErrorAction Ignore
}

Describe 'New-DkimKey' {
    BeforeEach { $script:Added = [System.Collections.Generic.List[object]]::new() }

    It 'returns the key facts and a record split at 255 octets' {
        $k = $script:Key
        $k | Should -BeOfType ([MailAuth.Dkim.DkimKeyInfo])
        $k.KeyType | Should -Be 'Rsa'
        $k.KeyBits | Should -Be 2048
        $k.ZoneName | Should -Be 'contoso.example'
        $k.Name | Should -Be 's2026._domainkey'
        $k.RecordValue | Should -Match '^v=DKIM1; k=rsa; p=MII'
        $k.Strings.Count | Should -Be 2
        foreach ($s in $k.Strings) { $s.Length | Should -BeLessOrEqual 255 }
        $k.DescriptiveText | Should -Be ($k.Strings -join "`r`n")
        $k.Record.Value | Should -Be $k.RecordValue
    }

    It 'writes a PKCS#8 private key readable by its owner only' {
        $path = Join-Path $script:Folder 's2026.pem'
        (Get-Content -Raw $path) | Should -Match '^-----BEGIN PRIVATE KEY-----'
        if (-not $IsWindows) {
            (Get-Item $path).UnixMode | Should -Be '-rw-------'
            $script:Key.PrivateKeyOwnerOnly | Should -BeTrue
        }
    }

    It 'never shows the private key' {
        $pem = Get-Content -Raw (Join-Path $script:Folder 's2026.pem')
        $secretLine = ($pem -split "`n")[3]
        ($script:Key | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($secretLine))
        ($script:Key | Out-String) | Should -Not -Match 'PRIVATE KEY'
    }

    It 'makes Ed25519 keys that fit one string' {
        $script:EdKey.KeyType | Should -Be 'Ed25519'
        $script:EdKey.KeyBits | Should -Be 256
        $script:EdKey.Strings.Count | Should -Be 1
    }

    It 'refuses to overwrite without -Force and replaces with it' {
        $path = Join-Path $script:Folder 'again.pem'
        $first = New-DkimKey contoso.example again -PrivateKeyPath $path
        { New-DkimKey contoso.example again -PrivateKeyPath $path -ErrorAction Stop } |
            Should -Throw -ErrorId 'PrivateKeyFileExists,MailAuth.PowerShell.Commands.NewDkimKeyCommand'
        $second = New-DkimKey contoso.example again -PrivateKeyPath $path -Force
        $second.PublicKey | Should -Not -Be $first.PublicKey
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $script:Folder 'whatif.pem'
        $r = New-DkimKey contoso.example whatif -PrivateKeyPath $path -WhatIf
        $r | Should -BeNullOrEmpty
        $path | Should -Not -Exist
    }

    It 'rejects a bad selector and a key size out of range' {
        { New-DkimKey contoso.example 'bad selector' -PrivateKeyPath (Join-Path $script:Folder 'x.pem') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidSelector,MailAuth.PowerShell.Commands.NewDkimKeyCommand'
        { New-DkimKey contoso.example s -KeySize 512 -PrivateKeyPath (Join-Path $script:Folder 'y.pem') } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,MailAuth.PowerShell.Commands.NewDkimKeyCommand'
    }

    It 'pipes into Add-DnsServerResourceRecord -Txt' {
        New-DkimKey contoso.example piped -PrivateKeyPath (Join-Path $script:Folder 'piped.pem') | Add-DnsServerResourceRecord -Txt -ComputerName dc1
        $script:Added.Count | Should -Be 1
        $script:Added[0].ZoneName | Should -Be 'contoso.example'
        $script:Added[0].Name | Should -Be 'piped._domainkey'
        $script:Added[0].DescriptiveText | Should -Match "^v=DKIM1; k=rsa; p=.*`r`n"
        $script:Added[0].TimeToLive | Should -Be ([timespan]::FromHours(1))
    }
}

Describe 'Get-DkimRecord' {
    It 'reads and decodes a two-string key through knot' {
        $r = Get-DkimRecord contoso.example -Selector s2026 -Server $script:Dns.Endpoint
        $r | Should -BeOfType ([MailAuth.Dkim.DkimRecordReport])
        $r.Status | Should -Be 'Ok'
        $r.KeyType | Should -Be 'Rsa'
        $r.KeyBits | Should -Be 2048
        $r.RecordStrings.Count | Should -Be 2
        $r.PublicKey | Should -Be $script:Key.PublicKey
    }

    It 'judges several selectors' {
        $r = Get-DkimRecord contoso.example -Selector s2026, old, k1, absent -Server $script:Dns.Endpoint
        $r.Status | Should -Be @('Ok', 'Revoked', 'NoRecord', 'NoRecord')
        $r[1].Findings.Id | Should -Be 'DKIM.Revoked'
        $r[2].Findings.Id | Should -Be 'DKIM.CnameTargetMissing'
        $r[2].CnameTarget | Should -Be 'gone.contoso.example'
        $r[3].Findings.Id | Should -Be 'DKIM.NoRecord'
    }

    It 'answers from zone files and binds DkimDomain/DkimSelector from objects' {
        $r = [pscustomobject]@{ DkimDomain = 'contoso.example'; DkimSelector = 'default' } | Get-DkimRecord -ZoneFile $script:Zones
        $r.KeyType | Should -Be 'Ed25519'
        $r.Source | Should -Match 'zone file'
    }

    It 'writes a non-terminating error for an invalid domain and goes on' {
        $r = Get-DkimRecord 'bad..name', 'contoso.example' -Selector s2026 -ZoneFile $script:Zones -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Domain | Should -Be 'contoso.example'
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailAuth.PowerShell.Commands.GetDkimRecordCommand'
    }
}

Describe 'Test-DkimSelector' {
    It 'discovers the keys under common selectors and notes the provider whose selector is missing' {
        $r = Test-DkimSelector contoso.example -Server $script:Dns.Endpoint -WarningVariable warnings -WarningAction SilentlyContinue
        @($r.Selector | Sort-Object) | Should -Be @('default', 'k1')
        $r | ForEach-Object { $_ | Should -BeOfType ([MailAuth.Dkim.DkimRecordReport]) }
        ($r | Where-Object Selector -eq 'default').KeyType | Should -Be 'Ed25519'
        ($warnings -join "`n") | Should -Match 'DKIM.ProviderSelectorMissing: .*Google Workspace'
    }

    It 'returns one discovery result when no key is found' {
        $r = Test-DkimSelector fabrikam.example -Server $script:Dns.Endpoint
        $r | Should -BeOfType ([MailAuth.Dkim.DkimDiscoveryResult])
        $r.ProbeStatus | Should -Be 'NxDomain'
        $r.NoKeysPossible | Should -BeTrue
        $r.Findings.Id | Should -Be 'DKIM.NoDomainKeys'
        $r.SelectorsTried.Count | Should -BeGreaterThan 20
    }

    It 'checks selectors given in pipeline objects' {
        $rows = @"
Domain,Selector
contoso.example,s2026
contoso.example,nothere
"@ | ConvertFrom-Csv
        $r = $rows | Test-DkimSelector -ZoneFile $script:Zones
        $r.Selector | Should -Be @('s2026', 'nothere')
        $r.Status | Should -Be @('Ok', 'NoRecord')
    }
}

Describe 'Test-DkimSignature' {
    It 'verifies a message signed with a New-DkimKey key published in knot' {
        $text = New-SignedMessage (Join-Path $script:Folder 's2026.pem') s2026
        $r = $text | Test-DkimSignature -Server $script:Dns.Endpoint
        $r | Should -BeOfType ([MailAuth.Dkim.DkimSignatureResult])
        $r.Result | Should -Be 'Pass'
        $r.Domain | Should -Be 'contoso.example'
        $r.KeyBits | Should -Be 2048
        $r.AlignedStrict | Should -BeTrue
    }

    It 'verifies Ed25519 signatures and fails a changed body' {
        $text = New-SignedMessage (Join-Path $script:Folder 'default.pem') default -Algorithm Ed25519Sha256
        (Test-DkimSignature -Message $text -ZoneFile $script:Zones).Result | Should -Be 'Pass'
        $r = Test-DkimSignature -Message ($text -replace 'report is attached', 'report is missing') -ZoneFile $script:Zones
        $r.Result | Should -Be 'Fail'
        $r.Reason | Should -Be 'BodyHashMismatch'
    }

    It 'reads files from the pipeline and names them' {
        $path = Join-Path $script:Folder 'signed.eml'
        Set-Content -Path $path -Value (New-SignedMessage (Join-Path $script:Folder 's2026.pem') s2026) -NoNewline
        Set-Content -Path (Join-Path $script:Folder 'junk.eml') -Value ([byte[]](0..255)) -AsByteStream
        $r = Get-ChildItem (Join-Path $script:Folder '*.eml') | Sort-Object Name | Test-DkimSignature -ZoneFile $script:Zones
        $r.Count | Should -Be 2
        $r[0].Path | Should -BeLike '*junk.eml'
        $r[0].Result | Should -BeIn @('None', 'PermError')
        $r[1].Path | Should -BeLike '*signed.eml'
        $r[1].Result | Should -Be 'Pass'
    }

    It 'resolves relative paths against the current location, and wildcards' {
        Push-Location $script:Folder
        try {
            $r = Test-DkimSignature signed.eml -ZoneFile $script:Zones
            $r.Result | Should -Be 'Pass'
            $r.Path | Should -Be (Join-Path $script:Folder 'signed.eml')
            $w = Test-DkimSignature 'sig*.eml' -ZoneFile $script:Zones
            $w.Path | Should -Be (Join-Path $script:Folder 'signed.eml')
            $w.Result | Should -Be 'Pass'
        }
        finally { Pop-Location }
    }

    It 'says when a message has no signature' {
        $r = "From: a@contoso.example`r`nSubject: hi`r`n`r`nbody`r`n" | Test-DkimSignature -ZoneFile $script:Zones
        $r.Result | Should -Be 'None'
        $r.Reason | Should -Be 'NoSignature'
    }

    It 'writes an error for a missing file and goes on' {
        $r = Test-DkimSignature (Join-Path $script:Folder 'nothere.eml'), (Join-Path $script:Folder 'signed.eml') -ZoneFile $script:Zones -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Result | Should -Be 'Pass'
        $errs[0].FullyQualifiedErrorId | Should -Be 'MessageFileNotFound,MailAuth.PowerShell.Commands.TestDkimSignatureCommand'
    }

    It 'verifies the RFC 6376 and RFC 8463 examples through knot' {
        if (-not $script:HaveConformance) { Set-ItResult -Skipped -Because '../shared/conformance is absent'; return }
        $files = 'rfc8463/signed-ed25519.eml', 'rfc8463/signed-rsa.eml', 'rfc8463/signed-both.eml', 'rfc6376/appendix-a2-signed.eml' |
            ForEach-Object { Join-Path $script:Conformance $_ }
        $r = Test-DkimSignature -Path $files -Server $script:Dns.Endpoint
        $r.Count | Should -Be 5
        $r.Result | Sort-Object -Unique | Should -Be 'Pass'
    }

    It 'formats results in 80 columns' {
        $r = Test-DkimSignature -Message (New-SignedMessage (Join-Path $script:Folder 's2026.pem') s2026) -ZoneFile $script:Zones
        foreach ($l in ($r | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ })) { $l.Length | Should -BeLessOrEqual 80 }
        $report = Get-DkimRecord contoso.example -Selector s2026 -ZoneFile $script:Zones
        foreach ($l in ($report | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ })) { $l.Length | Should -BeLessOrEqual 80 }
    }
}
