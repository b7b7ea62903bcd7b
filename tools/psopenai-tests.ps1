# Run by tools/psopenai-tests.sh: Pester 5 from .tools/nuget on the copied PSOpenAI test files, their Online
# and Azure contexts only. Prints each test, then one line per failure and "passed X of Y"; exit 1 on any failure.
param([Parameter(Mandatory, ValueFromRemainingArguments)][string[]]$Path)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$pester = Get-ChildItem -Path (Join-Path $repo '.tools/nuget/pester/5.*/tools/Pester.psd1') -ErrorAction Ignore |
    Sort-Object { [version]$_.Directory.Parent.Name } -Descending | Select-Object -First 1
if (-not $pester) { Write-Error 'Pester 5 not found under .tools/nuget; run tools/setup-powershell.sh first.' -ErrorAction Continue; exit 1 }
# Loaded before the tests run, so their '#Requires -Modules Pester 5.3.0' finds this one.
Import-Module $pester.FullName -Force

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Filter.Tag = 'Online', 'Azure'
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config

# The summary names each failure by file and test path with the first line of its error: the "why" at a glance.
function Get-Reason($ErrorRecords) { (@($ErrorRecords)[0].Exception.Message -split '\r?\n' | Where-Object { $_ } | Select-Object -First 1) }
function Get-TestReason($Test) {
    # A test of a block whose BeforeAll/AfterAll failed has no error of its own: the block's is the reason.
    if ($Test.ErrorRecord.Count) { return Get-Reason $Test.ErrorRecord }
    for ($b = $Test.Block; $b; $b = $b.Parent) { if ($b.ErrorRecord.Count) { return "(its block failed) $(Get-Reason $b.ErrorRecord)" } }
}
$selected = @($result.Tests | Where-Object ShouldRun)
$failed = @($selected | Where-Object Result -eq 'Failed')
Write-Host ''
foreach ($t in $failed) {
    Write-Host ("FAILED {0}: {1} -- {2}" -f (Split-Path $t.Block.BlockContainer.Item -Leaf), $t.ExpandedPath, (Get-TestReason $t))
}
foreach ($b in $result.FailedBlocks) {
    Write-Host ("FAILED BLOCK {0}: {1} -- {2}" -f (Split-Path $b.BlockContainer.Item -Leaf), ($b.Path -join '.'), (Get-Reason $b.ErrorRecord))
}
foreach ($c in $result.FailedContainers) { Write-Host ("FAILED FILE {0} -- {1}" -f $c.Item, (Get-Reason $c.ErrorRecord)) }
$passed = @($selected | Where-Object Result -eq 'Passed').Count
Write-Host ("passed {0} of {1}" -f $passed, $selected.Count)
exit $(if ($passed -eq $selected.Count -and $result.FailedBlocksCount -eq 0 -and $result.FailedContainersCount -eq 0) { 0 } else { 1 })
