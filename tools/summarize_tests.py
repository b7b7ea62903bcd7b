"""Adds up JUnit XML results (pytest's and Pester's) into one closing line: 'tests: N passed, N failed'."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def count(path: Path) -> tuple[int, int, int]:
    passed = failed = skipped = 0
    for case in ET.parse(path).iter("testcase"):
        tags = {child.tag for child in case}
        if tags & {"failure", "error"}:
            failed += 1
        elif "skipped" in tags:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main(paths: list[str]) -> int:
    totals = [0, 0, 0]
    for p in map(Path, paths):
        if not p.exists():
            print(f"tests: no results at {p}", file=sys.stderr)
            totals[1] += 1      # a runner that left no results is a failure, not a silent pass
            continue
        for i, n in enumerate(count(p)):
            totals[i] += n
    passed, failed, skipped = totals
    print(f"tests: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
