# The bridge itself: module shape, generation from manifests (with hostile values), engine lifetime,
# Ctrl+C (pipeline stop) during -Wait, runspaces in parallel, Python failures.
# Run: pwsh tests/pester/run.ps1   (or Invoke-Pester -Path tests/pester/Hosting.Tests.ps1)

Describe 'PSOpenAIBridge hosting' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Repo = Get-TestRepo
        $script:Psd1 = Get-TestModulePath
        $script:Emu = Start-TestEmulator
        $script:SavedEnv = @{ OPENAI_API_BASE = $env:OPENAI_API_BASE; OPENAI_API_KEY = $env:OPENAI_API_KEY }
        $env:OPENAI_API_BASE = $script:Emu.Base
        $env:OPENAI_API_KEY = Get-TestApiKey
        Import-Module $script:Psd1 -Force -ErrorAction Stop
        $script:ManifestNames = @(Get-ChildItem (Join-Path $script:Repo 'manifests/*.yaml') |
            Where-Object Name -NotLike '_*' | ForEach-Object BaseName | Sort-Object)
    }

    AfterAll {
        foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
        Stop-TestEmulator
    }

    BeforeEach { Reset-TestEmulator }

    Context 'Module shape' {
        It 'FunctionsToExport names exactly the cmdlets that have manifests' {
            $listed = @((Import-PowerShellDataFile $script:Psd1).FunctionsToExport | Sort-Object)
            $listed | Should -Be $script:ManifestNames
            & (Get-TestPython) -m psbridge.generator --check-psd1 2>&1 | Out-Null
            $LASTEXITCODE | Should -Be 0
        }

        It 'exports exactly those functions, and the command aliases their manifests declare' {
            $module = Get-Module PSOpenAIBridge
            @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be $script:ManifestNames
            $aliases = @((Import-PowerShellDataFile $script:Psd1).AliasesToExport | Sort-Object)
            $aliases | Should -Contain 'Register-OpenAIFile'
            @($module.ExportedAliases.Keys | Sort-Object) | Should -Be $aliases
            (Get-Alias Register-OpenAIFile).ResolvedCommandName | Should -Be 'Add-OpenAIFile'
        }

        It 'keeps its helpers private' {
            Get-Command ConvertFrom-PSOpenAIBridgeOutput -ErrorAction Ignore | Should -BeNullOrEmpty
            Get-Command Initialize-PSOpenAIBridgeEngine -ErrorAction Ignore | Should -BeNullOrEmpty
        }

        It 'has real parameter types and attributes from the manifest' {
            $p = (Get-Command Stop-Batch).Parameters
            $p.BatchId.ParameterType | Should -Be ([string])
            $p.Wait.ParameterType | Should -Be ([switch])
            $p.TimeoutSec.ParameterType | Should -Be ([int])
            $p.ApiBase.ParameterType | Should -Be ([uri])
            $p.ApiKey.ParameterType | Should -Be ([securestring])
            $p.InputObject.ParameterType | Should -Be ([object])
            $p.BatchId.Aliases | Should -Be @('Id', 'batch_id')
            $p.Organization.Aliases | Should -Be @('OrgId')
            ($p.MaxRetryCount.Attributes | Where-Object { $_ -is [ValidateRange] }).MaxRange | Should -Be 100
            ($p.InputObject.Attributes | Where-Object { $_ -is [PSTypeNameAttribute] }).PSTypeName | Should -Be 'PSOpenAI.Batch'
            $p.BatchId.ParameterSets['Id'].ValueFromPipelineByPropertyName | Should -BeTrue
            $p.InputObject.ParameterSets['InputObject'].ValueFromPipeline | Should -BeTrue
            (Get-Command Stop-Batch).OutputType.Name | Should -Be 'PSOpenAI.Batch'
        }
    }

    Context 'Generation escapes whatever a manifest holds' {
        BeforeAll {
            $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "psbridge-hostile-$PID"
            $null = New-Item -ItemType Directory -Force $script:Dir
            # PowerShell single-quote characters, subexpressions, comment ends, help keywords.
            $global:PSOpenAIBridgePwned = $null
            $boom = '$(Set-Variable -Scope Global -Name PSOpenAIBridgePwned -Value 1)'
            $script:Hostile = [ordered]@{
                Synopsis = "Ends #> here <# and 'single' $([char]0x2018)smart$([char]0x2019) $boom"
                Values   = @("a'b", "c$([char]0x2019)d", $boom, '`e"q"', "x$([char]0x201B)y")
                SetOne   = "Set'One $boom"
                TypeName = "My.Type'X$([char]0x2018)"
            }
            $yaml = @"
name: Test-Hostile
implementation: cmdlets.batch.stop_batch:stop_batch
synopsis: $($script:Hostile.Synopsis | ConvertTo-Json)
description: ".LINK is not a keyword here\n.EXAMPLE neither #>"
default_parameter_set: $($script:Hostile.SetOne | ConvertTo-Json)
parameters:
  - name: Value
    type: String
    sets:
      $($script:Hostile.SetOne | ConvertTo-Json): {mandatory: true, position: 0, pipeline: [ByValue]}
    validation:
      values: $($script:Hostile.Values | ConvertTo-Json -Compress)
    help: "help #> with '@ and `$env:HOME $boom"
  - name: Other
    type: Object
    ps_type_name: $($script:Hostile.TypeName | ConvertTo-Json)
    sets:
      "Set2": {mandatory: true}
    help: other
"@
            Set-Content -LiteralPath (Join-Path $script:Dir 'Test-Hostile.yaml') -Value $yaml -Encoding utf8
            $code = 'import sys; sys.path.insert(0, sys.argv[1]); from psbridge.generator import generate; sys.stdout.write(generate(sys.argv[2])[0])'
            $script:Text = (& (Get-TestPython) -X utf8 -c $code $script:Repo $script:Dir) -join "`n"
            $script:GenExit = $LASTEXITCODE
        }
        AfterAll {
            Remove-Module HostileProbe -ErrorAction Ignore
            Remove-Item -LiteralPath $script:Dir -Recurse -Force -ErrorAction Ignore
            Remove-Variable -Scope Global -Name PSOpenAIBridgePwned -ErrorAction Ignore
        }

        It 'generates text that parses without errors' {
            $script:GenExit | Should -Be 0
            $tokens = $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($script:Text, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty
        }

        It 'keeps every value exactly and runs none of it' {
            $module = New-Module -Name HostileProbe -ScriptBlock ([scriptblock]::Create($script:Text + "`nExport-ModuleMember -Function Test-Hostile"))
            $cmd = $module.ExportedCommands['Test-Hostile']
            $value = $cmd.Parameters['Value']
            ($value.Attributes | Where-Object { $_ -is [ValidateSet] }).ValidValues | Should -Be $script:Hostile.Values
            @($value.ParameterSets.Keys) | Should -Be @($script:Hostile.SetOne)
            ($cmd.Parameters['Other'].Attributes | Where-Object { $_ -is [PSTypeNameAttribute] }).PSTypeName | Should -Be $script:Hostile.TypeName
            $cmd.DefaultParameterSet | Should -Be $script:Hostile.SetOne
            $help = Get-Help Test-Hostile
            ($help.Synopsis -replace [char]0x200B, '') | Should -Be $script:Hostile.Synopsis
            $global:PSOpenAIBridgePwned | Should -BeNullOrEmpty
        }
    }

    Context 'Engine lifetime' {
        It 'initialises CPython once and keeps it across Remove-Module / Import-Module' {
            [Python.Runtime.PythonEngine]::IsInitialized | Should -BeTrue
            Remove-Module PSOpenAIBridge
            [Python.Runtime.PythonEngine]::IsInitialized | Should -BeTrue
            Import-Module $script:Psd1 -Force -ErrorAction Stop
            $b = New-TestBatch
            Stop-Batch $b.id -Force
            (Get-CancelRequests).Count | Should -Be 1
        }

        It 'hosts the interpreter the bridge chose, with the project importable' {
            $gil = [Python.Runtime.Py]::GIL()
            try {
                $sys = [Python.Runtime.Py]::Import('sys')
                $prefix = $sys.GetAttr('prefix').ToString()
                $cmdletsFile = [Python.Runtime.Py]::Import('cmdlets').GetAttr('__file__').ToString()
            } finally { $gil.Dispose() }
            $expected = & (Get-TestPython) -c 'import sys; print(sys.prefix)'
            $prefix | Should -Be $expected
            $cmdletsFile | Should -BeLike "$script:Repo*"
        }

        It 'a second pwsh importing in 8 runspaces at once initialises the engine once' {
            $script = "1..8 | ForEach-Object -Parallel { Import-Module '$($script:Psd1)' -ErrorAction Stop; (Get-Command Stop-Batch).Name } -ThrottleLimit 8"
            # A fresh process, so that the engine is not up yet.
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script
            $r.ExitCode | Should -Be 0 -Because $r.Error
            @($r.Lines | Where-Object { "$_" -eq 'Stop-Batch' }).Count | Should -Be 8
        }
    }

    Context 'Pipeline stop (Ctrl+C) during -Wait' {
        It 'ends within about a second and leaves the bridge usable' {
            $b = New-TestBatch     # manual emulator: the batch stays 'cancelling', so -Wait would never end
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$($script:Psd1)' -ErrorAction Stop; Stop-Batch -BatchId '$($b.id)' -Force -Wait")
                $async = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not (Get-CancelRequests) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                Get-CancelRequests | Should -Not -BeNullOrEmpty
                Start-Sleep -Milliseconds 1500          # well into the polling loop
                Assert-StopsPromptly $ps
                $null = $async
            } finally { $ps.Dispose() }
            # The GIL was released: this runspace can still call Python.
            $c = New-TestBatch
            Stop-Batch $c.id -Force
            (Get-CancelRequests).path | Should -Contain "/v1/batches/$($c.id)/cancel"
        }
    }

    Context 'Runspaces in parallel' {
        It '1..20 | ForEach-Object -Parallel { Import-Module; Stop-Batch -Force } -ThrottleLimit 5 cancels each batch once' {
            $ids = @((Invoke-Emulator Post seed @{ status = 'in_progress'; count = 20 }).data.id)
            $psd1 = $script:Psd1
            $out = 1..20 | ForEach-Object -Parallel {
                Import-Module $using:psd1 -ErrorAction Stop
                Stop-Batch ($using:ids)[$_ - 1] -Force -PassThru
            } -ThrottleLimit 5
            @($out).Count | Should -Be 20
            @($out | Where-Object { $_.PSObject.TypeNames[0] -eq 'PSOpenAI.Batch' }).Count | Should -Be 20
            $cancels = Get-CancelRequests
            $cancels.Count | Should -Be 20
            @($cancels.path | Sort-Object) | Should -Be @($ids | ForEach-Object { "/v1/batches/$_/cancel" } | Sort-Object)
        }
    }

    Context 'Python thread states on other threads' {
        BeforeAll {
            function Invoke-Python([string]$Code) {
                # Runs Python on the calling thread (Py.GIL() enters as pythonnet's delegates do) and returns `result`.
                $gil = [Python.Runtime.Py]::GIL()
                try {
                    $scope = [Python.Runtime.PyDict]::new()
                    [Python.Runtime.PythonEngine]::Exec($Code, $scope)
                    $scope.GetItem('result').ToString()
                } finally { $gil.Dispose() }
            }
            $script:InvokePython = ${function:Invoke-Python}.ToString()
        }

        It 'a runspace thread keeps its Python thread state from one call to the next' {
            # Without it, every call from a thread other than the one that started Python would create and
            # delete a thread state (about half of the round trip); a threading.local shows whether it lives on.
            $script = @"
function Invoke-Python { $script:InvokePython }
Import-Module '$($script:Psd1)' -ErrorAction Stop
`$null = Stop-Batch -BatchId b -WhatIf 6>`$null
`$null = Invoke-Python "import threading, psbridge.threadstate as t`nt.test_local = getattr(t, 'test_local', None) or threading.local()`nt.test_local.mark = 'kept'`nresult = 'set'"
`$null = Stop-Batch -BatchId b -WhatIf 6>`$null
Invoke-Python "import psbridge.threadstate as t`nresult = getattr(t.test_local, 'mark', 'lost')"
"@
            $ps = [powershell]::Create()
            try { $out = @($ps.AddScript($script).Invoke()) } finally { $ps.Dispose() }
            $ps.Streams.Error | Should -BeNullOrEmpty
            $out | Should -Be 'kept'
        }

        It 'the states of ended threads are deleted: after 100 runspaces on new threads, fewer than LIMIT are kept' {
            # (Past LIMIT no new thread is pinned; so fewer than LIMIT means ended ones were deleted.) In a fresh
            # process: in this one, threads earlier tests left alive (the thread pool's) may hold pinned states.
            $script = @"
function Invoke-Python { $script:InvokePython }
Import-Module '$($script:Psd1)' -ErrorAction Stop
`$null = Stop-Batch -BatchId b -WhatIf 6>`$null
foreach (`$k in 1..100) {
    `$rs = [runspacefactory]::CreateRunspace()
    `$rs.ThreadOptions = 'UseNewThread'
    `$rs.Open()
    `$ps = [powershell]::Create()
    `$ps.Runspace = `$rs
    try { `$null = `$ps.AddScript("Import-Module '$($script:Psd1)' -ErrorAction Stop; Stop-Batch -BatchId b -WhatIf 6>```$null").Invoke() }
    finally { `$ps.Dispose(); `$rs.Dispose() }
}
'pinned ' + (Invoke-Python 'import psbridge.threadstate as t; result = f"{t.pinned_count()} of {t.LIMIT}"')
"@
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script
            $r.ExitCode | Should -Be 0 -Because $r.Error
            $line = @($r.Lines | Where-Object { "$_" -like 'pinned *' })[0]
            $line -match '^pinned (\d+) of (\d+)$' | Should -BeTrue -Because "the child printed '$line'"
            [int]$Matches[1] | Should -BeLessThan ([int]$Matches[2])
            # and the bridge still answers, here and on new threads
            $c = New-TestBatch
            Stop-Batch $c.id -Force
            (Get-CancelRequests).path | Should -Contain "/v1/batches/$($c.id)/cancel"
            @(1..2 | ForEach-Object -Parallel { Import-Module $using:Psd1; (Get-Command Stop-Batch).Name }).Count | Should -Be 2
        }
    }

    Context 'Long sessions' {
        It 'a lazy result (Get-Batch -Limit) is let go once written: 300 of them do not stay in memory' {
            # The function keeps the stream's delegate in its scope, which its cmdlet holds; a stream that kept the
            # cmdlet once ended would make a cycle through both runtimes that neither collector frees.
            $null = Invoke-Emulator Post seed @{ status = 'in_progress'; count = 3 }
            foreach ($i in 1..300) { $null = Get-Batch -Limit 2 }
            $count = { $gil = [Python.Runtime.Py]::GIL()
                try { $scope = [Python.Runtime.PyDict]::new()
                      [Python.Runtime.PythonEngine]::Exec("import gc, psbridge.host as h; gc.collect(); n = sum(type(o) is h._Stream for o in gc.get_objects())", $scope)
                      [int]$scope.GetItem('n').ToString() } finally { $gil.Dispose() } }
            # (pythonnet lets go of a collected delegate's Python callable at a later call into Python)
            foreach ($round in 1..10) {
                [GC]::Collect(); [GC]::WaitForPendingFinalizers()
                $null = Get-Batch -Limit 1
                $alive = & $count
                if ($alive -lt 50) { break }
            }
            $alive | Should -BeLessThan 50
        }
    }

    Context 'Runspaces share one compiled module text' {
        It 'after the runspace that imported first is gone, others still build PSOpenAI''s errors and take a plain-string -ApiKey' {
            # The generated text is the same in every runspace (PowerShell compiles it once per process), so
            # its classes must not be tied to the runspace that first ran them.
            $probe = @'
param($psd1)
Import-Module $psd1 -ErrorAction Stop
try { Get-Batch -BatchId batch_missing -ApiKey 'sk-not-the-emulators-key-000' -ErrorAction Stop; 'no error' }
catch { '{0} {1}' -f $_.Exception.GetType().Name, $_.Exception.StatusCode }
'@
            $first = [powershell]::Create()
            try { $out = @($first.AddScript($probe).AddArgument($script:Psd1).Invoke()) } finally { $first.Dispose() }
            $out | Should -Be 'UnauthorizedException Unauthorized'
            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $psd1 = $script:Psd1
            $later = 1..3 | ForEach-Object -Parallel { & ([scriptblock]::Create($using:probe)) $using:psd1 } -ThrottleLimit 3
            @($later) | Should -Be (@('UnauthorizedException Unauthorized') * 3)
            $types = 1..2 | ForEach-Object -Parallel {
                Import-Module $using:psd1 -ErrorAction Stop
                (Get-Command Get-Batch).Parameters['ApiKey'].Attributes.Where({ $_ -is [System.Management.Automation.ArgumentTransformationAttribute] })[0].GetType()
            } -ThrottleLimit 2
            $types[0] | Should -Be $types[1]      # one type per process, not one per runspace
        }
    }

    Context 'A host that cannot prompt' {
        It '-Confirm in a runspace without a UI is the cmdlet''s own HostFunctionNotImplemented error, as a compiled cmdlet''s; nothing is sent' {
            $b = New-TestBatch
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$($script:Psd1)' -ErrorAction Stop; Stop-Batch -BatchId '$($b.id)' -Confirm; 'went on'")
                $out = $ps.Invoke()
                $out | Should -Be 'went on' -Because 'it ends that statement only, as Remove-Item -Confirm does there'
                $ps.Streams.Error | Should -HaveCount 1
                $ps.Streams.Error[0].FullyQualifiedErrorId | Should -Be 'HostFunctionNotImplemented,Stop-Batch'
                $ps.Streams.Error[0].Exception.Message | Should -Not -BeLike '*Exception calling*'
                $ps.Streams.Error[0].InvocationInfo.MyCommand.Name | Should -Be 'Stop-Batch'
            } finally { $ps.Dispose() }
            Get-CancelRequests | Should -BeNullOrEmpty
        }
    }

    Context 'Python failures' {
        It 'an unexpected Python exception is a terminating PythonError, not a raw trace' {
            $gil = [Python.Runtime.Py]::GIL()
            try {
                [Python.Runtime.PythonEngine]::Exec(@'
import psbridge.host as h
h._saved_run = h.run
def broken(*args, **kwargs):
    raise KeyError("synthetic bug")
h.run = broken
'@)
            } finally { $gil.Dispose() }
            try {
                { Stop-Batch -BatchId b -Force } | Should -Throw -ErrorId 'PythonError,Stop-Batch' -ExpectedMessage '*KeyError*synthetic bug*'
            } finally {
                $gil = [Python.Runtime.Py]::GIL()
                try { [Python.Runtime.PythonEngine]::Exec('import psbridge.host as h; h.run = h._saved_run') } finally { $gil.Dispose() }
            }
            $b = New-TestBatch
            Stop-Batch $b.id -Force
            (Get-CancelRequests).Count | Should -Be 1
        }
    }
}
