#!/usr/bin/env bash
# The main job: a real batch on the offline emulator, cancelled end to end from Python and from pwsh.
# No API key needed and nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export PATH="$PATH:$HOME/.dotnet/tools"
echo "== Python: stop_batch(batch, wait=True, pass_thru=True)"
.venv/bin/python examples/cancel_batch.py
if [ -f examples/Cancel-Batch.ps1 ]; then
  echo "== PowerShell: \$batch | Stop-Batch -Wait -PassThru"
  pwsh -NoProfile -NonInteractive -File examples/Cancel-Batch.ps1
fi
