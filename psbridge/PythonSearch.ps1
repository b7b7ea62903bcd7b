# The interpreter's search and probe: what the first import of the module (or one after anything it found has
# changed) needs, and no other, so the psm1 dot-sources this file then only (Start-PSOpenAIBridgeImport) rather than
# PowerShell parsing it at every import. What it finds is kept for the next import: boot/Boot.cs's ReadKept.

function Test-PSOpenAIBridgeKeptFolder([string]$Folder) {
    # Whether the folder of kept files can be changed by this user only, as ssh treats ~/.ssh: a directory (not a
    # link), the user's own, writable by nobody else; the folder above it the user's or root's, and not writable by
    # all unless sticky (/tmp), since it could swap the folder. Asked before writing the probe's answer there (what
    # it names is loaded and run); the same rules as psbridge/startup.py's _safe_folder, which also checks each
    # kept text and pickle as it reads them. Not on Windows: local application data is per user there. (Through
    # PowerShell's own stat, Platform.Unix.GetLStat/GetStat, and .NET's geteuid: not public, so a pwsh without
    # them keeps nothing.)
    if ($IsWindows) { return $true }
    try {
        if ($null -eq $script:UnixStat) {
            $flags = [Reflection.BindingFlags]'Public, NonPublic, Static'
            $unix = [psobject].Assembly.GetType('System.Management.Automation.Platform+Unix')
            $script:UnixStat = @($unix.GetMethod('GetLStat', $flags), $unix.GetMethod('GetStat', $flags),
                [long][type]::GetType('Interop+Sys, System.Private.CoreLib').GetMethod('GetEUid', $flags).Invoke($null, $null))
        }
        $lstat, $stat, $euid = $script:UnixStat
        $st = $lstat.Invoke($null, @($Folder))
        if ($st.UserId -ne $euid -or ($st.Mode -band 0xF012) -ne 0x4000) { return $false }     # S_IFDIR, no g/o write
        $st = $stat.Invoke($null, @([IO.Path]::GetDirectoryName($Folder)))
        ($st.UserId -eq $euid -or $st.UserId -eq 0) -and (-not ($st.Mode -band 2) -or ($st.Mode -band 512))
    } catch { $false }
}

$script:UnixStat = $null

function Get-PSOpenAIBridgePython {
    $ErrorActionPreference = 'Stop'     # here only: the generated functions must not inherit it
    # Which interpreter to host, and what hosting it needs (asked once per process, from the interpreter), and
    # the Python.Runtime.dll to host it with; kept for the next import (PSOpenAIBridge.Boot's ReadKept).
    $recordPath = [IO.Path]::Combine($PSScriptRoot, 'PSOpenAIBridge.install.json')
    $record = $null     # written by `python -m psbridge install` (psbridge/install.py)
    if ([IO.File]::Exists($recordPath)) {
        $json = ConvertFrom-PSOpenAIBridgeJson ([IO.File]::ReadAllText($recordPath))
        $record = @{ python = [string]$json.python; runtime_dll = [string]$json.runtime_dll }
    }
    $exe = $(if ($IsWindows) { 'Scripts/python.exe' } else { 'bin/python' })
    $python = $env:PSOPENAIBRIDGE_PYTHON
    $fromPath = $false
    if ($python -and -not [IO.Path]::IsPathRooted($python)) {
        # A bare name is looked for on PATH (Find-PSOpenAIBridgeOnPath); a relative path would name another file in
        # each folder pwsh is started in, so it is refused, as .NET's Process.Start would look in the current folder.
        if ($python.IndexOfAny([char[]]'/\') -ge 0) { throw "PSOpenAIBridge: PSOPENAIBRIDGE_PYTHON must be a full path or a name found on PATH, not the relative path '$python'." }
        $fromPath = $true
        $python = Find-PSOpenAIBridgeOnPath $python
        if (-not $python) { throw "PSOpenAIBridge: PSOPENAIBRIDGE_PYTHON '$env:PSOPENAIBRIDGE_PYTHON' was not found in PATH's folders." }
    }
    # (The record's paths are full ones, as install.py writes them; anything else is not looked for from here.)
    if (-not $python -and $record -and [IO.Path]::IsPathRooted($record.python) -and [IO.File]::Exists($record.python)) { $python = $record.python }
    if (-not $python) {
        # Installed by pip into a virtual environment: <venv>/lib/pythonX.Y/site-packages/psbridge (Windows:
        # <venv>/Lib/site-packages/psbridge), perhaps reached through a link in a module folder.
        $folder = [IO.DirectoryInfo]::new($PSScriptRoot)
        $target = $folder.ResolveLinkTarget($true)
        if ($target) { $folder = [IO.DirectoryInfo]::new($target.FullName) }
        if ($folder.Parent -and $folder.Parent.Name -eq 'site-packages') {
            foreach ($venv in $folder.Parent.Parent, $folder.Parent.Parent.Parent) {
                $candidate = if ($venv) { [IO.Path]::Combine($venv.FullName, $exe) }
                if (-not $python -and $candidate -and [IO.File]::Exists($candidate) -and
                    [IO.File]::Exists([IO.Path]::Combine($venv.FullName, 'pyvenv.cfg'))) { $python = $candidate }
            }
        }
    }
    if (-not $python) {
        $candidate = [IO.Path]::Combine($script:ModuleRoot, '.venv', $exe)
        $fromPath = -not [IO.File]::Exists($candidate)
        $python = if (-not $fromPath) { $candidate } else { Find-PSOpenAIBridgeOnPath python3, python }
    }
    if (-not $python) { throw 'PSOpenAIBridge: no Python found. Run `python -m psbridge install` with the Python that has psopenai-batch, put python3 on PATH, or set PSOPENAIBRIDGE_PYTHON.' }
    # Process.Start rather than `& $python`: the native-command machinery costs a cold pwsh ~50 ms more.
    $psi = [Diagnostics.ProcessStartInfo]::new($python)
    $psi.ArgumentList.Add([IO.Path]::Combine($PSScriptRoot, 'probe.py'))
    $psi.RedirectStandardOutput = $psi.RedirectStandardError = $true
    $psi.StandardOutputEncoding = [Text.Encoding]::UTF8
    $psi.UseShellExecute = $false
    try {
        $process = [Diagnostics.Process]::Start($psi)
    } catch {
        throw "PSOpenAIBridge: '$python' could not be started: $($_.Exception.GetBaseException().Message)"
    }
    $stderr = $process.StandardError.ReadToEndAsync()
    $answer = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    if ($process.ExitCode -ne 0 -or -not $answer) {
        throw "PSOpenAIBridge: '$python' failed (exit code $($process.ExitCode)): $($stderr.Result.Trim())"
    }
    # executable, version, libpython, runtime_dll, then sys.path (probe.py)
    $probe = $answer.Split([char]0)
    $info = @{ executable = $probe[0]; libpython = $probe[2]; runtime_dll = $probe[3]; path = Get-PSOpenAIBridgeRest $probe 4 }
    # The record's DLL goes with the record's interpreter only.
    $info.recorded_runtime_dll = if ($record -and $record.runtime_dll -and $python -eq $record.python) { $record.runtime_dll }
    # The DLL loaded already (the PowerShell Gallery package's loader brings its own), else the one to load.
    $loaded = 'Python.Runtime.PythonEngine' -as [type]
    $info.dll = if ($loaded) { $loaded.Assembly.Location } else { Find-PSOpenAIBridgeRuntimeDll $info }
    Save-PSOpenAIBridgeProbeCache $python $fromPath $info $probe
    $info
}

function Find-PSOpenAIBridgeOnPath([string[]]$Names) {
    # The first of $Names in PATH's folders (each name through every folder before the next, as Get-Command
    # python3, python finds them), an executable file, or $null. Only folders PATH gives by full path: a '.', an
    # empty or another relative entry would make the python3 of whatever folder pwsh was started in the one hosted.
    foreach ($name in $Names) {
        if ($IsWindows -and -not $name.EndsWith('.exe', [StringComparison]::OrdinalIgnoreCase)) { $name += '.exe' }
        foreach ($folder in ([string]$env:PATH).Split([IO.Path]::PathSeparator)) {
            if (-not [IO.Path]::IsPathRooted($folder)) { continue }
            $candidate = [IO.Path]::Combine($folder, $name)
            if ([IO.File]::Exists($candidate) -and ($IsWindows -or ([IO.File]::GetUnixFileMode($candidate) -band 73))) { return $candidate }
        }
    }
}

function Save-PSOpenAIBridgeProbeCache([string]$Python, [bool]$FromPath, $Info, [string[]]$Probe) {
    # Keeps what Get-PSOpenAIBridgePython found for the next import (one file per module folder, in the user's local
    # application data; read by boot/Boot.cs's ReadKept), valid while Boot's ProbeKey gives the same and these paths
    # keep their file times: the interpreter (a venv's link) and what it points to, each folder of its sys.path
    # (installing a package or a .pth file changes its site-packages folder), libpython, and the DLL with its
    # NuGet package folder (a newer version restored beside it).
    $path = $script:Boot::CachePath($PSScriptRoot, 'probe', 'txt')
    if (-not $path) { return }
    $temporary = $null
    try {
        $target = [IO.FileInfo]::new($Python).ResolveLinkTarget($true)
        # Not kept when $Python is not, through its links, the interpreter that answered: a launcher (a pyenv shim,
        # a wrapper script) picks the Python it runs from what no stamp here sees (PYENV_VERSION, a .python-version
        # file), so it is asked again each time. Nor for a name resolved against PATH or the current folder.
        $answered = [IO.FileInfo]::new($Probe[0]).ResolveLinkTarget($true)
        $answered = if ($answered) { $answered.FullName } else { [IO.Path]::GetFullPath($Probe[0]) }
        if (-not [IO.Path]::IsPathRooted($Python) -or -not [string]::Equals($answered,
                $(if ($target) { $target.FullName } else { [IO.Path]::GetFullPath($Python) }),
                $(if ($IsWindows) { [StringComparison]::OrdinalIgnoreCase } else { [StringComparison]::Ordinal }))) { return }
        $stamped = [System.Collections.Generic.List[string]]::new()
        $stamped.Add($Python)
        if ($target) { $stamped.Add($target.FullName) }
        if ($FromPath) {
            # Found on PATH: a python3 added to a folder before its own (an install, a link in ~/.local/bin) is the one
            # a search finds next, so those folders are stamped too (all of them for a `python`: any python3 wins).
            $found = [IO.Path]::GetDirectoryName($Python)
            $python3 = [IO.Path]::GetFileNameWithoutExtension($Python) -eq 'python3'
            foreach ($folder in $env:PATH.Split([IO.Path]::PathSeparator)) {
                if ($python3 -and $folder -eq $found) { break }
                if ($folder) { $stamped.Add($folder) }
            }
        }
        foreach ($folder in $Info.path) { if ($folder) { $stamped.Add($folder) } }
        $stamped.Add($Info.libpython)
        $stamped.Add($Info.dll)
        $package = $Info.dll    # <package>/<version>/lib/<framework>/Python.Runtime.dll from NuGet
        foreach ($up in 1..4) { if ($package) { $package = [IO.Path]::GetDirectoryName($package) } }
        if ($package) { $stamped.Add($package) }
        $times = foreach ($stamp in $stamped) { [IO.File]::GetLastWriteTimeUtc($stamp).Ticks }
        $fields = @($script:Boot::ProbeFormat, $script:Boot::ProbeKey($PSScriptRoot, $FromPath), $Python, $Info.dll,
                    [string]::Join([char]9, $stamped), [string]::Join([char]9, [long[]]$times)) + $Probe
        # Written whole under a name no one can guess (nor have put a link at), then renamed: a reader never sees
        # half a file. Private: the folder 0700 (the user's own made so; anyone else's not written to), the file 0600.
        $folder = [IO.Path]::GetDirectoryName($path)
        $null = [IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($folder))
        $options = [IO.FileStreamOptions]@{ Mode = 'CreateNew'; Access = 'Write' }
        if ($IsWindows) { $null = [IO.Directory]::CreateDirectory($folder) } else {
            $null = [IO.Directory]::CreateDirectory($folder, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
            $options.UnixCreateMode = [IO.UnixFileMode]'UserRead, UserWrite'
            $safe = Test-PSOpenAIBridgeKeptFolder $folder
            $st = $script:UnixStat[0].Invoke($null, @($folder))
            if ($st.UserId -eq $script:UnixStat[2] -and ($st.Mode -band 0xF000) -eq 0x4000 -and ($st.Mode -band 63)) {
                # (made by an earlier version, or under umask 002)
                [IO.File]::SetUnixFileMode($folder, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
                $safe = Test-PSOpenAIBridgeKeptFolder $folder
            }
            if (-not $safe) { return }
        }
        $name = "$path.$([IO.Path]::GetRandomFileName()).tmp"
        $stream = [IO.FileStream]::new($name, $options)
        $temporary = $name
        try {
            $bytes = [Text.Encoding]::UTF8.GetBytes([string]::Join([char]0, [string[]]$fields))
            $stream.Write($bytes, 0, $bytes.Length)
        } finally { $stream.Dispose() }
        [IO.File]::Move($temporary, $path, $true)
        $temporary = $null
    } catch {       # a read-only home: searched and probed each time, as before
        if ($temporary) { try { [IO.File]::Delete($temporary) } catch { } }
    }
}

function Find-PSOpenAIBridgeRuntimeDll($PythonInfo) {
    if ($env:PSOPENAIBRIDGE_RUNTIME_DLL) {
        # (Assembly.LoadFrom would take a relative path from the current folder, wherever pwsh was started.)
        if (-not [IO.Path]::IsPathRooted($env:PSOPENAIBRIDGE_RUNTIME_DLL)) { throw "PSOpenAIBridge: PSOPENAIBRIDGE_RUNTIME_DLL must be a full path, not '$env:PSOPENAIBRIDGE_RUNTIME_DLL'." }
        return $env:PSOPENAIBRIDGE_RUNTIME_DLL
    }
    if ([IO.Path]::IsPathRooted($PythonInfo.recorded_runtime_dll) -and [IO.File]::Exists($PythonInfo.recorded_runtime_dll)) { return $PythonInfo.recorded_runtime_dll }
    if ($PythonInfo.runtime_dll) { return $PythonInfo.runtime_dll }
    # The newest NuGet package pythonnet: the one tools/setup-powershell.sh restored into a checkout, else
    # NuGet's global packages folder (where `dotnet restore` puts it).
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else {
        [IO.Path]::Combine([Environment]::GetFolderPath('UserProfile'), '.nuget', 'packages') }
    foreach ($root in [IO.Path]::Combine($script:ModuleRoot, '.tools', 'nuget'), $nuget) {
        $packages = [IO.Path]::Combine($root, 'pythonnet')
        $best = $null
        if ([IO.Directory]::Exists($packages)) {
            foreach ($folder in [IO.Directory]::GetDirectories($packages)) {
                $dll = [IO.Path]::Combine($folder, 'lib', 'netstandard2.0', 'Python.Runtime.dll')
                $version = [IO.Path]::GetFileName($folder) -as [version]
                if ($version -and [IO.File]::Exists($dll) -and (-not $best -or $version -gt $best.Version)) {
                    $best = @{ Version = $version; Path = $dll }
                }
            }
        }
        if ($best) { return $best.Path }
    }
    throw 'PSOpenAIBridge: Python.Runtime.dll not found. pip install pythonnet, restore the NuGet package pythonnet (into ~/.nuget/packages), run `python -m psbridge install --runtime-dll PATH`, or set PSOPENAIBRIDGE_RUNTIME_DLL.'
}
