"""The session context from Python (issue 18, item 1): set_openai_context / get_openai_context /
clear_openai_context, one per process, used before the environment variables and after explicit keywords."""
from __future__ import annotations

import logging

import pytest

import cmdlets
from cmdlets import Secret
from cmdlets.core.context import OpenAIContext
from cmdlets.core.errors import UnauthorizedError
from conftest import API_KEY, api_calls


@pytest.fixture(autouse=True)
def fresh_context():
    cmdlets.clear_openai_context()
    yield
    cmdlets.clear_openai_context()


def test_the_context_serves_every_call_when_the_environment_has_nothing(emu, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.delenv("OPENAI_API_BASE")
    cmdlets.set_openai_context(api_key=API_KEY, api_base=emu.base_url)
    batch = emu.seed_batch(status="in_progress")
    assert cmdlets.get_batch(batch["id"]).id == batch["id"]
    assert cmdlets.stop_batch(batch["id"], pass_thru=True).status == "cancelling"


def test_a_keyword_beats_the_context_and_the_context_beats_the_environment(emu, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-environment-key-0123")
    cmdlets.set_openai_context(api_key=API_KEY)
    batch = emu.seed_batch()
    assert cmdlets.get_batch(batch["id"]).id == batch["id"]
    with pytest.raises(UnauthorizedError):
        cmdlets.get_batch(batch["id"], api_key="sk-wrong-keyword-key-0123456")


def test_timeouts_and_retries_from_the_context(emu):
    cmdlets.set_openai_context(max_retry_count=2)
    emu.inject_fault(path_prefix="/v1/batches", status=500, count=2, headers={"retry-after-ms": "1"})
    batch = emu.seed_batch()
    assert cmdlets.get_batch(batch["id"]).id == batch["id"]
    assert len([c for c in api_calls(emu) if c[0] == "GET"]) == 3


def test_get_and_clear(emu):
    cmdlets.set_openai_context(api_key="sk-abcdefghijklmnop", api_type="azure", api_base="https://x.example/",
                               timeout_sec=7)
    context = cmdlets.get_openai_context()
    assert isinstance(context, OpenAIContext)
    assert isinstance(context.api_key, Secret) and context.api_key.reveal() == "sk-abcdefghijklmnop"
    assert (context.api_type, context.auth_type, context.api_base, context.timeout_sec) == \
        ("Azure", "azure", "https://x.example/", 7)
    assert "sk-abc" not in repr(context)
    cmdlets.clear_openai_context()
    assert cmdlets.get_openai_context() == OpenAIContext()


def test_only_what_is_given_changes_and_the_auth_type_follows_the_api_type():
    cmdlets.set_openai_context(timeout_sec=5)
    cmdlets.set_openai_context(api_type="Azure")
    context = cmdlets.get_openai_context()
    assert (context.timeout_sec, context.api_type, context.auth_type) == (5, "Azure", "azure")
    cmdlets.set_openai_context(auth_type="azure_ad")
    cmdlets.set_openai_context(timeout_sec=1)
    assert cmdlets.get_openai_context().auth_type == "azure_ad"
    cmdlets.set_openai_context(api_type="OpenAI")
    assert cmdlets.get_openai_context().auth_type == "openai"


def test_an_azure_context_makes_azure_batch_items():
    cmdlets.set_openai_context(api_type="Azure", api_base="https://x.openai.azure.com/")
    item = cmdlets.request_chat_completion("Hi", model="deployment", as_batch=True)
    assert item["url"] == "/chat/completions"


def test_bad_values_are_refused_and_nothing_is_stored():
    with pytest.raises(cmdlets.ParameterBindingError):
        cmdlets.set_openai_context(api_type="elsewhere")
    with pytest.raises(cmdlets.ParameterBindingError):
        cmdlets.set_openai_context(max_retry_count=101)
    with pytest.raises(cmdlets.ParameterBindingError, match="timeout_sec must be between 0"):
        cmdlets.set_openai_context(timeout_sec=-5)      # (stored, every later call failed with urllib3's ValueError)
    assert cmdlets.get_openai_context() == OpenAIContext()


def test_the_key_in_the_context_never_reaches_a_log(emu, caplog, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    cmdlets.set_openai_context(api_key=API_KEY)
    with caplog.at_level(logging.DEBUG, logger="cmdlets"):
        cmdlets.get_batch(emu.seed_batch()["id"])
        emu.inject_fault(path_prefix="/v1/", status=401, body={"error": {"message": f"bad {API_KEY}"}})
        with pytest.raises(UnauthorizedError) as raised:
            cmdlets.get_batch("batch_x")
    text = "\n".join(r.getMessage() for r in caplog.records) + str(raised.value) + repr(cmdlets.get_openai_context())
    assert API_KEY not in text
