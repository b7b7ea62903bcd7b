"""`python -m psbridge <command>`: the bridge's developer commands.

    python -m psbridge docs OUTDIR     write <Cmdlet>.md for every manifest and PSOpenAI-help.xml into OUTDIR
    python -m psbridge docs --update   regenerate the committed docs/*.md and psbridge/en-US/PSOpenAI-help.xml
    python -m psbridge install         make `Import-Module PSOpenAIBridge` work in pwsh, hosting this interpreter
    python -m psbridge uninstall       undo `install`
    python -m psbridge path            print the path of PSOpenAIBridge.psd1 (for Import-Module PATH)
    python -m psbridge stubs --check   fail when cmdlets/__init__.pyi is stale (--update rewrites it)

New commands add a subparser in `build_parser` and a handler in `COMMANDS`.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence


def _docs(args: argparse.Namespace) -> int:
    # Imported here so other subcommands do not pay for (or depend on) the help generator.
    from . import docs

    if args.update:
        written = docs.update_committed()
    else:
        written = docs.write_docs(args.outdir)
    for path in written:
        print(path)
    return 0


def _install(args: argparse.Namespace) -> int:
    from . import install

    try:
        done = install.install(args.modules, args.runtime_dll)
    except install.InstallError as e:
        print(f"python -m psbridge install: {e}", file=sys.stderr)
        return 1
    print(f"{install.MODULE_NAME} {done['link']} -> {done['module']}")
    print(f"Python: {done['python']}")
    print(f"Python.Runtime.dll: {done['runtime_dll']}")
    print(f"(recorded in {done['record']})")
    if not done["on_path"]:
        print(f"note: {done['link'].parent.parent} is not on PSModulePath; add it, or "
              f"Import-Module {done['link'] / (install.MODULE_NAME + '.psd1')}", file=sys.stderr)
    print(f"In pwsh: Import-Module {install.MODULE_NAME}")
    return 0


def _uninstall(args: argparse.Namespace) -> int:
    from . import install

    for path in install.uninstall(args.modules):
        print(f"removed {path}")
    return 0


def _path(args: argparse.Namespace) -> int:
    from . import install

    print(install.module_manifest())
    return 0


def _stubs(args: argparse.Namespace) -> int:
    from . import stubs

    if args.check:
        stale = stubs.stale()
        if stale:
            print(f"{stale} is stale: run python -m psbridge stubs --update", file=sys.stderr)
            return 1
        return 0
    if args.update:
        print(stubs.write())
    else:
        sys.stdout.write(stubs.render())
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "docs": _docs, "install": _install, "uninstall": _uninstall, "path": _path, "stubs": _stubs}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m psbridge", description="psbridge developer commands")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    d = sub.add_parser("docs", help="generate platyPS markdown pages and the MAML help file from the manifests",
                       description="Writes <Cmdlet>.md for every manifest and the MAML help file named by the "
                                   "pages' 'external help file' (PSOpenAI-help.xml).")
    where = d.add_mutually_exclusive_group(required=True)
    where.add_argument("outdir", nargs="?", metavar="OUTDIR", help="folder to write into (created if missing)")
    where.add_argument("--update", action="store_true",
                       help="regenerate the committed docs/*.md and psbridge/en-US/PSOpenAI-help.xml")
    i = sub.add_parser("install", help="make `Import-Module PSOpenAIBridge` work in pwsh, hosting this interpreter",
                       description="Links <user module folder>/PSOpenAIBridge/<version> to this package's module and "
                                   "records this interpreter and Python.Runtime.dll beside it "
                                   "(PSOpenAIBridge.install.json). Python.Runtime.dll: --runtime-dll, else the "
                                   "pythonnet wheel, else NuGet's packages folder ($NUGET_PACKAGES or ~/.nuget/packages).")
    i.add_argument("--modules", metavar="DIR", help="the module folder to link into (default: the user's, "
                                                     "~/.local/share/powershell/Modules or Documents/PowerShell/Modules)")
    i.add_argument("--runtime-dll", metavar="PATH", help="the Python.Runtime.dll to load")
    u = sub.add_parser("uninstall", help="remove what `install` made")
    u.add_argument("--modules", metavar="DIR", help="the module folder `install` linked into")
    sub.add_parser("path", help="print the path of PSOpenAIBridge.psd1")
    st = sub.add_parser("stubs", help="generate cmdlets/__init__.pyi (typed signatures) from the manifests")
    what = st.add_mutually_exclusive_group()
    what.add_argument("--update", action="store_true", help="rewrite cmdlets/__init__.pyi")
    what.add_argument("--check", action="store_true", help="exit 1 when cmdlets/__init__.pyi is stale")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
