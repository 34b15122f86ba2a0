"""JSON text -> one document, parsed strictly by the C `json` scanner.

AWS parses IAM policies as strict JSON, so reglint rejects what AWS rejects: trailing
commas, comments, NaN/Infinity (which Python's `json` would accept) and raw control
characters in strings (rejected by `json`'s default `strict=True`). Positions are found
by a second, lazy pass over the text (json_positions.py): most files never need them.
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

from reglint.findings import Span
from reglint.loading.document import Limits, ParsedDocument, nests_deeper_than
from reglint.loading.errors import DuplicateKey, LoadError
from reglint.loading.json_positions import scan_positions
from reglint.loading.positions import LazyPositions, Positions, PositionTree

__all__ = ["load_json"]

_WHITESPACE = " \t\r\n"  # JSON's whitespace (RFC 8259 §2); nothing else may pad a value
# A `\uD800`-`\uDFFF` escape: a backslash that no other backslash escapes, then `u`.
_SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*(\\u([dD][89a-fA-F][0-9a-fA-F]{2}))")
_LOW_SURROGATE_ESCAPE = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


class _NonFinite(Exception):
    """Raised from `parse_constant`: the scanner keeps no position, the rescan finds it."""


def _reject_constant(name: str) -> NoReturn:
    raise _NonFinite(name)


def load_json(text: str, limits: Limits) -> list[ParsedDocument]:
    """Parse a JSON file into exactly one document ([] for empty or blank text)."""
    start = len(text) - len(text.lstrip(_WHITESPACE))
    if start == len(text):
        return []
    has_duplicates = False

    def unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # Costs a Python call per object, a few percent on policy-sized files; `dict`
        # keeps the last value of a repeated key, as AWS does.
        nonlocal has_duplicates
        obj = dict(pairs)
        if len(obj) != len(pairs):
            has_duplicates = True
        return obj

    try:
        data = json.loads(text, object_pairs_hook=unique_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        # `json` reports 1-based line and column (in characters) already.
        raise LoadError(_decoder_message(text, exc), Span.point(exc.lineno, exc.colno)) from None
    except (_NonFinite, RecursionError):
        _locate_failure(text, limits)
    except ValueError:
        # int() refuses numbers of more than 4300 digits (CVE-2020-10735 guard).
        raise LoadError("a number in the file has too many digits") from None
    if _may_be_too_deep(text, limits.max_depth) and nests_deeper_than(data, limits.max_depth):
        _locate_failure(text, limits)
    if "\\u" in text:
        _reject_lone_surrogates(text)
    duplicates: list[DuplicateKey] = []
    positions: Positions
    if has_duplicates:
        # RL003 needs the second occurrences' spans now, so the scan cannot wait.
        root, duplicates = scan_positions(text, limits.max_depth)
        positions = PositionTree(root)
    else:
        positions = LazyPositions(lambda: scan_positions(text, limits.max_depth)[0])
    return [ParsedDocument(data, positions, _value_span(text, start), duplicates)]


def _reject_lone_surrogates(text: str) -> None:
    """RL001 at the first `\\u` escape of a lone UTF-16 surrogate.

    `json` decodes one into a string that no UTF-8 output can encode; RFC 8259 §8.2 leaves
    such strings' behaviour unpredictable, and YAML rejects the same escape. The file
    parsed, so every backslash is in a string and every escape is well formed.
    """
    paired = -1  # where the low half of the last valid pair starts
    for match in _SURROGATE_ESCAPE.finditer(text):
        start = match.start(1)
        if start == paired:
            continue
        unit = int(match[2], 16)
        if unit < 0xDC00 and _LOW_SURROGATE_ESCAPE.match(text, start + 6):
            paired = start + 6
            continue
        line = text.count("\n", 0, start)
        column = start - (text.rfind("\n", 0, start) + 1)
        raise LoadError(
            f"invalid string escape: U+{unit:04X} is a lone UTF-16 surrogate, not a character",
            Span.from_zero_based(line, column, line, column + 6),
        )


def _decoder_message(text: str, exc: json.JSONDecodeError) -> str:
    """The decoder's message, with a hint for the two mistakes `json` words obscurely."""
    message = exc.msg.removesuffix(" at")  # "Invalid control character at"
    if text.startswith(("//", "/*", "#"), exc.pos):
        return f"{message} (comments are not allowed in JSON)"
    if text.startswith(("]", "}"), exc.pos) and text[: exc.pos].rstrip(_WHITESPACE).endswith(","):
        return f"{message} (a trailing comma is not allowed in JSON)"
    return message


def _locate_failure(text: str, limits: Limits) -> NoReturn:
    """Raise the scan's LoadError at the NaN/Infinity token or the too-deep container."""
    scan_positions(text, limits.max_depth)
    raise LoadError(f"nesting deeper than {limits.max_depth} levels")  # pragma: no cover


def _may_be_too_deep(text: str, max_depth: int) -> bool:
    # Each level opens a bracket, so few brackets (the usual policy) prove shallowness
    # at C speed; brackets inside strings only make this answer more cautious.
    return text.count("[") + text.count("{") > max_depth


def _value_span(text: str, start: int) -> Span:
    """The span of the top-level value: from its first to its last non-blank character."""
    end = len(text.rstrip(_WHITESPACE))
    line, end_line = text.count("\n", 0, start), text.count("\n", 0, end)
    column = start - (text.rfind("\n", 0, start) + 1)
    end_column = end - (text.rfind("\n", 0, end) + 1)
    return Span.from_zero_based(line, column, end_line, end_column)
