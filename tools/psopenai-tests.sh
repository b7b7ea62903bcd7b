#!/usr/bin/env bash
# PSOpenAI's own Batch and Files tests (their Online and Azure contexts) run against this module on the
# offline emulator: the copied test files change in one line only, the module they import.
#   tools/psopenai-tests.sh [--reference] <PSOpenAI checkout> [chat] [embeddings] [completions] [responses]
#     chat          also run Tests/Chat/Request-ChatCompletion.tests.ps1
#     embeddings    also run Tests/Embeddings/Request-Embeddings.tests.ps1
#     completions   also run Tests/Request-TextCompletion.tests.ps1
#     responses     also run Tests/Responses/Request-Response.tests.ps1
#     --reference   import the checkout's own PSOpenAI.psd1 instead: the same tests, same emulator, as a baseline
# The Offline contexts are left out: they mock PSOpenAI's internals (Invoke-OpenAIAPIRequest...), which the
# bridge does not have. Exit code: 0 when every selected test passed.
set -euo pipefail
usage() { echo "usage: $0 [--reference] <PSOpenAI checkout> [chat] [embeddings] [completions] [responses]" >&2; exit 2; }
reference=0 args=()
for a in "$@"; do if [ "$a" = --reference ]; then reference=1; else args+=("$a"); fi; done
[ ${#args[@]} -ge 1 ] && [ ${#args[@]} -le 5 ] || usage
checkout=$(cd "${args[0]}" 2>/dev/null && pwd) || usage
[ -d "$checkout/Tests" ] || { echo "$checkout has no Tests/ folder" >&2; usage; }
chat="" embeddings="" completions="" responses=""
for extra in "${args[@]:1}"; do
  case $extra in chat) chat=1 ;; embeddings) embeddings=1 ;; completions) completions=1 ;; responses) responses=1 ;; *) usage ;; esac
done
cd "$(dirname "$0")/.."
repo=$PWD
bash tools/setup.sh
export PATH="$PATH:$HOME/.dotnet/tools"

work=$(mktemp -d /tmp/psopenai-tests.XXXXXX)
emulator=""
cleanup() {
  [ -n "$emulator" ] && kill "$emulator" 2>/dev/null && wait "$emulator" 2>/dev/null
  # The emulator writes to stderr only for its own bugs (tracebacks): worth seeing before the dir goes.
  [ -s "$work/emulator.err" ] && { echo "== emulator stderr:"; cat "$work/emulator.err"; } >&2
  rm -rf "$work"
}
trap cleanup EXIT

# The checkout's layout under a temp root: the tests find TestData through $script:ModuleRoot (two levels up).
dirs=(Batch Files TestData)
[ -z "$chat" ] || dirs+=(Chat)
[ -z "$embeddings" ] || dirs+=(Embeddings)
[ -z "$responses" ] || dirs+=(Responses)
mkdir -p "$work/Tests"
for d in "${dirs[@]}"; do cp -R "$checkout/Tests/$d" "$work/Tests/"; done
[ -z "$completions" ] || cp "$checkout/Tests/Request-TextCompletion.tests.ps1" "$work/Tests/"
if [ -n "$chat" ]; then   # only this file of Tests/Chat: the others test cmdlets the bridge does not have
  find "$work/Tests/Chat" -type f ! -name Request-ChatCompletion.tests.ps1 -delete
fi
if [ -n "$responses" ]; then   # the same for Tests/Responses
  find "$work/Tests/Responses" -type f ! -name Request-Response.tests.ps1 -delete
fi

if ((reference)); then module=$checkout/PSOpenAI.psd1; else module=$repo/psbridge/PSOpenAIBridge.psd1; fi
import='Import-Module (Join-Path $script:ModuleRoot "$script:ModuleName.psd1") -Force'
tests=()
for f in "$work"/Tests/{Batch,Files,Chat,Embeddings,Responses}/*.tests.ps1 "$work"/Tests/*.tests.ps1; do
  [ -f "$f" ] || continue
  # Exactly one import line each, or the file changed upstream and would test the wrong module.
  [ "$(grep -cF "$import" "$f")" = 1 ] || { echo "$f: expected one line '$import'" >&2; exit 1; }
  IMPORT="$import" MODULE="$module" perl -i -pe 's/\Q$ENV{IMPORT}\E/Import-Module '\''$ENV{MODULE}'\'' -Force/' "$f"
  tests+=("$f")
done

# One step a second: Start-Batch still sees 'validating' and Stop-Batch still has a running batch to
# cancel, yet a batch completes in 3 s, so Wait-Batch -PollIntervalSec 20 returns at its second poll (~7 s).
key=sk-psopenai-tests-0123456789abcdef
.venv/bin/python -m openai_emulator --port 0 --api-key "$key" --step-seconds 1 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator=$!
for _ in $(seq 100); do grep -q OPENAI_API_BASE= "$work/emulator.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^OPENAI_API_BASE=//p' "$work/emulator.out")
[ -n "$base" ] || { cat "$work/emulator.err" >&2; exit 1; }
export OPENAI_API_KEY=$key OPENAI_API_BASE=$base AZURE_OPENAI_API_KEY=$key AZURE_OPENAI_ENDPOINT=${base%/v1}
unset OPENAI_ORGANIZATION
echo "== $(basename "$module") against $base (work dir $work)"

pwsh -NoProfile -NonInteractive -File tools/psopenai-tests.ps1 "${tests[@]}"
