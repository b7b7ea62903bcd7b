"""Python help() text for a cmdlet function, generated from its manifest."""
from __future__ import annotations

from .manifest import Manifest


def render_docstring(m: Manifest) -> str:
    lines = [m.synopsis, "", m.description, "", "Parameters:"]
    for p in m.parameters:
        lines.append(f"  {p.python_name}: {p.help.splitlines()[0] if p.help else ''}")
    return "\n".join(lines)
