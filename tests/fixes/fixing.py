"""Helpers of the fix tests: a project tree, a run with --fix, and its findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import write_tree


def project(root: Path, files: dict[str, str | bytes]) -> Path:
    """A project folder (a git top level) holding `files`."""
    write_tree(root, files)
    (root / ".git").mkdir(exist_ok=True)
    return root


def contents(root: Path) -> dict[str, bytes]:
    """Every file of the tree (but .git), by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def findings(run_cli: Any, root: Path, *args: str) -> list[dict[str, Any]]:
    """The JSON findings of `reglint check .` in `root` (suppressed ones left out)."""
    result = run_cli("check", ".", "--format", "json", *args, cwd=root)
    assert result.code in (0, 1), result
    return [f for f in json.loads(result.out)["findings"] if f["suppressed"] is None]


def prints(found: list[dict[str, Any]]) -> set[str]:
    return {f["fingerprint"] for f in found}


def fix(run_cli: Any, root: Path, *args: str) -> Any:
    """`reglint check . --fix ARGS` in `root`."""
    result = run_cli("check", ".", "--fix", *args, cwd=root)
    assert result.code in (0, 1), result
    return result
