"""Inline suppressions in YAML comments (SPEC §3.3).

    password: hunter2   # reglint: ignore[RL106] -- rotated weekly by the vault job
    # reglint: ignore[RL107, resource-limits] -- sized by the autoscaler
    # reglint: ignore-file[RL101] -- this system is being retired

An `ignore` comment at the end of a line covers findings on that line; on a line of its
own it covers the next line that is not itself a comment (so a stack of comments above
a key still works). `ignore-file` covers the whole file. Rules are named by ID or name.
This module only parses and tracks use; the engine decides (engine.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from reglint.findings import Span

_JSON_SUFFIX = ".json"


@dataclass(slots=True)
class IgnoreComment:
    """One `# reglint: ignore[...]` comment and which of its rules were used."""

    span: Span
    whole_file: bool
    rules: tuple[str, ...]  # as written
    target_line: int  # the line it covers (0 for ignore-file)
    justification: str | None
    used: set[str] = field(default_factory=set)  # rule IDs it suppressed


def parse_ignore_comments(text: str, path_suffix: str) -> list[IgnoreComment]:
    """Every reglint ignore comment of a YAML file (JSON has no comments)."""
    if path_suffix.lower() == _JSON_SUFFIX or "reglint:" not in text:
        return []
    lines = text.split("\n")
    comments: list[IgnoreComment] = []
    for number, line in enumerate(lines, start=1):
        if "reglint:" not in line:
            continue
        match = _comment_pattern().search(line)
        if match is None:
            continue
        start = match.start() + (0 if line[match.start()] == "#" else 1)
        whole_file = match["kind"] == "ignore-file"
        own_line = not line[:start].strip()
        comments.append(
            IgnoreComment(
                span=Span(number, start + 1, number, len(line.rstrip()) + 1),
                whole_file=whole_file,
                rules=tuple(r.strip() for r in match["rules"].split(",") if r.strip()),
                target_line=0 if whole_file else (_next_content_line(lines, number) if own_line else number),
                justification=match["reason"],
            )
        )
    return comments


@cache
def _comment_pattern() -> re.Pattern[str]:
    # Compiled on first use (~0.3 ms): most files hold no `reglint:` comment at all.
    return re.compile(
        r"(?:^|\s)#\s*reglint:\s*(?P<kind>ignore-file|ignore)\[(?P<rules>[^\]]*)\]"
        r"(?:\s*--\s*(?P<reason>.*\S))?"
    )


def _next_content_line(lines: list[str], number: int) -> int:
    """The first line after `number` (1-based) that is not a comment line (a blank line
    ends the search there: the comment then covers nothing)."""
    for following in range(number, len(lines)):
        if not lines[following].lstrip().startswith("#"):
            return following + 1
    return number
