BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force

    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-dmarc-reports-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Folder

    function New-Report {
        param([string] $OrgName = 'Fabrikam', [string] $ReportId = 'r-1', [string] $PolicyDomain = 'contoso.example', [string[]] $Records)
        $body = -join $Records
        "<?xml version=`"1.0`" encoding=`"UTF-8`"?><feedback><report_metadata><org_name>$OrgName</org_name><email>dmarc@fabrikam.example</email><report_id>$ReportId</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata><policy_published><domain>$PolicyDomain</domain><p>reject</p></policy_published>$body</feedback>"
    }
    function New-Record {
        param([string] $Ip = '192.0.2.1', [int] $Count = 1, [string] $Dkim = 'pass', [string] $DkimDomain = 'contoso.example', [string] $Selector = 's2026', [string] $SpfResult = 'PASS')
        "<record><row><source_ip>$Ip</source_ip><count>$Count</count><policy_evaluated><disposition>none</disposition><dkim>$Dkim</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>contoso.example</header_from></identifiers><auth_results><dkim><domain>$DkimDomain</domain><selector>$Selector</selector><result>$Dkim</result></dkim><dkim><domain>esp.example</domain><selector>k9</selector><result>fail</result></dkim><spf><domain>contoso.example</domain><scope>mfrom</scope><result>$SpfResult</result></spf></auth_results></record>"
    }
    function Write-Gzip([string] $Path, [byte[]] $Bytes) {
        $fs = [IO.File]::Create($Path)
        try {
            $gz = [IO.Compression.GZipStream]::new($fs, [IO.Compression.CompressionMode]::Compress)
            $gz.Write($Bytes, 0, $Bytes.Length)
            $gz.Dispose()
        }
        finally { $fs.Dispose() }
    }
    function Write-Zip([string] $Path, [string] $EntryName, [byte[]] $Bytes) {
        $fs = [IO.File]::Create($Path)
        try {
            $zip = [IO.Compression.ZipArchive]::new($fs, [IO.Compression.ZipArchiveMode]::Create)
            $s = $zip.CreateEntry($EntryName).Open()
            $s.Write($Bytes, 0, $Bytes.Length)
            $s.Dispose()
            $zip.Dispose()
        }
        finally { $fs.Dispose() }
    }
    $utf8 = [Text.UTF8Encoding]::new($false)

    # a.xml: 2 records; b.xml.gz: 1; c.zip: 1; sub/d.xml: 1 (only with -Recurse); notes.txt is not read from the folder.
    [IO.File]::WriteAllText((Join-Path $script:Folder 'a.xml'), (New-Report -ReportId 'a' -Records (New-Record -Count 3), (New-Record -Ip '198.51.100.7' -Count 4 -Dkim 'fail')), $utf8)
    Write-Gzip (Join-Path $script:Folder 'b.xml.gz') $utf8.GetBytes((New-Report -OrgName 'Northwind' -ReportId 'b' -Records (New-Record -Count 5)))
    Write-Zip (Join-Path $script:Folder 'c.zip') 'northwind!contoso.example!1!2.xml' $utf8.GetBytes((New-Report -OrgName 'Northwind' -ReportId 'c' -Records (New-Record -Count 6 -SpfResult 'fail')))
    $null = New-Item -ItemType Directory (Join-Path $script:Folder 'sub')
    [IO.File]::WriteAllText((Join-Path $script:Folder 'sub/d.xml'), (New-Report -ReportId 'd' -Records (New-Record -Count 7)), $utf8)
    [IO.File]::WriteAllText((Join-Path $script:Folder 'notes.txt'), 'not a report', $utf8)

    $script:Bad = Join-Path ([IO.Path]::GetTempPath()) ('mailauth-dmarc-bad-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:Bad

    $script:Conformance = Join-Path $PSScriptRoot '../../../shared/conformance/dmarc/reports'
    if ($env:MAILAUTH_SHARED) { $script:Conformance = Join-Path $env:MAILAUTH_SHARED 'conformance/dmarc/reports' }
    $script:HaveConformance = Test-Path $script:Conformance
}

AfterAll {
    Remove-Item $script:Folder, $script:Bad -Recurse -Force -ErrorAction Ignore
}

Describe 'Import-DmarcReport' {
    It 'reads the report files of a folder, by content, one row per record' {
        $rows = Import-DmarcReport $script:Folder
        $rows | ForEach-Object { $_ | Should -BeOfType ([MailAuth.Reports.DmarcReportRow]) }
        $rows.ReportId | Should -Be @('a', 'a', 'b', 'c')
        # Count is the message count of a record; on an array .Count is the array's, so take it per row.
        $rows | ForEach-Object Count | Should -Be @(3, 4, 5, 6)
        ($rows | Where-Object ReportId -eq 'c').Entry | Should -Be 'northwind!contoso.example!1!2.xml'
        $rows[0].BeginDate | Should -Be ([datetime]::new(2023, 11, 14, 22, 13, 20, [DateTimeKind]::Utc))
        $rows[0].BeginDate.Kind | Should -Be 'Utc'
    }

    It 'reads subfolders with -Recurse' {
        (Import-DmarcReport $script:Folder -Recurse).ReportId | Should -Be @('a', 'a', 'b', 'c', 'd')
    }

    It 'expands wildcards and reads a file named directly whatever its extension' {
        (Import-DmarcReport (Join-Path $script:Folder '*.xml*')).ReportId | Should -Be @('a', 'a', 'b')
        $renamed = Join-Path $script:Bad 'report.dat'
        Copy-Item (Join-Path $script:Folder 'b.xml.gz') $renamed
        (Import-DmarcReport $renamed).ReportId | Should -Be 'b'
        Remove-Item $renamed
    }

    It 'takes -LiteralPath with wildcard characters in the name' {
        $odd = Join-Path $script:Bad 'report[1].xml'
        [IO.File]::WriteAllText($odd, (New-Report -ReportId 'odd' -Records (New-Record)))
        (Import-DmarcReport -LiteralPath $odd).ReportId | Should -Be 'odd'
        Remove-Item -LiteralPath $odd
    }

    It 'binds Get-ChildItem output, strings and FullName properties from the pipeline' {
        (Get-ChildItem $script:Folder -File | Sort-Object Name | Import-DmarcReport -ErrorAction SilentlyContinue).ReportId | Should -Be @('a', 'a', 'b', 'c')
        Join-Path $script:Folder 'a.xml' | Import-DmarcReport | ForEach-Object Count | Should -Be @(3, 4)
        ([pscustomobject]@{ FullName = (Join-Path $script:Folder 'c.zip') } | Import-DmarcReport).ReportId | Should -Be 'c'
    }

    It 'gives the first DKIM and SPF results as columns and all of them as collections, lower-case' {
        $r = Import-DmarcReport (Join-Path $script:Folder 'a.xml') | Select-Object -First 1
        $r.DkimDomain | Should -Be 'contoso.example'
        $r.DkimSelector | Should -Be 's2026'
        $r.DkimResult | Should -Be 'pass'
        $r.SpfResult | Should -Be 'pass'
        $r.SpfScope | Should -Be 'mfrom'
        $r.DkimResults.Domain | Should -Be @('contoso.example', 'esp.example')
        $r.DkimResults.Count | Should -Be 2
    }

    It 'groups and exports to CSV' {
        $rows = Import-DmarcReport $script:Folder
        $groups = $rows | Group-Object OrgName | Sort-Object Name
        $groups.Name | Should -Be @('Fabrikam', 'Northwind')
        ($groups | Where-Object Name -eq 'Northwind').Group | ForEach-Object Count | Should -Be @(5, 6)
        $csv = Join-Path $script:Bad 'out.csv'
        $rows | Export-Csv $csv -NoTypeInformation
        $back = Import-Csv $csv
        @($back).Length | Should -Be 4
        $back[0].DkimDomain | Should -Be 'contoso.example'
        $back[0].DkimSelector | Should -Be 's2026'
        $back[0].DkimResults | Should -Be 'contoso.example/s2026=pass; esp.example/k9=fail'
        $back[0].SpfResults | Should -Be 'contoso.example/mfrom=pass'
        $back[3].SpfResult | Should -Be 'fail'
        Remove-Item $csv
    }

    It 'pipes into Test-DkimSelector, which binds DkimDomain and DkimSelector' {
        $key = New-DkimKey -Domain contoso.example -Selector s2026 -PrivateKeyPath (Join-Path $script:Bad 's2026.pem')
        $zone = Join-Path $script:Bad 'contoso.example.zone'
        Set-Content $zone @"
`$ORIGIN contoso.example.
`$TTL 300
@       IN SOA ns1 hostmaster 1 3600 600 86400 300
@       IN NS  ns1
ns1     IN A   192.0.2.53
$($key.ZoneFileLine)
"@
        # The policy domain differs from the DKIM domain, so a wrong binding would show.
        $path = Join-Path $script:Bad 'selectors.xml'
        [IO.File]::WriteAllText($path, (New-Report -PolicyDomain 'policy.example' -Records (New-Record -Selector s2026), (New-Record -Selector gone)))
        $rows = Import-DmarcReport $path
        $r = $rows | Test-DkimSelector -ZoneFile $zone
        $r.Domain | Should -Be @('contoso.example', 'contoso.example')
        $r.Selector | Should -Be @('s2026', 'gone')
        $r.Status | Should -Be @('Ok', 'NoRecord')
        $unique = $rows | Select-Object DkimDomain, DkimSelector -Unique | Test-DkimSelector -ZoneFile $zone
        @($unique).Count | Should -Be 2
        Remove-Item $path
    }

    It 'writes a non-terminating error per bad file, naming it and the reason, and goes on' {
        $empty = Join-Path $script:Bad 'empty.xml'
        $junk = Join-Path $script:Bad 'junk.xml.gz'
        $cut = Join-Path $script:Bad 'cut.xml'
        $good = Join-Path $script:Bad 'good.xml'
        Set-Content $empty '' -NoNewline
        [IO.File]::WriteAllBytes($junk, [byte[]](0x1F, 0x8B) + [byte[]](1..200))
        $report = New-Report -ReportId 'cut' -Records (New-Record -Count 1), (New-Record -Count 2)
        [IO.File]::WriteAllText($cut, $report.Substring(0, $report.Length - 40))
        [IO.File]::WriteAllText($good, (New-Report -ReportId 'good' -Records (New-Record)))
        $rows = Import-DmarcReport $empty, $junk, $cut, (Join-Path $script:Bad 'missing.xml'), $good -ErrorVariable errs -ErrorAction SilentlyContinue
        $rows.ReportId | Should -Be @('cut', 'good')
        $errs.Count | Should -Be 4
        $ids = $errs | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }
        $ids | Should -Be @('DmarcReportInvalid', 'DmarcReportInvalid', 'DmarcReportInvalid', 'DmarcReportNotFound')
        $errs[0].Exception.Message | Should -BeLike '*empty.xml: the content is empty'
        $errs[0].TargetObject.Reason | Should -Be 'Empty'
        $errs[1].TargetObject.Reason | Should -Be 'CorruptArchive'
        $errs[1].Exception.Message | Should -BeLike '*junk.xml.gz:*'
        $errs[2].TargetObject.Reason | Should -Be 'InvalidXml'
        $errs[2].TargetObject.RecordsRead | Should -Be 1
        $errs[3].Exception.Message | Should -BeLike '*missing.xml*'
        Remove-Item $empty, $junk, $cut, $good
    }

    It 'stops a compression bomb at -MaxDecompressedBytes and goes on' {
        $bomb = Join-Path $script:Bad 'bomb.xml.gz'
        $padding = '<!--' + ('x' * 60000) + '-->'
        $doc = '<feedback><report_metadata><org_name>bomb</org_name></report_metadata>' + ($padding * 200) + '</feedback>'
        Write-Gzip $bomb $utf8.GetBytes($doc)
        (Get-Item $bomb).Length | Should -BeLessThan 200KB
        $rows = Import-DmarcReport $bomb, (Join-Path $script:Folder 'a.xml') -MaxDecompressedBytes 1MB -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $rows.ReportId | Should -Be @('a', 'a')
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'DmarcReportTooLarge,MailAuth.PowerShell.Commands.ImportDmarcReportCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        Import-DmarcReport $bomb -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-Item $bomb
    }

    It 'refuses a zip with more entries than -MaxArchiveEntries' {
        $zip = Join-Path $script:Bad 'many.zip'
        Write-Zip $zip 'one.xml' $utf8.GetBytes((New-Report -Records (New-Record)))
        (Import-DmarcReport $zip -MaxArchiveEntries 1).ReportId | Should -Be 'r-1'
        $fs = [IO.File]::Open($zip, 'Open')
        $a = [IO.Compression.ZipArchive]::new($fs, [IO.Compression.ZipArchiveMode]::Update)
        $null = $a.CreateEntry('two.xml')
        $a.Dispose(); $fs.Dispose()
        Import-DmarcReport $zip -MaxArchiveEntries 1 -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DmarcReportTooLarge,*'
        $errs[0].TargetObject.Reason | Should -Be 'TooManyEntries'
        Remove-Item $zip
    }

    It 'says what it recovered as a warning' {
        $path = Join-Path $script:Bad 'amp.xml'
        [IO.File]::WriteAllText($path, (New-Report -OrgName 'AT&T' -Records (New-Record)))
        $r = Import-DmarcReport $path -WarningVariable w -WarningAction SilentlyContinue
        $r.OrgName | Should -Be 'AT&T'
        ($w -join "`n") | Should -BeLike "*amp.xml: 1 unescaped '&' character(s) were read as text*"
        Remove-Item $path
    }

    It 'shows rows as a table that fits 80 columns' {
        $lines = Import-DmarcReport $script:Folder | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ }
        $lines[0] | Should -Match 'OrgName\s+HeaderFrom\s+SourceIp\s+Count\s+Disposition\s+DKIM\s+SPF'
        foreach ($l in $lines) { $l.Length | Should -BeLessOrEqual 80 }
    }

    It 'imports the conformance samples with their stated counts, and the empty file is an error' {
        if (-not $script:HaveConformance) { Set-ItResult -Skipped -Because '../shared/conformance is absent'; return }
        $rows = Import-DmarcReport (Join-Path $script:Conformance 'aggregate') -ErrorVariable errs -ErrorAction SilentlyContinue
        @($rows).Length | Should -Be 8
        ($rows | Where-Object OrgName -eq 'Sample Reporter' | ForEach-Object Count) | Should -Be 123
        $errs.Count | Should -Be 1
        $errs[0].Exception.Message | Should -BeLike '*empty.xml: *'
        $nice = Get-ChildItem (Join-Path $script:Conformance 'extract_report') | Import-DmarcReport
        @($nice).Length | Should -Be 60
        ($nice | Measure-Object Count -Sum).Sum | Should -Be (3 * 3047)
    }
}
