"""The pure-Python validator, extended to agree with jsonschema-rs.

`is_valid` answers with jsonschema-rs and `explain` with the `jsonschema` library; if
the two disagreed, a document could fail with nothing to explain (or pass the fast check
with an explainable problem). Two differences matter for reglint's schemas:

- `pattern`: JSON Schema patterns are ECMA-262 regular expressions, where `$` matches
  only at the very end. Python's `re` also matches `$` before a final newline, so a YAML
  block scalar such as `Sid: |` (which ends in "\\n") would pass in Python only.
- `number`: YAML's `.inf` and `.nan` load as floats; JSON has no such numbers and
  jsonschema-rs rejects them, so the Python type checker does too.

This module imports `jsonschema` (slow); import it only when it is needed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.protocols import Validator

from reglint.validation.store import SchemaName, load_schema


@cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """Compile an ECMA-262 pattern for Python: `$` outside a class becomes `\\Z`."""
    translated: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        translated.append(char)
    return re.compile("".join(translated))


def _pattern(
    validator: Validator, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"does not match {pattern!r}")


def _is_number(checker: Any, instance: Any) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, float):
        return math.isfinite(instance)
    return isinstance(instance, int)


_TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine("number", _is_number)

ReglintValidator: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=_TYPE_CHECKER,
)


@cache
def python_validator(name: SchemaName) -> Validator:
    """The explaining validator for schema `name`, built once per process."""
    return ReglintValidator(load_schema(name))
