"""A retired model (or one retiring within 30 days) is warned about before its request is sent, as PSOpenAI warns;
and, past PSOpenAI, before a batch of its requests is uploaded or created (once per batch: one model per batch)."""
from __future__ import annotations

import json
from datetime import date

import pytest

import cmdlets
from cmdlets.core.model_retirements import SHUTDOWN, WARN_DAYS_BEFORE, retirement_warning


def warnings_of(recwarn) -> list[str]:
    return [str(w.message) for w in recwarn if issubclass(w.category, cmdlets.OpenAIWarning)]


def test_the_warning_follows_the_date():
    day = SHUTDOWN["gpt-4"]
    assert retirement_warning("gpt-4", day) == ("The model gpt-4 was shut down on 2026-10-23: its requests fail. "
                                                "Choose another model.")
    soon = date.fromordinal(day.toordinal() - WARN_DAYS_BEFORE)
    assert retirement_warning("gpt-4", soon) == "The model gpt-4 shuts down on 2026-10-23: choose another model before then."
    assert retirement_warning("gpt-4", date.fromordinal(soon.toordinal() - 1)) == ""
    assert retirement_warning("gpt-4o-mini", day) == retirement_warning(None, day) == retirement_warning(["gpt-4"]) == ""


@pytest.mark.parametrize("call", [
    lambda: cmdlets.request_chat_completion("Hi", model="gpt-4"),
    lambda: cmdlets.request_response("Hi", model="o1"),
    lambda: cmdlets.request_text_completion("Hi", model="davinci-002"),
], ids=["chat", "responses", "completions"])
def test_a_request_for_a_retired_model_is_warned_about_and_still_sent(emu, recwarn, call):
    call()
    (warning,) = warnings_of(recwarn)
    assert " was shut down on " in warning
    (request,) = emu.requests()
    assert json.loads(request["body"])["model"] in warning      # sent all the same, as PSOpenAI sends it


def test_a_current_model_is_not_warned_about(emu, recwarn):
    cmdlets.request_chat_completion("Hi", model="gpt-4o-mini")
    cmdlets.request_chat_completion("Hi", model="gpt-4o-mini", as_batch=True)
    assert warnings_of(recwarn) == []


def test_a_batch_for_a_retired_model_is_warned_about_once(emu, recwarn, tmp_path):
    items = [cmdlets.request_chat_completion(f"Hi {i}", model="o3-mini", as_batch=True) for i in range(3)]
    assert warnings_of(recwarn) == []        # building items sends nothing: the batch is what is warned about
    batch = cmdlets.start_batch(items)
    assert warnings_of(recwarn) == ["The batch's requests are for the model o3-mini, which was shut down on 2026-10-23: "
                                   "they fail. Choose another model."]
    recwarn.clear()
    cmdlets.start_batch(batch.input_file_id)        # an uploaded file's lines are read, and warned about the same
    assert len(warnings_of(recwarn)) == 1
