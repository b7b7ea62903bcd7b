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
    assert re.search(r'^cmdlets = \["__init__.pyi", "aio.pyi", "py.typed"\]$', pyproject, re.M)


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
    assert (3, "information", 'Type of "batch" is "Batch"') in found
    assert (4, "information", 'Type of "get_batch_output(\'batch_1\')" is "Iterator[BatchOutput]"') in found
    errors = [(line, text) for line, severity, text in found if severity == "error"]
    assert sorted({line for line, _ in errors}) == [5, 6], errors
    # (an unknown keyword fits no overload: pyright says so without naming it)
    assert any('"timeout_sec"' in text for line, text in errors if line == 6)


# A user's script as the README has it, written as a user would, which must check clean and infer the right
# types: each `reveal_type` line's expected type follows its `#`.
CORRECT_SCRIPT = """\
from typing import Any
from cmdlets import (Batch, BatchOutput, Client, File, AuthenticationError, NotFoundError, RateLimitError, aio,
                     get_batch, get_batch_output, get_openai_file, get_openai_file_content, remove_openai_file,
                     request_chat_completion, request_embeddings, start_batch, stop_batch, wait_batch)

items: list[dict[str, Any]] = [{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {}}]
batch = start_batch(items)
reveal_type(batch)  # Batch
reveal_type(start_batch(items, split=True))  # list[Batch]
reveal_type(start_batch(file_id="file-1"))  # Batch
batch = wait_batch(batch.id, status_for_wait=["in_progress", "validating"], timeout=60)
print(batch.status.upper(), batch.created_at.isoformat(), batch.output_file_id, batch.request_counts)
for output in get_batch_output(batch):
    reveal_type(output)  # BatchOutput
    print(output.custom_id, output.response.status_code if output.response else output.error)
ids = [b.id for b in get_batch(all=True)]
reveal_type(get_batch(all=True))  # Iterator[Batch]
reveal_type(get_batch())  # Iterator[Batch]
reveal_type(get_batch("batch_1"))  # Batch
reveal_type(get_batch(batch_id="batch_1"))  # Batch
reveal_type(get_batch(id="batch_1"))  # Batch
reveal_type(stop_batch(batch, force=True, wait=True, pass_thru=True))  # Batch
reveal_type(stop_batch("batch_1"))  # None
reveal_type(stop_batch(batch_id="batch_1", pass_thru=False))  # None
flag = bool(ids)
reveal_type(stop_batch("batch_1", pass_thru=flag))  # Batch | None
reveal_type(get_openai_file("file-1"))  # File
reveal_type(get_openai_file(purpose="batch", all=True))  # Iterator[File]
reveal_type(get_openai_file_content("file-1"))  # bytes
reveal_type(get_openai_file_content("file-1", out_file="out.jsonl"))  # None
reveal_type(request_chat_completion("Hello", model="gpt-4o-mini"))  # ChatCompletionResult
reveal_type(request_chat_completion("Hello", stream=True))  # Iterator[str]
reveal_type(request_chat_completion("Hello", as_batch=True, custom_batch_id="q1"))  # BatchInput
reveal_type(request_embeddings(["a", "b"], model="text-embedding-3-small").data[0])  # JsonObject
client = Client(api_key="sk-test", base_url="http://127.0.0.1:8080/v1", timeout=30, max_retries=0, api_type="azure")
reveal_type(client.get_batch("batch_1"))  # Batch
reveal_type(client.with_options(timeout=5).stop_batch("batch_1", pass_thru=True))  # Batch
try:
    remove_openai_file(batch.input_file_id, api_type="Azure")
except (NotFoundError, AuthenticationError, RateLimitError) as e:
    reveal_type(e.status_code)  # int | None


async def main() -> None:
    reveal_type(await aio.get_batch("batch_1"))  # Batch
    async for b in await aio.get_batch(all=True):
        reveal_type(b)  # Batch
    reveal_type(await aio.AsyncClient(api_key="sk").stop_batch("batch_1", pass_thru=True))  # Batch
"""

# Each line marked `# wrong` is wrong in a way only running it would otherwise show.
WRONG_SCRIPT = """\
from cmdlets import get_batch, stop_batch, wait_batch, Client
batch = get_batch("batch_1")
print(batch.statuz)  # wrong
get_batch("batch_1", api_type="azur")  # wrong
wait_batch("batch_1", status_for_wait=["in_progres"])  # wrong
stop_batch(123)  # wrong
Client(api_key="sk", timeout="30")  # wrong
for b in get_batch(all=True):
    print(b.idd)  # wrong
stop_batch("batch_1").status  # wrong
"""


def test_pyright_infers_each_result_and_accepts_a_correct_script(tmp_path):
    found = messages(pyright(tmp_path, CORRECT_SCRIPT))
    assert [m for m in found if m[1] in ("error", "warning")] == []
    revealed = {line: text for line, severity, text in found if severity == "information"}
    expected = {n: line.split("  # ")[1] for n, line in enumerate(CORRECT_SCRIPT.splitlines(), 1)
                if "reveal_type(" in line}
    for n, type_text in expected.items():
        assert revealed.get(n, "").endswith(f'is "{type_text}"'), (n, CORRECT_SCRIPT.splitlines()[n - 1], revealed.get(n))


def test_pyright_flags_each_wrong_line(tmp_path):
    found = messages(pyright(tmp_path, WRONG_SCRIPT))
    lines = sorted({line for line, severity, _ in found if severity == "error"})
    assert lines == [n for n, line in enumerate(WRONG_SCRIPT.splitlines(), 1) if line.endswith("# wrong")], found


def readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)


def test_pyright_accepts_the_readme_python_blocks(tmp_path):
    blocks = readme_python_blocks()
    assert len(blocks) >= 3
    # What the README leaves to the reader: the request items, and an `await` needs a coroutine around it.
    preamble = "from typing import Any\nitems: list[dict[str, Any]] = []\n"
    for i, block in enumerate(blocks):
        if "await " in block and "async def" not in block:
            block = "async def _example() -> None:\n" + "".join(f"    {line}\n" for line in block.splitlines())
        (tmp_path / f"block{i}.py").write_text(preamble + block)
    found = messages(pyright(tmp_path, "", *(f"block{i}.py" for i in range(len(blocks)))))
    assert [m for m in found if m[1] in ("error", "warning")] == []


def test_pyright_accepts_the_stub_itself(tmp_path):
    result = pyright(tmp_path, "", str(stubs.STUB))
    assert result["summary"]["filesAnalyzed"] == 1
    assert [m for m in messages(result) if m[1] in ("error", "warning")] == []
