# The main job, in pwsh: start the offline emulator, create a real batch, cancel it with Stop-Batch and
# wait for 'cancelled'. No API key needed; nothing leaves 127.0.0.1.
#   pwsh -NoProfile -File examples/Cancel-Batch.ps1
$ErrorActionPreference = 'Stop'
$repo = Split-Path -Parent $PSScriptRoot
$python = Join-Path $repo '.venv/bin/python'
$key = 'sk-demo-' + [guid]::NewGuid().ToString('N')

$psi = [System.Diagnostics.ProcessStartInfo]::new($python)
foreach ($a in '-m', 'openai_emulator', '--port', '0', '--step-seconds', '1', '--api-key', $key) { $psi.ArgumentList.Add($a) }
$psi.WorkingDirectory = $repo
$psi.RedirectStandardOutput = $true
$emulator = [System.Diagnostics.Process]::Start($psi)
try {
    $line = $emulator.StandardOutput.ReadLine()      # OPENAI_API_BASE=http://127.0.0.1:PORT/v1
    $env:OPENAI_API_BASE = $line.Split('=', 2)[1]
    $global:OPENAI_API_KEY = ConvertTo-SecureString $key -AsPlainText -Force

    Import-Module (Join-Path $repo 'psbridge/PSOpenAIBridge.psd1')

    $items = 1..4 | ForEach-Object {
        [pscustomobject]@{
            PSTypeName = 'PSOpenAI.Batch.Input'
            custom_id  = "request-$_"
            method     = 'POST'
            url        = '/v1/chat/completions'
            body       = @{ model = 'gpt-4o-mini'; messages = @(@{ role = 'user'; content = "Say $_" }) }
        }
    }
    $batch = $items | Start-Batch
    "created  $($batch.id)  status=$($batch.status)"

    $batch = $batch | Stop-Batch -Wait -PassThru
    "stopped  $($batch.id)  status=$($batch.status)  cancelled_at=$($batch.cancelled_at)  type=$($batch.PSObject.TypeNames[0])"
    if ($batch.status -ne 'cancelled') { throw "expected the batch to be cancelled, got '$($batch.status)'" }
} finally {
    if (-not $emulator.HasExited) { $emulator.Kill() }
}
