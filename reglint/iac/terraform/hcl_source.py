"""Where the parse-tree nodes being read come from, and how their positions and source
text are found: the whole file, a slice of it parsed on its own (a heredoc's
`${…}`), or a `.tf.json` string whose every part sits at the string's span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reglint.findings import Span
from reglint.iac.terraform.hcl_parser import MAX_HCL_CHARS, LineIndex
from reglint.loading.document import Limits
from reglint.loading.errors import DuplicateKey, LoadError

__all__ = ["FileState", "Node", "Source", "bounds", "describe", "meaningful"]

# A node of python-hcl2's Lark parse tree: a `lark.Tree` (`.data`, `.children`) or a
# `lark.Token` (a str with `.type` and positions). Typed loosely: the grammar, not the
# type system, says which children a node has.
Node = Any

MAX_TEXT = 160  # characters of source text kept in a placeholder, for messages
# Interpolations of heredocs and JSON strings that are more than a traversal are parsed
# one by one (0.3-0.5 ms each); past this many in one file, the rest are placeholders.
MAX_SUBPARSES = 2_000


@dataclass(slots=True)
class FileState:
    """What one file's reading shares: its line index, bounds and duplicate keys."""

    index: LineIndex
    limits: Limits
    duplicates: list[DuplicateKey] = field(default_factory=list)
    subparses_left: int = MAX_SUBPARSES
    # Characters of those interpolations: a `.tf.json` string is not bounded by the
    # HCL size limit, its interpolations are (together).
    subparse_chars_left: int = MAX_HCL_CHARS

    def too_deep(self, span: Span) -> LoadError:
        return LoadError(f"nesting deeper than {self.limits.max_depth} levels", span)


@dataclass(slots=True)
class Source:
    """The text that Lark parsed, and how its offsets map to the file."""

    text: str
    state: FileState
    shift: int = 0  # file offset = node offset + shift
    fixed: Span | None = None  # set: every node is at this span

    def span(self, node: Node) -> Span:
        start, end = bounds(node)
        return self.span_between(start, end)

    def span_between(self, start: int, end: int) -> Span:
        if self.fixed is not None:
            return self.fixed
        return self.state.index.span(start + self.shift, end + self.shift)

    def text_of(self, node: Node) -> str:
        start, end = bounds(node)
        return describe(self.text[start:end])


def describe(text: str) -> str:
    """Source text as a placeholder keeps it: one line, at most MAX_TEXT characters."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def meaningful(node: Any) -> bool:
    """False for the newlines and comments that the grammar keeps in the tree."""
    kind = getattr(node, "data", None)
    if kind is not None:
        return bool(kind != "new_line_or_comment")
    return bool(node.type != "NL_OR_COMMENT")


def bounds(node: Node) -> tuple[int, int]:
    """Start and end offsets of a node, without the newlines and comments around it.

    Lark's own meta counts a trailing newline or comment that the grammar attaches to
    some rules (`a = x + y # note`), so the extent is taken from the first and last
    tokens (iteratively: a traversal nests one tree per step).
    """
    first = _edge_token(node, first=True)
    last = _edge_token(node, first=False)
    if first is None or last is None:
        meta = getattr(node, "meta", None)
        if meta is None or meta.empty:
            return 0, 0
        return meta.start_pos, meta.end_pos
    end = last.end_pos
    if last.type.startswith("HEREDOC") and str(last).endswith("\n"):
        end -= 1  # the heredoc token includes the newline after its closing marker
    return first.start_pos, end


def _edge_token(node: Any, *, first: bool) -> Any:
    while hasattr(node, "data"):
        children = node.children if first else reversed(node.children)
        for child in children:
            if meaningful(child) and (not hasattr(child, "data") or child.children):
                node = child
                break
        else:
            return None
    return node
