"""Project-relative glob matching with git's `.gitignore` semantics, for `.gitignore`
files and for the configuration's `include`, `exclude`, `per-file-ignores` and
`ecr-push-policies`.

A line is read as git reads it: `#` starts a comment, unescaped trailing spaces are
dropped, `!` negates, a trailing `/` matches folders only, a line without any other `/`
matches a name at any depth, and one with a `/` is anchored to the folder of its
`.gitignore` (the project root for the configuration). The last line that matches
decides, and a path inside an ignored folder is ignored whatever a later line says
(git cannot re-include a file whose folder is excluded). The glob itself is matched by
reglint.files.wildmatch, in time linear in the path, whatever the glob.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from reglint.files.paths import relative_posix
from reglint.files.wildmatch import GlobError, translate

__all__ = ["GlobError", "GlobSet", "IgnoreSpec", "check_glob", "compile_gitignore"]


class GlobSet:
    """A compiled list of globs, matched against paths relative to the project root."""

    __slots__ = ("_spec", "patterns")

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        self._spec: IgnoreSpec | None = None  # compiled at the first match

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, path: Path | str, root: Path, is_dir: bool = False) -> bool:
        """True when `path` (absolute) lies under `root` and the globs select it (or a
        folder above it)."""
        if not self.patterns:
            return False
        relative = relative_posix(path, root)
        if relative is None or relative == ".":
            return False
        if self._spec is None:
            self._spec = compile_gitignore(self.patterns)
        return self._spec.matches(encode_path(relative), is_dir)


def encode_path(text: str) -> bytes:
    """A path as the bytes git matches (a name that is not UTF-8 keeps its own bytes)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no file system name decodes to
        return text.encode("utf-8", "surrogatepass")


class _Line(NamedTuple):
    regex: re.Pattern[bytes]
    negative: bool
    folders_only: bool
    name_only: bool  # no `/`: matched against the last segment of the path


class IgnoreSpec:
    """The lines of one `.gitignore` (or one list of configuration globs)."""

    __slots__ = ("_lines",)

    def __init__(self, lines: Iterable[_Line]) -> None:
        self._lines = tuple(reversed(list(lines)))  # the last line decides: tried first

    def __bool__(self) -> bool:
        return bool(self._lines)

    def verdict(self, relative: bytes, is_dir: bool) -> bool | None:
        """What the last matching line says of `relative` itself: True (ignored), False
        (re-included by a `!` line), or None (no line matches)."""
        name = relative[relative.rfind(b"/") + 1 :]
        for line in self._lines:
            if line.folders_only and not is_dir:
                continue
            if line.regex.match(name if line.name_only else relative):
                return not line.negative
        return None

    def matches(self, relative: bytes, is_dir: bool) -> bool:
        """True when `relative`, or a folder on its way, is ignored."""
        start = 0
        while (slash := relative.find(b"/", start)) != -1:
            if self.verdict(relative[:slash], True):
                return True
            start = slash + 1
        return bool(self.verdict(relative, is_dir))


def compile_gitignore(lines: Iterable[str]) -> IgnoreSpec:
    """Compile gitignore-style lines. A line that can never match (`!` alone, a
    trailing `\\`, an unclosed `[`) is left out, as git never matches it; the
    configuration's own globs are checked up front (`check_glob`)."""
    return IgnoreSpec(line for line in map(_parse_lenient, lines) if line is not None)


def check_glob(glob: str) -> None:
    """Raise GlobError, saying why, when `glob` can never match anything (a typo)."""
    _parse(glob, strict=True)


def _parse_lenient(text: str) -> _Line | None:
    return _parse(text, strict=False)


def _parse(text: str, strict: bool) -> _Line | None:
    pattern = _strip_trailing_spaces(encode_path(text))
    if not pattern or pattern.startswith(b"#"):
        if strict:
            raise GlobError(
                "a comment in .gitignore syntax: write '\\#' for a name starting with '#'"
                if pattern
                else "empty glob"
            )
        return None
    negative = pattern.startswith(b"!")
    pattern = pattern[negative:]
    folders_only = pattern.endswith(b"/")
    pattern = pattern[: len(pattern) - folders_only]
    name_only = b"/" not in pattern
    pattern = pattern[pattern.startswith(b"/") :]
    if not pattern:
        if strict:
            raise GlobError("the glob matches nothing (nothing is left after '!' and '/')")
        return None
    regex = translate(pattern, strict)
    return None if regex is None else _Line(regex, negative, folders_only, name_only)


def _strip_trailing_spaces(pattern: bytes) -> bytes:
    """git drops trailing spaces unless the last one is escaped with a backslash."""
    stripped = pattern.rstrip(b" ")
    if stripped != pattern and stripped.endswith(b"\\") and _escapes_next(stripped):
        return stripped + b" "
    return stripped


def _escapes_next(text: bytes) -> bool:
    """True when `text` ends with a backslash that escapes (an odd number of them)."""
    return (len(text) - len(text.rstrip(b"\\"))) % 2 == 1
