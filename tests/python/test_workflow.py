"""The Batch guide end to end in Python (the acceptance scenario), then each cmdlet's sets and forms."""
from __future__ import annotations

import gc
import json
import logging
import os
import stat
import threading
import warnings
import weakref

import pytest

from cmdlets import (Batch, add_openai_file, get_batch, get_batch_output, get_openai_file, get_openai_file_content,
                     remove_openai_file, start_batch, stop_batch, wait_batch)
from cmdlets.core import errors
from cmdlets.core.objects import BatchOutput, File
from conftest import api_calls, batch_creates


def items(n=4, url="/v1/chat/completions"):
    return [{"custom_id": f"req-{i}", "method": "POST", "url": url,
             "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Say {i}"}]}}
            for i in range(1, n + 1)]


def test_the_batch_guide(emu):
    emu.set_step_seconds(0.1)
    batch = start_batch(items(4))
    assert isinstance(batch, Batch) and batch.status == "validating"

    done = wait_batch(batch.id, poll_interval_sec=0.2)
    assert done.status == "completed" and done.output_file_id

    outputs = list(get_batch_output(done))
    assert sorted(o.custom_id for o in outputs) == ["req-1", "req-2", "req-3", "req-4"]
    assert all(isinstance(o, BatchOutput) and o.response.status_code == 200 for o in outputs)

    assert batch.id in [b.id for b in get_batch(all=True)]

    second = stop_batch(start_batch(done.input_file_id), force=True, pass_thru=True)
    assert second.status in ("cancelling", "cancelled")

    for file_id in (done.input_file_id, done.output_file_id):
        remove_openai_file(file_id)
        with pytest.raises(errors.NotFoundError):
            get_openai_file(file_id)


# --- Start-Batch ----------------------------------------------------------------------------------------

def test_start_from_a_file_id_sends_exactly_the_body(emu):
    f = emu.create_file("\n".join(json.dumps(i) for i in items(2)))
    batch = start_batch(f["id"], metadata={"project": "x"}, output_expires_after_seconds=3600)
    # the file is read and checked first (its metadata, then its lines), then the create is PSOpenAI's own
    assert api_calls(emu) == [("GET", f"/v1/files/{f['id']}"), ("GET", f"/v1/files/{f['id']}/content"),
                              ("POST", "/v1/batches")]
    (create,) = batch_creates(emu)
    assert create == {
        "input_file_id": f["id"], "endpoint": "/v1/chat/completions", "completion_window": "24h",
        "metadata": {"project": "x"}, "output_expires_after": {"anchor": "created_at", "seconds": 3600}}
    assert batch.metadata == {"project": "x"}


@pytest.mark.parametrize("call", [
    lambda fid: start_batch(file_id=fid), lambda fid: start_batch(input_file_id=fid),
    lambda fid: start_batch(file=fid), lambda fid: start_batch({"input_file_id": fid}),
], ids=["file_id", "alias input_file_id", "alias file", "by property name"])
def test_start_file_id_forms(emu, call):
    f = emu.create_file("\n".join(json.dumps(i) for i in items(1)))
    assert call(f["id"]).input_file_id == f["id"]


# -FileId: the file is read and checked before the batch is created; each refusal names the file and sends no create

def jsonl(lines):
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)


def creates(emu):
    return [c for c in api_calls(emu) if c == ("POST", "/v1/batches")]


def test_start_file_id_not_found_says_no_batch_was_created(emu):
    with pytest.raises(errors.NotFoundError) as caught:
        start_batch("file-missing")
    assert caught.value.message == (
        'Input file "file-missing" was not found, so no batch was created. Check the id (Get-OpenAIFile lists the '
        "uploaded files), or upload the requests first (Add-OpenAIFile -Purpose batch), or start the batch from them "
        "with -Path or -BatchInput. (OpenAI API returned an 404 (Not Found) Error: No such File object: file-missing)")
    assert caught.value.status == 404 and caught.value.target == "file-missing"
    assert api_calls(emu) == [("GET", "/v1/files/file-missing")]


@pytest.mark.parametrize("purpose", ["assistants", "fine-tune"])
def test_start_file_id_of_another_purpose_is_refused(emu, purpose):
    f = add_openai_file(content=jsonl(items(1)).encode(), name="in.jsonl", purpose=purpose)
    emu.clear_requests()
    with pytest.raises(errors.ParameterBindingError) as caught:
        start_batch(f.id)
    assert caught.value.message == (
        f'File "{f.id}" has purpose "{purpose}", not "batch", so no batch was created: a batch reads only files '
        'uploaded with purpose "batch". Upload the requests with that purpose (Add-OpenAIFile -Purpose batch) and '
        "start the batch from the new file.")
    assert api_calls(emu) == [("GET", f"/v1/files/{f.id}")]


def test_start_file_id_over_the_size_limit_is_refused_without_reading_it(emu):
    from cmdlets.batch import limits
    f = emu.seed_file(jsonl(items(1)), bytes=limits.MAX_BYTES + 1)
    with pytest.raises(errors.ParameterBindingError) as caught:
        start_batch(f["id"])
    assert caught.value.message == (
        f'File "{f["id"]}" holds 200,000,001 bytes, more than the 200 MB a batch\'s input file may hold, so no batch '
        "was created. Split its requests into files of at most 200 MB, or start the batches from the requests with "
        "Start-Batch -Path -Split (split=True).")
    assert api_calls(emu) == [("GET", f"/v1/files/{f['id']}")]
    exactly = emu.seed_file(jsonl(items(1)), bytes=limits.MAX_BYTES)        # at the limit: started
    assert start_batch(exactly["id"]).input_file_id == exactly["id"]


@pytest.mark.parametrize("status,details,shown", [
    ("error", "Invalid file format", 'status "error" (Invalid file format)'),
    ("deleted", None, 'status "deleted"'), ("deleting", None, 'status "deleting"')])
def test_start_file_id_that_failed_or_is_deleted_is_refused(emu, status, details, shown):
    f = emu.seed_file(jsonl(items(1)), status=status, status_details=details)
    with pytest.raises(errors.InvalidOperationError) as caught:
        start_batch(f["id"])
    assert caught.value.message == (
        f'File "{f["id"]}" has {shown}, so no batch was created: only a processed file can be a batch\'s input. '
        "Upload the requests again (Add-OpenAIFile -Purpose batch).")
    assert creates(emu) == []


def test_start_file_id_with_bad_lines_names_them(emu):
    lines = items(4)
    del lines[1]["url"]
    lines[2]["method"] = "GET"
    f = emu.create_file(jsonl([*lines, "", "not json", items(1)[0]]))       # and the custom_id of line 1 again
    with pytest.raises(errors.ParameterBindingError) as caught:
        start_batch(f.get("id"))
    assert caught.value.message == (
        f'File "{f["id"]}" has lines a batch would refuse, so no batch was created: Line 2 has no url; each item needs '
        "custom_id, method and url. Line 3 has method 'GET': a batch sends POST requests only. Line 6 of the file is "
        "not a JSON object. Line 7 has custom_id 'req-1', as line 1 does: each request of a batch needs its own. "
        "Fix them and upload the file again.")
    assert api_calls(emu) == [("GET", f"/v1/files/{f['id']}"), ("GET", f"/v1/files/{f['id']}/content")]


@pytest.mark.parametrize("text", ["System.Collections.Hashtable", "@{custom_id=req-1; method=POST; url=/v1/chat/completions}"])
def test_start_file_id_that_is_the_text_of_an_object_is_refused_before_any_request(emu, text):
    # What PowerShell binds to -FileId for a hashtable or an untyped object piped among request items
    with pytest.raises(errors.ParameterBindingError, match=r"the text of an object rather than a file id, so nothing "
                                                          r"was sent: .*PSOpenAI\.Batch\.Input"):
        start_batch(text)
    assert emu.requests() == []


def test_start_file_id_with_keys_in_another_case_names_them(emu):
    # The file is uploaded as it is: a line's "Custom_Id" (which -Path and piped items have renamed) is not read
    lines = items(2)
    lines[1] = {"Custom_Id" if k == "custom_id" else k: v for k, v in lines[1].items()}
    lines[1]["body"] = {"Model" if k == "model" else k: v for k, v in lines[1]["body"].items()}
    f = emu.create_file(jsonl(lines))
    with pytest.raises(errors.ParameterBindingError) as caught:
        start_batch(f["id"])
    assert caught.value.message == (
        f'File "{f["id"]}" has lines a batch would refuse, so no batch was created: Line 2 has \'Custom_Id\', which '
        "the API does not read: write 'custom_id'. Fix them and upload the file again.")
    assert creates(emu) == []


def test_start_file_id_names_five_bad_lines_and_counts_the_rest(emu):
    f = emu.create_file(jsonl([{**item, "method": "PUT"} for item in items(8)]))
    with pytest.raises(errors.ParameterBindingError,
                       match=r"Line 5 has method 'PUT'[^.]*\. And 3 more lines\. Fix") as caught:
        start_batch(f["id"])
    assert "Line 6" not in caught.value.message and creates(emu) == []


@pytest.mark.parametrize("content,message", [
    ("\n \n", "has no requests (no lines that are not blank), so no batch was created."),
    (jsonl(items(2, url="/v1/embeddings")), "are for /v1/embeddings, but -Endpoint (endpoint=) is /v1/chat/completions "
     "(the default), so no batch was created: the batch would fail on every request. Give -Endpoint /v1/embeddings."),
    (jsonl({"custom_id": c, "method": "POST", "url": "/v1/embeddings", "body": {"model": "m", "input": ["x"] * n}}
           for c, n in (("e", 25_000), ("f", 25_001))),
     "holds more than one batch takes (50,000 embedding inputs at most), so no batch was created. Start the batches "
     "from its lines with Start-Batch -Path -Split (split=True)."),
])
def test_start_file_id_whose_lines_cannot_make_this_batch_is_refused(emu, content, message):
    f = emu.create_file(content)
    endpoint = {"endpoint": "/v1/embeddings"} if "inputs at most" in message else {}
    with pytest.raises(errors.ParameterBindingError) as caught:
        start_batch(f["id"], **endpoint)
    assert message in caught.value.message and f'"{f["id"]}"' in caught.value.message
    assert creates(emu) == []


def test_start_file_id_lines_agree_with_a_given_endpoint(emu):
    f = emu.create_file(jsonl(items(2, url="/v1/embeddings")))
    assert start_batch(f["id"], endpoint="/V1/Embeddings").endpoint == "/v1/embeddings"


def test_start_file_id_over_a_megabyte_gets_the_metadata_checks_only(emu, caplog):
    from cmdlets.batch import limits
    f = emu.seed_file("not even JSON", bytes=limits.MAX_CHECKED_BYTES + 1)     # left to the API: it fails later
    with caplog.at_level(logging.INFO, logger="cmdlets"):
        batch = start_batch(f["id"])
    assert api_calls(emu) == [("GET", f"/v1/files/{f['id']}"), ("POST", "/v1/batches")]
    assert f'File "{f["id"]}" holds 1,000,001 bytes: its lines are left to the API to check' in caplog.text
    emu.advance(batch.id)
    assert get_batch(batch.id).status == "failed"


def test_start_file_id_whose_content_cannot_be_read_is_left_to_the_api(emu, caplog):
    f = emu.create_file(jsonl(items(1)))
    emu.inject_fault(method="GET", path="/v1/files/{id}/content", status=400,
                     body={"error": {"message": "Not allowed to download files of purpose: batch", "type": "x"}})
    with caplog.at_level(logging.INFO, logger="cmdlets"):
        assert start_batch(f["id"]).input_file_id == f["id"]
    assert f'The lines of file "{f["id"]}" were not checked: OpenAI API returned an 400' in caplog.text
    assert creates(emu) == [("POST", "/v1/batches")]


def test_start_from_items_uploads_one_jsonl_and_takes_the_endpoint_from_the_first_item(emu):
    batch = start_batch(iter(items(3, url="/v1/embeddings")))      # any iterable, read once
    assert [c[1] for c in api_calls(emu)] == ["/v1/files", "/v1/batches"]
    assert batch.endpoint == "/v1/embeddings"
    content = emu.file_content(batch.input_file_id).decode()
    assert [json.loads(line)["custom_id"] for line in content.split("\n")] == ["req-1", "req-2", "req-3"]
    assert emu.get_file(batch.input_file_id)["purpose"] == "batch"


def test_an_explicit_endpoint_that_agrees_with_the_items_is_lower_cased(emu):
    batch = start_batch(items(1), endpoint="/V1/Chat/Completions")
    assert batch.endpoint == "/v1/chat/completions"


def test_a_bad_item_is_refused_before_any_request(emu):
    bad = items(3)
    del bad[1]["url"]
    with pytest.raises(errors.ParameterBindingError, match="item 2 has no url"):
        start_batch(bad)
    assert api_calls(emu) == []


def test_items_are_read_one_at_a_time_and_not_kept(emu):
    """A generator of items is consumed as it yields: each item is written out and let go (the loop's own
    variable holds the latest until the next arrives), so 50,000 items are never all in memory."""
    class Item(dict):       # a dict that a weak reference can watch
        pass

    alive: list[weakref.ref] = []

    def produce(n):
        for i, item in enumerate(items(n), 1):
            gc.collect()
            assert not any(ref() is not None for ref in alive[:-1]), f"an earlier item is still held at item {i}"
            made = Item(item)
            alive.append(weakref.ref(made))
            yield made
            del made

    batch = start_batch(produce(5))
    assert emu.file_content(batch.input_file_id).decode().count("\n") == 4


def test_a_large_input_is_spooled_to_disk_and_uploaded_whole(emu, monkeypatch):
    from cmdlets.batch.spool import Part
    monkeypatch.setattr(Part, "IN_MEMORY", 512)       # a few items' worth, so it rolls over
    spooled = []
    real_rewound = Part.rewound
    monkeypatch.setattr(Part, "rewound", lambda self: spooled.append(self.file._rolled) or real_rewound(self))
    emu.inject_fault(method="POST", path="/v1/files", status=503, headers={"retry-after-ms": "10"})  # read twice
    batch = start_batch(iter(items(40)), max_retry_count=1)
    assert spooled == [True]
    lines = emu.file_content(batch.input_file_id).decode().split("\n")
    assert [json.loads(line)["custom_id"] for line in lines] == [f"req-{i}" for i in range(1, 41)]


@pytest.mark.parametrize("kwargs,message", [
    ({"output_expires_after_seconds": 60}, "between 3600 and 2592000"),
    ({"metadata": ["not", "a", "mapping"]}, "metadata must be a mapping"),
    ({"endpoint": ""}, "endpoint must not be empty"),
])
def test_start_validation(emu, kwargs, message):
    with pytest.raises(errors.ParameterBindingError, match=message):
        start_batch("file-x", **kwargs)
    assert api_calls(emu) == []


# --- Get-Batch ------------------------------------------------------------------------------------------

def test_get_one_batch_by_id_alias_and_object(emu):
    seeded = emu.seed_batch(status="in_progress")
    assert get_batch(seeded["id"]).status == "in_progress"
    assert get_batch(id=seeded["id"]).id == seeded["id"]
    assert get_batch(batch=seeded["id"]).id == seeded["id"]
    assert get_batch({"batch_id": seeded["id"]}).id == seeded["id"]


def test_an_id_keyword_takes_the_object_of_that_id(emu):
    # As PowerShell binds `-BatchId $batch` / `-Batch $batch` to the batch's id: batch_id=, batch= and id= take a
    # Batch (or a mapping typed as one, "object": "batch"), and the request names its id.
    seeded = emu.seed_batch(status="completed")
    batch = get_batch(seeded["id"])
    assert get_batch(batch_id=batch).id == seeded["id"]
    assert get_batch(id=dict(seeded)).id == seeded["id"]
    assert wait_batch(batch=batch).status == "completed"
    running = get_batch(emu.seed_batch(status="in_progress")["id"])
    assert stop_batch(batch_id=running, pass_thru=True).status == "cancelling"     # by id: reads the status
    assert api_calls(emu) == [("GET", f"/v1/batches/{seeded['id']}")] * 4 + [
        ("GET", f"/v1/batches/{running.id}"), ("GET", f"/v1/batches/{running.id}"),
        ("POST", f"/v1/batches/{running.id}/cancel")]


def test_list_is_lazy_and_pages_with_all(emu):
    seeded = [b["id"] for b in emu.seed_batches(205)]
    listing = get_batch(limit=2, all=True)      # -All reads pages of 100 whatever the limit, as PSOpenAI
    assert iter(listing) is listing and api_calls(emu) == []     # an iterator, nothing read yet
    assert [b.id for b in listing] == seeded[::-1]
    assert [c[1] for c in api_calls(emu)] == [
        "/v1/batches?limit=100", f"/v1/batches?limit=100&after={seeded[105]}", f"/v1/batches?limit=100&after={seeded[5]}"]


def test_list_warns_when_it_stops_early_without_a_limit(emu, caplog):
    emu.seed_batches(22)
    with pytest.warns(errors.OpenAIWarning, match="There are more batches than the 20 listed"):
        assert len(list(get_batch())) == 20
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(list(get_batch(limit=5))) == 5


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"limit": 101}, {"limit": 5, "batch_id": "b"}])
def test_get_batch_validation(emu, kwargs):
    with pytest.raises(errors.ParameterBindingError):
        get_batch(**kwargs)
    assert api_calls(emu) == []


# --- Wait-Batch -----------------------------------------------------------------------------------------

def test_wait_exit_status_and_custom_wait_set(emu):
    batch = emu.seed_batch(status="in_progress")
    assert wait_batch(batch["id"], status_for_exit=["in_progress"]).status == "in_progress"
    assert len(api_calls(emu)) == 1
    assert wait_batch(batch["id"], status_for_wait="validating").status == "in_progress"


def test_wait_is_bounded_by_timeout_sec(emu):
    batch = emu.seed_batch(status="in_progress")
    with pytest.raises(errors.WaitTimeoutError, match="last status 'in_progress'"):
        wait_batch(batch["id"], timeout_sec=1, poll_interval_sec=0.3)


@pytest.mark.parametrize("kwargs,message", [
    ({"status_for_wait": ["running"]}, "status_for_wait must be one of"),
    ({"status_for_exit": []}, "status_for_exit must not be empty"),
    ({"poll_interval_sec": 1001}, "between 0 and 1000"),
    ({"poll_interval_sec": "1"}, "must be a number"),
])
def test_wait_validation(emu, kwargs, message):
    with pytest.raises(errors.ParameterBindingError, match=message):
        wait_batch("b", **kwargs)
    assert api_calls(emu) == []


# --- Get-BatchOutput ------------------------------------------------------------------------------------

def test_output_by_id_and_object(emu):
    done = emu.seed_batch(status="completed", n_requests=3)
    assert len(list(get_batch_output(batch_id=done["id"]))) == 3
    emu.clear_requests()
    assert len(list(get_batch_output(done))) == 3
    assert api_calls(emu) == [("GET", f"/v1/files/{done['output_file_id']}/content")]    # no GET of the batch


def test_output_waits_with_wait(emu):
    emu.set_step_seconds(0.1)
    running = emu.seed_batch(status="in_progress", n_requests=2)
    assert len(list(get_batch_output(batch_id=running["id"], wait=True))) == 2


def test_output_of_an_unfinished_batch_is_a_clear_error(emu):
    running = emu.seed_batch(status="in_progress")
    with pytest.raises(errors.InvalidOperationError, match='has no output file \\(status "in_progress"\\)'):
        get_batch_output(batch_id=running["id"])


# --- Files ----------------------------------------------------------------------------------------------

def test_add_file_from_disk_streams_with_a_length(emu, tmp_path):
    path = tmp_path / "requests.jsonl"
    path.write_bytes(b"x" * 300_000)
    f = add_openai_file(str(path), purpose="batch", expires_after_seconds=7200)
    assert isinstance(f, File) and f.filename == "requests.jsonl" and f.bytes == 300_000
    assert emu.file_content(f.id) == path.read_bytes()
    headers = {k.lower(): v for k, v in emu.requests()[0]["headers"].items()}
    assert headers["content-length"].isdigit() and "transfer-encoding" not in headers
    assert f.expires_at is not None


def test_add_file_from_content(emu):
    f = add_openai_file(content=b'{"a": 1}', name="inline.jsonl", purpose="user_data")
    assert (f.filename, f.purpose) == ("inline.jsonl", "user_data")
    assert emu.file_content(f.id) == b'{"a": 1}'


@pytest.mark.parametrize("content", [b"", bytearray()])
def test_add_file_from_empty_content_is_refused_before_any_request(emu, content):
    # as pwsh's binder refuses -Content of no bytes (PSOpenAI's ValidateNotNullOrEmpty)
    with pytest.raises(errors.ParameterBindingError, match="content must not be empty"):
        add_openai_file(content=content, name="empty.jsonl", purpose="batch")
    assert emu.requests() == []


def test_upload_is_rewound_for_a_retry(emu):
    emu.inject_fault(method="POST", path="/v1/files", status=503, headers={"retry-after-ms": "10"})
    f = add_openai_file(content=b"hello", name="a.txt", purpose="user_data", max_retry_count=1)
    assert emu.file_content(f.id) == b"hello"


@pytest.mark.parametrize("kwargs,message", [
    ({"file": "/nonexistent/x.jsonl", "purpose": "batch"}, "no such file"),
    ({"content": b"x", "purpose": "batch"}, "missing required argument: name"),
    ({"content": b"x", "name": "a"}, "missing required argument: purpose"),
    ({"file": "a", "content": b"x", "purpose": "batch"}, "cannot be used together"),
    ({"content": b"x", "name": "a", "purpose": "batch", "expires_after_seconds": 10}, "between 3600"),
])
def test_add_file_validation(emu, kwargs, message):
    with pytest.raises(errors.ParameterBindingError, match=message):
        add_openai_file(**kwargs)
    assert api_calls(emu) == []


def test_list_files_filters_orders_and_limits(emu):
    a = emu.create_file("a", purpose="batch")
    b = emu.create_file("b", purpose="user_data")
    c = emu.create_file("c", purpose="batch")
    assert [f.id for f in get_openai_file(purpose="batch")] == [c["id"], a["id"]]
    assert [f.id for f in get_openai_file(order="asc")] == [a["id"], b["id"], c["id"]]
    assert [f.id for f in get_openai_file(limit=1, all=True, order="asc")] == [a["id"], b["id"], c["id"]]
    assert get_openai_file(file={"id": b["id"]}["id"]).purpose == "user_data"
    with pytest.raises(errors.ParameterBindingError, match="order must be one of asc, desc"):
        get_openai_file(order="up")


def test_file_content_as_bytes_or_to_a_new_folder(emu, tmp_path):
    f = emu.create_file(b"\x00\x01binary\xff")
    assert get_openai_file_content(f["id"]) == b"\x00\x01binary\xff"
    target = tmp_path / "new" / "folder" / "out.bin"
    assert get_openai_file_content(f["id"], out_file=str(target)) is None
    assert target.read_bytes() == b"\x00\x01binary\xff"


@pytest.mark.skipif(os.name != "posix", reason="symlinks, modes and FIFOs as on Linux and macOS")
def test_out_file_over_an_existing_link_private_file_or_fifo_writes_into_it(emu, tmp_path):
    f = emu.create_file(b"new content\n")
    real = tmp_path / "data" / "real.jsonl"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    get_openai_file_content(f["id"], out_file=str(link))
    assert link.is_symlink() and real.read_bytes() == b"new content\n"      # the link stays, its file is written
    private = tmp_path / "private.jsonl"
    private.write_text("old")
    private.chmod(0o600)
    get_openai_file_content(f["id"], out_file=str(private))
    assert private.read_bytes() == b"new content\n" and stat.S_IMODE(private.stat().st_mode) == 0o600
    fifo = tmp_path / "pipe"        # (or /dev/stdout, /dev/null: written to, never replaced by a file)
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        get_openai_file_content(f["id"], out_file=str(fifo))
    finally:
        reader.join(5)
        if reader.is_alive():       # nothing opened the FIFO for writing: let the reader go (without blocking:
            try:                    # a reader that has just finished would leave a blocking open waiting for good)
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
            reader.join(5)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and received == [b"new content\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "link.jsonl", "pipe", "private.jsonl"]


def test_remove_file_by_object_then_404(emu):
    f = emu.create_file("x")
    assert remove_openai_file({"id": f["id"], "object": "file"}) is None
    assert api_calls(emu) == [("DELETE", f"/v1/files/{f['id']}")]
    with pytest.raises(errors.NotFoundError):
        remove_openai_file(f["id"])


def test_out_file_of_a_failed_download_leaves_no_folder_behind(emu, tmp_path):
    (tmp_path / "kept").mkdir()
    with pytest.raises(errors.NotFoundError):
        get_openai_file_content("file-missing", out_file=str(tmp_path / "kept" / "new" / "deeper" / "out.jsonl"))
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")] == ["kept"]    # as PSOpenAI


def test_out_file_that_cannot_be_written_is_a_clear_error(emu, tmp_path):
    f = emu.create_file(b"data")
    with pytest.raises(errors.InvalidOperationError, match=r"Cannot write file .* Is a directory"):
        get_openai_file_content(f["id"], out_file=str(tmp_path))
    (tmp_path / "plain").write_text("x")
    with pytest.raises(errors.InvalidOperationError, match="File exists"):   # mkdir of the parent
        get_openai_file_content(f["id"], out_file=str(tmp_path / "plain" / "out.bin"))


def test_unreadable_upload_is_a_clear_error_before_any_request(emu, tmp_path):
    folder = tmp_path / "a-folder.jsonl"
    folder.mkdir()
    with pytest.raises(errors.ParameterBindingError, match="it is a directory"):      # issue 13, case 17
        add_openai_file(str(folder), purpose="batch")
    with pytest.raises(errors.ParameterBindingError, match="no such file"):
        add_openai_file(str(tmp_path / "missing.jsonl"), purpose="batch")
    fifo = tmp_path / "a-pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(errors.ParameterBindingError, match=r"a-pipe.jsonl': not a regular file \(a pipe or a device\)"):
        add_openai_file(str(fifo), purpose="batch")
    assert api_calls(emu) == []


def test_a_big_upload_or_download_tells_its_progress_as_it_goes(emu, caplog, monkeypatch, tmp_path):
    from cmdlets.core import multipart, progress
    monkeypatch.setattr(progress, "MIN_BYTES", 1_000_000)
    caplog.set_level(logging.INFO, logger="cmdlets")
    reads = []
    real_read = multipart.MultipartBody.read
    monkeypatch.setattr(multipart.MultipartBody, "read", lambda self, size=-1: reads.append(size) or real_read(self, size))
    f = add_openai_file(content=b"x" * 3_000_000, name="big.bin", purpose="user_data")
    told = [r.getMessage() for r in caplog.records if r.getMessage().startswith('Uploading "big.bin"')]
    assert told[0].startswith('Uploading "big.bin": 0.0 MB of 3.0 MB') and told[-1] == 'Uploading "big.bin": 3.0 MB of 3.0 MB (done)'
    assert len(told) < len(reads) / 10       # told now and then, not per block read
    caplog.clear()
    get_openai_file_content(f.id, out_file=str(tmp_path / "big.bin"))
    told = [r.getMessage() for r in caplog.records if r.getMessage().startswith(f'Downloading file "{f.id}"')]
    assert told[-1] == f'Downloading file "{f.id}": 3.0 MB of 3.0 MB (done)' and len(told) >= 2
    caplog.clear()
    add_openai_file(content=b"x" * 1000, name="small.bin", purpose="user_data")
    get_openai_file_content(f.id, out_file=str(tmp_path / "again.bin"))     # (3 MB: bigger than the patched minimum)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("Uploading")] == []
