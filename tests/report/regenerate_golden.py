#!/usr/bin/env python3
"""Rewrite tests/report/golden/* from the fixture in golden_fixture.py.

Run it from anywhere after an intended change to a report format, then review the diff
(`git diff tests/report/golden`) before committing: the golden files are the spec of
what each format prints.

    python tests/report/regenerate_golden.py
"""

from __future__ import annotations

import sys
from pathlib import Path

# The tests import the fixture as `report.golden_fixture` (pytest puts tests/ on the
# path); do the same here so that the script needs no installed test package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from report.golden_fixture import GOLDEN_DIR, golden_path, render_all


def main() -> int:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, text in render_all().items():
        path = golden_path(name)
        # newline="" keeps the text byte for byte (no \r\n on Windows).
        path.write_text(text, encoding="utf-8", newline="")
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
