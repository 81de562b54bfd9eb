@{
    RootModule             = 'MailAuth.PowerShell.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '6f0f8a3e-5b8e-4c55-9a57-2f1d3c0b9e41'
    Author                 = 'MailAuth contributors'
    CompanyName            = 'MailAuth'
    Copyright              = '(c) MailAuth contributors. MIT licence.'
    Description            = 'Audits and generates the DNS records that decide whether mail is delivered: SPF, DKIM, DMARC, MX, PTR, MTA-STS, TLS-RPT and BIMI.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('MailAuth.Format.ps1xml')
    CmdletsToExport        = @(
        'Get-SpfRecord'
        'Test-SpfRecord'
        'New-SpfRecord'
        'Get-DkimRecord'
        'Test-DkimSelector'
        'New-DkimKey'
        'Test-DkimSignature'
        'Get-DmarcRecord'
        'New-DmarcRecord'
        'Compare-MailAuthRecord'
        'Resolve-MailBounce'
        'Export-MailAuthReport'
        'Import-DmarcReport'
        'Invoke-MailAuthAudit'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('SPF', 'DKIM', 'DMARC', 'DNS', 'Email', 'MTA-STS', 'BIMI', 'Exchange')
            ProjectUri = ''
        }
    }
}
