"""Data paths as people read them (`spec.auth.username`, `Statement[2].Action[0]`)."""

from __future__ import annotations

import re
from typing import Any

from reglint.loading.positions import DataPath

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def format_path(path: DataPath) -> str:
    """`("spec", "auth", "username")` -> `spec.auth.username`; list indexes in brackets."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int) and not isinstance(step, bool):
            parts.append(f"[{step}]")
        elif isinstance(step, str) and _IDENTIFIER.match(step):
            parts.append(f".{step}" if parts else step)
        else:
            parts.append(f"[{str(step)!r}]")
    return "".join(parts)


def stable_path(data: Any, path: DataPath) -> str:
    """The path for fingerprints: a statement's index becomes its `Sid` when it has one,
    so reordering statements does not resurrect baselined findings."""
    if len(path) >= 2 and path[0] == "Statement" and isinstance(path[1], int):
        statements = data.get("Statement") if isinstance(data, dict) else None
        if isinstance(statements, list) and 0 <= path[1] < len(statements):
            statement = statements[path[1]]
            sid = statement.get("Sid") if isinstance(statement, dict) else None
            if isinstance(sid, str) and sid:
                rest = format_path(("_", *path[2:]))[1:]  # ".Action[0]" or "[0]"
                return f"Statement[Sid={sid}]{rest}"
    return format_path(path)
