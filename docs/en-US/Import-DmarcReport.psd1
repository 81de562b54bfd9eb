@{
    Synopsis    = 'Reads DMARC aggregate reports (XML, gzip, zip or e-mail) and returns one flat row per report record.'
    Description = @'
Import-DmarcReport reads the aggregate reports that receivers send to the rua= address of a DMARC record (RFC 9990, and the RFC 7489 format most reporters still use): plain .xml, .xml.gz/.gz, .zip, and .eml messages carrying the report as an attachment (zip, gzip or XML, also inside forwarded messages). The format is told by the content, not the file name. Give files, folders (the *.xml, *.gz, *.zip and *.eml files in them; -Recurse for subfolders) or wildcards, or pipe Get-ChildItem output. No DNS is queried.

Each <record> of a report becomes one row: the reporter (OrgName, Email, ReportId), the period (BeginDate and EndDate, UTC), the published policy (PolicyDomain, PolicyP, PolicySp, PolicyNp, PolicyAdkim, PolicyAspf, PolicyPct, PolicyFo, PolicyTesting, PolicyPsd, PolicyDiscoveryMethod), the source (SourceIp, Count), the DMARC evaluation (Disposition, EvaluatedDkim, EvaluatedSpf, OverrideReason), the identifiers (HeaderFrom, EnvelopeFrom, EnvelopeTo) and the authentication results: the first DKIM and SPF result as flat columns (DkimDomain, DkimSelector, DkimResult, SpfDomain, SpfScope, SpfResult) for Export-Csv and Group-Object, and all of them in DkimResults, SpfResults and OverrideReasons. Results, policies and dispositions are lower-case whatever the reporter wrote ("PASS" reads as "pass"); domains are lower-case. Path and Entry say which file, zip entry or attachment a row came from; ReportSchema says whether the report used the RFC 9990 namespace.

The rows pipe into Test-DkimSelector, which binds DkimDomain and DkimSelector, to check the keys the reports name.

Reports are read as streams: a large report is never loaded whole. DTDs are refused and no external resource is fetched. Every decompressed byte of a file (gzip, zip, attachment) counts against -MaxDecompressedBytes, so a compression bomb stops early; a zip archive with more than -MaxArchiveEntries entries is refused before it is read.

A file that is empty, not a report, invalid XML, a corrupt archive or over a cap gives a non-terminating error naming the file and the reason, and the import goes on with the next file. Error ids: DmarcReportInvalid (empty, not a report, invalid XML, corrupt archive), DmarcReportTooLarge (a cap was reached), DmarcReportUnreadable, DmarcReportNotFound. The error's TargetObject is a MailAuth.Reports.DmarcReportProblem with Path, Entry, Reason and RecordsRead. Rows read before an error in the middle of a report are kept. What the importer recovered from (an unescaped '&', bytes invalid in the declared encoding, a count that is not a number, archive members that are not reports) is said as a warning.
'@
    Parameters  = @{
        Path                 = 'Report files or folders; wildcards are allowed. Accepts pipeline input by value and by the property name Path.'
        LiteralPath          = 'Report files or folders, taken literally (no wildcards). Accepts pipeline input by the property names PSPath and FullName, so Get-ChildItem output binds here.'
        Recurse              = 'Also reads the report files in subfolders of the folders given.'
        MaxDecompressedBytes = 'The most bytes decompressed from one file, all archive layers and attachments together (default 268435456, 256 MiB). A file that expands beyond it gives a DmarcReportTooLarge error.'
        MaxArchiveEntries    = 'The most entries a zip archive may hold (default 1000). A larger archive gives a DmarcReportTooLarge error without being read.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Paths (-Path).' }
        @{ Type = 'System.IO.FileInfo'; Description = 'Files from Get-ChildItem (-LiteralPath, by the PSPath property).' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Reports.DmarcReportRow'; Description = 'One row per report record.' }
    )
    Examples    = @(
        @{
            Title   = 'Read a folder of reports and see who sends as your domain and fails'
            Code    = 'Import-DmarcReport .\dmarc-reports | Where-Object { $_.EvaluatedDkim -ne "pass" -and $_.EvaluatedSpf -ne "pass" } | Group-Object SourceIp | Sort-Object Count -Descending'
            Remarks = 'Groups the failing records by sending IP address; the largest groups are the senders to fix or to block.'
        }
        @{
            Title   = 'Turn a mailbox export into a spreadsheet'
            Code    = 'Get-ChildItem .\inbox\*.eml | Import-DmarcReport | Export-Csv .\dmarc.csv -NoTypeInformation'
            Remarks = 'One CSV line per record, with the first DKIM and SPF results as columns.'
        }
        @{
            Title   = 'Messages per reporter and result'
            Code    = 'Import-DmarcReport .\reports\*.zip, .\reports\*.gz | Group-Object OrgName, DkimResult | Select-Object Name, @{ n = "Messages"; e = { ($_.Group | Measure-Object Count -Sum).Sum } }'
            Remarks = 'Count is the number of messages a record covers; sum it for message totals.'
        }
        @{
            Title   = 'Check the DKIM keys the reports name'
            Code    = 'Import-DmarcReport .\reports | Where-Object DkimSelector | Select-Object DkimDomain, DkimSelector -Unique | Test-DkimSelector'
            Remarks = 'Test-DkimSelector binds the DkimDomain and DkimSelector columns and reads each key record.'
        }
    )
    Links       = @('Test-DkimSelector', 'Get-DkimRecord', 'RFC 9990', 'RFC 9989', 'RFC 7489')
}
