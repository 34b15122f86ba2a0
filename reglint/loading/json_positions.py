"""Positions for JSON text: one regex-driven pass that mirrors the data as `PositionNode`s.

The C `json` scanner keeps no positions, so this runs only when one is needed: for a
finding, for duplicate keys (RL003), or to place a limit breach (NaN, nesting). It walks
text that `json.loads` already accepted, so it checks little grammar itself; it is
iterative, so any nesting depth is safe.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reglint.findings import FILE_START, Span
from reglint.loading.errors import DuplicateKey, LoadError
from reglint.loading.positions import Position, PositionNode

__all__ = ["scan_positions"]

# One token after whitespace and separators; the group number says which kind it is.
# `,` and `:` carry nothing the tree needs (json.loads has checked the grammar), so they
# are skipped like whitespace: half as many matches.
_TOKEN = re.compile(
    r"""[ \t\r\n,:]*(?:
      ("[^"\\\n]*(?:\\.[^"\\\n]*)*")                       # 1 string (no raw newline in JSON)
    | ([{\[])                                              # 2 open
    | ([}\]])                                              # 3 close
    | (-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)  # 4 literal
    | (NaN|-?Infinity)                                     # 5 what Python's json would allow
    )""",
    re.VERBOSE,
)
_STRING, _OPEN, _CLOSE, _LITERAL, _NON_FINITE = 1, 2, 3, 4, 5
_SPACE = re.compile(r"[ \t\r\n,:]*")
_NO_KEY: Any = object()


class _Open:
    """An object or array being scanned."""

    __slots__ = ("children", "column", "firsts", "is_object", "key", "keys", "line", "node")

    def __init__(self, is_object: bool, line: int, column: int) -> None:
        self.is_object = is_object
        # The node's own containers, typed loosely: a dict for an object, else a list.
        self.keys: Any = {} if is_object else None
        self.children: Any = {} if is_object else []
        self.node = PositionNode(FILE_START, self.keys, self.children)
        self.key: Any = _NO_KEY
        self.line = line  # 0-based start, turned into a Span when the container closes
        self.column = column
        self.firsts: dict[str, Span] | None = None


def scan_positions(text: str, max_depth: int) -> tuple[Position, list[DuplicateKey]]:
    """The position tree of a JSON value and its duplicate keys (second occurrences).

    Raises `LoadError` at a NaN/Infinity token or at the container that nests deeper
    than `max_depth`.
    """
    top = _Open(False, 0, 0)  # holds the root value as its only child
    stack = [top]
    duplicates: list[DuplicateKey] = []
    line = line_start = 0  # 0-based line of the next token, and where that line starts
    next_newline = text.find("\n")
    pos, size = 0, len(text)
    while True:
        match = _TOKEN.match(text, pos)
        if match is None:
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if pos == size:
                break
            raise LoadError("unexpected character in JSON", _point_at(text, pos))
        pos = match.end()
        kind = match.lastindex
        assert kind is not None
        start = match.start(kind)
        # Newlines occur only between tokens: move the line counter up to this token.
        while next_newline != -1 and next_newline < start:
            line += 1
            line_start = next_newline + 1
            next_newline = text.find("\n", line_start)
        column = start - line_start
        if kind == _OPEN:
            if len(stack) > max_depth:  # `top` counts for the new level
                span = Span.from_zero_based(line, column, line, column + 1)
                raise LoadError(f"nesting deeper than {max_depth} levels", span)
            stack.append(_Open(text[start] == "{", line, column))
            continue
        if kind == _NON_FINITE:
            span = Span.from_zero_based(line, column, line, pos - line_start)
            raise LoadError("NaN and Infinity are not valid JSON numbers", span)
        if kind == _CLOSE:
            if len(stack) == 1:  # unbalanced: only text json.loads rejected gets here
                raise LoadError("unexpected character in JSON", _point_at(text, start))
            done = stack.pop()
            done.node.span = Span.from_zero_based(done.line, done.column, line, pos - line_start)
            node: Position = done.node
        else:
            span = Span.from_zero_based(line, column, line, pos - line_start)
            current = stack[-1]
            if kind == _STRING and current.is_object and current.key is _NO_KEY:
                raw = match.group(_STRING)
                key = json.loads(raw) if "\\" in raw else raw[1:-1]
                keys = current.keys
                if key in keys:
                    if current.firsts is None:
                        current.firsts = {}
                    first = current.firsts.setdefault(key, keys[key])
                    duplicates.append(DuplicateKey(key, span, first))
                keys[key] = span  # the last occurrence wins, as in the data
                current.key = key
                continue
            node = span  # a scalar's position is its span alone
        parent = stack[-1]
        if parent.is_object:
            parent.children[parent.key] = node
            parent.key = _NO_KEY
        else:
            parent.children.append(node)
    if not top.children:
        raise LoadError("no JSON value found")
    root: Position = top.children[0]
    return root, duplicates


def _point_at(text: str, offset: int) -> Span:
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return Span.from_zero_based(line, column, line, column + 1)
