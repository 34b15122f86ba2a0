"""Explaining why a document fails its schema: one violation per real problem.

jsonschema reports every keyword that failed, and for `anyOf`/`oneOf` every branch that
failed, which for a human is mostly noise. This module walks that error tree and keeps
what a person would fix:

- of the branches of an `anyOf`/`oneOf`, only the one that fits the shape actually given
  (a password given as a mapping is explained as `{fromEnv}` or `{fromSecret}`, a
  `Statement` given as a mapping as one statement, not as a list);
- branches that differ by a required key ("exactly one of `Action`/`NotAction`") become
  one message: both given, or neither;
- an unknown key that is a misspelling of a missing required key is one problem, not two;
- a type error at a node hides the other keyword errors at that node (`enum` after
  `type` says nothing new).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from reglint.loading.positions import DataPath
from reglint.validation.context import ExplainContext, Failure, Item, ItemKind
from reglint.validation.keywords import (
    HANDLERS,
    expected_nouns,
    property_name_items,
    schema_types,
    type_item,
    unknown_key_items,
)
from reglint.validation.store import SchemaName, load_schema
from reglint.validation.violation import SchemaViolation
from reglint.validation.wording import join_alternatives, json_types, quote

if TYPE_CHECKING:
    from jsonschema import ValidationError


def explain(name: SchemaName, data: Any, *, base: DataPath = ()) -> list[SchemaViolation]:
    """The problems that make `data` fail the schema `name` (empty when it passes).

    Paths are relative to `data`; `base` is only prefixed to the paths that messages
    show (an unwrapped policy is named `PolicyVersion.Document.Statement[0]`).
    """
    from reglint.validation.python_validator import python_validator  # slow import

    context = ExplainContext.for_schema(name, load_schema(name), base)
    items: list[Item] = []
    for error in python_validator(name).iter_errors(data):
        items.extend(explain_error(error, context))
    return [
        SchemaViolation(item.path, item.message, item.on_key, item.identity, item.rename)
        for item in _merge(items)
    ]


def explain_error(error: ValidationError, ctx: ExplainContext) -> list[Item]:
    """The items one jsonschema error (and, for a choice, its best branch) stands for."""
    failure = Failure.of(error)
    # propertyNames checks each key as an instance of its own, at the mapping's path.
    if failure.schema_path[-2:-1] == ("propertyNames",):
        return property_name_items(failure, ctx)
    if failure.keyword in ("anyOf", "oneOf"):
        return _explain_choice(failure, list(error.context or ()), ctx)
    handler = HANDLERS.get(failure.keyword)
    if handler is not None:
        return handler(failure, ctx)
    message = f"{ctx.where(failure.path)} is not valid ({failure.keyword})"
    return [Item(ItemKind.VALUE, failure.path, message, failure.keyword)]


def _explain_choice(
    failure: Failure, context: list[ValidationError], ctx: ExplainContext
) -> list[Item]:
    """Explain an `anyOf`/`oneOf` against the branch that fits what was given."""
    instance, path = failure.instance, failure.path
    branches = [ctx.resolve(branch) for branch in failure.expected]
    fitting = [index for index, branch in enumerate(branches) if _fits_type(branch, instance)]
    keyed = isinstance(instance, dict) and all(branches[i].get("required") for i in fitting)
    if not context:
        # oneOf without sub-errors: the instance matched several branches.
        if keyed:
            return [_several_given(path, instance, [branches[i] for i in fitting], ctx)]
        message = f"{ctx.where(path)} matches more than one of the allowed forms"
        return [Item(ItemKind.VALUE, path, message, "oneOf")]
    if not fitting:
        nouns = [noun for branch in branches for noun in expected_nouns(branch, ctx)]
        wants_string = any("string" in schema_types(branch) for branch in branches)
        return [type_item(path, instance, nouns, wants_string, ctx)]

    by_branch: dict[int, list[ValidationError]] = {}
    for sub in context:
        by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    if keyed:
        given = [i for i in fitting if all(key in instance for key in branches[i]["required"])]
        if len(given) >= 2:
            return [_several_given(path, instance, [branches[i] for i in given], ctx)]
        if not given:
            narrowed = len(fitting) < len(branches)
            return _none_given(failure, [branches[i] for i in fitting], narrowed, ctx)
        fitting = given
    # Several branches fit equally (no key tells them apart): the one with fewest errors.
    best = min(fitting, key=lambda index: len(by_branch.get(index, ())))
    return [item for sub in by_branch.get(best, ()) for item in explain_error(sub, ctx)]


def _fits_type(branch: dict[str, Any], instance: Any) -> bool:
    types = schema_types(branch)
    return not types or bool(json_types(instance) & set(types))


def _discriminators(branches: Sequence[dict[str, Any]]) -> list[str]:
    """The key that selects each branch (its first required key)."""
    return [str(branch["required"][0]) for branch in branches]


def _several_given(
    path: DataPath,
    instance: dict[Hashable, Any],
    branches: Sequence[dict[str, Any]],
    ctx: ExplainContext,
) -> Item:
    """`Statement[0] has both 'Action' and 'NotAction'`, at the later of the keys."""
    keys = _discriminators(branches)
    present = [key for key in instance if key in keys]
    both = "both " if len(present) == 2 else ""
    message = (
        f"{ctx.where(path)} has {both}{join_alternatives([quote(k) for k in present], 'and')}; "
        "exactly one of them is allowed"
    )
    later = present[-1] if present else None
    at: DataPath = (*path, later) if later is not None else path
    return Item(ItemKind.OTHER, at, message, f"exactly-one:{'|'.join(keys)}", later is not None)


def _none_given(
    failure: Failure, branches: Sequence[dict[str, Any]], narrowed: bool, ctx: ExplainContext
) -> list[Item]:
    """A mapping with none of the keys that select a branch: say which keys it needs,
    and name its unknown keys when every such branch is closed."""
    keys = _discriminators(branches)
    instance, path = failure.instance, failure.path
    items: list[Item] = []
    if all(branch.get("additionalProperties") is False for branch in branches):
        known = [name for branch in branches for name in branch.get("properties", {})]
        items.extend(unknown_key_items(instance, path, known, known, ctx))
    exactly = "exactly " if failure.keyword == "oneOf" else ""
    shape = ", given as a mapping," if narrowed else ""
    neither = (" and has neither" if len(keys) == 2 else " and has none") if exactly else ""
    alternatives = join_alternatives([quote(key) for key in keys])
    message = f"{ctx.where(path)}{shape} needs {exactly}one of {alternatives}{neither}"
    items.append(
        Item(ItemKind.MISSING, path, message, f"one-of:{'|'.join(keys)}", missing=tuple(keys))
    )
    return items


# Kinds a type error at the same node (or key) makes redundant.
_OUTRANKED = frozenset({ItemKind.VALUE, ItemKind.UNKNOWN})


def _merge(items: list[Item]) -> list[Item]:
    """Drop what repeats a problem already said, keeping the order found."""
    typed = {(item.path, item.on_key) for item in items if item.kind is ItemKind.TYPE}
    suggested = {(item.path[:-1], item.suggestion) for item in items if item.suggestion is not None}
    kept: list[Item] = []
    seen: set[tuple[DataPath, bool, str]] = set()
    for item in items:
        if item.kind in _OUTRANKED and (item.path, item.on_key) in typed:
            continue  # `must be a string` already covers `must be one of …`
        if item.kind is ItemKind.MISSING and any((item.path, k) in suggested for k in item.missing):
            continue  # `unknown key 'metdata'; did you mean 'metadata'?` covers it
        # A key forbidden twice over (a NotResource beside a Resource, in a policy that
        # allows neither) is one problem: the first reason found is kept.
        forbidden = item.identity.startswith("forbidden-key:")
        signature = (item.path, item.on_key, item.identity if forbidden else item.message)
        if signature not in seen:
            seen.add(signature)
            kept.append(item)
    return kept
