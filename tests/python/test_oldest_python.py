"""The oldest Python the package declares (pyproject's requires-python, the README's "Python 3.9+") imports it and
runs it: no annotation evaluated at import that only a newer Python reads (`dict | None`), no attribute of a newer
standard library (types.UnionType, 3.10). The AST check runs everywhere; the run needs that interpreter on the
machine (python3.9 on PATH, or pyenv's) and is skipped without it."""
from __future__ import annotations

import ast
import glob
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("cmdlets", "psbridge", "openai_emulator")


def oldest_version() -> tuple[int, int]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    major, minor = re.search(r'^requires-python = ">=(\d+)\.(\d+)"', text, re.M).groups()
    return int(major), int(minor)


def test_no_annotation_evaluated_at_import_uses_the_union_operator():
    found = []
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if any(isinstance(n, ast.ImportFrom) and n.module == "__future__"
                   and any(a.name == "annotations" for a in n.names) for n in tree.body):
                continue
            # Without the future import, module- and class-level annotations are evaluated when the line runs.
            scopes = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
            for body in scopes:
                for node in body:
                    if isinstance(node, ast.AnnAssign) and any(
                            isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr) for n in ast.walk(node.annotation)):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "X | Y evaluated at import fails before Python 3.10; quote it or add the future import"


def oldest_interpreter() -> str | None:
    major, minor = oldest_version()
    candidates = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{major}.{minor}.*/bin/python")))
    candidates.append(shutil.which(f"python{major}.{minor}"))
    for candidate in filter(None, candidates):     # (a pyenv shim may name a version it does not have)
        if subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    return None


def test_the_oldest_supported_python_runs_a_batch_a_typed_answer_and_a_stream(emu):
    python = oldest_interpreter()
    if python is None:
        pytest.skip("no Python %d.%d on this machine" % oldest_version())
    emu.set_step_seconds(0.05)
    # requests and PyYAML are pure Python (PyYAML without its C part), so this interpreter can use the same copies.
    path = os.pathsep.join([str(ROOT), str(Path(requests.__file__).parents[1]), str(Path(yaml.__file__).parents[1])])
    script = textwrap.dedent("""
        import sys
        assert sys.version_info[:2] == tuple(int(p) for p in sys.argv[1].split(".")), sys.version
        from dataclasses import dataclass
        from typing import List, Optional
        from cmdlets import (request_chat_completion, request_response, start_batch, wait_batch, get_batch_output,
                             stop_batch)

        @dataclass
        class Step:
            explanation: str
            output: Optional[str]

        @dataclass
        class MathReasoning:
            steps: List[Step]
            final_answer: str

        items = [request_chat_completion(f"Say {n}", model="gpt-4o-mini", as_batch=True, custom_batch_id=f"r-{n}")
                 for n in (1, 2)]
        batch = wait_batch(start_batch(items).id)
        print(sorted(o.custom_id for o in get_batch_output(batch)))
        print(type(request_chat_completion("8x + 7 = -23?", model="gpt-4o-mini",
                                           response_format=MathReasoning).answer[0]).__name__)
        print(type(request_response("8x + 7 = -23?", model="gpt-4o-mini",
                                    output_type=MathReasoning).structured_outputs[0]).__name__)
        print("".join(request_chat_completion("Hello", model="gpt-4o-mini", stream=True)))
        print(stop_batch(start_batch(items), force=True, wait=True, pass_thru=True).status)
    """)
    env = dict(os.environ, PYTHONPATH=path, PYTHONDONTWRITEBYTECODE="1", PYTHONNOUSERSITE="1")
    run = subprocess.run([python, "-c", script, "%d.%d" % oldest_version()], capture_output=True, text=True,
                         env=env, cwd=str(ROOT / "tests"), timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["['r-1', 'r-2']", "MathReasoning", "MathReasoning",
                                       "Emulated response for Hello.", "cancelled"]
