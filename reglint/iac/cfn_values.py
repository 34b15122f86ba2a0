"""Small shared pieces of the CloudFormation reader: the bounds, notes, and how an
intrinsic is written in messages (`ABSENT`, the value of `!Ref AWS::NoValue`, is in
model.py: both readers share it).

Texts for messages (`Placeholder.text`, `Template.text`, `Choice.text`) are written the
same way whatever the template's format, so that equal unknowns compare equal: `Ref`
and `Fn::GetAtt` as `Fn::Sub` writes them (`${AWS::AccountId}`, `${Env}`,
`${Repo.Arn}`), other functions in YAML's short form (`!ImportValue SharedRepoArn`), at
most `MAX_TEXT` characters.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from reglint.iac.model import Choice, DataPath

__all__ = [
    "MAX_CHOICES",
    "MAX_DEPTH",
    "MAX_IF_NESTING",
    "MAX_TEXT",
    "Note",
    "alternatives",
    "short",
    "written",
]

MAX_IF_NESTING = 8  # SPEC §6.2: Fn::If nested deeper is a placeholder
# Nesting of data inside one resource's Properties (each level a few Python frames: the
# evaluator recurses); the YAML and JSON loaders allow 200 levels for the whole file.
MAX_DEPTH = 100
MAX_CHOICES = 16  # the branches a string built from several Fn::If values may have
MAX_TEXT = 120  # characters of a text written for a message


_QUOTED = re.compile(r'[ ,:\[\]{}"]')  # a string written with these is quoted


class Note(NamedTuple):
    """Something of the template reglint did not read, and where (a document path)."""

    path: DataPath
    message: str


def short(text: str, limit: int = MAX_TEXT) -> str:
    """`text`, cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def written(key: str, argument: Any) -> str:
    """An intrinsic as a message writes it: `!Join [":", [a, ${Env}]]`, shortened."""
    parts: list[str] = []
    _write({key: argument}, parts, MAX_TEXT + 1)
    return short("".join(parts))


def _write(value: Any, parts: list[str], budget: int) -> int:
    """Append `value`'s text to `parts` until `budget` characters; returns what is left.

    Each level writes at least one character, so the recursion is as deep as the budget."""
    if budget <= 0:
        return 0
    if isinstance(value, dict) and len(value) == 1:
        key, argument = next(iter(value.items()))
        name = _sub_name(key, argument)
        if name is not None:
            return _put("${" + name + "}", parts, budget)
        if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")):
            budget = _put(f"!{key.removeprefix('Fn::')} ", parts, budget)
            return _write(argument, parts, budget)
    if isinstance(value, dict):
        budget = _put("{", parts, budget)
        for index, (key, item) in enumerate(value.items()):
            budget = _put(f"{', ' if index else ''}{key}: ", parts, budget)
            budget = _write(item, parts, budget)
            if budget <= 0:
                return 0
        return _put("}", parts, budget)
    if isinstance(value, list):
        budget = _put("[", parts, budget)
        for index, item in enumerate(value):
            budget = _write(item, parts, _put(", ", parts, budget) if index else budget)
            if budget <= 0:
                return 0
        return _put("]", parts, budget)
    if isinstance(value, str):
        value = value[: budget + 1]  # never copy more of a long string than is written
        return _put(f'"{value}"' if not value or _QUOTED.search(value) else value, parts, budget)
    return _put(str(getattr(value, "text", value)), parts, budget)


def _sub_name(key: Any, argument: Any) -> str | None:
    """`Ref X` and `Fn::GetAtt [X, Y]` as `Fn::Sub` names them (`X`, `X.Y`), else None."""
    if key == "Ref" and isinstance(argument, str):
        return argument
    if key != "Fn::GetAtt":
        return None
    if isinstance(argument, str):
        return argument
    if (
        isinstance(argument, list)
        and 1 <= len(argument) <= 2
        and all(isinstance(n, str) for n in argument)
    ):
        return ".".join(argument)
    return None


def _put(text: str, parts: list[str], budget: int) -> int:
    parts.append(text[:budget])
    return budget - len(text)


def alternatives(value: Any) -> list[Any]:
    """The values a value may take: a `Choice`'s branches (nested ones too), else itself."""
    if not isinstance(value, Choice):
        return [value]
    found: list[Any] = []
    pending = list(reversed(value.branches))
    while pending:  # Choices nest at most MAX_IF_NESTING deep; a stack keeps it flat
        branch = pending.pop()
        if isinstance(branch, Choice):
            pending.extend(reversed(branch.branches))
        else:
            found.append(branch)
    return found
