#!/usr/bin/env bash
# Every test: pytest (Python against the emulator over loopback), then Pester (pwsh hosting Python
# in-process). Both always run; the last line sums them up; the exit code is non-zero if either failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh || exit 1
export PATH="$PATH:$HOME/.dotnet/tools"
mkdir -p out
rm -f out/*.xml
status=0
results=(out/pytest.xml)
.venv/bin/python -m pytest -q -p no:cacheprovider --junitxml=out/pytest.xml "$@" || status=1
if [ -f tests/pester/run.ps1 ]; then
  results+=(out/pester.xml)
  # An empty XDG_CACHE_HOME: no pwsh startup-profile data, as on a fresh machine (child pwsh processes
  # the tests start get their own empty one).
  cold_cache=$(mktemp -d)
  XDG_CACHE_HOME=$cold_cache pwsh -NoProfile -NonInteractive -File tests/pester/run.ps1 -ResultFile out/pester.xml || status=1
  rm -rf "$cold_cache"
fi
.venv/bin/python tools/summarize_tests.py "${results[@]}" || status=1
exit $status
