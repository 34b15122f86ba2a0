"""Which files a run reads (SPEC §1.3) and where the project root is."""

from __future__ import annotations

import operator
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from reglint.config import has_config
from reglint.globs import GlobSet, IgnoreSpec, compile_gitignore, encode_path, relative_posix

CHECKED_SUFFIXES = (".yaml", ".yml", ".json")
Chain = tuple[tuple[str, IgnoreSpec], ...]  # (folder, its compiled .gitignore)
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
        top = git_top_level(root)
        self._top = None if top is None else str(top)
        # folder -> the compiled .gitignore files that apply in it, top-down (cached: a
        # walk asks once per folder, and most folders have none of their own)
        self._chains: dict[str, Chain] = {}

    def chain_of(self, directory: str, has_gitignore: bool | None = None) -> Chain:
        """The .gitignore files that apply to the entries of `directory`, top-down.

        `has_gitignore`: whether the folder holds one, when a walk already listed it
        (else the file is simply tried): most folders have none, and an `open` that
        fails costs more than a look at names already read."""
        if self._top is None:
            return ()
        text = directory
        chain = self._chains.get(text)
        if chain is not None:
            return chain
        top = self._top
        if text == top:
            inherited: Chain = ()
        elif text.startswith(top.rstrip(os.sep) + os.sep):
            inherited = self.chain_of(os.path.dirname(text))
        else:  # outside the repository: git's ignore files do not apply
            self._chains[text] = ()
            return ()
        spec = self._own_spec(directory) if has_gitignore is not False else None
        chain = inherited + ((text, spec),) if spec else inherited
        self._chains[text] = chain
        return chain

    def _own_spec(self, directory: str) -> IgnoreSpec | None:
        try:
            with open(os.path.join(directory, ".gitignore"), encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        return compile_gitignore(lines) if lines else None

    @staticmethod
    def ignored_in(chain: Chain, text: str, is_dir: bool) -> bool:
        """True when the last .gitignore of `chain` that has a say about `text` itself
        ignores it (the walk has judged the folders above it already)."""
        verdict = False
        for directory, spec in chain:
            relative = text[len(directory) + 1 :].replace(os.sep, "/")
            said = spec.verdict(encode_path(relative), is_dir)
            if said is not None:
                verdict = said
        return verdict

    def ignored(self, text: str, is_dir: bool) -> bool:
        """True when `text` or a folder between the git top level and it is ignored: a
        folder named for the run inside an ignored folder is ignored with it, as git does."""
        top = self._top
        if top is None or not text.startswith(top.rstrip(os.sep) + os.sep):
            return False
        directory = top
        parts = text[len(directory) + 1 :].split(os.sep)
        for depth, name in enumerate(parts):
            entry = os.path.join(directory, name)
            last = depth == len(parts) - 1
            if self.ignored_in(self.chain_of(directory), entry, is_dir if last else True):
                return True
            directory = entry
        return False


_NAME = operator.attrgetter("name")


def _skip_directory(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRECTORIES


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

    Paths stay strings until a file is chosen, and each folder is judged by the names it
    holds (a .gitignore, a virtualenv's pyvenv.cfg) rather than by probing the disk: a
    walk of 10,000 files spent most of its time building Paths and failing to open
    .gitignore files that are not there."""
    first = str(top)
    if ignores.ignored(first, True) or exclude.matches(first, root, is_dir=True):
        return
    stack = [first]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=_NAME)
        except OSError:
            continue
        names = {entry.name for entry in entries}
        if "pyvenv.cfg" in names and directory != first:
            continue  # a virtualenv below the folder named for the run
        chain = ignores.chain_of(directory, ".gitignore" in names)
        subdirectories = []
        for entry in entries:
            text = entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if not (
                    _skip_directory(entry.name)
                    or exclude.matches(text, root, is_dir=True)
                    or ignores.ignored_in(chain, text, True)
                ):
                    subdirectories.append(text)
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
