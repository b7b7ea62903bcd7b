#!/usr/bin/env bash
# The PowerShell side, idempotently and quietly: pwsh 7.6.9 (when missing), then Python.Runtime.dll
# (NuGet `pythonnet`) and Pester 5 restored into .tools/nuget, where psbridge and tests/pester look.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.dotnet/tools:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
quiet() { local log; log=$(mktemp); if ! "$@" >"$log" 2>&1; then cat "$log" >&2; rm -f "$log"; return 1; fi; rm -f "$log"; }

if ! command -v pwsh >/dev/null 2>&1; then
  echo "setup-powershell: installing pwsh 7.6.9"
  quiet dotnet tool install --global PowerShell --version 7.6.9
fi

# Versions are pinned in tools/PythonRuntime.csproj; restore again only when one is missing.
if [ ! -f .tools/nuget/pythonnet/3.2.1/lib/netstandard2.0/Python.Runtime.dll ] \
   || [ ! -f .tools/nuget/pester/5.7.1/tools/Pester.psd1 ]; then
  echo "setup-powershell: restoring Python.Runtime.dll and Pester"
  quiet dotnet restore tools/PythonRuntime.csproj
fi

# The module's start-up assembly (psbridge/boot): built again whenever its sources are newer than the DLL.
boot=psbridge/PSOpenAIBridge.Boot.dll
if [ ! -f "$boot" ] || [ -n "$(find psbridge/boot -maxdepth 1 -type f -newer "$boot" -print -quit)" ]; then
  echo "setup-powershell: building $boot"
  quiet dotnet build psbridge/boot/PSOpenAIBridge.Boot.csproj -c Release
fi
