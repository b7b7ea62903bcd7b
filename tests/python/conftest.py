"""Shared fixtures: one emulator per test session on 127.0.0.1, reset before each test that uses it."""
from __future__ import annotations

import json

import pytest

from openai_emulator import Emulator

API_KEY = "sk-test-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"
ORGANIZATION = "org-T3stOrgan1zat1onId"


@pytest.fixture(scope="session")
def emulator():
    with Emulator(api_key=API_KEY) as emu:
        yield emu


@pytest.fixture
def emu(emulator, monkeypatch):
    """A clean emulator, and the environment pointing at it the way a user would configure it."""
    emulator.reset()
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.setenv("OPENAI_API_BASE", emulator.base_url)
    monkeypatch.delenv("OPENAI_ORGANIZATION", raising=False)
    yield emulator


def api_calls(emu):
    """(method, raw path) of every API request the emulator saw, in order."""
    return [(r["method"], r["path"]) for r in emu.requests()]


def batch_creates(emu):
    """The bodies of the batch creates (POST /v1/batches, or Azure's /openai/batches) the emulator saw, in order."""
    return [json.loads(r["body"]) for r in emu.requests()
            if r["method"] == "POST" and r["path"].split("?")[0] in ("/v1/batches", "/openai/batches")]
