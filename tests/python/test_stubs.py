"""cmdlets/__init__.pyi (issue 12): generated from the manifests, committed, fresh, in step with the runtime
functions, and accepted by a type checker (pyright from npm, installed by tools/setup.sh into .tools/npm)."""
from __future__ import annotations

import ast
import inspect
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

import cmdlets
from cmdlets.core.manifest import load_manifests
from psbridge import stubs

ROOT = Path(__file__).resolve().parents[2]
PYRIGHT = ROOT / ".tools" / "npm" / "node_modules" / ".bin" / "pyright"


def stub_functions() -> dict[str, ast.FunctionDef]:
    tree = ast.parse(stubs.STUB.read_text(encoding="utf-8"))
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def test_the_committed_stub_is_fresh():
    assert stubs.stale() is None, "cmdlets/__init__.pyi is stale: run .venv/bin/python -m psbridge stubs --update"


def test_py_typed_ships_with_the_stub():
    assert (ROOT / "cmdlets" / "py.typed").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^cmdlets = \["__init__.pyi", "py.typed"\]$', pyproject, re.M)


def test_the_stub_declares_what_the_package_exports():
    tree = ast.parse(stubs.STUB.read_text(encoding="utf-8"))
    [names] = [ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
               and [t.id for t in n.targets if isinstance(t, ast.Name)] == ["__all__"]]
    assert names == cmdlets.__all__
    aliases = {n.targets[0].id: n.value.id for n in tree.body if isinstance(n, ast.Assign)
               and isinstance(n.value, ast.Name)}
    for m in load_manifests().values():
        for alias in m.python_aliases:
            assert aliases[alias] == m.python_name and getattr(cmdlets, alias) is getattr(cmdlets, m.python_name)


def test_each_signature_matches_the_runtime_function():
    functions = stub_functions()
    for m in load_manifests().values():
        runtime = inspect.signature(getattr(cmdlets, m.python_name))
        stub = functions[m.python_name]
        assert [a.arg for a in stub.args.posonlyargs] == [p.name for p in runtime.parameters.values()
                                                           if p.kind is p.POSITIONAL_ONLY]
        keywords = {a.arg: d for a, d in zip(stub.args.kwonlyargs, stub.args.kw_defaults)}
        expected = {p.name: p.default for p in runtime.parameters.values() if p.kind is p.KEYWORD_ONLY}
        for p in m.parameters:
            expected.update({alias: None for alias in p.python_aliases})
        assert set(keywords) == set(expected), m.name
        for name, default in expected.items():
            node = keywords[name]
            shown = ... if isinstance(node, ast.Constant) and node.value is Ellipsis else ast.literal_eval(node)
            assert shown is ... or shown == (list(default) if isinstance(default, tuple) else default), (m.name, name)
        assert ast.get_docstring(stub) == m.synopsis.strip().splitlines()[0]


def pyright(tmp_path: Path, source: str, *files: str) -> dict:
    if not PYRIGHT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{PYRIGHT} missing: tools/setup.sh installs it")
        pytest.skip("pyright is not installed (tools/setup.sh installs it into .tools/npm)")
    (tmp_path / "sample.py").write_text(source)
    (tmp_path / "pyrightconfig.json").write_text(json.dumps({"extraPaths": [str(ROOT)], "pythonVersion": "3.11"}))
    run = subprocess.run([str(PYRIGHT), "--outputjson", *(files or ["sample.py"])], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, env={**os.environ, "PATH": os.environ.get("PATH", "")})
    assert run.stdout, run.stderr
    return json.loads(run.stdout)


def messages(result: dict) -> list[tuple[int, str, str]]:
    return [(d["range"]["start"]["line"] + 1, d["severity"], d["message"]) for d in result["generalDiagnostics"]]


def test_pyright_sees_the_functions_their_types_and_mistakes(tmp_path):
    result = pyright(tmp_path, (
        "from cmdlets import stop_batch, get_batch_output, register_openai_file, Batch, NotFoundError, Secret\n"
        "batch = stop_batch('batch_1', force=True, wait=True, pass_thru=True)\n"
        "reveal_type(batch)\n"
        "reveal_type(get_batch_output('batch_1'))\n"
        "stop_batch('batch_1', forse=True)\n"
        "stop_batch('batch_1', timeout_sec='10')\n"
        "register_openai_file(content=b'{}', name='a.jsonl', purpose='batch', api_key=Secret.of('k'))\n"
        "try:\n    pass\nexcept NotFoundError as e:\n    reveal_type(e.status)\n"))
    found = messages(result)
    assert (3, "information", 'Type of "batch" is "Batch | None"') in found
    assert (4, "information", 'Type of "get_batch_output(\'batch_1\')" is "Iterator[BatchOutput]"') in found
    errors = [(line, text) for line, severity, text in found if severity == "error"]
    assert [line for line, _ in errors] == [5, 6], errors
    assert 'No parameter named "forse"' in errors[0][1] and '"timeout_sec"' in errors[1][1]


def test_pyright_accepts_the_stub_itself(tmp_path):
    result = pyright(tmp_path, "", str(stubs.STUB))
    assert result["summary"]["filesAnalyzed"] == 1
    assert [m for m in messages(result) if m[1] in ("error", "warning")] == []
