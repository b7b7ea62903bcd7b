"""Request-Embeddings (issue 20, part): the body PSOpenAI 4.49 builds, the direct call against the emulator's
/v1/embeddings (deterministic vectors, dimensions, base64), Azure's deployment route, and an embeddings batch."""
from __future__ import annotations

import base64
import json
import math
import struct

import pytest

from cmdlets import get_batch_output, request_embeddings, start_batch, wait_batch
from cmdlets.core.errors import ParameterBindingError


def test_the_body_is_psopenais_one_text_a_string_several_a_list_options_only_when_given():
    one = request_embeddings("Banana", as_batch=True, custom_batch_id="e-1").to_dict()
    assert one == {"custom_id": "e-1", "method": "POST", "url": "/v1/embeddings",
                   "body": {"model": "text-embedding-ada-002", "input": "Banana"}}
    several = request_embeddings(["a", "b"], model="text-embedding-3-small", dimensions=256, encoding_format="BASE64",
                                 user="u1", as_batch=True).to_dict()["body"]
    assert several == {"model": "text-embedding-3-small", "input": ["a", "b"], "user": "u1",
                       "encoding_format": "base64", "dimensions": 256}


def test_vectors_come_back_per_text_with_the_text_and_the_asked_dimensions(emu):
    result = request_embeddings(["Banana", "Apple"], model="text-embedding-3-small", dimensions=256)
    assert [d.Text for d in result.data] == ["Banana", "Apple"]
    assert [len(d.embedding) for d in result.data] == [256, 256]
    assert math.isclose(sum(v * v for v in result.data[0].embedding), 1.0, rel_tol=1e-4)
    again = request_embeddings("Banana", model="text-embedding-3-small", dimensions=256)
    assert again.data[0].embedding == result.data[0].embedding          # deterministic
    assert json.loads(emu.requests()[0]["body"])["input"] == ["Banana", "Apple"]


def test_base64_vectors_are_float32_little_endian(emu):
    result = request_embeddings("Banana", encoding_format="base64")
    raw = base64.b64decode(result.data[0].embedding)
    assert len(raw) == 1536 * 4
    floats = struct.unpack("<1536f", raw)
    assert floats[0] == pytest.approx(request_embeddings("Banana").data[0].embedding[0], abs=1e-6)


def test_azure_sends_to_the_deployment_without_model_in_the_body(emu):
    result = request_embeddings("Banana", model="my-embedder", api_type="azure", api_base=emu.azure_base_url)
    assert len(result.data[0].embedding) == 1536
    entry = emu.requests()[-1]
    assert entry["path"].startswith("/openai/deployments/my-embedder/embeddings?api-version=")
    assert "model" not in json.loads(entry["body"])
    assert request_embeddings("x", api_type="azure", api_base="https://e.test/", as_batch=True)["url"] == "/embeddings"


def test_an_embeddings_batch_runs_end_to_end(emu):
    items = [request_embeddings(text, model="text-embedding-3-small", dimensions=8, as_batch=True, custom_batch_id=f"doc-{i}")
             for i, text in enumerate(["Banana", "Apple", "Peach"])]
    batch = start_batch(items, endpoint="/v1/embeddings")
    emu.advance(batch.id, steps=5)
    batch = wait_batch(batch.id)
    outputs = {o.custom_id: o.response.body for o in get_batch_output(batch)}
    assert sorted(outputs) == ["doc-0", "doc-1", "doc-2"]
    direct = request_embeddings("Apple", model="text-embedding-3-small", dimensions=8)
    assert outputs["doc-1"].data[0].embedding == direct.data[0].embedding     # a batch answers as the API does


def test_default_custom_ids_never_repeat_so_a_batch_takes_every_item(emu):
    # (PSOpenAI draws each request-xxxx at random among 65535: of 1,000 texts a few shared one, and were refused)
    items = [request_embeddings(f"doc {n}", as_batch=True) for n in range(1500)]
    assert len({item.custom_id for item in items}) == 1500
    batch = start_batch(items)
    assert len(emu.file_content(batch.input_file_id).decode().splitlines()) == 1500


def test_bad_dimensions_are_refused_before_anything_is_sent(emu):
    with pytest.raises(ParameterBindingError):
        request_embeddings("x", dimensions=0)
    assert emu.requests() == []


@pytest.mark.parametrize("kwargs", [{}, {"as_batch": True}, {"api_type": "azure"}])
def test_an_empty_model_is_refused_before_anything_is_sent(emu, kwargs):
    # (PSOpenAI refuses it before its request; the API would answer 400, a batch fail later)
    with pytest.raises(ParameterBindingError, match="Model is empty"):
        request_embeddings("x", model="", **kwargs)
    assert emu.requests() == []


@pytest.mark.parametrize("text", ["", ["Banana", ""], ("",)])
def test_an_empty_text_is_refused_before_anything_is_sent_as_powershell_refuses_it(emu, text):
    # (-Text's ValidateNotNullOrEmpty refuses an empty item of the array too; the API answers 400, a batch fails later)
    with pytest.raises(ParameterBindingError, match="text must not"):
        request_embeddings(text)
    with pytest.raises(ParameterBindingError, match="text must not"):
        request_embeddings(text, as_batch=True)
    assert emu.requests() == []


@pytest.mark.parametrize("as_batch", [False, True])
def test_more_texts_than_one_request_takes_are_refused_before_anything_is_sent(emu, as_batch):
    # (the API takes at most 2,048 inputs in one request; a batch item holding more would fail only in the batch)
    with pytest.raises(ParameterBindingError, match="text takes 1 to 2048 items, got 2049"):
        request_embeddings([f"t{i}" for i in range(2049)], as_batch=as_batch)
    assert emu.requests() == []
    assert len(request_embeddings([f"t{i}" for i in range(2048)], as_batch=True).to_dict()["body"]["input"]) == 2048
