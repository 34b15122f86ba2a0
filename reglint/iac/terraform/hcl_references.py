"""Traversals (`aws_iam_role.nodes[0].arn`, `var.x`, `local.y.z`) -> the `Reference` or
`Placeholder` they stand for (hcl_expressions.py lists what each becomes)."""

from __future__ import annotations

import json
import re
from typing import Any

from reglint.iac.model import Placeholder, Reference
from reglint.iac.terraform.hcl_source import Node, Source, meaningful
from reglint.iac.terraform.hcl_strings import decode_escapes
from reglint.loading.positions import Position

__all__ = ["PATH_MODULE", "UNKNOWABLE_DATA", "simple_traversal", "traversal"]

# Data sources whose attributes only AWS knows at plan time.
UNKNOWABLE_DATA = frozenset(
    {
        "aws_caller_identity",
        "aws_partition",
        "aws_region",
        "aws_availability_zone",
        "aws_availability_zones",
        "aws_default_tags",
    }
)
_PLACEHOLDER_ROOTS = frozenset({"var", "module", "each", "count", "self", "path", "terraform"})
PATH_MODULE = Placeholder("path.module")
MAX_STEPS = 64  # a longer traversal is no real reference: a placeholder
# A traversal of names and literal indexes, the usual interpolation (`${var.x}`,
# `${aws_iam_role.x.arn}`): read without a parse, which costs ~0.3 ms per expression.
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_STEP = rf'\.({_NAME})|\[(\d{{1,18}})\]|\[("[^"\\$%]*")\]'
_SIMPLE = re.compile(rf"\s*({_NAME})((?:{_STEP})*)\s*")
_STEPS = re.compile(_STEP)


def traversal(node: Node, src: Source, depth: int, choices: int) -> tuple[Any, Position]:
    """`root.a[0].b`: a reference to another object of the module, or a placeholder."""
    steps: list[tuple[str, Any]] = []
    current: Any = node
    while current.data in ("get_attr_expr_term", "index_expr_term"):
        if len(steps) >= MAX_STEPS:
            return Placeholder(src.text_of(node)), src.span(node)
        base, step = current.children[0], current.children[-1]
        if current.data == "get_attr_expr_term":
            steps.append(("attr", str(step.children[-1].children[0])))
        else:
            steps.append(("index", _literal_index(step, src)))
        inner = [child for child in base.children if meaningful(child)]
        if len(inner) != 1 or not hasattr(inner[0], "data"):
            return Placeholder(src.text_of(node)), src.span(node)
        current = inner[0]
    if current.data != "identifier":
        return Placeholder(src.text_of(node)), src.span(node)
    steps.reverse()
    value = _classify(str(current.children[0]), steps, src.text_of(node))
    return value, src.span(node)


_UNKNOWN = object()  # an index that is not a literal


def _literal_index(step: Node, src: Source) -> Any:
    if step.data == "short_index":  # `.0`
        return int(str(step.children[-1]))
    expression = next(c for c in step.children if hasattr(c, "data") and meaningful(c))
    inner = [child for child in expression.children if meaningful(child)]
    if len(inner) == 1 and getattr(inner[0], "data", None) in ("int_lit", "string"):
        parts = inner[0].children
        if inner[0].data == "int_lit":
            return int(str(parts[0]))
        chars = [part.children[0] for part in parts if hasattr(part, "data")]
        if all(getattr(char, "type", "") == "STRING_CHARS" for char in chars):
            text, bad = decode_escapes("".join(str(char) for char in chars), 0)
            return _UNKNOWN if bad is not None else text
    return _UNKNOWN


def simple_traversal(text: str) -> Any:
    """The reference or placeholder a simple traversal's text stands for; None if the
    text is any other expression."""
    match = _SIMPLE.fullmatch(text)
    if match is None or match.group(1) in ("true", "false", "null"):
        return None
    steps: list[tuple[str, Any]] = []
    for step in _STEPS.finditer(match.group(2)):
        name, number, quoted = step.groups()
        if name is not None:
            steps.append(("attr", name))
        else:
            steps.append(("index", int(number) if number is not None else json.loads(quoted)))
    if not steps or len(steps) > MAX_STEPS:
        return None  # a bare name, or too long: let the parser decide what it is
    return _classify(match.group(1), steps, " ".join(text.split()))


def _classify(root: str, steps: list[tuple[str, Any]], text: str) -> Any:
    placeholder = Placeholder(text)
    if root == "path" and steps == [("attr", "module")]:
        return PATH_MODULE
    if root in _PLACEHOLDER_ROOTS:
        return placeholder
    names = [value for kind, value in steps]
    if root == "local":
        if not steps or steps[0][0] != "attr":
            return placeholder
        target, rest = f"local.{names[0]}", steps[1:]
    elif root == "data":
        if len(steps) < 2 or steps[0][0] != "attr" or steps[1][0] != "attr":
            return placeholder
        if names[0] in UNKNOWABLE_DATA:
            return placeholder
        target, rest = f"data.{names[0]}.{names[1]}", _without_instance_key(steps[2:])
    else:  # a managed resource: TYPE.NAME
        if not steps or steps[0][0] != "attr":
            return placeholder
        target, rest = f"{root}.{names[0]}", _without_instance_key(steps[1:])
    attribute = _attribute_text(rest)
    return placeholder if attribute is None else Reference(target, attribute, text)


def _without_instance_key(steps: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return steps[1:] if steps and steps[0][0] == "index" else steps


def _attribute_text(steps: list[tuple[str, Any]]) -> str | None:
    """`inline_policy[0].name`; None when an index is not a literal."""
    out: list[str] = []
    for kind, value in steps:
        if kind == "attr":
            out.append(f".{value}" if out else value)
        elif value is _UNKNOWN:
            return None
        else:
            out.append(f"[{json.dumps(value)}]")
    return "".join(out)
