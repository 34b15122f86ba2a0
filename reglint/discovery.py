"""Which files a run reads (SPEC §1.3) and where the project root is."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reglint.config import has_config
from reglint.globs import GlobSet, compile_gitignore, relative_posix

if TYPE_CHECKING:
    import pathspec

CHECKED_SUFFIXES = (".yaml", ".yml", ".json")
SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
# reglint's own configuration is never linted as input.
CONFIG_FILES = frozenset({".reglint.yaml", ".reglint.yml"})


class Candidate(NamedTuple):
    """A file to read. `named`: given on the command line or matched by `include` — a
    load failure is then always reported (RL001), never just a notification."""

    path: Path
    named: bool


def git_top_level(start: Path) -> Path | None:
    """The nearest ancestor holding `.git` (a folder, or a file for worktrees)."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def find_project_root(first: Path) -> Path:
    """SPEC §1.3: from the first named path upward, the nearest folder holding a config
    file, else the git top level, else the named folder (or the named file's folder)."""
    start = first if first.is_dir() else first.parent
    for directory in (start, *start.parents):
        if has_config(directory) is not None:
            return directory
    return git_top_level(start) or start


class IgnoreRules:
    """`.gitignore` files from the git top level down, with git's precedence: a deeper
    file's match (or negation) wins over a shallower one's."""

    def __init__(self, root: Path) -> None:
        self._top = git_top_level(root)
        # folder -> the compiled .gitignore files that apply in it, top-down (cached: a
        # walk asks once per file, and most folders have none of their own)
        self._chains: dict[Path, tuple[tuple[str, pathspec.GitIgnoreSpec], ...]] = {}

    def _own_spec(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        try:
            lines = (directory / ".gitignore").read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        return compile_gitignore(lines) if lines else None

    def _chain(self, directory: Path) -> tuple[tuple[str, pathspec.GitIgnoreSpec], ...]:
        chain = self._chains.get(directory)
        if chain is None:
            if directory == self._top:
                inherited: tuple[tuple[str, pathspec.GitIgnoreSpec], ...] = ()
            elif directory == directory.parent or self._top not in directory.parents:
                self._chains[directory] = ()
                return ()
            else:
                inherited = self._chain(directory.parent)
            spec = self._own_spec(directory)
            chain = inherited + ((str(directory), spec),) if spec is not None else inherited
            self._chains[directory] = chain
        return chain

    def chain_of(self, directory: Path) -> tuple[tuple[str, pathspec.GitIgnoreSpec], ...]:
        """The .gitignore files that apply to the entries of `directory`, top-down."""
        return () if self._top is None else self._chain(directory)

    @staticmethod
    def ignored_in(chain: tuple[tuple[str, pathspec.GitIgnoreSpec], ...], text: str, is_dir: bool) -> bool:
        """True when the last .gitignore of `chain` that has a say about `text` ignores it."""
        verdict = False
        for directory, spec in chain:
            relative = text[len(directory) + 1 :].replace(os.sep, "/") + ("/" if is_dir else "")
            result = spec.check_file(relative)
            if result.include is not None:
                verdict = result.include
        return verdict


def _skip_directory(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    return (
        name.startswith(".")
        or name in SKIPPED_DIRECTORIES
        or os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))  # a virtualenv
    )


def discover(
    paths: Sequence[Path], root: Path, include: GlobSet, exclude: GlobSet
) -> Iterator[Candidate]:
    """Every file to read, each once, in a stable order."""
    ignores = IgnoreRules(root)
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = _walk(path, root, include, exclude, ignores)
        else:
            found = iter(()) if exclude.matches(path, root) else iter([Candidate(path, True)])
        for candidate in found:
            if candidate.path not in seen:
                seen.add(candidate.path)
                yield candidate


def _walk(
    top: Path, root: Path, include: GlobSet, exclude: GlobSet, ignores: IgnoreRules
) -> Iterator[Candidate]:
    """Walk a folder without following directory symlinks (no loops), sorted.

    Paths stay strings until a file is chosen: building a Path per entry showed in the
    profile of a 10,000-file walk."""
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            continue
        chain = ignores.chain_of(directory)
        subdirectories = []
        for entry in entries:
            text = entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if not _skip_directory(entry) and not exclude.matches(text, root) and not ignores.ignored_in(chain, text, True):
                    subdirectories.append(Path(text))
                continue
            if entry.name in CONFIG_FILES:
                continue
            included = bool(include) and include.matches(text, root)
            if not (included or entry.name.endswith(CHECKED_SUFFIXES)):
                continue
            if exclude.matches(text, root) or ignores.ignored_in(chain, text, False):
                continue
            yield Candidate(Path(text), included)
        stack.extend(reversed(subdirectories))


def display_path(path: Path, cwd: Path) -> str:
    """A path as every report shows it: relative to the current folder, `/`, no `./`."""
    relative = relative_posix(path, cwd)
    if relative is not None:
        return relative
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
