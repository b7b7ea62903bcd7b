"""Benchmark: prints a table (each row as a ratio to its baseline, measured in the same run) and writes JSON.

Run: .venv/bin/python tools/benchmark.py [--n 1000] [--json out/benchmark.json]
The emulator runs in its own process so that it does not share the client's GIL. Not a test: nothing
here is asserted; the targets are printed next to the numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import sys
import threading
import time
from pathlib import Path

import requests

from psbridge.install import nuget_runtime_dll

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sk-bench-0123456789abcdef0123456789"


class EmulatorProcess:
    def __enter__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "openai_emulator", "--port", "0", "--api-key", API_KEY],
                                     stdout=subprocess.PIPE, text=True, cwd=ROOT)
        line = self.proc.stdout.readline().strip()
        self.base_url = line.split("=", 1)[1]
        self.control = self.base_url.rsplit("/v1", 1)[0] + "/__emulator__"
        return self

    def seed(self, count: int, status: str = "in_progress") -> list[dict]:
        r = requests.post(f"{self.control}/seed", json={"status": status, "count": count, "n_requests": 1})
        r.raise_for_status()
        return r.json()["data"]

    def reset(self) -> None:
        requests.post(f"{self.control}/reset").raise_for_status()

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def per_call_interleaved(fns, n: int, emu: "EmulatorProcess", rounds: int = 5, clock=time.perf_counter) -> list[float]:
    """Seconds per item for each function, best of `rounds`; the functions take turns within each round,
    so a slow spell of this shared machine hits them alike. Each run gets fresh batches.
    clock=time.process_time: this process's CPU time only (the emulator runs in its own process), which
    is the client's own cost whatever the server's speed."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            emu.reset()
            items = emu.seed(n)
            start = clock()
            for item in items:
                fn(item)
            best[i] = min(best[i], (clock() - start) / n)
    return best


def python_rows(emu: EmulatorProcess, n: int) -> list[dict]:
    from cmdlets import stop_batch
    session = requests.Session()
    headers = {"Authorization": f"Bearer {API_KEY}"}

    def bare(batch):
        r = session.post(f"{emu.base_url}/batches/{batch['id']}/cancel", headers=headers, timeout=30)
        r.raise_for_status()
        r.json()

    def ours(batch):
        stop_batch(batch["id"], force=True, api_key=API_KEY, api_base=emu.base_url)

    def timed(batch):
        stop_batch(batch["id"], force=True, timeout_sec=30, api_key=API_KEY, api_base=emu.base_url)

    def bare_timed(batch):
        r = session.post(f"{emu.base_url}/batches/{batch['id']}/cancel", headers=headers, timeout=30)
        r.raise_for_status()
        r.json()

    bare(emu.seed(1)[0]), ours(emu.seed(1)[0]), timed(emu.seed(1)[0])      # warm the connections
    floor, mine, mine_timed = per_call_interleaved([bare, ours, timed], n, emu)
    cpu_floor, cpu_mine, cpu_timed = per_call_interleaved([bare_timed, ours, timed], n, emu,
                                                          clock=time.process_time)
    throughput = 1 / floor
    return [
        {"row": "Python: stop_batch(id, force=True)", "baseline": "bare requests.Session POST",
         "per_item_us": mine * 1e6, "baseline_us": floor * 1e6, "ratio": mine / floor, "target": "<= 1.0x"},
        {"row": "Python: same, -TimeoutSec 30 (watched)", "baseline": "bare requests.Session POST",
         "per_item_us": mine_timed * 1e6, "baseline_us": floor * 1e6, "ratio": mine_timed / floor,
         "target": "<= 1.0x"},
        {"row": "Python: stop_batch, client CPU only", "baseline": "bare requests.Session POST, CPU",
         "per_item_us": cpu_mine * 1e6, "baseline_us": cpu_floor * 1e6, "ratio": cpu_mine / cpu_floor,
         "target": "<= 1.0x"},
        {"row": "Python: same, -TimeoutSec 30, client CPU", "baseline": "bare requests.Session POST, CPU",
         "per_item_us": cpu_timed * 1e6, "baseline_us": cpu_floor * 1e6, "ratio": cpu_timed / cpu_floor,
         "target": "<= 1.0x"},
        {"row": "Emulator throughput (floor client)", "baseline": "-", "per_item_us": floor * 1e6,
         "baseline_us": None, "ratio": None, "target": f"{throughput:,.0f} req/s"},
    ]


def pwsh_rows(emu: EmulatorProcess, n: int, cold_runs: int = 3) -> list[dict]:
    script = ROOT / "tools" / "benchmark.ps1"
    pwsh = shutil.which("pwsh") or os.path.expanduser("~/.dotnet/tools/pwsh")
    if not script.exists() or not os.path.exists(pwsh):
        return []
    emu.reset()
    env = dict(os.environ, OPENAI_API_KEY=API_KEY, OPENAI_API_BASE=emu.base_url)
    out = subprocess.run([pwsh, "-NoProfile", "-NonInteractive", "-File", str(script), "-N", str(n),
                          "-Control", emu.control], env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        print(out.stdout, out.stderr, file=sys.stderr)
        raise SystemExit("benchmark.ps1 failed")
    return json.loads(out.stdout.strip().splitlines()[-1]) + cold_start_rows(emu, pwsh, cold_runs) + memory_rows(emu, pwsh)


START_BATCH_MEMORY = r"""
param($count, $into)
Import-Module ./psbridge/PSOpenAIBridge.psd1
$null = Get-Batch -Limit 1      # Python and the module fully loaded: the baseline
$baseline = (Get-Process -Id $PID).WorkingSet64
$items = { 1..$count | ForEach-Object {
    [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = "r-$_"; method = 'POST'; url = '/v1/chat/completions'
                       body = @{ model = 'gpt-4o-mini'; messages = @(@{ role = 'user'; content = "Say $_" }) } }
} }
$watch = [Diagnostics.Stopwatch]::StartNew()
if ($into -eq 'Out-Null') { & $items | Out-Null; $bytes = 0 }
else { $batches = @(& $items | Start-Batch -Split); $bytes = 0; foreach ($b in $batches) { $bytes += (Get-OpenAIFile $b.input_file_id).bytes } }
"$($watch.Elapsed.TotalMilliseconds) $baseline $((Get-Process -Id $PID).PeakWorkingSet64) $bytes"
"""


def memory_rows(emu: EmulatorProcess, pwsh: str, count: int = 50_000, runs: int = 3) -> list[dict]:
    return split_rows(emu, pwsh, count, runs)


def split_rows(emu: EmulatorProcess, pwsh: str, count: int = 50_000, runs: int = 3) -> list[dict]:
    """Time and peak memory of a fresh pwsh while items stream into Start-Batch -Split: its growth over the same pwsh after
    import, against 2 x the JSONL; and, for scale, the same items piped into Out-Null (making 50,000 objects
    costs memory by itself). Medians of `runs` processes each, interleaved: the .NET collector's timing moves
    a single peak by several MB."""
    env = dict(os.environ, OPENAI_API_KEY=API_KEY, OPENAI_API_BASE=emu.base_url)
    script = ROOT / "out" / "start_batch_memory.ps1"
    script.parent.mkdir(exist_ok=True)
    script.write_text(START_BATCH_MEMORY)
    peaks: dict[str, list[int]] = {"Start-Batch": [], "Out-Null": []}
    growth: dict[str, list[int]] = {"Start-Batch": [], "Out-Null": []}
    times: dict[str, list[float]] = {"Start-Batch": [], "Out-Null": []}
    jsonl = 0
    for _ in range(runs):
        for into in peaks:
            with tempfile.TemporaryDirectory() as cache:
                out = subprocess.run([pwsh, "-NoProfile", "-NonInteractive", "-File", str(script), str(count), into],
                                     env=dict(env, XDG_CACHE_HOME=cache), cwd=ROOT, capture_output=True, text=True,
                                     timeout=600)
            ms, baseline, peak, size = out.stdout.split()[-4:]
            baseline, peak, size = int(baseline), int(peak), int(size)
            times[into].append(float(ms))
            peaks[into].append(peak)
            growth[into].append(peak - baseline)
            jsonl = size or jsonl
    mib = 2**20
    peak, floor = (statistics.median(peaks[k]) for k in ("Start-Batch", "Out-Null"))
    grew, floor_grew = (statistics.median(growth[k]) for k in ("Start-Batch", "Out-Null"))
    split, making = min(times["Start-Batch"]), min(times["Out-Null"])
    return [{"row": f"pwsh: {count:,} items piped into Start-Batch -Split, time", "unit": "ms",
             "baseline": "making the same items into Out-Null", "per_item_us": split, "baseline_us": making,
             "ratio": split / making, "target": "- (checked, written, uploaded, started)"},
            {"row": f"pwsh: same, peak growth", "unit": "MiB",
             "baseline": "2 x the JSONL, over pwsh after import",
             "per_item_us": grew / mib, "baseline_us": 2 * jsonl / mib, "ratio": grew / (2 * jsonl), "target": "<= 1.0x"},
            {"row": "pwsh: same, peak working set", "unit": "MiB",
             "baseline": f"the items into Out-Null + 2 x the JSONL ({jsonl / mib:.1f} MiB)",
             "per_item_us": peak / mib, "baseline_us": (floor + 2 * jsonl) / mib, "ratio": peak / (floor + 2 * jsonl),
             "target": f"- (the items into Out-Null grow {floor_grew / mib:.1f} MiB)"}]


COLD_START = r"""
param($kind, $batchId)
$watch = [Diagnostics.Stopwatch]::StartNew()
if ($kind -eq 'module') { Import-Module ./psbridge/PSOpenAIBridge.psd1 }
$imported = $watch.Elapsed.TotalMilliseconds
if ($kind -eq 'module') { $null = Stop-Batch -BatchId $batchId -Force }
else { $null = Invoke-RestMethod -Method Post -Uri "$env:OPENAI_API_BASE/batches/$batchId/cancel" -Headers @{ Authorization = "Bearer $env:OPENAI_API_KEY" } }
"$imported $($watch.Elapsed.TotalMilliseconds)"
"""

# The issue's own command (issue 21, item 5), as a user types it: the module imported by name from a module folder,
# the batch shown; against the same process with one Invoke-RestMethod, its result shown too.
COLD_WHOLE = {
    "module": "Import-Module PSOpenAIBridge; Stop-Batch {id} -Force",
    "rest": 'Invoke-RestMethod -Method Post -Uri "$env:OPENAI_API_BASE/batches/{id}/cancel" '
            '-Headers @{{ Authorization = "Bearer $env:OPENAI_API_KEY" }}',
}


def _run_measured(argv: list[str], env: dict) -> tuple[float, int, str]:
    """(wall seconds, peak resident bytes, stdout) of one process; the peak as the kernel counted it, so that
    nothing inside the process is spent measuring it."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=err, text=True)
        deadline = threading.Timer(120, proc.kill)      # (a hung process fails the run, as subprocess.run's timeout did)
        deadline.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            deadline.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)     # (reaped here: Popen must not wait for it again)
        out.seek(0), err.seek(0)
        text, problem = out.read(), err.read().strip()
    if proc.returncode != 0 or problem:
        raise SystemExit(f"cold start: {argv[-1]!r} failed ({proc.returncode}): {problem[:500]}")
    return wall, usage.ru_maxrss * 1024, text


def cold_start_rows(emu: EmulatorProcess, pwsh: str, runs: int = 3) -> list[dict]:
    """Fresh pwsh processes with an empty XDG_CACHE_HOME, taking turns so that drift on a shared machine hits all
    alike: the issue's whole command against a plain Invoke-RestMethod process (best and median), and, through a
    script, Import-Module + the first Stop-Batch against the first Invoke-RestMethod (best)."""
    script = ROOT / "out" / "cold_start.ps1"
    script.parent.mkdir(exist_ok=True)
    script.write_text(COLD_START)
    with tempfile.TemporaryDirectory() as modules:
        # The checkout's module, found by name (as installed); its Python and Python.Runtime.dll named, since a
        # module folder outside the checkout does not lead to them.
        os.symlink(ROOT / "psbridge", os.path.join(modules, "PSOpenAIBridge"))
        runtime = nuget_runtime_dll(ROOT / ".tools" / "nuget")     # (where tools/setup.sh restores it)
        env = dict(os.environ, OPENAI_API_KEY=API_KEY, OPENAI_API_BASE=emu.base_url, PSModulePath=modules,
                   PSOPENAIBRIDGE_PYTHON=sys.executable)
        if runtime:
            env["PSOPENAIBRIDGE_RUNTIME_DLL"] = str(runtime)
        kinds = {f"whole {k}": [pwsh, "-NoProfile", "-c", c] for k, c in COLD_WHOLE.items()}
        kinds.update({f"script {k}": [pwsh, "-NoProfile", "-NonInteractive", "-File", str(script), k] for k in COLD_WHOLE})
        results: dict[str, list] = {k: [] for k in kinds}

        def one(kind: str):
            batch_id = emu.seed(1)[0]["id"]
            argv = [a.format(id=batch_id) for a in kinds[kind]] + ([batch_id] if kind.startswith("script") else [])
            with tempfile.TemporaryDirectory() as cache:    # no startup-profile data: a fresh machine
                return _run_measured(argv, dict(env, XDG_CACHE_HOME=cache))

        one("whole module")     # (untimed: an earlier import's kept files for this module folder, as any user has)
        for _ in range(runs):
            for kind in kinds:
                results[kind].append(one(kind))
    whole, rest = ([r[0] for r in results[f"whole {k}"]] for k in ("module", "rest"))
    peak, rest_peak = (statistics.median(r[1] for r in results[f"whole {k}"]) for k in ("module", "rest"))
    imp, total = min((tuple(map(float, r[2].split()[-2:])) for r in results["script module"]), key=lambda t: t[1])
    rest_total = min(float(r[2].split()[-1]) for r in results["script rest"])
    command = "`pwsh -NoProfile -c 'Import-Module PSOpenAIBridge; Stop-Batch $id -Force'`"
    return [
        {"row": "pwsh cold: Import-Module (a script, by path)", "baseline": "-", "per_item_us": imp * 1e3,
         "baseline_us": None, "ratio": None, "target": "(with first call) < 1 s"},
        {"row": "pwsh cold: Import-Module + first Stop-Batch (same script)", "baseline": "first Invoke-RestMethod, fresh pwsh",
         "per_item_us": total * 1e3, "baseline_us": rest_total * 1e3, "ratio": total / rest_total,
         "target": "< 1 s"},
        {"row": f"pwsh cold: whole process {command}, best of {runs}",
         "baseline": "`pwsh -NoProfile -c 'Invoke-RestMethod -Method Post …/cancel'`",
         "per_item_us": min(whole) * 1e6, "baseline_us": min(rest) * 1e6, "ratio": min(whole) / min(rest),
         "target": "<= 1.2x"},
        {"row": f"pwsh cold: same, median of {runs}", "baseline": "the same",
         "per_item_us": statistics.median(whole) * 1e6, "baseline_us": statistics.median(rest) * 1e6,
         "ratio": statistics.median(whole) / statistics.median(rest), "target": "<= 1.2x"},
        {"row": "pwsh cold: same, peak resident set (median)", "unit": "MiB", "baseline": "the same",
         "per_item_us": peak / 2**20, "baseline_us": rest_peak / 2**20, "ratio": peak / rest_peak, "target": "-"},
    ]


OUTPUT_READ = r"""
param($kind, $fileId)
if ($kind -eq 'module') { Import-Module ./psbridge/PSOpenAIBridge.psd1; $null = Get-Batch -Limit 1 }
else { $null = Invoke-RestMethod -Uri "$env:OPENAI_API_BASE/batches?limit=1" -Headers @{ Authorization = "Bearer $env:OPENAI_API_KEY" } }
[GC]::Collect()
$process = [Diagnostics.Process]::GetCurrentProcess()
$baseline = $process.WorkingSet64
$cpu = $process.TotalProcessorTime
$watch = [Diagnostics.Stopwatch]::StartNew()
$count = 0
if ($kind -eq 'module') {
    [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch'; id = 'batch_bench'; status = 'completed'; output_file_id = $fileId } |
        Get-BatchOutput | ForEach-Object { $count++ }
} else {
    $response = Invoke-WebRequest -Uri "$env:OPENAI_API_BASE/files/$fileId/content" -Headers @{ Authorization = "Bearer $env:OPENAI_API_KEY" }
    $text = [Text.Encoding]::UTF8.GetString($response.Content)
    foreach ($line in $text -split "`n") { if ($line) { $null = $line | ConvertFrom-Json; $count++ } }
}
$elapsed = $watch.Elapsed.TotalMilliseconds
$process.Refresh()
"$count $elapsed $(($process.TotalProcessorTime - $cpu).TotalMilliseconds) $baseline $($process.PeakWorkingSet64)"
"""


def output_file(emu: EmulatorProcess, megabytes: int) -> tuple[str, int, int]:
    """(file id, lines, longest line) of an uploaded output file of about `megabytes` MB of chat results."""
    line = json.dumps({"id": "batch_req_{n}", "custom_id": "request-{n}", "error": None, "response": {
        "status_code": 200, "request_id": "req_{n}", "body": {
            "id": "chatcmpl-{n}", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "x" * 300}}],
            "usage": {"prompt_tokens": 9, "completion_tokens": 80, "total_tokens": 89}}}})
    count = megabytes * 10**6 // (len(line) + 1)
    with tempfile.TemporaryFile() as f:
        for n in range(count):
            f.write(line.replace("{n}", str(n)).encode() + b"\n")
        f.seek(0)
        r = requests.post(f"{emu.base_url}/files", headers={"Authorization": f"Bearer {API_KEY}"},
                          data={"purpose": "user_data"}, files={"file": ("output.jsonl", f)}, timeout=600)
    r.raise_for_status()
    return r.json()["id"], count, len(line) + 10


def output_rows(emu: EmulatorProcess, pwsh: str, sizes: list[int], runs: int = 1) -> list[dict]:
    """Get-BatchOutput of a big output file in a fresh pwsh, against Invoke-WebRequest + ConvertFrom-Json per
    line: time, the pwsh process's CPU time (the module's Python included; on a shared machine the steadier of
    the two), and peak working set over the same pwsh before the read. `runs` fresh processes each, taking
    turns; the best time and CPU, the median growth."""
    env = dict(os.environ, OPENAI_API_KEY=API_KEY, OPENAI_API_BASE=emu.base_url)
    script = ROOT / "out" / "output_read.ps1"
    script.parent.mkdir(exist_ok=True)
    script.write_text(OUTPUT_READ)
    rows, mib = [], 2**20
    for size in sizes:
        emu.reset()
        file_id, lines, longest = output_file(emu, size)
        measured: dict[str, list[tuple[float, float, int]]] = {"module": [], "rest": []}
        for _ in range(runs):
            for kind in measured:
                with tempfile.TemporaryDirectory() as cache:
                    out = subprocess.run([pwsh, "-NoProfile", "-NonInteractive", "-File", str(script), kind, file_id],
                                         env=dict(env, XDG_CACHE_HOME=cache), cwd=ROOT, capture_output=True,
                                         text=True, timeout=7200)
                count, ms, cpu, baseline, peak = out.stdout.split()[-5:]
                assert int(count) == lines, out.stdout + out.stderr
                measured[kind].append((float(ms), float(cpu), int(peak) - int(baseline)))
        (ms, cpu, grew), (rest_ms, rest_cpu, rest_grew) = (
            (min(m[0] for m in measured[k]), min(m[1] for m in measured[k]),
             statistics.median(m[2] for m in measured[k])) for k in ("module", "rest"))
        rows += [{"row": f"pwsh: Get-BatchOutput of {size} MB ({lines:,} lines), time", "unit": "ms",
                  "baseline": "Invoke-WebRequest + ConvertFrom-Json per line", "per_item_us": ms,
                  "baseline_us": rest_ms, "ratio": ms / rest_ms, "target": "<= 1.0x"},
                 {"row": "pwsh: same, CPU time of the pwsh process", "unit": "ms",
                  "baseline": "the same baseline's CPU time", "per_item_us": cpu,
                  "baseline_us": rest_cpu, "ratio": cpu / rest_cpu, "target": "<= 1.0x"},
                 {"row": "pwsh: same, peak growth", "unit": "MiB", "baseline": "the same baseline's growth",
                  "per_item_us": grew / mib, "baseline_us": rest_grew / mib, "ratio": grew / max(rest_grew, 1),
                  "target": f"bounded: <= 4 x the longest line ({4 * longest / mib:.3f} MiB) + a fixed amount"}]
    return rows



# --- fast keep-alive server rows (issue 21, item 6) --------------------------------------------------------
# nginx (from apt: `apt-get install nginx`; the benchmark starts its own on free ports, never as a system
# service) serving a canned batch for every POST /v1/batches/{id}/cancel, over plain HTTP and over HTTPS with a
# self-signed certificate made for the run. It answers far faster than the Python emulator, so what remains is
# each client's own cost per call: the port's keep-alive requests.Session against a new connection (and, over
# HTTPS, a new TLS handshake) per Invoke-RestMethod.

CANNED_BATCH = json.dumps({
    "id": "batch_fast", "object": "batch", "endpoint": "/v1/chat/completions", "errors": None,
    "input_file_id": "file-in", "completion_window": "24h", "status": "cancelling", "output_file_id": None,
    "error_file_id": None, "created_at": 1700000000, "in_progress_at": 1700000001, "expires_at": 1700086400,
    "finalizing_at": None, "completed_at": None, "failed_at": None, "expired_at": None, "cancelling_at": 1700000002,
    "cancelled_at": None, "request_counts": {"total": 1, "completed": 0, "failed": 0}, "metadata": None})

NGINX_CONF = """
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    server {{
        listen 127.0.0.1:{http};
        listen 127.0.0.1:{https} ssl;
        ssl_certificate {dir}/cert.pem;
        ssl_certificate_key {dir}/key.pem;
        location ~ ^/v1/batches/[^/]+/cancel$ {{
            default_type application/json;
            return 200 '{body}';
        }}
    }}
}}
"""


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NginxServer:
    """nginx on two free ports (plain HTTP and HTTPS) in a temporary folder; None from start() when nginx or
    openssl is missing (the note says which)."""

    def __init__(self):
        self.note = ""

    def start(self) -> "NginxServer | None":
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
        openssl = shutil.which("openssl")
        if not nginx or not openssl:
            self.note = ("skipped: " + ("nginx" if not nginx else "openssl") + " not found (apt-get install nginx "
                         "openssl; the benchmark starts its own on free ports)")
            return None
        self.dir = tempfile.mkdtemp(prefix="bench-nginx-")
        subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", f"{self.dir}/key.pem",
                        "-out", f"{self.dir}/cert.pem"], check=True, capture_output=True)
        self.http, self.https = _free_port(), _free_port()
        conf = Path(self.dir) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=self.dir, http=self.http, https=self.https, body=CANNED_BATCH))
        self.proc = subprocess.Popen([nginx, "-p", self.dir, "-c", str(conf), "-e", f"{self.dir}/error.log"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                requests.post(f"http://127.0.0.1:{self.http}/v1/batches/b/cancel", timeout=1).raise_for_status()
                return self
            except requests.RequestException:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.note = f"skipped: nginx did not start ({self.proc.stderr.read().decode(errors='replace').strip()[:200]})"
        self.stop()
        return None

    @property
    def base_http(self) -> str:
        return f"http://127.0.0.1:{self.http}/v1"

    @property
    def base_https(self) -> str:
        return f"https://127.0.0.1:{self.https}/v1"

    def stop(self) -> None:
        if getattr(self, "proc", None) and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        shutil.rmtree(getattr(self, "dir", ""), ignore_errors=True)


SERVER_PER_CALL = r"""
param([int]$N, [int]$Rounds, [string]$Base, [switch]$Https)
$ErrorActionPreference = 'Stop'
Import-Module ./psbridge/PSOpenAIBridge.psd1
$ids = 1..$N | ForEach-Object { "batch_$_" }
$headers = @{ Authorization = "Bearer $env:OPENAI_API_KEY" }
$rest = @{ Method = 'Post'; Headers = $headers }
if ($Https) { $rest.SkipCertificateCheck = $true }
$null = $ids[0..49] | Stop-Batch -Force -ApiBase $Base       # warm up (JIT, the connection)
foreach ($id in $ids[0..49]) { $null = Invoke-RestMethod @rest -Uri "$Base/batches/$id/cancel" }
$ours = $theirs = [double]::MaxValue
foreach ($round in 1..$Rounds) {       # taking turns, best of each
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $ids | Stop-Batch -Force -ApiBase $Base
    $ours = [math]::Min($ours, $watch.Elapsed.TotalMilliseconds * 1000 / $N)
    $watch.Restart()
    foreach ($id in $ids) { $null = Invoke-RestMethod @rest -Uri "$Base/batches/$id/cancel" }
    $theirs = [math]::Min($theirs, $watch.Elapsed.TotalMilliseconds * 1000 / $N)
}
"$ours $theirs"
"""


def _session_floor(url: str, n: int, verify) -> float:
    """Microseconds per POST of a bare keep-alive requests.Session: the server's speed as a client sees it."""
    session = requests.Session()
    session.post(url, timeout=30, verify=verify).raise_for_status()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            session.post(url, timeout=30, verify=verify).json()
        best = min(best, (time.perf_counter() - start) / n)
    return best * 1e6


def server_rows(emu: EmulatorProcess, pwsh: str, n: int, rounds: int = 3) -> list[dict]:
    """`$ids | Stop-Batch -Force` against a foreach Invoke-RestMethod loop, per call, on nginx over HTTP and
    HTTPS; and each server's floor (a bare keep-alive requests.Session), nginx beside the emulator, which shows
    that nginx is not what is measured."""
    attempt = NginxServer()
    server = attempt.start()
    if server is None:
        print(f"benchmark: nginx rows {attempt.note}", file=sys.stderr)
        return [{"row": "fast server rows (nginx, HTTP and HTTPS)", "baseline": "-", "per_item_us": None,
                 "baseline_us": None, "ratio": None, "target": attempt.note}]
    try:
        script = ROOT / "out" / "server_per_call.ps1"
        script.parent.mkdir(exist_ok=True)
        script.write_text(SERVER_PER_CALL)
        env = dict(os.environ, OPENAI_API_KEY=API_KEY, SSL_CERT_FILE=f"{server.dir}/cert.pem",
                   REQUESTS_CA_BUNDLE=f"{server.dir}/cert.pem")
        env.pop("OPENAI_API_BASE", None)
        measured = {}
        for kind, base in (("HTTP", server.base_http), ("HTTPS", server.base_https)):
            args = [pwsh, "-NoProfile", "-NonInteractive", "-File", str(script), "-N", str(n), "-Rounds", str(rounds),
                    "-Base", base] + (["-Https"] if kind == "HTTPS" else [])
            out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800)
            if out.returncode != 0:
                print(out.stdout, out.stderr, file=sys.stderr)
                raise SystemExit("server_per_call.ps1 failed")
            measured[kind] = [float(x) for x in out.stdout.split()[-2:]]
        floor_nginx = _session_floor(f"{server.base_http}/batches/b/cancel", n, True)
        floor_tls = _session_floor(f"{server.base_https}/batches/b/cancel", n, f"{server.dir}/cert.pem")
        emu.reset()
        ids = [b["id"] for b in emu.seed(n)]
        session = requests.Session()
        headers = {"Authorization": f"Bearer {API_KEY}"}
        session.post(f"{emu.base_url}/batches/{ids[0]}/cancel", headers=headers, timeout=30)
        start = time.perf_counter()
        for i in ids:
            session.post(f"{emu.base_url}/batches/{i}/cancel", headers=headers, timeout=30).json()
        floor_emu = (time.perf_counter() - start) / n * 1e6
    finally:
        server.stop()
    (ours, theirs), (ours_tls, theirs_tls) = measured["HTTP"], measured["HTTPS"]
    return [
        {"row": "nginx (keep-alive, HTTP): $ids | Stop-Batch -Force", "baseline": "foreach Invoke-RestMethod POST",
         "per_item_us": ours, "baseline_us": theirs, "ratio": ours / theirs, "target": "the port's own per-call cost"},
        {"row": "nginx (HTTPS, self-signed): $ids | Stop-Batch -Force", "baseline": "foreach Invoke-RestMethod POST -SkipCertificateCheck",
         "per_item_us": ours_tls, "baseline_us": theirs_tls, "ratio": ours_tls / theirs_tls,
         "target": "kept connection vs a TLS handshake per call"},
        {"row": "server floor: nginx, bare requests.Session POST", "baseline": "the same against the emulator",
         "per_item_us": floor_nginx, "baseline_us": floor_emu, "ratio": floor_nginx / floor_emu,
         "target": f"nginx over HTTPS: {floor_tls:,.0f} us"},
    ]


def fmt(v, unit="") -> str:
    return "-" if v is None else f"{v:,.1f}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="items per round")
    parser.add_argument("--json", default=str(ROOT / "out" / "benchmark.json"))
    parser.add_argument("--output-mb", default="50", help="Get-BatchOutput rows: output file sizes in MB, "
                        "comma-separated (e.g. 50,500; 500 takes long on 2 cores); 0 for none")
    parser.add_argument("--output-runs", type=int, default=1, help="fresh processes per Get-BatchOutput row "
                        "and baseline, taking turns (the best time is shown)")
    parser.add_argument("--only-output", action="store_true", help="only the Get-BatchOutput rows")
    parser.add_argument("--only-cold", action="store_true", help="only the cold-start rows")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes per cold-start row and baseline")
    parser.add_argument("--only-servers", action="store_true", help="only the nginx rows (keep-alive HTTP, HTTPS)")
    parser.add_argument("--only-split", action="store_true", help="only the 50,000-item Start-Batch -Split rows")
    parser.add_argument("--split-runs", type=int, default=3, help="fresh processes per -Split row and baseline")
    args = parser.parse_args()
    sizes = [int(x) for x in args.output_mb.split(",") if int(x)]
    pwsh = shutil.which("pwsh") or os.path.expanduser("~/.dotnet/tools/pwsh")
    with EmulatorProcess() as emu:
        if args.only_cold:
            rows = cold_start_rows(emu, pwsh, args.cold_runs)
        elif args.only_servers:
            rows = server_rows(emu, pwsh, args.n)
        elif args.only_split:
            rows = split_rows(emu, pwsh, runs=args.split_runs)
        else:
            rows = [] if args.only_output else (python_rows(emu, args.n) + pwsh_rows(emu, args.n, args.cold_runs)
                                                + server_rows(emu, pwsh, args.n))
        if sizes and os.path.exists(pwsh) and not (args.only_cold or args.only_servers or args.only_split):
            rows += output_rows(emu, pwsh, sizes, args.output_runs)
    width = max(len(r["row"]) for r in rows)
    print(f"{'row':<{width}}  {'measured':>14}  {'baseline':>14}  {'ratio':>7}  target / baseline")
    for r in rows:
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        unit = " " + r.get("unit", "us")       # per_item_us/baseline_us hold this unit
        print(f"{r['row']:<{width}}  {fmt(r['per_item_us'], unit):>14}  {fmt(r['baseline_us'], unit):>14}  "
              f"{ratio:>7}  {r['target']} / {r['baseline']}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(rows, indent=2))
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
