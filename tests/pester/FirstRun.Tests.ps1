# First run: the module in every kind of fresh process a user starts, each on a cold cache (an empty
# XDG_CACHE_HOME, as on a new machine), so nothing that pwsh happens to have preloaded can hide a missing
# load of ours: a real interactive console in a terminal (tmux), -File, -Command, Start-Job,
# Start-ThreadJob, ForEach-Object -Parallel, [powershell]::Create(); then a second copy of the module.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator
    $script:Psd1 = Get-TestModulePath
    $script:Settings = @{ OPENAI_API_BASE = $script:Emu.Base; OPENAI_API_KEY = Get-TestApiKey }
}

AfterAll { Stop-TestEmulator }

Describe 'A fresh process on a cold machine' {
    It 'works with pwsh <Mode>' -ForEach @(
        @{ Mode = '-File' }, @{ Mode = '-Command' }
    ) {
        $b = New-TestBatch
        $script = "Import-Module '$script:Psd1' -ErrorAction Stop; " +
            "`$batch = Get-Batch -BatchId '$($b.id)'; `$batch.PSObject.TypeNames[0]; `$batch.id; `$batch.created_at.GetType().Name"
        $arguments = if ($Mode -eq '-File') {
            $file = Join-Path ([IO.Path]::GetTempPath()) "first-run-$([guid]::NewGuid().ToString('N')).ps1"
            Set-Content -LiteralPath $file -Value $script
            '-NonInteractive', '-File', $file
        } else { '-NonInteractive', '-Command', $script }
        try {
            $r = Invoke-TestPwsh $arguments -Environment $script:Settings
        } finally { if ($file) { Remove-Item -LiteralPath $file -ErrorAction Ignore } }
        $r.Error | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0
        $r.Lines | Should -Be @('PSOpenAI.Batch', $b.id, 'DateTime')
    }

    It 'ends cleanly when the process ends right after the import, and runs Python''s atexit functions at the end' {
        # The import thread may still be importing when such a process ends: pythonnet's own exit handler
        # (Python finalised under it) crashed it, so the module removes that handler at once and adds its own
        # (psbridge.startup._flush_at_exit) when the thread is done.
        foreach ($n in 1..3) {
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', "Import-Module '$script:Psd1' -ErrorAction Stop; exit 7" -Environment $script:Settings
            $r.Error | Should -BeNullOrEmpty
            $r.ExitCode | Should -Be 7
        }
        $marker = Join-Path ([IO.Path]::GetTempPath()) "atexit-$([guid]::NewGuid().ToString('N'))"
        try {
            $script = @"
Import-Module '$script:Psd1' -ErrorAction Stop
`$null = Get-Batch -Limit 1
`$gil = [Python.Runtime.Py]::GIL()
try { [Python.Runtime.PythonEngine]::Exec('import atexit, os; atexit.register(lambda: open(os.environ["ATEXIT_MARKER"], "w").write("ran"))') }
finally { `$gil.Dispose() }
"@
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment ($script:Settings + @{ ATEXIT_MARKER = $marker })
            $r.Error | Should -BeNullOrEmpty
            $r.ExitCode | Should -Be 0
            Get-Content -LiteralPath $marker -Raw | Should -Be 'ran'
        } finally { Remove-Item -LiteralPath $marker -ErrorAction Ignore }
    }

    It 'keeps what the probe process learns, uses it in the next process, and probes again when it is out of date or unreadable' {
        $data = Join-Path ([IO.Path]::GetTempPath()) "psbridge-data-$([guid]::NewGuid().ToString('N'))"
        try {
            $settings = $script:Settings + @{ XDG_DATA_HOME = $data }
            # (and whether Python was started from the kept answer before the psm1 ran: boot/Boot.cs's OnImport)
            $script = "Import-Module '$script:Psd1' -ErrorAction Stop; (Get-Batch -Limit 1 | Measure-Object).Count -le 1; [PSOpenAIBridge.Boot]::StartedEarly"
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment $settings
            $r.Error | Should -BeNullOrEmpty
            $r.Lines | Should -Be @('True', 'False')        # nothing kept yet: probed, then started by the psm1
            $kept = @(Get-ChildItem -LiteralPath (Join-Path $data 'PSOpenAIBridge') -Filter 'probe-*.txt')
            $kept.Count | Should -Be 1
            # format, key, the python chosen, Python.Runtime.dll, the paths stamped, their file times, then probe.py's answer
            $fields = (Get-Content -LiteralPath $kept[0].FullName -Raw).Split([char]0)
            $fields[0] | Should -Be 'PSOpenAIBridge probe 3'
            $fields[6] | Should -Be $fields[2]          # the probed interpreter's executable
            $fields[3] | Should -Exist                  # the DLL
            $fields[8] | Should -Exist                  # libpython
            $fields[4].Split([char]9) | Should -Contain $fields[2]
            $fields[5] | Should -Match '^\d+(\t\d+){3,}$'    # file times: the interpreter, its link's target, sys.path folders...
            $stale = $fields.Clone()
            $stale[5] = $fields[5] -replace '^\d+', '1'
            foreach ($text in @([string]::Join([char]0, $stale), 'not a probe answer')) {
                [IO.File]::WriteAllText($kept[0].FullName, $text)      # a stale stamp, then a broken file
                $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment $settings
                $r.Error | Should -BeNullOrEmpty
                $r.Lines | Should -Be @('True', 'False')
                (Get-Content -LiteralPath $kept[0].FullName -Raw).Split([char]0)[5] | Should -Be $fields[5]     # probed again
            }
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment $settings
            $r.Error | Should -BeNullOrEmpty
            $r.Lines | Should -Be @('True', 'True')         # kept and up to date: started before the psm1 was parsed
            # Another interpreter named (here the same one, by the variable): searched and probed again, kept anew
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment ($settings + @{ PSOPENAIBRIDGE_PYTHON = $fields[2] })
            $r.Error | Should -BeNullOrEmpty
            $r.Lines | Should -Be @('True', 'False')
            (Get-Content -LiteralPath $kept[0].FullName -Raw).Split([char]0)[1] | Should -BeLike "*`t$($fields[2])`t*"
        } finally { Remove-Item -LiteralPath $data -Recurse -Force -ErrorAction Ignore }
    }

    It 'loads the start-up assembly first, then its views: PowerShell reads a manifest''s own format files before its nested modules, so the views come as a nested module after the assembly whose OnImport starts Python' {
        $script = "Import-Module '$script:Psd1' -ErrorAction Stop; (Get-Module PSOpenAIBridge).NestedModules.Name -join ','; (Get-FormatData PSOpenAI.Batch).TypeNames; `$t = [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch'; id = 'batch_1'; endpoint = '/v1/embeddings'; status = 'failed'; not_in_the_view = 1 } | Out-String -Width 200; `$t -match 'endpoint' -and `$t -notmatch 'not_in_the_view'"
        $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment $script:Settings
        $r.Error | Should -BeNullOrEmpty
        $r.Lines | Should -Be @('PSOpenAIBridge.Boot,PSOpenAIBridge.Formats', 'PSOpenAI.Batch', 'True')
        (Import-PowerShellDataFile $script:Psd1).Keys | Should -Not -Contain 'FormatsToProcess'
    }

    It 'reads PowerShell''s module analysis cache while it imports (its first use sleeps 75 ms where there is no cache file), which a plain pwsh does not' -Skip:$IsWindows {
        # Seen from outside: the cache file is a named pipe, and a writer that will not wait (Python's O_NONBLOCK
        # open) finds a reader only while someone is opening it to read. An import by path never uses the cache
        # itself; Boot.OnImport's pool thread does (Boot.StartAnalysisCache).
        $folder = Join-Path ([IO.Path]::GetTempPath()) "psbridge-analysis-$([guid]::NewGuid().ToString('N'))"
        try {
            $null = New-Item -ItemType Directory -Force $folder
            $pipe = Join-Path $folder 'ModuleAnalysisCache'
            & mkfifo $pipe
            $check = "import errno, os, sys, time`nend = time.monotonic() + float(sys.argv[2])`nwhile True:`n    try:`n        fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)`n    except OSError as e:`n        if e.errno != errno.ENXIO or time.monotonic() > end: print('unread'); break`n        time.sleep(0.05)`n    else:`n        os.write(fd, b'not a cache'); os.close(fd); print('read'); break"
            $checker = Join-Path $folder 'check.py'
            Set-Content -LiteralPath $checker -Value $check
            $python = Get-TestPython
            $settings = $script:Settings + @{ PSModuleAnalysisCachePath = $pipe }
            $plain = Invoke-TestPwsh '-NonInteractive', '-Command', "& '$python' '$checker' '$pipe' 2" -Environment $settings
            $plain.Error | Should -BeNullOrEmpty
            $plain.Lines | Should -Be @('unread')
            $imported = Invoke-TestPwsh '-NonInteractive', '-Command', "Import-Module '$script:Psd1' -ErrorAction Stop; & '$python' '$checker' '$pipe' 60; (Get-Command Stop-Batch).Name" -Environment $settings
            $imported.Error | Should -BeNullOrEmpty
            $imported.Lines | Should -Be @('read', 'Stop-Batch')
        } finally { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore }
    }

    It 'keeps no answer from a launcher that picks the interpreter itself (a pyenv shim): each process gets the one it picks' -Skip:$IsWindows {
        $data = Join-Path ([IO.Path]::GetTempPath()) "psbridge-data-$([guid]::NewGuid().ToString('N'))"
        try {
            $null = New-Item -ItemType Directory -Force $data
            # Like pyenv's shim, which runs the version PYENV_VERSION or a .python-version file names.
            $launcher = Join-Path $data 'python3'
            Set-Content -LiteralPath $launcher -Value "#!/bin/sh`nexec `"`$PICK_PYTHON`" `"`$@`""
            & chmod +x $launcher
            $other = Join-Path $data 'venv'
            & (Get-TestPython) -m venv --system-site-packages --without-pip $other
            $picks = @((Get-TestPython), (Join-Path $other 'bin/python'))
            $script = "Import-Module '$script:Psd1' -ErrorAction Stop; `$null = Get-Batch -Limit 1; `$gil = [Python.Runtime.Py]::GIL(); " +
                "try { `$s = [Python.Runtime.PyDict]::new(); [Python.Runtime.PythonEngine]::Exec('import sys; e = sys.executable', `$s); `$s.GetItem('e').ToString() } finally { `$gil.Dispose() }"
            foreach ($pick in $picks + $picks) {
                $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment ($script:Settings +
                    @{ XDG_DATA_HOME = $data; PSOPENAIBRIDGE_PYTHON = $launcher; PICK_PYTHON = $pick })
                $r.Error | Should -BeNullOrEmpty
                $r.Lines | Should -Be @($pick)
            }
            Get-ChildItem -LiteralPath (Join-Path $data 'PSOpenAIBridge') -Filter 'probe-*.txt' | Should -BeNullOrEmpty
        } finally { Remove-Item -LiteralPath $data -Recurse -Force -ErrorAction Ignore }
    }

    It 'notices a python3 put on PATH before the one it keeps (a copy with no .venv: the interpreter comes from PATH)' -Skip:$IsWindows {
        $data = Join-Path ([IO.Path]::GetTempPath()) "psbridge-data-$([guid]::NewGuid().ToString('N'))"
        try {
            $copy = Join-Path $data 'copy'
            $null = New-Item -ItemType Directory -Force $copy, (Join-Path $data 'first'), (Join-Path $data 'second')
            foreach ($folder in 'psbridge', 'cmdlets', 'manifests') {
                Copy-Item -Recurse -LiteralPath (Join-Path (Get-TestRepo) $folder) -Destination $copy
            }
            $second = Join-Path $data 'second/python3'
            $null = New-Item -ItemType SymbolicLink -Path $second -Value (Get-TestPython)
            $settings = $script:Settings + @{ XDG_DATA_HOME = $data; NUGET_PACKAGES = (Join-Path (Get-TestRepo) '.tools/nuget')
                PATH = "$data/first$([IO.Path]::PathSeparator)$data/second$([IO.Path]::PathSeparator)$env:PATH" }
            $script = "Import-Module '$copy/psbridge/PSOpenAIBridge.psd1' -ErrorAction Stop; `$null = Get-Batch -Limit 1; `$gil = [Python.Runtime.Py]::GIL(); " +
                "try { `$s = [Python.Runtime.PyDict]::new(); [Python.Runtime.PythonEngine]::Exec('import sys; e = sys.executable', `$s); `$s.GetItem('e').ToString() } finally { `$gil.Dispose() }"
            foreach ($expected in $second, $second, "$data/first/python3") {
                if ($expected -like '*first*') { $null = New-Item -ItemType SymbolicLink -Path $expected -Value (Get-TestPython) }
                $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment $settings
                $r.Error | Should -BeNullOrEmpty
                $r.Lines | Should -Be @($expected)
            }
        } finally { Remove-Item -LiteralPath $data -Recurse -Force -ErrorAction Ignore }
    }

    It 'keeps the generated functions for the next process, makes them again when a manifest changes or the kept file is broken, cut short or edited, and reports a failed Python import at the first command' {
        $data = Join-Path ([IO.Path]::GetTempPath()) "psbridge-data-$([guid]::NewGuid().ToString('N'))"
        $manifests = Join-Path $data 'manifests'
        try {
            $null = New-Item -ItemType Directory -Force $data
            Copy-Item -Recurse (Join-Path (Get-TestRepo) 'manifests') $manifests
            $settings = $script:Settings + @{ XDG_DATA_HOME = $data; PSOPENAIBRIDGE_MANIFESTS = $manifests }
            $script = "Import-Module '$script:Psd1' -ErrorAction Stop; (Get-Command Stop-Batch).Parameters['BatchId'].ParameterType.Name; (Get-Batch -Limit 1 | Measure-Object).Count -le 1"
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment $settings
            $r.Error | Should -BeNullOrEmpty
            $r.Lines | Should -Be @('String', 'True')
            $kept = @(Get-ChildItem -LiteralPath (Join-Path $data 'PSOpenAIBridge') -Filter 'functions-*.ps1')
            $kept.Count | Should -Be 1
            $key = (Get-Content -LiteralPath $kept[0].FullName -TotalCount 1)
            $whole = [IO.File]::ReadAllText($kept[0].FullName)
            # From the kept text (another process), then after a broken file, a file cut short before a function
            # (it still compiles, without Get-Batch), a function edited, then after a manifest changed.
            foreach ($change in @({ }, { Set-Content -LiteralPath $kept[0].FullName -Value "$key`nnot`nfunctions {" },
                                  { [IO.File]::WriteAllText($kept[0].FullName, $whole.Substring(0, $whole.IndexOf("`nfunction Get-Batch {"))) },
                                  { [IO.File]::WriteAllText($kept[0].FullName, $whole + "`nfunction Get-Batch { throw 'edited' }") },
                                  { Add-Content -LiteralPath (Join-Path $manifests 'Stop-Batch.yaml') -Value '# changed' })) {
                & $change
                $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment $settings
                $r.Error | Should -BeNullOrEmpty
                $r.Lines | Should -Be @('String', 'True')
                [IO.File]::ReadAllText($kept[0].FullName).Length | Should -BeGreaterThan ($whole.Length * 0.9)     # made whole again
            }
            (Get-Content -LiteralPath $kept[0].FullName -TotalCount 1) | Should -Not -Be $key
            # Python's half fails to import while the kept functions compile: the first command says why.
            $broken = @{ PYTHONPATH = (Join-Path $data 'broken') }
            $null = New-Item -ItemType Directory -Force (Join-Path $data 'broken/requests')
            Set-Content -LiteralPath (Join-Path $data 'broken/requests/__init__.py') -Value 'raise ImportError("synthetic: no requests here")'
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', "Import-Module '$script:Psd1' -ErrorAction Stop; 'imported'; try { Get-Batch -Limit 1 } catch { `$_.Exception.Message }" -Environment ($settings + $broken)
            $r.Lines[0] | Should -Be 'imported'
            ($r.Lines -join ' ') | Should -BeLike '*synthetic: no requests here*'
        } finally { Remove-Item -LiteralPath $data -Recurse -Force -ErrorAction Ignore }
    }

    It 'says how to build the start-up assembly when the psm1 is imported without it' {
        $copy = Join-Path ([IO.Path]::GetTempPath()) "psbridge-nodll-$([guid]::NewGuid().ToString('N'))"
        try {
            $folder = Join-Path $copy 'psbridge'
            $null = New-Item -ItemType Directory -Force $folder
            Copy-Item (Join-Path (Get-TestRepo) 'psbridge/*') $folder -Exclude 'PSOpenAIBridge.Boot.dll', '__pycache__', 'boot'
            $script = "try { Import-Module '$(Join-Path $folder 'PSOpenAIBridge.psm1')' -ErrorAction Stop; 'imported' } catch { `$_.Exception.Message }"
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script
            $r.Lines | Should -Be @("PSOpenAIBridge: $(Join-Path $folder 'PSOpenAIBridge.Boot.dll') is missing: in a checkout, run 'bash tools/setup.sh' (or 'dotnet build psbridge/boot/PSOpenAIBridge.Boot.csproj -c Release'), which builds it.")
        } finally { Remove-Item -LiteralPath $copy -Recurse -Force -ErrorAction Ignore }
    }

    It 'works in Start-Job, Start-ThreadJob, ForEach-Object -Parallel and [powershell]::Create() as the first thing the process does' {
        $ids = @((Invoke-Emulator Post seed @{ status = 'in_progress'; count = 4 }).data.id)
        $script = @"
`$ErrorActionPreference = 'Stop'
`$psd1 = '$script:Psd1'
`$ids = '$($ids -join "','")'
`$first = `$ids[0]
`$job = Start-ThreadJob { Import-Module `$using:psd1; (Stop-Batch -BatchId `$using:first -Force -PassThru).PSObject.TypeNames[0] }
'thread job: ' + (Receive-Job `$job -Wait -AutoRemoveJob -ErrorAction Stop)
'parallel: ' + (1..1 | ForEach-Object -Parallel { Import-Module `$using:psd1; (Stop-Batch -BatchId (`$using:ids)[1] -Force -PassThru).status })
`$ps = [powershell]::Create()
`$null = `$ps.AddScript("Import-Module '`$psd1'; (Stop-Batch -BatchId '`$(`$ids[2])' -Force -PassThru).id")
'runspace: ' + `$ps.Invoke()[0] + ' errors: ' + `$ps.Streams.Error.Count
Import-Module `$psd1
'here: ' + (Stop-Batch -BatchId `$ids[3] -Force -PassThru).status
"@
        $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment $script:Settings
        $r.Error | Should -BeNullOrEmpty
        $r.Lines | Should -Be @('thread job: PSOpenAI.Batch', 'parallel: cancelling', "runspace: $($ids[2]) errors: 0", 'here: cancelling')
        @(Get-CancelRequests).Count | Should -BeGreaterOrEqual 4
    }
}

Describe 'Start-Job' {
    It 'runs the cmdlets in a background job (a child pwsh on a cold cache): objects come back, errors are errors' {
        $b = New-TestBatch
        $saved = @{}
        foreach ($name in @($script:Settings.Keys) + 'XDG_CACHE_HOME') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        $cache = New-ColdCacheDirectory
        try {
            # The job's process inherits this environment.
            foreach ($name in $script:Settings.Keys) { [Environment]::SetEnvironmentVariable($name, $script:Settings[$name]) }
            $env:XDG_CACHE_HOME = $cache
            $job = Start-Job -ArgumentList $script:Psd1, $b.id {
                param($psd1, $id)
                Import-Module $psd1 -ErrorAction Stop
                $stopped = Stop-Batch -BatchId $id -Force -PassThru
                [pscustomobject]@{ Type = $stopped.PSObject.TypeNames[0]; Status = $stopped.status; Id = $stopped.id
                                   Listed = @(Get-Batch -Limit 5).Count }
                Get-Batch -BatchId 'batch_missing' -ErrorAction Continue
            }
            $out = @(Receive-Job $job -Wait -ErrorVariable jobErrors -ErrorAction SilentlyContinue)
            $state = $job.State
            Remove-Job $job -Force
        } finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            Remove-Item -LiteralPath $cache -Recurse -Force -ErrorAction Ignore
        }
        $state | Should -Be 'Completed'
        $out.Count | Should -Be 1
        $out[0].Type | Should -Be 'PSOpenAI.Batch'
        $out[0].Status | Should -Be 'cancelling'
        $out[0].Id | Should -Be $b.id
        $out[0].Listed | Should -BeGreaterThan 0
        @($jobErrors).Count | Should -Be 1
        "$($jobErrors[0])" | Should -Not -Match 'null-valued'
        (Get-CancelRequests).path | Should -Contain "/v1/batches/$($b.id)/cancel"
    }
}

Describe 'A real interactive console (tmux)' -Skip:(-not (Get-Command tmux -CommandType Application -ErrorAction Ignore)) {
    BeforeAll {
        $script:Socket = "psbridge-$PID"
        $script:Cache = New-ColdCacheDirectory
        $script:Listed = New-TestBatch
        $envArgs = foreach ($name in $script:Settings.Keys) { '-e'; "$name=$($script:Settings[$name])" }
        & tmux -L $script:Socket new-session -d -s first-run -x 150 -y 45 @envArgs -e "XDG_CACHE_HOME=$script:Cache" `
            "$(Get-TestPwshPath) -NoProfile"
        $script:Prompt = Wait-TmuxScreen $script:Socket first-run -Join -Until { param($s) $s -match 'PS .*> ?$' }
    }
    AfterAll {
        & tmux -L $script:Socket kill-server 2>$null
        Set-EmulatorStepSeconds $null
        Remove-Item -LiteralPath $script:Cache -Recurse -Force -ErrorAction Ignore
    }

    It 'starts an interactive prompt' {
        $script:Prompt | Should -Match 'PS .*>'
    }

    It 'imports the module and shows the objects a cmdlet returns' {
        & tmux -L $script:Socket send-keys -t first-run "Import-Module '$script:Psd1'; Get-Batch -BatchId $($script:Listed.id) | Format-List id, status, @{ n = 'type'; e = { `$_.PSObject.TypeNames[0] } }" Enter
        $screen = Wait-TmuxScreen $script:Socket first-run -Join -Until { param($s) $s -match 'type\s*: PSOpenAI\.Batch|null-valued|Exception|Error' }
        $screen | Should -Not -Match 'null-valued'
        $screen | Should -Match "id\s*: $($script:Listed.id)"
        $screen | Should -Match 'type\s*: PSOpenAI\.Batch'
    }

    It 'shows a progress bar during Wait-Batch, then the finished batch' {
        Set-EmulatorStepSeconds 2       # validating -> in_progress -> finalizing -> completed: about 6 s
        $waited = New-TestBatch 'validating'
        & tmux -L $script:Socket send-keys -t first-run "`$done = Wait-Batch -BatchId $($waited.id); 'waited: ' + `$done.status" Enter
        $during = Wait-TmuxScreen $script:Socket first-run -Join -Until { param($s) $s -match 'Status: (validating|in_progress|finalizing)' } -TimeoutSec 20
        $during | Should -Match 'Status: (validating|in_progress|finalizing)'
        $after = Wait-TmuxScreen $script:Socket first-run -Join -Until { param($s) $s -match 'waited: \w+' } -TimeoutSec 30
        $after | Should -Match 'waited: completed'
        $after | Should -Not -Match 'null-valued|Exception'
    }

    It 'writes -Stream''s pieces as they arrive, and Ctrl+C ends the stream at once' {
        Add-EmulatorFault @{ method = 'POST'; path_prefix = '/v1/chat/completions'; stall_after = 700; stall = 30; count = $null }
        try {
            & tmux -L $script:Socket send-keys -t first-run "Request-ChatCompletion -Message 'A long question to answer' -Stream | ForEach-Object { Write-Host `"<`$_>`" -NoNewline }" Enter
            $during = Wait-TmuxScreen $script:Socket first-run -Join -Until { param($s) $s -match '<Emul><ated>' } -TimeoutSec 30
            $during | Should -Match '<Emul><ated>' -Because 'the pieces before the stall are on the screen while the rest is held back'
            (Invoke-Emulator Get faults/stalled).stalled | Should -Be 1
            $watch = [Diagnostics.Stopwatch]::StartNew()
            & tmux -L $script:Socket send-keys -t first-run C-c
            & tmux -L $script:Socket send-keys -t first-run "'after ctrl-c: ' + 'ok'" Enter
            $after = Wait-TmuxScreen $script:Socket first-run -Join -Until { param($s) $s -match "after ctrl-c: ok" } -TimeoutSec 10
            $watch.Stop()
            $after | Should -Match 'after ctrl-c: ok'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5 -Because 'the stream ends at Ctrl+C, not when the server lets go (30 s)'
            $after | Should -Not -Match 'Exception|PythonError'
        } finally {
            $null = Invoke-Emulator Delete faults
            $null = Invoke-Emulator Post faults/release
        }
    }

    It 'names the batches -Split started when Ctrl+C stops it midway (they run on)' {
        # (the GIL taken first, as any thread must: the module's import released it)
        & tmux -L $script:Socket send-keys -t first-run "`$gil = [Python.Runtime.Py]::GIL(); [Python.Runtime.PythonEngine]::Exec('from cmdlets.batch import limits; limits.MAX_REQUESTS = 2'); `$gil.Dispose()" Enter
        Add-EmulatorFault @{ method = 'POST'; path = '/v1/files'; skip = 1; delay = 30 }    # the second part's upload hangs
        try {
            Clear-ApiRequests
            & tmux -L $script:Socket send-keys -t first-run "1..5 | ForEach-Object { [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = `"r`$_`"; method = 'POST'; url = '/v1/chat/completions'; body = @{ model = 'm'; messages = @() } } } | Start-Batch -Split" Enter
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (@(Get-ApiRequests | Where-Object path -eq '/v1/files').Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $started = @(Get-ApiRequests | Where-Object path -eq '/v1/batches')
            $started.Count | Should -Be 1 -Because 'the first part started its batch; the second part''s upload is in flight'
            & tmux -L $script:Socket send-keys -t first-run C-c
            & tmux -L $script:Socket send-keys -t first-run "'after split: ' + 'ok'" Enter
            $after = Wait-TmuxScreen $script:Socket first-run -Join -Until { param($s) $s -match 'after split: ok' } -TimeoutSec 10
            $id = ((Invoke-EmulatorApi Get 'batches?limit=1').Content | ConvertFrom-Json).data[0].id     # the newest
            $after | Should -Match "WARNING: Batches started before the stop \(Get-Batch lists them; Stop-Batch cancels\): $id\."
            $after | Should -Not -Match 'Exception|PythonError'
        } finally {
            $null = Invoke-Emulator Delete faults
            & tmux -L $script:Socket send-keys -t first-run "`$gil = [Python.Runtime.Py]::GIL(); [Python.Runtime.PythonEngine]::Exec('from cmdlets.batch import limits; limits.MAX_REQUESTS = 50_000'); `$gil.Dispose()" Enter
        }
    }

    It 'exits' {
        & tmux -L $script:Socket send-keys -t first-run 'exit' Enter
        $watch = [Diagnostics.Stopwatch]::StartNew()
        function Test-Session { & tmux -L $script:Socket has-session -t first-run 2>$null; $LASTEXITCODE -eq 0 }
        while ((Test-Session) -and $watch.Elapsed.TotalSeconds -lt 20) { Start-Sleep -Milliseconds 100 }
        Test-Session | Should -BeFalse
    }
}

Describe 'Two copies of the module in one process' {
    It 'refuses the second copy with an error naming both locations, and keeps the first working' {
        $copy = Join-Path ([IO.Path]::GetTempPath()) "psbridge-copy-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $copy
        try {
            foreach ($folder in 'psbridge', 'cmdlets', 'manifests') {
                Copy-Item -Recurse -LiteralPath (Join-Path (Get-TestRepo) $folder) -Destination $copy
            }
            $second = Join-Path $copy 'psbridge/PSOpenAIBridge.psd1'
            $b = New-TestBatch
            $script = "Import-Module '$script:Psd1'; try { Import-Module '$second' -ErrorAction Stop; 'imported' } catch { 'refused: ' + `$_ }; " +
                "(Stop-Batch -BatchId '$($b.id)' -Force -PassThru).status"
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment ($script:Settings + @{ PSOPENAIBRIDGE_PYTHON = Get-TestPython })
        } finally { Remove-Item -LiteralPath $copy -Recurse -Force -ErrorAction Ignore }
        $r.Lines[0] | Should -BeLike 'refused: *'
        $first = (Resolve-Path (Join-Path (Get-TestRepo) 'psbridge')).Path
        $r.Lines[0] | Should -BeLike "*'$first'*"
        $r.Lines[0] | Should -BeLike "*'$((Get-Item -LiteralPath ([IO.Path]::GetTempPath())).FullName.TrimEnd('/'))*psbridge-copy-*'*"
        $r.Lines[1] | Should -Be 'cancelling'
    }
}
