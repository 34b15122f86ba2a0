"""The words of a YAML load failure: libyaml's and PyYAML's errors as RL001 messages with
the position of the problem (never the text around it: a file may hold secrets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from reglint.findings import FILE_START, Span
from reglint.loading.document import Limits
from reglint.loading.errors import LoadError

SpanMaker = Callable[[Any, Any], Span]  # parser marks (start, end) -> Span


def point(mark: Any, make_span: SpanMaker) -> Span:
    span = make_span(mark, mark)
    return Span.point(span.line, span.column)


def too_deep(limits: Limits, span: Span) -> LoadError:
    return LoadError(f"nesting deeper than {limits.max_depth} levels", span)


def syntax_error(exc: yaml.MarkedYAMLError, limits: Limits, make_span: SpanMaker) -> LoadError:
    """A parser error with its problem, its context and the problem's position."""
    mark = exc.problem_mark or exc.context_mark
    span = point(mark, make_span) if mark is not None else FILE_START
    problem = exc.problem or "invalid YAML"
    if "maximum nesting depth" in problem:
        # libyaml's own (higher) nesting limit can fire first, while it scans ahead.
        return too_deep(limits, span)
    if exc.context:
        start = point(exc.context_mark, make_span) if exc.context_mark else span
        where = "" if start == span else f" at line {start.line}, column {start.column}"
        problem = f"{problem} ({exc.context}{where})"
    return LoadError(problem, span)


def reader_error(exc: yaml.reader.ReaderError, text: str) -> LoadError:
    """A character YAML does not allow (a control character, U+FFFE...)."""
    position, code = exc.position, exc.character
    if isinstance(code, int):  # libyaml: a byte offset into the UTF-8 it was given
        position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    else:  # PyYAML's pure-Python reader: a character offset and the character
        code = ord(code[:1] or "?")
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1)
    where = Span.from_zero_based(line, column, line, column + 1)
    return LoadError(f"character #x{code:04x} is not allowed in YAML", where)
