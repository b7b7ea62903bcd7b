"""The README's Python Batch guide block, run as written against the emulator (the environment points at it,
as a user's would at the API)."""
from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_block(after: str, language: str) -> str:
    text = README.read_text(encoding="utf-8")
    return re.search(rf"```{language}\n(.*?)```", text[text.index(after):], re.S).group(1)


def test_the_batch_guide_python_block_runs_as_written(emu):
    emu.set_step_seconds(0.05)
    scope: dict = {}
    exec(compile(readme_block("And the same in Python", "python"), "README.md", "exec"), scope)
    assert sorted(scope["answers"]) == ["req-1", "req-2", "req-3", "req-4"]
    assert scope["answers"]["req-2"].answer == ["Emulated response for Say 2."]
    assert sorted(scope["texts"]) == ["q-0", "q-1"] and scope["texts"]["q-0"].startswith("Emulated response")
    assert scope["batch"].id in scope["ids"]
