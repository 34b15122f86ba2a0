"""Where the evaluated values of a CloudFormation resource sit in the parsed document.

Evaluating intrinsics keeps most values at the data path they have in the file: a
`!Sub` stays at its key, and a path into a policy parsed from a JSON string ends at the
string (positions resolve to the nearest ancestor that exists). Two things move values:
`!Ref AWS::NoValue` removes a list item (the items after it shift), and a step into a
`Choice` picks a branch (step `i` is the `Fn::If`'s branch `i`, written at
`Fn::If[i + 1]`). An `Origin` tree records only those moves, so the common case costs
nothing, and `EvaluatedPositions` turns a path into the evaluated data into the
document's own path before asking the document's positions.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import NamedTuple

from reglint.findings import Span
from reglint.iac.model import DataPath
from reglint.loading.positions import Positions

__all__ = ["EvaluatedPositions", "Origin", "source_path"]


class Origin(NamedTuple):
    """Where an evaluated value comes from, and which of its children come from elsewhere
    than `path + (step,)` (a child not in `moved`, and all below it, keeps its path)."""

    path: DataPath
    moved: Mapping[Hashable, Origin]


def source_path(origin: Origin, path: DataPath) -> DataPath:
    """The document path of the value at `path` below the value that `origin` describes."""
    node: Origin | None = origin
    source = origin.path
    for step in path:
        child = node.moved.get(step) if node is not None else None
        if child is None:
            node = None
            source = (*source, step)
        else:
            node = child
            source = child.path
    return source


class EvaluatedPositions(NamedTuple):
    """Positions of evaluated data: `path` below `base` (a path into the evaluated value
    that `origin` describes) is looked up at its document path in `inner`."""

    inner: Positions
    origin: Origin
    base: DataPath = ()

    def span(self, path: DataPath, *, on_key: bool = False) -> Span:
        return self.inner.span(source_path(self.origin, self.base + path), on_key=on_key)
