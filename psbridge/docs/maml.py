"""Manifests -> MAML help file (what `Get-Help` reads), in platyPS's layout.

Written as text with explicit escaping rather than through ElementTree so the namespace declarations sit
where platyPS puts them (default namespace on helpItems, maml/command/dev on each command) and the text of
paragraphs and code is written exactly as given. The tests parse the result to prove it is well-formed.

MAML describes the working cmdlet: besides what the markdown page shows, it lists -WhatIf and -Confirm
for cmdlets that support ShouldProcess, since those parameters exist and `Get-Help -Parameter` should
find them.
"""
from __future__ import annotations

import re
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from cmdlets.core.manifest import Manifest, Parameter, SetMembership

from .markdown import (doc_type, format_default, is_switch, pipeline_text, primary_membership,
                       shown_parameters, syntax_parameters)

NS = {
    "maml": "http://schemas.microsoft.com/maml/2004/10",
    "command": "http://schemas.microsoft.com/maml/dev/command/2004/10",
    "dev": "http://schemas.microsoft.com/maml/dev/2004/10",
    "MSHelp": "http://msdn.microsoft.com/mshelp",
}
MSH_NS = "http://msh"

# The texts PowerShell's own help uses for the ShouldProcess parameters.
_SHOULD_PROCESS = (
    ("WhatIf", "wi", "Shows what would happen if the cmdlet runs. The cmdlet is not run."),
    ("Confirm", "cf", "Prompts you for confirmation before running the cmdlet."),
)


def paragraphs(text: str) -> list[str]:
    """Markdown text -> MAML paragraphs: blank lines separate paragraphs; the two trailing spaces of a
    markdown hard break become a plain newline inside the paragraph (as platyPS does)."""
    text = (text or "").strip("\n")
    if not text.strip():
        return [""]
    paras = re.split(r"\n[ \t]*\n", text)
    return ["\n".join(line.rstrip() for line in para.split("\n")) for para in paras]


class _Writer:
    def __init__(self):
        self.lines: list[str] = []
        self.depth = 0

    def line(self, text: str) -> None:
        self.lines.append("  " * self.depth + text)

    def open(self, tag: str, attrs: Iterable[tuple[str, str]] = ()) -> None:
        self.line(f"<{tag}{_attrs(attrs)}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.line(f"</{tag}>")

    def leaf(self, tag: str, text: str | None, attrs: Iterable[tuple[str, str]] = ()) -> None:
        # Text goes in verbatim (escaped); newlines inside it are content, not layout.
        if text is None or text == "":
            self.line(f"<{tag}{_attrs(attrs)} />")
        else:
            self.line(f"<{tag}{_attrs(attrs)}>{escape(text)}</{tag}>")

    def description(self, text: str, tag: str = "maml:description") -> None:
        self.open(tag)
        for para in paragraphs(text):
            self.leaf("maml:para", para)
        self.close(tag)


def _attrs(attrs: Iterable[tuple[str, str]]) -> str:
    return "".join(f" {k}={quoteattr(v)}" for k, v in attrs)


def render_maml(manifests: Iterable[Manifest]) -> str:
    w = _Writer()
    w.lines.append('<?xml version="1.0" encoding="utf-8"?>')
    w.open("helpItems", [("schema", "maml"), ("xmlns", MSH_NS)])
    for m in manifests:
        _command(w, m)
    w.close("helpItems")
    return "\n".join(w.lines) + "\n"


def _command(w: _Writer, m: Manifest) -> None:
    verb, _, noun = m.name.partition("-")
    w.open("command:command", [(f"xmlns:{k}", v) for k, v in NS.items()])
    w.open("command:details")
    w.leaf("command:name", m.name)
    w.leaf("command:verb", verb)
    w.leaf("command:noun", noun)
    w.description(m.synopsis)
    w.close("command:details")
    w.description(m.description)

    w.open("command:syntax")
    for set_name in m.parameter_sets:
        w.open("command:syntaxItem")
        w.leaf("maml:name", m.name)
        for p, ms in syntax_parameters(m, set_name):
            _parameter(w, p, ms, syntax=True)
        for name, alias, text in _should_process(m):
            _switch(w, name, alias, text, syntax=True)
        w.close("command:syntaxItem")
    w.close("command:syntax")

    w.open("command:parameters")
    for p in shown_parameters(m):
        _parameter(w, p, primary_membership(m, p), syntax=False)
    for name, alias, text in _should_process(m):
        _switch(w, name, alias, text, syntax=False)
    w.close("command:parameters")

    w.open("command:inputTypes")
    for t in m.inputs:
        _type(w, "command:inputType", t.type, t.description)
    w.close("command:inputTypes")
    w.open("command:returnValues")
    for t in m.outputs:
        _type(w, "command:returnValue", t.type, t.description)
    w.close("command:returnValues")

    w.open("maml:alertSet")
    w.description(m.notes, tag="maml:alert")
    w.close("maml:alertSet")

    w.open("command:examples")
    for ex in m.examples:
        w.open("command:example")
        w.leaf("maml:title", _pad_title(ex.title))
        w.leaf("dev:code", ex.code)
        w.description(ex.remarks, tag="dev:remarks")
        w.close("command:example")
    w.close("command:examples")

    w.open("command:relatedLinks")
    # platyPS turns the page's `online version` into the first link; `Get-Help -Online` opens it.
    links = [("Online Version:", m.front_matter["online_version"])] if m.front_matter.get("online_version") else []
    for text, uri in links + [(link.text, link.uri) for link in m.links]:
        w.open("maml:navigationLink")
        w.leaf("maml:linkText", text)
        w.leaf("maml:uri", uri)
        w.close("maml:navigationLink")
    w.close("command:relatedLinks")
    w.close("command:command")


def _should_process(m: Manifest):
    return _SHOULD_PROCESS if m.supports_should_process else ()


def _parameter(w: _Writer, p: Parameter, ms: SetMembership, *, syntax: bool) -> None:
    # The syntax shows the binding type (as the markdown SYNTAX does); the parameter entry the page's type.
    type_name = "SwitchParameter" if is_switch(p) else (p.type if syntax else doc_type(p))
    default = format_default(p.default) if p.default is not None else ("False" if is_switch(p) else "None")
    w.open("command:parameter", _parameter_attrs(ms.mandatory, pipeline_text(ms), ms.position, p.aliases))
    w.leaf("maml:name", p.name)
    w.description(p.help)
    if p.validation.values and syntax:
        w.open("command:parameterValueGroup")
        for v in p.validation.values:
            w.leaf("command:parameterValue", v, [("required", "false"), ("command:variableLength", "false")])
        w.close("command:parameterValueGroup")
    if not (syntax and is_switch(p)):    # platyPS leaves the value out of a switch's syntax entry
        w.leaf("command:parameterValue", type_name,
               [("required", "false" if is_switch(p) else "true"), ("variableLength", "false")])
    _dev_type(w, type_name)
    w.leaf("dev:defaultValue", default)
    w.close("command:parameter")


def _switch(w: _Writer, name: str, alias: str, text: str, *, syntax: bool) -> None:
    w.open("command:parameter", _parameter_attrs(False, "False", None, (alias,)))
    w.leaf("maml:name", name)
    w.description(text)
    if not syntax:
        w.leaf("command:parameterValue", "SwitchParameter", [("required", "false"), ("variableLength", "false")])
    _dev_type(w, "SwitchParameter")
    w.leaf("dev:defaultValue", "False")
    w.close("command:parameter")


def _parameter_attrs(mandatory: bool, pipeline: str, position: int | None, aliases) -> list[tuple[str, str]]:
    return [("required", "true" if mandatory else "false"), ("variableLength", "true"), ("globbing", "false"),
            ("pipelineInput", pipeline), ("position", "named" if position is None else str(position)),
            ("aliases", ", ".join(aliases) if aliases else "none")]


def _dev_type(w: _Writer, name: str) -> None:
    w.open("dev:type")
    w.leaf("maml:name", name)
    w.leaf("maml:uri", None)
    w.close("dev:type")


def _type(w: _Writer, tag: str, type_name: str, description: str) -> None:
    w.open(tag)
    w.open("dev:type")
    w.leaf("maml:name", type_name)
    w.close("dev:type")
    w.description(description)
    w.close(tag)


def _pad_title(title: str) -> str:
    """platyPS pads example titles with dashes to 64 characters, as PowerShell's own help does."""
    if not title.strip() or len(title) >= 62:
        return title
    pad = "-" * ((64 - len(title) - 2) // 2)
    return f"{pad} {title} {pad}"
