"""Tools the model may call, as PSOpenAI sends them: each definition a `{type, function}` object (a bare function
definition is wrapped as `{type: "function", function: …}`), `tool_choice` as given and `parallel_tool_calls` as a
boolean. The model's calls come back on the result (`choices[i].message.tool_calls`); running them locally
(-InvokeTools Auto/Confirm) is not ported: it needs a security design of its own, and no batch runs them."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.errors import ParameterBindingError
from ..core.objects import to_plain


def tool_definitions(tools: Any) -> list[dict[str, Any]]:
    """The `tools` of a request body from -Tools (one definition or several)."""
    items = [tools] if isinstance(tools, Mapping) else list(tools or ())
    if not items:
        raise ParameterBindingError("Tools needs at least one tool definition.")
    definitions = []
    for i, item in enumerate(items):
        item = to_plain(item)
        if not isinstance(item, Mapping):
            raise ParameterBindingError(f"Tools[{i}] is not a dictionary (a tool definition), got {type(item).__name__}.")
        definitions.append(dict(item) if "type" in item else {"type": "function", "function": dict(item)})
    return definitions


def tool_choice_value(choice: Any) -> Any:
    """-ToolChoice as sent: 'none', 'auto', 'required', or an object naming the tool."""
    choice = to_plain(choice)
    if isinstance(choice, (str, Mapping)):
        return choice
    raise ParameterBindingError(f"ToolChoice must be 'none', 'auto', 'required' or a dictionary naming a tool, "
                                f"got {type(choice).__name__}.")
