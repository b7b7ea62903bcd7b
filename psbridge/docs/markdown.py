"""Manifest -> platyPS markdown page (schema 2.0.0), in the layout of PSOpenAI's own pages.

The page follows PSOpenAI's Docs/ style rather than stock platyPS where the two differ (parameters in
declaration order, one multi-line syntax entry per parameter, only the yaml lines that carry something),
because the first page must reproduce the reference byte for byte. The rules are derived from the
manifest; its per-parameter `doc` block holds the few facts the page shows differently from the binding
(`doc.type`, `doc.show_parameter_sets`).

The helpers that decide *what* is shown (which parameters, in which order, with which yaml facts) are
shared with the MAML writer, so the markdown page and `Get-Help` never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cmdlets.core.manifest import ALL_SETS, Manifest, Parameter, SetMembership

# platyPS spells its front-matter keys this way; the manifest uses snake_case keys.
FRONT_MATTER_KEYS = {
    "external_help_file": "external help file",
    "module_name": "Module Name",
    "online_version": "online version",
    "schema": "schema",
}
DEFAULT_HELP_FILE = "PSOpenAI-help.xml"


# --- shared model ----------------------------------------------------------------------------------

def shown_parameters(m: Manifest) -> list[Parameter]:
    """Parameters the help shows, in declaration order (the page's order; DontShow ones and those the
    manifest's help_omits names are hidden)."""
    return list(m.help_parameters)


def doc_type(p: Parameter) -> str:
    """The type the PARAMETERS entry names (may differ from the binding type, e.g. ApiKey: Object)."""
    return p.doc.type or p.type


def is_switch(p: Parameter) -> bool:
    return p.type == "SwitchParameter"


def format_default(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def pipeline_text(ms: SetMembership) -> str:
    kinds = [k for k, on in (("ByValue", ms.by_value), ("ByPropertyName", ms.by_property_name)) if on]
    return f"True ({', '.join(kinds)})" if kinds else "False"


def syntax_parameters(m: Manifest, set_name: str) -> list[tuple[Parameter, SetMembership]]:
    """A set's parameters in the order PowerShell prints a syntax line: positional ones by position,
    then named mandatory, then named optional, each group in declaration order."""
    members = [(p, p.membership(set_name)) for p in shown_parameters(m) if p.in_set(set_name)]
    positional = sorted((x for x in members if x[1].position is not None), key=lambda x: x[1].position)
    named = [x for x in members if x[1].position is None]
    return positional + [x for x in named if x[1].mandatory] + [x for x in named if not x[1].mandatory]


def syntax_token(p: Parameter, ms: SetMembership) -> str:
    """One parameter as PowerShell's syntax shows it: [-Name] <T>, [-Name <T>], -Name <T>, [-Switch]."""
    if is_switch(p):
        return f"-{p.name}" if ms.mandatory else f"[-{p.name}]"
    name = f"[-{p.name}]" if ms.position is not None else f"-{p.name}"
    token = f"{name} <{p.type}>"
    return token if ms.mandatory else f"[{token}]"


def set_heading(m: Manifest, set_name: str) -> str:
    """platyPS marks the default set only when there is more than one to choose from."""
    if len(m.parameter_sets) > 1 and set_name == m.default_parameter_set:
        return f"{set_name} (Default)"
    return set_name


@dataclass(frozen=True)
class FactBlock:
    """One yaml block of a PARAMETERS entry: the facts shared by the listed sets."""
    sets: tuple[str, ...]
    membership: SetMembership


def fact_blocks(m: Manifest, p: Parameter) -> list[FactBlock]:
    """Sets where the parameter behaves alike share a block; a parameter that is, say, mandatory in
    one set and optional in another gets one block per behaviour, each naming its sets (as platyPS does)."""
    groups: dict[SetMembership, list[str]] = {}
    if ALL_SETS in p.sets:
        groups[p.sets[ALL_SETS]] = [ALL_SETS]
    else:
        for s in m.parameter_sets:
            if s in p.sets:
                groups.setdefault(p.sets[s], []).append(s)
    return [FactBlock(tuple(sets), ms) for ms, sets in groups.items()]


def primary_membership(m: Manifest, p: Parameter) -> SetMembership:
    """The membership MAML's single parameter entry reports: the default set's when the parameter is in
    it, else the first set's."""
    return p.membership(m.default_parameter_set) or fact_blocks(m, p)[0].membership


# --- markdown --------------------------------------------------------------------------------------

def render_markdown(m: Manifest) -> str:
    out: list[str] = []
    out += _front_matter(m)
    out += [f"# {m.name}", "", "## SYNOPSIS", m.synopsis, "", "## SYNTAX", ""]
    for set_name in m.parameter_sets:
        out += [f"### {set_heading(m, set_name)}", "```", *_syntax_lines(m, set_name), "```", ""]
    out += ["## DESCRIPTION", m.description, "", "## EXAMPLES", ""]
    for ex in m.examples:
        out += [f"### {ex.title}", "```powershell", ex.code, "```", ""]
        if ex.remarks:
            out += [ex.remarks.rstrip("\n"), ""]
    out += ["## PARAMETERS", ""]
    for p in shown_parameters(m):
        out += _parameter_entry(m, p)
    out += ["## INPUTS", ""]
    for t in m.inputs:
        out += _type_entry(t.type, t.description)
    out += ["## OUTPUTS", ""]
    for t in m.outputs:
        out += _type_entry(t.type, t.description)
    out += ["## NOTES", ""]
    if m.notes:
        out += [m.notes.rstrip("\n"), ""]
    out += ["## RELATED LINKS", ""]
    for link in m.links:
        out += [f"[{link.text}]({link.uri})", ""]
    # Every section above ends with one blank line; the file ends with exactly one newline.
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _front_matter(m: Manifest) -> list[str]:
    # platyPS reads a page as schema 2.0.0 only when the front matter says so.
    fields = {**m.front_matter, "schema": m.front_matter.get("schema") or "2.0.0"}
    lines = ["---"]
    for key, value in fields.items():
        label = FRONT_MATTER_KEYS.get(key, key.replace("_", " "))
        lines.append(f"{label}: {value}" if value else f"{label}:")
    return lines + ["---", ""]


def _syntax_lines(m: Manifest, set_name: str) -> list[str]:
    # The reference page writes one parameter per line, indented by four spaces.
    return [m.name, *(f"    {syntax_token(p, ms)}" for p, ms in syntax_parameters(m, set_name)),
            "    [<CommonParameters>]"]


def _parameter_entry(m: Manifest, p: Parameter) -> list[str]:
    out = [f"### -{p.name}", p.help, ""]
    blocks = fact_blocks(m, p)
    for block in blocks:
        out += ["```yaml", *_facts(p, block, show_sets=p.doc.show_parameter_sets or len(blocks) > 1), "```", ""]
    return out


def _facts(p: Parameter, block: FactBlock, show_sets: bool) -> list[str]:
    ms = block.membership
    lines = [f"Type: {doc_type(p)}"]
    if show_sets:
        lines.append("Parameter Sets: " + ("(All)" if block.sets == (ALL_SETS,) else ", ".join(block.sets)))
    if p.aliases:
        lines.append(f"Aliases: {', '.join(p.aliases)}")
    if p.validation.values:
        lines.append(f"Accepted values: {', '.join(p.validation.values)}")
    lines.append(f"Required: {'True' if ms.mandatory else 'False'}")
    lines.append(f"Position: {ms.position if ms.position is not None else 'Named'}")
    if p.default is not None:
        lines.append(f"Default value: {format_default(p.default)}")
    if ms.by_value or ms.by_property_name:
        lines.append(f"Accept pipeline input: {pipeline_text(ms)}")
    return lines


def _type_entry(type_name: str, description: str) -> list[str]:
    out = [f"### {type_name}"]
    if description:
        out.append(description.rstrip("\n"))
    return out + [""]
