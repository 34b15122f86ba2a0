"""One message per failed schema keyword (the leaves of jsonschema's error tree).

Each handler takes a `Failure` (one failed keyword) and the explain context, and
returns reglint's own items. The library's messages are never used: they `repr()` the
failing value (a password, a whole statement).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from reglint.loading.positions import DataPath
from reglint.validation.context import ExplainContext, Failure, Item, ItemKind
from reglint.validation.wording import (
    echoable,
    join_alternatives,
    pluralize,
    quote,
    quoting_hint,
    read_as,
    show_key,
    suggest,
    type_nouns,
    unique_suggestion,
)

Handler = Callable[[Failure, ExplainContext], list[Item]]

# Enums up to this size are listed in full; longer ones (condition operators) only
# yield a "did you mean".
_MAX_LISTED = 8


def schema_types(schema: dict[str, Any]) -> list[str]:
    """The `type` keyword of a (resolved) schema as a list."""
    types = schema.get("type", [])
    return [types] if isinstance(types, str) else list(types)


def expected_nouns(schema: Any, ctx: ExplainContext) -> list[str]:
    """What a schema wants, in words: `['a string', 'a list of strings']`."""
    schema = ctx.resolve(schema)
    if "const" in schema:
        return [_show_value(schema["const"])]
    types = schema_types(schema)
    nouns: list[str] = []
    for name in types:
        if name == "array" and "items" in schema:
            item_types = schema_types(ctx.resolve(schema["items"]))
            if len(item_types) > 1 and set(item_types) <= set(types):
                nouns.append("a list of them")  # `a string, a number or a list of them`
            else:
                plural = [pluralize(noun) for noun in expected_nouns(schema["items"], ctx)]
                nouns.append(f"a list of {join_alternatives(plural)}")
        elif name == "object" and len(schema.get("properties", {})) == 1:
            nouns.append(f"a mapping with {quote(next(iter(schema['properties'])))}")
        else:
            nouns.extend(type_nouns([name]))
    return nouns or ["a value of another kind"]


def type_item(
    path: DataPath, value: Any, nouns: Iterable[str], wants_string: bool, ctx: ExplainContext
) -> Item:
    """`metadata.system must be a string, but it was read as the boolean false; quote it…`."""
    unique = list(dict.fromkeys(nouns))
    message = (
        f"{ctx.where(path)} must be {join_alternatives(unique)}, "
        f"but {read_as(value, reveal=ctx.reveals(path))}"
    )
    hint = quoting_hint(value) if wants_string else ""
    return Item(ItemKind.TYPE, path, f"{message}; {hint}" if hint else message, "type")


def unknown_key_items(
    instance: dict[Hashable, Any],
    path: DataPath,
    known: Iterable[str],
    allowed: Iterable[str],
    ctx: ExplainContext,
) -> list[Item]:
    """One item per key of `instance` not in `known`, at the key, with a suggestion
    among the `allowed` keys the mapping does not have yet."""
    known = list(known)
    listed = list(dict.fromkeys(allowed))
    absent = [name for name in listed if name not in instance]
    items = []
    for key in instance:
        if key in known:
            continue
        twin = _given_in_another_case(key, listed, instance)
        hint = suggest(key, absent) if isinstance(key, str) and twin is None else None
        message = f"unknown key {show_key(key)} in {ctx.where(path)}"
        if not isinstance(key, str):
            message += f" ({read_as(key, reveal=True, key=True).removeprefix('it ')})"
        if twin is not None:
            message += f"; keys are case-sensitive, and {quote(twin)} is given already"
        elif hint:
            message += f"; did you mean {quote(hint)}?"
        elif listed:
            message += f"; allowed keys: {', '.join(listed)}"
        identity = f"unknown-key:{_plain_key(key)}"
        rename = hint if hint is not None and unique_suggestion(str(key), absent) == hint else None
        items.append(
            Item(
                ItemKind.UNKNOWN, (*path, key), message, identity, on_key=True, suggestion=hint,
                rename=rename,
            )
        )
    return items


def _given_in_another_case(
    key: Hashable, allowed: Iterable[str], instance: dict[Hashable, Any]
) -> str | None:
    """The allowed key that `key` spells in another case and that is given too, or None
    (`principal` beside `Principal`: suggesting `NotPrincipal` would mislead)."""
    if not isinstance(key, str):
        return None
    return next((name for name in allowed if name != key and name.lower() == key.lower() and name in instance), None)


def is_forbidden(schema: Any) -> bool:
    """A property schema `{"not": {}}` forbids its key (`Principal` in identity policies)."""
    return isinstance(schema, dict) and schema.get("not") == {}


def _additional_properties(failure: Failure, ctx: ExplainContext) -> list[Item]:
    properties: dict[str, Any] = failure.schema.get("properties", {})
    allowed = [name for name, schema in properties.items() if not is_forbidden(schema)]
    return unknown_key_items(failure.instance, failure.path, properties, allowed, ctx)


def _required(failure: Failure, ctx: ExplainContext) -> list[Item]:
    # A `then` branch says why its keys are needed (`required when type is 'external'`).
    conditional = failure.schema_path[-2:-1] == ("then",)
    reason = failure.schema.get("description", "") if conditional else ""
    items = []
    for key in failure.expected:
        if key in failure.instance:
            continue
        message = f"{ctx.where(failure.path)} is missing the required key {quote(key)}"
        message += f" ({reason})" if reason else ""
        items.append(
            Item(ItemKind.MISSING, failure.path, message, f"required:{key}", missing=(key,))
        )
    return items


def _not(failure: Failure, ctx: ExplainContext) -> list[Item]:
    path = failure.path
    if is_forbidden(failure.schema) and path:
        detail = failure.schema.get("errorMessage", "is not allowed here")
        message = f"{show_key(path[-1])} in {ctx.where(path[:-1])} {detail}"
        identity = f"forbidden-key:{_plain_key(path[-1])}"
        return [Item(ItemKind.OTHER, path, message, identity, on_key=True)]
    return [_value_item(failure, ctx, "has a form that is not allowed")]


def _type(failure: Failure, ctx: ExplainContext) -> list[Item]:
    wants_string = "string" in schema_types(failure.schema)
    nouns = expected_nouns(failure.schema, ctx)
    return [type_item(failure.path, failure.instance, nouns, wants_string, ctx)]


def _enum(failure: Failure, ctx: ExplainContext) -> list[Item]:
    allowed = list(failure.expected)
    shown = [_show_value(value) for value in allowed]
    if len(allowed) > _MAX_LISTED:
        detail = "is not an allowed value"
    elif len(allowed) == 2:
        detail = f"must be {join_alternatives(shown)}"
    else:
        detail = f"must be one of {join_alternatives(shown)}"
    return [_value_item(failure, ctx, detail, allowed)]


def _const(failure: Failure, ctx: ExplainContext) -> list[Item]:
    # The schema may word what the constant stands for (`"*"`: everyone, or a mapping).
    worded = failure.schema.get("errorMessage")
    if worded:
        return [_value_item(failure, ctx, str(worded))]
    detail = f"must be {_show_value(failure.expected)}"
    return [_value_item(failure, ctx, detail, [failure.expected])]


def _pattern(failure: Failure, ctx: ExplainContext) -> list[Item]:
    # The schema words what a pattern means (`errorMessage`); a regex is a last resort.
    detail = failure.schema.get("errorMessage") or f"does not match {failure.expected}"
    return [_value_item(failure, ctx, str(detail))]


def _min_length(failure: Failure, ctx: ExplainContext) -> list[Item]:
    limit = failure.expected
    detail = "must not be empty" if limit == 1 else f"must be at least {limit} characters long"
    return [_value_item(failure, ctx, detail)]


def _max_length(failure: Failure, ctx: ExplainContext) -> list[Item]:
    return [_value_item(failure, ctx, f"is longer than {failure.expected} characters")]


def _min_items(failure: Failure, ctx: ExplainContext) -> list[Item]:
    limit = failure.expected
    detail = "must not be an empty list" if limit == 1 else f"must have at least {limit} items"
    return [_value_item(failure, ctx, detail)]


def _min_properties(failure: Failure, ctx: ExplainContext) -> list[Item]:
    limit = failure.expected
    detail = "must not be an empty mapping" if limit == 1 else f"must have at least {limit} keys"
    return [_value_item(failure, ctx, detail)]


def _max_items(failure: Failure, ctx: ExplainContext) -> list[Item]:
    return [_value_item(failure, ctx, f"has more than {failure.expected} items")]


def _max_properties(failure: Failure, ctx: ExplainContext) -> list[Item]:
    return [_value_item(failure, ctx, f"has more than {failure.expected} keys")]


def _minimum(failure: Failure, ctx: ExplainContext) -> list[Item]:
    detail = f"must be at least {failure.expected}"
    if ctx.reveals(failure.path) and isinstance(failure.instance, int | float):
        detail += f", not {failure.instance}"
    return [_value_item(failure, ctx, detail)]


def _maximum(failure: Failure, ctx: ExplainContext) -> list[Item]:
    detail = f"must be at most {failure.expected}"
    if ctx.reveals(failure.path) and isinstance(failure.instance, int | float):
        detail += f", not {failure.instance}"
    return [_value_item(failure, ctx, detail)]


def property_name_items(failure: Failure, ctx: ExplainContext) -> list[Item]:
    """A key that fails `propertyNames` (a number as key, an unknown condition operator).

    jsonschema checks each key as an instance of its own at the mapping's path, so the
    item goes to `path + (key,)`, on the key.
    """
    key = failure.instance
    path: DataPath = (*failure.path, key)
    where = ctx.where(failure.path)
    if failure.keyword == "type":
        read = read_as(key, reveal=True, key=True)
        message = f"key {show_key(key)} in {where} must be a string, but {read}; quote it"
        return [Item(ItemKind.TYPE, path, message, "key-type", on_key=True)]
    if failure.keyword == "enum":
        allowed = [str(value) for value in failure.expected]
        hint = suggest(key, allowed) if isinstance(key, str) else None
        message = (
            f"{show_key(key)} in {where} {failure.schema.get('errorMessage', 'is not allowed')}"
        )
        if hint:
            message += f"; did you mean {quote(hint)}?"
        elif len(allowed) <= _MAX_LISTED:
            message += f"; allowed keys: {', '.join(allowed)}"
        return [Item(ItemKind.UNKNOWN, path, message, f"unknown-key:{_plain_key(key)}", True)]
    if failure.keyword == "minLength":
        message = f"an empty key in {where} is not allowed"
        return [Item(ItemKind.VALUE, path, message, "key-empty", on_key=True)]
    message = f"key {show_key(key)} in {where} is not allowed"
    return [Item(ItemKind.VALUE, path, message, f"key-{failure.keyword}", on_key=True)]


def _value_item(
    failure: Failure, ctx: ExplainContext, detail: str, allowed: list[Any] | None = None
) -> Item:
    """`<path> <detail>`; with `allowed`, also the offending value and a likely fix,
    when it is safe and short to say."""
    path, value = failure.path, failure.instance
    message = f"{ctx.where(path)} {detail}"
    if allowed is not None and ctx.reveals(path) and echoable(value):
        message += f", not {quote(value)}"
        hint = suggest(value, [str(choice) for choice in allowed])
        if hint and hint != value and len(allowed) > 1:  # a const needs no "did you mean"
            message += f"; did you mean {quote(hint)}?"
    return Item(ItemKind.VALUE, path, message, failure.keyword)


def _plain_key(key: Hashable) -> str:
    """A key as it takes part in an identity: unquoted."""
    return key if isinstance(key, str) else show_key(key)


def _show_value(value: Any) -> str:
    return quote(value) if isinstance(value, str) else show_key(value)


HANDLERS: dict[str, Handler] = {
    "additionalProperties": _additional_properties,
    "required": _required,
    "not": _not,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _min_length,
    "maxLength": _max_length,
    "minItems": _min_items,
    "minProperties": _min_properties,
    "maxItems": _max_items,
    "maxProperties": _max_properties,
    "minimum": _minimum,
    "maximum": _maximum,
}
