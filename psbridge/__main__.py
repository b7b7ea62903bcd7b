"""`python -m psbridge <command>`: the bridge's developer commands.

    python -m psbridge docs OUTDIR     write <Cmdlet>.md for every manifest and PSOpenAI-help.xml into OUTDIR
    python -m psbridge docs --update   regenerate the committed docs/*.md and psbridge/en-US/PSOpenAI-help.xml

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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"docs": _docs}


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
