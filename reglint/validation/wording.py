"""The words of schema-violation messages: values, expected types, keys, suggestions.

Messages are read by people who wrote YAML, so a value is described the way YAML typed
it (`system: no` is "read as the boolean false") and comes with the fix (quote it).
Values are echoed only when they are short and the caller says the place is not secret.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

# Values longer than this, or with characters outside this set, are never echoed: the
# point of echoing is to recognise an enum-ish typo (`Allow` vs `allow`), not to print data.
_MAX_ECHO = 32
_ECHOABLE = re.compile(r"[A-Za-z0-9._:/@+-]*\Z")

_SCALAR_NOUNS = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean",
    "null": "null",
    "object": "a mapping",
    "array": "a list",
}

_BOOL_HINT = "quote it: YAML 1.1 reads unquoted yes/no, on/off and true/false as booleans"
_NUMBER_HINT = (
    "quote it to keep it as text: YAML reads unquoted digits as a number (and a leading 0 as octal)"
)
_DATE_HINT = "quote it: YAML reads an unquoted date or time as a timestamp"

# difflib similarity ratios: a typo (`imagePrefx`) is above _NEAR; _LOOSE is difflib's
# usual default, tried only after the prefix rule. Prefixes shorter than _MIN_AFFIX
# (`a`, `ab`) say too little to suggest anything.
_NEAR = 0.85
_LOOSE = 0.6
_MIN_AFFIX = 3


def quote(value: str) -> str:
    """`imagePrefix` -> `'imagePrefix'`, as messages show names and short values."""
    return repr(value)


def join_alternatives(words: Sequence[str], conjunction: str = "or") -> str:
    """`['a', 'b', 'c']` -> `a, b or c`."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def show_key(key: Hashable) -> str:
    """A mapping key as written in a message; non-string keys as YAML would print them."""
    if isinstance(key, str):
        return quote(key)
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, datetime.date):
        return key.isoformat()
    return str(key)


def echoable(value: Any) -> bool:
    """True for a short, plain string that may be repeated in a message."""
    return isinstance(value, str) and len(value) <= _MAX_ECHO and bool(_ECHOABLE.match(value))


def json_types(value: Any) -> frozenset[str]:
    """The JSON Schema types a Python value has (none for dates, bytes, sets…)."""
    if isinstance(value, bool):
        return frozenset({"boolean"})
    if isinstance(value, int):
        return frozenset({"integer", "number"})
    if isinstance(value, float):
        if not math.isfinite(value):
            return frozenset()  # .inf/.nan are not JSON numbers (jsonschema-rs agrees)
        return frozenset({"integer", "number"} if value.is_integer() else {"number"})
    if isinstance(value, str):
        return frozenset({"string"})
    if isinstance(value, list):
        return frozenset({"array"})
    if isinstance(value, dict):
        return frozenset({"object"})
    if value is None:
        return frozenset({"null"})
    return frozenset()


def read_as(value: Any, *, reveal: bool, key: bool = False) -> str:
    """How YAML/JSON typed a value: `it was read as the boolean false`, `it is a list`.

    With `reveal` false the value itself is not shown (a password typed as a boolean).
    """
    if value is None:
        # `Null:` as a key is YAML 1.1's null, not the IAM operator; `url:` is just empty.
        return "it was read as null" if key else "it is empty (null)"
    if isinstance(value, bool):
        if not reveal:
            return "it was read as a boolean"
        return f"it was read as the boolean {str(value).lower()}"
    if isinstance(value, float) and not math.isfinite(value):
        return "it was read as the special number .inf or .nan"
    if isinstance(value, int | float):
        text = str(value)
        shown = reveal and len(text) <= _MAX_ECHO
        return f"it was read as the number {text}" if shown else "it was read as a number"
    # datetime is a subclass of date, so it is tested first.
    if isinstance(value, datetime.datetime):
        return "it was read as a timestamp"
    if isinstance(value, datetime.date):
        return "it was read as a date"
    if isinstance(value, bytes | bytearray):
        return "it was read as binary data (!!binary)"
    if isinstance(value, set | frozenset):
        return "it was read as a set (!!set)"
    if isinstance(value, str):
        return "it is a string"
    if isinstance(value, list):
        return "it is a list"
    if isinstance(value, dict):
        return "it is a mapping"
    return f"it is a {type(value).__name__}"


def quoting_hint(value: Any) -> str:
    """The fix when YAML typed an unquoted scalar that was meant as a string, else ``""``."""
    if isinstance(value, bool):
        return _BOOL_HINT
    if isinstance(value, datetime.date):
        return _DATE_HINT
    if isinstance(value, float) and not math.isfinite(value):
        return ""  # `.inf` quoted is still no quantity: there is nothing to suggest
    if isinstance(value, int | float):
        return _NUMBER_HINT
    return ""


def pluralize(noun: str) -> str:
    """`a string` -> `strings`, `a mapping with 'fromEnv'` -> `mappings with 'fromEnv'`."""
    for article in ("a ", "an "):
        if noun.startswith(article):
            noun = noun[len(article) :]
            break
    head, _, tail = noun.partition(" ")
    return f"{head}s {tail}".rstrip() if head != "null" else noun


def type_nouns(types: Iterable[str]) -> list[str]:
    """`['string', 'number']` -> `['a string', 'a number']`."""
    return [_SCALAR_NOUNS.get(name, name) for name in types]


def unique_suggestion(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate `word` spells in another case or nearly (above `_NEAR`), or
    None when there is none, or more than one: what a fix may rename `word` to."""
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    lowered = word.lower()
    if lowered in by_lower:
        return by_lower[lowered]
    close = difflib.get_close_matches(lowered, list(by_lower), n=2, cutoff=_NEAR)
    return by_lower[close[0]] if len(close) == 1 else None


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` was probably meant as, or None.

    In order: the same name in another case; a near-identical spelling; the longest
    candidate `word` extends (`NullIfExists` -> `Null`, which takes no suffix); a looser
    spelling match; the one candidate `word` abbreviates (`prod` -> `production`).
    """
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    lowered = word.lower()
    if lowered in by_lower:
        return by_lower[lowered]
    close = difflib.get_close_matches(lowered, list(by_lower), n=1, cutoff=_NEAR)
    if close:
        return by_lower[close[0]]
    extended = [low for low in by_lower if len(low) >= _MIN_AFFIX and lowered.startswith(low)]
    if extended:
        return by_lower[max(extended, key=len)]
    close = difflib.get_close_matches(lowered, list(by_lower), n=1, cutoff=_LOOSE)
    if close:
        return by_lower[close[0]]
    if len(lowered) >= _MIN_AFFIX:
        abbreviated = [original for low, original in by_lower.items() if low.startswith(lowered)]
        if len(abbreviated) == 1:
            return abbreviated[0]
    return None
