"""The Python face as a user of openai-python would hold it, against the emulator over loopback: Python-native
arguments (any iterable of strings), nothing silently done when there is nothing to do, exceptions whose
classes say what went wrong, error bodies, JSON of results and warnings users can filter."""
from __future__ import annotations

import collections
import json

import pytest

import cmdlets
from conftest import api_calls


def test_a_list_of_strings_parameter_takes_any_iterable_read_once(emu):
    batch = emu.seed_batch(status="in_progress")
    # a set, a generator, dict keys, a deque: all iterables of str, as the stub's Iterable[str] says
    for statuses in ({"in_progress"}, (s for s in ["in_progress"]), {"in_progress": 1}.keys(),
                     collections.deque(["in_progress"])):
        assert cmdlets.wait_batch(batch["id"], status_for_exit=statuses).status == "in_progress"
    texts = (t for t in ["Banana", "Apple"])
    result = cmdlets.request_embeddings(texts, model="text-embedding-3-small")     # positional: read once, not lost
    assert len(result.data) == 2
    [embed] = [r for r in emu.requests() if r["path"] == "/v1/embeddings"]
    assert json.loads(embed["body"])["input"] == ["Banana", "Apple"]


def test_an_iterable_with_a_non_string_is_refused_before_any_request(emu):
    with pytest.raises(cmdlets.ParameterBindingError, match=r"text must be a str or an iterable of str, got list"):
        cmdlets.request_embeddings(text=(x for x in ["a", 1]), model="text-embedding-3-small")
    assert api_calls(emu) == []


@pytest.mark.parametrize("items", [[], (), "generator"])
def test_start_batch_of_no_items_raises_rather_than_returning_none(emu, items):
    if items == "generator":
        items = (i for i in [cmdlets.request_chat_completion("Hi", model="gpt-4o-mini", as_batch=True)])
        assert cmdlets.start_batch(items).status == "validating"       # the generator is used up now
    emu.clear_requests()
    with pytest.raises(cmdlets.ParameterBindingError, match=r"batch_input holds no request items"):
        cmdlets.start_batch(items)
    assert api_calls(emu) == []
    assert cmdlets.start_batch(items, split=True) == []     # a list of the batches started: none


def test_start_batch_of_an_empty_file_raises(emu, tmp_path):
    empty = tmp_path / "requests.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(cmdlets.ParameterBindingError, match=r"path holds no request items"):
        cmdlets.start_batch(path=empty)
    assert api_calls(emu) == []


@pytest.mark.parametrize("call", [
    lambda: cmdlets.get_batch(limit=0),                                  # out of range
    lambda: cmdlets.wait_batch("batch_1", status_for_exit=["done"]),     # not one of its values
    lambda: cmdlets.get_batch(""),                                       # empty
    lambda: cmdlets.get_batch("batch_1", api_base="ftp://example.test/v1"),     # not an http(s) URL
    lambda: cmdlets.get_batch(".."),                                     # an id that is no path segment
])
def test_a_bad_value_of_the_right_type_is_a_value_error_too(emu, call):
    with pytest.raises(ValueError) as e:
        call()
    assert isinstance(e.value, cmdlets.ParameterValueError) and isinstance(e.value, cmdlets.ParameterBindingError)
    assert api_calls(emu) == []


def test_a_value_of_the_wrong_type_is_a_type_error_only(emu):
    with pytest.raises(TypeError) as e:
        cmdlets.get_batch(limit="5")
    assert not isinstance(e.value, ValueError)


def test_a_star_import_brings_the_error_classes():
    namespace: dict = {}
    exec("from cmdlets import *", namespace)
    for name in ("NotFoundError", "APIStatusError", "ParameterValueError", "NotSupportedError", "AuthenticationError",
                 "RateLimitError", "NotFoundException", "stop_batch", "Batch", "Client"):
        assert namespace[name] is getattr(cmdlets, name)


def test_an_api_errors_body_is_the_error_object_with_secrets_masked(emu):
    from conftest import API_KEY
    with pytest.raises(cmdlets.NotFoundError) as e:
        cmdlets.get_batch("batch_missing")
    assert e.value.body["message"] == "No batch found with id 'batch_missing'."
    assert e.value.body["type"] == "invalid_request_error"
    emu.inject_fault(method="GET", path="/v1/batches/{id}", status=400, body={
        "error": {"message": f"bad key {API_KEY}", "type": "invalid_request_error", "code": None,
                  "details": [{"echo": f"Bearer {API_KEY}", "n": 3}]}})
    with pytest.raises(cmdlets.BadRequestError) as e:
        cmdlets.get_batch("batch_1", max_retries=0)
    body = e.value.body
    assert API_KEY not in json.dumps(body) and body["message"].startswith("bad key ")
    assert body["details"][0]["n"] == 3 and body["code"] is None      # the shape kept
    emu.clear_faults()
    emu.inject_fault(method="GET", path="/v1/batches/{id}", status=502, body_text="<html>Bad gateway</html>")
    with pytest.raises(cmdlets.InternalServerError) as e:
        cmdlets.get_batch("batch_1", max_retries=0)
    assert e.value.body is None


def test_a_result_writes_itself_as_json(emu):
    batch = cmdlets.get_batch(emu.seed_batch(status="completed")["id"])
    with pytest.raises(TypeError):
        json.dumps(batch)       # a read-only Mapping, not a dict: hence to_json()
    assert json.loads(batch.to_json()) == batch.to_dict() == json.loads(json.dumps(batch.to_dict()))
    assert batch.to_json(indent=None) == json.dumps(batch.to_dict(), ensure_ascii=False)
    assert json.loads(batch.request_counts.to_json()) == {"total": 3, "completed": 3, "failed": 0}


def test_a_result_read_as_a_dataclass_writes_its_fields_as_json(emu):
    from test_chat_structured_audio import MathReasoning
    result = cmdlets.request_chat_completion("Solve 8x + 7 = -23", response_format=MathReasoning)
    written = json.loads(result.to_json())
    parsed = written["choices"][0]["message"]["parsed"]
    assert parsed == json.loads(result.choices[0].message.content)     # the fields, as the answer's text had them
    assert parsed["mood"] == "calm"


def test_advice_is_a_warning_of_its_own_category_at_the_callers_line(emu):
    import warnings
    emu.seed_batches(22)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        listed = list(cmdlets.get_batch())      # 20 of 22: advice to pass all=True or limit=
    [warning] = warned
    assert warning.category is cmdlets.OpenAIWarning and issubclass(cmdlets.OpenAIWarning, UserWarning)
    assert "There are more batches than the 20 listed" in str(warning.message) and len(listed) == 20
    assert warning.filename == __file__         # the caller's line, not the package's
    with warnings.catch_warnings():
        warnings.filterwarnings("error", category=cmdlets.OpenAIWarning)
        with pytest.raises(cmdlets.OpenAIWarning):
            list(cmdlets.get_batch())
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=cmdlets.OpenAIWarning)
        assert len(list(cmdlets.get_batch())) == 20
    assert warned == []


def test_cmdlets_aio_warnings_are_at_the_awaiting_line_too(emu):
    # (the work runs in a worker thread: issued there, a warning was the pool's, concurrent/futures/thread.py)
    import asyncio
    import inspect
    import warnings
    from cmdlets import aio
    emu.seed_batches(22)
    emu.inject_fault(method="POST", path="/v1/chat/completions", status=200, content_type="text/event-stream",
                     body_text='data: {"choices": [{"delta": {"content": "Hel"}}]}\n\n')

    async def main():
        listed = [b async for b in await aio.get_batch()]; listing = inspect.currentframe().f_lineno
        pieces = [p async for p in await aio.request_chat_completion("Hi", stream=True)]; stream = inspect.currentframe().f_lineno
        return listed, pieces, listing, stream

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        listed, pieces, listing, stream = asyncio.run(main())
    assert len(listed) == 20 and pieces == ["Hel"]
    assert [(w.category, w.filename, w.lineno) for w in warned] == [
        (cmdlets.OpenAIWarning, __file__, listing), (cmdlets.OpenAIWarning, __file__, stream)]
    assert "more batches than the 20 listed" in str(warned[0].message) and "cut short" in str(warned[1].message)


def test_a_retry_is_logged_not_warned(emu, caplog):
    import logging
    import warnings
    batch = emu.seed_batch()
    emu.inject_fault(method="GET", path="/v1/batches/{id}", status=500, count=1, headers={"retry-after-ms": "10"})
    with warnings.catch_warnings(record=True) as warned, caplog.at_level(logging.WARNING, logger="cmdlets"):
        warnings.simplefilter("always")
        assert cmdlets.get_batch(batch["id"]).id == batch["id"]
    assert warned == []
    [record] = [r for r in caplog.records if r.name == "cmdlets"]
    assert record.levelno == logging.WARNING and "Retrying in 0.0 s (attempt 1 of 2)" in record.getMessage()


def test_signatures_say_none_is_taken_and_client_methods_show_the_functions_parameters():
    import inspect
    from typing import Optional
    sig = inspect.signature(cmdlets.get_batch)
    assert sig.parameters["batch_id"].annotation == Optional[str]      # was `str` with a None default
    assert sig.parameters["limit"].annotation is int                      # a default of its own: not Optional
    client = cmdlets.Client(api_key="sk-x")
    method = inspect.signature(client.get_batch)
    assert list(method.parameters) == list(sig.parameters)               # not (*args, **kwargs)
    assert method.parameters["limit"].default == 20
    assert type(client).get_batch.__qualname__ == "Client.get_batch"
    from cmdlets import aio
    assert list(inspect.signature(aio.AsyncClient(api_key="sk-x").wait_batch).parameters) == \
        list(inspect.signature(cmdlets.wait_batch).parameters)
    assert inspect.iscoroutinefunction(aio.AsyncClient.wait_batch)
