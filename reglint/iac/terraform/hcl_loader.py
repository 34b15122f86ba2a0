"""`*.tf` text -> one document: data shaped as blocks.py describes, with positions.

Built on python-hcl2's raw Lark parse tree (`hcl2.api.parses_to_tree`): its `with_meta`
output keeps no line numbers, while every token of the raw tree has its line, column
and offset. Positions follow reglint's `Span`: 1-based lines and columns counted in
characters, the end exclusive; a block spans from its type to its closing brace, an
attribute's key is its name, a value spans its expression.
"""

from __future__ import annotations

from typing import Any

from reglint.findings import Span
from reglint.iac.model import Placeholder
from reglint.iac.terraform.blocks import DYNAMIC, BlockMap, place_block, place_listed
from reglint.iac.terraform.hcl_expressions import evaluate
from reglint.iac.terraform.hcl_parser import LineIndex, parse_hcl
from reglint.iac.terraform.hcl_source import FileState, Node, Source, describe, meaningful
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import LoadError
from reglint.loading.positions import PositionTree

__all__ = ["load_hcl"]


def load_hcl(text: str, limits: Limits) -> list[ParsedDocument]:
    """Parse a `.tf` file into one document ([] for blank text); raise `LoadError`."""
    start = len(text) - len(text.lstrip())
    if start == len(text):
        return []
    tree = parse_hcl(text)
    state = FileState(LineIndex(text), limits)
    source = Source(text, state)
    span = state.index.span(start, len(text.rstrip()))
    top = BlockMap(span, state.duplicates)
    try:
        for item in tree.children[0].children:
            if getattr(item, "data", None) == "block":
                kind, labels, block_body, key_span = _block_header(item, source)
                data, node = _read_body(block_body, source, 1, source.span(item))
                place_block(top, kind, labels, data, node, key_span, source.span(item))
            # A top-level attribute is not Terraform (it refuses the file): nothing to read.
    except (AttributeError, IndexError, StopIteration, TypeError, ValueError):
        # The walk follows python-hcl2's grammar (a tested version range): a tree of
        # another shape is an unreadable file, never a traceback.
        raise LoadError(
            "reglint cannot read this HCL: python-hcl2 returned an unknown parse tree"
        ) from None
    return [ParsedDocument(top.data, PositionTree(top.node), span, state.duplicates)]


def _read_body(body: Node, source: Source, depth: int, span: Span) -> tuple[dict[str, Any], Any]:
    """A block body: attributes -> values, nested block types -> lists of bodies."""
    if depth > source.state.limits.max_depth:
        raise source.state.too_deep(span)
    out = BlockMap(span, source.state.duplicates)
    for item in body.children:
        kind = getattr(item, "data", None)
        if kind == "attribute":
            name_node = item.children[0]
            value, position = evaluate(item.children[-1], source, depth + 1)
            out.put(_word(name_node), value, position, source.span(name_node))
        elif kind == "block":
            block_type, labels, block_body, key_span = _block_header(item, source)
            item_span = source.span(item)
            if block_type == DYNAMIC and len(labels) == 1:
                # SPEC §6.2: `dynamic "statement"` is read as a placeholder statement.
                name, label_span = labels[0]
                placeholder = Placeholder(describe(f'dynamic "{name}"'))
                place_listed(out, name, [], placeholder, item_span, label_span, item_span)
                continue
            data, node = _read_body(block_body, source, depth + 1, item_span)
            place_listed(out, block_type, labels, data, node, key_span, item_span)
    return out.data, out.node


def _block_header(block: Node, source: Source) -> tuple[str, list[tuple[str, Span]], Any, Span]:
    """A block's type, its labels with their spans, its body and the type's span."""
    type_node = block.children[0]
    labels: list[tuple[str, Span]] = []
    body: Any = None
    for child in block.children[1:]:
        kind = getattr(child, "data", None)
        if kind == "body":
            body = child
        elif kind == "string":
            value, _ = evaluate(child, source, 1)
            labels.append(
                (value if isinstance(value, str) else source.text_of(child), source.span(child))
            )
        elif kind is not None and meaningful(child):
            labels.append((_word(child), source.span(child)))
    return _word(type_node), labels, body, source.span(type_node)


def _word(node: Node) -> str:
    """The text of a name node (an identifier, a keyword such as `for_each`, `true`)."""
    return str(node.children[0])
