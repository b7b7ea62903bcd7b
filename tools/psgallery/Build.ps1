# Builds the PowerShell Gallery-shaped package into <OutDir>/psgallery, a local file repository:
# PSOpenAIBridge.<version>.nupkg, published with Publish-PSResource. Run by tools/build.sh.
#
# The package holds the module manifest (psbridge/PSOpenAIBridge.psd1, its format file left to the module it
# imports), this folder's loader (PSOpenAIBridge.psm1, locate.py), the help (en-US/) and Python.Runtime.dll
# with its licence (lib/, from the NuGet package pythonnet that tools/setup-powershell.sh restores). The
# cmdlets themselves come from the Python package psopenai-batch, which the loader finds at import.
param([Parameter(Mandatory)][string]$OutDir)
$ErrorActionPreference = 'Stop'
$repo = [IO.Path]::GetDirectoryName([IO.Path]::GetDirectoryName($PSScriptRoot))
$OutDir = [IO.Path]::GetFullPath($OutDir, $repo)
$stage = [IO.Path]::Combine($OutDir, 'psgallery-stage', 'PSOpenAIBridge')
$feed = [IO.Path]::Combine($OutDir, 'psgallery')
foreach ($folder in [IO.Path]::GetDirectoryName($stage), $feed) {
    if (Test-Path $folder) { Remove-Item -Recurse -Force $folder }
}
$null = New-Item -ItemType Directory -Force $stage, "$stage/lib", "$stage/en-US", $feed

$psd1 = Get-Content -Raw "$repo/psbridge/PSOpenAIBridge.psd1"
# Neither the start-up assembly nor the views: the module the loader imports (in the Python package) loads its own.
$psd1 = $psd1 -replace '(?m)^\s*#.*\r?\n(?=\s*NestedModules)', '' -replace '(?m)^\s*NestedModules\s*=.*\r?\n', ''
[IO.File]::WriteAllText("$stage/PSOpenAIBridge.psd1", $psd1)
Copy-Item "$PSScriptRoot/PSOpenAIBridge.psm1", "$PSScriptRoot/locate.py" $stage
Copy-Item "$repo/psbridge/en-US/*" "$stage/en-US"

$pythonnet = Get-ChildItem "$repo/.tools/nuget/pythonnet" -Directory |
    Where-Object { Test-Path "$($_.FullName)/lib/netstandard2.0/Python.Runtime.dll" } |
    Sort-Object { [version]$_.Name } | Select-Object -Last 1
if (-not $pythonnet) { throw 'Python.Runtime.dll not found in .tools/nuget: run tools/setup-powershell.sh.' }
Copy-Item "$($pythonnet.FullName)/lib/netstandard2.0/Python.Runtime.dll" "$stage/lib"
Copy-Item "$($pythonnet.FullName)/LICENSE" "$stage/lib/Python.Runtime.LICENSE.txt"

$manifest = Test-ModuleManifest "$stage/PSOpenAIBridge.psd1"
Register-PSResourceRepository -Name PSOpenAIBridgeBuild -Uri $feed -Trusted
try {
    Publish-PSResource -Path $stage -Repository PSOpenAIBridgeBuild
} finally {
    Unregister-PSResourceRepository -Name PSOpenAIBridgeBuild
}
"built $feed/PSOpenAIBridge.$($manifest.Version).nupkg"
