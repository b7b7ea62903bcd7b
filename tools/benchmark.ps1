# The PowerShell rows of tools/benchmark.py (which starts the emulator and calls this): per-item cost of
# the bridge, each next to a baseline measured in the same process. Prints progress lines, then the rows
# as JSON on the last line. Needs OPENAI_API_KEY and OPENAI_API_BASE pointing at the emulator.
#   pwsh -NoProfile -File tools/benchmark.ps1 -N 1000 -Control http://127.0.0.1:PORT/__emulator__
param(
    [int]$N = 1000,
    [Parameter(Mandatory)][string]$Control,
    [int]$Rounds = 3
)
$ErrorActionPreference = 'Stop'
$psd1 = Join-Path $PSScriptRoot '../psbridge/PSOpenAIBridge.psd1'
Import-Module $psd1

function New-Batches([int]$Count) {
    $body = @{ status = 'in_progress'; count = $Count; n_requests = 1 } | ConvertTo-Json
    @((Invoke-RestMethod -Method Post "$Control/seed" -Body $body -ContentType application/json).data.id)
}

function Measure-PerItem([scriptblock]$Run, [scriptblock]$NewItems) {
    # Best of $Rounds, in microseconds per item; each round on fresh items.
    $best = [double]::MaxValue
    foreach ($round in 1..$Rounds) {
        $items = & $NewItems
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & $Run $items
        $watch.Stop()
        $best = [math]::Min($best, $watch.Elapsed.TotalMilliseconds * 1000 / $items.Count)
    }
    $best
}

function Measure-Python([string[]]$Ids, [bool]$PassThru) {
    # cmdlets.stop_batch from the interpreter the bridge hosts, in this process: the bridge's floor.
    $gil = [Python.Runtime.Py]::GIL()
    try {
        $scope = [Python.Runtime.PyDict]::new()
        $scope.SetItem('ids', [Python.Runtime.PyString]::new($Ids -join "`n"))
        $scope.SetItem('pass_thru', [Python.Runtime.PyInt]::new([int]$PassThru))
        [Python.Runtime.PythonEngine]::Exec(@'
import os, time
from cmdlets import stop_batch
ids = ids.split("\n")
key, base = os.environ.get("OPENAI_API_KEY"), os.environ.get("OPENAI_API_BASE")
start = time.perf_counter()
for i in ids:
    stop_batch(i, force=True, pass_thru=bool(pass_thru), api_key=key, api_base=base)
per_item = (time.perf_counter() - start) / len(ids) * 1e6
'@, $scope)
        [double]$scope.GetItem('per_item').ToString()
    } finally {
        $gil.Dispose()
    }
}

function Measure-Python-PerItem([bool]$PassThru) {
    $best = [double]::MaxValue
    foreach ($round in 1..$Rounds) { $best = [math]::Min($best, (Measure-Python (New-Batches $N) $PassThru)) }
    $best
}

# The same parameters and the same ShouldProcess call, nothing else: what PowerShell alone costs per
# item, so that the difference is the bridge's round trip.
$paramBlock = (Get-Command Stop-Batch).ScriptBlock.Ast.Body.ParamBlock.Extent.Text
$emptyFunction = "function Stop-Empty {`n[CmdletBinding(DefaultParameterSetName = 'Id', SupportsShouldProcess = `$true)]`n" +
    ($paramBlock -replace '\[PSOpenAIBridgeSecureStringAttribute\(\)\]', '') + "`nprocess { `$null = `$PSCmdlet.ShouldProcess(`$BatchId, 'Cancel batch') }`n}"

# No request at all: -WhatIf makes ShouldProcess answer no. In a runspace without a host, so that no
# "What if:" line is printed, on this thread: Python keeps a thread state for the thread that started
# it, other threads get a fresh one per call (measured apart below). Commands go as text (a script
# block belongs to its runspace).
function Measure-RoundTrip([string]$Command, [string]$Definition = '', [switch]$OtherThread) {
    $ps = [powershell]::Create()
    if (-not $OtherThread) {
        $ps.Runspace = [runspacefactory]::CreateRunspace()
        $ps.Runspace.ThreadOptions = 'UseCurrentThread'
        $ps.Runspace.Open()
    }
    try {
        $null = $ps.AddScript({
            param($psd1, $command, $definition, $n, $rounds)
            Import-Module $psd1
            if ($definition) { . ([scriptblock]::Create($definition)) }
            $ids = 1..$n | ForEach-Object { "batch_$_" }
            $null = $ids | & $command -Force -WhatIf     # warm up (JIT)
            $best = [double]::MaxValue
            foreach ($round in 1..$rounds) {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $null = $ids | & $command -Force -WhatIf
                $best = [math]::Min($best, $watch.Elapsed.TotalMilliseconds * 1000 / $n)
            }
            $best
        }).AddArgument((Resolve-Path $psd1).Path).AddArgument($Command).AddArgument($Definition).AddArgument([math]::Max($N, 2000)).AddArgument($Rounds)
        [double]($ps.Invoke()[0])
    } finally {
        if (-not $OtherThread) { $ps.Runspace.Dispose() }
        $ps.Dispose()
    }
}

Write-Host 'benchmark.ps1: warming up'
$null = New-Batches 200 | Stop-Batch -Force -PassThru
$null = Measure-Python (New-Batches 200) $true

Write-Host 'benchmark.ps1: round trip'
$bridgeRoundTrip = Measure-RoundTrip 'Stop-Batch'
$emptyRoundTrip = Measure-RoundTrip 'Stop-Empty' $emptyFunction
$otherThreadRoundTrip = Measure-RoundTrip 'Stop-Batch' -OtherThread

Write-Host 'benchmark.ps1: Stop-Batch -Force'
$force = Measure-PerItem { param($ids) $ids | Stop-Batch -Force } { New-Batches $N }
$pyForce = Measure-Python-PerItem $false
Write-Host 'benchmark.ps1: Stop-Batch -Force -PassThru'
$passThru = Measure-PerItem { param($ids) $null = $ids | Stop-Batch -Force -PassThru } { New-Batches $N }
$pyPassThru = Measure-Python-PerItem $true

# The native floor: what a script would do without this module.
Write-Host 'benchmark.ps1: Invoke-RestMethod floor'
$headers = @{ Authorization = "Bearer $env:OPENAI_API_KEY" }
$restFloor = Measure-PerItem {
    param($ids)
    foreach ($id in $ids) { $null = Invoke-RestMethod -Method Post -Uri "$env:OPENAI_API_BASE/batches/$id/cancel" -Headers $headers }
} { New-Batches $N }

Write-Host 'benchmark.ps1: batch objects piped in'
$objects = Measure-PerItem { param($batches) $batches | Stop-Batch -Force } {
    $body = @{ status = 'in_progress'; count = $N; n_requests = 1 } | ConvertTo-Json
    foreach ($b in (Invoke-RestMethod -Method Post "$Control/seed" -Body $body -ContentType application/json).data) {
        $b.PSObject.TypeNames.Insert(0, 'PSOpenAI.Batch'); $b
    }
}

Write-Host 'benchmark.ps1: Get-Batch -All'
# Per object listed; the baseline pages the same list with Invoke-RestMethod (which converts the JSON) and,
# like any list command, writes each object to the pipeline.
$null = New-Batches $N
$listAll = Measure-PerItem { param($count) $script:listed = @(Get-Batch -All).Count } { , @(1..1) }
$listed = $script:listed
$listAll = $listAll / $listed
$listRest = Measure-PerItem {
    param($count)
    $null = @(& {
        $after = $null
        do {
            $uri = "$env:OPENAI_API_BASE/batches?limit=100" + $(if ($after) { "&after=$after" } else { '' })
            $page = Invoke-RestMethod -Uri $uri -Headers $headers
            $page.data
            $after = $page.last_id
        } while ($page.has_more)
    })
} { , @(1..1) }
$listRest = $listRest / $listed

Write-Host 'benchmark.ps1: ForEach-Object -Parallel x4'
$psd1Path = (Resolve-Path $psd1).Path
$parallel = Measure-PerItem {
    param($ids)
    $chunks = foreach ($k in 0..3) { , @(for ($i = $k; $i -lt $ids.Count; $i += 4) { $ids[$i] }) }
    $chunks | ForEach-Object -Parallel { Import-Module $using:psd1Path; $_ | Stop-Batch -Force } -ThrottleLimit 4
} { New-Batches $N }
$parallelRest = Measure-PerItem {
    param($ids)
    $chunks = foreach ($k in 0..3) { , @(for ($i = $k; $i -lt $ids.Count; $i += 4) { $ids[$i] }) }
    $chunks | ForEach-Object -Parallel {
        $h = $using:headers
        foreach ($id in $_) { $null = Invoke-RestMethod -Method Post -Uri "$env:OPENAI_API_BASE/batches/$id/cancel" -Headers $h }
    } -ThrottleLimit 4
} { New-Batches $N }

$rows = @(
    [ordered]@{ row = 'pwsh: Stop-Batch -WhatIf (bridge round trip, no request)'; baseline = 'function with the same parameters and ShouldProcess'
                per_item_us = $bridgeRoundTrip; baseline_us = $emptyRoundTrip; ratio = $bridgeRoundTrip / $emptyRoundTrip
                target = '<= 100 us per item' }
    [ordered]@{ row = 'pwsh: Stop-Batch -WhatIf, from another runspace thread'; baseline = 'the same on the thread that started Python'
                per_item_us = $otherThreadRoundTrip; baseline_us = $bridgeRoundTrip; ratio = $otherThreadRoundTrip / $bridgeRoundTrip
                target = '- (its Python thread state kept between calls)' }
    [ordered]@{ row = 'pwsh: $ids | Stop-Batch -Force'; baseline = 'stop_batch(force=True), same process'
                per_item_us = $force; baseline_us = $pyForce; ratio = $force / $pyForce; target = 'overhead <= 100 us' }
    [ordered]@{ row = 'pwsh: $ids | Stop-Batch -Force vs Invoke-RestMethod'; baseline = 'foreach Invoke-RestMethod POST'
                per_item_us = $force; baseline_us = $restFloor; ratio = $force / $restFloor; target = '<= 1.0x' }
    [ordered]@{ row = 'pwsh: $batches | Stop-Batch -Force (objects)'; baseline = 'foreach Invoke-RestMethod POST'
                per_item_us = $objects; baseline_us = $restFloor; ratio = $objects / $restFloor; target = '<= 1.0x' }
    [ordered]@{ row = 'pwsh: $ids | Stop-Batch -Force -PassThru'; baseline = 'stop_batch(pass_thru=True), same process'
                per_item_us = $passThru; baseline_us = $pyPassThru; ratio = $passThru / $pyPassThru; target = 'overhead <= 100 us + output' }
    [ordered]@{ row = 'pwsh: $ids | Stop-Batch -Force -PassThru vs Invoke-RestMethod'; baseline = 'foreach Invoke-RestMethod POST'
                per_item_us = $passThru; baseline_us = $restFloor; ratio = $passThru / $restFloor; target = '<= 1.2x' }
    [ordered]@{ row = "pwsh: Get-Batch -All, per object ($listed)"; baseline = 'Invoke-RestMethod paging, per object'
                per_item_us = $listAll; baseline_us = $listRest; ratio = $listAll / $listRest; target = '<= 1.5x' }
    [ordered]@{ row = 'pwsh: ForEach-Object -Parallel x4 { $_ | Stop-Batch -Force }'; baseline = 'the same with Invoke-RestMethod'
                per_item_us = $parallel; baseline_us = $parallelRest; ratio = $parallel / $parallelRest; target = '<= 1.0x' }
)
ConvertTo-Json -InputObject $rows -Compress -Depth 3
