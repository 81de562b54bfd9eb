BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force
    $script:Zone = @'
$ORIGIN contoso.example.
$TTL 300
@       IN SOA ns1 hostmaster 1 3600 600 86400 300
@       IN NS  ns1
ns1     IN A   192.0.2.53
@       IN MX  10 mail
mail    IN A   192.0.2.25
mail    IN AAAA 2001:db8::25
@       IN TXT "v=spf1 mx ip4:203.0.113.0/24 exp=explain.%{d} -all"
explain IN TXT "%{i} is not allowed to send for %{d}"
soft    IN TXT "v=spf1 ip4:203.0.113.0/24 ~all"
helo    IN TXT "v=spf1 a:mail.contoso.example -all"
'@
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ("mailauth-pester-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder
    $script:ZoneFile = Join-Path $script:Folder 'contoso.example.zone'
    Set-Content $script:ZoneFile $script:Zone
    $script:Dns = Start-TestDnsServer -Zone @{ 'contoso.example' = $script:Zone }
}

AfterAll {
    if ($script:Dns) { Stop-TestDnsServer $script:Dns }
    Remove-Item $script:Folder -Recurse -Force -ErrorAction Ignore
}

Describe 'Test-SpfRecord' {
    It 'passes a listed address, live' {
        $r = Test-SpfRecord -IPAddress 203.0.113.9 -Sender alice@contoso.example -Server $script:Dns.Endpoint
        $r | Should -BeOfType ([MailAuth.Spf.SpfCheckResult])
        $r.Result | Should -Be 'Pass'
        $r.MatchedTerm | Should -Be 'ip4:203.0.113.0/24'
        $r.Domain | Should -Be 'contoso.example'
        $r.LookupCount | Should -BeGreaterOrEqual 1
        $r.Trace.Count | Should -BeGreaterThan 0
    }

    It 'passes the MX host over IPv6 and IPv4-mapped IPv6' {
        (Test-SpfRecord 2001:db8::25 -Sender a@contoso.example -Server $script:Dns.Endpoint).Result | Should -Be 'Pass'
        (Test-SpfRecord ([ipaddress]'::ffff:192.0.2.25') -Sender a@contoso.example -Server $script:Dns.Endpoint).Result | Should -Be 'Pass'
    }

    It 'fails an unlisted address with the expanded explanation' {
        $r = Test-SpfRecord 198.51.100.7 -Sender a@contoso.example -Server $script:Dns.Endpoint
        $r.Result | Should -Be 'Fail'
        $r.Explanation | Should -Be '198.51.100.7 is not allowed to send for contoso.example'
        $r.MatchedTerm | Should -Be '-all'
    }

    It 'soft-fails and works offline from a zone file' {
        (Test-SpfRecord 198.51.100.7 -Sender a@soft.contoso.example -ZoneFile $script:ZoneFile).Result | Should -Be 'SoftFail'
    }

    It 'checks postmaster@<helo> when the sender is empty' {
        $r = Test-SpfRecord 192.0.2.25 -Sender '' -HeloDomain helo.contoso.example -ZoneFile $script:ZoneFile
        $r.Result | Should -Be 'Pass'
        $r.Domain | Should -Be 'helo.contoso.example'
    }

    It 'returns None for a domain without SPF and TempError for a server that does not answer' {
        (Test-SpfRecord 192.0.2.1 -Sender a@nothing.contoso.example -ZoneFile $script:ZoneFile).Result | Should -Be 'None'
        (Test-SpfRecord 192.0.2.1 -Sender a@contoso.example -Server 127.0.0.1:9 -TimeoutSec 1 -RetryCount 0).Result | Should -Be 'TempError'
    }

    It 'takes IPAddress and Sender from CSV rows' {
        $rows = @"
IPAddress,Sender
203.0.113.9,a@contoso.example
198.51.100.7,a@contoso.example
"@ | ConvertFrom-Csv
        ($rows | Test-SpfRecord -ZoneFile $script:ZoneFile).Result | Should -Be @('Pass', 'Fail')
    }
}
