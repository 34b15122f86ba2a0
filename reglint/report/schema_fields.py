"""How `reglint schema NAME --format markdown` prints a JSON Schema: one table row per
key a document may hold — its dotted path, type, whether it is required, its default,
its allowed values and its meaning (the schema's `description`).

The README's manifest field table is this output for `registry-service`, so the table
cannot drift from the schema (tests/test_manifest_fields.py). The walk follows what
reglint's schemas use: `properties`, `$ref` into `$defs`, the object forms of an
`anyOf`/`oneOf` (a password given as a string or as `{fromSecret: …}`) and the items of
an array (`Statement[].Action`). A key is "required" when its parent mapping must have
it; a key required only under an `if`/`then` condition says which.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from reglint.report.rules import table_cell

Schema = Mapping[str, Any]

HEADER = "| field | type | required | default | allowed values | meaning |\n|---|---|---|---|---|---|\n"

_TYPE_NAMES = {"object": "mapping", "array": "list"}


class FieldRow(NamedTuple):
    path: str
    type: str
    required: str
    default: str
    allowed: str
    meaning: str


def fields_markdown(schema: Schema) -> str:
    """The schema's keys as a Markdown table."""
    rows = _fields(schema, schema, "")
    return HEADER + "".join(
        f"| `{row.path}` | {row.type} | {row.required} | {row.default} | {table_cell(row.allowed)} "
        f"| {table_cell(row.meaning)} |\n"
        for row in rows
    )


class _Requirement(NamedTuple):
    """Which keys of one mapping are required: always, or under a condition."""

    always: frozenset[str]
    when: dict[str, str]  # key -> "when `type` is `external`"

    @classmethod
    def of(cls, node: Schema) -> _Requirement:
        condition = _condition(node.get("if"))
        when = {key: condition for key in (node.get("then") or {}).get("required", ())}
        return cls(frozenset(node.get("required", ())), when)

    def text(self, key: str, in_form: bool) -> str:
        if key in self.always:
            return "yes, in this form" if in_form else "yes"
        return self.when.get(key, "no")


def _fields(root: Schema, node: Schema, prefix: str, in_form: bool = False) -> Iterator[FieldRow]:
    """A row for each key of one mapping, each followed by the keys below it."""
    node = _resolve(root, node)
    requirement = _Requirement.of(node)
    for key, child in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        resolved = _resolve(root, child)
        yield FieldRow(
            path,
            _type(root, resolved),
            requirement.text(key, in_form),
            f"`{_scalar(resolved['default'])}`" if "default" in resolved else "",
            _allowed(resolved),
            str(child.get("description") or resolved.get("description") or ""),
        )
        yield from _children(root, resolved, path)


def _children(root: Schema, node: Schema, path: str) -> Iterator[FieldRow]:
    """The keys below one key: its own mapping, its object forms, its list items."""
    forms = [_resolve(root, form) for form in node.get("anyOf", node.get("oneOf", ()))]
    mappings = [form for form in forms if form.get("properties")]
    if node.get("properties"):
        yield from _fields(root, node, path)
    for form in mappings:
        yield from _fields(root, form, path, in_form=len(mappings) > 1)
    for form in forms:
        # A list of the same mappings (one statement or a list of them) adds no keys.
        if form.get("items") and _resolve(root, form["items"]) not in mappings:
            yield from _children(root, form, path)
    if node.get("items"):
        yield from _children(root, _resolve(root, node["items"]), f"{path}[]")


def _resolve(root: Schema, node: Schema) -> Schema:
    """A subschema with its local `$ref` (`#/$defs/name`) merged in; local keys win."""
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return node
    target = _resolve(root, root.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {}))
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _type(root: Schema, node: Schema) -> str:
    names: list[str] = []
    for form in [node, *node.get("anyOf", node.get("oneOf", ()))]:
        form = _resolve(root, form)
        kinds = form.get("type", [])
        for kind in [kinds] if isinstance(kinds, str) else kinds:
            name = _TYPE_NAMES.get(kind, kind)
            if kind == "array":
                item = _type(root, _resolve(root, form.get("items") or {}))
                name = f"list of {item}s" if item and " " not in item else "list"
            if name not in names:
                names.append(name)
    return " or ".join(names)


def _allowed(node: Schema) -> str:
    if node.get("not") == {}:
        return "not allowed"
    if "const" in node:
        return f"`{_scalar(node['const'])}`"
    if "enum" in node:
        return ", ".join(f"`{_scalar(value)}`" for value in node["enum"])
    limits = []
    if isinstance(node.get("errorMessage"), str) and "pattern" in node:
        limits.append(node["errorMessage"].removeprefix("must be "))
    if node.get("minLength") == 1:
        limits.append("not empty")
    if "maxLength" in node:
        limits.append(f"at most {node['maxLength']} characters")
    return "; ".join(limits)


def _condition(node: Schema | None) -> str:
    """`when `type` is `external`` for an `if` that fixes one key to a constant."""
    if not node:
        return "under a condition"
    tests = [f"`{key}` is `{_scalar(sub['const'])}`" for key, sub in node.get("properties", {}).items() if "const" in sub]
    return "when " + " and ".join(tests) if tests else "under a condition"


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
