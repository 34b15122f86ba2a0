"""The data shape of a Terraform file, shared by the HCL and JSON-syntax readers.

One document per file, shaped like Terraform's own JSON configuration syntax with
every block's body a plain mapping:

    {
      "resource": {"aws_iam_role": {"nodes": BODY}},          # TYPE -> NAME -> BODY
      "data":     {"aws_iam_policy_document": {"x": BODY}},
      "module":   {"eks": BODY}, "variable": {"region": BODY}, "output": {"arn": BODY},
      "locals":   {"account_id": VALUE, …},                  # every locals block merged
      "provider": {"aws": [BODY, BODY]},                      # any other block type: its
      "terraform": [BODY],                                    #  labels, then a list
    }

A BODY maps each attribute to its value (hcl_expressions.py) and each nested block
type to a **list** of bodies, in source order (`statement`, `principals`, `condition`,
`inline_policy`…), as in a plan's JSON; a nested block with labels nests them as keys
(`provisioner "local-exec"` -> `{"provisioner": {"local-exec": [BODY]}}`). A
`dynamic "statement" {…}` block is one `Placeholder('dynamic "statement"')` in the
`statement` list, at the dynamic block's position (SPEC §6.2: a placeholder statement).

The same key twice in one mapping (an attribute, a resource, a local) is recorded as a
duplicate key (RL003) and the last one is kept. A block that Terraform would refuse
(a resource without its two labels) is left out.
"""

from __future__ import annotations

from typing import Any

from reglint.findings import Span
from reglint.loading.errors import DuplicateKey
from reglint.loading.positions import Position, PositionNode

__all__ = ["DYNAMIC", "BlockList", "BlockMap", "place_block"]

DYNAMIC = "dynamic"
# Top-level block types addressed by labels alone (Terraform refuses two of one address).
SINGLE_LABEL = frozenset({"module", "variable", "output"})
DOUBLE_LABEL = frozenset({"resource", "data"})


class BlockMap:
    """A mapping being built, with its position node."""

    __slots__ = ("data", "duplicates", "firsts", "node", "subs")

    def __init__(self, span: Span, duplicates: list[DuplicateKey]) -> None:
        self.data: dict[Any, Any] = {}
        self.node = PositionNode(span, {}, {})
        self.duplicates = duplicates
        self.firsts: dict[Any, Span] = {}
        self.subs: dict[Any, BlockMap | BlockList] = {}

    def put(self, key: Any, value: Any, position: Position, key_span: Span) -> None:
        """Set a key (an attribute, a labelled body); a repeated key is a duplicate."""
        keys, children = self.node.keys, self.node.children
        assert keys is not None and isinstance(children, dict)
        if key in self.data:
            first = self.firsts.setdefault(key, keys[key])
            self.duplicates.append(DuplicateKey(key, key_span, first))
            self.subs.pop(key, None)
        self.data[key] = value
        keys[key] = key_span
        children[key] = position

    def sub_map(self, key: Any, span: Span, key_span: Span) -> BlockMap | None:
        """The mapping under `key` (a label level), made on first use; None if `key`
        already holds something else."""
        current = self.subs.get(key)
        if current is None and key not in self.data:
            current = BlockMap(span, self.duplicates)
            self._attach(key, current, key_span)
        if not isinstance(current, BlockMap):
            return None
        current.node.span = _cover(current.node.span, span)
        return current

    def sub_list(self, key: Any, span: Span, key_span: Span) -> BlockList | None:
        """The list of blocks under `key`, made on first use; None if `key` holds a value."""
        current = self.subs.get(key)
        if current is None:
            if key in self.data:  # an attribute of the same name: the block replaces it
                self.put(key, None, span, key_span)
            current = BlockList(span)
            self._attach(key, current, key_span)
        if not isinstance(current, BlockList):
            return None
        current.node.span = _cover(current.node.span, span)
        return current

    def _attach(self, key: Any, sub: BlockMap | BlockList, key_span: Span) -> None:
        keys, children = self.node.keys, self.node.children
        assert keys is not None and isinstance(children, dict)
        self.subs[key] = sub
        self.data[key] = sub.data
        keys[key] = key_span
        children[key] = sub.node


class BlockList:
    """A list of blocks of one type, with its position node."""

    __slots__ = ("data", "node")

    def __init__(self, span: Span) -> None:
        self.data: list[Any] = []
        self.node = PositionNode(span, None, [])

    def append(self, value: Any, position: Position) -> None:
        children = self.node.children
        assert isinstance(children, list)
        self.data.append(value)
        children.append(position)


def place_block(
    parent: BlockMap,
    kind: str,
    labels: list[tuple[str, Span]],
    body: Any,
    position: Position,
    key_span: Span,
    span: Span,
) -> None:
    """Put a block's body where the data shape (module docstring) says it belongs."""
    if (
        kind == "locals"
        and not labels
        and isinstance(body, dict)
        and isinstance(position, PositionNode)
    ):
        target = parent.sub_map("locals", span, key_span)
        if target is not None:
            for name, value in body.items():
                assert position.keys is not None and isinstance(position.children, dict)
                target.put(name, value, position.children[name], position.keys[name])
        return
    count = 2 if kind in DOUBLE_LABEL else 1 if kind in SINGLE_LABEL else None
    if count is not None:
        if len(labels) != count:
            return
        level = parent.sub_map(kind, span, key_span)
        for label, label_span in labels[:-1]:
            if level is None:
                return
            level = level.sub_map(label, span, label_span)
        if level is not None:
            level.put(labels[-1][0], body, position, labels[-1][1])
        return
    place_listed(parent, kind, labels, body, position, key_span, span)


def place_listed(
    parent: BlockMap,
    kind: str,
    labels: list[tuple[str, Span]],
    body: Any,
    position: Position,
    key_span: Span,
    span: Span,
) -> None:
    """Append a body to the list at `kind` -> labels…, creating the levels on the way."""
    level: BlockMap | None = parent
    steps = [(kind, key_span), *labels]
    for label, label_span in steps[:-1]:
        if level is None:
            return
        level = level.sub_map(label, span, label_span)
    if level is None:
        return
    blocks = level.sub_list(steps[-1][0], span, steps[-1][1])
    if blocks is not None:
        blocks.append(body, position)


def _cover(first: Span, second: Span) -> Span:
    """The smallest span holding both."""
    start = min(first[:2], second[:2])
    end = max(first[2:], second[2:])
    return Span(start[0], start[1], end[0], end[1])
