"""The parts of a response request besides its input, as PSOpenAI 4.49 builds them: `text` (verbosity and the
output format), `reasoning`, `tool_choice` and `tools`; and the refusal of what this port does not carry out."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.errors import ParameterBindingError
from ..core.model_requests import NotSupportedError, json_schema_of
from ..core.objects import to_plain
from ..core.structured import StructuredType, structured_type

# Switches PSOpenAI has whose work this port does not do yet: each is an error before anything is sent.
UNSUPPORTED = {
    "background": "-Background (a response to poll later; this port has no Get-Response)",
    "use_file_search_tool": "-UseFileSearchTool (the file search tool)",
    "use_web_search_tool": "-UseWebSearchTool (the web search tool)",
    "use_computer_use_tool": "-UseComputerUseTool (the computer use tool)",
    "use_remote_mcp_tool": "-UseRemoteMCPTool (remote MCP servers)",
    "use_connector_tool": "-UseConnectorTool (connectors)",
    "use_code_interpreter_tool": "-UseCodeInterpreterTool (the code interpreter tool)",
    "use_image_generation_tool": "-UseImageGenerationTool (the image generation tool)",
    "use_local_shell_tool": "-UseLocalShellTool (the local shell tool)",
    "use_shell_tool": "-UseShellTool (the shell tool)",
    "use_apply_patch_tool": "-UseApplyPatchTool (the apply patch tool)",
}

# Built-in tools a -ToolChoice may name ({type: name}); any other name is a function's.
_BUILT_IN_TOOLS = ("file_search", "web_search_preview", "computer_use_preview", "code_interpreter", "mcp",
                   "image_generation")


def refuse_unsupported(options: Mapping[str, Any]) -> None:
    for key, what in UNSUPPORTED.items():
        if options.get(key):
            raise NotSupportedError(f"Request-Response {what} is not supported by this port yet.")


def text_options(given: frozenset[str], options: Mapping[str, Any],
                 host: Any = None) -> tuple[dict[str, Any], StructuredType | None]:
    """`text`: verbosity when given, the format when -OutputType is given; and with a type as -OutputType
    (Structured Outputs), that type, which the answer is read as."""
    text: dict[str, Any] = {}
    if "verbosity" in given:
        text["verbosity"] = options["verbosity"]
    if "output_type" in given and not isinstance(options["output_type"], str):
        structured = structured_type(options["output_type"], host)
        if structured is None:
            raise ParameterBindingError(f"OutputType must be 'text', 'json_object', 'json_schema' or a type (a class; in "
                                        f"Python a dataclass, TypedDict or pydantic model), not "
                                        f"{type(options['output_type']).__name__}.")
        text["format"] = {"type": "json_schema", "name": structured.name, "strict": True, "schema": structured.schema}
        return text, structured
    if "output_type" in given:
        kind = options["output_type"].lower()
        if kind in ("text", "json_object"):
            text["format"] = {"type": kind}
        elif kind == "json_schema":
            schema = json_schema_of(options.get("json_schema"))
            if not options.get("json_schema_name"):
                raise ParameterBindingError("JsonSchemaName must be specified.")
            text["format"] = {"type": "json_schema", "name": options["json_schema_name"], "schema": schema}
            if "json_schema_description" in given:
                text["format"]["description"] = options["json_schema_description"]
            if "json_schema_strict" in given:
                text["format"]["strict"] = options["json_schema_strict"]
        else:
            raise ParameterBindingError(f"OutputType must be 'text', 'json_object' or 'json_schema', "
                                        f"got {options['output_type']!r}.")
    return text, None


def reasoning_options(given: frozenset[str], options: Mapping[str, Any]) -> dict[str, Any]:
    return {key: options[name] for key, name in (("effort", "reasoning_effort"), ("summary", "reasoning_summary"))
            if name in given}


def tool_choice_value(choice: str) -> Any:
    """As PSOpenAI recognises it (its `-in` compares without case), sent in the API's lower case (PSOpenAI sends
    'Required' as given, which the API refuses)."""
    if choice.lower() in ("none", "auto", "required"):
        return choice.lower()
    if choice.lower() in _BUILT_IN_TOOLS:
        return {"type": choice.lower()}
    return {"type": "function", "name": choice}


def tool_list(value: Any, what: str) -> list[dict[str, Any]]:
    """-Functions or -CustomTools: each a dictionary, sent as given."""
    items = [value] if isinstance(value, Mapping) else list(value) if isinstance(value, (list, tuple)) else [value]
    tools = []
    for i, item in enumerate(items):
        item = to_plain(item)
        if not isinstance(item, Mapping):
            raise ParameterBindingError(f"{what}[{i}] is not a dictionary (a tool definition), got {type(item).__name__}.")
        tools.append(dict(item))
    return tools
