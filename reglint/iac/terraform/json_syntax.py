"""`*.tf.json` text -> one document of the same shape as a `.tf` file (blocks.py).

Terraform's JSON configuration syntax
(https://developer.hashicorp.com/terraform/language/syntax/json): the top-level object
maps block types to their labels (an object per label level, or an array of such
objects) and then to a body or an array of bodies; `"//"` keys are comments. Every
string is a template: `"${aws_iam_role.x.arn}"` is read as the HCL expression
`aws_iam_role.x.arn` would be (hcl_expressions.py), positioned at the whole string.

Without the provider's schema JSON cannot tell a nested block from an attribute whose
value is an object. Both read the same when written as an array of objects; a single
object is made a one-body list for the nested block types reglint reads
(`NESTED_BLOCKS`), so that `statement` is always a list, as in a `.tf` file.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from reglint.findings import Span
from reglint.iac.model import Placeholder
from reglint.iac.terraform.blocks import DYNAMIC, BlockMap, place_block, place_listed
from reglint.iac.terraform.hcl_expressions import evaluate_template
from reglint.iac.terraform.hcl_parser import LineIndex
from reglint.iac.terraform.hcl_source import FileState, Source, describe
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import DuplicateKey, LoadError
from reglint.loading.positions import (
    LazyPositions,
    Position,
    PositionNode,
    Positions,
    PositionTree,
    span_of,
)

__all__ = ["NESTED_BLOCKS", "load_tf_json"]

NESTED_BLOCKS = frozenset(
    {
        "statement",  # data "aws_iam_policy_document"
        "principals",
        "not_principals",
        "condition",
        "inline_policy",  # aws_iam_role
        "encryption_configuration",  # aws_ecr_repository, …creation_template
        "image_scanning_configuration",
        "image_tag_mutability_exclusion_filter",
        "lifecycle",
    }
)
# How many labels each top-level block type has; any other type has none.
_LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
    "check": 1,
}
_COMMENT = "//"


def load_tf_json(text: str, limits: Limits) -> list[ParsedDocument]:
    """Parse a `.tf.json` file into one document ([] for blank text); raise `LoadError`."""
    from reglint.loading.json_loader import load_json

    documents = load_json(text, limits)
    if not documents:
        return []
    raw = documents[0]
    if not isinstance(raw.data, dict):
        raise LoadError("a Terraform JSON file holds one object, its blocks by type", raw.span)
    reader = _Reader(FileState(LineIndex(""), limits, list(raw.duplicates)))
    root = _root_position(raw.positions)
    top = BlockMap(raw.span, reader.state.duplicates)
    for kind, value in raw.data.items():
        if kind == _COMMENT:
            continue
        key_span = _key_span(root, kind)
        for labels, body, node in reader.labelled(value, _child(root, kind), _LABELS.get(kind, 0)):
            data, position = reader.body(body, node, 1)
            place_block(top, kind, labels, data, position, key_span, span_of(node))
    return [ParsedDocument(top.data, PositionTree(top.node), raw.span, reader.state.duplicates)]


def _root_position(positions: Positions) -> Position:
    """The JSON loader's position tree, walked alongside the data (one step per value)."""
    if isinstance(positions, PositionTree):
        return positions.root
    if isinstance(positions, LazyPositions):
        return positions.build()
    return positions.span(())  # pragma: no cover - the JSON loader makes one of the two


def _child(node: Position, key: Hashable) -> Position:
    """The position of a child value; the parent's span where the tree has none."""
    if isinstance(node, PositionNode):
        children = node.children
        if isinstance(children, dict) and key in children:
            return children[key]
        if isinstance(children, list) and isinstance(key, int) and 0 <= key < len(children):
            return children[key]
    return span_of(node)


def _key_span(node: Position, key: Hashable) -> Span:
    if isinstance(node, PositionNode) and node.keys is not None and key in node.keys:
        return node.keys[key]
    return span_of(_child(node, key))


Labelled = tuple[list[tuple[str, Span]], Any, Position]


class _Reader:
    __slots__ = ("state",)

    def __init__(self, state: FileState) -> None:
        self.state = state

    def labelled(self, value: Any, node: Position, count: int) -> list[Labelled]:
        """Every body under `count` label levels: (labels with spans, body, its position)."""
        out: list[Labelled] = []
        pending: list[tuple[Any, Position, list[tuple[str, Span]]]] = [(value, node, [])]
        while pending:
            current, where, labels = pending.pop()
            if isinstance(current, list):  # an array of objects at any level keeps order
                items = [(item, _child(where, i), labels) for i, item in enumerate(current)]
                pending.extend(reversed(items))
            elif not isinstance(current, dict):
                continue  # Terraform refuses it; nothing reglint reads
            elif len(labels) == count:
                out.append((labels, current, where))
            else:
                nested = [
                    (item, _child(where, key), [*labels, (key, _key_span(where, key))])
                    for key, item in current.items()
                    if key != _COMMENT
                ]
                pending.extend(reversed(nested))
        return out

    def body(
        self, value: dict[str, Any], node: Position, depth: int
    ) -> tuple[dict[str, Any], Position]:
        if depth > self.state.limits.max_depth:
            raise self.state.too_deep(span_of(node))
        out = BlockMap(span_of(node), self.state.duplicates)
        for key, item in value.items():
            if key == _COMMENT:
                continue
            item_node = _child(node, key)
            key_span = _key_span(node, key)
            if key == DYNAMIC and isinstance(item, (dict, list)):
                for labels, _, where in self.labelled(item, item_node, 1):
                    name, label_span = labels[0]
                    placeholder = Placeholder(describe(f'dynamic "{name}"'))
                    place_listed(
                        out, name, [], placeholder, span_of(where), label_span, span_of(where)
                    )
            elif key in NESTED_BLOCKS and _is_blocks(item):
                bodies = (
                    [(item, item_node)]
                    if isinstance(item, dict)
                    else [(body, _child(item_node, i)) for i, body in enumerate(item)]
                )
                for body, where in bodies:
                    data, position = self.body(body, where, depth + 1)
                    place_listed(out, key, [], data, position, key_span, span_of(where))
            elif _has_template(item):
                data_value, position = self.value(item, item_node, depth + 1)
                out.put(key, data_value, position, key_span)
            else:  # plain JSON: the loader's data and positions as they are
                out.put(key, item, item_node, key_span)
        return out.data, out.node

    def value(self, value: Any, node: Position, depth: int) -> tuple[Any, Position]:
        """A JSON value read as an expression: strings are templates."""
        span = span_of(node)
        if isinstance(value, str):
            if "${" not in value and "%{" not in value:
                return value, node
            source = Source(value, self.state, fixed=span)
            result, _ = evaluate_template(value, 0, source, depth)
            return result, span
        if isinstance(value, list):
            items = [self.value(item, _child(node, i), depth + 1) for i, item in enumerate(value)]
            return [v for v, _ in items], PositionNode(span, None, [p for _, p in items])
        if isinstance(value, dict):
            data: dict[Any, Any] = {}
            keys: dict[Any, Span] = {}
            children: dict[Any, Position] = {}
            firsts: dict[Any, Span] = {}
            for raw_key, item in value.items():
                key_span = _key_span(node, raw_key)
                key: Any = raw_key
                if "${" in raw_key or "%{" in raw_key:
                    key, _ = self.value(raw_key, key_span, depth + 1)
                    if isinstance(key, (dict, list)) or not isinstance(key, Hashable):
                        key = Placeholder(describe(raw_key))
                if key in data:  # two templates that read the same
                    first = firsts.setdefault(key, keys[key])
                    self.state.duplicates.append(DuplicateKey(key, key_span, first))
                data[key], children[key] = self.value(item, _child(node, raw_key), depth + 1)
                keys[key] = key_span
            return data, PositionNode(span, keys, children)
        return value, node


def _has_template(value: Any) -> bool:
    """Whether a JSON value holds a string (or key) with `${` or `%{` (iteratively)."""
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, str):
            if "${" in current or "%{" in current:
                return True
        elif isinstance(current, dict):
            pending.extend(current)
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)
    return False


def _is_blocks(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)
