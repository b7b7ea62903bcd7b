"""Cmdlet manifests: one YAML file per cmdlet, the single source of truth for its parameters and help.

Loading is strict on purpose: a typo in a manifest would otherwise surface as a silently missing
parameter in PowerShell, in Python and in the help at once. Every problem names the file and the key.
"""
from __future__ import annotations

import importlib
import keyword
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable


ALL_SETS = "__AllParameterSets"
TYPES = ("String", "String[]", "Int32", "Double", "SwitchParameter", "Uri", "SecureString", "Byte[]", "IDictionary",
         "Object", "Boolean")
PIPELINE_KINDS = ("ByValue", "ByPropertyName")
# A command name or alias: what PowerShell can call bare and Python can turn into a function name.
_COMMAND_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*-[A-Za-z][A-Za-z0-9]*")


class ManifestError(ValueError):
    """A manifest that does not follow the schema; the message names the file and the key."""


@dataclass(frozen=True)
class SetMembership:
    mandatory: bool = False
    position: int | None = None
    by_value: bool = False
    by_property_name: bool = False


@dataclass(frozen=True)
class Validation:
    range: tuple[int, int] | None = None
    values: tuple[str, ...] | None = None
    not_null_or_empty: bool = False
    count: tuple[int, int] | None = None        # how many items an array takes (PowerShell's ValidateCount)

    def how_many(self) -> str:
        """`count` in words: '1 to 4 items', 'exactly 1 item(s)' (the binder's errors, the docstrings)."""
        assert self.count is not None
        least, most = self.count
        return f"exactly {least} item(s)" if least == most else f"{least} to {most} items"


@dataclass(frozen=True)
class ParameterDoc:
    """How the help page shows a parameter where it differs from the binding facts."""
    type: str | None = None
    show_parameter_sets: bool = False


@dataclass(frozen=True)
class Parameter:
    name: str
    python_name: str
    type: str
    help: str
    aliases: tuple[str, ...] = ()
    sets: dict[str, SetMembership] = field(default_factory=lambda: {ALL_SETS: SetMembership()})
    default: Any = None
    validation: Validation = Validation()
    ps_type_name: str | None = None
    dont_show: bool = False
    secret: bool = False
    doc: ParameterDoc = ParameterDoc()
    group: str | None = None        # the shared group it came from, e.g. "api"
    completions: tuple[str, ...] = ()   # tab-completion suggestions; unlike validation.values, not enforced
    collect: bool = False           # pipeline items are gathered and the cmdlet runs once, in the end block
    file_path: bool = False         # a file system path: pwsh resolves it against its current location
    file_or_url: bool = False       # a file path where such a file exists (resolved as file_path), else text
    offline: bool = False           # a switch that, when set, sends no request: the API settings are not
                                    # resolved, so no key is needed (Request-ChatCompletion -AsBatch)
    context: bool = False           # unbound, it takes the session context's entry of its name
                                    # (Set-OpenAIContext) before its fallback: cmdlets/core/context.py
    id_of: tuple[str, ...] = ()     # PSTypeNames whose objects (Deserialized.* too) stand for their id here
    fallbacks: tuple[str, ...] = ()     # variables read in order when unbound ($global: then $env: in pwsh)
    # The Python face only (PowerShell keeps PSOpenAI's): its default when unbound (after context and
    # fallbacks), extra keywords (openai-python's names: base_url=), and help text where the words differ.
    python_default: Any = None
    python_keywords: tuple[str, ...] = ()
    python_help: str | None = None

    @property
    def fallback(self) -> str | None:
        return self.fallbacks[0] if self.fallbacks else None

    @property
    def python_aliases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*(snake_case(a) for a in self.aliases if snake_case(a) != self.python_name),
                                    *self.python_keywords]))

    def in_set(self, set_name: str) -> bool:
        return ALL_SETS in self.sets or set_name in self.sets

    def membership(self, set_name: str) -> SetMembership | None:
        return self.sets.get(set_name) or self.sets.get(ALL_SETS)


@dataclass(frozen=True)
class Example:
    title: str
    code: str
    remarks: str


@dataclass(frozen=True)
class Link:
    text: str
    uri: str


@dataclass(frozen=True)
class TypeEntry:
    type: str
    description: str = ""
    ps_type_name: str | None = None


@dataclass(frozen=True)
class PythonReturn:
    """What the Python function returns in one case, for the typed stub and help (`python_returns:`): `type`, a
    Python annotation (names from cmdlets.core.objects or the implementation's module), when every switch
    or value in `when` (parameter name -> True or a text) is given and the call is in one of `sets` (all
    when empty). The first case that fits is the one."""
    type: str
    when: tuple[tuple[str, Any], ...] = ()
    sets: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Manifest:
    name: str
    implementation: str
    synopsis: str
    description: str
    parameters: tuple[Parameter, ...]
    default_parameter_set: str
    supports_should_process: bool = False
    front_matter: dict[str, str] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    inputs: tuple[TypeEntry, ...] = ()
    outputs: tuple[TypeEntry, ...] = ()
    notes: str = ""
    links: tuple[Link, ...] = ()
    aliases: tuple[str, ...] = ()   # other command names, e.g. Register-OpenAIFile for Add-OpenAIFile
    help_omits: tuple[str, ...] = ()    # parameters the help page leaves out, as PSOpenAI's own page does
    offline: bool = False           # never sends a request (the context cmdlets): no API settings resolved
    python_returns: tuple[PythonReturn, ...] = ()   # empty: the implementation's return annotation
    python_examples: tuple[Example, ...] = ()       # help(): Python examples (else made from the call forms)
    path: str = ""

    @property
    def python_name(self) -> str:
        return snake_case(self.name)

    @property
    def parameter_sets(self) -> tuple[str, ...]:
        """Named sets in declaration order, the default first (as PowerShell lists them)."""
        named = dict.fromkeys(s for p in self.parameters for s in p.sets if s != ALL_SETS)
        ordered = [self.default_parameter_set] if self.default_parameter_set in named else []
        return tuple(ordered + [s for s in named if s != self.default_parameter_set]) or (ALL_SETS,)

    @property
    def python_aliases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(snake_case(a) for a in self.aliases))

    @property
    def positional_name(self) -> str:
        """The name of the Python function's positional argument (pipeline input): `input`, unless a keyword
        is called so (Request-Embeddings -Input)."""
        keywords = {n for p in self.parameters for n in (p.python_name, *p.python_aliases)}
        return "input" if "input" not in keywords else "value"

    @property
    def help_parameters(self) -> tuple[Parameter, ...]:
        """Parameters the help shows, in declaration order: not DontShow ones nor those help_omits names."""
        return tuple(p for p in self.parameters if not p.dont_show and p.name not in self.help_omits)

    @property
    def output_type_names(self) -> list[str]:
        return [o.ps_type_name or o.type for o in self.outputs]

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def load_implementation(self) -> Callable[..., Any]:
        module_name, _, attr = self.implementation.partition(":")
        return getattr(importlib.import_module(module_name), attr)


def snake_case(name: str) -> str:
    """PascalCase PowerShell names to the Python names users expect: PassThru -> pass_thru, OrgId -> org_id,
    Add-OpenAIFile -> add_openai_file ("OpenAI" is one word, as in the openai package)."""
    name = name.replace("OpenAI", "Openai").replace("-", "_")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


# --- strict reading -------------------------------------------------------------------------------

class _Reader:
    """Reads one mapping, remembering where it is so every error names the file and the key."""

    def __init__(self, data: Any, where: str, path: str):
        self.where, self.path = where, path
        if not isinstance(data, dict):
            self.fail(f"expected a mapping, got {type(data).__name__}")
        self.data = data
        self.used: set[str] = set()

    def fail(self, message: str, key: str | None = None):
        at = f"{self.where}.{key}" if key else self.where
        raise ManifestError(f"{self.path}: {at}: {message}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., ) -> Any:
        self.used.add(key)
        if key not in self.data or self.data[key] is None and default is not ...:
            if default is ...:
                self.fail("is required", key)
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            names = "/".join(k.__name__ for k in _as_tuple(kind))
            self.fail(f"expected {names}, got {type(value).__name__}", key)
        return value

    def child(self, key: str, value: Any) -> "_Reader":
        return _Reader(value, f"{self.where}.{key}", self.path)

    def done(self):
        unknown = sorted(set(map(str, self.data)) - self.used)
        if unknown:
            self.fail(f"unknown key {unknown[0]!r}", None)


def _as_tuple(kind):
    return kind if isinstance(kind, tuple) else (kind,)


def _read_parameter(data: Any, where: str, path: str) -> Parameter:
    r = _Reader(data, where, path)
    name = r.get("name", str)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
        r.fail(f"{name!r} is not a valid parameter name", "name")
    ptype = r.get("type", str)
    if ptype not in TYPES:
        r.fail(f"{ptype!r} is not one of {', '.join(TYPES)}", "type")
    aliases = tuple(r.get("aliases", list, []))
    for a in aliases:
        if not isinstance(a, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", a):
            r.fail(f"{a!r} is not a valid alias", "aliases")
    sets: dict[str, SetMembership] = {}
    for set_name, spec in (r.get("sets", dict, {}) or {}).items():
        s = r.child(f"sets.{set_name}", spec)
        pipeline = s.get("pipeline", list, [])
        for kind in pipeline:
            if kind not in PIPELINE_KINDS:
                s.fail(f"{kind!r} is not one of {', '.join(PIPELINE_KINDS)}", "pipeline")
        position = s.get("position", int, None)
        if position is not None and position < 0:
            s.fail("must be 0 or more", "position")
        sets[str(set_name)] = SetMembership(
            mandatory=s.get("mandatory", bool, False), position=position,
            by_value="ByValue" in pipeline, by_property_name="ByPropertyName" in pipeline)
        s.done()
    validation = Validation()
    if "validation" in r.data:
        v = r.child("validation", r.get("validation", dict))
        rng = v.get("range", list, None)
        if rng is not None and (len(rng) != 2 or not all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                         for x in rng) or rng[0] > rng[1]):
            v.fail("expected [low, high] numbers with low <= high", "range")
        values = v.get("values", list, None)
        count = v.get("count", list, None)
        if count is not None and (len(count) != 2 or not all(type(x) is int and x >= 0 for x in count)
                                  or count[0] > count[1]):
            v.fail("expected [least, most] whole numbers with least <= most", "count")
        validation = Validation(range=tuple(rng) if rng else None,
                                values=tuple(map(str, values)) if values else None,
                                not_null_or_empty=v.get("not_null_or_empty", bool, False),
                                count=tuple(count) if count else None)
        v.done()
        if validation.count and not ptype.endswith("[]"):
            r.fail("a count needs an array type", "validation")
        if validation.range and ptype not in ("Int32", "Double"):
            r.fail("a range needs type Int32 or Double", "validation")
        if validation.values and ptype not in ("String", "String[]"):
            r.fail("a set of values needs type String or String[]", "validation")
    doc = ParameterDoc()
    if "doc" in r.data:
        d = r.child("doc", r.get("doc", dict))
        doc = ParameterDoc(type=d.get("type", str, None), show_parameter_sets=d.get("show_parameter_sets", bool, False))
        d.done()
    param = Parameter(
        name=name, python_name=r.get("python_name", str, snake_case(name)), type=ptype,
        help=r.get("help", str).rstrip("\n"), aliases=aliases, sets=sets or {ALL_SETS: SetMembership()},
        default=_frozen(r.get("default", (str, int, float, bool, list), None)), validation=validation,
        ps_type_name=r.get("ps_type_name", str, None), dont_show=r.get("dont_show", bool, False),
        fallbacks=_names(r, "fallback"), secret=r.get("secret", bool, False), doc=doc,
        completions=tuple(map(str, r.get("completions", list, []))), collect=r.get("collect", bool, False),
        file_path=r.get("file_path", bool, False), file_or_url=r.get("file_or_url", bool, False),
        offline=r.get("offline", bool, False),
        context=r.get("context", bool, False), id_of=tuple(map(str, r.get("id_of", list, []))),
        python_default=r.get("python_default", (str, int, float, bool), None),
        python_keywords=tuple(r.get("python_keywords", list, [])),
        python_help=(r.get("python_help", str, None) or "").rstrip("\n") or None)
    r.done()
    for k in param.python_keywords:
        if not isinstance(k, str) or not re.fullmatch(r"[a-z_][a-z0-9_]*", k) or keyword.iskeyword(k):
            r.fail(f"{k!r} is not a valid Python keyword name", "python_keywords")
    if param.offline and ptype != "SwitchParameter":
        r.fail("offline needs type SwitchParameter", "offline")
    if param.file_or_url and (ptype not in ("String", "String[]") or param.file_path):
        r.fail("file_or_url needs type String or String[], and not file_path too", "file_or_url")
    if param.id_of and ptype != "String":
        r.fail("id_of needs type String", "id_of")
    return param


def _names(r: _Reader, key: str) -> tuple[str, ...]:
    """A name or a list of names (fallback: OPENAI_API_BASE or [OPENAI_API_BASE, OPENAI_BASE_URL])."""
    value = r.get(key, (str, list), None)
    names = [value] if isinstance(value, str) else value or []
    for n in names:
        if not isinstance(n, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            r.fail(f"{n!r} is not a valid variable name", key)
    return tuple(names)


def _read_returns(r: _Reader, params: list[Parameter]) -> tuple[PythonReturn, ...]:
    by_name = {p.name: p for p in params}
    sets = {s for p in params for s in p.sets if s != ALL_SETS}
    out = []
    for i, item in enumerate(r.get("python_returns", list, [])):
        e = r.child(f"python_returns[{i}]", item)
        when = e.get("when", dict, {})
        for name, value in when.items():
            p = by_name.get(name)
            if p is None:
                e.fail(f"{name!r} is not a parameter", "when")
            # true: the switch is set, or the parameter is given; a text: the parameter has that value
            if value is not True and (p.type == "SwitchParameter" or not isinstance(value, str)):
                e.fail(f"{name}: expected true{'' if p.type == 'SwitchParameter' else ' or a text value'}", "when")
        case_sets = tuple(e.get("sets", list, []))
        for s in case_sets:
            if s not in sets:
                e.fail(f"{s!r} is not one of the parameter sets {sorted(sets)}", "sets")
        out.append(PythonReturn(type=e.get("type", str), when=tuple(when.items()), sets=case_sets,
                                description=e.get("description", str, "")))
        e.done()
    return tuple(out)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _read_entries(r: _Reader, key: str, make, fields: dict[str, tuple[type, Any]]) -> tuple:
    """A list of small records; `fields` maps each key to (type, default), `...` meaning required."""
    out = []
    for i, item in enumerate(r.get(key, list, [])):
        e = r.child(f"{key}[{i}]", item)
        out.append(make(**{k: e.get(k, t, d) for k, (t, d) in fields.items()}))
        e.done()
    return tuple(out)


_TYPE_ENTRY = {"type": (str, ...), "description": (str, ""), "ps_type_name": (str, None)}


def parse_manifest(data: Any, path: str, shared_groups: dict[str, tuple[Parameter, ...]]) -> Manifest:
    r = _Reader(data, "manifest", path)
    name = r.get("name", str)
    if Path(path).stem not in (name, "<string>"):
        r.fail(f"{name!r} does not match the file name", "name")
    aliases = tuple(r.get("aliases", list, []))
    for a in aliases:
        if not isinstance(a, str) or not _COMMAND_NAME.fullmatch(a) or a.lower() == name.lower():
            r.fail(f"{a!r} is not a valid command alias (Verb-Noun, not the cmdlet's own name)", "aliases")
    if len({a.lower() for a in aliases}) != len(aliases):
        r.fail("an alias is listed twice", "aliases")
    params = [_read_parameter(p, f"parameters[{i}]", path) for i, p in enumerate(r.get("parameters", list))]
    for group in r.get("shared_parameters", list, []):
        if group not in shared_groups:
            r.fail(f"unknown shared parameter group {group!r}", "shared_parameters")
        params.extend(replace(p, group=group) for p in shared_groups[group])
    front = r.get("front_matter", dict, {})
    manifest = Manifest(
        name=name, implementation=r.get("implementation", str), synopsis=r.get("synopsis", str),
        description=r.get("description", str).rstrip("\n"), parameters=tuple(params),
        default_parameter_set=r.get("default_parameter_set", str, ALL_SETS),
        supports_should_process=r.get("supports_should_process", bool, False),
        front_matter={str(k): str(v) for k, v in front.items()},
        examples=_read_entries(r, "examples", Example, {"title": (str, ...), "code": (str, ...), "remarks": (str, "")}),
        inputs=_read_entries(r, "inputs", TypeEntry, _TYPE_ENTRY),
        outputs=_read_entries(r, "outputs", TypeEntry, _TYPE_ENTRY),
        notes=r.get("notes", str, ""), links=_read_entries(r, "links", Link, {"text": (str, ...), "uri": (str, ...)}),
        aliases=aliases, help_omits=tuple(r.get("help_omits", list, [])), offline=r.get("offline", bool, False),
        python_returns=_read_returns(r, params),
        python_examples=_read_entries(r, "python_examples", Example,
                                      {"title": (str, ...), "code": (str, ...), "remarks": (str, "")}),
        path=path)
    r.done()
    for omitted in manifest.help_omits:
        if not isinstance(omitted, str) or omitted not in {p.name for p in manifest.parameters}:
            r.fail(f"{omitted!r} is not a parameter of {name}", "help_omits")
    _check_consistency(manifest, r)
    return manifest


def _check_consistency(m: Manifest, r: _Reader) -> None:
    seen: dict[str, str] = {}
    names = [p.name.lower() for p in m.parameters]
    for p in m.parameters:
        if names.count(p.name.lower()) > 1:
            r.fail(f"parameter {p.name!r} is declared more than once (shared groups included)", f"parameters.{p.name}")
        for label in (p.name, *p.aliases, p.python_name, *p.python_aliases):
            key = label.lower()
            if key in seen and seen[key] != p.name:
                r.fail(f"{label!r} of {p.name} is already used by {seen[key]}", f"parameters.{p.name}")
            seen[key] = p.name
    named_sets = {s for p in m.parameters for s in p.sets if s != ALL_SETS}
    if named_sets and m.default_parameter_set not in named_sets:
        r.fail(f"{m.default_parameter_set!r} is not one of the parameter sets {sorted(named_sets)}",
               "default_parameter_set")
    for set_name in named_sets or {ALL_SETS}:
        positions: dict[int, str] = {}
        for p in m.parameters:
            ms = p.membership(set_name)
            if ms and ms.position is not None:
                if ms.position in positions:
                    r.fail(f"{p.name} and {positions[ms.position]} share position {ms.position} in set {set_name!r}",
                           f"parameters.{p.name}.sets")
                positions[ms.position] = p.name
    try:
        impl = m.load_implementation()
    except (ImportError, AttributeError, ValueError) as e:
        r.fail(f"{m.implementation!r} cannot be loaded ({e})", "implementation")
    if not callable(impl):
        r.fail(f"{m.implementation!r} is not callable", "implementation")


def manifests_dir() -> Path:
    """The manifests folder: beside the packages in a source checkout, inside the package when installed."""
    source = Path(__file__).resolve().parents[2] / "manifests"
    if source.is_dir():
        return source
    return Path(__file__).resolve().parents[1] / "manifests"


def _load_shared(folder: Path) -> dict[str, tuple[Parameter, ...]]:
    path = folder / "_shared.yaml"
    if not path.exists():
        return {}
    r = _Reader(_load_yaml(path), "shared", str(path))
    groups = r.get("groups", dict)
    r.done()
    return {g: tuple(_read_parameter(p, f"groups.{g}[{i}]", str(path)) for i, p in enumerate(items))
            for g, items in groups.items()}


def _load_yaml(path: Path) -> Any:
    # (yaml imported here, not with this module: the pwsh module reads the manifests from its cache.)
    # libyaml's loader when pyyaml was built with it: several times faster.
    import yaml
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise ManifestError(f"{path}: not valid YAML: {e}") from None


@lru_cache(maxsize=None)
def load_manifests(folder: str | None = None) -> dict[str, Manifest]:
    """Every cmdlet manifest in the folder (files starting with '_' hold shared declarations), by name."""
    root = Path(folder) if folder else manifests_dir()
    shared = _load_shared(root)
    result = {}
    commands: dict[str, str] = {}      # every command name and alias, lower-cased -> the cmdlet it runs
    for path in sorted(root.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        m = parse_manifest(_load_yaml(path), str(path), shared)
        for command in (m.name, *m.aliases):
            if command.lower() in commands:
                raise ManifestError(f"{path}: {command!r} is already the name or an alias of {commands[command.lower()]}")
            commands[command.lower()] = m.name
        result[m.name] = m
    return result
