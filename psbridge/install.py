"""`python -m psbridge install`: makes the PowerShell module this package ships (psbridge/PSOpenAIBridge.psd1)
importable by name, `Import-Module PSOpenAIBridge`, with this interpreter.

It links <user module folder>/PSOpenAIBridge/<version> to this package's folder (a symlink; a junction on
Windows) and records beside the module, in PSOpenAIBridge.install.json, the interpreter to host and the
Python.Runtime.dll to load, so that nothing has to be set in the environment. The module reads the
record (PythonSearch.ps1: Get-PSOpenAIBridgePython, Find-PSOpenAIBridgeRuntimeDll); without one it looks for the same things
itself.

Python.Runtime.dll is looked for in this order: --runtime-dll; the pythonnet wheel of this interpreter
(pythonnet/runtime/); NuGet's global packages folder ($NUGET_PACKAGES, default ~/.nuget/packages), newest
pythonnet version first.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

MODULE_NAME = "PSOpenAIBridge"
RECORD_NAME = "PSOpenAIBridge.install.json"
_DLL = "Python.Runtime.dll"


class InstallError(Exception):
    """Why the module could not be installed; one sentence for the user."""


def module_dir() -> Path:
    """The folder holding PSOpenAIBridge.psd1: this package's own."""
    return Path(__file__).resolve().parent


def module_manifest() -> Path:
    return module_dir() / f"{MODULE_NAME}.psd1"


def module_version() -> str:
    text = module_manifest().read_text(encoding="utf-8-sig")
    found = re.search(r"^\s*ModuleVersion\s*=\s*'([^']+)'", text, re.M)
    if not found:
        raise InstallError(f"{module_manifest()} has no ModuleVersion.")
    return found.group(1)


def user_modules_dir() -> Path:
    """pwsh's module folder for the current user, the first entry of its default PSModulePath."""
    if os.name == "nt":
        return Path.home() / "Documents" / "PowerShell" / "Modules"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "powershell" / "Modules"


def nuget_packages_dir() -> Path:
    return Path(os.environ.get("NUGET_PACKAGES") or Path.home() / ".nuget" / "packages")


def _version_key(name: str) -> tuple:
    parts = re.split(r"[.-]", name)
    return tuple((0, int(p)) if p.isdigit() else (-1, p) for p in parts)


def wheel_runtime_dll() -> Path | None:
    """The DLL of this interpreter's pythonnet wheel (located, not imported: importing pythonnet loads .NET)."""
    spec = importlib.util.find_spec("pythonnet")
    for folder in (spec and spec.submodule_search_locations) or ():
        path = Path(folder) / "runtime" / _DLL
        if path.is_file():
            return path
    return None


def nuget_runtime_dll(packages: Path | None = None) -> Path | None:
    """The newest pythonnet package's netstandard2.0 DLL in a NuGet packages folder (ids are lower-case there)."""
    root = (packages or nuget_packages_dir()) / "pythonnet"
    if not root.is_dir():
        return None
    for version in sorted((d.name for d in root.iterdir() if d.is_dir()), key=_version_key, reverse=True):
        path = root / version / "lib" / "netstandard2.0" / _DLL
        if path.is_file():
            return path
    return None


def find_runtime_dll(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        path = Path(explicit).expanduser().resolve()
        if not path.is_file():
            raise InstallError(f"{path} does not exist.")
        return path
    found = wheel_runtime_dll() or nuget_runtime_dll()
    if found is None:
        raise InstallError(
            f"{_DLL} not found: install the pythonnet wheel (pip install pythonnet), restore the NuGet package "
            f"pythonnet into {nuget_packages_dir()}, or name the DLL with --runtime-dll PATH.")
    return found.resolve()


def read_record(folder: Path | None = None) -> dict | None:
    path = (folder or module_dir()) / RECORD_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def write_record(runtime_dll: Path, folder: Path | None = None) -> Path:
    path = (folder or module_dir()) / RECORD_NAME
    record = {"python": sys.executable, "runtime_dll": str(runtime_dll), "version": module_version()}
    try:
        path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    except OSError as e:
        raise InstallError(f"Cannot write {path}: {e.strerror}.") from None
    return path


def _is_link(path: Path) -> bool:
    return path.is_symlink() or (os.name == "nt" and path.is_dir() and os.path.realpath(path) != str(path.absolute()))


def _link(target: Path, link: Path) -> None:
    try:
        os.symlink(target, link, target_is_directory=True)
    except OSError:
        if os.name != "nt":
            raise
        import _winapi     # a junction needs no privilege, unlike a directory symlink
        _winapi.CreateJunction(str(target), str(link))


def installed_package_dir() -> Path | None:
    """Where this interpreter imports psbridge from when the current folder is not on sys.path (where pwsh's
    hosted Python will import it from), or None when it would find none."""
    here = os.getcwd()
    # (the current folder as -m and -c put it first; the same folder further on is an installed path: an editable
    # install in setuptools' compat mode adds the checkout through a .pth file)
    path = [p for i, p in enumerate(sys.path) if p not in ("", ".") and not (i == 0 and os.path.abspath(p) == here)]
    for finder in sys.meta_path:        # as an import would look, an editable install's own finder included
        if finder is importlib.machinery.PathFinder:
            spec = finder.find_spec("psbridge", path)
        else:
            find = getattr(finder, "find_spec", None)
            spec = find("psbridge", None) if find is not None else None
        if spec is not None:
            return Path(spec.origin).resolve().parent if spec.origin else None
    return None


def check_not_shadowed() -> None:
    """Refuses to link a checkout's psbridge that shadows the installed one: run from a checkout, `python -m
    psbridge` is the current folder's copy, but the module's Python imports the installed copy, and the two
    cannot run in one process."""
    installed = installed_package_dir()
    if installed is not None and installed != module_dir():
        raise InstallError(f"This runs the psbridge in the current folder ({module_dir()}), which hides the one "
                           f"installed in this Python ({installed}); run `python -P -m psbridge install` (or run "
                           "it from another folder) to install that one.")


def install(modules: str | os.PathLike | None = None, runtime_dll: str | os.PathLike | None = None) -> dict:
    """Links the module into `modules` (default: the user's module folder) and writes the record.
    Returns what was done, for the command to print."""
    check_not_shadowed()
    dll = find_runtime_dll(runtime_dll)
    version = module_version()
    link = Path(modules or user_modules_dir()).expanduser().absolute() / MODULE_NAME / version
    if link.exists() or link.is_symlink():
        if not _is_link(link):
            raise InstallError(f"{link} already holds another copy of {MODULE_NAME} {version} (from "
                               f"Install-PSResource?); uninstall it first (Uninstall-PSResource {MODULE_NAME}).")
        if link.is_symlink():
            link.unlink()
        else:
            os.rmdir(link)      # a junction: removes the link, not the folder it points to
    try:
        link.parent.mkdir(parents=True, exist_ok=True)
        _link(module_dir(), link)
    except OSError as e:
        raise InstallError(f"Cannot link {link} to {module_dir()}: {e.strerror}.") from None
    record = write_record(dll)
    return {"link": link, "module": module_dir(), "record": record, "python": sys.executable, "runtime_dll": dll,
            "on_path": _on_psmodulepath(link.parent.parent)}


def uninstall(modules: str | os.PathLike | None = None) -> list[Path]:
    """Removes the link `install` made and the record; returns what was removed."""
    removed = []
    folder = Path(modules or user_modules_dir()).expanduser().absolute() / MODULE_NAME
    link = folder / module_version()
    if _is_link(link) and os.path.realpath(link) == str(module_dir()):
        link.unlink() if link.is_symlink() else os.rmdir(link)
        removed.append(link)
        try:
            folder.rmdir()      # only when empty
        except OSError:
            pass
    record = module_dir() / RECORD_NAME
    if record.exists():
        record.unlink()
        removed.append(record)
    return removed


def _on_psmodulepath(modules: Path) -> bool:
    """Whether pwsh looks in `modules` by default (the user's folder always is; PSModulePath may add more)."""
    if modules == user_modules_dir().absolute():
        return True
    entries = os.environ.get("PSModulePath", "").split(os.pathsep)
    return any(e and Path(e).expanduser().absolute() == modules for e in entries)
