"""The records reports read, and the positions and levels every stage shares.

A check yields `Problem`s (loading/document.py) that point into a document by *data
path*; the Decider (decisions/decider.py) turns each one into a `Finding` with a file position,
exactly once. This module imports nothing of reglint: every stage may use it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class Severity(enum.Enum):
    """A finding's level, ordered: note < warning < error."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def plural(self, count: int) -> str:
        """`1 error`, `2 warnings`."""
        return f"{count} {self.value}{'' if count == 1 else 's'}"


_RANKS = {Severity.NOTE: 1, Severity.WARNING: 2, Severity.ERROR: 3}

# `--fail-on` and the config's `fail-on`: the lowest level that fails a run, or never.
FAIL_ON_LEVELS = ("error", "warning", "note", "never")


def fails(severity: Severity, fail_on: str) -> bool:
    """True when a finding of `severity` fails a run under `fail_on` (`never`: none does):
    the exit code and JUnit's failures both ask this."""
    return fail_on != "never" and severity.rank >= Severity(fail_on).rank


# Small value records are NamedTuples, here and in model/: as immutable as a frozen
# dataclass, but the class is several times cheaper to create at import (a pre-commit
# run pays for every record class of the package) and an instance cheaper to build (a
# Span is made for every node of every parsed file; docs/measurements.md). A NamedTuple
# compares as a plain tuple: no record is ever compared with a tuple or with a record of
# another type. `Finding` (and `Problem`, loading/document.py) stay frozen dataclasses: the
# Decider and checks derive new ones with `dataclasses.replace`.
class Span(NamedTuple):
    """A region of a file: 1-based lines and columns; the end column is exclusive.

    Columns count Unicode characters. The end follows SARIF's convention: the column of
    the character just after the region. Spans order by line, then column.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def from_zero_based(cls, line: int, column: int, end_line: int, end_column: int) -> Span:
        """Build a span from a parser's 0-based marks: the one place that adds 1."""
        return cls(line + 1, column + 1, end_line + 1, end_column + 1)

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        """A one-character region at a 1-based line and column."""
        return cls(line, column, line, column + 1)


FILE_START = Span(1, 1, 1, 1)


class SuppressionKind(enum.Enum):
    INLINE = "inline"
    BASELINE = "baseline"
    CONFIG = "config"


class Suppression(NamedTuple):
    kind: SuppressionKind
    justification: str | None = None
    config_entry: int = -1  # which config `suppressions` entry, counting their use (not reported)


class RelatedLocation(NamedTuple):
    path: str
    span: Span
    message: str


class FixSafety(enum.Enum):
    """SAFE fixes keep what a file means (`--fix`); UNSAFE ones change it, such as what a
    policy grants (`--fix --unsafe-fixes`)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class TextEdit(NamedTuple):
    """Replace the text of `span` in `file` with `text` (an empty span inserts).

    The span counts lines and columns as every finding does (the decoded text: no BOM,
    each line break one `\\n`); `text` is written with the file's own line breaks.
    """

    file: Path  # absolute
    span: Span
    text: str


class Fix(NamedTuple):
    """What `--fix` would change to remove a finding (SPEC §6.5).

    `edits` may touch another file than the finding's (RL201 fixes the policy a manifest
    links). They are rendered only in runs that need them (`--fix`, `--diff`, the json
    and sarif formats); elsewhere a fix has no edits and only says that one exists.
    `secret`: the edits replace a secret (RL106), which a diff never shows.
    """

    safety: FixSafety
    description: str
    edits: tuple[TextEdit, ...] = ()
    secret: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """One reported result, with its position resolved and its path made relative."""

    rule_id: str
    rule_name: str
    severity: Severity
    path: str
    span: Span
    message: str
    data_path: str = ""
    fingerprint: str = ""
    related: tuple[RelatedLocation, ...] = field(default=())
    suppressed: Suppression | None = None
    fix: Fix | None = None  # what --fix would change to remove it (SPEC §6.5)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.column, self.rule_id, self.message)


class Notification(NamedTuple):
    """A file that was skipped rather than reported (unreadable, not a regular file…).

    `level` is how much it matters to the reader of a report (SARIF's
    toolExecutionNotifications carry it): a file reglint could not read is a warning; a
    file that was only left out because it is none of reglint's business, a note.
    """

    path: str
    message: str
    level: Severity = Severity.WARNING
    # False for a file that was checked all the same (MLRun settings assigned to no
    # system): JUnit then lists it as a test, not as a skipped one.
    skipped: bool = True
