"""Which files a run reads (SPEC §1.3)."""

from __future__ import annotations

import operator
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from reglint.files.confinement import OUTSIDE, is_within, leads_outside
from reglint.files.globs import GlobSet, IgnoreSpec, compile_gitignore, encode_path
from reglint.files.paths import relative_posix
from reglint.files.read import read_regular_file

CHECKED_SUFFIXES = (".yaml", ".yml", ".json", ".tf")  # `.tf.json` ends with `.json`
Chain = tuple[tuple[str, IgnoreSpec], ...]  # (folder, its compiled .gitignore)
SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
# reglint's own configuration is never linted as input.
CONFIG_FILES = frozenset({".reglint.yaml", ".reglint.yml"})
# The .gitignore files of a run hold at most this many bytes in all (a real one holds a
# few KiB): each walked path is matched against every line that applies to it, so this
# bounds the compiling and the cost per path. A file past the budget is not applied
# (a notification says so). The measured worst case is in docs/safety.md.
GITIGNORE_BUDGET = 1024 * 1024


class Candidate(NamedTuple):
    """A file to read. `named`: given on the command line or matched by `include` — a
    load failure is then always reported (RL001), never just a notification.
    `refused`: why it is not read at all (a folder that cannot be listed, a symbolic
    link that leads outside the project root), reported like an unreadable file."""

    path: Path
    named: bool
    refused: str | None = None


def git_top_level(start: Path) -> Path | None:
    """The nearest ancestor holding `.git` (a folder, or a file for worktrees)."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


class IgnoreRules:
    """`.gitignore` files from the git top level down, with git's precedence: a deeper
    file's match (or negation) wins over a shallower one's."""

    def __init__(self, root: Path) -> None:
        top = git_top_level(root)
        self._top = None if top is None else str(top)
        self._real_top = None if top is None else os.path.realpath(top)
        # folder -> the compiled .gitignore files that apply in it, top-down (cached: a
        # walk asks once per folder, and most folders have none of their own)
        self._chains: dict[str, Chain] = {}
        # .gitignore files that could not be applied, and why: the walk reports them
        self.refused: list[Candidate] = []
        self._budget = GITIGNORE_BUDGET  # bytes of .gitignore still to be read

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
        elif is_within(text, top):
            inherited = self.chain_of(os.path.dirname(text))
        else:  # outside the repository: git's ignore files do not apply
            self._chains[text] = ()
            return ()
        spec = self._own_spec(directory) if has_gitignore is not False else None
        chain = inherited + ((text, spec),) if spec else inherited
        self._chains[text] = chain
        return chain

    def _own_spec(self, directory: str) -> IgnoreSpec | None:
        path = os.path.join(directory, ".gitignore")
        assert self._top is not None and self._real_top is not None
        if leads_outside(path, self._top, self._real_top):
            self.refused.append(Candidate(Path(path), False, f"{OUTSIDE} (not read)"))
            return None
        raw = read_regular_file(Path(path), self._budget)
        if isinstance(raw, str):
            if os.path.lexists(path):  # a folder without one is the common case
                if "larger" in raw:
                    raw = "the project's .gitignore files hold more than 1 MiB: not applied"
                self.refused.append(Candidate(Path(path), False, raw))
            return None
        self._budget -= len(raw)
        # git reads bytes: a line ends at LF (a CR before it is dropped) and a UTF-8 BOM
        # is skipped; a name that is not UTF-8 keeps its bytes through surrogateescape.
        text = raw.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        return compile_gitignore(line.removesuffix("\r") for line in text.split("\n"))

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
        if self._top is None or not is_within(text, self._top) or text == self._top:
            return False
        directory = self._top
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
    """Every file to read, each once, in a stable order; and, refused, every folder that
    cannot be listed and every symbolic link that leads outside the project root."""
    ignores = IgnoreRules(root)
    real_root = os.path.realpath(root)
    seen: set[Path] = set()
    for path in paths:
        text = str(path)
        if leads_outside(text, str(root), real_root):
            kind = "followed" if os.path.isdir(text) else "read"
            found = iter([Candidate(path, True, f"{OUTSIDE} (not {kind})")])
        elif path.is_dir():
            found = _walk(path, root, include, exclude, ignores)
        else:
            found = iter(()) if exclude.matches(path, root) else iter([Candidate(path, True)])
        for candidate in found:
            if candidate.path not in seen:
                seen.add(candidate.path)
                yield candidate


_GLOB_CHARACTERS = frozenset("*?[\\")


def _may_include_below(include: GlobSet, directory: str, root: Path) -> bool:
    """Whether an `include` glob may select a file inside `directory`: a glob without a
    `/` matches at any depth; an anchored one only where its literal leading folders
    lead to the folder or into it."""
    relative = relative_posix(directory, root)
    if not include or relative is None:
        return False
    parts = relative.split("/")
    for pattern in include.patterns:
        if pattern.startswith("!"):
            continue
        steps = pattern.rstrip("/").split("/")
        if len(steps) == 1:
            return True  # no `/`: any depth
        steps = steps[1:] if steps[0] == "" else steps
        for step, part in zip(steps, parts):
            if step == "**" or _GLOB_CHARACTERS & set(step):
                return True
            if step != part:
                break
        else:
            return True
    return False


def _walk(
    top: Path, root: Path, include: GlobSet, exclude: GlobSet, ignores: IgnoreRules
) -> Iterator[Candidate]:
    """Walk a folder without following directory symlinks (no loops), sorted.

    Paths stay strings until a file is chosen, and each folder is judged by the names it
    holds (a .gitignore, a virtualenv's pyvenv.cfg) rather than by probing the disk: a
    walk of 10,000 files spent most of its time building Paths and failing to open
    .gitignore files that are not there. A file that is a symbolic link is read only when
    its target stays inside the project root (inside `top` when `top` is outside it)."""
    first = str(top)
    if ignores.ignored(first, True) or exclude.matches(first, root, is_dir=True):
        return
    base = str(root) if is_within(first, str(root)) else first
    real_base = os.path.realpath(base)
    stack = [(first, False)]
    while stack:
        directory, ignored = stack.pop()  # ignored: inside a folder that .gitignore ignores
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=_NAME)
        except OSError as exc:
            reason = f"cannot read folder: {exc.strerror or exc.__class__.__name__}"
            yield Candidate(Path(directory), directory == first, reason)
            continue
        names = {entry.name for entry in entries}
        if "pyvenv.cfg" in names and directory != first:
            continue  # a virtualenv below the folder named for the run
        chain = ignores.chain_of(directory, ".gitignore" in names)
        yield from ignores.refused
        ignores.refused.clear()
        subdirectories = []
        for entry in entries:
            text = entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if _skip_directory(entry.name) or exclude.matches(text, root, is_dir=True):
                    continue
                if ignored or ignores.ignored_in(chain, text, True):
                    # `include` reaches into what .gitignore ignores (CDK's cdk.out).
                    if _may_include_below(include, text, root):
                        subdirectories.append((text, True))
                    continue
                subdirectories.append((text, False))
                continue
            if entry.name in CONFIG_FILES:
                continue
            included = bool(include) and include.matches(text, root)
            if not (included or entry.name.endswith(CHECKED_SUFFIXES)):
                continue
            if exclude.matches(text, root):
                continue
            if not included and (ignored or ignores.ignored_in(chain, text, False)):
                continue
            if entry.is_symlink() and leads_outside(text, base, real_base):
                yield Candidate(Path(text), included, f"{OUTSIDE} (not read)")
                continue
            yield Candidate(Path(text), included)
        stack.extend(reversed(subdirectories))
