"""The Python face at its edges, used as a Python caller would against the emulator: the returned objects' repr and
to_dict, closing lazy outputs and listings early, cancelled async calls, keys and passwords of any type or place,
path-like arguments."""
from __future__ import annotations

import asyncio
import gc
import logging
import traceback

import pytest

import cmdlets
from cmdlets import Client, aio, get_batch
from conftest import API_KEY, ORGANIZATION


def test_an_api_objects_repr_shows_its_id_and_status_as_fields(emu):
    batch = emu.seed_batch(status="completed")
    got = get_batch(batch["id"])
    assert repr(got) == f"Batch(id={batch['id']!r}, status='completed')"
    assert repr(got.request_counts) == "JsonObject({'total': 3, 'completed': 3, 'failed': 0})"


def test_a_closed_output_iterator_yields_nothing_more_and_sends_nothing(emu):
    batch = cmdlets.get_batch(emu.seed_batch(status="completed", n_requests=3)["id"])
    outputs = cmdlets.get_batch_output(batch)
    assert next(outputs).custom_id == "request-1"    # (the whole small file is one chunk: the rest is read)
    outputs.close()
    assert list(outputs) == []                       # as a closed generator: not the lines read before the close
    unopened = cmdlets.get_batch_output(batch)
    emu.clear_requests()
    unopened.close()
    assert list(unopened) == [] and emu.requests() == []     # closed before the first next(): no download at all


def test_a_cancelled_async_call_leaves_no_unretrieved_exception(emu):
    batch = emu.seed_batch()
    emu.inject_fault(method="GET", path="/v1/batches/{id}", delay=8)
    reported = []

    async def main():
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: reported.append(context["message"]))
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aio.get_batch(batch["id"]), timeout=0.3)
        gc.collect()        # (a future's unretrieved exception is reported as it is collected)

    asyncio.run(main())
    assert reported == []


def test_split_returns_a_list_even_when_there_is_nothing_to_start(emu):
    assert cmdlets.start_batch([], split=True) == []
    assert emu.requests() == []


@pytest.mark.parametrize("bad", [{"timeout": "30"}, {"bogus": 1}])
def test_a_client_refused_shows_no_key_in_a_traceback_with_locals(bad):
    with pytest.raises(cmdlets.ParameterBindingError) as e:
        Client(api_key=API_KEY, organization=ORGANIZATION, **bad)
    inner = e.value.__traceback__.tb_next       # (from the constructor in: the test's own frame has the key)
    rendered = "".join(traceback.TracebackException(type(e.value), e.value, inner, capture_locals=True).format())
    assert "settings = " in rendered            # locals were shown, the half-made client's repr too
    assert API_KEY not in rendered and ORGANIZATION not in rendered


@pytest.mark.parametrize("call", ["function", "client", "client method"])
def test_a_key_of_the_wrong_type_is_refused_unshown(emu, call):
    key = API_KEY.encode()      # read from a file opened in binary mode
    with pytest.raises(cmdlets.ParameterBindingError, match="api_key must be a str or Secret, got bytes") as e:
        if call == "function":
            get_batch("batch_1", api_key=key)
        elif call == "client":
            Client(api_key=key)
        else:
            Client().get_batch("batch_1", api_key=key)
    inner = e.value.__traceback__.tb_next
    rendered = "".join(traceback.TracebackException(type(e.value), e.value, inner, capture_locals=True).format())
    assert "kwargs = " in rendered or "settings = " in rendered
    assert API_KEY not in rendered and emu.requests() == []


def test_a_password_in_the_base_url_is_masked_in_errors_and_logs(emu, caplog):
    password = "GatewayP4ss%2Fword"         # as written in the URL (percent-encoded '/')
    base = emu.base_url.replace("http://", f"http://user:{password}@")
    emu.inject_fault(method="GET", path="/v1/batches/{id}", status=500)
    with caplog.at_level(logging.DEBUG, logger="cmdlets"), pytest.raises(cmdlets.InternalServerError):
        get_batch("batch_1", base_url=base, max_retries=0)
    with caplog.at_level(logging.DEBUG, logger="cmdlets"), pytest.raises(cmdlets.APIConnectionError) as e:
        get_batch("batch_1", base_url=f"http://user:{password}@127.0.0.1:9/v1", max_retries=0)
    assert "http://user:" in str(e.value)        # the URL is still shown, for where it went
    text = f"{e.value}{e.value!r}{e.value.args}" + "\n".join(r.getMessage() for r in caplog.records)
    assert "GET http://user:" in text            # the request lines were logged
    assert password not in text and "GatewayP4ss/word" not in text


@pytest.mark.parametrize("base, shown", [
    ("ftp://user:{p}@gateway/v1", "ftp://user:****@gateway/v1"),                  # not http(s)
    ("https://user:{p}@gateway/v1?x=1", "https://user:****@gateway/v1?x=1"),      # a query
    ("https://gateway/v1?api-key={p}&x=1", "https://gateway/v1?api-key=****&x=1"),
    ("http://user:{p}@gateway:99999/v1", "http://user:****@gateway:99999/v1"),    # a port out of range
    ("http://{p}@gateway:port/v1", "http://****@gateway:port/v1"),
])
@pytest.mark.parametrize("given", ["argument", "environment", "context"])
def test_a_bad_base_url_is_refused_without_showing_its_credentials(emu, monkeypatch, base, shown, given):
    password = "GatewayP4ss%2Fword"
    base = base.format(p=password)
    monkeypatch.delenv("OPENAI_API_BASE", raising=False)
    if given == "environment":
        monkeypatch.setenv("OPENAI_API_BASE", base)
    try:
        with pytest.raises((cmdlets.ParameterBindingError, cmdlets.core.errors.ConfigurationError)) as e:
            if given == "context":      # refused by set_openai_context, or by the call that uses it
                cmdlets.set_openai_context(api_base=base)
            get_batch("batch_1", api_key=API_KEY, max_retries=0, **({"base_url": base} if given == "argument" else {}))
    finally:
        cmdlets.clear_openai_context()
    text = f"{e.value}{e.value!r}{e.value.args}"
    assert shown in text and password not in text and "GatewayP4ss/word" not in text
    assert emu.requests() == []


def test_to_dict_is_a_copy_so_the_object_stays_read_only(emu):
    batch = get_batch(emu.seed_batch(status="completed")["id"])
    d = batch.to_dict()
    d["status"] = "failed"
    d["request_counts"]["failed"] = 3
    assert batch.status == "completed" and batch.request_counts.failed == 0
    assert batch.to_dict() == batch.raw and isinstance(batch.to_dict()["created_at"], int)


def test_a_closed_listing_yields_nothing_more_and_sends_nothing(emu):
    emu.seed_batches(5, status="completed")
    listing = cmdlets.get_batch(all=True)       # one page of 100: the five
    next(listing)
    emu.clear_requests()
    listing.close()
    assert list(listing) == [] and emu.requests() == []


def test_a_path_may_be_a_pathlib_path(emu, tmp_path):
    done = cmdlets.get_batch(emu.seed_batch(status="completed")["id"])
    saved = tmp_path / "input.jsonl"
    assert cmdlets.get_openai_file_content(done.input_file_id, out_file=saved) is None
    uploaded = cmdlets.add_openai_file(saved, purpose="batch")
    assert uploaded.bytes == saved.stat().st_size
    assert cmdlets.start_batch(path=saved).status == "validating"
    with pytest.raises(cmdlets.ParameterBindingError, match="path must be a str or os.PathLike, got int"):
        cmdlets.start_batch(path=3)


def test_an_output_iterator_cut_off_ends_and_says_nothing_false_after(emu):
    batch = cmdlets.get_batch(emu.seed_batch(status="completed", n_requests=400)["id"])
    emu.inject_fault(path_prefix="/v1/files", stall_after=100_000, stall=5)     # the body stops mid-line
    outputs = cmdlets.get_batch_output(batch, timeout=1, max_retries=0)
    taken = []
    with pytest.raises(cmdlets.APITimeoutError):
        for output in outputs:
            taken.append(output)
    assert taken
    # as a generator that raised: over (not "Line N is not a JSON object" for the line the cut left half read)
    assert list(outputs) == []
    emu.release_stalls()
