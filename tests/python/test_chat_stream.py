"""Request-ChatCompletion(stream=True): the answer's text pieces as the emulator streams them (server-sent
events over chunked HTTP), lazily, stoppable, bounded per wait; the SSE reader on its own."""
from __future__ import annotations

import json
import threading
import time
import warnings

import pytest
import requests

from cmdlets import OpenAIWarning, ParameterBindingError, request_chat_completion, request_response, request_text_completion
from cmdlets.core import errors
from cmdlets.core.host import PythonHost
from cmdlets.core.invoke import run
from cmdlets.core.sse import event_data

from conftest import API_KEY, api_calls


def wait_for_stall(emu, seconds: float = 10) -> bool:
    """Until the server holds the rest of the stream back (it may still be writing the events before)."""
    deadline = time.monotonic() + seconds
    while emu.stalled() < 1:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_pieces_arrive_as_an_iterator_and_join_to_the_answer(emu):
    pieces = request_chat_completion("Please describe about ChatGPT", stream=True, number_of_answers=3)
    assert api_calls(emu) == []         # nothing is sent before the first piece is asked for
    got = list(pieces)
    assert len(got) > 10 and all(isinstance(p, str) for p in got)
    assert "".join(got) == "Emulated response for Please describe about ChatGPT."
    [call] = emu.requests()
    body = json.loads(call["body"])
    assert body["stream"] is True and "n" not in body      # one answer streamed, as PSOpenAI asks


def test_raw_response_streams_each_event_s_json(emu):
    events = [json.loads(e) for e in request_chat_completion("Hi", stream=True, response_format="raw_response")]
    assert {e["object"] for e in events} == {"chat.completion.chunk"}
    assert events[0]["choices"][0]["delta"]["role"] == "assistant"
    assert events[-1]["choices"][0]["finish_reason"] == "stop"


def test_the_emulator_streams_usage_when_asked_and_ends_with_done(emu):
    r = requests.post(emu.base_url + "/chat/completions", headers={"Authorization": f"Bearer {API_KEY}"},
                      json={"model": "m", "messages": [{"role": "user", "content": "Hi"}], "stream": True,
                            "stream_options": {"include_usage": True}}, stream=True)
    assert r.headers["content-type"] == "text/event-stream" and r.headers["transfer-encoding"] == "chunked"
    text = r.content.decode()
    assert text.endswith("data: [DONE]\n\n")
    chunks = [json.loads(e) for e in event_data([r.content])]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0
    assert all(c["usage"] is None for c in chunks[:-1])


def test_azure_streams_from_the_deployment_with_filter_results(emu, monkeypatch):
    monkeypatch.setenv("OPENAI_API_BASE", emu.azure_base_url)
    pieces = list(request_chat_completion("Please describe about Azure", model="gpt-4o-mini", stream=True,
                                          api_type="azure"))
    assert "".join(pieces) == "Emulated response for Please describe about Azure."
    [call] = emu.requests()
    assert call["path"].startswith("/openai/deployments/gpt-4o-mini/chat/completions?")


def test_stream_with_as_batch_is_refused(emu):
    with pytest.raises(ParameterBindingError, match=r"-Stream \(stream=True\) cannot be used with -AsBatch \(as_batch=True\)"):
        request_chat_completion("Hi", stream=True, as_batch=True)


def test_closing_the_iterator_early_closes_the_connection(emu):
    emu.inject_fault(method="POST", path="/v1/chat/completions", stall_after=400, stall=30)
    pieces = request_chat_completion("A long question to answer", stream=True)
    assert next(pieces) == ""           # the role's chunk, before the stall
    assert wait_for_stall(emu)
    started = time.monotonic()
    pieces.close()
    assert time.monotonic() - started < 1
    emu.release_stalls()


def test_a_stop_ends_a_stream_waiting_for_its_next_piece(emu):
    emu.inject_fault(method="POST", path="/v1/chat/completions", stall_after=400, stall=30)
    stop = threading.Event()
    # (what psbridge's host does on Ctrl+C; in Python, Ctrl+C or closing the iterator)
    pieces = run(request_chat_completion.manifest, "__AllParameterSets",
                 {"message": "A long question to answer", "stream": True}, PythonHost(stop=stop))
    next(pieces)
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    with pytest.raises(errors.OperationStoppedError):
        list(pieces)
    assert time.monotonic() - started < 1.5
    emu.release_stalls()


def test_each_wait_for_the_next_piece_is_bounded_by_timeout_sec(emu):
    emu.inject_fault(method="POST", path="/v1/chat/completions", stall_after=400, stall=10)
    with pytest.raises(errors.APITimeoutError, match="timed out after 1 seconds"):
        list(request_chat_completion("A long question to answer", stream=True, timeout_sec=1))
    emu.release_stalls()


def test_an_error_event_in_the_stream_is_an_api_error(emu):
    emu.inject_fault(method="POST", path="/v1/chat/completions", status=200, content_type="text/event-stream",
                     body_text='data: {"choices": [{"delta": {"content": "Hel"}}]}\n\n'
                               'data: {"error": {"message": "The server had an error."}}\n\n')
    pieces = request_chat_completion("Hi", stream=True)
    assert next(pieces) == "Hel"
    with pytest.raises(errors.APIError, match="in the middle of the stream: The server had an error."):
        next(pieces)


def test_an_event_with_empty_data_between_the_pieces_is_skipped(emu):
    # a bare `data:` (a proxy's keep-alive, say): no event in SSE, skipped by PSOpenAI; not "an event that is not JSON"
    emu.inject_fault(method="POST", path="/v1/chat/completions", status=200, content_type="text/event-stream",
                     body_text='data: {"choices": [{"delta": {"content": "Hel"}}]}\n\ndata:\n\n'
                               'data: {"choices": [{"delta": {"content": "lo"}}]}\n\ndata: [DONE]\n\n')
    assert list(request_chat_completion("Hi", stream=True)) == ["Hel", "lo"]


@pytest.mark.parametrize("chunks, expected", [
    ([b'data: {"a":1}\n\ndata: [DONE]\n\ndata: "after"\n\n'], ['{"a":1}']),
    ([b'data: one\r\n', b'\r\ndata:two\n\n'], ["one", "two"]),                  # CRLF; "data:" without space
    ([b'data: a\ndata: b\n\n'], ["a\nb"]),                                      # lines of one event
    ([b': comment\nevent: x\nid: 1\nda', b'ta: split\n', b'\n'], ["split"]),    # fields skipped, split chunks
    ([b'data: last without blank line'], ["last without blank line"]),
    ([b'data:\n\ndata: \r\n\r\ndata: a\n\ndata:'], ["a"]),          # empty data: no event (SSE, PSOpenAI)
])
def test_event_data_reads_server_sent_events(chunks, expected):
    assert list(event_data(chunks)) == expected


def test_a_big_event_in_many_chunks_is_read_in_linear_time():
    # (each chunk used to be joined to all before it and searched again: 20 MB in 16 KB chunks took ~10 s)
    body = b"data: " + b"x" * (20 << 20) + b"\n\n"
    started = time.monotonic()
    [event] = event_data(body[i:i + 16384] for i in range(0, len(body), 16384))
    assert len(event) == 20 << 20 and time.monotonic() - started < 2


def test_an_event_past_the_size_cap_is_refused(monkeypatch):
    from cmdlets.core import sse
    monkeypatch.setattr(sse, "MAX_EVENT_BYTES", 1000)
    assert list(event_data([b"data: " + b"x" * 900 + b"\n\n"] * 3)) == ["x" * 900] * 3     # per event
    with pytest.raises(errors.InvalidResponseError, match="stream event larger than"):
        list(event_data([b"data: " + b"x" * 600, b"x" * 600]))      # a line that never ends



@pytest.mark.parametrize("raw", [False, True])
def test_a_stream_cut_short_without_done_is_a_warning_after_what_came(emu, raw):
    # (a proxy that closes the body cleanly in the middle: the pieces stay, and the user is told)
    emu.inject_fault(method="POST", path="/v1/chat/completions", status=200, content_type="text/event-stream",
                     body_text='data: {"choices": [{"delta": {"content": "Hel"}}]}\n\n')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pieces = list(request_chat_completion("Hi", stream=True, response_format="raw_response" if raw else "text"))
    assert len(pieces) == 1
    assert [str(w.message) for w in caught if issubclass(w.category, OpenAIWarning)] == [
        "The stream ended before the API marked the answer complete: it may be cut short."]


def test_a_whole_stream_gives_no_warning(emu):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert "".join(request_chat_completion("Hi", stream=True)) == "Emulated response for Hi."
        assert "".join(request_text_completion("Hi", stream=True))
        assert "".join(request_response("Hi", stream=True)) == "Emulated response for Hi."    # no [DONE]: its last event
        assert len(list(request_response("Hi", stream=True, output_raw_response=True))) > 3
    assert [w for w in caught if "cut short" in str(w.message)] == []


def test_event_data_keeps_done_when_asked():
    assert list(event_data([b'data: a\n\ndata: [DONE]\n\n'], keep_done=True)) == ["a", "[DONE]"]
    assert list(event_data([b'data: a\n\ndata: [DONE]'], keep_done=True)) == ["a", "[DONE]"]


def test_a_responses_stream_without_its_last_event_is_a_warning(emu):
    emu.inject_fault(method="POST", path="/v1/responses", status=200, content_type="text/event-stream",
                     body_text='data: {"type": "response.output_text.delta", "delta": "Hel"}\n\n')
    with pytest.warns(OpenAIWarning, match="cut short"):
        assert list(request_response("Hi", stream=True)) == ["Hel"]
