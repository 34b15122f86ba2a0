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
from reglint.loading.positions import Position, PositionNode, Positions, PositionTree

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
DataPath = tuple[Hashable, ...]


def load_tf_json(text: str, limits: Limits) -> list[ParsedDocument]:
    """Parse a `.tf.json` file into one document ([] for blank text); raise `LoadError`."""
    from reglint.loading.json_loader import load_json

    documents = load_json(text, limits)
    if not documents:
        return []
    raw = documents[0]
    if not isinstance(raw.data, dict):
        raise LoadError("a Terraform JSON file holds one object, its blocks by type", raw.span)
    reader = _Reader(raw.positions, FileState(LineIndex(""), limits, list(raw.duplicates)))
    top = BlockMap(raw.span, reader.state.duplicates)
    for kind, value in raw.data.items():
        if kind == _COMMENT:
            continue
        key_span = reader.at((kind,), on_key=True)
        for labels, body, path in reader.labelled(value, (kind,), _LABELS.get(kind, 0)):
            data, node = reader.body(body, path, 1)
            place_block(top, kind, labels, data, node, key_span, reader.at(path))
    return [ParsedDocument(top.data, PositionTree(top.node), raw.span, reader.state.duplicates)]


class _Reader:
    __slots__ = ("positions", "state")

    def __init__(self, positions: Positions, state: FileState) -> None:
        self.positions = positions
        self.state = state

    def at(self, path: DataPath, *, on_key: bool = False) -> Span:
        return self.positions.span(path, on_key=on_key)

    def labelled(
        self, value: Any, path: DataPath, count: int
    ) -> list[tuple[list[tuple[str, Span]], Any, DataPath]]:
        """Every body under `count` label levels: (labels with spans, body, its path)."""
        out: list[tuple[list[tuple[str, Span]], Any, DataPath]] = []
        pending: list[tuple[Any, DataPath, list[tuple[str, Span]]]] = [(value, path, [])]
        while pending:
            current, where, labels = pending.pop()
            if isinstance(current, list):  # an array of objects at any level keeps order
                pending.extend(
                    (item, (*where, i), labels) for i, item in reversed(list(enumerate(current)))
                )
            elif not isinstance(current, dict):
                continue  # Terraform refuses it; nothing reglint reads
            elif len(labels) == count:
                out.append((labels, current, where))
            else:
                items = [(k, v) for k, v in current.items() if k != _COMMENT]
                for key, item in reversed(items):
                    key_path = (*where, key)
                    pending.append(
                        (item, key_path, [*labels, (key, self.at(key_path, on_key=True))])
                    )
        return out

    def body(
        self, value: dict[str, Any], path: DataPath, depth: int
    ) -> tuple[dict[str, Any], Position]:
        if depth > self.state.limits.max_depth:
            raise self.state.too_deep(self.at(path))
        out = BlockMap(self.at(path), self.state.duplicates)
        for key, item in value.items():
            if key == _COMMENT:
                continue
            item_path = (*path, key)
            key_span = self.at(item_path, on_key=True)
            if key == DYNAMIC and isinstance(item, (dict, list)):
                for labels, _, where in self.labelled(item, item_path, 1):
                    name, label_span = labels[0]
                    placeholder = Placeholder(describe(f'dynamic "{name}"'))
                    place_listed(
                        out, name, [], placeholder, self.at(where), label_span, self.at(where)
                    )
            elif key in NESTED_BLOCKS and _is_blocks(item):
                bodies = (
                    [(item, item_path)]
                    if isinstance(item, dict)
                    else [(body, (*item_path, i)) for i, body in enumerate(item)]
                )
                for body, where in bodies:
                    data, node = self.body(body, where, depth + 1)
                    place_listed(out, key, [], data, node, key_span, self.at(where))
            else:
                data_value, position = self.value(item, item_path, depth + 1)
                out.put(key, data_value, position, key_span)
        return out.data, out.node

    def value(self, value: Any, path: DataPath, depth: int) -> tuple[Any, Position]:
        """A JSON value read as an expression: strings are templates."""
        span = self.at(path)
        if isinstance(value, str):
            if "${" not in value and "%{" not in value:
                return value, span
            source = Source(value, self.state, fixed=span)
            result, _ = evaluate_template(value, 0, source, depth)
            return result, span
        if isinstance(value, list):
            items = [self.value(item, (*path, i), depth + 1) for i, item in enumerate(value)]
            return [v for v, _ in items], PositionNode(span, None, [p for _, p in items])
        if isinstance(value, dict):
            data: dict[Any, Any] = {}
            keys: dict[Any, Span] = {}
            children: dict[Any, Position] = {}
            firsts: dict[Any, Span] = {}
            for raw_key, item in value.items():
                item_path = (*path, raw_key)
                key_span = self.at(item_path, on_key=True)
                key, _ = (
                    self.value(raw_key, item_path, depth + 1)
                    if "${" in raw_key
                    else (raw_key, None)
                )
                if not isinstance(key, Hashable) or isinstance(key, (dict, list)):
                    key = Placeholder(describe(raw_key))
                if key in data:  # two templates that read the same
                    first = firsts.setdefault(key, keys[key])
                    self.state.duplicates.append(DuplicateKey(key, key_span, first))
                data[key], position = self.value(item, item_path, depth + 1)
                keys[key], children[key] = key_span, position
            return data, PositionNode(span, keys, children)
        return value, span


def _is_blocks(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)
