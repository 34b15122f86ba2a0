"""git's glob dialect (wildmatch, as `.gitignore` uses it) translated into regular
expressions whose matching time is linear in the path.

A glob such as `*a*a*a*a*a*a*a*a*a*a*b` becomes, in a plain translation, a regular
expression that Python's backtracking engine needs time exponential in the number of
stars to reject against a name of 60 `a`s (hours, here). Here every `*` but the last of a path segment, and every `**/` but the
last, is translated into an *atomic* lazy search, `(?>[^/]*?PIECE)`: it commits to the
leftmost place where the next fixed-length piece of the glob matches, and is never
retried. Committing to the leftmost place is exact for globs — whatever the rest of the
glob can match after a later occurrence it can match after the leftmost one — so the
translation matches exactly what git matches, while the engine scans each segment of the
path once per piece: linear in the path, O(len(path) × len(glob)²) at worst.

The matching is git's `wildmatch(..., WM_PATHNAME)`, on bytes as git does (a `?` is one
byte, classes are ASCII): `*` and `?` and `[...]` never match `/`; `**` between slashes
(or at either end) matches any number of folders; other runs of stars are a `*`;
`[!...]`/`[^...]` negate, `]` first in a class is literal, `a-z` ranges, `[:alpha:]` and
the other POSIX classes (ASCII), and `\\` escapes one character, inside a class too.
`tests/hostile/test_glob_semantics.py` holds git's own wildmatch table (t/t3070) as a test.

Why not a library: pathspec (used before) compiles to `re` without this care. Its re2
backend (with google-re2, a linear engine) would bound the time, but keeps pathspec's
dialect: of the 183 rows of git's wildmatch table, pathspec answered 27 differently from
git (`[[:digit:]]` and the other classes, `\\` inside brackets, `[^a-z]` matching `/`),
besides 9 where it applies gitignore's parent-folder rule, and the re2 backend rejected
the classes outright (24 errors). pathspec also cost far more to import than this module,
and matched a real `.gitignore` about three times slower (docs/measurements.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# One token per byte of the path: a regular expression for exactly one byte; or STAR.
STAR = b""
Segment = list[bytes]  # the tokens of one path segment (between slashes)
GLOBSTAR: Segment = [b"**"]  # a `**` segment: any number of folders (a marker, by identity)
_ANY_SEGMENT: Segment = [STAR]
_SLASH = ord("/")
_NOT_SLASH = rb"[^/]"

# git's character classes (ASCII only, as git's sane_ctype).
_DIGITS = set(range(0x30, 0x3A))
_UPPER = set(range(0x41, 0x5B))
_LOWER = set(range(0x61, 0x7B))
_PRINT = set(range(0x20, 0x7F))
_PUNCT = _PRINT - _DIGITS - _UPPER - _LOWER - {0x20}
_CLASSES: dict[bytes, frozenset[int]] = {
    b"alnum": frozenset(_DIGITS | _UPPER | _LOWER),
    b"alpha": frozenset(_UPPER | _LOWER),
    b"blank": frozenset(b" \t"),
    b"cntrl": frozenset(set(range(0x20)) | {0x7F}),
    b"digit": frozenset(_DIGITS),
    b"graph": frozenset(_PRINT - {0x20}),
    b"lower": frozenset(_LOWER),
    b"print": frozenset(_PRINT),
    b"punct": frozenset(_PUNCT),
    b"space": frozenset(b" \t\n\r\v\f"),
    b"upper": frozenset(_UPPER),
    b"xdigit": frozenset(_DIGITS | set(b"abcdefABCDEF")),
}


class GlobError(ValueError):
    """A glob that can never match anything, and why (`!` alone, a trailing `\\`,
    an unclosed `[`, `[z-a]`, an unknown `[:class:]`)."""


class _NeverMatches(Exception):
    """Raised inside the translation when git would abort the match (lenient mode)."""


def translate(glob: bytes, strict: bool) -> re.Pattern[bytes] | None:
    """The compiled expression that fully matches what `glob` matches (a path without a
    leading `/`), or None when git would never match it. `strict`: raise GlobError
    instead of returning None, and also for a reversed range, which git accepts."""
    try:
        segments = list(_segments(glob, strict))
    except _NeverMatches as exc:
        if strict:
            raise GlobError(str(exc)) from None
        return None
    return re.compile(_assemble(segments))


def _segments(glob: bytes, strict: bool) -> Iterator[Segment]:
    """The glob's segments, GLOBSTAR for each `**` segment."""
    tokens: Segment = []
    index, end = 0, len(glob)
    while index < end:
        byte = glob[index]
        if byte == _SLASH:
            yield tokens
            tokens, index = [], index + 1
        elif byte == ord("*"):
            stop = index
            while stop < end and glob[stop] == ord("*"):
                stop += 1
            if stop - index >= 2 and not tokens and _ends_segment(glob, stop):
                yield GLOBSTAR
                tokens, index = [], stop + (2 if glob[stop : stop + 1] == b"\\" else 1)
                if index > end:  # `**` ends the glob: it still needs one more segment
                    return
                continue
            if not tokens or tokens[-1] != STAR:
                tokens.append(STAR)
            index = stop
        elif byte == ord("?"):
            tokens.append(_NOT_SLASH)
            index += 1
        elif byte == ord("["):
            members, index = _bracket(glob, index + 1, strict)
            tokens.append(_class_expression(members))
        elif byte == ord("\\"):
            if index + 1 == end:
                raise _NeverMatches("Escape character '\\' at the end has nothing to escape")
            if glob[index + 1] == _SLASH:  # `\/` is a slash
                yield tokens
                tokens, index = [], index + 2
                continue
            tokens.append(re.escape(glob[index + 1 : index + 2]))
            index += 2
        else:
            tokens.append(re.escape(glob[index : index + 1]))
            index += 1
    yield tokens


def _ends_segment(glob: bytes, index: int) -> bool:
    return index == len(glob) or glob[index] == _SLASH or glob[index : index + 2] == b"\\/"


def _bracket(glob: bytes, index: int, strict: bool) -> tuple[frozenset[int], int]:
    """The bytes a `[...]` class starting at `index` (after the `[`) matches, and the
    index after its `]`; `/` never matches."""
    end = len(glob)
    negated = index < end and glob[index] in b"!^"
    index += negated
    members: set[int] = set()
    previous: int | None = None  # the last single byte, which may start a range
    first = True
    while True:
        if index >= end:
            raise _NeverMatches("'[' opens a character class that is never closed")
        byte = glob[index]
        if byte == ord("]") and not first:
            index += 1
            break
        first = False
        if byte == ord("\\"):
            if index + 1 >= end:
                raise _NeverMatches("'[' opens a character class that is never closed")
            previous = glob[index + 1]
            members.add(previous)
            index += 2
        elif (
            byte == ord("-")
            and previous is not None
            and index + 1 < end
            and glob[index + 1] != ord("]")
        ):
            high, index = _range_end(glob, index + 1)
            if high < previous and strict:
                raise _NeverMatches(f"bad pattern: bad character range {chr(previous)}-{chr(high)}")
            members.update(range(previous, high + 1))
            previous = None
        elif byte == ord("[") and glob[index + 1 : index + 2] == b":":
            close = glob.find(b"]", index + 2)
            if close == -1:
                raise _NeverMatches("'[' opens a character class that is never closed")
            if close - (index + 2) < 1 or glob[close - 1] != ord(":"):
                members.add(byte)  # no `:]`: the `[` is an ordinary member
                previous = byte
                index += 1
                continue
            name = glob[index + 2 : close - 1]
            if name not in _CLASSES:
                shown = name.decode("ascii", "replace")
                raise _NeverMatches(f"unknown character class [:{shown}:]")
            members.update(_CLASSES[name])
            previous = None
            index = close + 1
        else:
            members.add(byte)
            previous = byte
            index += 1
    if negated:
        members = set(range(256)) - members
    members.discard(_SLASH)
    return frozenset(members), index


def _range_end(glob: bytes, index: int) -> tuple[int, int]:
    if glob[index] == ord("\\"):
        if index + 1 >= len(glob):
            raise _NeverMatches("'[' opens a character class that is never closed")
        return glob[index + 1], index + 2
    return glob[index], index + 1


def _class_expression(members: frozenset[int]) -> bytes:
    """A regular expression for one byte out of `members`."""
    if not members:
        return rb"(?!)"
    ranges: list[list[int]] = []
    for byte in sorted(members):
        if ranges and ranges[-1][1] == byte - 1:
            ranges[-1][1] = byte
        else:
            ranges.append([byte, byte])
    body = b"".join(
        b"\\x%02x" % low if low == high else b"\\x%02x-\\x%02x" % (low, high)
        for low, high in ranges
    )
    return b"[" + body + b"]"


def _assemble(segments: list[Segment]) -> bytes:
    """The expression for a whole glob, from its segments.

    Split at `**` into groups of plain segments: the first group is anchored at the
    start, the last at the end, and each group between is found by an atomic lazy search
    (its leftmost place, never retried)."""
    if segments and segments[-1] is GLOBSTAR:
        segments = [*segments, _ANY_SEGMENT]  # `a/**` needs something inside `a`
    groups: list[list[Segment]] = [[]]
    for segment in segments:
        if segment is GLOBSTAR:
            if groups[-1] or len(groups) == 1:
                groups.append([])
        else:
            groups[-1].append(segment)
    last = len(groups) - 1
    parts = [rb"\A"]
    for number, group in enumerate(groups):
        units = b"".join(
            _unit(segment, final=number == last and position == len(group) - 1)
            for position, segment in enumerate(group)
        )
        if number == 0:
            parts.append(units)
        elif number < last:
            parts.append(rb"(?>(?:[^/]*+/)*?" + units + b")")
        else:
            parts.append(rb"(?:[^/]*+/)*" + units)
    return b"".join(parts)


def _unit(segment: Segment, final: bool) -> bytes:
    """One segment and what ends it (`/`, or the end of the path), as an atomic group:
    a segment fills its whole path segment, so it can match in one way only."""
    return b"(?>" + _segment_expression(segment) + (rb")\Z" if final else b"/)")


def _segment_expression(segment: Segment) -> bytes:
    pieces: list[list[bytes]] = [[]]
    for token in segment:
        if token == STAR:
            pieces.append([])
        else:
            pieces[-1].append(token)
    if len(pieces) == 1:
        return b"".join(pieces[0])
    head, *middle, tail = (b"".join(piece) for piece in pieces)
    searches = b"".join(b"(?>[^/]*?" + piece + b")" for piece in middle)
    return head + searches + rb"[^/]*" + tail
