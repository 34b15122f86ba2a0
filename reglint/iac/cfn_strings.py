"""Strings that CloudFormation builds (`Fn::Sub`, `Fn::Join`), as far as a template alone
allows: a plain string when every piece is literal, else a `Template` of literal text,
placeholders and references (SPEC §6.2).

- A piece that is a `Choice` (an `Fn::If`) makes a `Choice` of the strings built from
  each combination of branches, at most `MAX_CHOICES` of them; more is a placeholder.
  In `Fn::Join`, a branch `AWS::NoValue` removes its item (and its delimiter).
- Numbers and booleans join as CloudFormation writes them (`8080`, `true`); a list, a
  mapping or `null` where a string belongs is a placeholder (CloudFormation would
  refuse the template).
- `Fn::Sub`: `${Name}` is looked up by the caller (its variables, then parameters,
  pseudo parameters and resources); `${!Literal}` is the literal text `${Literal}`; a
  `${` without its `}` is literal text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

from reglint.iac.cfn_values import MAX_CHOICES, MAX_TEXT, alternatives, short
from reglint.iac.model import Absent, Choice, Placeholder, Reference, Template

__all__ = ["concatenate", "sub_pieces"]

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_Part = str | Placeholder | Reference


def sub_pieces(text: str, lookup: Callable[[str], Any]) -> list[Any]:
    """The pieces of an `Fn::Sub` string: literal text, and the value of each variable."""
    pieces: list[Any] = []
    done = 0
    for match in _VARIABLE.finditer(text):
        name = match[1]
        if name.startswith("!"):  # `${!Literal}` writes `${Literal}`
            pieces.append(text[done : match.start()] + "${" + name[1:] + "}")
        else:
            pieces.append(text[done : match.start()])
            pieces.append(lookup(name))
        done = match.end()
    pieces.append(text[done:])
    return pieces


def concatenate(pieces: Sequence[Any], separator: str, text: str, *, join: bool) -> Any:
    """The string that `pieces` make with `separator` between them.

    `join`: the pieces are the items of an `Fn::Join` list (an absent item is dropped);
    else of an `Fn::Sub` (an absent value makes the whole unknown). `text` is how the
    function is written, for a placeholder."""
    choices = [alternatives(piece) for piece in pieces]
    count = 1
    for branches in choices:
        count *= len(branches)
        if count > MAX_CHOICES:
            return Placeholder(text)
    if count == 1:
        return _joined([branches[0] for branches in choices], separator, text, join)
    results: list[Any] = []
    for combination in itertools.product(*choices):
        result = _joined(combination, separator, text, join)
        if result not in results:
            results.append(result)
    return results[0] if len(results) == 1 else Choice(tuple(results), text)


def _joined(pieces: Sequence[Any], separator: str, text: str, join: bool) -> Any:
    parts: list[_Part] = []
    first = True
    for piece in pieces:
        if isinstance(piece, Absent):
            if join:
                continue
            return Placeholder(text)
        if not first and separator:
            parts.append(separator)
        first = False
        if isinstance(piece, Template):
            parts.extend(piece.parts)
        elif isinstance(piece, (str, Placeholder, Reference)):
            parts.append(piece)
        elif isinstance(piece, bool):
            parts.append("true" if piece else "false")
        elif isinstance(piece, (int, float)):
            parts.append(str(piece))
        else:  # a list, a mapping, null: not a string
            return Placeholder(text)
    return _template(parts)


def _template(parts: list[_Part]) -> Any:
    """A string from literal and unknown parts: adjacent literals merged; a plain string
    when all are literal; the unknown itself when it is the only part."""
    merged: list[_Part] = []
    literal: list[str] = []
    for part in parts:
        if isinstance(part, str):
            literal.append(part)
            continue
        if literal:
            merged.append("".join(literal))
            literal = []
        merged.append(part)
    if literal or not merged:
        merged.append("".join(literal))
    if len(merged) == 1:
        return merged[0]
    merged = [part for part in merged if part != ""]
    if len(merged) == 1:
        return merged[0]
    written: list[str] = []
    length = 0
    for part in merged:  # only as much text as a message shows: a Join may have 100,000 parts
        written.append(part if isinstance(part, str) else part.text)
        length += len(written[-1])
        if length > MAX_TEXT:
            break
    return Template(tuple(merged), short("".join(written)))
