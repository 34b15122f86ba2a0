"""Edits of `# reglint: ignore[...]` comments: RL004's fix, which removes the rules of a
comment that suppress nothing (the whole comment when none is left; its whole line when
it stood on a line of its own), and `--add-ignore`, which writes new comments.

`--add-ignore` writes `# reglint: ignore[RULES] -- REASON` at the end of a finding's
line when the line can hold a comment: it has none yet, and it does not end inside a
string that goes on over the next line (a block scalar, a multi-line quoted or plain
scalar), where a `#` would be text. Otherwise the comment goes on a line of its own
directly above, indented as the line, where SPEC §3.3 makes it cover that line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reglint.findings import Span
from reglint.fixes.text import FixError, SourceText, Splice
from reglint.loading.comments import comment_column, ignore_comment_pattern


def rewrite_comment(span: Span, keep: Sequence[str], text: SourceText) -> Splice:
    """The splice that leaves the comment at `span` naming only `keep` (none: it goes)."""
    line = text.line(span.line)
    match = ignore_comment_pattern().search(line, span.column - 1)
    if match is None or match.start() != span.column - 1:
        raise FixError("no ignore comment there")
    if keep:
        start, end = match.span("rules")
        return Splice(Span(span.line, start + 1, span.line, end + 1), ", ".join(keep))
    before = line[: span.column - 1]
    if before.strip():  # after a value: the comment and the blanks before it go
        start = len(before.rstrip()) + 1
        return Splice(Span(span.line, start, span.line, len(line) + 1), "")
    if span.line < text.lines:  # a line of its own: the whole line goes
        return Splice(Span(span.line, 1, span.line + 1, 1), "")
    if span.line > 1:  # the last line: the line break before it goes with it
        previous = len(text.line(span.line - 1)) + 1
        return Splice(Span(span.line - 1, previous, span.line, len(line) + 1), "")
    return Splice(Span(1, 1, 1, len(line) + 1), "")


def ignore_comment(rules: Iterable[str], reason: str) -> str:
    return f"# reglint: ignore[{', '.join(rules)}] -- {reason}"


def add_ignore(line: int, rules: Sequence[str], reason: str, text: SourceText, scalars: Sequence[Span]) -> Splice:
    """The splice that writes an ignore comment covering `line` (see the module doc)."""
    content = text.line(line)
    comment = ignore_comment(rules, reason)
    if comment_column(line, content, scalars) is None and not _ends_inside_scalar(line, content, scalars):
        end = len(content.rstrip()) + 1
        return Splice(Span(line, end, line, len(content) + 1), f"  {comment}")
    indent = content[: len(content) - len(content.lstrip(" "))]
    return Splice(Span(line, 1, line, 1), f"{indent}{comment}\n")


def _ends_inside_scalar(line: int, content: str, scalars: Sequence[Span]) -> bool:
    """True when the end of `line` lies inside a scalar that goes on to a later line."""
    end = (line, len(content.rstrip()) + 1)
    return any(
        s.end_line > line and (s.line, s.column) < end and not (s.end_line == line + 1 and s.end_column == 1)
        for s in scalars
        if s.line <= line
    )
