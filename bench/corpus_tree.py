"""An in-memory file tree, written to disk idempotently.

`sync()` writes only files whose bytes changed and deletes files the generator no
longer makes, so a second `generate.py` leaves every file (and its mtime) alone. Each
case folder is its own git repository (`git init`, no commits): reglint's project root
and `.gitignore` handling then see the case, not the reglint checkout around it (whose
`.gitignore` ignores `bench/out/`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(slots=True)
class SyncStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


class Tree:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, bytes] = {}
        self.named: str | None = None  # the file a pre-commit run names, in cases that have one

    def add(self, relative: str, text: str) -> None:
        if relative in self.files:
            raise ValueError(f"generated twice: {self.root.name}/{relative}")
        self.files[relative] = text.encode("utf-8")

    def __contains__(self, relative: str) -> bool:
        return relative in self.files

    def sync(self, git: bool = True) -> SyncStats:
        stats = SyncStats()
        self.root.mkdir(parents=True, exist_ok=True)
        for relative, data in self.files.items():
            path = self.root / relative
            try:
                if path.stat().st_size == len(data) and path.read_bytes() == data:
                    stats.unchanged += 1
                    continue
            except FileNotFoundError:
                path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            stats.written += 1
        stats.removed = self._prune()
        if git:
            init_repository(self.root)
        return stats

    def _prune(self) -> int:
        """Delete what this generator did not make (never inside `.git`)."""
        removed = 0
        for directory, subdirectories, names in os.walk(self.root, topdown=False):
            relative_dir = os.path.relpath(directory, self.root)
            if relative_dir == ".git" or relative_dir.startswith(".git" + os.sep):
                continue
            for name in names:
                relative = os.path.normpath(os.path.join(relative_dir, name)).replace(os.sep, "/")
                if relative not in self.files:
                    os.unlink(os.path.join(directory, name))
                    removed += 1
            if directory != str(self.root) and not os.listdir(directory):
                os.rmdir(directory)
        return removed


def init_repository(root: Path) -> None:
    """Make `root` a git top level (an empty `.git` folder will do when git is missing)."""
    if (root / ".git").exists():
        return
    if shutil.which("git"):
        subprocess.run(
            ["git", "-c", "init.defaultBranch=main", "init", "-q", str(root)], check=True
        )
    else:
        (root / ".git").mkdir()
