"""stop_batch end to end against the emulator: binding, the status guard, -Force, -Wait, the wire."""
from __future__ import annotations

import inspect
import time
from datetime import datetime, timezone
from urllib.parse import quote

import pytest

import cmdlets
from cmdlets import Batch, stop_batch
from cmdlets.core.errors import (ConflictError, InvalidOperationError, NotFoundError, ParameterBindingError,
                                 WaitTimeoutError)
from conftest import api_calls


def cancel(batch_id):
    return ("POST", f"/v1/batches/{quote(batch_id, safe='')}/cancel")


def get(batch_id):
    return ("GET", f"/v1/batches/{quote(batch_id, safe='')}")


# --- binding: every way of naming the batch ---------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda b: stop_batch(b["id"]),
    lambda b: stop_batch(batch_id=b["id"]),
    lambda b: stop_batch(id=b["id"]),
    lambda b: stop_batch({"batch_id": b["id"]}),
    lambda b: stop_batch({"id": b["id"]}),
], ids=["positional str", "batch_id=", "alias id=", "mapping batch_id", "mapping id"])
def test_by_id_reads_status_then_cancels(emu, call):
    batch = emu.seed_batch(status="in_progress")
    assert call(batch) is None
    assert api_calls(emu) == [get(batch["id"]), cancel(batch["id"])]
    assert emu.get_batch(batch["id"])["status"] == "cancelling"


@pytest.mark.parametrize("as_object", [lambda b: b, Batch], ids=["mapping with object=batch", "Batch object"])
@pytest.mark.parametrize("how", ["positional", "input_object", "alias batch"])
def test_by_object_uses_its_status_without_get(emu, as_object, how):
    batch = as_object(emu.seed_batch(status="validating"))
    kwargs = {"positional": {}, "input_object": {"input_object": batch}, "alias batch": {"batch": batch}}[how]
    result = stop_batch(batch, pass_thru=True) if how == "positional" else stop_batch(pass_thru=True, **kwargs)
    assert isinstance(result, Batch) and result.status == "cancelling"
    assert api_calls(emu) == [cancel(batch["id"])]


def test_object_status_guard_sends_nothing(emu):
    batch = emu.seed_batch(status="completed")
    with pytest.raises(InvalidOperationError, match=r'^Cannot cancel batch with status "completed"\.$') as e:
        stop_batch(batch)
    assert e.value.target == batch
    assert api_calls(emu) == []


def test_id_status_guard_gets_but_does_not_cancel(emu):
    batch = emu.seed_batch(status="cancelled")
    with pytest.raises(InvalidOperationError, match='Cannot cancel batch with status "cancelled".'):
        stop_batch(batch["id"])
    assert api_calls(emu) == [get(batch["id"])]


def test_force_skips_the_get_and_the_guard(emu):
    batch = emu.seed_batch(status="completed")
    with pytest.raises(ConflictError) as e:
        stop_batch(batch["id"], force=True)
    assert api_calls(emu) == [cancel(batch["id"])]
    assert e.value.status == 409 and e.value.request_id.startswith("req_")
    assert str(e.value).startswith("OpenAI API returned an 409 (Conflict) Error: ")


def test_force_cancels_with_one_request(emu):
    batch = emu.seed_batch(status="in_progress")
    result = stop_batch(batch["id"], force=True, pass_thru=True)
    assert api_calls(emu) == [cancel(batch["id"])]
    assert result.id == batch["id"] and result["status"] == "cancelling"


# --- bad input is refused before any request --------------------------------------------------------

@pytest.mark.parametrize("args,kwargs,message", [
    ((), {}, "missing required argument: input_object or batch_id"),
    ((), {"batch_id": ""}, "batch_id must not be empty"),
    ((), {"batch_id": "b", "max_retry_count": 101}, "max_retry_count must be between 0 and 100, got 101"),
    ((), {"batch_id": "b", "max_retry_count": -1}, "max_retry_count must be between 0 and 100"),
    ((), {"batch_id": "b", "timeout_sec": -5}, "timeout_sec must be between 0 and"),
    ((), {"batch_id": "b", "timeout_sec": "10"}, "timeout_sec must be an int, got str"),
    ((), {"batch_id": "b", "timeout": 2.5}, "timeout_sec must be an int, got float"),     # (30.0 is taken)
    ((), {"batch_id": "b", "wait": "yes"}, "wait must be a bool"),
    ((), {"batch_id": "b", "id": "c"}, "got two values for batch_id"),
    ((), {"batch_id": "b", "input_object": {"object": "batch", "id": "c"}}, "cannot be used together"),
    ((), {"batch_id": "b", "bogus": 1}, "unexpected keyword argument 'bogus'"),
    ((42,), {}, "positional argument 1 (int) fits no parameter"),
    (("a", "b"), {}, "takes at most 1 positional argument"),
    ((), {"batch_id": "b", "api_base": "not a url"}, "api_base must be an absolute http(s) URL"),
    ((), {"input_object": {"id": "x"}}, "input_object must be a PSOpenAI.Batch object"),
    (({"name": "no id here"},), {}, "fits no parameter"),
])
def test_bad_arguments_fail_before_any_request(emu, args, kwargs, message):
    with pytest.raises(ParameterBindingError) as e:
        stop_batch(*args, **kwargs)
    assert message in str(e.value)
    assert str(e.value).startswith("stop_batch(): ")
    assert api_calls(emu) == []


def test_input_object_without_id_is_refused_before_any_request(emu):
    with pytest.raises(ParameterBindingError, match="no batch id"):
        stop_batch({"object": "batch", "status": "in_progress"})
    assert api_calls(emu) == []


# --- waiting ------------------------------------------------------------------------------------------

def test_wait_polls_until_cancelled_and_returns_the_final_batch(emu):
    emu.set_step_seconds(0.5)
    batch = emu.seed_batch(status="in_progress")
    started = time.monotonic()
    result = stop_batch(batch["id"], force=True, wait=True, pass_thru=True)
    assert result.status == "cancelled"
    assert time.monotonic() - started < 3
    calls = api_calls(emu)
    assert calls[0] == cancel(batch["id"]) and set(calls[1:]) == {get(batch["id"])} and len(calls) >= 2
    assert isinstance(result.cancelled_at, datetime) and result.cancelled_at.tzinfo is timezone.utc
    assert isinstance(result.to_dict()["cancelled_at"], int)
    assert result.request_counts.total == result["request_counts"]["total"]


def test_wait_first_polls_come_sooner_than_the_interval(emu):
    batch = emu.seed_batch(status="in_progress")       # manual lifecycle: stays cancelling
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError, match="did not finish within 2 seconds"):
        stop_batch(batch["id"], force=True, wait=True, timeout_sec=2)
    elapsed = time.monotonic() - started
    assert 1.5 < elapsed < 3.0
    polls = [c for c in api_calls(emu) if c[0] == "GET"]
    assert len(polls) >= 3       # at 0, 1/3 and 2/3 of a second (then every second)


def test_wait_without_pass_thru_returns_nothing(emu):
    emu.set_step_seconds(0.2)
    batch = emu.seed_batch(status="in_progress")
    assert stop_batch(batch["id"], wait=True) is None
    assert emu.get_batch(batch["id"])["status"] == "cancelled"


def test_not_found_names_the_batch(emu):
    with pytest.raises(NotFoundError) as e:
        stop_batch("batch_missing")
    assert e.value.target == "batch_missing"
    assert "No batch found with id 'batch_missing'" in str(e.value)


def test_signature_and_exports():
    sig = inspect.signature(stop_batch)
    assert list(sig.parameters)[:2] == ["input", "batch_id"]
    assert sig.parameters["max_retry_count"].default == 2     # openai-python's; PowerShell's stays 0
    assert sig.parameters["timeout_sec"].default == 600
    assert sig.parameters["api_base"].default == "https://api.openai.com/v1"
    assert "stop_batch" in cmdlets.__all__


def test_a_whole_float_timeout_is_taken_as_openai_python_callers_write_it(emu):
    batch = emu.seed_batch(status="in_progress")
    assert stop_batch(batch["id"], force=True, pass_thru=True, timeout=30.0, max_retry_count=2.0).status == "cancelling"
