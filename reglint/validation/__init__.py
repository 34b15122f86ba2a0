"""JSON Schema validation of manifests, IAM policies and the configuration.

`is_valid` is the fast check (jsonschema-rs, compiled once per process); `explain`
turns a failure into `SchemaViolation`s people can act on (the `jsonschema` library,
imported only then). Schemas live in `schemas/<name>.schema.json`.
"""

from __future__ import annotations

from typing import Any

from reglint.loading.positions import DataPath
from reglint.validation.fast_check import is_valid
from reglint.validation.store import SCHEMA_NAMES, SchemaName, load_schema, schema_file, schema_text
from reglint.validation.violation import SchemaViolation


def explain(
    name: SchemaName, data: Any, *, base: DataPath = ()
) -> list[SchemaViolation]:
    """Why `data` fails the schema, one violation per real problem (see explanation.py).

    The explanation machinery is imported only when a document fails: a clean run never
    pays for it (SPEC §5)."""
    from reglint.validation.explanation import explain as explain_failure

    return explain_failure(name, data, base=base)

__all__ = [
    "SCHEMA_NAMES",
    "SchemaName",
    "SchemaViolation",
    "explain",
    "is_valid",
    "load_schema",
    "schema_file",
    "schema_text",
]
