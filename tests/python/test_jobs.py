"""Jobs of any size (issue 21): outputs streamed, inputs checked before upload, work split across batches,
failed requests sent again. Against the emulator over loopback."""
from __future__ import annotations

import json

import pytest

from cmdlets import get_batch_output, get_openai_file_content
from cmdlets.core import errors


def output_line(i: int) -> str:
    return json.dumps({"id": f"batch_req_{i}", "custom_id": f"req-{i}", "error": None,
                       "response": {"status_code": 200, "request_id": f"r{i}", "body": {"n": i}}})


def finished_batch(emu, lines: list[str]) -> dict:
    """A completed batch (as Get-Batch gives it) whose output file holds `lines`."""
    f = emu.create_file(("\n".join(lines) + "\n").encode(), purpose="user_data")
    return {"object": "batch", "id": "batch_x", "status": "completed", "output_file_id": f["id"]}


# --- 1. streamed outputs ----------------------------------------------------------------------------

def test_a_malformed_middle_line_is_one_error_naming_it_after_every_other_line(emu):
    done = finished_batch(emu, [output_line(1), output_line(2), '{"id": "batch_req_3", "cust', output_line(4), "[5]"])
    got = []
    with pytest.raises(errors.InvalidResponseError, match=r"^Lines 3, 5 of output file file-\w+ are not JSON objects; "
                                                          "every other line was returned"):
        for output in get_batch_output(done):
            got.append(output.custom_id)
    assert got == ["req-1", "req-2", "req-4"]


def test_outputs_are_lazy_the_first_comes_before_the_body_is_whole(emu):
    done = finished_batch(emu, [output_line(i) for i in range(1, 3001)])       # about 400 KB
    emu.inject_fault(method="GET", path="/v1/files/{id}/content", stall_after=200_000, stall=30)
    outputs = get_batch_output(done)
    assert emu.requests() == []         # nothing is sent before the first item is asked for
    first = next(outputs)
    assert first.custom_id == "req-1"
    assert emu.stalled() == 1           # the rest of the body is still held back by the server
    emu.release_stalls()
    assert [o.custom_id for o in outputs] == [f"req-{i}" for i in range(2, 3001)]


def test_a_line_split_across_chunks_and_crlf_endings_are_read_whole(emu):
    long = json.dumps({"id": "batch_req_1", "custom_id": "long", "response": {"body": {"text": "x" * 200_000}}})
    f = emu.create_file((long + "\r\n" + output_line(2) + "\r\n\r\n" + output_line(3)).encode(), purpose="user_data")
    done = {"object": "batch", "id": "batch_x", "status": "completed", "output_file_id": f["id"]}
    outputs = list(get_batch_output(done))
    assert [o.custom_id for o in outputs] == ["long", "req-2", "req-3"]     # the last line has no newline
    assert len(outputs[0].response.body.text) == 200_000


def test_each_wait_for_more_of_the_body_is_bounded_by_timeout_sec(emu):
    done = finished_batch(emu, [output_line(i) for i in range(1, 3001)])
    emu.inject_fault(method="GET", path="/v1/files/{id}/content", stall_after=1000, stall=10)
    with pytest.raises(errors.APITimeoutError, match="timed out after 1 seconds without more of its body"):
        list(get_batch_output(done, timeout_sec=1))


def test_a_download_cut_off_is_a_connection_error_and_out_file_keeps_what_was_there(emu, tmp_path):
    f = emu.create_file(b"whole content\n" * 1000, purpose="user_data")
    target = tmp_path / "out.jsonl"
    get_openai_file_content(f["id"], out_file=str(target))
    assert target.read_bytes() == b"whole content\n" * 1000
    emu.inject_fault(method="GET", path="/v1/files/{id}/content", status=200, body_text="y" * 100_000, drop="mid")
    with pytest.raises(errors.APIConnectionError, match="connection closed after 50000 of 100000 bytes"):
        get_openai_file_content(f["id"], out_file=str(target))
    assert target.read_bytes() == b"whole content\n" * 1000       # not replaced by half a file
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]    # and no partial file left


def test_out_file_is_streamed_through_the_same_retries(emu, tmp_path):
    f = emu.create_file(b"abc" * 100_000, purpose="user_data")
    emu.inject_fault(method="GET", path="/v1/files/{id}/content", status=503, headers={"retry-after-ms": "10"})
    get_openai_file_content(f["id"], out_file=str(tmp_path / "o.bin"), max_retry_count=1)
    assert (tmp_path / "o.bin").read_bytes() == b"abc" * 100_000
    assert len(emu.requests()) == 2
