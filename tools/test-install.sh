#!/usr/bin/env bash
# The README's install paths, from the built artifacts (tools/build.sh), each in a fresh place outside the
# checkout, with no PSOPENAIBRIDGE_* variable set, against the emulator:
#   1. the wheel into a new venv; `from cmdlets import ...`; stop_batch in Python;
#      `python -m psbridge install`; `Import-Module PSOpenAIBridge`; Stop-Batch in pwsh;
#   2. the PowerShell package from a local file repository (Install-PSResource); Import-Module without the
#      Python package fails with one sentence saying what to install; with a venv holding the wheel
#      activated, Stop-Batch works.
# Each install gets its own HOME (the user module folder ~/.local/share/powershell/Modules, PSResourceGet's
# settings), and each pwsh an empty XDG_CACHE_HOME. Python.Runtime.dll: the wheel has no pythonnet here (no
# PyPI), so `install` finds NuGet's package in NUGET_PACKAGES (the packages folder tools/setup-powershell.sh
# restored); the PowerShell package bundles its own.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bash tools/build.sh
export PATH="$PATH:$HOME/.dotnet/tools"
unset PSOPENAIBRIDGE_PYTHON PSOPENAIBRIDGE_RUNTIME_DLL PSOPENAIBRIDGE_MANIFESTS PYTHONNET_PYDLL VIRTUAL_ENV XDG_DATA_HOME
wheel=$(ls "$repo"/dist/psopenai_batch-*.whl)
work=$(mktemp -d /tmp/psopenai-install.XXXXXX)
emulator=""
cleanup() { [ -n "$emulator" ] && kill "$emulator" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
passed=0
step() { echo "== $*"; }
ok() { passed=$((passed + 1)); }

step "wheel: python3 -m venv --system-site-packages $work/venv; pip install --no-index --no-deps $(basename "$wheel")"
python3 -m venv --system-site-packages venv
venv/bin/pip install --quiet --no-index --no-deps "$wheel"
ok

step "emulator from the installed package: python -m openai_emulator --port 0 --step-seconds 1"
venv/bin/python -m openai_emulator --port 0 --step-seconds 1 >emulator.out 2>emulator.err &
emulator=$!
for _ in $(seq 100); do grep -q OPENAI_API_BASE= emulator.out 2>/dev/null && break; sleep 0.1; done
export OPENAI_API_BASE; OPENAI_API_BASE=$(sed -n 's/^OPENAI_API_BASE=//p' emulator.out)
[ -n "$OPENAI_API_BASE" ] || { cat emulator.err; exit 1; }
export OPENAI_API_KEY=sk-install-test

step "Python: from cmdlets import start_batch, stop_batch"
venv/bin/python - "$work/venv" <<'PY'
import sys
import cmdlets
from cmdlets import start_batch, stop_batch
assert cmdlets.__file__.startswith(sys.argv[1]), cmdlets.__file__
items = [{"custom_id": f"install-{i}", "method": "POST", "url": "/v1/chat/completions",
          "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Say {i}"}]}} for i in (1, 2)]
batch = stop_batch(start_batch(items), wait=True, pass_thru=True)
assert batch.status == "cancelled", batch
print(f"ok: stop_batch cancelled {batch.id} ({cmdlets.__file__})")
PY
ok

step "python -m psbridge install; pwsh: Import-Module PSOpenAIBridge; Stop-Batch"
export HOME=$work/home-wheel
NUGET_PACKAGES=$repo/.tools/nuget venv/bin/python -m psbridge install
XDG_CACHE_HOME=$(mktemp -d -p "$work") pwsh -NoProfile -NonInteractive -File "$repo/tools/install-check.ps1" \
  -From "$HOME/.local/share/powershell/Modules/PSOpenAIBridge"
ok
venv/bin/python -m psbridge uninstall
[ ! -e "$HOME/.local/share/powershell/Modules/PSOpenAIBridge" ] || { echo "uninstall left the module" >&2; exit 1; }
ok

step "PowerShell package: Install-PSResource PSOpenAIBridge from $repo/dist/psgallery"
export HOME=$work/home-gallery
XDG_CACHE_HOME=$(mktemp -d -p "$work") pwsh -NoProfile -NonInteractive -Command "
  \$ErrorActionPreference = 'Stop'
  Register-PSResourceRepository -Name Local -Uri '$repo/dist/psgallery' -Trusted
  Install-PSResource PSOpenAIBridge -Repository Local -Scope CurrentUser
  Test-ModuleManifest (Join-Path (Get-InstalledPSResource PSOpenAIBridge).InstalledLocation PSOpenAIBridge/*/PSOpenAIBridge.psd1) | Out-Null
  'ok: installed ' + (Get-InstalledPSResource PSOpenAIBridge | ForEach-Object { \$_.Name + ' ' + \$_.Version })"
ok

step "PowerShell package without the Python package: Import-Module PSOpenAIBridge"
XDG_CACHE_HOME=$(mktemp -d -p "$work") pwsh -NoProfile -NonInteractive -File "$repo/tools/install-check.ps1" \
  -From "$HOME/.local/share/powershell/Modules/PSOpenAIBridge" -MissingPython
ok

step "PowerShell package with the wheel in an activated venv: Import-Module PSOpenAIBridge; Stop-Batch"
python3 -m venv --system-site-packages venv2
venv2/bin/pip install --quiet --no-index --no-deps "$wheel"
(
  # shellcheck disable=SC1091
  source venv2/bin/activate
  XDG_CACHE_HOME=$(mktemp -d -p "$work") pwsh -NoProfile -NonInteractive -File "$repo/tools/install-check.ps1" \
    -From "$HOME/.local/share/powershell/Modules/PSOpenAIBridge"
)
ok

step "README: the block under '### Python (and PowerShell through it)', word for word, from the checkout"
# Its own HOME (so ~/psopenai and the module folder are new) and a cold pwsh; pwsh is already on PATH.
python3 - "$repo/README.md" > "$work/readme-block.sh" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text[text.index("### Python (and PowerShell through it)"):]
print(re.search(r"```bash\n(.*?)```", section, re.S).group(1))
PY
(
  export HOME=$work/home-readme XDG_CACHE_HOME
  XDG_CACHE_HOME=$(mktemp -d -p "$work")
  mkdir -p "$HOME"
  cd "$repo"
  bash -euo pipefail "$work/readme-block.sh" > "$work/readme-block.out" 2>&1 || { cat "$work/readme-block.out"; exit 1; }
)
grep -q "$work/home-readme/psopenai/lib/python3[.0-9]*/site-packages/cmdlets/__init__.py" "$work/readme-block.out" \
  || { echo "the block's check line did not print the installed copy:"; cat "$work/readme-block.out"; exit 1; }
grep -Eq 'batch_[0-9a-f]+ +cancelled' "$work/readme-block.out" \
  || { echo "the block did not end with a cancelled batch:"; cat "$work/readme-block.out"; exit 1; }
ok
echo "install: $passed passed, 0 failed"
