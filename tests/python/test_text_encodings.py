"""Text that UTF-8 cannot carry, from Python: a lone surrogate in a value is refused before anything is sent
(naming where it is), and a file whose name is not UTF-8 on disk uploads under its name with U+FFFD for the
bytes that are not. Real requests against the emulator."""
from __future__ import annotations

import os
import sys

import pytest

import cmdlets
from cmdlets.core import errors
from conftest import api_calls

LONE = "x\ud83d"    # the first half of an emoji: what cutting text at a character count can leave


def test_a_lone_surrogate_in_a_message_is_a_binding_error_before_sending(emu):
    with pytest.raises(errors.ParameterBindingError,
                       match=r"messages\[0\]\.content holds a character that is not valid Unicode"):
        cmdlets.request_chat_completion(LONE, model="gpt-4o-mini")
    assert api_calls(emu) == []


def test_a_lone_surrogate_in_an_additional_body_key_is_a_binding_error(emu):
    with pytest.raises(errors.ParameterBindingError, match="has a key that is not valid Unicode"):
        cmdlets.request_embeddings("hi", model="text-embedding-3-small", additional_body={LONE: 1})
    assert api_calls(emu) == []


def test_a_lone_surrogate_in_a_batch_item_is_refused_naming_the_item(emu):
    item = {"custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": LONE}]}}
    with pytest.raises(errors.ParameterBindingError, match=r"Batch input item 1 .*not valid Unicode"):
        cmdlets.start_batch([item])
    assert api_calls(emu) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows names files in UTF-16")
def test_a_file_named_in_bytes_that_are_not_utf8_uploads_with_u_fffd_in_its_name(emu, tmp_path):
    content = b'{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{}}\n'
    raw = os.fsencode(tmp_path) + b"/r\xe9sum\xe9.jsonl"      # Latin-1 bytes: not UTF-8
    with open(raw, "wb") as f:
        f.write(content)
    uploaded = cmdlets.add_openai_file(os.fsdecode(raw), purpose="batch")
    assert uploaded.filename == "r\ufffdsum\ufffd.jsonl"
    assert emu.file_content(uploaded.id) == content


def test_a_jsonl_line_that_is_not_utf8_is_refused_saying_so(emu, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m",'
                     '"messages":[{"role":"user","content":"café"}]}}\n'.encode("latin-1"))
    with pytest.raises(errors.ParameterBindingError, match=r"Line 1 of latin1\.jsonl is not UTF-8 text"):
        cmdlets.start_batch(path=str(path))
    assert api_calls(emu) == []


def test_a_file_name_too_long_for_the_file_system_is_a_binding_error(emu, tmp_path):
    name = str(tmp_path / ("\u00e9" * 200 + ".jsonl"))     # 400 bytes in UTF-8: past NAME_MAX (255)
    with pytest.raises(errors.ParameterBindingError, match="Cannot upload .*: File name too long"):
        cmdlets.add_openai_file(name, purpose="batch")
    with pytest.raises(errors.ParameterBindingError, match="Cannot read .*File name too long"):
        cmdlets.start_batch(path=name)
    assert api_calls(emu) == []
