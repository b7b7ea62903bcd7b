# PSOpenAIBridge as installed from a PowerShell repository (Install-PSResource PSOpenAIBridge).
# The cmdlets run in Python: the Python package psopenai-batch ships the module itself (psbridge/), generated
# from its manifests. This loader finds the Python that has that package, loads the Python.Runtime.dll this
# package bundles (lib/, from the NuGet package pythonnet) unless one is loaded already, and imports the
# package's module, whose functions it exports. Built by tools/build.sh from tools/psgallery/.
#
# Which Python: PSOPENAIBRIDGE_PYTHON when set, else python3, then python, on PATH (an activated virtual
# environment's first); the first that has psopenai-batch. The imported module then finds the same one
# (its record, the virtual environment it is installed in, or PATH).

# The module it imports needs FullLanguage (see psbridge/PSOpenAIBridge.psm1), and so does this loader.
if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
    throw "PSOpenAIBridge needs FullLanguage mode, because it hosts Python through .NET method calls that $($ExecutionContext.SessionState.LanguageMode) does not allow: import it in a FullLanguage session, or from a folder your AppLocker or WDAC policy trusts."
}

# Found once per process: one Python runs in it, so a later import (another runspace, a thread job) takes the
# module found first rather than starting a Python process again (~0.1 s each).
$script:Found = [AppDomain]::CurrentDomain.GetData('PSOpenAIBridge.Located')
$script:Candidates = [Collections.Generic.List[string]]::new()
if (-not $script:Found) {
    if ($env:PSOPENAIBRIDGE_PYTHON) { $script:Candidates.Add($env:PSOPENAIBRIDGE_PYTHON) }
    foreach ($command in @(Get-Command python3, python -CommandType Application -ErrorAction Ignore)) {
        if (-not $script:Candidates.Contains($command.Source)) { $script:Candidates.Add($command.Source) }
    }
}
foreach ($python in $script:Candidates) {
    $psi = [Diagnostics.ProcessStartInfo]::new($python)
    $psi.ArgumentList.Add([IO.Path]::Combine($PSScriptRoot, 'locate.py'))
    $psi.RedirectStandardOutput = $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    try { $locate = [Diagnostics.Process]::Start($psi) } catch { continue }
    $null = $locate.StandardError.ReadToEndAsync()
    $manifest = $locate.StandardOutput.ReadToEnd().Trim()
    $locate.WaitForExit()
    if ($locate.ExitCode -eq 0 -and $manifest) { $script:Found = $manifest; break }
}
if (-not $script:Found) {
    $tried = if ($script:Candidates.Count) { " (tried: $($script:Candidates -join ', '))" } else { ' (no python3 on PATH)' }
    throw "PSOpenAIBridge needs the Python package psopenai-batch: install it with 'python3 -m pip install psopenai-batch' (or activate the virtual environment that has it) and import the module again$tried."
}

if (-not ('Python.Runtime.PythonEngine' -as [type])) {
    $null = [System.Reflection.Assembly]::LoadFrom([IO.Path]::Combine($PSScriptRoot, 'lib', 'Python.Runtime.dll'))
}
$script:Inner = Import-Module $script:Found -PassThru -ErrorAction Stop
[AppDomain]::CurrentDomain.SetData('PSOpenAIBridge.Located', $script:Found)
# Its command aliases too (Request-ChatGPT, Register-OpenAIFile): Export-ModuleMember exports only what it is given.
Export-ModuleMember -Function @($script:Inner.ExportedFunctions.Keys) -Alias @($script:Inner.ExportedAliases.Keys)
