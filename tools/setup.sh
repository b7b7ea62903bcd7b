#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks, idempotently: Debian's Python packages (there is no PyPI
# here) and tmux (the interactive-console test), the project's venv with an editable install, then pwsh + Python.Runtime.dll + Pester.
set -euo pipefail
cd "$(dirname "$0")/.."
quiet() { local log; log=$(mktemp); if ! "$@" >"$log" 2>&1; then cat "$log" >&2; rm -f "$log"; return 1; fi; rm -f "$log"; }

APT_PACKAGES=(python3 python3-venv python3-yaml python3-requests python3-pytest python3-setuptools python3-wheel libpython3.11 tmux
              python3-jsonschema)   # the manifest schema test (tests/python/test_schema.py)
# npm for pyright (the stub test, tests/python/test_stubs.py), from Debian only where the machine has none.
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  quiet $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive quiet $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The venv sees Debian's packages; the project itself is installed editable, as a user's pip would.
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
repo=$PWD
# Editable as a path in a .pth file (setuptools' compat mode), not the default import-hook finder: the finder's
# .pth imports importlib.resources, pathlib and more at every interpreter start, ~7 ms of each (and of each cold
# Import-Module, whose Python starts with site). An earlier setup's finder is replaced.
if ! (cd / && "$repo/.venv/bin/python" -c "import cmdlets, psbridge, openai_emulator") >/dev/null 2>&1 ||
   compgen -G ".venv/lib/python3*/site-packages/__editable___psopenai_batch_*_finder.py" >/dev/null; then
  echo "setup: installing the project into .venv (editable)"
  quiet .venv/bin/python -m pip install --no-build-isolation --no-deps --no-index -e . --config-settings editable_mode=compat
fi
# Bytecode for the checkout's packages, as pip writes it for an installed copy: where PYTHONDONTWRITEBYTECODE
# is set (CI machines) Python would compile every module again in each process, ~60 ms of a cold
# Import-Module. Only changed sources are compiled; a stale file is never used (Python checks the source).
quiet .venv/bin/python -m compileall -q -j 0 cmdlets psbridge openai_emulator

# pyright, pinned, into .tools/npm: tests/python/test_stubs.py type-checks against cmdlets/__init__.pyi with it.
if [ ! -x .tools/npm/node_modules/.bin/pyright ]; then
  echo "setup: installing pyright (npm) into .tools/npm"
  mkdir -p .tools/npm
  quiet npm install --prefix .tools/npm --no-audit --no-fund --no-save --no-package-lock pyright@1.1.414
fi

if [ -f tools/setup-powershell.sh ]; then
  bash tools/setup-powershell.sh
fi
echo "setup: done"
