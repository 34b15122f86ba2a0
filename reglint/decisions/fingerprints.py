"""A finding's fingerprint (SPEC §3.3): rule, root-relative path, document index, stable
data path and offending value — never the line, so edits elsewhere in the file keep it,
and never a secret (the offending value is redacted first)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from reglint.files.paths import relative_posix
from reglint.loading.document import Problem
from reglint.loading.positions import DataPath, format_path
from reglint.model.service import redact_secret_access_keys


def fingerprint(problem: Problem, path: Path, root: Path) -> str:
    """The fingerprint of `problem`, found in the file at `path` (absolute) of the project
    at `root`."""
    document = problem.document
    relative = relative_posix(path, root) or path.as_posix()
    parts = (
        problem.rule,
        relative,
        # An IaC policy by where it sits in its file, other documents by their index.
        (document.origin or str(document.index)) if document is not None else "-1",
        stable_path(document.data, problem.path) if document is not None else "",
        redact_secret_access_keys(problem.identity),
    )
    return digest(parts)


def digest(parts: tuple[str, ...]) -> str:
    """32 hex digits of the SHA-256 of `parts`, joined by a unit separator."""
    # surrogatepass: a file name that is not UTF-8 reaches us with lone surrogates
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


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
