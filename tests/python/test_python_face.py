"""Issue 22, item 2: the Python face's own defaults and configuration - openai-python's timeout and retries,
OPENAI_BASE_URL, Client objects for several configurations, and the async twins whose cancellation stops the
request in flight."""
from __future__ import annotations

import asyncio
import inspect
import time

import pytest

import cmdlets
from cmdlets import Client, aio, clear_openai_context, get_batch, set_openai_context
from cmdlets.core import errors
from conftest import API_KEY

GET_BATCH = "/v1/batches/{id}"


# --- defaults and OPENAI_BASE_URL ---------------------------------------------------------------------

def test_python_defaults_are_openai_pythons_and_keywords_take_its_names():
    sig = inspect.signature(cmdlets.wait_batch)
    assert sig.parameters["timeout_sec"].default == 600 and sig.parameters["max_retry_count"].default == 2
    for fn in cmdlets.__all__:
        if callable(obj := getattr(cmdlets, fn)) and hasattr(obj, "keywords") and "api_base" in obj.keywords:
            assert {"base_url", "timeout", "max_retries"} <= obj.keywords.keys(), fn


def test_openai_base_url_is_read_after_openai_api_base(emu, monkeypatch):
    batch = emu.seed_batch()
    monkeypatch.delenv("OPENAI_API_BASE")
    monkeypatch.setenv("OPENAI_BASE_URL", emu.base_url)      # openai-python's variable alone is enough
    assert get_batch(batch["id"]).id == batch["id"]
    # both set: PSOpenAI's variable wins (here a port nothing listens on)
    monkeypatch.setenv("OPENAI_API_BASE", "http://127.0.0.1:9/v1")
    with pytest.raises(errors.APIConnectionError, match="127.0.0.1:9"):
        get_batch(batch["id"], max_retries=0)
    assert get_batch(batch["id"], base_url=emu.base_url).id == batch["id"]     # an argument wins over both


def test_the_context_timeout_comes_before_the_python_default(emu):
    batch = emu.seed_batch()
    emu.inject_fault(method="GET", path=GET_BATCH, delay=3)
    set_openai_context(timeout_sec=1)
    try:
        started = time.monotonic()
        with pytest.raises(errors.APITimeoutError):
            get_batch(batch["id"], max_retries=0)
        assert time.monotonic() - started < 2.5
    finally:
        clear_openai_context()


def test_a_wait_is_not_bounded_by_the_default_timeout_but_by_one_given(emu):
    batch = emu.seed_batch(status="in_progress")
    # a given timeout bounds the whole wait (PSOpenAI's -TimeoutSec with -Wait); the default 600 s only each request
    with pytest.raises(errors.WaitTimeoutError, match="within 1 seconds"):
        cmdlets.wait_batch(batch["id"], timeout=1)


# --- Client ---------------------------------------------------------------------------------------------

def test_a_client_per_configuration(emu, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.delenv("OPENAI_API_BASE")
    batch = emu.seed_batch()
    good = Client(api_key=API_KEY, base_url=emu.base_url, timeout=30, max_retries=0)
    wrong = good.with_options(api_key="sk-wrong")
    assert good.get_batch(batch["id"]).id == batch["id"]
    with pytest.raises(cmdlets.AuthenticationError) as e:
        wrong.get_batch(batch["id"])
    assert e.value.status_code == 401
    assert wrong.get_batch(batch["id"], api_key=API_KEY).id == batch["id"]    # a call's own keyword wins
    with pytest.raises(errors.ConfigurationError, match="No API key"):
        get_batch(batch["id"], base_url=emu.base_url)                         # the functions are untouched
    sent = [r["headers"].get("Authorization", "") for r in emu.requests()]
    assert sent == [f"Bearer {API_KEY}", "Bearer sk-wrong", f"Bearer {API_KEY}"]
    assert "sk-wrong" not in repr(wrong) and API_KEY not in repr(good) and "timeout_sec=30" in repr(good)


def test_a_client_has_every_function_and_checks_its_settings_first():
    functions = [n for n in cmdlets.__all__ if n[0].islower()]
    assert all(callable(getattr(Client, n)) and callable(getattr(aio.AsyncClient, n)) for n in functions)
    assert all(inspect.iscoroutinefunction(getattr(aio, n)) for n in functions)
    with pytest.raises(errors.ParameterBindingError, match="unexpected keyword argument 'apikey'"):
        Client(apikey="sk")
    with pytest.raises(errors.ParameterBindingError, match="max_retry_count must be between 0 and 100"):
        Client(max_retries=101)
    with pytest.raises(errors.ParameterBindingError, match="api_type must be one of OpenAI, Azure"):
        Client(api_type="azur")


# --- async ----------------------------------------------------------------------------------------------

def test_async_twins_return_what_the_functions_return(emu):
    batches = emu.seed_batches(3)

    async def main():
        one = await aio.get_batch(batches[0]["id"])
        listed = [b.id async for b in await aio.get_batch(all=True)]
        client = aio.AsyncClient(base_url=emu.base_url, max_retries=0)
        stopped = await client.stop_batch(one, force=True, pass_thru=True)
        return one, listed, stopped

    one, listed, stopped = asyncio.run(main())
    assert isinstance(one, cmdlets.Batch) and one.id == batches[0]["id"]
    assert sorted(listed) == sorted(b["id"] for b in batches)
    assert stopped.status in ("cancelling", "cancelled")


def test_cancelling_the_task_stops_the_request_in_flight(emu):
    batch = emu.seed_batch()
    emu.inject_fault(method="GET", path=GET_BATCH, delay=8)

    async def main():
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aio.get_batch(batch["id"]), timeout=0.5)
        return time.monotonic() - started

    # wait_for returns once the worker thread has let go: the socket was shut down, not waited out
    assert asyncio.run(main()) < 3


def test_cancelling_an_async_listing_between_pages(emu):
    emu.seed_batches(5)

    async def main():
        listing = await aio.get_batch(limit=2, all=False)
        first = await listing.__anext__()
        await listing.aclose()
        with pytest.raises(StopAsyncIteration):
            await listing.__anext__()
        return first

    assert isinstance(asyncio.run(main()), cmdlets.Batch)
