# Every kind of parameter a manifest may declare, end to end through a generated function, using the
# fixture cmdlet in fixtures/ (its Python side reports what it received). It runs in a child pwsh whose
# bridge reads the fixture's manifests folder (PSOPENAIBRIDGE_MANIFESTS); no request is sent.
# Run: pwsh tests/pester/run.ps1   (or Invoke-Pester -Path tests/pester/Types.Tests.ps1)

Describe 'Parameter kinds through the bridge' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $repo = Get-TestRepo
        $folder = Join-Path ([IO.Path]::GetTempPath()) "psbridge-types-$PID"
        $null = New-Item -ItemType Directory -Force $folder
        Copy-Item (Join-Path $repo 'manifests/_shared.yaml'), (Join-Path $PSScriptRoot 'fixtures/Test-BridgeTypes.yaml') $folder
        $script:Folder = $folder
        # Each case prints one JSON line: what the cmdlet returned, or the errors it wrote.
        $child = @'
param($psd1, $where)
Import-Module $psd1 -ErrorAction Stop
Set-Location $where
function Report([string]$Case, [scriptblock]$Run) {
    $all = @(& $Run 2>&1)
    $errors = $all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }
    [pscustomobject]@{
        case = $Case; out = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        errors = @($errors | ForEach-Object { [pscustomobject]@{ id = $_.FullyQualifiedErrorId; target = $_.TargetObject } })
    } | ConvertTo-Json -Depth 8 -Compress
}
Report 'piped' { @{ n = 1 }, @{ n = 2 }, @{ n = 3 } | Test-BridgeTypes }
Report 'array' { Test-BridgeTypes -Items a, b }
Report 'path' { Test-BridgeTypes -Path rel.txt }
Report 'scalars' { Test-BridgeTypes x -Names n1, n2 -Ratio 0.5 -Count 0 -Data ([byte[]](7, 8, 9, 10)) -Map @{ k = 'v' } -Label '' -Flag }
Report 'one name' { Test-BridgeTypes x -Names solo }
Report 'defaults' { Test-BridgeTypes x }
Report 'bad item' { @{ bad = $true; n = 1 }, @{ n = 2 } | Test-BridgeTypes }
$range = try { Test-BridgeTypes x -Ratio 2; 'accepted' } catch { $_.FullyQualifiedErrorId }
[pscustomobject]@{ case = 'range'; out = @($range); errors = @() } | ConvertTo-Json -Compress
$line = 'Test-BridgeTypes x -Names a'
$completion = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
[pscustomobject]@{ case = 'completion'; out = @($completion); errors = @() } | ConvertTo-Json -Compress
'@
        $script:ChildFile = Join-Path $folder 'child.ps1'
        Set-Content -LiteralPath $script:ChildFile -Value $child
        # The .psm1, not the .psd1: the module manifest exports only the project's cmdlets.
        $psm1 = Join-Path $repo 'psbridge/PSOpenAIBridge.psm1'
        $r = Invoke-TestPwsh '-NonInteractive', '-File', $script:ChildFile, $psm1, $folder -Environment @{
            PSOPENAIBRIDGE_MANIFESTS = $folder; PYTHONPATH = Join-Path $PSScriptRoot 'fixtures'; OPENAI_API_KEY = 'sk-types-test-0000000000' }
        $script:Lines = @($r.Lines) + @($r.Error -split '\r?\n' | Where-Object { $_ })
        $script:Exit = $r.ExitCode
        $script:Cases = @{}
        foreach ($line in $script:Lines) {
            if ("$line" -like '{*') { $case = "$line" | ConvertFrom-Json; $script:Cases[$case.case] = $case }
        }
    }
    AfterAll { Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction Ignore }

    It 'the child session ran every case' {
        $script:Exit | Should -Be 0 -Because ($script:Lines -join "`n")
        $script:Cases.Keys.Count | Should -Be 9 -Because ($script:Lines -join "`n")
    }

    It 'a collecting parameter gathers piped items; the cmdlet runs once, in the end block' {
        $c = $script:Cases['piped']
        $c.out.Count | Should -Be 1
        $c.out[0].set | Should -Be 'Items'
        $c.out[0].items.type | Should -Be 'list'
        $c.out[0].items.value.n | Should -Be @(1, 2, 3)
    }

    It 'a collecting parameter bound from the command line takes the array' {
        $c = $script:Cases['array']
        $c.out.Count | Should -Be 1
        $c.out[0].items.value | Should -Be @('a', 'b')
    }

    It 'a file path is resolved against the current location' {
        $c = $script:Cases['path']
        $c.out[0].set | Should -Be 'Path'
        $c.out[0].path.value | Should -Be (Join-Path $script:Folder 'rel.txt')
    }

    It 'String[], Double, Int32, Byte[], IDictionary, String and switches arrive as Python types' {
        $o = $script:Cases['scalars'].out[0]
        $o.names.type | Should -Be 'list'; $o.names.value | Should -Be @('n1', 'n2')
        $o.ratio.type | Should -Be 'float'; $o.ratio.value | Should -Be 0.5
        $o.count.type | Should -Be 'int'; $o.count.value | Should -Be 0
        $o.data.type | Should -Be 'bytes'; $o.data.value.length | Should -Be 4; $o.data.value.head | Should -Be @(7, 8, 9)
        $o.map.type | Should -Be 'dict'; $o.map.value.k | Should -Be 'v'
        $o.label.type | Should -Be 'str'; $o.label.value | Should -Be ''
        $o.flag.value | Should -BeTrue
        $o.given | Should -Contain 'count'       # bound, even though 0
        $o.given | Should -Contain 'label'       # bound, even though ''
    }

    It 'a single value for a String[] parameter is a one-item list' {
        $script:Cases['one name'].out[0].names.value | Should -Be @('solo')
    }

    It 'unbound parameters take the manifest defaults and are not "given"' {
        $o = $script:Cases['defaults'].out[0]
        $o.count.value | Should -Be 5
        $o.label.value | Should -Be 'none'
        $o.flag.value | Should -BeFalse
        $o.path.type | Should -Be 'NoneType'     # an unbound file path stays unbound
        $o.given | Should -Not -Contain 'path'
        $o.given | Should -Not -Contain 'count'
        $o.given | Should -Not -Contain 'ratio'
        $o.given | Should -Contain 'items'
        $o.given | Should -Contain 'api_key'     # from $env:OPENAI_API_KEY
    }

    It 'host.write_error reports one bad item, with the item PowerShell passed as the target, and goes on' {
        $c = $script:Cases['bad item']
        $c.errors.Count | Should -Be 1
        $c.errors[0].id | Should -Be 'System.ArgumentException,Test-BridgeTypes'
        $c.errors[0].target.bad | Should -BeTrue
        $c.out.Count | Should -Be 1
    }

    It 'validation comes from the manifest (a range on a Double)' {
        $script:Cases['range'].out[0] | Should -Be 'ParameterArgumentValidationError,Test-BridgeTypes'
    }

    It 'completions are offered for tab completion' {
        $script:Cases['completion'].out | Should -Be @('alpha')
    }
}
