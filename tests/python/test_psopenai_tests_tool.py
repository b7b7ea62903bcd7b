"""tools/psopenai-tests.sh, which runs PSOpenAI's own Batch/Files tests against this module (issue 18, item 6).
CI has no PSOpenAI checkout, so a stand-in checkout is laid out here with PSOpenAI's test conventions (the
module import line it rewrites, $script:ModuleRoot, Tests/TestData, Online/Azure tags, the context cmdlets)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "psopenai-tests.sh"

TEST_FILE = r"""
BeforeAll {
    $script:ModuleRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $script:ModuleName = 'PSOpenAI'
    $script:TestData = Join-Path $script:ModuleRoot 'Tests/TestData'
    Import-Module (Join-Path $script:ModuleRoot "$script:ModuleName.psd1") -Force
}

Describe 'stand-in' {
    Context 'Offline (not selected)' -Tag 'Offline' {
        It 'never runs' { throw 'an Offline test ran' }
    }
    Context 'Online' -Tag 'Online' {
        BeforeAll { Clear-OpenAIContext }
        It 'uploads and lists through the environment the script sets' {
            $file = Add-OpenAIFile -File ($script:TestData + '/data.jsonl') -Purpose batch -ea Stop
            (Get-OpenAIFile -FileId $file.id).filename | Should -Be 'data.jsonl'
        }
    }
    Context 'Azure' -Tag 'Azure' {
        BeforeAll { Set-OpenAIContext -ApiType Azure -AuthType Azure -ApiKey $env:AZURE_OPENAI_API_KEY -ApiBase $env:AZURE_OPENAI_ENDPOINT }
        AfterAll { Clear-OpenAIContext }
        It 'reaches the Azure routes through the context' {
            (Get-Batch -Limit 1 -ea Stop | Measure-Object).Count | Should -BeGreaterOrEqual 0
            (Get-OpenAIContext).ApiType | Should -Be 'Azure'
        }
    }
}
"""


@pytest.fixture
def checkout(tmp_path):
    tests = tmp_path / "Tests"
    for folder in ("Batch", "Files", "TestData"):
        (tests / folder).mkdir(parents=True)
    (tests / "Files" / "Stand-In.tests.ps1").write_text(TEST_FILE, encoding="utf-8")
    (tests / "TestData" / "data.jsonl").write_text('{"a": 1}\n', encoding="utf-8")
    return tmp_path


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{os.environ['PATH']}:{Path.home() / '.dotnet' / 'tools'}")
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=600, env=env)


@pytest.mark.skipif(shutil.which("pwsh") is None and not (Path.home() / ".dotnet/tools/pwsh").exists(),
                    reason="needs pwsh (tools/setup-powershell.sh)")
def test_the_copied_tests_run_against_this_module_with_only_the_import_changed(checkout):
    result = run(str(checkout))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "passed 2 of 2" in result.stdout
    assert "PSOpenAIBridge.psd1 against http://127.0.0.1:" in result.stdout
    # The checkout itself is left as it was: the copies were changed.
    assert "Import-Module (Join-Path $script:ModuleRoot" in (checkout / "Tests/Files/Stand-In.tests.ps1").read_text()


def test_a_test_file_without_the_import_line_is_refused(checkout):
    (checkout / "Tests/Files/Other.tests.ps1").write_text("Describe 'x' { It 'y' { } }\n", encoding="utf-8")
    result = run(str(checkout))
    assert result.returncode == 1
    assert "expected one line" in result.stderr


def test_a_folder_without_tests_is_a_usage_error(tmp_path):
    result = run(str(tmp_path))
    assert result.returncode == 2
    assert "has no Tests/ folder" in result.stderr and "usage:" in result.stderr
