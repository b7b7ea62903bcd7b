"""Request-TextCompletion (issue 20, part): PSOpenAI 4.49's body, the direct call against the emulator's
/v1/completions, Azure's deployment route, and a completions batch."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from cmdlets import ParameterBindingError, get_batch_output, request_text_completion, start_batch


def test_the_body_is_psopenais_max_tokens_always_options_when_given():
    one = request_text_completion("Say this is a test", as_batch=True, custom_batch_id="t-1").to_dict()
    assert one == {"custom_id": "t-1", "method": "POST", "url": "/v1/completions",
                   "body": {"model": "gpt-3.5-turbo-instruct", "prompt": "Say this is a test", "max_tokens": 2048}}
    body = request_text_completion(["a", "b"], temperature=0, number_of_answers=2, stop_sequence=["\n"], max_tokens=16,
                                   best_of=3, echo=True, as_batch=True).to_dict()["body"]
    assert list(body) == ["model", "prompt", "temperature", "n", "stop", "max_tokens", "echo", "best_of"]
    assert (body["prompt"], body["temperature"], body["echo"]) == (["a", "b"], 0.0, True)
    assert request_text_completion("a", echo=0, as_batch=True).to_dict()["body"]["echo"] is False


def test_several_prompts_give_an_answer_each_with_the_prompt_and_created_as_a_datetime(emu):
    result = request_text_completion(["The menu of a hamburger shop.", "Common family names"], max_tokens=20)
    assert result.answer == ["Emulated completion for The menu of a hamburger shop..", "Emulated completion for Common family names."]
    assert result.prompt == ["The menu of a hamburger shop.", "Common family names"]
    assert isinstance(result.created, datetime)
    assert list(result.ps_note_properties()) == ["Prompt", "Answer"]
    cut = request_text_completion("Say this is a test", max_tokens=2)
    assert cut.choices[0].finish_reason == "length"


def test_azure_sends_to_the_deployment(emu):
    request_text_completion("x", model="my-instruct", api_type="azure", api_base=emu.azure_base_url)
    entry = emu.requests()[-1]
    assert entry["path"].startswith("/openai/deployments/my-instruct/completions?api-version=")
    assert "model" not in json.loads(entry["body"])


def test_a_completions_batch_runs(emu):
    items = [request_text_completion(p, as_batch=True, custom_batch_id=f"p-{i}", max_tokens=50) for i, p in enumerate("ab")]
    batch = start_batch(items)
    assert batch.endpoint == "/v1/completions"
    emu.advance(batch.id, steps=5)
    outputs = {o.custom_id: o.response.body for o in get_batch_output(batch.id)}
    assert outputs["p-1"]["choices"][0]["text"] == "Emulated completion for b."


@pytest.mark.parametrize("kwargs, error", [
    ({"prompt": "x", "stream": True, "as_batch": True}, ParameterBindingError), ({"prompt": "x", "best_of": 1, "number_of_answers": 2}, ParameterBindingError),
    ({"prompt": "x", "stop_sequence": ["a"] * 5}, ParameterBindingError),
    ({"prompt": ["x", ""]}, ParameterBindingError), ({"prompt": "x", "echo": "false"}, ParameterBindingError), ({"prompt": "x", "echo": [True]}, ParameterBindingError),
    ({"prompt": "x", "model": ""}, ParameterBindingError), ({"prompt": "x", "model": " ", "api_type": "azure"}, ParameterBindingError)])
def test_what_cannot_be_sent_is_refused_first(emu, kwargs, error):
    with pytest.raises(error):
        request_text_completion(**kwargs)
    assert emu.requests() == []


def test_batch_outputs_type_text_completions_and_embeddings(emu):
    from cmdlets import request_embeddings
    from cmdlets.core.objects import Embeddings, TextCompletion
    done = start_batch([request_text_completion("a", as_batch=True, custom_batch_id="p-1", max_tokens=50)])
    emu.advance(done.id, steps=5)
    (text,) = get_batch_output(done.id)
    assert isinstance(text.response.body, TextCompletion) and text.response.body.answer == ["Emulated completion for a."]
    assert isinstance(text.response.body.created, datetime)
    assert text.response.body.ps_note_properties() == {"Prompt": None, "Answer": ["Emulated completion for a."]}
    vectors = start_batch([request_embeddings("a", dimensions=4, as_batch=True, custom_batch_id="e-1")])
    emu.advance(vectors.id, steps=5)
    (embedding,) = get_batch_output(vectors.id)
    assert isinstance(embedding.response.body, Embeddings) and len(embedding.response.body.data[0].embedding) == 4


def test_stream_writes_the_text_as_it_arrives_one_answer(emu):
    pieces = request_text_completion("Say this is a test", number_of_answers=3, stream=True)
    assert emu.requests() == []
    got = list(pieces)
    assert len(got) > 5 and "".join(got) == "Emulated completion for Say this is a test."
    body = json.loads(emu.requests()[0]["body"])
    assert body["stream"] is True and body["n"] == 1
