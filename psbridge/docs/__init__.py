"""Help generation: every manifest becomes a platyPS markdown page and an entry in the MAML help file.

`python -m psbridge docs OUTDIR` writes `OUTDIR/<Cmdlet>.md` for every manifest and the MAML file each
page's `external help file` names (`OUTDIR/PSOpenAI-help.xml`). `python -m psbridge docs --update`
rewrites the copies committed in this repository (docs/*.md and psbridge/en-US/PSOpenAI-help.xml, which
the module loads at run time); a test fails when they are stale.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from cmdlets.core.manifest import Manifest, load_manifests

from .markdown import DEFAULT_HELP_FILE, render_markdown
from .maml import render_maml

__all__ = ["render_markdown", "render_maml", "render_all", "help_file_path", "help_file_name", "write_docs", "update_committed",
           "stale_files", "REPO_ROOT", "DOCS_DIR", "HELP_DIR", "UPDATE_COMMAND"]

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "docs"                           # the markdown pages, for readers on GitHub
HELP_DIR = Path(__file__).resolve().parents[1] / "en-US"  # psbridge/en-US: the MAML the module loads
UPDATE_COMMAND = "python -m psbridge docs --update"


def help_file_name(m: Manifest) -> str:
    return m.front_matter.get("external_help_file") or DEFAULT_HELP_FILE


def help_file_path(m: Manifest) -> Path:
    """Absolute path of the MAML file holding a cmdlet's help: what the generated function's
    `.ExternalHelp` line names (functions built from text have no file, so a relative name is not
    reliably resolved)."""
    return HELP_DIR / help_file_name(m)


def render_all(manifests: Mapping[str, Manifest] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """(markdown pages by file name, MAML files by file name), all as text with LF line endings."""
    manifests = load_manifests() if manifests is None else manifests
    ordered = [manifests[name] for name in sorted(manifests)]
    pages = {f"{m.name}.md": render_markdown(m) for m in ordered}
    by_file: dict[str, list[Manifest]] = {}
    for m in ordered:
        by_file.setdefault(help_file_name(m), []).append(m)
    return pages, {name: render_maml(ms) for name, ms in by_file.items()}


def _write(folder: Path, files: Mapping[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = folder / name
        # newline="\n": the pages are compared byte for byte, so no platform line endings.
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        written.append(path)
    return written


def write_docs(outdir: str | Path, manifests: Mapping[str, Manifest] | None = None) -> list[Path]:
    """Writes every page and MAML file into one folder; returns the paths written."""
    pages, maml = render_all(manifests)
    return _write(Path(outdir), pages) + _write(Path(outdir), maml)


def update_committed(manifests: Mapping[str, Manifest] | None = None) -> list[Path]:
    """Regenerates the committed copies: docs/*.md and psbridge/en-US/*.xml. Pages of cmdlets that no
    longer have a manifest are removed, so docs/ always matches manifests/."""
    pages, maml = render_all(manifests)
    for page in _generated_pages():
        if page.name not in pages:
            page.unlink()
    return _write(DOCS_DIR, pages) + _write(HELP_DIR, maml)


def stale_files(manifests: Mapping[str, Manifest] | None = None) -> list[str]:
    """Committed files that differ from what the manifests generate (missing and extra pages too)."""
    pages, maml = render_all(manifests)
    problems = []
    for folder, files in ((DOCS_DIR, pages), (HELP_DIR, maml)):
        for name, text in files.items():
            path = folder / name
            if not path.exists() or path.read_bytes() != text.encode("utf-8"):
                problems.append(_shown(path))
    problems += [_shown(p) for p in _generated_pages() if p.name not in pages]
    return problems


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _generated_pages() -> list[Path]:
    # Only Verb-Noun.md pages are generated; other notes in docs/ are left alone.
    return sorted(p for p in DOCS_DIR.glob("*-*.md")) if DOCS_DIR.is_dir() else []
