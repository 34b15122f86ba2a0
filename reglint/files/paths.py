"""Paths as reglint compares and shows them: relative to the project root (globs,
fingerprints) or to the current folder (every report), always with `/`."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath


def relative_posix(path: Path | str, root: Path) -> str | None:
    """`path` relative to `root` with `/` separators, or None when it is outside.

    String arithmetic on absolute, normalised paths: `Path.relative_to` is slow enough to
    show in a profile of 10,000 files."""
    text, base = str(path), str(root)
    if text == base:
        return "."
    base = base if base.endswith(os.sep) else base + os.sep
    if not text.startswith(base):
        return None
    relative = text[len(base) :]
    return relative if os.sep == "/" else PurePosixPath(Path(relative)).as_posix()


def display_path(path: Path, cwd: Path) -> str:
    """A path as every report shows it: relative to the current folder, `/`, no `./`."""
    relative = relative_posix(path, cwd)
    if relative is not None:
        return relative
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
