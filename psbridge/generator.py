"""Manifest -> PowerShell advanced-function text, so PowerShell's own binder does the binding.

Generic on purpose: nothing here knows a cmdlet; everything comes from cmdlets.core.manifest.
Every value taken from a manifest is emitted as an escaped single-quoted string, and names that must
appear bare (function, parameter, alias, variable names) are checked against strict patterns.
Pure Python (no pythonnet), so it also runs from a plain interpreter:

    python -m psbridge.generator              # prints every function
    python -m psbridge.generator --check-psd1 # exit 1 when FunctionsToExport is not the manifest list
    python -m psbridge.generator --write-psd1 # rewrites that list
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from cmdlets.core.manifest import ALL_SETS, Manifest, Parameter, load_manifests

# The name of the module-scope variable holding the Python invoke delegate, set by PSOpenAIBridge.psm1.
INVOKE_VARIABLE = "PSOpenAIBridgeInvoke"  # a hashtable: cmdlet name -> delegate
OUTPUT_FUNCTION = "ConvertFrom-PSOpenAIBridgeOutput"
SECURE_STRING_ATTRIBUTE = "PSOpenAIBridgeSecureString"
ID_OF_ATTRIBUTE = "PSOpenAIBridgeIdOf"
UNDESERIALIZE_ATTRIBUTE = "PSOpenAIBridgeUndeserialize"

HELP_DIR = Path(__file__).resolve().parent / "en-US"
DEFAULT_HELP_FILE = "PSOpenAI-help.xml"      # psbridge.docs.markdown.DEFAULT_HELP_FILE (not imported: startup)
_PS_TYPES = {"String": "[string]", "String[]": "[string[]]", "Int32": "[int]", "Double": "[double]",
             "SwitchParameter": "[switch]", "Uri": "[uri]", "SecureString": "[securestring]", "Byte[]": "[byte[]]",
             "IDictionary": "[System.Collections.IDictionary]", "Object": "[object]",
             "Boolean": "[bool]"}
_CMDLET_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*-[A-Za-z][A-Za-z0-9]*")
_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# PowerShell ends a single-quoted string at any of these, so each is doubled (as CodeGeneration does).
_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
_HELP_KEYWORD_LINE = re.compile(r"^(\s*)\.", re.MULTILINE)


def quote(value: object) -> str:
    """A PowerShell single-quoted string literal: no expansion, quotes doubled."""
    text = str(value)
    return "'" + "".join(c + c if c in _SINGLE_QUOTES else c for c in text) + "'"


def bare(name: str, pattern: re.Pattern = _BARE_NAME) -> str:
    if not isinstance(name, str) or not pattern.fullmatch(name):
        raise ValueError(f"{name!r} cannot be used as a PowerShell name")
    return name


def _help_text(text: str) -> str:
    """Text safe inside <# #>: no early end of the comment, no line read as a help keyword."""
    text = text.replace("#>", "#\u200b>").replace("<#", "<\u200b#")
    return _HELP_KEYWORD_LINE.sub(lambda m: m.group(1) + "\u200b.", text)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def _comment_help(m: Manifest) -> list[str]:
    out = ["    <#", "    .SYNOPSIS", _indent(_help_text(m.synopsis), "    "),
           "    .DESCRIPTION", _indent(_help_text(m.description or m.synopsis), "    ")]
    for p in m.parameters:
        if p.dont_show:
            continue
        out += [f"    .PARAMETER {p.name}", _indent(_help_text(p.help or p.name), "    ")]
    for ex in m.examples:
        out += ["    .EXAMPLE", _indent(_help_text(ex.code), "    ")]
        if ex.remarks:
            out += ["", _indent(_help_text(ex.remarks), "    ")]
    for link in m.links:
        out += ["    .LINK", _indent(_help_text(link.uri), "    ")]
    out.append("    #>")
    return out


def _help(m: Manifest) -> list[str]:
    """The generated MAML (psbridge/en-US/, written by the docs tooling) when present, else comment help.
    A function compiled from text has no file, so only an absolute .ExternalHelp path finds the MAML."""
    # The file the docs tooling writes this cmdlet's MAML into (psbridge.docs.help_file_name): a manifest
    # without front matter goes into PSOpenAI-help.xml with the others, so it is looked for there.
    maml = HELP_DIR / (m.front_matter.get("external_help_file") or DEFAULT_HELP_FILE)
    if m.name in _maml_commands(str(maml)) and "\n" not in str(maml) and "\r" not in str(maml):
        return [f"    # .ExternalHelp {maml}"]
    return _comment_help(m)     # (a manifest the MAML does not hold yet, from another folder say: Get-Help finds it)


@lru_cache(maxsize=None)
def _maml_commands(path: str) -> frozenset[str]:
    """The commands a MAML file holds (none when there is no such file)."""
    try:
        with open(path, encoding="utf-8") as f:
            return frozenset(re.findall(r"<command:name>([^<]+)</command:name>", f.read()))
    except OSError:
        return frozenset()


def _parameter_attributes(p: Parameter) -> list[str]:
    attrs = []
    for set_name, ms in p.sets.items():
        args = []
        if set_name != ALL_SETS:
            args.append(f"ParameterSetName = {quote(set_name)}")
        if ms.mandatory:
            args.append("Mandatory = $true")
        if ms.position is not None:
            args.append(f"Position = {int(ms.position)}")
        if ms.by_value:
            args.append("ValueFromPipeline = $true")
        if ms.by_property_name:
            args.append("ValueFromPipelineByPropertyName = $true")
        if p.dont_show:
            args.append("DontShow = $true")
        if args:    # (a bare [Parameter()] says nothing PowerShell does not assume: ~7% of the text left unparsed)
            attrs.append(f"[Parameter({', '.join(args)})]")
    if p.aliases:
        attrs.append(f"[Alias({', '.join(quote(bare(a)) for a in p.aliases)})]")
    v = p.validation
    if v.not_null_or_empty:
        attrs.append("[ValidateNotNullOrEmpty()]")
    if v.range:
        lo, hi = (repr(float(x)) if p.type == "Double" else str(int(x)) for x in v.range)
        attrs.append(f"[ValidateRange({lo}, {hi})]")
    if v.count:
        attrs.append(f"[ValidateCount({v.count[0]}, {v.count[1]})]")
    if v.values:
        attrs.append(f"[ValidateSet({', '.join(quote(x) for x in v.values)})]")
    if p.completions:       # suggestions only, unlike ValidateSet
        attrs.append(f"[ArgumentCompleter({{ param($c, $p, $word) @({', '.join(quote(x) for x in p.completions)}) -like \"$word*\" }})]")
    if p.ps_type_name:
        # (a transformation runs before the PSTypeName check: a Deserialized.* object passes as its type)
        attrs.append(f"[{UNDESERIALIZE_ATTRIBUTE}Attribute({quote(p.ps_type_name)})]")
        attrs.append(f"[PSTypeName({quote(p.ps_type_name)})]")
    if p.type == "SecureString":
        attrs.append(f"[{SECURE_STRING_ATTRIBUTE}Attribute()]")    # also takes a plain string, as PSOpenAI does
    if p.id_of:
        attrs.append(f"[{ID_OF_ATTRIBUTE}Attribute(({', '.join(quote(t) for t in p.id_of)}))]")
    attrs.append(_PS_TYPES[p.type])
    return attrs


# PSOpenAI's session context (Set-OpenAIContext), shared with PSOpenAI itself when both are loaded.
CONTEXT_VARIABLE = "PSOpenAIContextDictionary"


def _typed_value(p: Parameter) -> str:
    """$__value as the parameter's variable takes it (assignment does not run transformation attributes)."""
    if p.type == "SecureString":
        return "$(if ($__value -is [securestring]) { $__value } else { [System.Net.NetworkCredential]::new('', \"$__value\").SecurePassword })"
    if p.type == "String":
        return "[string]$__value"       # PSOpenAI's context holds ApiType as its own enum
    return "$__value"


def _fallbacks(m: Manifest) -> list[str]:
    """The shared begin function's lines (BEGIN_FUNCTION): an unbound parameter takes the session context's entry
    when it is set (not $null, '' or 0), else $global:NAME, else $env:NAME (PSOpenAI's order). The value goes into
    the function's $PSBoundParameters (here $__bound), so the next step skips it, and its name into $__filled, for
    the function to take it into its typed variable, which the process block passes on."""
    lines = ["        $__filled = @()"]
    if any(p.context for p in m.parameters):
        lines.append(f"        $__context = $global:{CONTEXT_VARIABLE}")
    for p in m.parameters:
        name = bare(p.name)
        if p.context:
            lines += [
                f"        if ($null -ne $__context -and -not $PSBoundParameters.ContainsKey({quote(name)}) -and ($__value = $__context[{quote(name)}])) {{",
                f"            $PSBoundParameters[{quote(name)}] = {_typed_value(p)}; $__filled += {quote(name)}",
                "        }",
            ]
        for variable in p.fallbacks:   # in order: the first that is set wins (its block marks the parameter bound)
            var = bare(variable)
            lines += [
                f"        if (-not $PSBoundParameters.ContainsKey({quote(name)})) {{",
                f"            $__value = $global:{var}",
                f"            if ($null -eq $__value -or '' -eq $__value) {{ $__value = [Environment]::GetEnvironmentVariable({quote(var)}) }}",
                f"            if ($null -ne $__value -and '' -ne $__value) {{ $PSBoundParameters[{quote(name)}] = {_typed_value(p)}; $__filled += {quote(name)} }}",
                "        }",
            ]
    return lines


def gatherer_key(m: Manifest, parameter_name: str) -> str:
    """The key of a collecting parameter's delegate in the invoke table (beside the cmdlets' names)."""
    return f"{m.name}/{parameter_name}"


def needs_bound_check(p: Parameter) -> bool:
    """Whether the unbound value of the variable ('' for [string], 0 for a number) could be mistaken for
    a bound one; only then is PSBoundParameters asked (a few microseconds per item). Numbers always are,
    so that cmdlets see exactly what was given (call.given)."""
    if p.type == "String":
        return p.default is not None
    return p.type in ("Int32", "Double", "Boolean")     # (an unbound [bool] is $false)


def value_expression(p: Parameter) -> str:
    """What the process block hands Python for a parameter: cheap to evaluate, None/'' when unbound."""
    var = f"${bare(p.name)}"
    if p.collect:
        return f"$__collected{p.name}"
    # (Each $(if ...) has an else: an empty subexpression would pass AutomationNull, not $null.)
    if p.file_or_url or p.file_path:    # see PATH_FUNCTION
        resolve = f"{PATH_FUNCTION} $PSCmdlet $__path{' -OrUrl' if p.file_or_url else ''}"
        if p.type == "String[]":
            return f"$(if ({var}) {{ ,@(foreach ($__path in {var}) {{ {resolve} }}) }} else {{ $null }})"
        return f"$(if ({var}) {{ $__path = {var}; {resolve} }} else {{ $null }})"
    if needs_bound_check(p):
        return f"$(if ($PSBoundParameters.ContainsKey({quote(p.name)})) {{ {var} }} else {{ $null }})"
    if p.type == "SwitchParameter":
        return f"{var}.IsPresent"
    if p.type == "Uri":
        return f"{var}.OriginalString"
    return var


# The module's import may still be finishing on Python's side (PSOpenAIBridge.psm1 compiles these functions
# while Python imports the rest, and lets the first command wait for it): once per pipeline, a null check. Last in
# the begin function (begin_function_body): what comes before it needs nothing from Python, and in a cold process
# runs while Python's imports end (~0.02 s the first command no longer waits, measured).
COMPLETE_FUNCTION = "Complete-PSOpenAIBridgeImport"
_COMPLETE_IMPORT = f"        if ($null -eq $script:{INVOKE_VARIABLE}) {{ {COMPLETE_FUNCTION} }}"

# A function of a script module reads preference variables in its module's scopes, which see the global ones
# only: a caller's `$ErrorActionPreference = 'Stop'` (or $WhatIfPreference, $VerbosePreference...) set in a
# script or function was ignored, where a compiled cmdlet honours it. So, once per pipeline, each preference
# that its common parameter did not set is copied from the caller's scope ($PSCmdlet.SessionState is the
# caller's) into the function's, as PowerShell itself does with a common parameter's value.
_CALLER_PREFERENCES = (
    ("ErrorAction", "ErrorActionPreference"), ("WarningAction", "WarningPreference"),
    ("InformationAction", "InformationPreference"), ("ProgressAction", "ProgressPreference"),
    ("Verbose", "VerbosePreference"), ("Debug", "DebugPreference"),
)
_SHOULD_PROCESS_PREFERENCES = (("WhatIf", "WhatIfPreference"), ("Confirm", "ConfirmPreference"))


def _preference_pairs(m: Manifest) -> tuple[tuple[str, str], ...]:
    """(common parameter, preference variable) for each preference m's functions copy from their caller."""
    return _CALLER_PREFERENCES + (_SHOULD_PROCESS_PREFERENCES if m.supports_should_process else ())


def _caller_preferences(m: Manifest) -> list[str]:
    pairs = _preference_pairs(m)
    lines = ["        $__caller = $PSCmdlet.SessionState.PSVariable"]
    lines += [f"        if (-not $PSBoundParameters.ContainsKey('{parameter}')) {{ ${variable} = "
              f"$__caller.GetValue('{variable}', ${variable}) }}" for parameter, variable in pairs]
    return lines


_STREAM_FLAGS = (
    "        # Which message streams anyone will see, once per pipeline, so unseen messages cost no call\n"
    "        # into PowerShell. -Debug alone would turn each WriteVerbose into a prompt: verbose stays off;\n"
    "        # it would do the same to WriteWarning: warnings then go through Write-Warning (flag 4).\n"
    "        $__streams = [int]($VerbosePreference -notin 'SilentlyContinue', 'Ignore' -and\n"
    "            -not ($PSBoundParameters.ContainsKey('Debug') -and -not $PSBoundParameters.ContainsKey('Verbose'))) +\n"
    "            2 * [int]($DebugPreference -notin 'SilentlyContinue', 'Ignore') +\n"
    "            4 * [int]($PSBoundParameters.ContainsKey('Debug') -and -not $PSBoundParameters.ContainsKey('WarningAction')) +\n"
    "        # Whether ShouldProcess could answer anything but yes (-WhatIf, -Confirm, or a $ConfirmPreference\n"
    "        # at or below the functions' Medium impact); otherwise Python skips the call (flag 8).\n"
    "            8 * [int]([bool]$WhatIfPreference -or $ConfirmPreference -in 'Low', 'Medium' -or\n"
    "                $PSBoundParameters.ContainsKey('WhatIf') -or $PSBoundParameters.ContainsKey('Confirm'))"
)


# The begin block's shared part: the same for every function of a kind (the same shared parameters, the same
# ShouldProcess support), about half of the generated text. Written once per kind as a function the begin block
# calls, so PowerShell parses it once (a cold import's parse of these functions was the longest step of its own).
# Called from the begin block, it reads the function's variables (PowerShell's scopes are dynamic: the caller's
# preferences and $__bound, its $PSBoundParameters) and returns the preferences and stream flags the function
# takes back in one assignment, then the names of the parameters it filled from the context or the environment,
# which the function takes from $__bound into their typed variables (only those: assigning an unbound one its own
# value again would fail its ValidateSet). A dot-sourced block could set them all itself, but would make every
# variable read in the function's process block slower (a function that dot-sources keeps its variables by name).
BEGIN_FUNCTION = "Get-PSOpenAIBridgeBegin"


def begin_function_body(m: Manifest) -> str:
    """The shared begin function's body for m's kind (see BEGIN_FUNCTION)."""
    lines = [*_caller_preferences(m), *_fallbacks(m), *_STREAM_FLAGS.split("\n"), _COMPLETE_IMPORT]
    returned = " ".join(f"${v}," for v in _begin_variables(m)) + " $__filled"
    return "\n".join([*(line.replace("$PSBoundParameters", "$__bound")[4:] for line in lines), f"    {returned}"])


def _begin_variables(m: Manifest) -> list[str]:
    pairs = _preference_pairs(m)
    return [variable for _, variable in pairs] + ["__streams"]


def _begin_lines(m: Manifest, begin_function: str) -> list[str]:
    """The begin block's own lines: the shared function's call, then its filled parameters taken."""
    taken = [f"{quote(bare(p.name))} {{ ${bare(p.name)} = $__bound[{quote(bare(p.name))}] }}"
             for p in m.parameters if p.context or p.fallbacks]
    lines = ["        $__bound = $PSBoundParameters",
             f"        {' '.join(f'${v},' for v in _begin_variables(m))} $__filled = {begin_function}"]
    if taken:
        lines.append(f"        switch -CaseSensitive ($__filled) {{ {' '.join(taken)} }}")
    return lines


def function_text(m: Manifest, begin_function: str) -> str:
    """The function for m; its begin block calls begin_function (module_text defines it: begin_function_body)."""
    name = bare(m.name, _CMDLET_NAME)
    binding = [f"DefaultParameterSetName = {quote(m.default_parameter_set)}"]
    if m.supports_should_process:
        binding.append("SupportsShouldProcess = $true")
    lines = [f"function {name} {{", *_help(m), f"    [CmdletBinding({', '.join(binding)})]"]
    if m.aliases:       # other command names (Register-OpenAIFile); the module exports them too
        lines.append(f"    [Alias({', '.join(quote(bare(a, _CMDLET_NAME)) for a in m.aliases)})]")
    outputs = [t for t in m.output_type_names if t]
    if outputs:
        lines.append(f"    [OutputType({', '.join(quote(t) for t in outputs)})]")
    lines.append("    param(")
    params = []
    for p in m.parameters:
        bare(p.name)
        params.append("\n".join(f"        {a}" for a in _parameter_attributes(p)) + f"\n        ${p.name}")
    lines.append(",\n\n".join(params))
    lines.append("    )")
    collected = [p for p in m.parameters if p.collect]
    begin = _begin_lines(m, begin_function)
    begin += [f"        $__collected{p.name} = $null" for p in collected]
    lines += ["    begin {", *begin, "    }"]
    values = ", ".join(value_expression(p) for p in m.parameters)
    # The hot path: one delegate call per item (it takes the GIL and gives it back) with the values in
    # manifest order, which is cheaper for Python to read than PSBoundParameters. Errors and messages
    # are written from Python; output comes back as JSON text (or, for a lazy result, a delegate that
    # gives it item by item).
    invoke = [f"$__out = $script:{INVOKE_VARIABLE}[{quote(m.name)}].Invoke($PSCmdlet, $__streams, @({values}))",
              f"if ($null -ne $__out) {{ {OUTPUT_FUNCTION} $__out }}"]
    if not collected:
        lines += ["    process {", *(f"        {x}" for x in invoke), "    }", "}"]
        return "\n".join(lines) + "\n"
    # A collecting parameter hands each pipeline item to its Python collector as it arrives (which keeps
    # what the cmdlet needs of it, reports a bad one then, and lets the object go); the cmdlet then runs
    # once, in the end block, with what was collected.
    lines += ["    process {"]
    lines += [f"        if ($PSBoundParameters.ContainsKey({quote(p.name)})) {{ $__collected{p.name} = "
              f"$script:{INVOKE_VARIABLE}[{quote(gatherer_key(m, p.name))}].Invoke($PSCmdlet, $__streams, "
              f"@($__collected{p.name}, ${p.name})){'; return' if len(collected) == 1 else ''} }}" for p in collected]
    if len(collected) > 1:
        bound = " -or ".join(f"$PSBoundParameters.ContainsKey({quote(p.name)})" for p in collected)
        lines.append(f"        if ({bound}) {{ return }}")
    lines += [*(f"        {x}" for x in invoke), "    }"]
    none_collected = " -and ".join(f"$null -eq $__collected{p.name}" for p in collected)
    lines += ["    end {", f"        if ({none_collected}) {{ return }}", *(f"        {x}" for x in invoke),
              "    }", "}"]
    return "\n".join(lines) + "\n"




# The record factory the Python side calls (see host.error_record).
ERRORS_SCRIPT = Path(__file__).with_name("Errors.ps1")


# A file parameter's value as Python is to open it: the file system's path, resolved against PowerShell's current
# location (Python's working directory is the process's, which Set-Location does not change), literally (no
# wildcards: a file named a[1].jsonl is that file; PSDrives and ~ resolve). A path on another provider's drive
# (Env:\HOME, or a relative one while the location is Env:) names no file: an error, where Python would have
# read or written a file of that name in the process's folder. -OrUrl (-Images, -Files): a value that names no
# file goes as given (a URL, a file id), unless Python would find a file of that name in the process's folder:
# then as the path under the current location, which names none (Python refuses it, naming it).
PATH_FUNCTION = "Resolve-PSOpenAIBridgePath"
PATH_FUNCTION_TEXT = f"""\
function {PATH_FUNCTION}([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Path, [switch]$OrUrl) {{
    $provider = $drive = $file = $null
    try {{
        $file = $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path, [ref]$provider, [ref]$drive)
    }} catch {{
        # A drive the caller made in a scope of its own (New-PSDrive in a script or function) is not seen from the
        # module's scopes, where PowerShell resolves the function's paths; the caller's drive table has it.
        $failure = $_
        $drive = $null
        if ($Path -match '^([^:\\\\/]+):[\\\\/]?(.*)$') {{
            $rest = $Matches[2]
            try {{ $drive = $Cmdlet.SessionState.Drive.Get($Matches[1]) }} catch {{ }}
        }}
        if ($null -eq $drive) {{
            if ($OrUrl) {{ return $Path }}  # (not a path: https://..., data:...)
            throw $failure
        }}
        $provider = $drive.Provider
        if ($provider.ImplementingType -eq [Microsoft.PowerShell.Commands.FileSystemProvider]) {{
            $file = $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath([IO.Path]::Combine($drive.Root, $rest))
        }}
    }}
    $inProcessFolder = [IO.File]::Exists($Path) -or [IO.Directory]::Exists($Path)
    if ($provider.ImplementingType -ne [Microsoft.PowerShell.Commands.FileSystemProvider]) {{
        if ($OrUrl -and -not $inProcessFolder) {{ return $Path }}
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.PSArgumentException]::new("Cannot use '$Path' as a file: it is on a drive of the $($provider.Name) provider, not of the file system. Give the path of a file (Set-Location to a folder first for a relative one)."),
            'NotAFileSystemPath', [System.Management.Automation.ErrorCategory]::InvalidArgument, $Path))
    }}
    if (-not $OrUrl -or $inProcessFolder -or [IO.File]::Exists($file)) {{ return $file }}
    $Path
}}
"""


def module_text(manifests: Iterable[Manifest]) -> str:
    manifests = list(manifests)
    kinds: dict[str, str] = {}      # a shared begin function's body -> its name
    named = [kinds.setdefault(begin_function_body(m), f"{BEGIN_FUNCTION}{len(kinds)}") for m in manifests]
    shared = [f"function {name} {{\n{body}\n}}\n" for body, name in kinds.items()]
    return "\n".join([PATH_FUNCTION_TEXT, ERRORS_SCRIPT.read_text(encoding="utf-8"),
                      "# The begin blocks' shared parts, one per kind of function (generator.BEGIN_FUNCTION).", *shared,
                      *(function_text(m, name) for m, name in zip(manifests, named))])


def command_aliases(manifests: Iterable[Manifest]) -> list[str]:
    """Every other command name the manifests declare (Register-OpenAIFile), which the module exports."""
    return [a for m in manifests for a in m.aliases]


def generate(folder: str | None = None) -> tuple[str, list[str], list[str]]:
    """(every function's text, the function names, their command aliases), in manifest order."""
    manifests = list(load_manifests(folder).values())
    return module_text(manifests), [m.name for m in manifests], command_aliases(manifests)


# --- the module manifest's FunctionsToExport and AliasesToExport ----------------------------------

PSD1 = Path(__file__).with_name("PSOpenAIBridge.psd1")
_LISTS = {key: re.compile(rf"({key}\s*=\s*)@\([^)]*\)", re.IGNORECASE) for key in ("FunctionsToExport", "AliasesToExport")}


def psd1_exports(text: str, key: str = "FunctionsToExport") -> list[str]:
    match = _LISTS[key].search(text)
    if not match:
        raise ValueError(f"{PSD1}: no {key} = @(...)")
    return re.findall(r"'([^']*)'", match.group(0)[len(match.group(1)):])


def write_psd1(names: list[str], aliases: list[str] | None = None, path: Path = PSD1) -> bool:
    text = path.read_text(encoding="utf-8")
    new = text
    for key, values in (("FunctionsToExport", names), ("AliasesToExport", aliases)):
        if values is None:
            continue
        listed = ", ".join(quote(bare(n, _CMDLET_NAME)) for n in values)
        new = _LISTS[key].sub(lambda m: f"{m.group(1)}@({listed})", new, count=1)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str]) -> int:
    text, names, aliases = generate()
    if "--check-psd1" in argv or "--write-psd1" in argv:
        psd1 = PSD1.read_text(encoding="utf-8")
        listed, listed_aliases = psd1_exports(psd1), psd1_exports(psd1, "AliasesToExport")
        if listed == names and listed_aliases == aliases:
            return 0
        if "--write-psd1" in argv:
            write_psd1(names, aliases)
            print(f"{PSD1.name}: FunctionsToExport = {', '.join(names)}; AliasesToExport = {', '.join(aliases)}")
            return 0
        print(f"{PSD1}: FunctionsToExport lists {listed} and AliasesToExport {listed_aliases}; the manifests "
              f"define {names} and {aliases}; run python -m psbridge.generator --write-psd1", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
