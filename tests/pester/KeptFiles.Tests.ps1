# What the import keeps in <local application data>/PSOpenAIBridge (the probe's answer, whose DLL and libpython it
# loads; the generated functions, which it dot-sources) is run as the user: what is written is private, and a kept
# function text or pickle someone else could have written is not used, as ssh treats ~/.ssh (the probe's answer is
# not checked on reading: README, Cold start). And the interpreter is never one that the current folder supplies. Real owners and modes: "someone else" is uid 65534 (nobody); the tests run as root.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator
    $script:Psd1 = Get-TestModulePath
    $script:Settings = @{ OPENAI_API_BASE = $script:Emu.Base; OPENAI_API_KEY = Get-TestApiKey }
    $script:Script = "Import-Module '$script:Psd1' -ErrorAction Stop; Get-Batch -Limit 1 | ForEach-Object { if (`$_ -is [string]) { `$_ } else { `$_.PSObject.TypeNames[0] } }; 'done'"

    function New-DataFolder { Join-Path ([IO.Path]::GetTempPath()) "psbridge-kept-$([guid]::NewGuid().ToString('N'))" }

    function Get-Mode([string]$Path) { [Convert]::ToString([int](Get-Item -LiteralPath $Path -Force).UnixFileMode, 8) }

    function Set-EvilKeptFiles([string]$Folder) {
        # What someone able to write the files would write: a function text valid for its key, hash and all, that
        # redefines Get-Batch (the hash beside the text proves nothing against them). (The probe's answer is not
        # checked so: README, Cold start.)
        $functions = (Get-ChildItem -LiteralPath $Folder -Filter 'functions-*.ps1').FullName
        $whole = [IO.File]::ReadAllText($functions)
        $key = $whole.Substring(0, $whole.IndexOf("`n")).Split(' ')[0]
        $rest = $whole.Substring($whole.IndexOf("`n") + 1) + "`nfunction Get-Batch { 'EVIL' }`n"
        $hash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($rest))).ToLowerInvariant()
        [IO.File]::WriteAllText($functions, "$key $hash`n$rest")
        , @($functions)
    }

    function Invoke-WithUmask([string]$Umask, [string]$Command, [hashtable]$Environment) {
        $psi = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in '-c', "umask $Umask; exec `"`$0`" -NoProfile -NonInteractive -Command `"`$1`"", (Get-TestPwshPath), $Command) { $psi.ArgumentList.Add($a) }
        foreach ($name in $Environment.Keys) { $psi.Environment[$name] = $Environment[$name] }
        $psi.RedirectStandardOutput = $psi.RedirectStandardError = $true
        $child = [Diagnostics.Process]::Start($psi)
        $stderr = $child.StandardError.ReadToEndAsync()
        $out = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit()
        [pscustomobject]@{ Lines = @($out -split '\r?\n' | Where-Object { $_ }); Error = $stderr.Result }
    }
}

AfterAll { Stop-TestEmulator }

Describe 'The files the import keeps' -Skip:$IsWindows {
    It 'are private (a 0700 folder, 0600 files) under umask <Umask>' -ForEach @(@{ Umask = '022' }, @{ Umask = '002' }) {
        $data = New-DataFolder
        try {
            $r = Invoke-WithUmask $Umask $script:Script ($script:Settings + @{ XDG_DATA_HOME = $data; XDG_CACHE_HOME = (New-ColdCacheDirectory) })
            $r.Error | Should -BeNullOrEmpty
            $r.Lines[-1] | Should -Be 'done'
            $folder = Join-Path $data 'PSOpenAIBridge'
            Get-Mode $folder | Should -Be '700'
            $kept = @(Get-ChildItem -LiteralPath $folder -Force)
            $kept.Name | Should -HaveCount 3        # probe, functions, manifests; no temporary file left
            foreach ($file in $kept) { Get-Mode $file.FullName | Should -Be '600' }
            # and used by the next process (this umask's group-writable folder above is no reason to refuse them)
            $probe = (Get-Item -LiteralPath ($kept | Where-Object Name -like 'probe-*').FullName).LastWriteTimeUtc
            $r = Invoke-WithUmask $Umask $script:Script ($script:Settings + @{ XDG_DATA_HOME = $data; XDG_CACHE_HOME = (New-ColdCacheDirectory) })
            $r.Lines[-1] | Should -Be 'done'
            (Get-Item -LiteralPath ($kept | Where-Object Name -like 'probe-*').FullName).LastWriteTimeUtc | Should -Be $probe
        } finally { Remove-Item -LiteralPath $data -Recurse -Force -ErrorAction Ignore }
    }

    It 'the generated functions are not used when <How>: made again' -ForEach @(
        @{ How = 'owned by another user'; Change = { param($files, $folder) foreach ($f in $files) { & chown 65534:65534 $f } } }
        @{ How = 'writable by all'; Change = { param($files, $folder) foreach ($f in $files) { & chmod o+w $f } } }
        @{ How = 'writable by the group'; Change = { param($files, $folder) foreach ($f in $files) { & chmod g+w $f } } }
        @{ How = 'links to files elsewhere'; Change = { param($files, $folder)
            foreach ($f in $files) { Move-Item -LiteralPath $f "$f.elsewhere"; $null = New-Item -ItemType SymbolicLink -Path $f -Value "$f.elsewhere" } } }
        # (the group's member's function text is theirs: not used; the folder is made private again, then the text
        # kept anew)
        @{ How = 'in a folder the group can write'; Change = { param($files, $folder) & chmod 770 $folder; & chown 65534:65534 $files[0] } }
        @{ How = 'in a folder another user owns'; Change = { param($files, $folder) & chown 65534:65534 $folder } }
        @{ How = 'in a folder in one all can write (not sticky)'; Change = { param($files, $folder) & chmod 777 ([IO.Path]::GetDirectoryName($folder)) } }
    ) {
        $data = New-DataFolder
        try {
            $settings = $script:Settings + @{ XDG_DATA_HOME = $data }
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script:Script -Environment $settings
            $r.Error | Should -BeNullOrEmpty
            $folder = Join-Path $data 'PSOpenAIBridge'
            $files = Set-EvilKeptFiles $folder
            # (the user's own files as they are: used, which is what the rest makes sure cannot happen)
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script:Script -Environment $settings
            $r.Lines | Should -Contain 'EVIL'
            & $Change $files $folder
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script:Script -Environment $settings
            $r.Error | Should -BeNullOrEmpty
            $r.Lines | Should -Not -Contain 'EVIL'
            $r.Lines[-1] | Should -Be 'done'
            if ($How -notlike '*another user owns*' -and $How -notlike '*all can write*') {
                Get-Mode $folder | Should -Be '700'         # made private again, and kept anew
                foreach ($f in $files) {
                    (Get-Item -LiteralPath $f).LinkType | Should -BeNullOrEmpty
                    Get-Mode $f | Should -Be '600'
                    [IO.File]::ReadAllText($f) | Should -Not -Match 'Evil|EVIL'
                }
            }
        } finally {
            Remove-Item -LiteralPath $data -Recurse -Force -ErrorAction Ignore
        }
    }
}

Describe 'The interpreter hosted' -Skip:$IsWindows {
    BeforeAll {
        # A folder holding a python3 that leaves a mark when run: the folder pwsh happens to be started in.
        $script:Data = New-DataFolder
        $script:Cwd = Join-Path $script:Data 'cwd'
        $script:Mark = Join-Path $script:Data 'ran'
        $null = New-Item -ItemType Directory -Force $script:Cwd, (Join-Path $script:Data 'bin')
        foreach ($name in 'python3', 'Python.Runtime.dll') {
            Set-Content -LiteralPath (Join-Path $script:Cwd $name) -Value "#!/bin/sh`necho ran > '$script:Mark'; exit 1"
            & chmod +x (Join-Path $script:Cwd $name)
        }
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $script:Data 'bin/python3') -Value (Get-TestPython)
        $script:Executable = "Import-Module '{0}' -ErrorAction Stop; `$null = Get-Batch -Limit 1; `$gil = [Python.Runtime.Py]::GIL(); " +
            "try { `$s = [Python.Runtime.PyDict]::new(); [Python.Runtime.PythonEngine]::Exec('import sys; e = sys.executable', `$s); `$s.GetItem('e').ToString() } finally { `$gil.Dispose() }"
    }
    AfterAll { Remove-Item -LiteralPath $script:Data -Recurse -Force -ErrorAction Ignore }
    AfterEach { Remove-Item -LiteralPath $script:Mark -ErrorAction Ignore }

    It 'is not the current folder''s python3 when PATH has "." (a copy with no .venv: the interpreter comes from PATH)' {
        $copy = Join-Path $script:Data 'copy'
        foreach ($folder in 'psbridge', 'cmdlets', 'manifests') {
            Copy-Item -Recurse -LiteralPath (Join-Path (Get-TestRepo) $folder) -Destination (New-Item -ItemType Directory -Force $copy)
        }
        $settings = $script:Settings + @{ XDG_DATA_HOME = (Join-Path $script:Data 'data'); NUGET_PACKAGES = (Join-Path (Get-TestRepo) '.tools/nuget')
            PATH = ".$([IO.Path]::PathSeparator)$([IO.Path]::PathSeparator)$script:Data/bin$([IO.Path]::PathSeparator)$env:PATH" }
        $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script:Executable.Replace('{0}', "$copy/psbridge/PSOpenAIBridge.psd1") -Environment $settings -WorkingDirectory $script:Cwd
        $r.Error | Should -BeNullOrEmpty
        $r.Lines | Should -Be @("$script:Data/bin/python3")
        $script:Mark | Should -Not -Exist
    }

    It 'is looked for on PATH, not in the current folder, for PSOPENAIBRIDGE_PYTHON=python3' {
        $settings = $script:Settings + @{ XDG_DATA_HOME = (Join-Path $script:Data 'data'); PSOPENAIBRIDGE_PYTHON = 'python3'
            PATH = "$script:Data/bin$([IO.Path]::PathSeparator)$env:PATH" }
        $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script:Executable.Replace('{0}', $script:Psd1) -Environment $settings -WorkingDirectory $script:Cwd
        $r.Error | Should -BeNullOrEmpty
        $r.Lines | Should -Be @("$script:Data/bin/python3")
        $script:Mark | Should -Not -Exist
    }

    It 'is refused, with the reason, when <Name> is a relative path' -ForEach @(
        @{ Name = 'PSOPENAIBRIDGE_PYTHON'; Value = './python3' }, @{ Name = 'PSOPENAIBRIDGE_RUNTIME_DLL'; Value = 'Python.Runtime.dll' }
    ) {
        $settings = $script:Settings + @{ XDG_DATA_HOME = (Join-Path $script:Data 'data'); $Name = $Value }
        $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script:Executable.Replace('{0}', $script:Psd1) -Environment $settings -WorkingDirectory $script:Cwd
        $r.Error | Should -Match "$Name must be a full path"
        $script:Mark | Should -Not -Exist
    }
}
