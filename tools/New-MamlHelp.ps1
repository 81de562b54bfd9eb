<#
.SYNOPSIS
    Generates MAML help (MailAuth.PowerShell.dll-Help.xml) for the module's cmdlets.
.DESCRIPTION
    platyPS is not available here, so help is written per cmdlet as a PowerShell data file
    (docs/en-US/<Verb-Noun>.psd1: Synopsis, Description, Parameters, Examples, Inputs, Outputs, Notes, Links)
    and this script merges it with what the compiled cmdlet declares (parameter types, mandatory, position,
    pipeline input, aliases, parameter sets). The build fails when a cmdlet lacks a synopsis, a parameter
    lacks a description, or a cmdlet has fewer than two examples, so help cannot drift from the code.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourcePath,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$module = Import-Module $ModulePath -PassThru -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$problems = [System.Collections.Generic.List[string]]::new()

$ns = @{
    maml = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$null = New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force
$w = [System.Xml.XmlWriter]::Create($OutFile, $settings)

function Write-Paras([string] $text) {
    foreach ($p in ($text -split "(`r?`n){2,}")) {
        if ($p.Trim()) { $w.WriteElementString('maml', 'para', $ns.maml, $p.Trim()) }
    }
}
function Write-TypeName([string] $name) {
    $w.WriteStartElement('dev', 'type', $ns.dev)
    $w.WriteElementString('maml', 'name', $ns.maml, $name)
    $w.WriteEndElement()
}
function Get-PipelineText($attrs) {
    $v = @($attrs | Where-Object ValueFromPipeline).Count -gt 0
    $p = @($attrs | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
    if ($v -and $p) { 'True (ByValue, ByPropertyName)' } elseif ($v) { 'True (ByValue)' } elseif ($p) { 'True (ByPropertyName)' } else { 'False' }
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems')
$w.WriteAttributeString('schema', 'maml')
foreach ($prefix in $ns.Keys) { $w.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }

foreach ($cmd in (Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)) {
    $src = Join-Path $SourcePath "$($cmd.Name).psd1"
    if (-not (Test-Path $src)) { $problems.Add("$($cmd.Name): no help source $src"); continue }
    $help = Import-PowerShellDataFile $src
    foreach ($key in 'Synopsis', 'Description') { if (-not $help[$key]) { $problems.Add("$($cmd.Name): missing $key") } }
    if (@($help.Examples).Count -lt 2) { $problems.Add("$($cmd.Name): fewer than two examples") }
    $paramHelp = if ($help.ContainsKey('Parameters')) { $help.Parameters } else { @{} }
    $params = $cmd.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $params) { if (-not $paramHelp[$p.Name]) { $problems.Add("$($cmd.Name): parameter -$($p.Name) has no description") } }
    foreach ($k in $paramHelp.Keys) { if ($k -notin $params.Name) { $problems.Add("$($cmd.Name): help describes -$k, which the cmdlet does not have") } }

    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteStartElement('command', 'details', $ns.command)
    $w.WriteElementString('command', 'name', $ns.command, $cmd.Name)
    $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $help.Synopsis; $w.WriteEndElement()
    $w.WriteElementString('command', 'verb', $ns.command, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $ns.command, $cmd.Noun)
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $help.Description; $w.WriteEndElement()

    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $cmd.Name)
        foreach ($sp in ($set.Parameters | Where-Object { $_.Name -notin $common })) {
            $w.WriteStartElement('command', 'parameter', $ns.command)
            $w.WriteAttributeString('required', ([string]$sp.IsMandatory).ToLowerInvariant())
            $w.WriteAttributeString('position', $(if ($sp.Position -ge 0) { [string]($sp.Position + 1) } else { 'named' }))
            $w.WriteElementString('maml', 'name', $ns.maml, $sp.Name)
            if ($sp.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $w.WriteStartElement('command', 'parameterValue', $ns.command)
                $w.WriteAttributeString('required', 'true')
                $w.WriteString($sp.ParameterType.Name)
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in ($params | Sort-Object Name)) {
        $attrs = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $mandatory = @($attrs | Where-Object Mandatory).Count -gt 0
        $positions = @($attrs | Where-Object { $_.Position -ge 0 } | ForEach-Object Position)
        $w.WriteStartElement('command', 'parameter', $ns.command)
        $w.WriteAttributeString('required', ([string]$mandatory).ToLowerInvariant())
        $w.WriteAttributeString('pipelineInput', (Get-PipelineText $attrs))
        $w.WriteAttributeString('position', $(if ($positions.Count) { [string]($positions[0] + 1) } else { 'named' }))
        $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
        $w.WriteElementString('maml', 'name', $ns.maml, $p.Name)
        $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras ([string]$paramHelp[$p.Name]); $w.WriteEndElement()
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', ([string]($p.ParameterType -ne [System.Management.Automation.SwitchParameter])).ToLowerInvariant())
        $w.WriteString($p.ParameterType.Name)
        $w.WriteEndElement()
        Write-TypeName $p.ParameterType.FullName
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    foreach ($section in @(@{ Key = 'Inputs'; Outer = 'inputTypes'; Inner = 'inputType' }, @{ Key = 'Outputs'; Outer = 'returnValues'; Inner = 'returnValue' })) {
        $w.WriteStartElement('command', $section.Outer, $ns.command)
        foreach ($item in @($help[$section.Key])) {
            if (-not $item) { continue }
            $w.WriteStartElement('command', $section.Inner, $ns.command)
            Write-TypeName $item.Type
            $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $item.Description; $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    if ($help['Notes']) {
        $w.WriteStartElement('maml', 'alertSet', $ns.maml)
        $w.WriteStartElement('maml', 'alert', $ns.maml); Write-Paras $help.Notes; $w.WriteEndElement()
        $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $ns.command)
    $i = 0
    foreach ($ex in @($help.Examples)) {
        $i++
        $w.WriteStartElement('command', 'example', $ns.command)
        $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- Example $i`: $($ex.Title) --------------------------")
        $w.WriteElementString('dev', 'code', $ns.dev, $ex.Code.Trim())
        $w.WriteStartElement('dev', 'remarks', $ns.dev); Write-Paras $ex.Remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @($help['Links'])) {
        if (-not $link) { continue }
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $w.WriteElementString('maml', 'linkText', $ns.maml, $link)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()

if ($problems.Count) {
    $problems | ForEach-Object { Write-Error $_ -ErrorAction Continue }
    Remove-Item $OutFile -ErrorAction Ignore
    exit 1
}
Write-Host "Help written: $OutFile"
exit 0
