"""Running `reglint check` on IaC trees in tests: the findings as (rule, path, line,
column, message), and where a needle sits in a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from helpers import write_tree


class Found(NamedTuple):
    rule: str
    path: str
    line: int
    column: int
    message: str
    severity: str


def check(run_cli: Any, root: Path, files: dict[str, str], *args: str) -> list[Found]:
    """`reglint check ARGS --format json` in `root` (a git repository) holding `files`."""
    (root / ".git").mkdir(exist_ok=True)
    write_tree(root, files)
    result = run_cli("check", *(args or (".",)), "--format", "json", cwd=root)
    assert result.code in (0, 1), result.err
    return [
        Found(f["rule"], f["path"], f["line"], f["column"], f["message"], f["severity"])
        for f in json.loads(result.out)["findings"]
    ]


def at(text: str, needle: str, occurrence: int = 1, after: int = 0) -> tuple[int, int]:
    """The 1-based line and column of the `occurrence`-th `needle` in `text` (from offset
    `after` on)."""
    start = after - 1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1
