"""Manifest loading is strict: every mistake names the file and the key."""
from __future__ import annotations

import textwrap

import pytest
import yaml

from cmdlets.core.manifest import ALL_SETS, ManifestError, load_manifests, manifests_dir

GOOD = """
name: Test-Thing
implementation: cmdlets.batch.stop_batch:stop_batch
synopsis: s
description: d
default_parameter_set: Id
parameters:
  - name: ThingId
    type: String
    aliases: [Id]
    sets:
      Id: {mandatory: true, position: 0, pipeline: [ByValue]}
    help: h
  - name: Other
    type: Int32
    sets:
      Other: {mandatory: true, position: 0}
    help: h
shared_parameters: [api]
"""


def write(tmp_path, text, name="Test-Thing.yaml"):
    shared = (manifests_dir() / "_shared.yaml").read_text()
    (tmp_path / "_shared.yaml").write_text(shared)
    (tmp_path / name).write_text(textwrap.dedent(text))
    return str(tmp_path)


def load(tmp_path, text, name="Test-Thing.yaml"):
    load_manifests.cache_clear()
    try:
        return load_manifests(write(tmp_path, text, name))
    finally:
        load_manifests.cache_clear()


def test_a_good_manifest_loads_with_the_shared_parameters(tmp_path):
    m = load(tmp_path, GOOD)["Test-Thing"]
    assert [p.name for p in m.parameters] == ["ThingId", "Other", "TimeoutSec", "MaxRetryCount", "ApiBase",
                                             "ApiKey", "Organization", "ApiType", "AuthType", "ApiVersion",
                                             "AdditionalQuery", "AdditionalHeaders", "AdditionalBody"]
    assert m.parameter("ApiKey").group == "api" and m.parameter("ThingId").group is None
    assert m.parameter("TimeoutSec").sets == {ALL_SETS: m.parameter("TimeoutSec").sets[ALL_SETS]}
    assert m.parameter_sets == ("Id", "Other")
    assert m.python_name == "test_thing"


@pytest.mark.parametrize("change,where,message", [
    (lambda d: d.update(colour="red"), "manifest", "unknown key 'colour'"),
    (lambda d: d.update(synopsis=3), "manifest.synopsis", "expected str, got int"),
    (lambda d: d.pop("implementation"), "manifest.implementation", "is required"),
    (lambda d: d.update(implementation="cmdlets.nowhere:run"), "manifest.implementation", "cannot be loaded"),
    (lambda d: d.update(implementation="cmdlets.batch.stop_batch:nothing"), "manifest.implementation",
     "cannot be loaded"),
    (lambda d: d["parameters"][1]["sets"].update(Id={"position": 0}), "parameters.Other.sets",
     "Other and ThingId share position 0 in set 'Id'"),
    (lambda d: d["parameters"][1].update(aliases=["Id"]), "parameters.Other", "'Id' of Other is already used by ThingId"),
    (lambda d: d["parameters"].append(dict(d["parameters"][1])), "parameters.Other", "declared more than once"),
    (lambda d: d["parameters"][0].update(type="Str"), "parameters[0].type", "'Str' is not one of"),
    (lambda d: d["parameters"][0]["sets"]["Id"].update(pipeline=["ByMagic"]), "parameters[0].sets.Id.pipeline",
     "'ByMagic' is not one of"),
    (lambda d: d["parameters"][0].update(validation={"range": [5, 1]}), "parameters[0].validation.range",
     "low <= high"),
    (lambda d: d["parameters"][0].update(validation={"range": [1, 5]}), "parameters[0].validation",
     "a range needs type Int32 or Double"),
    (lambda d: d["parameters"][0].update(validation={"count": [4, 1]}), "parameters[0].validation.count",
     "least <= most"),
    (lambda d: d["parameters"][0].update(validation={"count": [1, 2.5]}), "parameters[0].validation.count",
     "whole numbers"),
    (lambda d: d["parameters"][0].update(validation={"count": [1, 4]}), "parameters[0].validation",
     "a count needs an array type"),
    (lambda d: d["parameters"][0].update(helptext="x"), "parameters[0]", "unknown key 'helptext'"),
    (lambda d: d.update(default_parameter_set="Nope"), "manifest.default_parameter_set", "'Nope' is not one of"),
    (lambda d: d.update(shared_parameters=["nope"]), "manifest.shared_parameters", "unknown shared parameter group"),
    (lambda d: d.update(name="Other-Name"), "manifest.name", "does not match the file name"),
])
def test_mistakes_name_the_file_and_the_key(tmp_path, change, where, message):
    data = yaml.safe_load(GOOD)
    change(data)
    with pytest.raises(ManifestError) as e:
        load(tmp_path, yaml.safe_dump(data, sort_keys=False))
    text = str(e.value)
    assert text.startswith(str(tmp_path / "Test-Thing.yaml") + ": ")
    assert where in text and message in text


def test_invalid_yaml_names_the_file(tmp_path):
    with pytest.raises(ManifestError, match=r"Test-Thing\.yaml: not valid YAML"):
        load(tmp_path, "name: [unclosed")


def test_the_shipped_manifests_load():
    m = load_manifests()["Stop-Batch"]
    batch_id = m.parameter("BatchId")
    assert batch_id.aliases == ("Id", "batch_id") and batch_id.validation.not_null_or_empty
    ms = batch_id.sets["Id"]
    assert (ms.mandatory, ms.position, ms.by_value, ms.by_property_name) == (True, 0, True, True)
    io = m.parameter("InputObject")
    assert io.ps_type_name == "PSOpenAI.Batch" and io.aliases == ("Batch",)
    assert (io.sets["InputObject"].by_value, io.sets["InputObject"].by_property_name) == (True, False)
    assert m.parameter("MaxRetryCount").validation.range == (0, 100)
    assert m.parameter("Organization").aliases == ("OrgId",)
    assert m.parameter_sets == ("InputObject", "Id") and m.supports_should_process
