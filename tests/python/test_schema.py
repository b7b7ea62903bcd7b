"""manifests/manifest.schema.json (editor completion for manifest authors) agrees with the strict loader
(cmdlets/core/manifest.py): every shipped manifest validates and starts with the line that points editors at
the schema; the schema knows exactly the keys the loader reads; and what the loader refuses for its shape,
the schema refuses too (the loader's cross-checks - names, positions, imports - are beyond a schema)."""
from __future__ import annotations

import copy
import json
import re
import textwrap

import pytest
import yaml

from cmdlets.core import manifest as loader
from cmdlets.core.manifest import ManifestError, load_manifests, manifests_dir

jsonschema = pytest.importorskip("jsonschema")     # Debian's python3-jsonschema (tools/setup.sh)

SCHEMA_PATH = manifests_dir() / "manifest.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
FIRST_LINE = "# yaml-language-server: $schema=manifest.schema.json"

# Every key the loader knows, each nested object present at least once.
FULL = yaml.safe_load(textwrap.dedent("""
    name: Test-Thing
    implementation: cmdlets.batch.stop_batch:stop_batch
    synopsis: s
    description: d
    aliases: [Test-Other]
    default_parameter_set: Id
    supports_should_process: true
    front_matter: {schema: 2.0.0}
    parameters:
      - name: ThingId
        python_name: thing_id
        type: String
        aliases: [Id]
        sets:
          Id: {mandatory: true, position: 0, pipeline: [ByValue, ByPropertyName]}
        validation: {not_null_or_empty: true, values: [a, b]}
        ps_type_name: PSOpenAI.Thing
        dont_show: false
        fallback: [THING_ID, THING]
        python_default: b
        python_keywords: [thing]
        python_help: h
        secret: false
        doc: {type: string, show_parameter_sets: true}
        completions: [a]
        collect: false
        file_path: false
        default: a
        help: h
      - name: Count
        type: Int32
        validation: {range: [1, 5]}
        help: h
      - name: DryRun
        type: SwitchParameter
        offline: true
        help: h
    shared_parameters: [api]
    examples: [{title: t, code: c, remarks: r}]
    inputs: [{type: String, description: d, ps_type_name: P}]
    outputs: [{type: PSCustomObject, ps_type_name: PSOpenAI.Batch}]
    notes: n
    links: [{text: t, uri: u}]
    python_returns: [{type: Batch, when: {DryRun: true}, sets: [Id], description: d}, {type: None}]
    python_examples: [{title: t, code: c, remarks: r}]
"""))


def schema_errors(data) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(data)]


def loader_error(tmp_path, data) -> str | None:
    (tmp_path / "_shared.yaml").write_text((manifests_dir() / "_shared.yaml").read_text(encoding="utf-8"))
    (tmp_path / "Test-Thing.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    load_manifests.cache_clear()
    try:
        load_manifests(str(tmp_path))
        return None
    except ManifestError as e:
        return str(e)
    finally:
        load_manifests.cache_clear()


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", sorted(manifests_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_every_manifest_validates_and_points_at_the_schema(path):
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == FIRST_LINE, f"{path.name}: the first line must be {FIRST_LINE!r}"
    assert schema_errors(yaml.safe_load(text)) == []


def test_the_loader_enums_are_the_schemas():
    parameter = SCHEMA["$defs"]["parameter"]["properties"]
    assert parameter["type"]["enum"] == list(loader.TYPES)
    assert SCHEMA["$defs"]["membership"]["properties"]["pipeline"]["items"]["enum"] == list(loader.PIPELINE_KINDS)


def _kind(where: str) -> str:
    """The schema object a loader position belongs to."""
    for pattern, kind in ((r"^manifest$", "cmdlet"), (r"^shared$", "shared"), (r"\.sets\.[^.]+$", "membership"),
                          (r"\.validation$", "validation"), (r"\.doc$", "doc"), (r"examples\[\d+\]$", "example"),
                          (r"(inputs|outputs)\[\d+\]$", "type_entry"), (r"python_returns\[\d+\]$", "python_return"), (r"links\[\d+\]$", "link"),
                          (r"(parameters|groups\.\w+)\[\d+\]$", "parameter")):
        if re.search(pattern, where):
            return kind
    raise AssertionError(f"the loader reads an object at {where!r} that this test does not know")


def _schema_keys() -> dict[str, set[str]]:
    d = SCHEMA["$defs"]
    cmdlet = d["cmdlet"]["properties"]
    return {"cmdlet": set(cmdlet), "shared": set(d["shared"]["properties"]),
            "parameter": set(d["parameter"]["properties"]), "membership": set(d["membership"]["properties"]),
            "validation": set(d["parameter"]["properties"]["validation"]["properties"]),
            "doc": set(d["parameter"]["properties"]["doc"]["properties"]),
            "example": set(cmdlet["examples"]["items"]["properties"]), "type_entry": set(d["type_entry"]["properties"]),
            "link": set(cmdlet["links"]["items"]["properties"]),
            "python_return": set(cmdlet["python_returns"]["items"]["properties"])}


def test_the_schema_knows_exactly_the_keys_the_loader_reads(tmp_path, monkeypatch):
    read: dict[str, set[str]] = {}
    original = loader._Reader.get

    def spy(self, key, *args, **kwargs):
        read.setdefault(_kind(self.where), set()).add(key)
        return original(self, key, *args, **kwargs)

    monkeypatch.setattr(loader._Reader, "get", spy)
    assert loader_error(tmp_path, FULL) is None
    assert read == _schema_keys()
    assert schema_errors(FULL) == []


def _at(d, path: str):
    """The container of the last step of `path` ("parameters/0/sets"), and that step's key or index."""
    *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]
    for p in parents:
        d = d[p]
    return d, last


def _set(path: str, value):
    def change(d):
        container, key = _at(d, path)
        container[key] = value
    return change


def _drop(path: str):
    def change(d):
        container, key = _at(d, path)
        del container[key]
    return change


# Shapes the loader refuses: the schema must refuse them too.
BOTH_REFUSE = [
    ("unknown top-level key", _set("colour", "red")),
    ("unknown parameter key", _set("parameters/0/helptext", "x")),
    ("unknown set key", _set("parameters/0/sets/Id/required", True)),
    ("unknown validation key", _set("parameters/1/validation/min", 1)),
    ("unknown doc key", _set("parameters/0/doc/kind", "x")),
    ("unknown example key", _set("examples/0/output", "x")),
    ("missing name", _drop("name")),
    ("missing implementation", _drop("implementation")),
    ("missing synopsis", _drop("synopsis")),
    ("missing description", _drop("description")),
    ("missing parameters", _drop("parameters")),
    ("missing parameter help", _drop("parameters/0/help")),
    ("missing parameter type", _drop("parameters/0/type")),
    ("missing example code", _drop("examples/0/code")),
    ("missing link uri", _drop("links/0/uri")),
    ("missing output type", _drop("outputs/0/type")),
    ("synopsis not a string", _set("synopsis", 3)),
    ("parameters not a list", _set("parameters", {"a": 1})),
    ("unknown type", _set("parameters/0/type", "Str")),
    ("bad parameter name", _set("parameters/0/name", "Thing Id")),
    ("bad parameter alias", _set("parameters/0/aliases", ["an alias"])),
    ("bad command alias", _set("aliases", ["NoDash"])),
    ("unknown pipeline kind", _set("parameters/0/sets/Id/pipeline", ["ByMagic"])),
    ("negative position", _set("parameters/0/sets/Id/position", -1)),
    ("position not an int", _set("parameters/0/sets/Id/position", "0")),
    ("mandatory not a bool", _set("parameters/0/sets/Id/mandatory", "yes")),
    ("a set that is not a mapping", _set("parameters/0/sets/Id", None)),
    ("range of one number", _set("parameters/1/validation/range", [1])),
    ("range of strings", _set("parameters/1/validation/range", ["1", "5"])),
    ("range on a String", _set("parameters/0/validation", {"range": [1, 5]})),
    ("values on an Int32", _set("parameters/1/validation", {"values": ["a"]})),
    ("offline on a String", _set("parameters/0/offline", True)),
    ("validation null", _set("parameters/1/validation", None)),
    ("doc null", _set("parameters/0/doc", None)),
    ("default a mapping", _set("parameters/0/default", {"a": 1})),
    ("switch as a string", _set("supports_should_process", "true")),
    ("an example that is a string", _set("examples", ["x"])),
]

# Cross-checks only the loader can make (other files, imports, uniqueness, order): the schema lets them pass.
LOADER_ONLY = [
    ("name differs from the file", _set("name", "Other-Name")),
    ("implementation that does not import", _set("implementation", "cmdlets.nowhere:run")),
    ("unknown shared group", _set("shared_parameters", ["nope"])),
    ("unknown default set", _set("default_parameter_set", "Nope")),
    ("range low > high", _set("parameters/1/validation/range", [5, 1])),
    ("two parameters at one position", _set("parameters/1/sets", {"Id": {"position": 0}})),
    ("an alias used twice", _set("parameters/1/aliases", ["Id"])),
]

# Optional keys left null read as left out, for both.
BOTH_ACCEPT = [
    ("null python_name", _set("parameters/0/python_name", None)),
    ("null sets", _set("parameters/1/sets", None)),
    ("null aliases", _set("aliases", None)),
    ("null notes", _set("notes", None)),
    ("null examples", _set("examples", None)),
    ("null remarks", _set("examples/0/remarks", None)),
    ("null position", _set("parameters/0/sets/Id/position", None)),
    ("empty set", _set("parameters/1/sets", {"Id": {}})),
    ("a list default", _set("parameters/0/default", ["a", "b"])),
    ("a Double range", _set("parameters/1", {"name": "Ratio", "type": "Double", "validation": {"range": [0, 1.5]},
                                              "help": "h"})),
]


@pytest.mark.parametrize("label,change", BOTH_REFUSE, ids=[c[0] for c in BOTH_REFUSE])
def test_what_the_loader_refuses_the_schema_refuses(tmp_path, label, change):
    data = copy.deepcopy(FULL)
    change(data)
    assert loader_error(tmp_path, data) is not None, "the loader accepted it"
    assert schema_errors(data), "the schema accepted it"


@pytest.mark.parametrize("label,change", LOADER_ONLY, ids=[c[0] for c in LOADER_ONLY])
def test_cross_checks_are_the_loaders_alone(tmp_path, label, change):
    data = copy.deepcopy(FULL)
    change(data)
    assert loader_error(tmp_path, data) is not None
    assert schema_errors(data) == []


@pytest.mark.parametrize("label,change", BOTH_ACCEPT, ids=[c[0] for c in BOTH_ACCEPT])
def test_what_the_loader_accepts_the_schema_accepts(tmp_path, label, change):
    data = copy.deepcopy(FULL)
    change(data)
    assert loader_error(tmp_path, data) is None
    assert schema_errors(data) == []


def test_the_shared_file_has_its_own_shape():
    shared = yaml.safe_load((manifests_dir() / "_shared.yaml").read_text(encoding="utf-8"))
    assert schema_errors(shared) == []
    assert schema_errors({"groups": {"api": [{"name": "X", "type": "Nope", "help": "h"}]}})
    assert schema_errors({"groups": {"api": []}, "extra": 1})
