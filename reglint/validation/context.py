"""What explaining one document needs to know, and the items it produces."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, NamedTuple

from reglint.loading.positions import DataPath, format_path
from reglint.validation.store import SchemaName

if TYPE_CHECKING:
    from jsonschema import ValidationError

# How the document itself is named when a problem sits at its root.
_ROOT_NOUNS: dict[SchemaName, str] = {
    "registry-service": "the manifest",
    "iam-policy": "the policy",
    "iam-resource-policy": "the policy",
    "iam-trust-policy": "the policy",
    "ecr-repository-policy": "the policy",
    "ecr-registry-policy": "the policy",
    "config": "the configuration",
}

# Subtrees whose values are never repeated in a message: credentials (SPEC §4). Keys
# are still named, values never, whatever the problem.
_SECRET_SUBTREES: dict[SchemaName, tuple[DataPath, ...]] = {
    "registry-service": (("spec", "auth"),),
}

# Local references only: reglint's schemas never point outside themselves.
_MAX_REF_HOPS = 16


class ItemKind(enum.Enum):
    """What an item is about; `explain` merges and de-duplicates by kind."""

    TYPE = "type"  # the value (or key) has the wrong type: outranks VALUE at the node
    VALUE = "value"  # the value breaks a keyword (enum, pattern, length…)
    MISSING = "missing"  # a mapping lacks a key (required, exactly one of)
    UNKNOWN = "unknown"  # a key the mapping does not allow
    OTHER = "other"  # anything else (both of two exclusive keys, a forbidden key)


class Item(NamedTuple):
    """A violation before merging, with what merging needs to know."""

    kind: ItemKind
    path: DataPath
    message: str
    identity: str
    on_key: bool = False
    missing: tuple[str, ...] = ()  # MISSING: the keys wanted at `path`
    suggestion: str | None = None  # UNKNOWN: the key probably meant
    rename: str | None = None  # UNKNOWN: the key a fix renames it to (one sure suggestion)


class Failure(NamedTuple):
    """One failed keyword, taken out of a `jsonschema.ValidationError` at the edge, so
    the rest of the package never handles the library's loosely typed record."""

    keyword: str  # `type`, `required`, `anyOf`…
    expected: Any  # the keyword's value in the schema: `["url"]`, `"string"`
    instance: Any  # the data that failed
    schema: dict[str, Any]  # the subschema holding the keyword
    path: DataPath  # where `instance` sits, relative to the validated data
    schema_path: tuple[str | int, ...]  # keywords from the enclosing choice (or root)

    @classmethod
    def of(cls, error: ValidationError) -> Failure:
        schema = error.schema
        return cls(
            keyword=str(error.validator),
            expected=error.validator_value,
            instance=error.instance,
            schema=schema if isinstance(schema, dict) else {},
            path=tuple(error.absolute_path),
            schema_path=tuple(error.relative_schema_path),
        )


class ExplainContext(NamedTuple):
    """The schema being explained and how to word places in the document."""

    schema: dict[str, Any]
    root_noun: str
    secret: tuple[DataPath, ...]
    base: DataPath = ()

    @classmethod
    def for_schema(
        cls, name: SchemaName, schema: dict[str, Any], base: DataPath = ()
    ) -> ExplainContext:
        return cls(schema, _ROOT_NOUNS[name], _SECRET_SUBTREES.get(name, ()), tuple(base))

    def where(self, path: DataPath) -> str:
        """A place as messages name it: `spec.auth.method`, or `the manifest` at the root."""
        full = self.base + path
        return format_path(full) if full else self.root_noun

    def reveals(self, path: DataPath) -> bool:
        """False inside a secret subtree, where no value may be echoed."""
        return not any(path[: len(prefix)] == prefix for prefix in self.secret)

    def resolve(self, schema: Any) -> dict[str, Any]:
        """`schema` with its local `$ref` followed (sibling keywords kept, as in 2020-12)."""
        for _ in range(_MAX_REF_HOPS):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                break
            target: Any = self.schema
            for part in schema["$ref"].removeprefix("#").strip("/").split("/"):
                if part:
                    target = target[part.replace("~1", "/").replace("~0", "~")]
            siblings = {key: value for key, value in schema.items() if key != "$ref"}
            schema = {**target, **siblings}
        return schema if isinstance(schema, dict) else {}
