# Run by tools/test-install.sh in a pwsh started outside the checkout: imports PSOpenAIBridge by name, as a
# user would after installing it, and cancels a batch on the emulator at $env:OPENAI_API_BASE with Stop-Batch.
#   -From   the folder the module must have been found under (the installed copy, not the checkout)
#   -MissingPython   expect the import to fail with the one sentence that says what to install
param([Parameter(Mandatory)][string]$From, [switch]$MissingPython)
$ErrorActionPreference = 'Stop'
foreach ($name in 'PSOPENAIBRIDGE_PYTHON', 'PSOPENAIBRIDGE_RUNTIME_DLL', 'PSOPENAIBRIDGE_MANIFESTS') {
    if ([Environment]::GetEnvironmentVariable($name)) { throw "$name is set; the install test runs without it" }
}
if ($MissingPython) {
    try {
        Import-Module PSOpenAIBridge
    } catch {
        $message = $_.Exception.Message
        if ($message -notlike "PSOpenAIBridge needs the Python package psopenai-batch: install it with 'python3 -m pip install psopenai-batch'*") {
            throw "unexpected import error: $message"
        }
        "ok: without the Python package, Import-Module PSOpenAIBridge says: $message"
        exit 0
    }
    throw 'Import-Module PSOpenAIBridge worked without the Python package'
}

Import-Module PSOpenAIBridge
$module = Get-Command Stop-Batch | ForEach-Object Module
if (-not $module.ModuleBase.StartsWith($From)) { throw "Stop-Batch came from $($module.ModuleBase), not from under $From" }
# What the module manifest lists is what the user gets: every function and command alias (Request-ChatGPT).
$listed = Import-PowerShellDataFile ([IO.Path]::Combine($module.ModuleBase, 'PSOpenAIBridge.psd1'))
foreach ($kind in 'Functions', 'Aliases') {
    $exported = @((Get-Module PSOpenAIBridge)."Exported$kind".Keys | Sort-Object)
    $expected = @($listed."$($kind)ToExport" | Sort-Object)
    if (-not $expected -or ($exported -join ',') -cne ($expected -join ',')) { throw "exported $($kind.ToLower()) '$($exported -join ',')', not the listed '$($expected -join ',')'" }
}
$items = 1..2 | ForEach-Object {
    [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = "install-$_"; method = 'POST'
                       url = '/v1/chat/completions'; body = @{ model = 'gpt-4o-mini'; messages = @(@{ role = 'user'; content = "Say $_" }) } }
}
$batch = $items | Start-Batch
$batch = $batch | Stop-Batch -Wait -PassThru
if ($batch.status -ne 'cancelled' -or $batch.PSObject.TypeNames[0] -ne 'PSOpenAI.Batch') {
    throw "expected a cancelled PSOpenAI.Batch, got status '$($batch.status)' ($($batch.PSObject.TypeNames[0]))"
}
# Another runspace of the same process imports the same module (found again or remembered) and works.
$other = [powershell]::Create()
try {
    $null = $other.AddScript("Import-Module PSOpenAIBridge; (Get-Command Stop-Batch).Module.ModuleBase; (Get-Batch -BatchId '$($batch.id)').status")
    $answer = @($other.Invoke())
    if ($other.HadErrors -or $answer.Count -ne 2 -or $answer[0] -ne $module.ModuleBase -or $answer[1] -ne 'cancelled') {
        throw "a second runspace's import gave '$($answer -join ', ')' ($($other.Streams.Error -join '; '))"
    }
} finally { $other.Dispose() }
$help = Get-Help Stop-Batch
if ($help.Synopsis -notlike 'Cancels*') { throw "Get-Help Stop-Batch has no help: '$($help.Synopsis)'" }
"ok: Import-Module PSOpenAIBridge ($($module.ModuleBase)); Stop-Batch cancelled $($batch.id)"
