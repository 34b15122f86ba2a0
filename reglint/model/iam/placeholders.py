"""Policy entries that hold values known only at deploy time (SPEC §6.2), as patterns.

An IaC policy's string may be partly unknown (`arn:aws:ecr:${AWS::Region}:…:repository/x`,
`UnknownValue`): its pattern keeps the literal parts, with their own wildcards and
policy variables, and reads each unknown part as a `*` that may cross `:` (a placeholder
may stand for a whole ARN). `policy.Statement` decides where that reading applies and
where the entry is left out instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reglint.model.iam.automaton import RUN, Token
from reglint.model.iam.patterns import Pattern

if TYPE_CHECKING:
    from reglint.loading.document import UnknownValue

__all__ = ["EVERY_ACTION", "EVERY_RESOURCE", "open_action", "open_resource"]

EVERY_ACTION = Pattern.action("*")
EVERY_RESOURCE = Pattern.resource("*")


def open_action(unknown: UnknownValue) -> Pattern:
    """An Action entry with its unknown parts matching anything (case-insensitive)."""
    tokens: list[Token] = []
    for part in unknown.parts:
        if part is None:
            tokens.append(RUN)
        else:
            tokens.extend(_tokens(Pattern.action(part)))
    return Pattern(_written(unknown), tokens, case_insensitive=True)


def open_resource(unknown: UnknownValue, variables: bool) -> Pattern:
    """A Resource entry with its unknown parts matching anything, across segments too (a
    placeholder may stand for a whole ARN)."""
    tokens: list[Token] = []
    for part in unknown.parts:
        if part is None:
            tokens.append(RUN)
        else:
            tokens.extend(_tokens(Pattern.resource(part, variables=variables)))
    return Pattern(_written(unknown), tokens, case_insensitive=False)


def _tokens(pattern: Pattern) -> tuple[Token, ...]:
    tokens = pattern.tokens
    return tuple(tokens) if isinstance(tokens, str) else tokens


def _written(unknown: UnknownValue) -> str:
    names = iter(unknown.names)
    return "".join(part if part is not None else next(names, "*") for part in unknown.parts)
