"""Where each key and value of a parsed document sits in its file, and data paths.

A data path (`DataPath`) is the way into a document's data: `("spec", "auth",
"username")`, shown as people read it by `format_path` (`spec.auth.username`,
`Statement[2].Action[0]`). Loaders build a tree of `PositionNode`s that mirrors the data
(YAML during parsing, JSON lazily on the first lookup); a data path is resolved to a
`Span` by walking it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from reglint.findings import FILE_START, Span

DataPath = tuple[Hashable, ...]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def format_path(path: DataPath) -> str:
    """`("spec", "auth", "username")` -> `spec.auth.username`; list indexes in brackets."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int) and not isinstance(step, bool):
            parts.append(f"[{step}]")
        elif isinstance(step, str) and _IDENTIFIER.match(step):
            parts.append(f".{step}" if parts else step)
        else:
            parts.append(f"[{str(step)!r}]")
    return "".join(parts)


@dataclass(slots=True)
class PositionNode:
    """The span of one value, and for a mapping or a list, of its keys and children."""

    span: Span
    keys: dict[Hashable, Span] | None = None
    children: dict[Hashable, Position] | list[Position] | None = None


# A scalar's position is its Span alone (no node around it): a manifest is mostly
# scalars, and 10,000 manifests held for the cross-file rules kept ~7 MB of such nodes.
Position = PositionNode | Span


def span_of(node: Position) -> Span:
    """The span of a value's position."""
    return node if isinstance(node, Span) else node.span


class Positions(Protocol):
    def span(self, path: DataPath, *, on_key: bool = False) -> Span:
        """The span of the value at `path` (or of its key); the nearest ancestor if absent."""
        ...


class PositionTree(NamedTuple):
    """Positions backed by a `PositionNode` tree."""

    root: Position

    def span(self, path: DataPath, *, on_key: bool = False) -> Span:
        node: Position = self.root
        for depth, step in enumerate(path):
            if isinstance(node, Span):  # a scalar: the path goes on inside no value
                return node
            parent = node
            children = parent.children
            child: Position | None = None
            if isinstance(children, dict):
                child = children.get(step)
                if child is not None and on_key and depth == len(path) - 1 and parent.keys:
                    return parent.keys.get(step, span_of(child))
            elif isinstance(children, list) and isinstance(step, int) and 0 <= step < len(children):
                child = children[step]
            if child is None:
                return parent.span
            node = child
        return span_of(node)


@dataclass(slots=True)
class LazyPositions:
    """Positions built on first use (JSON is parsed by the C scanner, which keeps none)."""

    build: Callable[[], Position]
    _tree: PositionTree | None = field(default=None)

    def span(self, path: DataPath, *, on_key: bool = False) -> Span:
        if self._tree is None:
            self._tree = PositionTree(self.build())
        return self._tree.span(path, on_key=on_key)


class FixedPositions(NamedTuple):
    """Every path resolves to one span (a policy embedded as a URL-encoded string)."""

    at: Span = FILE_START

    def span(self, path: DataPath, *, on_key: bool = False) -> Span:
        return self.at


class ShiftedPositions(NamedTuple):
    """Positions of a sub-document: paths are prefixed with `base` (unwrapped policies)."""

    inner: Positions
    base: Sequence[Hashable]

    def span(self, path: DataPath, *, on_key: bool = False) -> Span:
        return self.inner.span(tuple(self.base) + path, on_key=on_key)
