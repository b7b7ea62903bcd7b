"""Hardening round 2 (issue 23): answers of the wrong shape (item 6) and statuses in any case (item 7)."""
from __future__ import annotations

import pytest

import cmdlets
from cmdlets.core.errors import InvalidResponseError
from conftest import api_calls

BATCH_WITHOUT_STATUS = {"id": "batch_x", "object": "batch", "endpoint": "/v1/chat/completions"}


@pytest.mark.parametrize("call", [
    lambda: cmdlets.get_batch("batch_x"),
    lambda: cmdlets.wait_batch("batch_x"),
    lambda: cmdlets.stop_batch("batch_x"),
    lambda: cmdlets.stop_batch("batch_x", force=True, pass_thru=True),
], ids=["get_batch", "wait_batch", "stop_batch reads the status", "stop_batch answer"])
def test_a_batch_without_a_status_is_an_invalid_response_naming_the_field(emu, call):
    emu.inject_fault(path_prefix="/v1/batches", status=200, body=BATCH_WITHOUT_STATUS, count=None)
    with pytest.raises(InvalidResponseError) as raised:
        call()
    assert "batch without 'status'" in str(raised.value)
    assert '"id": "batch_x"' in str(raised.value)     # what was sent, to see what went wrong


@pytest.mark.parametrize("data, kind", [("abc", "str"), ({"id": "batch_x"}, "dict"), (7, "int")])
def test_a_list_whose_data_is_not_a_list_is_refused_and_nothing_is_made_up(emu, data, kind):
    emu.inject_fault(path="/v1/batches", status=200, body={"object": "list", "data": data, "has_more": False})
    with pytest.raises(InvalidResponseError) as raised:
        list(cmdlets.get_batch())
    assert "'data' that is not a list" in str(raised.value) and kind in str(raised.value)


@pytest.mark.parametrize("item, kind", [("batch_a", "a string"), (["x"], "a list"), (None, "null")])
def test_a_listed_item_that_is_not_an_object_is_refused(emu, item, kind):
    emu.inject_fault(path="/v1/batches", status=200,
                     body={"object": "list", "data": [{"id": "batch_1", "status": "completed"}, item], "has_more": False})
    with pytest.raises(InvalidResponseError) as raised:
        list(cmdlets.get_batch())
    assert f"sent {kind} where a batch object was expected" in str(raised.value)


def test_a_file_without_an_id_is_refused(emu):
    emu.inject_fault(path_prefix="/v1/files", status=200, body={"object": "file", "bytes": 3})
    with pytest.raises(InvalidResponseError, match="file without 'id'"):
        cmdlets.add_openai_file(content=b"abc", name="a.jsonl", purpose="batch")


def test_wait_batch_compares_statuses_in_any_case_as_powershell_does(emu):
    batch = emu.seed_batch(status="in_progress")
    # The first two reads find it in_progress (the emulator's own state); the third, completed.
    emu.inject_fault(method="GET", path=f"/v1/batches/{batch['id']}", skip=2, status=200,
                     body={**batch, "status": "completed"})
    done = cmdlets.wait_batch(batch["id"], status_for_wait=["IN_PROGRESS"], poll_interval_sec=0.05)
    assert done.status == "completed"
    assert len([c for c in api_calls(emu) if c[0] == "GET"]) == 3


def test_status_for_exit_in_any_case_ends_the_wait(emu):
    batch = emu.seed_batch(status="in_progress")
    done = cmdlets.wait_batch(batch["id"], status_for_exit=["In_Progress"])
    assert done.status == "in_progress"
    assert len([c for c in api_calls(emu) if c[0] == "GET"]) == 1


def test_stop_batch_takes_an_input_object_whose_status_is_in_another_case(emu):
    batch = emu.seed_batch(status="in_progress")
    stopped = cmdlets.stop_batch({**batch, "status": "IN_PROGRESS"}, pass_thru=True)
    assert stopped.status == "cancelling"


def test_api_objects_cross_process_boundaries(emu):
    """Pool.map(get_batch, ids) hands each batch back pickled (issue 23, item 1's repro)."""
    import multiprocessing
    import pickle
    ids = [emu.seed_batch()["id"] for _ in range(4)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        batches = pool.map(cmdlets.get_batch, ids)
    assert [b.id for b in batches] == ids and all(b.status == "in_progress" for b in batches)
    result = cmdlets.request_chat_completion("Hi", model="m")
    again = pickle.loads(pickle.dumps(result))
    assert (again.answer, again.history) == (result.answer, result.history)


# --- Start-Batch: one endpoint per batch, checked before the upload (issue 20, item 4) ----------------------

def _item(custom_id, url):
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": {"model": "m", "input": "x"}}


def test_items_for_another_endpoint_are_refused_before_anything_is_uploaded(emu):
    with pytest.raises(cmdlets.ParameterBindingError, match="is for /v1/embeddings, but the items before it are for /v1/chat/completions"):
        cmdlets.start_batch([_item("a", "/v1/chat/completions"), _item("b", "/v1/embeddings")])
    assert emu.requests() == []


def test_the_endpoint_comes_from_the_items_and_a_different_endpoint_is_refused(emu):
    batch = cmdlets.start_batch([_item("a", "/v1/embeddings"), _item("b", "/v1/embeddings")])
    assert batch.endpoint == "/v1/embeddings"
    uploads = len(emu.requests())
    with pytest.raises(cmdlets.ParameterBindingError, match="-Endpoint .* is /v1/chat/completions"):
        cmdlets.start_batch([_item("a", "/v1/embeddings")], endpoint="/v1/chat/completions")
    assert len(emu.requests()) == uploads
