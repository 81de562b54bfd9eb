@{
    Synopsis    = 'Writes audit results from the pipeline to one self-contained HTML report.'
    Description = @'
Export-MailAuthReport collects the objects piped to it and writes one HTML file that needs nothing else: inline CSS, a few lines of inline script for the Copy buttons, no external fonts, images or scripts, and a Content-Security-Policy that forbids loading any. Every value is HTML-encoded.

The report has a summary table with one row per domain (the worst status of everything given for it, the grade of an audit, SPF, DKIM, DMARC and MX at a glance, and the counts of errors, warnings and records to publish), the findings grouped by severity (Errors, Warnings, Information) with what to do, each SPF include tree with its DNS lookup counts, the migration check and bounces when they were given, and the records to publish: each as a zone-file line and as the Windows DNS Server command (Add-DnsServerResourceRecord -Txt, Add-DnsServerResourceRecordCName or Add-DnsServerResourceRecordMX), in copyable blocks.

It takes the results of Invoke-MailAuthAudit, Get-SpfRecord, Get-DkimRecord, Test-DkimSelector, Get-DmarcRecord, Compare-MailAuthRecord (rows are grouped per domain) and Resolve-MailBounce, and any other object with a Domain (or DomainName, ZoneName, Name) property, an optional Status (or State, Result) and optional Findings (MailAuth findings, or objects with Id, Severity and Message). Objects without a domain are left out with a non-terminating error (ErrorId NotAReportObject).

The file is written when the input ends (UTF-8), replacing an existing file; -WhatIf shows what would be written.
'@
    Parameters  = @{
        Path        = 'The HTML file to write. An existing file is replaced.'
        InputObject = 'The results to report, usually from the pipeline. An array given with -InputObject is taken element by element.'
        Title       = 'The title at the top of the report (default "Mail authentication report").'
        PassThru    = 'Returns the written file (a FileInfo).'
    }
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'MailAuth results (audits, SPF/DKIM/DMARC reports, migration rows, bounces) or any object with a Domain property.' }
    )
    Outputs     = @(
        @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the written report.' }
    )
    Examples    = @(
        @{
            Title   = 'Audit the domains of a CSV file and write the report'
            Code    = 'Import-Csv .\domains.csv | Invoke-MailAuthAudit | Export-MailAuthReport -Path .\mail-audit.html'
            Remarks = 'One page with the status of every domain, the findings and the records to publish.'
        }
        @{
            Title   = 'SPF, DKIM and DMARC reports and a migration check in one report'
            Code    = @'
$results = @(
    Get-SpfRecord contoso.com
    Test-DkimSelector contoso.com
    Get-DmarcRecord contoso.com
    Compare-MailAuthRecord contoso.com -ReferenceZoneFile .\old\contoso.com.zone
)
$results | Export-MailAuthReport -Path .\contoso.html -Title 'contoso.com after the DNS move' -PassThru | Invoke-Item
'@
            Remarks = 'Results of several cmdlets are grouped per domain.'
        }
        @{
            Title   = 'A folder of bounces, explained in one page'
            Code    = 'Get-ChildItem .\bounces\*.eml | Resolve-MailBounce -Audit | Export-MailAuthReport -Path .\bounces.html'
            Remarks = 'Each bounce with its meaning, the audit of the sender domain and relay IP, and the records that would fix it.'
        }
    )
    Links       = @('Invoke-MailAuthAudit', 'Compare-MailAuthRecord', 'Resolve-MailBounce', 'Get-SpfRecord')
}
