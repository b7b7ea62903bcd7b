"""Issue 12, the Python side of installing: the wheel ships every package, `python -m psbridge install` links
the module into a module folder and records the interpreter and Python.Runtime.dll, found in the pythonnet
wheel or a NuGet packages folder. (tools/test-install.sh installs the built artifacts and runs Stop-Batch.)"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from psbridge import install

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_folder_ships_in_the_wheel():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = set(re.findall(r'"([a-z_.]+)"', re.search(r"^packages = \[(.*?)\]", text, re.M | re.S).group(1)))
    found = {str(p.parent.relative_to(ROOT)).replace(os.sep, ".")
             for top in ("cmdlets", "psbridge", "openai_emulator") for p in (ROOT / top).rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_the_module_files_ship_in_the_wheel():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    patterns = re.search(r'^psbridge = \[(.*)\]$', text, re.M).group(1)
    for name in ("PSOpenAIBridge.psd1", "PSOpenAIBridge.psm1", "Errors.ps1", "PSOpenAI.Format.ps1xml",
                 "PSOpenAIBridge.Formats.psd1", "PythonSearch.ps1"):
        assert (ROOT / "psbridge" / name).is_file()
        assert any(Path(name).match(p.strip(' "')) for p in patterns.split(",")), name


def fake_dll(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "Python.Runtime.dll").write_bytes(b"MZ")
    return folder / "Python.Runtime.dll"


def test_the_dll_comes_from_the_pythonnet_wheel_first(tmp_path, monkeypatch):
    wheel = fake_dll(tmp_path / "site" / "pythonnet" / "runtime")
    (tmp_path / "site" / "pythonnet" / "__init__.py").write_text("")
    fake_dll(tmp_path / "nuget" / "pythonnet" / "3.2.1" / "lib" / "netstandard2.0")
    monkeypatch.setenv("NUGET_PACKAGES", str(tmp_path / "nuget"))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert install.find_runtime_dll() == wheel.resolve()


def test_else_from_the_newest_nuget_package(tmp_path, monkeypatch):
    monkeypatch.setattr(install, "wheel_runtime_dll", lambda: None)
    for version in ("3.0.3", "3.10.0", "3.2.1"):
        fake_dll(tmp_path / "pythonnet" / version / "lib" / "netstandard2.0")
    (tmp_path / "pythonnet" / "9.0.0").mkdir()       # no DLL: skipped
    monkeypatch.setenv("NUGET_PACKAGES", str(tmp_path))
    assert install.find_runtime_dll() == (tmp_path / "pythonnet/3.10.0/lib/netstandard2.0/Python.Runtime.dll").resolve()
    monkeypatch.delenv("NUGET_PACKAGES")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    fake_dll(tmp_path / "home" / ".nuget" / "packages" / "pythonnet" / "3.1.0" / "lib" / "netstandard2.0")
    assert install.find_runtime_dll().parts[-4] == "3.1.0"


def test_none_found_is_one_sentence_naming_the_ways(tmp_path, monkeypatch):
    monkeypatch.setattr(install, "wheel_runtime_dll", lambda: None)
    monkeypatch.setenv("NUGET_PACKAGES", str(tmp_path))
    with pytest.raises(install.InstallError, match=r"^Python.Runtime.dll not found: install the pythonnet wheel .*"
                                                   r"--runtime-dll PATH\.$"):
        install.find_runtime_dll()
    with pytest.raises(install.InstallError, match="does not exist"):
        install.find_runtime_dll(tmp_path / "nope.dll")


@pytest.fixture
def module_copy(tmp_path, monkeypatch):
    """A copy of the module folder to install from, so nothing is written into the checkout."""
    folder = tmp_path / "site-packages" / "psbridge"
    folder.mkdir(parents=True)
    (folder / "PSOpenAIBridge.psd1").write_text((ROOT / "psbridge" / "PSOpenAIBridge.psd1").read_text())
    monkeypatch.setattr(install, "module_dir", lambda: folder)
    monkeypatch.setattr(install, "module_manifest", lambda: folder / "PSOpenAIBridge.psd1")
    monkeypatch.setattr(install, "installed_package_dir", lambda: folder)
    return folder


def test_install_links_the_module_and_records_python_and_the_dll(tmp_path, module_copy):
    dll = fake_dll(tmp_path / "dll")
    modules = tmp_path / "Modules"
    done = install.install(modules, dll)
    link = modules / "PSOpenAIBridge" / install.module_version()
    assert done["link"] == link and link.is_symlink() and link.resolve() == module_copy
    assert (link / "PSOpenAIBridge.psd1").is_file()
    record = json.loads((module_copy / install.RECORD_NAME).read_text())
    assert record == {"python": sys.executable, "runtime_dll": str(dll.resolve()), "version": install.module_version()}
    assert install.install(modules, dll)["link"] == link          # again: the link is replaced
    assert install.uninstall(modules) == [link, module_copy / install.RECORD_NAME]
    assert not (modules / "PSOpenAIBridge").exists()


def test_install_leaves_another_copy_alone(tmp_path, module_copy):
    gallery = tmp_path / "Modules" / "PSOpenAIBridge" / install.module_version()
    gallery.mkdir(parents=True)
    with pytest.raises(install.InstallError, match="already holds another copy .*Uninstall-PSResource"):
        install.install(tmp_path / "Modules", fake_dll(tmp_path / "dll"))
    assert gallery.is_dir() and not gallery.is_symlink()


def test_the_user_module_folder_is_pwshs(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert install.user_modules_dir() == tmp_path / "powershell" / "Modules"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert install.user_modules_dir() == tmp_path / ".local" / "share" / "powershell" / "Modules"


def test_the_commands(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "psbridge", *args], capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "NUGET_PACKAGES": str(tmp_path), "HOME": str(tmp_path)}, timeout=60)
    path = run("path")
    assert path.returncode == 0 and Path(path.stdout.strip()) == install.module_manifest()
    failed = run("install", "--modules", str(tmp_path / "M"), "--runtime-dll", str(tmp_path / "missing.dll"))
    assert failed.returncode == 1 and failed.stderr.startswith("python -m psbridge install: ") and not failed.stdout
    assert not (tmp_path / "M").exists()


def test_a_checkout_that_hides_the_installed_package_is_refused_in_one_sentence(tmp_path):
    """Run from a checkout, `python -m psbridge` is the current folder's copy while pwsh's Python would import the
    installed one: linking the module to the checkout would fail later, in every pwsh. (Here the installed copy is
    this repository's, the checkout a copy of its psbridge folder.)"""
    import shutil
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "psbridge", checkout / "psbridge", ignore=shutil.ignore_patterns("__pycache__"))
    fake_dll(tmp_path / "dll")
    done = subprocess.run([sys.executable, "-m", "psbridge", "install", "--modules", str(tmp_path / "M"),
                           "--runtime-dll", str(tmp_path / "dll" / "Python.Runtime.dll")],
                          capture_output=True, text=True, cwd=checkout, timeout=60,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "hides the one installed in this Python" in done.stderr and "python -P -m psbridge install" in done.stderr
    assert str(ROOT / "psbridge") in done.stderr and not (tmp_path / "M").exists()
    assert install.installed_package_dir() == install.module_dir()     # run from anywhere else: no conflict
