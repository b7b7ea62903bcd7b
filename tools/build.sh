#!/usr/bin/env bash
# Builds the two install artifacts into dist/, from this checkout:
#   dist/psopenai_batch-<version>-py3-none-any.whl   the Python package (cmdlets, psbridge with the pwsh module,
#                                                    openai_emulator): pip install it, then `python -m psbridge install`
#   dist/psgallery/PSOpenAIBridge.<version>.nupkg    the PowerShell Gallery-shaped package, in a local file
#                                                    repository (Publish-PSResource): Install-PSResource it
# tools/test-install.sh installs both outside the checkout and runs Stop-Batch from each.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh >/dev/null
export PATH="$PATH:$HOME/.dotnet/tools"
rm -rf dist build
mkdir -p dist
.venv/bin/python -m pip wheel --quiet --no-build-isolation --no-deps --no-index -w dist .
rm -rf build
# A throwaway PSResourceGet configuration (its repository list lives under XDG_DATA_HOME): the user's
# registered repositories are left alone.
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
XDG_DATA_HOME=$data XDG_CACHE_HOME=$data/cache pwsh -NoProfile -NonInteractive -File tools/psgallery/Build.ps1 -OutDir dist
ls -1 dist/*.whl dist/psgallery/*.nupkg
