"""A file's text as fixes see it: the positions reglint keeps, mapped back to its bytes.

Every span reglint keeps counts lines and columns in the *decoded* text (loading/decode.py:
a UTF-8 BOM dropped, CRLF and lone CR made `\\n`). A fix must land on the same characters
in the file as written, and keep the file's own line breaks and BOM, so this module maps
a span to offsets in both texts: the decoded one (to check a fix by parsing its result)
and the original one (to write it). Lines break at `\\r\\n`, `\\r` and `\\n` only, as
decode() sees them; columns count characters, which both texts share.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from reglint.findings import Span

_BREAK = re.compile(r"\r\n|\r|\n")


class FixError(Exception):
    """A fix that cannot be rendered or applied as asked (no output shows it as such: the
    finding simply has no fix)."""


class Splice(NamedTuple):
    """Replace the text of `span` with `text`, whose line breaks are `\\n`."""

    span: Span
    text: str


class SourceText:
    """One file's bytes, its original text and its decoded text, with their line starts."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.bom = raw.startswith(codecs.BOM_UTF8)
        try:
            self.original = raw[len(codecs.BOM_UTF8) if self.bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:  # the loader refused it already (RL001): nothing to fix
            raise FixError("not UTF-8") from None
        breaks = list(_BREAK.finditer(self.original))
        # The file's line break, for the text a fix inserts: the first one it uses.
        self.newline = breaks[0].group() if breaks else "\n"
        self._original_starts = [0, *(match.end() for match in breaks)]
        self.text = _BREAK.sub("\n", self.original) if breaks else self.original
        self._starts = [0, *(match.end() for match in re.finditer("\n", self.text))]

    @property
    def lines(self) -> int:
        return len(self._starts)

    def line(self, number: int) -> str:
        """Line `number` (1-based) of the decoded text, without its line break."""
        if not 1 <= number <= len(self._starts):
            raise FixError(f"line {number} is outside the file")
        start = self._starts[number - 1]
        end = self._starts[number] - 1 if number < len(self._starts) else len(self.text)
        return self.text[start:end]

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column in the decoded text."""
        width = len(self.line(line))
        if not 1 <= column <= width + 1:
            raise FixError(f"column {column} is outside line {line}")
        return self._starts[line - 1] + column - 1

    def _original_offset(self, line: int, column: int) -> int:
        self.offset(line, column)  # the same bounds: the line's characters are the same
        return self._original_starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of an offset in the decoded text."""
        from bisect import bisect_right

        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def span_text(self, span: Span) -> str:
        """The decoded text a span covers."""
        return self.text[self.offset(span.line, span.column) : self.offset(span.end_line, span.end_column)]

    def written(self, text: str) -> str:
        """`text` (line breaks `\\n`) with the file's own line breaks."""
        return text if self.newline == "\n" else text.replace("\n", self.newline)

    def decoded_after(self, splices: Iterable[Splice]) -> str:
        """The decoded text with `splices` made (they must not overlap)."""
        return _splice(self.text, [(self._range(s.span, self.offset), s.text) for s in splices])

    def bytes_after(self, splices: Iterable[Splice]) -> bytes:
        """The file's bytes with `splices` made, in its own line breaks and BOM."""
        changed = _splice(
            self.original,
            [(self._range(s.span, self._original_offset), self.written(s.text)) for s in splices],
        )
        return (codecs.BOM_UTF8 if self.bom else b"") + changed.encode("utf-8")

    @staticmethod
    def _range(span: Span, offset: Callable[[int, int], int]) -> tuple[int, int]:
        start, end = offset(span.line, span.column), offset(span.end_line, span.end_column)
        if end < start:
            raise FixError("a span that ends before it starts")
        return start, end


def _splice(text: str, ranges: list[tuple[tuple[int, int], str]]) -> str:
    """`text` with each (start, end) range replaced; ranges must not overlap (two
    insertions at one place would have no defined order)."""
    ranges.sort(key=lambda item: item[0])
    parts: list[str] = []
    at = 0
    inserted_at = -1  # where the previous splice inserted without replacing, if it did
    for (start, end), replacement in ranges:
        if start < at or (start == end == inserted_at):
            raise FixError("overlapping edits")
        parts.append(text[at:start])
        parts.append(replacement)
        at = end
        inserted_at = start if start == end else -1
    parts.append(text[at:])
    return "".join(parts)


def overlaps(first: Span, second: Span) -> bool:
    """True when two edits cannot both be made: their regions share a character, or they
    insert at the same place, or one inserts inside the other's region."""
    a = ((first.line, first.column), (first.end_line, first.end_column))
    b = ((second.line, second.column), (second.end_line, second.end_column))
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]
    return a[0] < b[1] and b[0] < a[1]
