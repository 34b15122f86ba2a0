"""Terraform's `data "aws_iam_policy_document"` as the IAM JSON policy it renders (SPEC §6.2).

https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document

- `version` (default `2012-10-17`, as the provider renders it) -> `Version`; `policy_id`
  -> `Id`;
- each `statement` block -> a statement: `sid` -> `Sid`, `effect` (default `Allow`) ->
  `Effect`, `actions`/`not_actions` -> `Action`/`NotAction`, `resources`/
  `not_resources` -> `Resource`/`NotResource`;
- `principals`/`not_principals` blocks -> `Principal`/`NotPrincipal`, a mapping of each
  `type` to its `identifiers` (blocks of one type add up); type `*` with identifiers
  `["*"]` -> `"*"`;
- `condition` blocks -> `Condition`: `{test: {variable: values}}` (blocks of one test
  and variable add up their values);
- a `dynamic "statement"` (a `Placeholder` item) stays a placeholder statement, as
  does a plan's `statement` unknown as a whole (a `Placeholder` list);
- `source_policy_documents` and `override_policy_documents` are returned apart
  (`MergedDocuments`): the statements they add or replace are evaluated with the
  document (rights), while the document checks read each document where it is written.

The same shape is read from a plan's `values` (lists of blocks; empty lists and nulls
for what is not set). `sources` maps each path of the JSON policy to the path of the
block attribute it comes from, relative to the data source's body.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from reglint.iac.model import DataPath, Placeholder

__all__ = ["MergedDocuments", "policy_document"]

_ELEMENTS = (
    ("sid", "Sid"),
    ("effect", "Effect"),
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)
_PRINCIPALS = (("principals", "Principal"), ("not_principals", "NotPrincipal"))


class MergedDocuments(NamedTuple):
    """The documents whose statements a policy document adds to its own (in order), and
    those whose statements replace its own of the same `sid`."""

    sources: tuple[Any, ...]
    overrides: tuple[Any, ...]
    # Where each list sits: ("source_policy_documents",), ("override_policy_documents",)


def policy_document(body: Any) -> tuple[dict[str, Any], dict[DataPath, DataPath], MergedDocuments]:
    """The JSON policy of a data source's body, its source paths, and its merged documents."""
    body = body if isinstance(body, dict) else {}
    policy: dict[str, Any] = {}
    sources: dict[DataPath, DataPath] = {}
    version = body.get("version")
    policy["Version"] = version if version not in (None, "") else "2012-10-17"
    sources[("Version",)] = ("version",) if "version" in body else ()
    if body.get("policy_id") not in (None, ""):
        policy["Id"] = body["policy_id"]
        sources[("Id",)] = ("policy_id",)
    statements: list[Any] = []
    blocks = body.get("statement")
    if isinstance(blocks, Placeholder):  # a plan's `statement` known only after the apply
        blocks = [blocks]
    for index, block in enumerate(blocks if isinstance(blocks, list) else []):
        at: DataPath = ("Statement", len(statements))
        sources[at] = ("statement", index)
        statements.append(_statement(block, at, ("statement", index), sources))
    policy["Statement"] = statements
    merged = MergedDocuments(_list(body.get("source_policy_documents")),
                             _list(body.get("override_policy_documents")))  # fmt: skip
    return policy, sources, merged


def _list(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _statement(
    block: Any, at: DataPath, source: DataPath, sources: dict[DataPath, DataPath]
) -> Any:
    if not isinstance(block, dict):
        return block  # a `dynamic "statement"`: a placeholder statement
    statement: dict[str, Any] = {}
    for attribute, key in _ELEMENTS:
        value = block.get(attribute)
        if value is None or value == [] or value == "":
            continue
        statement[key] = value
        sources[(*at, key)] = (*source, attribute)
    statement.setdefault("Effect", "Allow")
    for attribute, key in _PRINCIPALS:
        principal = _principals(block.get(attribute), (*at, key), (*source, attribute), sources)
        if principal is not None:
            statement[key] = principal
    condition = _conditions(block.get("condition"), (*at, "Condition"), source, sources)
    if condition:
        statement["Condition"] = condition
    return statement


def _principals(
    blocks: Any, at: DataPath, source: DataPath, sources: dict[DataPath, DataPath]
) -> Any:
    if not isinstance(blocks, list) or not blocks:
        return None
    found: dict[Any, list[Any]] = {}
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        kind, identifiers = block.get("type"), block.get("identifiers")
        if not isinstance(kind, str | int):
            kind = str(getattr(kind, "text", kind))
        sources.setdefault(at, (*source, index))
        sources.setdefault((*at, kind), (*source, index, "identifiers"))
        items = found.setdefault(kind, [])
        for position, identifier in enumerate(identifiers if isinstance(identifiers, list) else [identifiers]):
            sources[(*at, kind, len(items))] = (*source, index, "identifiers", position)
            items.append(identifier)
    if list(found) == ["*"] and found["*"] == ["*"]:
        return "*"
    return found


def _conditions(
    blocks: Any, at: DataPath, source: DataPath, sources: dict[DataPath, DataPath]
) -> dict[Any, Any]:
    condition: dict[Any, dict[Any, list[Any]]] = {}
    for index, block in enumerate(blocks if isinstance(blocks, list) else []):
        if not isinstance(block, dict):
            continue
        test, variable, values = block.get("test"), block.get("variable"), block.get("values")
        test = test if isinstance(test, str) else str(getattr(test, "text", test))
        variable = variable if isinstance(variable, str) else str(getattr(variable, "text", variable))
        sources.setdefault((*at, test), (*source, "condition", index))
        sources.setdefault((*at, test, variable), (*source, "condition", index, "values"))
        items = condition.setdefault(test, {}).setdefault(variable, [])
        for position, value in enumerate(values if isinstance(values, list) else [values]):
            sources[(*at, test, variable, len(items))] = (
                *source, "condition", index, "values", position
            )  # fmt: skip
            items.append(value)
    return condition
