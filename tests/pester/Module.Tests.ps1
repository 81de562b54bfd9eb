BeforeDiscovery {
    $manifest = Import-PowerShellDataFile $env:MAILAUTH_MODULE_PATH
    $script:Cmdlets = $manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Module' {
    It 'exports exactly the cmdlets its manifest names' {
        $exported = (Get-Module MailAuth).ExportedCmdlets.Keys | Sort-Object
        $declared = (Import-PowerShellDataFile $env:MAILAUTH_MODULE_PATH).CmdletsToExport | Sort-Object
        $exported | Should -Be $declared
    }

    It 'ships no System.Management.Automation assembly' {
        Join-Path (Split-Path $env:MAILAUTH_MODULE_PATH) 'System.Management.Automation.dll' | Should -Not -Exist
    }
}

Describe 'Help for <Name>' -ForEach $script:Cmdlets {
    BeforeAll { $script:Help = Get-Help $Name -Full }

    It 'has a synopsis' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match "^\s*$Name\s"
    }

    It 'has at least two examples' {
        @($script:Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($e in $script:Help.Examples.Example) { $e.Code | Should -Match $Name }
    }

    It 'describes every parameter' {
        $params = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $script:Common }
        foreach ($p in $params) {
            $h = $script:Help.Parameters.Parameter | Where-Object Name -eq $p
            $h | Should -Not -BeNullOrEmpty -Because "-$p needs help"
            ($h.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }
}

Describe 'Formatting' {
    It 'shows a record as a table that fits 80 columns' {
        $r = New-SpfRecord -ZoneName contoso.com -Include spf.protection.outlook.com -All Fail
        $lines = $r | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ }
        $lines[0] | Should -Match 'ZoneName\s+Name\s+Type\s+TTL\s+Value'
        foreach ($l in $lines) { $l.Length | Should -BeLessOrEqual 80 }
    }

    It 'shows every property with Format-List *' {
        $r = New-SpfRecord -ZoneName contoso.com -All Fail
        $text = $r | Format-List * | Out-String
        foreach ($p in 'ZoneName', 'Name', 'DescriptiveText', 'Strings', 'Value', 'TimeToLive', 'RecordType', 'ZoneFileLine') {
            $text | Should -Match "(?m)^$p\s*:"
        }
    }
}
