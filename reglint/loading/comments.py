"""Inline suppressions in YAML comments (SPEC §3.3).

    password: hunter2   # reglint: ignore[RL106] -- rotated weekly by the vault job
    # reglint: ignore[RL107, resource-limits] -- sized by the autoscaler
    resources:
      requests: {cpu: 250m, memory: 256Mi}
    # reglint: ignore-file[RL101] -- this system is being retired

An `ignore` comment at the end of a line covers findings on that line. On a line of its
own it covers the next line that is not itself a comment (so a stack of comments above
a key still works); when that line holds a mapping key, it covers the key's whole value
block (`resources:` above: its `requests` and `limits` lines too). A blank line in
between breaks the link. `ignore-file` covers the whole file. Rules are named by ID or
name. This module only parses them, at load; the Decider decides what they suppress
(decisions/decider.py, with decisions/comment_index.py).

Only real YAML comments count. PyYAML's scanner drops comments, so they are found in the
text — but a `#` is a comment only outside every scalar: the YAML loader hands over the
span of every scalar it saw (`scalars`), so `password: "x # reglint: ignore[RL106]"`
and `# reglint: ...` lines inside a block scalar are data, never suppressions. This is
done only for text that mentions `reglint:` at all (the load path is hot).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

from reglint.findings import Span
from reglint.loading.positions import Position, PositionNode, span_of

MARKER = "reglint:"  # text without it holds no ignore comment
_END = 1 << 62  # past any line or column


class IgnoreComment(NamedTuple):
    """One `# reglint: ignore[...]` comment, as read (which of its rules suppressed
    something is the Decider's to work out, per file)."""

    span: Span
    whole_file: bool
    rules: tuple[str, ...]  # as written
    target_line: int  # the first line it covers (0 for ignore-file)
    justification: str | None
    target_end_line: int = 0  # the last line it covers (a key's value block may be long)

    @property
    def target(self) -> str:
        """What it covers, for messages: `this file`, `line 9`, `lines 15-17`."""
        if self.whole_file:
            return "this file"
        if self.target_end_line > self.target_line:
            return f"lines {self.target_line}-{self.target_end_line}"
        return f"line {self.target_line}"


def parse_ignore_comments(text: str, scalars: Sequence[Span] = (), roots: Iterable[Position] = ()) -> list[IgnoreComment]:
    """Every reglint ignore comment of a YAML text.

    `scalars` are the spans of the text's scalars in text order (a `#` inside one is
    data); `roots` the position trees of its documents (to find a key's value block).
    """
    if MARKER not in text:
        return []
    lines = text.split("\n")
    outside = _Outside(scalars)
    comments: list[IgnoreComment] = []
    found: dict[int, int] = {}  # comment line -> the line after its stack
    for number, line in enumerate(lines, start=1):
        if MARKER not in line:
            continue
        start = outside.comment_start(number, line)
        match = None if start is None else _comment_pattern().search(line, start)
        if start is None or match is None:
            continue
        whole_file = match["kind"] == "ignore-file"
        own_line = not line[:start].strip()
        target = 0 if whole_file else (_next_content_line(lines, number, outside, found) if own_line else number)
        comments.append(
            IgnoreComment(
                span=Span(number, match.start() + 1, number, len(line.rstrip()) + 1),
                whole_file=whole_file,
                rules=tuple(r.strip() for r in match["rules"].split(",") if r.strip()),
                target_line=target,
                justification=match["reason"],
                target_end_line=target,
            )
        )
    above = {c.target_line for c in comments if c.target_line and c.span.line < c.target_line}
    if above:
        ends = _key_blocks(roots, above)
        comments = [
            c._replace(target_end_line=ends.get(c.target_line, c.target_line)) if c.span.line < c.target_line else c
            for c in comments
        ]
    return comments


@cache
def _comment_pattern() -> re.Pattern[str]:
    # Compiled on first use: most files hold no `reglint:` comment at all.
    return re.compile(
        r"#\s*reglint:\s*(?P<kind>ignore-file|ignore)\[(?P<rules>[^\]]*)\]"
        r"(?:\s*--\s*(?P<reason>.*\S))?"
    )


def ignore_comment_pattern() -> re.Pattern[str]:
    """The regular expression of an ignore comment (`kind`, `rules`, `reason` groups)."""
    return _comment_pattern()


def comment_column(number: int, line: str, scalars: Sequence[Span]) -> int | None:
    """The index in `line` (line `number`) where its comment starts, if it has one; the
    `scalars` of the text tell a comment's `#` from one inside a string."""
    return _Outside(scalars).comment_start(number, line)


class _Outside:
    """Tells a comment's `#` from a `#` inside a scalar, by the scalars' spans."""

    def __init__(self, scalars: Sequence[Span]) -> None:
        self._scalars = scalars  # in text order, never overlapping

    def comment_start(self, number: int, line: str) -> int | None:
        """The index in `line` (line `number`) where its comment starts, if it has one:
        the first `#` outside every scalar (libyaml needs no blank before it there)."""
        at = line.find("#")
        while at >= 0:
            # The last scalar that starts at or before the `#` (a Span sorts by its start).
            index = bisect_right(self._scalars, (number, at + 1, _END, _END)) - 1
            if index < 0 or (number, at + 1) >= self._scalars[index][2:]:
                return at
            at = line.find("#", at + 1)
        return None

    def is_comment_line(self, number: int, line: str) -> bool:
        start = self.comment_start(number, line)
        return start is not None and not line[:start].strip()


def _next_content_line(lines: list[str], number: int, outside: _Outside, found: dict[int, int]) -> int:
    """The first line after `number` (1-based) that is not a comment line (a blank line
    ends the search there: the comment then covers nothing). `found` keeps the answer
    for every comment line passed, so a stack of comments is walked once, not once per
    comment (a file of 100,000 comment lines would be quadratic)."""
    passed = []
    for following in range(number + 1, len(lines) + 1):
        if following in found:
            target = found[following]
            break
        if not outside.is_comment_line(following, lines[following - 1]):
            target = following
            break
        passed.append(following)
    else:
        return number  # only comments follow: it covers nothing
    found.update(dict.fromkeys(passed, target))
    return target


def _key_blocks(roots: Iterable[Position], lines: set[int]) -> dict[int, int]:
    """For each of `lines` where a mapping key starts: the last line of the outermost such
    key's value. Walks only the nodes whose spans reach one of `lines`, each once (an
    alias shares its anchor's children)."""
    ends: dict[int, int] = {}
    first, last = min(lines), max(lines)
    stack = [root for root in roots if isinstance(root, PositionNode)]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        children = node.children
        if children is None or id(children) in seen:
            continue
        seen.add(id(children))
        if isinstance(children, dict):
            keys = node.keys or {}
            for key, child in children.items():
                key_span = keys.get(key)
                if key_span is not None and key_span.line in lines:
                    ends[key_span.line] = max(ends.get(key_span.line, 0), _last_line(span_of(child)))
                if child.__class__ is PositionNode and child.span.line <= last and child.span.end_line >= first:
                    stack.append(child)
        else:
            stack.extend(
                child for child in children
                if isinstance(child, PositionNode) and child.span.line <= last and child.span.end_line >= first
            )
    return ends


def _last_line(span: Span) -> int:
    """The last line that holds part of `span` (a block scalar ends at column 1 of the
    line after its text)."""
    if span.end_column == 1 and span.end_line > span.line:
        return span.end_line - 1
    return span.end_line
