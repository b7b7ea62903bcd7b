"""Request-ChatCompletion's Structured Outputs with a Python type (the schema sent, the answer read back as
the type) and audio in and out, against the emulator."""
from __future__ import annotations

import base64
import enum
import json
import typing
from dataclasses import dataclass

import pytest

from cmdlets import OpenAIWarning, ParameterBindingError, request_chat_completion
from cmdlets.core.errors import InvalidOperationError
from cmdlets.core.structured import python_structured_type
from openai_emulator.chat import AUDIO_MARK

from conftest import api_calls


class Mood(enum.Enum):
    calm = 1
    busy = 2


@dataclass
class Step:
    explanation: str
    output: typing.Optional[str]


@dataclass
class MathReasoning:
    steps: list[Step]
    final_answer: str
    mood: Mood
    confidence: float
    kind: typing.Literal["exact", "rough"]


def test_a_dataclass_is_sent_as_a_strict_json_schema_named_after_it():
    body = request_chat_completion("Solve 8x + 7 = -23", response_format=MathReasoning, as_batch=True).body.to_dict()
    spec = body["response_format"]
    assert spec["type"] == "json_schema" and spec["json_schema"]["name"] == "MathReasoning"
    assert spec["json_schema"]["strict"] is True
    schema = spec["json_schema"]["schema"]
    # strict: every property required, none other allowed, in the nested class too
    assert schema["required"] == ["steps", "final_answer", "mood", "confidence", "kind"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["steps"] == {"type": "array", "items": {"$ref": "#/$defs/Step"}}
    assert schema["$defs"]["Step"]["properties"]["output"] == {"type": ["string", "null"]}
    assert schema["$defs"]["Step"]["additionalProperties"] is False
    assert schema["properties"]["mood"] == {"type": "string", "enum": ["calm", "busy"]}
    assert schema["properties"]["kind"] == {"type": "string", "enum": ["exact", "rough"]}


def test_the_answer_is_read_back_as_the_dataclass(emu):
    result = request_chat_completion("Solve 8x + 7 = -23", response_format=MathReasoning, number_of_answers=2)
    assert len(result.answer) == 2
    first = result.answer[0]
    assert isinstance(first, MathReasoning) and isinstance(first.steps[0], Step) and first.mood is Mood.calm
    assert first.final_answer == "Emulated response for Solve 8x + 7 = -23."
    assert isinstance(first.confidence, float)
    assert result.choices[1].message.parsed == result.answer[1]
    assert json.loads(result.choices[0].message.content)["final_answer"] == first.final_answer
    [call] = emu.requests()
    assert json.loads(call["body"])["response_format"]["json_schema"]["name"] == "MathReasoning"


def test_a_self_referencing_class_keeps_its_definition():
    @dataclass
    class Node:
        name: str
        child: typing.Optional["Node"]
    schema = python_structured_type(Node).schema
    assert schema["properties"]["child"] == {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]}
    assert schema["$defs"]["Node"]["properties"]["name"] == {"type": "string"}


def test_pydantic_style_models_bring_their_own_schema_made_strict():
    class Model:        # the two methods pydantic v2 models have
        @classmethod
        def model_json_schema(cls):
            return {"title": "Model", "type": "object", "properties": {"a": {"title": "A", "type": "string"}},
                    "required": []}

        @classmethod
        def model_validate_json(cls, text):
            return ("validated", text)
    structured = python_structured_type(Model)
    assert structured.schema == {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"],
                                 "additionalProperties": False}
    assert structured.parse('{"a": "x"}') == ("validated", '{"a": "x"}')


def test_pydantic_fields_named_title_or_default_stay_in_the_schema():
    class Book:         # pydantic v2's schema of: class Book(BaseModel): title: str; default: int | None = None
        @classmethod
        def model_json_schema(cls):
            return {"title": "Book", "type": "object", "required": ["title"], "properties": {
                "title": {"title": "Title", "type": "string"},
                "default": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None, "title": "Default"}}}

        @classmethod
        def model_validate_json(cls, text):
            return text
    schema = python_structured_type(Book).schema
    assert schema["properties"] == {"title": {"type": "string"},
                                    "default": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}
    assert schema["required"] == ["title", "default"]


@pytest.mark.parametrize("fmt, message", [
    (dict, "ResponseFormat must be one of"), (int, "ResponseFormat must be one of"),
    (typing.Dict[str, int], "ResponseFormat must be one of")])
def test_what_is_not_a_type_with_fields_is_refused_before_anything_is_sent(emu, fmt, message):
    with pytest.raises(ParameterBindingError, match=message):
        request_chat_completion("x", response_format=fmt)
    assert api_calls(emu) == []


def test_a_field_type_the_schema_cannot_say_is_named():
    @dataclass
    class Odd:
        data: dict
    with pytest.raises(ParameterBindingError, match="cannot describe the type 'dict'"):
        request_chat_completion("x", response_format=Odd, as_batch=True)


def test_audio_in_and_out(emu, tmp_path):
    sound = tmp_path / "question.mp3"
    sound.write_bytes(b"ID3 fake mp3")
    out = tmp_path / "answers" / "reply.wav"
    result = request_chat_completion("Answer aloud.", model="gpt-audio-1.5", modalities=["text", "audio"],
                                     voice="shimmer", output_audio_format="WAV", input_audio=str(sound),
                                     audio_out_file=str(out))
    [call] = emu.requests()
    body = json.loads(call["body"])
    assert body["modalities"] == ["text", "audio"] and body["audio"] == {"voice": "shimmer", "format": "wav"}
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "Answer aloud."},
        {"type": "input_audio", "input_audio": {"data": base64.b64encode(b"ID3 fake mp3").decode(), "format": "mp3"}}]
    # the answer is spoken: its transcript is the Answer, the audio is saved, its id goes on in History
    assert result.answer == ["Emulated response for Answer aloud."]
    assert out.read_bytes() == AUDIO_MARK + b"Emulated response for Answer aloud."
    assert result.history[-1]["audio"] == {"id": result.choices[0].message.audio.id}


def test_input_audio_format_overrides_the_extension(tmp_path):
    sound = tmp_path / "clip.bin"
    sound.write_bytes(b"RIFF")
    item = request_chat_completion(input_audio=str(sound), input_audio_format="WAV", as_batch=True)
    assert item.body.messages[0].content[0]["input_audio"]["format"] == "wav"


def test_a_missing_audio_file_is_an_error_before_anything_is_sent(emu, tmp_path):
    with pytest.raises(InvalidOperationError, match="Cannot read the audio file"):
        request_chat_completion("x", input_audio=str(tmp_path / "none.mp3"))
    assert api_calls(emu) == []


def test_audio_out_file_without_an_audio_answer_warns_and_writes_nothing(emu, tmp_path):
    out = tmp_path / "reply.mp3"
    with pytest.warns(OpenAIWarning, match="has no audio"):
        request_chat_completion("No audio asked.", audio_out_file=str(out))
    assert not out.exists()


def test_batch_outputs_are_read_as_the_type_with_output_type(emu):
    """Get-BatchOutput -OutputType: chat and responses bodies of a batch whose items asked for the type."""
    from cmdlets import get_batch_output, request_response, start_batch, wait_batch
    emu.set_step_seconds(0.05)
    chat = [request_chat_completion(f"Solve {n}", response_format=MathReasoning, as_batch=True, custom_batch_id=f"c-{n}")
            for n in (1, 2)]
    outputs = list(get_batch_output(wait_batch(start_batch(chat).id), output_type=MathReasoning))
    assert len(outputs) == 2
    for o in outputs:
        body = o.response.body
        assert isinstance(body.answer[0], MathReasoning) and body.choices[0].message.parsed == body.answer[0]
    plain = list(get_batch_output(wait_batch(start_batch(chat[:1]).id)))
    assert isinstance(plain[0].response.body.answer[0], str)            # without it: the text, as PSOpenAI

    responses = [request_response("Invent a step", output_type=Step, as_batch=True, custom_batch_id="r-1")]
    [output] = get_batch_output(wait_batch(start_batch(responses).id), output_type=Step)
    [step] = output.response.body.structured_outputs
    assert isinstance(step, Step)


def test_output_type_must_be_a_type(emu):
    from cmdlets import get_batch_output
    with pytest.raises(ParameterBindingError, match="OutputType must be a type"):
        get_batch_output("batch_x", output_type="json_schema")
    assert api_calls(emu) == []
