"""Project-relative glob matching for `include`, `exclude`, `per-file-ignores` and
`ecr-push-policies`, with gitignore semantics (`**`, a leading `/` anchors, a pattern
without `/` matches at any depth)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


class GlobSet:
    """A compiled list of globs, matched against paths relative to the project root."""

    __slots__ = ("_spec", "patterns")

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        # Compiled at the first match: a run that never asks (a pre-commit run whose
        # only policy is a linked one) never imports pathspec (~20 ms).
        self._spec: pathspec.GitIgnoreSpec | None = None

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, path: Path | str, root: Path) -> bool:
        """True when `path` (absolute) lies under `root` and matches one of the globs."""
        if not self.patterns:
            return False
        relative = relative_posix(path, root)
        if relative is None:
            return False
        if self._spec is None:
            self._spec = compile_gitignore(self.patterns)
        return self._spec.match_file(relative)


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


class GlobError(ValueError):
    """A glob that gitignore syntax cannot read (`!` alone, a trailing `\\`, `[z-a]`)."""


def compile_gitignore(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """Compile gitignore-style lines (pathspec is imported only when there are some).

    A line that does not compile is left out, as git leaves it out of a .gitignore;
    the configuration's own globs are checked up front (`check_glob`)."""
    import pathspec

    lines = list(lines)
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):  # GitIgnorePatternError; re.error from a bad [range]
        return pathspec.GitIgnoreSpec.from_lines(line for line in lines if _compiles(line))


def check_glob(glob: str) -> None:
    """Raise GlobError, with pathspec's reason, when `glob` does not compile."""
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([glob])
    except re.error as exc:
        raise GlobError(f"bad pattern: {exc.msg}") from None
    except ValueError as exc:
        raise GlobError(str(exc.__cause__ or exc)) from None


def _compiles(line: str) -> bool:
    try:
        check_glob(line)
    except GlobError:
        return False
    return True
