"""reglint's JSON Schemas: their names, where they are stored, and loading them.

Most schemas are a file, `schemas/<name>.schema.json`. The policy types other than
identity (SPEC §6.1) are *entry points* into `iam-policy.schema.json`: each is one of its
`$defs`, served as a root schema with the file's `$defs` beside it, so that every policy
type shares one statement and condition grammar and still reads as a schema of its own
(`reglint schema iam-trust-policy` prints it whole, for editors).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from reglint.package_data import data_path

SchemaName = Literal[
    "registry-service",
    "iam-policy",
    "iam-resource-policy",
    "iam-trust-policy",
    "ecr-repository-policy",
    "ecr-registry-policy",
    "config",
]
SCHEMA_NAMES: tuple[SchemaName, ...] = get_args(SchemaName)

# Entry point -> (the file that holds it, its `$defs` key).
_ENTRY_POINTS: dict[SchemaName, tuple[SchemaName, str]] = {
    "iam-resource-policy": ("iam-policy", "resourcePolicy"),
    "iam-trust-policy": ("iam-policy", "trustPolicy"),
    "ecr-repository-policy": ("iam-policy", "ecrRepositoryPolicy"),
    "ecr-registry-policy": ("iam-policy", "ecrRegistryPolicy"),
}


def schema_file(name: SchemaName) -> Path:
    """Where the schema `name` is stored (`schemas/<name>.schema.json`, or the file that
    holds it as an entry point)."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    stored = _ENTRY_POINTS[name][0] if name in _ENTRY_POINTS else name
    return data_path("schemas") / f"{stored}.schema.json"


@cache
def load_schema(name: SchemaName) -> dict[str, Any]:
    """The parsed schema `name`, read once per process. Shared: do not mutate it."""
    if name in _ENTRY_POINTS:
        stored, key = _ENTRY_POINTS[name]
        holder = load_schema(stored)
        return {
            "$schema": holder["$schema"],
            "$id": f"https://reglint.dev/schemas/{name}.json",
            **holder["$defs"][key],
            "$defs": holder["$defs"],
        }
    with schema_file(name).open(encoding="utf-8") as stream:
        schema: dict[str, Any] = json.load(stream)
    return schema


def schema_text(name: SchemaName) -> str:
    """The schema `name` as `reglint schema` prints it: a file as written, an entry point
    as a whole schema of its own."""
    if name in _ENTRY_POINTS:
        return json.dumps(load_schema(name), indent=2, ensure_ascii=False) + "\n"
    return schema_file(name).read_text(encoding="utf-8")
