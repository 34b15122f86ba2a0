"""`[tool.reglint]` from a TOML config (`pyproject.toml`), parsed in bounded time and memory.

tomllib is the parser, but two TOML shapes cost it far more than their size:

- nested arrays and inline tables recurse once per level (a RecursionError at ~1,000);
- a dotted key or table header of n parts makes it keep n tuples of up to n parts
  (to check that no namespace is redefined): 80,000 parts, 160 KB of text, took
  24 GB before the kernel killed the run.

So before tomllib sees the text, `dotted_key_cost` adds up, line by line, the square of
the number of dots outside strings and comments (plus the enclosing table header's),
and a text over `DOTTED_KEY_BUDGET` is refused. A real `pyproject.toml` costs a few
thousand; floats and times, whose dots also count, would need hundreds of long lines of
them to get near the budget.
"""

from __future__ import annotations

import re
from typing import Any

from reglint.loading.document import nests_deeper_than
from reglint.loading.errors import LoadError

DOTTED_KEY_BUDGET = 2_000_000  # ~16 MB of tomllib's key tuples at worst
# What the scan stops at: a quote, a comment, a dot, a line end, a table header's `[`.
_MARK = re.compile(r"[\"'#.\n\[]")


class TomlError(ValueError):
    """A TOML text tomllib refuses: its message, position included."""


def load_toml_table(text: str, max_depth: int) -> Any:
    """The `[tool.reglint]` table of `text` (`{}` when absent), or `TomlError`/`LoadError`
    (for a shape reglint refuses to parse; the message names the limit)."""
    import tomllib

    if dotted_key_cost(text) > DOTTED_KEY_BUDGET:
        raise LoadError("dotted keys or table headers too long or too many to parse safely")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlError(f"invalid TOML ({exc})") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise LoadError(f"nesting deeper than {max_depth} levels") from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise TomlError("[tool] must be a table")
    table = tool.get("reglint", {})
    if not isinstance(table, dict):
        raise TomlError("[tool.reglint] must be a table")
    if nests_deeper_than(table, max_depth):  # dotted keys nest without recursion
        raise LoadError(f"nesting deeper than {max_depth} levels")
    return table


def dotted_key_cost(text: str) -> int:
    """Σ over lines of (dots on the line + dots of its table header)², for lines with dots;
    dots inside strings and comments do not count. Each character is looked at once."""
    cost = header = line = 0
    blank = True  # nothing but spaces so far on this line: a `[` here opens a table header
    position = 0
    while (mark := _MARK.search(text, position)) is not None:
        at = mark.start()
        char = text[at]
        blank = blank and not text[position:at].strip()
        position = at + 1
        if char == "\n":
            cost += (line + header) ** 2 if line else 0
            line, blank = 0, True
            continue
        if char == ".":
            line += 1
        elif char == "[" and blank:  # its dots stay with the keys below it
            position = _line_end(text, at)
            header, line = text[at:position].count("."), 0
            cost += header**2
        elif char == "#":
            position = _line_end(text, at)
        elif char != "[":
            position = _string_end(text, at)
        blank = False
    return cost + ((line + header) ** 2 if line else 0)


def _line_end(text: str, at: int) -> int:
    newline = text.find("\n", at)
    return len(text) if newline < 0 else newline


def _string_end(text: str, at: int) -> int:
    """Where the string starting at `at` ends (after its closing quote), or the text's end
    for an unterminated one (tomllib then reports it)."""
    quote = text[at]
    if text.startswith(quote * 3, at):
        close, start = quote * 3, at + 3
    else:
        close, start = quote, at + 1
    while True:
        found = text.find(close, start)
        if found < 0:
            return len(text)
        if quote == "'" or not _escaped(text, found):
            end = found + len(close)
            if len(close) == 3:  # `""""` ends with content `"`: up to two quotes precede the delimiter
                while end < len(text) and text[end] == quote and end - found < 5:
                    end += 1
            return end
        start = found + 1


def _escaped(text: str, at: int) -> bool:
    """True when the quote at `at` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


