BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force

    function global:Add-DnsServerResourceRecord {
        # Stand-in with the TXT parameter set of the DnsServer module's cmdlet.
        [CmdletBinding()]
        param(
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $ZoneName,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $Name,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $DescriptiveText,
            [Parameter(Mandatory)] [switch] $Txt,
            [Parameter(ValueFromPipelineByPropertyName)] [timespan] $TimeToLive
        )
        process { $script:Added.Add([pscustomobject]@{ ZoneName = $ZoneName; Name = $Name; DescriptiveText = $DescriptiveText }) }
    }

    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-audit-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder
    $key = New-DkimKey -Domain good.example -Selector s1 -PrivateKeyPath (Join-Path $script:Folder 's1.pem')

    $zones = @{
        'good.example'    = @"
@        IN MX  10 mx1.good.example.
mx1      IN A   192.0.2.10
@        IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc   IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.example"
$($key.ZoneFileLine)
_mta-sts IN TXT "v=STSv1; id=20240401"
_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@good.example"
default._bimi IN TXT "v=BIMI1; l=https://brand.good.example/logo.svg"
"@
        'parked.example'  = @"
@        IN TXT "v=spf1 ~all"
_dmarc   IN TXT "v=DMARC1; p=none"
"@
        'nullmx.example'  = @"
@        IN MX  0 .
@        IN TXT "v=spf1 -all"
_dmarc   IN TXT "v=DMARC1; p=reject"
"@
        'badmx.example'   = @"
@        IN MX  10 192.0.2.99.
@        IN MX  20 alias.badmx.example.
@        IN MX  30 gone.badmx.example.
alias    IN CNAME mx1.good.example.
@        IN TXT "v=spf1 mx -all"
_dmarc   IN TXT "v=DMARC1; p=none"
_mta-sts IN TXT "v=STSv1"
_smtp._tls IN TXT "v=TLSRPTv1; rua=tls@badmx.example"
default._bimi IN TXT "v=BIMI1; l=http://brand.badmx.example/logo.png"
"@
        # The parent zone answers NXDOMAIN for names nobody serves, as the real DNS would.
        'example'         = "ns1 IN A 192.0.2.53`n"
        '100.51.198.in-addr.arpa' = "ns1 IN A 192.0.2.53`n"
        '2.0.192.in-addr.arpa' = @"
10       IN PTR mx1.good.example.
25       IN PTR relay.good.example.
"@
    }
    $zones['good.example'] += "`nrelay IN A 192.0.2.25`n"
    $script:Dns = Start-TestDnsServer -Zone $zones
    $script:Common = @{ Server = $script:Dns.Endpoint; SkipMtaStsPolicy = $true; TimeoutSec = 2 }
    $script:Samples = Join-Path $PSScriptRoot '../../samples'
    $script:SampleZones = Get-ChildItem (Join-Path $script:Samples 'zones/new-host'), (Join-Path $script:Samples 'zones/providers') -File | ForEach-Object FullName
}

AfterAll {
    if ($script:Dns) { Stop-TestDnsServer $script:Dns }
    Remove-Item $script:Folder -Recurse -Force -ErrorAction Ignore
}

Describe 'Invoke-MailAuthAudit binding' {
    It 'takes domains by value, in order' {
        $r = 'good.example', 'parked.example', 'nullmx.example' | Invoke-MailAuthAudit @script:Common
        $r.Domain | Should -Be 'good.example', 'parked.example', 'nullmx.example'
        $r.Row | Should -Be 1, 2, 3
        $r[0] | Should -BeOfType MailAuth.Audit.MailAuthAuditResult
    }

    It 'takes the domain by the property names <_>' -ForEach 'Domain', 'DomainName', 'Name', 'ZoneName' {
        $r = [pscustomobject]@{ $_ = 'good.example' } | Invoke-MailAuthAudit @script:Common
        $r.Domain | Should -Be 'good.example'
    }

    It 'binds Selector and SendingIP from CSV columns, row by row' {
        $csv = @(
            'Domain,Selector,SendingIP'
            'good.example,s1;missing1,192.0.2.25'
            'good.example,,'
            'good.example,s1,"198.51.100.7, 192.0.2.77"'
        ) | ConvertFrom-Csv
        $r = $csv | Invoke-MailAuthAudit @script:Common
        $r.Count | Should -Be 3
        $r[0].DkimSelectorsMissing | Should -Be 'missing1'
        $r[0].SendingIpReverseDns[0].Status | Should -Be 'Confirmed'
        $r[1].DkimSelectorsMissing | Should -Be ''
        $r[1].SendingIPs.Count | Should -Be 0
        $r[2].SendingIpReverseDns.Status | Should -Be 'NoPtr', 'NoPtr'
        $r[2].Findings.Id | Should -Contain 'PTR.NoPtr'
        $r[2].Findings.Id | Should -Contain 'SPF.SendingIpNotAuthorized'
    }

    It 'takes -Selector and -SendingIP for every domain given on the command line' {
        $r = Invoke-MailAuthAudit good.example -Selector s1 -SendingIP 192.0.2.25 @script:Common
        $r.DkimSelectorsFound | Should -Match 's1'
        $r.SendingIpReverseDns.Status | Should -Be 'Confirmed'
    }

    It 'rejects an unknown requirement set and a zero throttle limit' {
        { Invoke-MailAuthAudit good.example -Requirement AOL @script:Common } | Should -Throw
        { Invoke-MailAuthAudit good.example -ThrottleLimit 0 @script:Common } | Should -Throw
    }
}

Describe 'Invoke-MailAuthAudit results' {
    BeforeAll {
        $script:Input = 'good.example', 'parked.example', 'not a domain', 'nowhere.example', 'nullmx.example', 'badmx.example', 'GOOD.example.', ''
        $script:R = $script:Input | Invoke-MailAuthAudit @script:Common -ThrottleLimit 3 -Requirement All
    }

    It 'yields exactly one result per input row, in input order' {
        $script:R.Count | Should -Be $script:Input.Count
        $script:R.Row | Should -Be (1..$script:Input.Count)
        $script:R.Input | Should -Be $script:Input
    }

    It 'fails invalid and nonexistent domains with a reason and goes on' {
        $script:R[2].Status | Should -Be 'Failed'
        $script:R[2].Reason | Should -Not -BeNullOrEmpty
        $script:R[3].Status | Should -Be 'Failed'
        $script:R[3].Reason | Should -Match 'NXDOMAIN'
        $script:R[7].Status | Should -Be 'Failed'
        $script:R[3].Grade | Should -Be 'F'
    }

    It 'audits a duplicate once and reports it again' {
        $script:R[6].Domain | Should -Be 'good.example'
        $script:R[6].DuplicateOfRow | Should -Be 1
        $script:R[6].Grade | Should -Be $script:R[0].Grade
    }

    It 'gives a well-run domain a good grade' {
        $g = $script:R[0]
        $g.Status | Should -BeIn 'Ok', 'Warning'
        $g.Grade | Should -BeIn 'A', 'B'
        $g.SpfStatus | Should -Be 'Ok'
        $g.DkimSelectorsFound | Should -Match 's1'
        $g.WeakestDkimKeyBits | Should -Be 2048
        $g.DmarcPolicy | Should -Be 'reject'
        $g.MxStatus | Should -Be 'Ok'
        $g.TlsRptStatus | Should -Be 'Ok'
        $g.BimiStatus | Should -Not -Be 'NotPublished'
        $g.Requirements.Count | Should -BeGreaterThan 10
        ($g.Requirements | Where-Object Id -eq 'Google.OneClickUnsubscribe').Verdict | Should -Be 'NotVerifiable'
    }

    It 'recommends -all, p=reject and a null MX for a parked domain, with the records' {
        $p = $script:R[1]
        $p.IsParked | Should -BeTrue
        $records = $p.Findings | Where-Object SuggestedRecord | ForEach-Object SuggestedRecord
        ($records | Where-Object Name -eq '@' | Where-Object RecordType -eq TXT).Value | Should -Be 'v=spf1 -all'
        ($records | Where-Object Name -eq '_dmarc').Value | Should -Be 'v=DMARC1; p=reject;'
        ($records | Where-Object RecordType -eq MX).MailExchange | Should -Be '.'
    }

    It 'accepts a null MX as a parked domain done right' {
        $n = $script:R[4]
        $n.MxStatus | Should -Be 'NullMx'
        $n.IsParked | Should -BeTrue
        $n.ErrorCount | Should -Be 0
    }

    It 'finds every MX, MTA-STS, TLS-RPT and BIMI problem of badmx.example' {
        $ids = $script:R[5].Findings.Id
        foreach ($id in 'MX.IpLiteral', 'MX.Cname', 'MX.HostNoAddress', 'MTASTS.MissingId', 'TLSRPT.InvalidRua', 'BIMI.InvalidLogoUri', 'BIMI.DmarcNotEnforced') {
            $ids | Should -Contain $id
        }
        $script:R[5].Status | Should -Be 'Error'
    }

    It 'sends suggested records straight into Add-DnsServerResourceRecord' {
        $script:Added = [System.Collections.Generic.List[object]]::new()
        $script:R[1] | Select-Object -ExpandProperty Findings | Where-Object SuggestedRecord |
            Select-Object -ExpandProperty SuggestedRecord | Where-Object RecordType -eq TXT | Add-DnsServerResourceRecord -Txt
        $script:Added.Count | Should -Be 2
        $script:Added.ZoneName | Should -Be 'parked.example', 'parked.example'
    }

    It 'exports the summary cleanly to CSV and back' {
        $path = Join-Path $script:Folder 'audit.csv'
        $script:R | Export-Csv $path -NoTypeInformation
        $back = Import-Csv $path
        $back.Count | Should -Be $script:Input.Count
        $back[0].Domain | Should -Be 'good.example'
        $back[0].SpfLookupCount | Should -Be '0'
        $back[5].Findings | Should -Match 'MX\.IpLiteral'
        foreach ($row in $back) { ($row.PSObject.Properties.Value -join '|') | Should -Not -Match 'System\.(Collections|Object)' }
        $back[1].Status | Should -Be $script:R[1].Status.ToString()
    }

    It 'shows a table that fits 80 columns' {
        $lines = $script:R | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ }
        $lines[0] | Should -Match 'Domain\s+Status\s+Grade'
        foreach ($l in $lines) { $l.Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'Invoke-MailAuthAudit progress and streaming' {
    It 'reports progress with counts and a rate' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:MAILAUTH_MODULE_PATH'; `$ProgressPreference = 'Continue'; 'good.example', 'nullmx.example', 'parked.example' | Invoke-MailAuthAudit -Server '$($script:Dns.Endpoint)' -SkipMtaStsPolicy")
            $out = $ps.Invoke()
            $out.Count | Should -Be 3
            $progress = @($ps.Streams.Progress)
            $progress.Count | Should -BeGreaterThan 0
            ($progress.StatusDescription -join "`n") | Should -Match '\d+ of \d+ domains audited \(\d+[.,]\d/s'
            $progress[-1].RecordType | Should -Be 'Completed'
        } finally { $ps.Dispose() }
    }

    It 'streams the first results before the input ends' {
        $seen = [System.Collections.Generic.List[int]]::new()
        $feed = { foreach ($i in 1..3) { 'good.example'; Start-Sleep -Milliseconds 300 } ; foreach ($i in 1..70) { 'nullmx.example' } }
        & $feed | Invoke-MailAuthAudit @script:Common | ForEach-Object { $seen.Add($_.Row) }
        $seen.Count | Should -Be 73
        $seen | Should -Be (1..73)
    }
}

Describe 'Invoke-MailAuthAudit on the bundled samples (offline)' {
    It 'shows the missing mail._domainkey of contoso-pharma.example with the record to publish' {
        $old = Get-ChildItem (Join-Path $script:Samples 'zones/old-host') -File | ForEach-Object FullName
        $r = Import-Csv (Join-Path $script:Samples 'domains.csv') | Invoke-MailAuthAudit -ZoneFile $script:SampleZones -ReferenceZoneFile $old
        $r.Count | Should -Be 4
        $c = $r | Where-Object Domain -eq 'contoso-pharma.example'
        $c.DkimSelectorsMissing | Should -Be 'mail'
        $f = $c.Findings | Where-Object Id -eq 'DKIM.NoRecord'
        $f.SuggestedRecord.Name | Should -Be 'mail._domainkey'
        $f.SuggestedRecord.DescriptiveText | Should -Match '^v=DKIM1; k=rsa; p=MIIB'
    }
}

Describe 'samples/Invoke-ScheduledAudit.ps1' {
    BeforeAll {
        $script:Script = Join-Path $script:Samples 'Invoke-ScheduledAudit.ps1'
        function script:Invoke-Scheduled([string] $Csv, [string] $Out) {
            # Task Scheduler passes every argument as a string: several zone files are one comma-separated argument.
            $output = & dotnet pwsh -NoProfile -NonInteractive -File $script:Script -InputCsv $Csv -OutputFolder $Out -ModulePath $env:MAILAUTH_MODULE_PATH -ZoneFile ($script:SampleZones -join ',') 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
    }

    It 'writes CSV, JSON and HTML and exits non-zero when an Error finding is present' {
        $out = Join-Path $script:Folder 'scheduled-errors'
        $run = Invoke-Scheduled (Join-Path $script:Samples 'domains.csv') $out
        $run.ExitCode | Should -Not -Be 0 -Because $run.Output
        $csv = Get-ChildItem $out -Filter *.csv
        $json = Get-ChildItem $out -Filter *.json
        $html = Get-ChildItem $out -Filter *.html
        @($csv).Count | Should -Be 1
        @($json).Count | Should -Be 1
        @($html).Count | Should -Be 1
        (Import-Csv $csv.FullName).Count | Should -Be 4
        $data = Get-Content -Raw $json.FullName | ConvertFrom-Json
        @($data).Count | Should -Be 4
        ($data | Where-Object Domain -eq 'contoso-pharma.example').Findings.Id | Should -Contain 'DKIM.NoRecord'
        Get-Content -Raw $html.FullName | Should -Match 'contoso-pharma\.example'
        $run.Output | Should -Not -Match "`e\["
    }

    It 'exits 0 when no Error finding is present' {
        $csvPath = Join-Path $script:Folder 'parked.csv'
        'Domain', 'contoso-pharma-old.example' | Set-Content $csvPath
        $out = Join-Path $script:Folder 'scheduled-clean'
        $run = Invoke-Scheduled $csvPath $out
        $run.ExitCode | Should -Be 0 -Because $run.Output
        @(Get-ChildItem $out -Filter *.csv).Count | Should -Be 1
    }
}

Describe 'Invoke-MailAuthAudit stopping' {
    It 'stops promptly and cleanly when the pipeline is stopped (Ctrl+C)' {
        # A UDP socket that never answers: every query would wait the full 30 s timeout.
        $silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $ps = [powershell]::Create()
        try {
            $port = $silent.Client.LocalEndPoint.Port
            $null = $ps.AddScript("Import-Module '$env:MAILAUTH_MODULE_PATH'; 1..40 | ForEach-Object { ""d`$_.silent.example"" } | Invoke-MailAuthAudit -Server 127.0.0.1:$port -TimeoutSec 30 -RetryCount 0 -SkipMtaStsPolicy")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 700
            $ps.InvocationStateInfo.State | Should -Be 'Running'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            $ps.Dispose()
            $silent.Dispose()
        }
    }
}
