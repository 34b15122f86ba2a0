"""What loading reports: a file that cannot be parsed, and duplicate keys."""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

from reglint.findings import FILE_START, Span


class LoadError(Exception):
    """A file that cannot become documents (RL001). The message never quotes file content."""

    def __init__(self, message: str, span: Span = FILE_START) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


class DuplicateKey(NamedTuple):
    """A key given twice in one mapping (RL003): `span` is the second occurrence."""

    key: Hashable
    span: Span
    first: Span
