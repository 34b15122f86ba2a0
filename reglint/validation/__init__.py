"""JSON Schema validation of manifests, IAM policies and the configuration.

`is_valid` is the fast check (jsonschema-rs, compiled once per process); `explain`
turns a failure into `SchemaViolation`s people can act on (the `jsonschema` library,
imported only then). Schemas live in `schemas/<name>.schema.json`.
"""

from __future__ import annotations

from reglint.validation.explain import explain
from reglint.validation.store import SCHEMA_NAMES, SchemaName, is_valid, load_schema, schema_file
from reglint.validation.violation import SchemaViolation

__all__ = [
    "SCHEMA_NAMES",
    "SchemaName",
    "SchemaViolation",
    "explain",
    "is_valid",
    "load_schema",
    "schema_file",
]
