"""Python help() text for a cmdlet function, generated from its manifest (the same source as Get-Help).

Layout follows numpydoc section names (Parameters / Returns / Raises / Examples) so IDEs and pydoc read
it; names, types and defaults are the Python ones, with the PowerShell facts kept alongside.
"""
from __future__ import annotations

import re
import textwrap

from .manifest import ALL_SETS, Manifest, Parameter, SetMembership, load_manifests, snake_case
from .objects import OBJECT_TYPES

_PY_TYPE = {"String": "str", "String[]": "str or iterable of str", "Int32": "int", "Double": "float",
            "SwitchParameter": "bool", "Uri": "str (absolute http(s) URL)", "SecureString": "str or Secret",
            "Byte[]": "bytes", "IDictionary": "mapping", "Boolean": "bool"}
_INDENT = "    "


def python_type(p: Parameter) -> str:
    if p.file_path and p.type == "String":
        return "str or os.PathLike"
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
    if p.python_default is not None:
        return p.python_default
    return False if p.type == "SwitchParameter" else p.default


# PowerShell's words in the manifests' shared help, as Python says them (pythonize).
_WORDS = [
    (re.compile(r"`?\$global:(\w+)`?\s+or\s+`?\$env:\1`?"), r"the environment variable \1"),
    (re.compile(r"`?\$(?:global|env):(\w+)`?"), r"the environment variable \1"),
    (re.compile(r"\$true\b", re.I), "True"), (re.compile(r"\$false\b", re.I), "False"),
    (re.compile(r"\$null\b", re.I), "None"),
    (re.compile(r"\[securestring\]", re.I), "Secret"), (re.compile(r"\[string\]", re.I), "str"),
    (re.compile(r"\[int\]", re.I), "int"), (re.compile(r"\[switch\]", re.I), "bool"),
    (re.compile(r"\[datetime\]", re.I), "datetime"),
    (re.compile(r"\b(?:When )?the (?:\w+ )?switch (?:is )?specified,?", re.I), "When True,"),
    (re.compile(r"\b([Tt])his cmdlet\b"), r"\1his function"), (re.compile(r"\b([Tt])he cmdlet\b"), r"\1he function"),
    (re.compile(r"\bcmdlets\b"), "functions"), (re.compile(r"\bcmdlet\b"), "function"),
]
_DASHED = re.compile(r"(?<![\w-])-([A-Z][A-Za-z0-9]*)\b('s)?(?:\s+('[^'\s]*'|[A-Za-z][\w.]*)\b(?!-))?")
_COMMAND = re.compile(r"\b([A-Z][a-z]+-[A-Z][A-Za-z]+)\b")


def pythonize(text: str, m: Manifest) -> str:
    """Help text as a Python reader needs it: -ApiKey -> api_key=, $true -> True, Stop-Batch -> stop_batch(),
    "This cmdlet" -> "This function", $env:X -> the environment variable X. For text that must differ in
    more than words, a manifest has python_help: / python_examples:."""
    params = {n.lower(): p for p in m.parameters for n in (p.name, *p.aliases)}
    # A command alias is its own function name too (Register-OpenAIFile -> register_openai_file), as cmdlets exports it.
    commands = {n.lower(): name for other in load_manifests().values()
                for n, name in ((other.name, other.python_name), *((a, snake_case(a)) for a in other.aliases))}

    def keyword(x: re.Match) -> str:
        p = params.get(x.group(1).lower())
        if p is None:
            return x.group(0)
        if x.group(2):          # -ApiBase's origin
            return f"{p.python_name}'s"
        value = x.group(3)
        literal = value is not None and (value[0] == "'" or value.replace(".", "").isdigit() or
                                         value.lower() in {v.lower() for v in p.validation.values or ()})
        rest = f" {value}" if value and not literal else ""
        if p.type == "SwitchParameter":
            return f"{p.python_name}=True{rest}"
        if literal:
            return f"{p.python_name}={value if value[0] == chr(39) or value[0].isdigit() else repr(value)}"
        return f"{p.python_name}{rest}"      # the keyword named in a sentence

    text = _DASHED.sub(keyword, text)
    text = _COMMAND.sub(lambda x: f"{commands[x.group(1).lower()]}()" if x.group(1).lower() in commands else x.group(0),
                        text)
    for pattern, replacement in _WORDS:
        text = pattern.sub(replacement, text)
    return text


def _plain(text: str) -> str:
    # Markdown hard breaks (two trailing spaces) mean nothing in a docstring.
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _block(text: str, indent: str) -> list[str]:
    return [indent + line if line else "" for line in _plain(text).splitlines()]


def render_docstring(m: Manifest) -> str:
    params = [p for p in m.parameters if not p.dont_show]
    out: list[str] = [pythonize(m.synopsis.strip(), m), ""]
    if m.description.strip() and m.description.strip() != m.synopsis.strip():
        out += [*_plain(pythonize(m.description, m)).splitlines(), ""]
    out += [f"Arguments are checked before any request is sent (ParameterBindingError). In PowerShell: {m.name}.", ""]
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
    out = ["Call forms:"]
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
        label = "" if not named else f"   # {s}" + (" (default)" if s == m.default_parameter_set and len(named) > 1 else "")
        out.append(f"{_INDENT}{m.python_name}({shown}){label}")
    out.append("")
    by_value = [p.python_name for p in params if any(ms.by_value for ms in p.sets.values())]
    by_name = [p for p in params if any(ms.by_property_name for ms in p.sets.values())]
    first_pos = [p.python_name for p in params if any(ms.position == 0 for ms in p.sets.values())]
    if by_value or by_name or first_pos:
        text = ("The first positional argument goes to "
                f"{' or '.join(first_pos) or 'no keyword by position'} when its type fits")
        if by_value:
            text += f", else by value ({' or '.join(by_value)})"
        if by_name:
            props = "; ".join(f"{p.python_name} from a field named {_or(_field_names(p))}" for p in by_name)
            text += f", else by property name ({props})"
        text += ". So the objects other functions return can be passed straight in."
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
        facts.append(f"Required in call form {', '.join(required)}.")
    if optional:
        facts.append(f"Optional in call form {', '.join(optional)}.")
    others = [s for s in m.parameter_sets if s not in p.sets]
    if others:
        facts.append(f"Not usable with call form {', '.join(others)}.")
    for ms in dict.fromkeys(p.sets[s] for s in sets):
        facts += _position_text(ms)
    return list(dict.fromkeys(facts))


def _position_text(ms: SetMembership) -> list[str]:
    facts = []
    if ms.position == 0:
        facts.append("May be given as the first positional argument.")
    return facts


def _parameter(m: Manifest, p: Parameter) -> list[str]:
    default = _default(p)
    head = f"{p.python_name} : {python_type(p)}"
    if default is not None:
        head += f", default {default!r}"
    facts = []
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
    if v.count:
        text = v.how_many()
        facts.append(f"{text[0].upper()}{text[1:]}.")
    if p.fallbacks:
        facts.append(f"When not given, read from the environment variable {' or '.join(p.fallbacks)}.")
    if p.secret:
        facts.append("Masked in messages and errors.")
    lines = [head, *textwrap.wrap(" ".join(facts), 100 - len(_INDENT), initial_indent=_INDENT,
                                  subsequent_indent=_INDENT)]
    return lines + _block(p.python_help or pythonize(p.help, m), _INDENT)


def _returns(m: Manifest) -> list[str]:
    from .returns import return_cases     # (returns imports the objects this module's callers load first)
    cases = return_cases(m)
    out = ["", "Returns", "-------"]
    for case in cases:
        when = [f"{snake_case(k)}={'True' if v is True else repr(v)}" for k, v in case.when]
        sets = f" (call form {', '.join(case.sets)})" if case.sets else ""
        condition = f" when {' and '.join(when)}" if when else " otherwise" if len(cases) > 1 and not sets else ""
        out.append(f"{case.type}{sets}{condition}")
        if case.description:
            out += _block(pythonize(case.description, m), _INDENT)
    return out


def _raises(m: Manifest) -> list[str]:
    # The errors every cmdlet can raise; cmdlet-specific ones derive from the same bases.
    return ["", "Raises", "------",
            "ParameterBindingError",
            f"{_INDENT}The arguments do not fit the parameters (raised before any request is sent).",
            "ConfigurationError",
            f"{_INDENT}No API key, or an unusable api_base.",
            "APIStatusError",
            f"{_INDENT}The API answered with an error status (NotFoundError, AuthenticationError, RateLimitError, ...);",
            f"{_INDENT}`status_code` is the status.",
            "APIConnectionError",
            f"{_INDENT}The API could not be reached, or did not answer in time (APITimeoutError).",
            "OpenAIError",
            f"{_INDENT}Base class of every error above and of the function's own (e.g. InvalidOperationError)."]


def _examples(m: Manifest) -> list[str]:
    out = ["", "Examples", "--------"]
    if not m.python_examples:
        return out + [f"Call it as one of the call forms above; `Get-Help {m.name} -Examples` shows PowerShell's examples."]
    for ex in m.python_examples:
        out += [f"{ex.title}:", "", *(_INDENT + line for line in ex.code.splitlines()), ""]
        if ex.remarks:
            out += [*_block(ex.remarks, _INDENT), ""]
    return out
