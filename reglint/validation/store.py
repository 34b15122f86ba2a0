"""reglint's JSON Schemas: loading them and the fast validity check.

`is_valid` is the hot path (every manifest and policy goes through it), so it uses a
jsonschema-rs validator compiled once per process. The pure-Python `jsonschema` library
costs ~76 ms to import; it is imported only to explain a failure, or when a document
holds a value jsonschema-rs cannot take (YAML dates, bytes, sets, non-string keys).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import jsonschema_rs

from reglint.resources import data_path

SchemaName = Literal["registry-service", "iam-policy", "config"]
SCHEMA_NAMES: tuple[SchemaName, ...] = get_args(SchemaName)


def schema_file(name: SchemaName) -> Path:
    """Where the schema `name` is stored (`schemas/<name>.schema.json`)."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    return data_path("schemas") / f"{name}.schema.json"


@cache
def load_schema(name: SchemaName) -> dict[str, Any]:
    """The parsed schema `name`, read once per process. Shared: do not mutate it."""
    with schema_file(name).open(encoding="utf-8") as stream:
        schema: dict[str, Any] = json.load(stream)
    return schema


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
