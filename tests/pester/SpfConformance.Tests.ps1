# Runs the OpenSPF RFC 7208 suite (../shared/conformance/spf/rfc7208-tests.yml) through the real DNS path:
# each scenario's zonedata becomes a knot zone, and Test-SpfRecord asks knot over the network.
# Tests that expect temperror (the suite's TIMEOUT entries) cannot be served by an authoritative server and are
# left to the xunit run of the whole suite, as are scenarios whose data knot refuses to load.
BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:SuitePath = Join-Path $root '../shared/conformance/spf/rfc7208-tests.yml'
    $script:SuiteMissing = -not (Test-Path $script:SuitePath)
    $script:Scenarios = @()
    if (-not $script:SuiteMissing) {
        $packages = ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
        Add-Type -Path (Join-Path $packages 'yamldotnet/18.1.0/lib/netstandard2.0/YamlDotNet.dll')
        $stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
        $stream.Load([IO.StringReader]::new((Get-Content -Raw $script:SuitePath)))
        foreach ($doc in $stream.Documents) {
            $map = $doc.RootNode
            $description = [string]$map.Children[[YamlDotNet.RepresentationModel.YamlScalarNode]::new('description')]
            $tests = foreach ($entry in $map.Children[[YamlDotNet.RepresentationModel.YamlScalarNode]::new('tests')].Children.GetEnumerator()) {
                $t = $entry.Value
                $get = { param($k) $n = $null; if ($t.Children.TryGetValue([YamlDotNet.RepresentationModel.YamlScalarNode]::new($k), [ref]$n)) { $n } }
                $result = & $get 'result'
                # A list result comes back unrolled into its scalar nodes; a single result as one node.
                $expected = @($result | ForEach-Object { [string]$_ })
                $explanation = & $get 'explanation'
                @{
                    Name = [string]$entry.Key; ClientIP = [string](& $get 'host'); MailFrom = [string](& $get 'mailfrom')
                    Helo = [string](& $get 'helo'); Expected = $expected
                    Explanation = if ($explanation) { [string]$explanation } else { $null }
                }
            }
            $zone = [Text.StringBuilder]::new()
            $null = $zone.AppendLine('. 300 IN SOA ns.test-root. hostmaster.test-root. 1 3600 600 86400 300')
            $null = $zone.AppendLine('. 300 IN NS ns.test-root.')
            $null = $zone.AppendLine('ns.test-root. 300 IN A 127.0.0.1')
            $quote = {
                param([string] $s)
                $b = [Text.StringBuilder]::new('"')
                foreach ($byte in [Text.Encoding]::UTF8.GetBytes($s)) {
                    if ($byte -eq 34 -or $byte -eq 92) { $null = $b.Append('\').Append([char]$byte) }
                    elseif ($byte -lt 32 -or $byte -ge 127) { $null = $b.Append('\').Append($byte.ToString('D3')) }
                    else { $null = $b.Append([char]$byte) }
                }
                $b.Append('"').ToString()
            }
            $escapeName = {
                # Owner and target names in the suite may hold characters a zone file must escape (RFC 1035 §5.1).
                param([string] $n)
                $b = [Text.StringBuilder]::new()
                foreach ($byte in [Text.Encoding]::UTF8.GetBytes($n.TrimEnd('.'))) {
                    $c = [char]$byte
                    if (($c -ge 'a' -and $c -le 'z') -or ($c -ge 'A' -and $c -le 'Z') -or ($c -ge '0' -and $c -le '9') -or $c -in '-', '_', '.', '*') { $null = $b.Append($c) }
                    else { $null = $b.Append('\').Append($byte.ToString('D3')) }
                }
                $b.Append('.').ToString()
            }
            foreach ($owner in $map.Children[[YamlDotNet.RepresentationModel.YamlScalarNode]::new('zonedata')].Children.GetEnumerator()) {
                $name = & $escapeName ([string]$owner.Key)
                $items = @($owner.Value.Children)
                $hasTxt = @($items | Where-Object { $_ -is [YamlDotNet.RepresentationModel.YamlMappingNode] -and $_.Children.Keys.Value -contains 'TXT' }).Count -gt 0
                foreach ($item in $items) {
                    if ($item -is [YamlDotNet.RepresentationModel.YamlScalarNode]) { continue } # TIMEOUT
                    foreach ($kv in $item.Children.GetEnumerator()) {
                        $type = [string]$kv.Key; $v = $kv.Value
                        $strings = @(if ($v -is [YamlDotNet.RepresentationModel.YamlSequenceNode]) { $v.Children | ForEach-Object { [string]$_ } } else { [string]$v })
                        switch ($type) {
                            'SPF' {
                                $rdata = ($strings | ForEach-Object { & $quote $_ }) -join ' '
                                $null = $zone.AppendLine("$name 300 IN SPF $rdata")
                                if (-not $hasTxt) { $null = $zone.AppendLine("$name 300 IN TXT $rdata") }
                            }
                            'TXT' {
                                if ($strings.Count -eq 1 -and $strings[0] -eq 'NONE') { break }
                                $null = $zone.AppendLine("$name 300 IN TXT $(($strings | ForEach-Object { & $quote $_ }) -join ' ')")
                            }
                            'MX' { $null = $zone.AppendLine("$name 300 IN MX $($strings[0]) $(& $escapeName $strings[1])") }
                            { $_ -in 'A', 'AAAA' } { $null = $zone.AppendLine("$name 300 IN $type $($strings[0])") }
                            { $_ -in 'PTR', 'CNAME' } { $null = $zone.AppendLine("$name 300 IN $type $(& $escapeName $strings[0])") }
                        }
                    }
                }
            }
            $script:Scenarios += @{ Description = $description; Zone = $zone.ToString(); Tests = @($tests) }
        }
    }
}

BeforeAll {
    Import-Module $env:MAILAUTH_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../TestDnsServer/TestDnsServer.psm1') -Force
}

Describe 'RFC 7208 suite through knot' {
    It 'has the shared conformance suite' -Skip:(-not $script:SuiteMissing) {
        Set-ItResult -Skipped -Because '../shared/conformance is absent: the RFC 7208 suite cannot be run'
    }
}

Describe 'RFC 7208 scenario: <Description>' -ForEach $script:Scenarios {
    BeforeAll {
        $script:Server = $null
        try { $script:Server = Start-TestDnsServer -Zone @{ '.' = $Zone } } catch { $script:StartError = $_.Exception.Message }
    }
    AfterAll { if ($script:Server) { Stop-TestDnsServer $script:Server } }

    It '<Name>' -ForEach $Tests {
        if (-not $script:Server) { Set-ItResult -Skipped -Because "knot refused this scenario's zone data: $script:StartError"; return }
        if ($Expected -contains 'temperror') { Set-ItResult -Skipped -Because 'temperror cases need a timing-out server; they run in the xunit suite'; return }
        $r = Test-SpfRecord -IPAddress $ClientIP -Sender $MailFrom -HeloDomain $Helo -Server $script:Server.Endpoint -TimeoutSec 2 -ErrorAction Stop
        $Expected -contains $r.Result.ToString().ToLowerInvariant() | Should -BeTrue -Because "the suite accepts $($Expected -join ' or '), got $($r.Result) ($($r.ErrorMessage))"
        if ($Explanation -and $Explanation -ne 'DEFAULT' -and $r.Result -eq 'Fail') { $r.Explanation | Should -Be $Explanation }
    }
}
