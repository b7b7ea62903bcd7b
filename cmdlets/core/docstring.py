"""Python help() text for a cmdlet function, generated from its manifest (the same source as Get-Help).

Layout follows numpydoc section names (Parameters / Returns / Raises / Examples) so IDEs and pydoc read
it; names, types and defaults are the Python ones, with the PowerShell facts kept alongside.
"""
from __future__ import annotations

import textwrap

from .manifest import ALL_SETS, Manifest, Parameter, SetMembership
from .objects import OBJECT_TYPES

_PY_TYPE = {"String": "str", "String[]": "str or list of str", "Int32": "int", "Double": "float",
            "SwitchParameter": "bool", "Uri": "str (absolute http(s) URL)", "SecureString": "str or Secret",
            "Byte[]": "bytes", "IDictionary": "mapping", "Boolean": "bool"}
_INDENT = "    "


def python_type(p: Parameter) -> str:
    if p.type in _PY_TYPE:
        return _PY_TYPE[p.type]
    if p.ps_type_name:
        cls = _class_for(p.ps_type_name)
        return f"{cls} ({p.ps_type_name})" if cls else f"object ({p.ps_type_name})"
    return "object"


def _class_for(ps_type_name: str) -> str | None:
    for cls in OBJECT_TYPES.values():
        if cls.ps_type_name == ps_type_name:
            return cls.__name__
    return None


def _default(p: Parameter) -> object:
    return False if p.type == "SwitchParameter" else p.default


def _plain(text: str) -> str:
    # Markdown hard breaks (two trailing spaces) mean nothing in a docstring.
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _block(text: str, indent: str) -> list[str]:
    return [indent + line if line else "" for line in _plain(text).splitlines()]


def render_docstring(m: Manifest) -> str:
    params = [p for p in m.parameters if not p.dont_show]
    out: list[str] = [m.synopsis.strip(), ""]
    if m.description.strip() and m.description.strip() != m.synopsis.strip():
        out += [*_plain(m.description).splitlines(), ""]
    out += [f"Python face of the PowerShell cmdlet {m.name}; arguments are checked before any request is sent.", ""]
    out += _call_forms(m, params)
    out += ["Parameters", "----------"]
    for p in params:
        out += _parameter(m, p)
    out += _returns(m)
    out += _raises(m)
    out += _examples(m)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _call_forms(m: Manifest, params: list[Parameter]) -> list[str]:
    out = ["Call forms (one per parameter set):"]
    named = [s for s in m.parameter_sets if s != ALL_SETS]
    for s in m.parameter_sets:
        members = [(p, p.membership(s)) for p in params if p.in_set(s)]
        first = next((p for p, ms in members if ms.position == 0), None)
        # The positional argument, then the required keywords, then "..." for the optional rest.
        args = [first.python_name] if first else []
        required = [f"{p.python_name}=..." for p, ms in members if ms.mandatory and p is not first]
        optional = len(members) - len(args) - len(required)
        keywords = required + (["..."] if optional else [])
        shown = ", ".join(args + (["*", *keywords] if keywords else []))
        label = "" if not named else f"   # set {s}" + (" (default)" if s == m.default_parameter_set and len(named) > 1 else "")
        out.append(f"{_INDENT}{m.python_name}({shown}){label}")
    out.append("")
    by_value = [p.python_name for p in params if any(ms.by_value for ms in p.sets.values())]
    by_name = [p for p in params if any(ms.by_property_name for ms in p.sets.values())]
    first_pos = [p.python_name for p in params if any(ms.position == 0 for ms in p.sets.values())]
    if by_value or by_name or first_pos:
        text = ("The first positional argument binds the way PowerShell binds pipeline input: to the "
                f"parameter at position 0 ({' or '.join(first_pos) or 'none'}) when its type fits")
        if by_value:
            text += f", else by value ({' or '.join(by_value)})"
        if by_name:
            props = "; ".join(f"{p.python_name} from a field named {_or(_field_names(p))}" for p in by_name)
            text += f", else by property name ({props})"
        text += ". So the objects other cmdlets return can be passed straight in."
        out += [*textwrap.wrap(text, 100), ""]
    return out


def _field_names(p: Parameter) -> list[str]:
    # The names binding.Binder looks for, case-insensitively.
    seen: dict[str, str] = {}
    for n in (p.python_name, p.name, *p.aliases):
        seen.setdefault(n.lower(), n)
    return list(seen.values())


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _membership_text(m: Manifest, p: Parameter) -> list[str]:
    facts: list[str] = []
    if ALL_SETS in p.sets:
        ms = p.sets[ALL_SETS]
        if ms.mandatory:
            facts.append("Required.")
        facts += _position_text(ms)
        return facts
    sets = [s for s in m.parameter_sets if s in p.sets]
    required = [s for s in sets if p.sets[s].mandatory]
    optional = [s for s in sets if not p.sets[s].mandatory]
    if required:
        facts.append(f"Required in parameter set {', '.join(required)}.")
    if optional:
        facts.append(f"Optional in parameter set {', '.join(optional)}.")
    others = [s for s in m.parameter_sets if s not in p.sets]
    if others:
        facts.append(f"Not usable with parameter set {', '.join(others)}.")
    for ms in dict.fromkeys(p.sets[s] for s in sets):
        facts += _position_text(ms)
    return list(dict.fromkeys(facts))


def _position_text(ms: SetMembership) -> list[str]:
    facts = []
    if ms.position == 0:
        facts.append("May be given as the first positional argument.")
    kinds = [k for k, on in (("by value", ms.by_value), ("by property name", ms.by_property_name)) if on]
    if kinds:
        facts.append(f"Pipeline input {' and '.join(kinds)}.")
    return facts


def _parameter(m: Manifest, p: Parameter) -> list[str]:
    default = _default(p)
    head = f"{p.python_name} : {python_type(p)}"
    if default is not None:
        head += f", default {default!r}"
    facts = [f"PowerShell: -{p.name}."]
    if p.python_aliases:
        facts.append(f"Aliases: {', '.join(p.python_aliases)}.")
    facts += _membership_text(m, p)
    v = p.validation
    if v.range and v.range != (-2**31, 2**31 - 1):
        facts.append(f"Between {v.range[0]} and {v.range[1]}.")
    if v.values:
        facts.append(f"One of {', '.join(map(repr, v.values))}.")
    if v.not_null_or_empty:
        facts.append("Must not be empty.")
    if p.fallback:
        facts.append(f"When not given, read from the environment variable {p.fallback}.")
    if p.secret:
        facts.append("Masked in messages and errors.")
    lines = [head, *textwrap.wrap(" ".join(facts), 100 - len(_INDENT), initial_indent=_INDENT,
                                  subsequent_indent=_INDENT)]
    return lines + _block(p.help, _INDENT)


def _returns(m: Manifest) -> list[str]:
    if not m.outputs:
        return ["", "Returns", "-------", "None"]
    names = []
    for o in m.outputs:
        cls = _class_for(o.ps_type_name) if o.ps_type_name else None
        names.append(f"{cls} ({o.ps_type_name})" if cls else (o.ps_type_name or o.type))
    result = " or ".join(names)
    out = ["", "Returns", "-------"]
    has_pass_thru = any(p.name == "PassThru" for p in m.parameters)
    out.append(f"{result} or None" if has_pass_thru else result)
    if has_pass_thru:
        out.append(f"{_INDENT}None unless pass_thru=True.")
    for o in m.outputs:
        if o.description:
            out += _block(o.description, _INDENT)
    return out


def _raises(m: Manifest) -> list[str]:
    # The errors every cmdlet can raise; cmdlet-specific ones derive from the same bases.
    return ["", "Raises", "------",
            "ParameterBindingError",
            f"{_INDENT}The arguments do not fit the parameters (raised before any request is sent).",
            "ConfigurationError",
            f"{_INDENT}No API key, or an unusable api_base.",
            "APIStatusError",
            f"{_INDENT}The API answered with an error status (NotFoundError, RateLimitExceededError, ...).",
            "APIConnectionError",
            f"{_INDENT}The API could not be reached, or did not answer in time (APITimeoutError).",
            "OpenAIError",
            f"{_INDENT}Base class of every error above and of the cmdlet's own (e.g. InvalidOperationError)."]


def _examples(m: Manifest) -> list[str]:
    if not m.examples:
        return []
    out = ["", "Examples", "--------",
           "The examples are PowerShell, as on the help page; in Python the same call is",
           f"`{m.python_name}(...)` with the snake_case names above.", ""]
    for ex in m.examples:
        out += [f"{ex.title}:", "", *(_INDENT + line for line in ex.code.splitlines()), ""]
        if ex.remarks:
            out += [*_block(ex.remarks, _INDENT), ""]
    return out
