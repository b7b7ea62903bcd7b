"""Jobs of any size (issue 21): outputs streamed, inputs checked before upload, work split across batches,
failed requests sent again. Against the emulator over loopback."""
from __future__ import annotations

import json
import sys
import threading
import warnings

import pytest

import cmdlets
from cmdlets import get_batch_output, get_batch_request, get_openai_file_content, start_batch, wait_batch
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


def test_a_timestamp_no_datetime_holds_reads_as_the_number_and_a_files_own_parsed_stays_json(emu):
    body = {"id": "chatcmpl-1", "object": "chat.completion", "created": 99999999999999, "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": '{"a": 1}', "parsed": {"a": 1}}}]}
    line = json.dumps({"id": "batch_req_1", "custom_id": "req-1", "error": None,
                       "response": {"status_code": 200, "request_id": "r", "body": body}})
    outputs = list(get_batch_output(finished_batch(emu, [line, output_line(2)])))
    assert [o.custom_id for o in outputs] == ["req-1", "req-2"]
    chat = outputs[0].response.body
    assert chat.created == 99999999999999
    assert chat.answer == [{"a": 1}]
    assert outputs[0].ps_natives() == []        # JSON data, not an object read as a type: it crosses as JSON


def test_a_lines_warnings_come_as_it_is_taken_just_before_it(emu):
    def chat(i: int, reason: str) -> str:
        body = {"id": f"chatcmpl-{i}", "object": "chat.completion", "created": 1700000000, "model": "m",
                "choices": [{"index": 0, "finish_reason": reason, "message": {"role": "assistant", "content": "x"}}]}
        return json.dumps({"id": f"batch_req_{i}", "custom_id": f"req-{i}", "error": None,
                           "response": {"status_code": 200, "request_id": "r", "body": body}})
    seen = []
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        for output in get_batch_output(finished_batch(emu, [chat(1, "stop"), chat(2, "length"), chat(3, "stop")])):
            seen += ["warning"] * len(warned) + [output.custom_id]
            warned.clear()
    assert seen == ["req-1", "warning", "req-2", "req-3"]


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


# --- 2. checked before upload ------------------------------------------------------------------------

def item(i, url="/v1/chat/completions", model="gpt-4o-mini", **changes):
    made = {"custom_id": f"req-{i}", "method": "POST", "url": url,
            "body": {"model": model, "messages": [{"role": "user", "content": f"Say {i}"}]}}
    made.update(changes)
    return made


@pytest.mark.parametrize("bad,message", [
    (item(2, custom_id="req-1"), r"Batch input item 3 has custom_id 'req-1', as item 1 does"),
    ({k: v for k, v in item(9).items() if k != "custom_id"}, r"Batch input item 3 has no custom_id"),
    (item(3, custom_id=3), r"Batch input item 3 has a custom_id that is not text \(int\)"),
    (item(3, method="GET"), r"Batch input item 3 has method 'GET': a batch sends POST requests only"),
    (item(3, url="/v1/embeddings"), r"Batch input item 3 is for /v1/embeddings, but the items before it are for "),
    (item(3, model="gpt-4o"), r"Batch input item 3 is for model 'gpt-4o', but the items before it are for 'gpt-4o-mini'"),
    (item(3, body=json.dumps(item(3)["body"])), r"Batch input item 3 has a body that is JSON text, not an object"),
    (item(3, body=[1]), r"Batch input item 3 has a body that is a value of type list, not an object"),
], ids=["duplicate custom_id", "missing custom_id", "custom_id not text", "GET", "another url", "another model",
        "body as JSON text", "body a list"])
def test_a_bad_item_is_refused_before_any_request_naming_its_number(emu, bad, message):
    with pytest.raises(errors.ParameterBindingError, match=message):
        start_batch([item(1), item(2), bad, item(4)])
    assert emu.requests() == []


def test_an_item_that_is_a_string_is_named_as_such_before_any_request(emu):
    with pytest.raises(errors.ParameterBindingError, match=r"^Batch input item 1 is 'file-a', not a request item "
                                                          r"\{custom_id, method, url, body\} \(a file id goes alone"):
        start_batch(["file-a", "file-b"])
    assert emu.requests() == []


def test_a_url_not_in_lower_case_is_refused_before_any_request(emu):
    # The endpoint is sent in lower case; the API fails every line whose url is not the endpoint as written.
    upper = "/V1/Chat/Completions"
    with pytest.raises(errors.ParameterBindingError, match=r"^Batch input item 1 is for /V1/Chat/Completions: a "
                                                          r"batch's endpoint is in lower case \(/v1/chat/completions\)"):
        start_batch([item(1, url=upper), item(2, url=upper)])
    with pytest.raises(errors.ParameterBindingError, match=r"^Batch input item 1 is for /V1/Chat/Completions"):
        start_batch([item(1, url=upper)], endpoint="/v1/chat/completions")
    assert emu.requests() == []


@pytest.mark.parametrize("url", ["/v1/chat/completions/", "https://api.openai.com/v1/chat/completions",
                                 "v1/chat/completions", "/v1/chat/completions?x=1", " /v1/chat/completions"])
def test_a_url_that_is_not_an_endpoint_path_is_refused_before_any_request(emu, url):
    with pytest.raises(errors.ParameterBindingError, match=r"^Batch input item 1 is for .*, which is not an endpoint's "
                                                          r"path: .* such as /v1/chat/completions \(no host"):
        start_batch([item(1, url=url), item(2, url=url)], endpoint=url)
    assert emu.requests() == []


def test_keys_in_another_case_are_uploaded_as_the_api_names_them(emu):
    # Found in any case by the checks (as PowerShell finds them), so written as the API reads them: a line of
    # {"Custom_Id":…} would fail the whole batch after the upload.
    items = [{"Custom_Id": f"r{i}", "METHOD": "POST", "Url": "/v1/chat/completions",
              "Body": {"Model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}} for i in (1, 2)]
    emu.set_step_seconds(0.05)
    batch = start_batch(items)
    assert lines_of(emu, batch.input_file_id) == [
        {"custom_id": f"r{i}", "method": "POST", "url": "/v1/chat/completions",
         "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}} for i in (1, 2)]
    assert wait_batch(batch.id, poll_interval_sec=0.1).status == "completed"
    emu.clear_requests()
    with pytest.raises(errors.ParameterBindingError, match=r"^Batch input item 1 has 'url' twice, in different case"):
        start_batch([{**item(1), "URL": "/v1/chat/completions"}])
    assert emu.requests() == []


def test_items_that_do_not_fit_one_batch_are_refused_before_any_request(emu):
    with pytest.raises(errors.ParameterBindingError, match=r"do not fit in one batch \(50,000 requests at most\): items 1 "
                                                          r"to 50,000 fill one, and items 50,001 to 50,001 would need 1 more"):
        start_batch(item(i) for i in range(1, 50_002))
    assert emu.requests() == []


def test_an_embeddings_batch_holds_50000_inputs_in_all(emu):
    texts = [f"t{n}" for n in range(1000)]
    requests = [item(i, url="/v1/embeddings", model="text-embedding-3-small", body={"model": "text-embedding-3-small",
                                                                                   "input": texts}) for i in range(1, 52)]
    with pytest.raises(errors.ParameterBindingError, match=r"\(50,000 embedding inputs at most\): items 1 to 50 fill one"):
        start_batch(requests)
    assert emu.requests() == []


def test_the_byte_limit_counts_the_jsonl_as_uploaded(emu, monkeypatch):
    from cmdlets.batch import limits
    line = len(json.dumps(item(1), separators=(",", ":")))
    monkeypatch.setattr(limits, "MAX_BYTES", 3 * line + 2)      # three lines and their two newlines
    with pytest.raises(errors.ParameterBindingError, match=r"\(0 MB at most\): items 1 to 3 fill one, and items 4 to 4"):
        start_batch([item(i) for i in range(1, 5)])
    assert emu.requests() == []


def test_a_local_jsonl_file_is_checked_line_by_line_then_uploaded(emu, tmp_path):
    path = tmp_path / "requests.jsonl"
    path.write_text("\n".join(json.dumps(item(i, url="/v1/embeddings", body={"model": "m", "input": "x"}))
                              for i in range(1, 4)) + "\n\n")
    batch = start_batch(path=str(path))
    assert batch.endpoint == "/v1/embeddings"
    assert emu.file_content(batch.input_file_id).decode().count("\n") == 2
    path.write_text(json.dumps(item(1)) + "\n\nnot json\n")
    emu.clear_requests()
    with pytest.raises(errors.ParameterBindingError, match=r"Line 3 of requests.jsonl is not a JSON object"):
        start_batch(path=str(path))
    path.write_text(json.dumps(item(1)) + "\n" + json.dumps(item(1)) + "\n")
    with pytest.raises(errors.ParameterBindingError, match=r"Line 2 has custom_id 'req-1', as line 1 does"):
        start_batch(path=str(path))
    with pytest.raises(errors.ParameterBindingError, match=r"no such file"):
        start_batch(path=str(tmp_path / "missing.jsonl"))
    for encoding in ("utf-16", "utf-16-le"):     # (Windows PowerShell's `>` writes the first, with its BOM)
        path.write_text(json.dumps(item(1)) + "\n" + json.dumps(item(2)) + "\n", encoding=encoding)
        with pytest.raises(errors.ParameterBindingError, match=r"^The lines of requests.jsonl are UTF-16 text, and a "
                                                              r"batch's JSONL must be UTF-8: save it as UTF-8"):
            start_batch(path=str(path))
    assert emu.requests() == []


# --- 3. bigger than one batch -------------------------------------------------------------------------

def test_split_starts_as_many_batches_as_the_limits_require_in_order(emu):
    batches = start_batch((item(i) for i in range(1, 50_003)), split=True)
    assert len(batches) == 2 and all(b.status == "validating" for b in batches)
    first, second = (emu.file_content(b.input_file_id).decode().split("\n") for b in batches)
    assert len(first) == 50_000 and json.loads(first[0])["custom_id"] == "req-1"
    assert [json.loads(line)["custom_id"] for line in second] == ["req-50001", "req-50002"]
    assert [r["path"] for r in emu.requests()] == ["/v1/files", "/v1/batches"] * 2


def test_split_batches_are_waited_for_and_read_together(emu, monkeypatch):
    from cmdlets.batch import limits
    monkeypatch.setattr(limits, "MAX_REQUESTS", 2)
    emu.set_step_seconds(0.05)
    batches = start_batch([item(i) for i in range(1, 6)], split=True)
    assert len(batches) == 3
    done = [wait_batch(b, poll_interval_sec=0.1) for b in batches]
    outputs = [o.custom_id for b in done for o in get_batch_output(b)]
    assert sorted(outputs) == [f"req-{i}" for i in range(1, 6)]


# (a lost answer is lost twice: the request went out on a kept-alive connection, so a connection closed without
# an answer has it sent once more on a new one, which would recover the answer)
@pytest.mark.parametrize("fault,outcome", [
    ({"path": "/v1/files", "drop": "after", "count": 2}, r"was not started: The request POST \S+/v1/files failed: "),
    ({"path": "/v1/batches", "status": 400}, r"was not started \(its requests are uploaded as file file-\w+\): "),
    # the create was carried out, its answer lost: not "was not started", lest the items be started twice
    ({"path": "/v1/batches", "drop": "after", "count": 2}, r"may have been started, from file file-\w+ \(Get-Batch lists the "
                                                r"batches\): The request POST \S+/v1/batches failed: "),
], ids=["upload lost", "create refused", "create's answer lost"])
def test_split_a_part_that_fails_says_whether_its_batch_may_have_started(emu, monkeypatch, fault, outcome):
    from cmdlets.batch import limits
    monkeypatch.setattr(limits, "MAX_REQUESTS", 2)
    emu.inject_fault(method="POST", skip=1, **fault)
    with pytest.raises(errors.OpenAIError, match=r"^Batch 2 of 3 \(items 3 to 4\) " + outcome
                                                 + r".*\. Started already: batch_\w+\.$") as raised:
        start_batch([item(i) for i in range(1, 6)], split=True)
    started = len(emu.list_batches()["data"])
    assert started == (2 if "may have" in outcome else 1), raised.value


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes are Python 3.11's")
def test_split_stopped_midway_names_the_batches_already_started(emu, monkeypatch):
    from cmdlets.batch import limits
    from cmdlets.core.host import PythonHost
    from cmdlets.core.invoke import run
    monkeypatch.setattr(limits, "MAX_REQUESTS", 2)
    emu.inject_fault(method="POST", path="/v1/files", skip=1, delay=5)     # the second part's upload hangs
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()
    with pytest.raises(errors.OperationStoppedError) as raised:
        run(cmdlets.start_batch.manifest, "BatchObject", {"batch_input": [item(i) for i in range(1, 6)], "split": True},
            PythonHost(stop=stop))
    (first,) = emu.list_batches()["data"]
    assert raised.value.__notes__ == [f"Batches started before the stop (Get-Batch lists them; Stop-Batch cancels): "
                                      f"{first['id']}."]


def test_split_with_one_batch_returns_a_list_of_one(emu):
    assert [b.object for b in start_batch([item(1)], split=True)] == ["batch"]


# --- 4. failed requests again -------------------------------------------------------------------------

def lines_of(emu, file_id):
    return [json.loads(line) for line in emu.file_content(file_id).decode().splitlines() if line]


@pytest.mark.parametrize("status,failing,expected", [
    ("completed", 2, [4, 5]),           # the two that failed (no model): their lines are in the error file
    ("expired", 0, [1, 2, 3, 4, 5]),    # none ran: batch_expired lines in the error file
    ("cancelled", 0, [3, 4, 5]),        # cancelled half way: the rest never ran (no line at all)
])
def test_failed_requests_start_again_with_their_custom_ids(emu, status, failing, expected):
    done = emu.seed_batch(status=status, n_requests=5, n_failing=failing)
    again = list(get_batch_request(done["id"], failed=True))
    assert [r.custom_id for r in again] == [f"request-{i}" for i in expected]
    assert all(r.ps_type_name == "PSOpenAI.Batch.Input" for r in again)
    batch = start_batch(again)
    inputs = {line["custom_id"]: line for line in lines_of(emu, done["input_file_id"])}
    assert lines_of(emu, batch.input_file_id) == [inputs[f"request-{i}"] for i in expected]   # the very lines


def test_include_output_gives_each_request_beside_its_result_in_input_order(emu):
    done = emu.seed_batch(status="cancelled", n_requests=4, n_failing=1)
    rows = list(get_batch_request(done, include_output=True))
    assert [r.custom_id for r in rows] == ["request-1", "request-2", "request-3", "request-4"]
    assert rows[0].output.response.body.answer == ["Emulated response for request-1."]
    assert rows[0].output.custom_id == "request-1" and rows[1].output.custom_id == "request-2"
    assert rows[2].output is None and rows[3].output is None        # cancelled before they ran


def test_a_request_with_a_success_among_results_twice_is_not_failed_and_other_ids_are_left_out(emu):
    done = emu.seed_batch(status="completed", n_requests=3)
    lines = emu.file_content(done["output_file_id"]).decode().splitlines()
    failed = {**json.loads(lines[0]), "response": {"status_code": 500, "request_id": "r", "body": {}}}
    other = {**json.loads(lines[1]), "custom_id": "not-in-the-input"}
    # The output file as a server might give it: request-1's success, then a failure for it, and an id of no request
    emu.inject_fault(method="GET", path=f"/v1/files/{done['output_file_id']}/content", status=200,
                     content_type="application/octet-stream", count=None,
                     body_text="\n".join([lines[0], json.dumps(failed), json.dumps(other), *lines[1:]]) + "\n")
    assert list(get_batch_request(done, failed=True)) == []
    rows = list(get_batch_request(done, include_output=True))
    assert [(r.custom_id, r.output.response.status_code) for r in rows] == [
        ("request-1", 200), ("request-2", 200), ("request-3", 200)]


def test_a_batch_that_has_not_finished_is_an_error_before_its_files_are_read(emu):
    running = emu.seed_batch(status="in_progress")
    with pytest.raises(errors.InvalidOperationError, match=r'has not finished \(status "in_progress"\).*-Wait'):
        get_batch_request(running["id"], failed=True)
    assert [r["path"] for r in emu.requests()] == [f"/v1/batches/{running['id']}"]


def test_chat_output_lines_are_kept_as_the_file_has_them_for_the_bridge(emu):
    """pwsh gets a chat result line as the file has it (psbridge.output._line_slot types it there); a line with
    a key twice, or not strict UTF-8 (an encoded surrogate), or whose body is not a plain chat completion, is written again."""
    from cmdlets.batch.jsonl import JsonLines
    from psbridge.output import output_text

    def chat(i: int, created=1700000000, content="hi") -> str:
        return json.dumps({"id": f"batch_req_{i}", "custom_id": f"req-{i}", "error": None, "response": {
            "status_code": 200, "request_id": "r", "body": {"id": f"c{i}", "object": "chat.completion", "created": created,
                                                            "choices": [{"index": 0, "message": {"content": content}}]}}})
    lines = [chat(1), chat(2, created=0), chat(3, content=None), chat(4).replace('"id": "c4"', '"id": "c4", "id": "d4"'),
             output_line(5)]
    f = emu.create_file(("\n".join(lines) + "\n").encode() + b'{"id": "\xed\xa0\x80", "custom_id": "req-6"}\n', purpose="user_data")
    reader = get_batch_output({"object": "batch", "id": "b", "status": "completed", "output_file_id": f["id"]})
    assert isinstance(reader, JsonLines)
    items, kept = [], []
    for item in reader:
        items.append(item)
        kept.append(reader.line)
    assert [i.custom_id for i in items] == ["req-1", "req-2", "req-3", "req-4", "req-5", "req-6"]
    assert kept[:3] == lines[:3] and kept[3] is None and kept[4] == lines[4] and kept[5] is None
    slots, text = output_text(items, [], kept).split("\n", 1)
    assert slots.split("\t")[0] == "PSOpenAI.Batch.Output|response/body=PSOpenAI.Chat.Completion!chat"
    assert text.startswith("[" + lines[0] + ",")        # passed on untouched
    assert [s.endswith("!chat") for s in slots.split("\t")] == [True, False, False, False, False, False]
    assert text.startswith("[" + lines[0] + ',{"id":"batch_req_2"')      # the others written again, as before
    assert output_text(items[1:]) == output_text(items[1:], [], kept[1:])


@pytest.mark.parametrize("choices", [
    [{"finish_reason": "stop", "message": {"content": "a"}}],
    [{"finish_reason": "stop", "message": {"content": "a"}}, {"finish_reason": "length", "message": {"content": "b"}}],
    [{"finish_reason": "content_filter", "message": {"content": None}}],
    [{"finish_reason": "stop", "message": {"content": None, "refusal": "no"}}],
    [{"finish_reason": "stop", "message": {"content": "a", "refusal": ""}}],
    [{"finish_reason": "LENGTH", "message": {"content": "a"}}],
    [{"finish_reason": None, "message": {"content": "a"}}],
    [{"finish_reason": "stop", "message": "not an object"}, "not a choice"],
    [],
    "not a list",
])
def test_chat_warnings_are_chat_answers_warnings(choices):
    """Get-BatchOutput's warnings for each line (chat_warnings, which sees a plain answer without making it) are
    the ones chat_answers gives."""
    from cmdlets.core.answers import chat_answers, chat_warnings
    raw = {"object": "chat.completion", "choices": choices}
    assert chat_warnings(raw) == [w for _, w in chat_answers(raw) if w]
