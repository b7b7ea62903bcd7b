# Shared by the bridge's Pester tests: the emulator process (over loopback) and its control API.

$script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Emulator = $null
$script:ApiKey = 'sk-test-0123456789abcdefghijKLMN'     # long enough to be masked as 'sk-********MN'

function Get-TestRepo { $script:Repo }
function Get-TestApiKey { $script:ApiKey }
function Get-TestModulePath { Join-Path $script:Repo 'psbridge/PSOpenAIBridge.psd1' }

function Get-TestPython {
    # The interpreter the bridge hosts, by the bridge's own rules.
    if ($env:PSOPENAIBRIDGE_PYTHON) { return $env:PSOPENAIBRIDGE_PYTHON }
    $venv = Join-Path $script:Repo '.venv/bin/python'
    if (Test-Path $venv) { return $venv }
    (Get-Command python3 -CommandType Application | Select-Object -First 1).Source
}

function Start-TestEmulator([string[]]$ExtraArguments = @()) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-TestPython))
    foreach ($a in @('-m', 'openai_emulator', '--port', '0', '--api-key', $script:ApiKey) + $ExtraArguments) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $script:Repo
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait(20000) -or $read.Result -notmatch '^OPENAI_API_BASE=(.+)$') {
        if (-not $process.HasExited) { $process.Kill() }
        throw "the emulator did not start: '$($read.Result)'"
    }
    $base = $Matches[1].Trim()
    $script:Emulator = [pscustomobject]@{ Process = $process; Base = $base; Control = ($base -replace '/v1$', '/__emulator__') }
    $script:Emulator
}

function Stop-TestEmulator {
    if ($script:Emulator -and -not $script:Emulator.Process.HasExited) {
        $script:Emulator.Process.Kill()
        $null = $script:Emulator.Process.WaitForExit(10000)
    }
    $script:Emulator = $null
}

function Enter-TestEnvironment {
    # What the API test files share: an emulator, the OPENAI_* settings pointing at it (the caller's saved
    # for Exit-TestEnvironment), and the module imported afresh. Returns the emulator.
    $emulator = Start-TestEmulator
    $script:SavedEnv = @{}
    foreach ($name in 'OPENAI_API_BASE', 'OPENAI_API_KEY', 'OPENAI_ORGANIZATION') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        Remove-Variable -Name $name -Scope Global -ErrorAction Ignore
    }
    $env:OPENAI_API_BASE = $emulator.Base
    $env:OPENAI_API_KEY = $script:ApiKey
    $env:OPENAI_ORGANIZATION = $null
    Import-Module (Get-TestModulePath) -Force -ErrorAction Stop -Global
    $emulator
}

function Exit-TestEnvironment {
    foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
    Stop-TestEmulator
}

function Invoke-Emulator([string]$Method, [string]$Route, $Body) {
    $params = @{ Method = $Method; Uri = "$($script:Emulator.Control)/$Route" }
    if ($null -ne $Body) { $params.Body = ($Body | ConvertTo-Json -Depth 10 -Compress); $params.ContentType = 'application/json' }
    Invoke-RestMethod @params
}

function Reset-TestEmulator { $null = Invoke-Emulator Post reset }

function New-TestBatch([string]$Status = 'in_progress', [hashtable]$Extra = @{}) {
    $body = @{ status = $Status } + $Extra
    Invoke-Emulator Post seed $body
}

function New-TestBatchObject([string]$Status = 'in_progress') {
    # What Start-Batch / Get-Batch would return: the API object tagged PSOpenAI.Batch.
    $batch = New-TestBatch $Status
    $batch.PSObject.TypeNames.Insert(0, 'PSOpenAI.Batch')
    $batch
}

function Get-ApiRequests {
    # API requests only (the control API is not logged), oldest first.
    # Invoke-RestMethod hands a JSON array over as one object; enumerate it for Where-Object & co.
    foreach ($entry in (Invoke-Emulator Get requests)) { $entry }
}

function Get-CancelRequests {
    @(Get-ApiRequests | Where-Object { $_.method -eq 'POST' -and $_.path -match '/cancel$' })
}

function Set-EmulatorStepSeconds($Seconds) {
    $null = Invoke-Emulator Post config @{ step_seconds = $Seconds }
}

function Add-EmulatorFault([hashtable]$Rule) { $null = Invoke-Emulator Post faults $Rule }

function Clear-ApiRequests { $null = Invoke-Emulator Delete requests }

function Get-ListRequests([string]$Collection = 'batches') {
    # The list requests (GET /v1/<collection>?...) of the log, as 'path?query' strings.
    @(Get-ApiRequests | Where-Object { $_.method -eq 'GET' -and $_.path -match "^/v1/$Collection(\?|$)" } | ForEach-Object path)
}

function New-TestBatchInput([int]$Count = 4, [string]$Url = '/v1/chat/completions', [int]$From = 1) {
    # Request items as a user builds them for Start-Batch: PSCustomObjects tagged PSOpenAI.Batch.Input.
    foreach ($i in $From..($From + $Count - 1)) {
        [pscustomobject]@{
            PSTypeName = 'PSOpenAI.Batch.Input'
            custom_id  = "req-$i"
            method     = 'POST'
            url        = $Url
            body       = @{ model = 'gpt-4o-mini'; messages = @(@{ role = 'user'; content = "Say $i" }) }
        }
    }
}

function Invoke-EmulatorApi([string]$Method, [string]$Route, [hashtable]$Form) {
    # The API directly (logged like any API request), for setting up and reading back files.
    $params = @{ Method = $Method; Uri = "$($script:Emulator.Base)/$Route"; Headers = @{ Authorization = "Bearer $script:ApiKey" } }
    if ($Form) { $params.Form = $Form }
    Invoke-WebRequest @params
}

function New-TestFile([byte[]]$Content = [Text.Encoding]::UTF8.GetBytes('{"custom_id":"req-1","method":"POST","url":"/v1/chat/completions","body":{}}'),
                      [string]$Name = 'input.jsonl', [string]$Purpose = 'batch') {
    # An uploaded file, made without the bridge; the upload is cleared from the request log.
    $path = Join-Path ([IO.Path]::GetTempPath()) "psbridge-upload-$PID-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory -Path $path
    try {
        $file = Join-Path $path $Name
        [IO.File]::WriteAllBytes($file, $Content)
        $created = (Invoke-EmulatorApi Post files @{ purpose = $Purpose; file = Get-Item -LiteralPath $file }).Content | ConvertFrom-Json
    } finally {
        Remove-Item -LiteralPath $path -Recurse -Force
    }
    Clear-ApiRequests
    $created
}

function Get-TestFileContent([string]$FileId) {
    # The stored bytes of a file, read without the bridge (this request is logged).
    $response = Invoke-EmulatorApi Get "files/$FileId/content"
    if ($response.Content -is [byte[]]) { , $response.Content } else { , [Text.Encoding]::UTF8.GetBytes($response.Content) }
}

function Invoke-PythonCode([string]$Code) {
    # Runs Python in the hosted interpreter (for tests that look inside the bridge).
    $gil = [Python.Runtime.Py]::GIL()
    try { [Python.Runtime.PythonEngine]::Exec($Code) } finally { $gil.Dispose() }
}

function Get-PythonValue([string]$Expression) {
    # A Python expression's str(), evaluated in the hosted interpreter.
    $gil = [Python.Runtime.Py]::GIL()
    try {
        $scope = [Python.Runtime.PyDict]::new()
        [Python.Runtime.PythonEngine]::Exec("__value = str($Expression)", $scope)
        $scope.GetItem('__value').ToString()
    } finally { $gil.Dispose() }
}

function Find-PythonNetObject($Value, [int]$Depth = 0) {
    # Every value reachable from an output object whose type comes from pythonnet (there must be none).
    if ($null -eq $Value -or $Depth -gt 20) { return }
    $type = $Value.GetType()
    if ($type.Namespace -like 'Python.Runtime*') { return $type.FullName }
    if ($Value -is [System.Management.Automation.PSCustomObject] -or
        ($Value -is [psobject] -and $Value.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject])) {
        foreach ($p in $Value.PSObject.Properties) { Find-PythonNetObject $p.Value ($Depth + 1) }
    } elseif ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [string]) {
        foreach ($v in $Value) { Find-PythonNetObject $v ($Depth + 1) }
    }
}

function Invoke-InRunspace([scriptblock]$Script, [hashtable]$Variables = @{}) {
    # Runs a script in a fresh runspace with the module imported: no host to prompt, own streams.
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript("Import-Module '$((Get-TestModulePath) -replace "'", "''")' -ErrorAction Stop").AddStatement()
        foreach ($name in $Variables.Keys) {
            $null = $ps.AddCommand('Set-Variable').AddParameter('Name', $name).AddParameter('Value', $Variables[$name]).AddStatement()
        }
        $null = $ps.AddScript($Script.ToString())
        $output = $ps.Invoke()
        [pscustomobject]@{
            Output = @($output); Errors = @($ps.Streams.Error); Progress = @($ps.Streams.Progress)
            Verbose = @($ps.Streams.Verbose); Warning = @($ps.Streams.Warning); Debug = @($ps.Streams.Debug)
            HadErrors = $ps.HadErrors; Failure = $ps.InvocationStateInfo.Reason
        }
    } catch {
        [pscustomobject]@{ Output = @(); Errors = @($ps.Streams.Error); Progress = @(); Verbose = @(); Warning = @()
                           Debug = @(); HadErrors = $true; Failure = $_.Exception }
    } finally {
        $ps.Dispose()
    }
}

function Get-TestPwshPath {
    # pwsh as a dotnet tool runs under dotnet, so [Environment]::ProcessPath is only the fallback.
    $pwsh = (Get-Command pwsh -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source
    $pwsh ?? [Environment]::ProcessPath
}

function New-ColdCacheDirectory {
    # An empty XDG_CACHE_HOME: pwsh then has no startup-profile data (StartupProfileData-*), as on a fresh
    # machine, so what it preloads can never hide a missing assembly load of ours.
    $path = Join-Path ([IO.Path]::GetTempPath()) "psbridge-cold-cache-$PID-$([guid]::NewGuid().ToString('N'))"
    (New-Item -ItemType Directory -Path $path).FullName
}

function Invoke-TestPwsh([string[]]$Arguments, [hashtable]$Environment = @{}, [int]$TimeoutSec = 120, [string]$WorkingDirectory) {
    # A child pwsh on a cold cache (every child the tests start goes through here), in $WorkingDirectory if given
    # (the process's own current folder, which Set-Location in it does not change). Returns its stdout
    # lines, stderr text and exit code.
    $psi = [Diagnostics.ProcessStartInfo]::new((Get-TestPwshPath))
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    foreach ($a in @('-NoProfile') + $Arguments) { $psi.ArgumentList.Add($a) }
    $cache = New-ColdCacheDirectory
    $psi.Environment['XDG_CACHE_HOME'] = $cache
    foreach ($name in $Environment.Keys) { $psi.Environment[$name] = $Environment[$name] }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    try {
        $child = [Diagnostics.Process]::Start($psi)
        $stderr = $child.StandardError.ReadToEndAsync()
        $stdout = $child.StandardOutput.ReadToEndAsync()
        if (-not $child.WaitForExit($TimeoutSec * 1000)) { $child.Kill($true); throw "pwsh $Arguments did not end within $TimeoutSec s" }
        $child.WaitForExit()
        [pscustomobject]@{ Lines = @($stdout.Result -split '\r?\n' | Where-Object { $_ -ne '' }); Error = $stderr.Result
                           ExitCode = $child.ExitCode }
    } finally {
        Remove-Item -LiteralPath $cache -Recurse -Force -ErrorAction Ignore
    }
}

function Assert-StopsPromptly([powershell]$PowerShell) {
    # Stops a running pipeline (Ctrl+C's way) and checks it ended within about a second, as stopped.
    $PowerShell.InvocationStateInfo.State | Should -Be 'Running'
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $PowerShell.Stop()
    $watch.Stop()
    $watch.Elapsed.TotalSeconds | Should -BeLessThan 1.5
    $PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
    $PowerShell.InvocationStateInfo.Reason | Should -BeOfType [System.Management.Automation.PipelineStoppedException]
}

function Wait-TmuxScreen([string]$Socket, [string]$Target, [scriptblock]$Until, [int]$TimeoutSec = 60, [switch]$Join) {
    # Polls a tmux pane (server -L $Socket, pane $Target; -Join: wrapped lines joined) until $Until accepts its
    # text, which is returned either way.
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    $flags = @('-p') + @(if ($Join) { '-J' })
    do {
        $screen = ((& tmux -L $Socket capture-pane @flags -t $Target -S -200) -join "`n").TrimEnd()
        if (& $Until $screen) { return $screen }
        Start-Sleep -Milliseconds 200
    } while ([DateTime]::UtcNow -lt $deadline)
    $screen
}

Export-ModuleMember -Function *
