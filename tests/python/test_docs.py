"""Help generation: the markdown page against the reference, the MAML file, the docstring, the committed
copies and the `python -m psbridge docs` command."""
from __future__ import annotations

import pydoc
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cmdlets
import psbridge.docs as docs
from cmdlets.core.docstring import pythonize, render_docstring
from cmdlets.core.manifest import load_manifests, parse_manifest
from psbridge.docs.markdown import render_markdown
from psbridge.docs.maml import paragraphs, render_maml

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "spec" / "Stop-Batch.md"
NS = {"maml": "http://schemas.microsoft.com/maml/2004/10",
      "command": "http://schemas.microsoft.com/maml/dev/command/2004/10",
      "dev": "http://schemas.microsoft.com/maml/dev/2004/10", "msh": "http://msh"}

# The two deliberate differences from the reference page, spelled out in full so that the comparison
# below allows exactly these and nothing else.
# 1. SYNTAX: one block per parameter set, as platyPS writes it (the page's single block mixes both sets).
EXPECTED_SYNTAX = """## SYNTAX

### InputObject (Default)
```
Stop-Batch
    [-InputObject] <Object>
    [-Wait]
    [-Force]
    [-PassThru]
    [-TimeoutSec <Int32>]
    [-MaxRetryCount <Int32>]
    [-ApiBase <Uri>]
    [-ApiKey <SecureString>]
    [-Organization <String>]
    [<CommonParameters>]
```

### Id
```
Stop-Batch
    [-BatchId] <String>
    [-Wait]
    [-Force]
    [-PassThru]
    [-TimeoutSec <Int32>]
    [-MaxRetryCount <Int32>]
    [-ApiBase <Uri>]
    [-ApiKey <SecureString>]
    [-Organization <String>]
    [<CommonParameters>]
```

"""
# 2. PARAMETERS gains -InputObject, in the page's style, after -PassThru (declaration order).
EXPECTED_INPUT_OBJECT = """### -InputObject
The batch object to cancel, as returned by Start-Batch or Get-Batch.  
Its id and status are used, so no extra request is sent to read the status.

```yaml
Type: Object
Aliases: Batch
Required: True
Position: 0
Accept pipeline input: True (ByValue)
```

"""


def manifest(name: str = "Stop-Batch"):
    return load_manifests()[name]


def reference_bytes() -> bytes:
    # PSOpenAI's page lives beside the repository in CI's layout only (<repo>/../shared/spec/Stop-Batch.md);
    # a clone anywhere else has no copy, and the comparison is then skipped rather than failed.
    if not REFERENCE.is_file():
        pytest.skip(f"PSOpenAI's reference page is not here: {REFERENCE}")
    return REFERENCE.read_bytes()


def section(text: str, start: str, end: str) -> str:
    """The text from `start` up to (not including) `end`; each must occur exactly once."""
    assert text.count(start) == 1 and text.count(end) == 1, (start, end)
    i = text.index(start)
    return text[i:text.index(end, i)]


def undo_allowed_differences(generated: bytes, reference: bytes) -> bytes:
    """The generated page with the two allowed differences put back as the reference has them.
    Anything else that differs survives, so the caller's equality check catches it."""
    text = generated.decode("utf-8")
    ref = reference.decode("utf-8")
    syntax = section(text, "## SYNTAX\n", "## DESCRIPTION\n")
    assert syntax == EXPECTED_SYNTAX
    text = text.replace(syntax, section(ref, "## SYNTAX\n", "## DESCRIPTION\n"))
    entry_then_next = EXPECTED_INPUT_OBJECT + "### -TimeoutSec\n"
    assert text.count(entry_then_next) == 1, "the -InputObject entry must come right before -TimeoutSec"
    text = text.replace(entry_then_next, "### -TimeoutSec\n")
    return text.encode("utf-8")


# --- the markdown page -----------------------------------------------------------------------------

def test_stop_batch_page_matches_reference_except_the_two_documented_differences():
    reference = reference_bytes()
    generated = render_markdown(manifest()).encode("utf-8")
    assert b"\r" not in generated
    assert undo_allowed_differences(generated, reference) == reference


def test_the_comparison_catches_any_other_difference():
    reference = reference_bytes()
    good = render_markdown(manifest()).encode("utf-8")
    # A lost hard break, a CRLF, a missing final newline, an extra blank line: each must fail.
    broken = [good.replace(b"cancellation.  \n", b"cancellation.\n", 1), good.replace(b"\n", b"\r\n"),
              good[:-1], good.replace(b"## NOTES\n", b"\n## NOTES\n", 1),
              good.replace(b"Type: string", b"Type: String", 1)]
    for page in broken:
        assert page != good
        try:
            result = undo_allowed_differences(page, reference)
        except AssertionError:
            continue
        assert result != reference


def test_the_two_differences_are_consistent_with_the_reference():
    ref = reference_bytes().decode("utf-8")
    ref_lines = section(ref, "```\nStop-Batch\n", "```\n\n## DESCRIPTION").splitlines()[2:]
    blocks = [b.split("```\n")[1] for b in EXPECTED_SYNTAX.split("### ")[1:]]
    set_lines = [b.splitlines()[1:] for b in blocks]
    # Every line of the page's single block appears in a set block, and no set block invents one.
    assert set(ref_lines) == set().union(*map(set, set_lines))
    assert all(line in ref_lines for lines in set_lines for line in lines)
    # Each set has exactly one of the two position-0 parameters.
    assert [sum(line.strip().startswith("[-BatchId]") or line.strip().startswith("[-InputObject]")
                for line in lines) for lines in set_lines] == [1, 1]
    # The -InputObject entry uses the page's yaml keys, in the page's order.
    keys = [line.split(":")[0] for line in EXPECTED_INPUT_OBJECT.split("```yaml\n")[1].split("```")[0].splitlines()]
    batch_id = section(ref, "### -BatchId\n", "### -Wait\n")
    assert keys == [line.split(":")[0] for line in batch_id.split("```yaml\n")[1].split("```")[0].splitlines()]
    assert "### -InputObject" not in ref.split("## PARAMETERS")[1]


def test_generator_rules_for_later_cmdlets():
    # A parameter that behaves differently per set gets one yaml block per behaviour, naming the sets;
    # a ValidateSet shows its values; a single set is not marked (Default).
    data = {
        "name": "Get-Thing", "implementation": "cmdlets.batch.stop_batch:stop_batch",
        "synopsis": "Gets a thing.", "description": "Gets a thing.\n\nSecond paragraph.",
        "default_parameter_set": "List",
        "parameters": [
            {"name": "Limit", "type": "Int32", "help": "How many.", "sets": {"List": {}}},
            {"name": "Order", "type": "String", "help": "Sort order.", "validation": {"values": ["asc", "desc"]},
             "default": "asc"},
            {"name": "ThingId", "type": "String", "help": "The id.",
             "sets": {"Get": {"mandatory": True, "position": 0}, "List": {"position": 0}}},
            {"name": "Secret", "type": "String", "help": "Hidden.", "dont_show": True},
        ],
    }
    m = parse_manifest(data, "<string>", {})
    page = render_markdown(m)
    assert "### List (Default)\n```\nGet-Thing\n    [[-ThingId] <String>]\n    [-Limit <Int32>]\n" in page
    assert "### Get\n```\nGet-Thing\n    [-ThingId] <String>\n    [-Order <String>]\n" in page
    thing = section(page, "### -ThingId\n", "## INPUTS\n")
    assert thing.count("```yaml\n") == 2
    assert "Parameter Sets: List\nRequired: False\nPosition: 0\n" in thing
    assert "Parameter Sets: Get\nRequired: True\nPosition: 0\n" in thing
    assert "Accepted values: asc, desc\nRequired: False\nPosition: Named\nDefault value: asc\n" in page
    assert "Secret" not in page and "Secret" not in render_maml([m])
    assert page.startswith("---\nschema: 2.0.0\n---\n\n# Get-Thing\n")   # the schema line is always there
    single = parse_manifest({**data, "parameters": data["parameters"][:2], "default_parameter_set": "List"},
                            "<string>", {})
    assert "### List\n```" in render_markdown(single)
    assert paragraphs(m.description) == ["Gets a thing.", "Second paragraph."]


# --- MAML ------------------------------------------------------------------------------------------

def maml_command(name: str = "Stop-Batch") -> ET.Element:
    root = ET.fromstring(render_maml(load_manifests().values()).encode("utf-8"))
    assert root.tag == "{http://msh}helpItems" and root.get("schema") == "maml"
    for cmd in root.findall("command:command", NS):
        if cmd.findtext("command:details/command:name", namespaces=NS) == name:
            return cmd
    raise AssertionError(f"{name} not in the MAML file")


def paras(el: ET.Element, path: str) -> list[str]:
    return [p.text or "" for p in el.findall(path + "/maml:para", NS)]


def test_maml_details_description_examples_outputs_links():
    cmd = maml_command()
    assert cmd.findtext("command:details/command:verb", namespaces=NS) == "Stop"
    assert cmd.findtext("command:details/command:noun", namespaces=NS) == "Batch"
    assert paras(cmd, "command:details/maml:description") == ["Cancels an in-progress batch."]
    assert paras(cmd, "maml:description") == ["Cancels an in-progress batch."]
    examples = cmd.findall("command:examples/command:example", NS)
    assert [e.findtext("dev:code", namespaces=NS) for e in examples] == [ex.code for ex in manifest().examples]
    assert [e.findtext("maml:title", namespaces=NS).strip("- ") for e in examples] == ["Example 1", "Example 1"]
    assert paras(examples[1], "dev:remarks") == [manifest().examples[1].remarks]
    assert [t.text for t in cmd.findall("command:returnValues/command:returnValue/dev:type/maml:name", NS)] == \
        ["PSCustomObject"]
    links = [(n.findtext("maml:linkText", namespaces=NS), n.findtext("maml:uri", namespaces=NS))
             for n in cmd.findall("command:relatedLinks/maml:navigationLink", NS)]
    cancel = "https://developers.openai.com/api/reference/resources/batches/methods/cancel/"
    assert links == [("Online Version:", "https://github.com/mkht/PSOpenAI/blob/main/Docs/Stop-Batch.md"),
                     (cancel, cancel)]


def test_maml_syntax_has_one_item_per_parameter_set():
    items = maml_command().findall("command:syntax/command:syntaxItem", NS)
    names = [[p.findtext("maml:name", namespaces=NS) for p in item.findall("command:parameter", NS)]
             for item in items]
    common = ["Wait", "Force", "PassThru", "TimeoutSec", "MaxRetryCount", "ApiBase", "ApiKey", "Organization",
              "WhatIf", "Confirm"]
    assert names == [["InputObject", *common], ["BatchId", *common]]
    for item in items:
        assert item.findtext("maml:name", namespaces=NS) == "Stop-Batch"
        for p in item.findall("command:parameter", NS):
            switch = p.findtext("dev:type/maml:name", namespaces=NS) == "SwitchParameter"
            # Get-Help prints [-Wait], not [-Wait <SwitchParameter>], only when the value is left out.
            assert (p.find("command:parameterValue", NS) is None) == switch


def test_maml_parameters_carry_text_type_aliases_position_default_and_pipeline():
    m = manifest()
    params = {p.findtext("maml:name", namespaces=NS): p
              for p in maml_command().findall("command:parameters/command:parameter", NS)}
    assert list(params) == [p.name for p in m.help_parameters] + ["WhatIf", "Confirm"]

    def facts(name):
        p = params[name]
        return (p.get("required"), p.get("position"), p.get("pipelineInput"), p.get("aliases"),
                p.findtext("dev:type/maml:name", namespaces=NS), p.findtext("dev:defaultValue", namespaces=NS))

    assert facts("BatchId") == ("true", "0", "True (ByValue, ByPropertyName)", "Id, batch_id", "String", "None")
    assert facts("InputObject") == ("true", "0", "True (ByValue)", "Batch", "Object", "None")
    assert facts("Force") == ("false", "named", "False", "none", "SwitchParameter", "False")
    assert facts("TimeoutSec") == ("false", "named", "False", "none", "Int32", "0")
    assert facts("ApiBase") == ("false", "named", "False", "none", "System.Uri", "https://api.openai.com/v1")
    assert facts("ApiKey") == ("false", "named", "False", "none", "Object", "None")
    assert facts("Organization") == ("false", "named", "False", "OrgId", "string", "None")
    assert facts("Confirm")[3] == "cf" and facts("WhatIf")[3] == "wi"
    for p in m.help_parameters:
        # Hard-break spaces dropped, line breaks kept: what Get-Help prints line by line.
        assert paras(params[p.name], "maml:description") == ["\n".join(l.rstrip() for l in p.help.splitlines())]
        assert params[p.name].find("command:parameterValue", NS) is not None


def test_maml_escapes_markup():
    data = {"name": "Get-Thing", "implementation": "cmdlets.batch.stop_batch:stop_batch",
            "synopsis": "Uses <angle> & \"quotes\".", "description": "x",
            "parameters": [{"name": "A", "type": "String", "help": "a < b && c > d", "aliases": ["B"]}],
            "examples": [{"title": "E", "code": "PS> 1 -lt 2 & <x>", "remarks": ""}]}
    cmd = ET.fromstring(render_maml([parse_manifest(data, "<string>", {})]).encode()).find("command:command", NS)
    assert paras(cmd, "command:details/maml:description") == ['Uses <angle> & "quotes".']
    assert cmd.findtext("command:examples/command:example/dev:code", namespaces=NS) == "PS> 1 -lt 2 & <x>"


# --- Python docstring ------------------------------------------------------------------------------

def test_docstring_is_generated_from_the_manifest():
    m = manifest()
    assert cmdlets.stop_batch.__doc__ == render_docstring(m)
    text = pydoc.render_doc(cmdlets.stop_batch, renderer=pydoc.plaintext)
    assert "Cancels an in-progress batch." in text
    for p in m.parameters:
        # DontShow ones (ApiVersion) are left out, as from PowerShell's syntax
        assert (f"{p.python_name} : " in text) is not p.dont_show
    for line in ("batch_id : str\n", "wait : bool, default False\n", "timeout_sec : int, default 600\n",
                 "max_retry_count : int, default 2\n", "input_object : Batch (PSOpenAI.Batch)\n",
                 "api_base : str (absolute http(s) URL), default 'https://api.openai.com/v1'\n",
                 "api_key : str or Secret\n", "organization : str\n"):
        assert line in cmdlets.stop_batch.__doc__
    doc = " ".join(cmdlets.stop_batch.__doc__.split())     # the fact lines are wrapped
    assert "batch_id : str Aliases: id. Required in call form Id." in doc
    assert "Aliases: org_id." in doc and "Aliases: batch." in doc and "Aliases: base_url." in doc
    assert "Between 0 and 100." in doc and "Must not be empty." in doc
    assert "read from the environment variable OPENAI_API_KEY" in doc
    assert "read from the environment variable OPENAI_API_BASE or OPENAI_BASE_URL" in doc
    assert "timeout_sec : int, default 600" in cmdlets.stop_batch.__doc__      # the Python default
    assert "The first positional argument goes to batch_id or input_object when its type fits" in doc
    assert "stop_batch(input_object, *, ...) # InputObject (default)" in doc
    assert "stop_batch(batch_id, *, ...) # Id" in doc
    for ex in m.python_examples:
        for code_line in ex.code.splitlines():
            assert "    " + code_line in cmdlets.stop_batch.__doc__
        assert ex.remarks in doc
    assert "Returns ------- Batch when pass_thru=True The batch, when pass_thru=True. None otherwise" in doc
    for heading in ("Parameters\n----------", "Raises\n------\nParameterBindingError", "Examples\n--------"):
        assert heading in cmdlets.stop_batch.__doc__
    # Hard-break spaces do not leak into the docstring.
    assert not any(line.endswith(" ") for line in cmdlets.stop_batch.__doc__.splitlines())


def test_python_help_speaks_python_and_get_help_stays_powershells():
    # help(fn) in Python words, from the same manifests whose PowerShell words Get-Help shows (pages fresh below)
    powershell = re.compile(r"\$true|\$false|\$null|\$global:|\$env:|\[securestring\]|\bThis cmdlet\b|"
                            r"(?<![\w-])-(?:ApiKey|ApiBase|TimeoutSec|MaxRetryCount|PassThru|Force|Wait|ApiType)\b")
    for m in load_manifests().values():
        doc = getattr(cmdlets, m.python_name).__doc__
        assert not powershell.findall(doc), (m.name, powershell.findall(doc))
    stop = manifest()
    assert "$global:OPENAI_API_KEY" in stop.parameter("ApiKey").help     # what Get-Help shows
    assert "When True, This function returns Batch object." in cmdlets.stop_batch.__doc__
    assert "By default, This cmdlet returns nothing." in render_markdown(stop)
    assert pythonize("Pipe it to Stop-Batch -Force, or use -ApiType Azure and -Wait; $true", stop) == \
        "Pipe it to stop_batch() force=True, or use api_type='Azure' and wait=True; True"


# --- committed copies and the command --------------------------------------------------------------

def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "psbridge", *args], cwd=cwd, capture_output=True, text=True)


def test_committed_files_are_fresh(tmp_path):
    # Regenerate with the real command into a temp dir and compare with what is committed.
    result = run_cli("docs", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    hint = f"generated help is stale: run `{docs.UPDATE_COMMAND}` and commit the result"
    out = tmp_path / "out"
    for name in sorted(load_manifests()):
        committed = docs.DOCS_DIR / f"{name}.md"
        assert committed.exists(), f"{committed} missing; {hint}"
        assert committed.read_bytes() == (out / f"{name}.md").read_bytes(), f"{committed} differs; {hint}"
    help_file = docs.HELP_DIR / "PSOpenAI-help.xml"
    assert help_file.exists(), f"{help_file} missing; {hint}"
    assert help_file.read_bytes() == (out / "PSOpenAI-help.xml").read_bytes(), f"{help_file} differs; {hint}"
    assert docs.stale_files() == [], hint


def test_cli_writes_a_page_per_manifest_and_the_maml_file(tmp_path):
    result = run_cli("docs", str(tmp_path / "new" / "dir"))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "new" / "dir").iterdir())
    assert written == sorted([f"{n}.md" for n in load_manifests()] + ["PSOpenAI-help.xml"])
    assert result.stdout.splitlines() == [str(tmp_path / "new" / "dir" / n) for n in
                                          [f"{n}.md" for n in sorted(load_manifests())] + ["PSOpenAI-help.xml"]]
    assert run_cli("docs").returncode == 2                     # OUTDIR or --update is required
    assert run_cli("docs", "x", "--update").returncode == 2
    assert run_cli().returncode == 2
    assert "docs" in run_cli("--help").stdout


def test_update_rewrites_committed_locations_and_drops_stale_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(docs, "DOCS_DIR", tmp_path / "docs")
    monkeypatch.setattr(docs, "HELP_DIR", tmp_path / "en-US")
    monkeypatch.setattr(docs, "REPO_ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "Remove-Gone.md").write_text("old")
    (tmp_path / "docs" / "notes.md").write_text("kept: not a cmdlet page")
    assert "docs/Remove-Gone.md" in docs.stale_files()
    docs.update_committed()
    pages = sorted(p.name for p in (tmp_path / "docs").iterdir())
    assert pages == sorted([f"{name}.md" for name in load_manifests()] + ["notes.md"])
    assert (tmp_path / "en-US" / "PSOpenAI-help.xml").exists()
    assert docs.stale_files() == []


def test_every_generated_function_names_the_maml_file_that_holds_its_help():
    # Get-BatchRequest's manifest has no front matter: the docs tooling wrote its MAML into PSOpenAI-help.xml
    # while its function looked for Get-BatchRequest-help.xml, found none and fell back to comment help (no
    # aliases, positions counted from 1, no examples' remarks), so Get-Help showed something else than docs/.
    from psbridge import generator

    text, names, _ = generator.generate()
    for name in names:
        body = text.split(f"\nfunction {name} {{\n", 1)[1].split("\nfunction ", 1)[0]
        match = re.search(r"(?m)^    # \.ExternalHelp (.+)$", body)
        assert match, f"{name}: no .ExternalHelp line, so Get-Help shows comment help instead of the MAML"
        maml = Path(match.group(1))
        assert maml == docs.help_file_path(load_manifests()[name]), name
        commands = ET.parse(maml).getroot().findall("command:command/command:details/command:name", NS)
        assert name in [c.text for c in commands], f"{name}: not in {maml}"


def test_docstrings_name_only_functions_that_exist_and_aliases_by_their_own_names():
    # "Register-OpenAIFile is another name for this cmdlet" became "add_openai_file() is another name for this
    # function" in add_openai_file's own docstring: a command alias was mapped to the function it aliases.
    assert "register_openai_file() is another name" in cmdlets.add_openai_file.__doc__
    for name, m in load_manifests().items():
        for called in set(re.findall(r"\b([a-z][a-z_]*)\(\)", render_docstring(m))):
            assert hasattr(cmdlets, called), f"{name}'s docstring names {called}(), which cmdlets does not have"
