"""The fast validity check: `is_valid`, on the hot path (every manifest and policy goes
through it), answers with a jsonschema-rs validator compiled once per process.

The pure-Python `jsonschema` library is slow to import (docs/measurements.md); it is
imported only to explain a failure (explanation.py), or here when a document holds a
value jsonschema-rs cannot take (YAML dates, bytes, sets, non-string keys).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema_rs

from reglint.validation.store import SchemaName, load_schema


@cache
def _compiled(name: SchemaName) -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(load_schema(name))


def is_valid(name: SchemaName, data: Any) -> bool:
    """True when `data` matches the schema `name`. Never raises for any loaded data."""
    try:
        return bool(_compiled(name).is_valid(data))
    except Exception:  # noqa: BLE001 - any value jsonschema-rs refuses to convert
        # jsonschema-rs converts the data to JSON values first and raises on what JSON
        # has no type for: date/datetime (unquoted `2024-01-01`), bytes (`!!binary`),
        # sets (`!!set`), non-string keys (`1:`, `null:`), lone surrogates. The Python
        # validator types those as "no JSON type", so they fail the schema where they
        # stand instead of crashing the run.
        from reglint.validation.python_validator import python_validator

        return bool(python_validator(name).is_valid(data))
