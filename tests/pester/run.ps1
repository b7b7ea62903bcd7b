# Runs the bridge's Pester suite with the Pester that tools/setup-powershell.sh restored (installs nothing).
# Exit code: 0 when every test passed, 1 otherwise.
#   pwsh -NoProfile -NonInteractive -File tests/pester/run.ps1 [-Path <test file>...] [-ResultFile out/pester.xml]
param(
    [string[]]$Path = $PSScriptRoot,
    [string]$ResultFile,
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')][string]$Output = 'Detailed'
)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$pester = Get-ChildItem -Path (Join-Path $repo '.tools/nuget/pester/5.*/tools/Pester.psd1') -ErrorAction Ignore |
    Sort-Object { [version]$_.Directory.Parent.Name } -Descending | Select-Object -First 1
if (-not $pester) {
    Write-Error 'Pester 5 not found under .tools/nuget; run tools/setup-powershell.sh first.' -ErrorAction Continue
    exit 1
}
Import-Module $pester.FullName -Force

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = $Output
if ($ResultFile) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'JUnitXml'
    $config.TestResult.OutputPath = $ResultFile
}
$result = Invoke-Pester -Configuration $config
exit $(if ($result.Result -eq 'Passed' -and $result.FailedCount -eq 0 -and $result.FailedBlocksCount -eq 0) { 0 } else { 1 })
