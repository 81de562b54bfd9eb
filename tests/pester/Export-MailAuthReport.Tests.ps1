BeforeDiscovery {
    $script:HaveChromium = [bool](Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force

    $script:Chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore | Select-Object -First 1 -ExpandProperty Source
    if (-not $script:Chromium) { Write-Warning "chromium is not installed (Debian package 'chromium'): the rendering tests are skipped." }
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-report-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder

    function script:Invoke-Chromium([string[]] $Arguments, [int] $TimeoutSec = 120) {
        # Headless Debian chromium, run as root in CI: no sandbox, no GPU, nothing that reaches the network.
        $psi = [Diagnostics.ProcessStartInfo]::new($script:Chromium)
        foreach ($a in @('--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                '--disable-sync', '--no-first-run', '--disable-extensions', '--hide-scrollbars', "--user-data-dir=$(Join-Path $script:Folder 'profile')") + $Arguments) {
            $psi.ArgumentList.Add($a)
        }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync()
        $err = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit($TimeoutSec * 1000)) { $p.Kill($true); throw "chromium did not finish within $TimeoutSec s" }
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $out.Result; Err = $err.Result }
    }

    function script:Get-Section([string] $Html, [string] $Id) {
        $start = $Html.IndexOf("<section id=`"$Id`">")
        if ($start -lt 0) { return '' }
        $end = $Html.IndexOf('</section>', $start)
        $Html.Substring($start, $end - $start)
    }

    # The report of the sample domains, as the README shows it.
    $script:Report = Join-Path $script:Folder 'sample.html'
    $script:File = & (Join-Path $PSScriptRoot '../../samples/Export-SampleReport.ps1') -Path $script:Report
    $script:Html = Get-Content -Raw $script:Report
}

AfterAll { Remove-Item $script:Folder -Recurse -Force -ErrorAction Ignore }

Describe 'Export-MailAuthReport' {
    It 'writes one self-contained HTML file' {
        $script:File | Should -BeOfType ([IO.FileInfo])
        $script:File.FullName | Should -Be $script:Report
        $script:Html | Should -Match '^<!DOCTYPE html>'
        $script:Html | Should -Match "Content-Security-Policy"
        $script:Html | Should -Not -Match '(?i)\b(src|href)\s*=\s*"(?!#)'
        $script:Html | Should -Not -Match '(?i)<link|@import|url\('
    }

    It 'renders in headless chromium: summary, findings by severity, SPF trees, migration and records' -Skip:(-not $script:HaveChromium) {
        $r = Invoke-Chromium @('--dump-dom', [Uri]::new($script:Report).AbsoluteUri)
        $r.ExitCode | Should -Be 0
        $dom = $r.Out
        $dom | Should -Not -BeNullOrEmpty -Because $r.Err
        $dom | Should -Match '<title>Contoso Pharma: mail authentication after the DNS move</title>'
        $summary = Get-Section $dom 'summary'
        ([regex]::Matches($summary, '<tr class="')).Count | Should -Be 4
        foreach ($d in 'contoso-pharma.example', 'fabrikam-labs.example', 'northwind-traders.example', 'contoso-pharma-old.example') {
            $summary | Should -Match ([regex]::Escape("<td class=`"domain`">$d</td>"))
        }
        $dom | Should -Match 'id="findings-error"'
        (Get-Section $dom 'findings') | Should -Match 'SPF\.TooManyLookups'
        (Get-Section $dom 'spf') | Should -Match 'spf\.protection\.outlook\.example'
        (Get-Section $dom 'migration') | Should -Match 'mail\._domainkey\.contoso-pharma\.example'
        $records = Get-Section $dom 'records'
        $records | Should -Match 'Add-DnsServerResourceRecord -ZoneName ''contoso-pharma\.example'' -Name ''mail\._domainkey'' -Txt'
        $records | Should -Match 'mail\._domainkey\t3600\tIN\tTXT\t"v=DKIM1; k=rsa; p=MIIB'
        ([regex]::Matches($records, '<button type="button" class="copy"')).Count | Should -BeGreaterOrEqual 2
    }

    It 'takes a screenshot of the rendered page' -Skip:(-not $script:HaveChromium) {
        $png = Join-Path $script:Folder 'sample.png'
        $r = Invoke-Chromium @('--window-size=1280,1600', "--screenshot=$png", [Uri]::new($script:Report).AbsoluteUri)
        $r.ExitCode | Should -Be 0
        $bytes = [IO.File]::ReadAllBytes($png)
        $bytes.Length | Should -BeGreaterThan 20000
        [BitConverter]::ToString($bytes, 0, 8) | Should -Be '89-50-4E-47-0D-0A-1A-0A'
        # IHDR width and height (big-endian) at offsets 16 and 20.
        $be = { param($at) (([int]$bytes[$at] -shl 24) -bor ([int]$bytes[$at + 1] -shl 16) -bor ([int]$bytes[$at + 2] -shl 8) -bor [int]$bytes[$at + 3]) }
        & $be 16 | Should -Be 1280
        & $be 20 | Should -Be 1600
    }

    It 'encodes hostile values, and chromium shows them as text' {
        $path = Join-Path $script:Folder 'hostile.html'
        [pscustomobject]@{
            Domain   = 'evil.example'
            Status   = 'Error'
            Findings = @([pscustomobject]@{ Id = 'X.Script'; Severity = 'Error'; Area = 'Test'; Message = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>' })
        } | Export-MailAuthReport -Path $path -Title '<b>Report</b>'
        $html = Get-Content -Raw $path
        $html | Should -Not -Match '<script>document'
        $html | Should -Not -Match '<img'
        $html | Should -Match '&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;'
        if ($script:Chromium) {
            $r = Invoke-Chromium @('--dump-dom', [Uri]::new($path).AbsoluteUri)
            $dom = $r.Out
            $dom | Should -Not -BeNullOrEmpty -Because $r.Err
            $dom | Should -Match '<title>&lt;b&gt;Report&lt;/b&gt;</title>'
            $dom | Should -Not -Match 'pwned</title>'
            $dom | Should -Not -Match '<img'
        }
    }

    It 'groups rows per domain, takes generic objects and reports objects without a domain' {
        $path = Join-Path $script:Folder 'mixed.html'
        $rows = Compare-MailAuthRecord contoso-pharma.example -ReferenceZoneFile (Join-Path $PSScriptRoot '../../samples/zones/old-host/contoso-pharma.example.zone') -DifferenceZoneFile (Join-Path $PSScriptRoot '../../samples/zones/new-host/contoso-pharma.example.zone')
        $generic = [pscustomobject]@{ DomainName = 'other.example'; Result = 'Pass' }
        @($rows) + @($generic, [pscustomobject]@{ Foo = 1 }) | Export-MailAuthReport -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotAReportObject,*'
        $html = Get-Content -Raw $path
        $summary = Get-Section $html 'summary'
        ([regex]::Matches($summary, '<tr class="')).Count | Should -Be 2
        $summary | Should -Match '1 missing, 3 same'
        $summary | Should -Match '<td class="domain">other\.example</td><td><span class="badge ok">Ok</span>'
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $script:Folder 'whatif.html'
        [pscustomobject]@{ Domain = 'a.example' } | Export-MailAuthReport -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'has help with examples' {
        (Get-Help Export-MailAuthReport -Full).Examples.Example.Count | Should -BeGreaterOrEqual 2
    }
}
