"""Parser marks -> Spans for the YAML loader: the one place that turns libyaml's 0-based
marks into reglint's 1-based lines and columns."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from reglint.findings import Span
from reglint.loading.yaml_errors import SpanMaker

__all__ = ["span_maker"]

# libyaml (YAML 1.1) also ends lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR;
# reglint's lines end only at "\n" (see decode.py), so such files need remapped marks.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_SPAN_CACHE: dict[tuple[int, int, int, int], Span] = {}  # see _span
_CACHE_SIZE = 8192


def span_maker(text: str) -> SpanMaker:
    """Spans from parser marks; remapped only for text with NEL/LS/PS characters."""
    if text.isascii() or not _ODD_BREAKS.search(text):  # isascii() is O(1) in CPython
        return _span
    starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def remapped(start: Any, end: Any) -> Span:
        # mark.index counts characters, like Python strings: find the "\n" line from it.
        line, end_line = bisect_right(starts, start.index) - 1, bisect_right(starts, end.index) - 1
        return Span.from_zero_based(
            line, start.index - starts[line], end_line, end.index - starts[end_line]
        )

    return remapped


def _span(start: Any, end: Any) -> Span:
    # Files of one kind put their keys at the same places, so most spans are found in
    # the cache instead of being built again.
    where = (start.line, start.column, end.line, end.column)
    span = _SPAN_CACHE.get(where)
    if span is None:
        if len(_SPAN_CACHE) >= _CACHE_SIZE:
            _SPAN_CACHE.clear()
        span = _SPAN_CACHE[where] = Span.from_zero_based(*where)
    return span
