"""A `DataEdit` on a YAML document as splices of its text (render.py checks the result).

Each new node is rendered by ruamel.yaml (yaml_text.py) in the style of what it replaces
or joins: a scalar keeps its quoting; inside `{…}`/`[…]` values are written in flow
style; a new block sequence item gets the `-` column of its siblings; a key inserted
first in a block mapping goes above the comments directly above the old first key, so
an ignore comment there keeps covering that key's block.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reglint.findings import Span
from reglint.fixes.paths import data_at, first_key_span
from reglint.fixes.text import FixError, SourceText, Splice
from reglint.fixes.yaml_text import YamlStyle, block_items, flow_value, key, quote_of, scalar
from reglint.loading.document import DataEdit, DataPath, Document, EditAction

_SCALARS = (str, int, float, bool, type(None))


def yaml_splices(edit: DataEdit, document: Document, text: SourceText) -> list[Splice]:
    renderer = _YamlDocument(document, text)
    match edit.action:
        case EditAction.REPLACE:
            return [renderer.replace(edit.path, edit.value)]
        case EditAction.RENAME_KEY:
            return [renderer.rename(edit.path, edit.value)]
        case EditAction.INSERT_FIRST:
            return [renderer.insert_first(edit.path, edit.value)]
        case EditAction.APPEND:
            return [renderer.append(edit.path, edit.value)]
    raise FixError(f"{edit.action.value} is not a YAML data edit")


class _YamlDocument:
    def __init__(self, document: Document, text: SourceText) -> None:
        self.document = document
        self.text = text

    def _span(self, path: DataPath, *, on_key: bool = False) -> Span:
        return self.document.span_of(path, on_key=on_key)

    def _is_flow(self, path: DataPath) -> bool:
        """True when the node at `path` is a flow collection (`{…}`, `[…]`)."""
        return self.text.span_text(self._span(path))[:1] in ("{", "[")

    def _old(self, span: Span) -> str:
        old = self.text.span_text(span)
        if old[:1] in ("&", "*", "!", "?"):
            # An anchor (others may alias it), an alias, a tag, a complex key: rewriting
            # the node could change what other nodes mean. No fix.
            raise FixError("the node has an anchor, alias, tag or complex key")
        return old

    def replace(self, path: DataPath, value: Any) -> Splice:
        span = self._span(path)
        old = self._old(span)
        flow = bool(path) and self._is_flow(path[:-1])
        if isinstance(value, _SCALARS):
            new = scalar(value, quote_of(old), flow)
        elif flow or isinstance(value, Mapping) or not path or isinstance(path[-1], int):
            new = flow_value(value)
        else:  # a list as a key's value in a block mapping: a block sequence under the key
            key_span = self._span(path, on_key=True)
            indent = " " * (key_span.column - 1 + _style(self.document, self.text).sequence_offset)
            items = block_items(list(value), _style(self.document, self.text))
            new = "".join(f"\n{indent}{line}" for line in items.split("\n"))
            span = self._after_colon(span)
        if span.end_column == 1 and span.end_line > span.line and not new.endswith("\n"):
            new += "\n"  # a block scalar ends at the start of the line after it
        return Splice(span, new)

    def _after_colon(self, span: Span) -> Span:
        """`span` starting right after its key's `:` (the blanks before the value go)."""
        line = self.text.line(span.line)
        column = span.column
        while column > 1 and line[column - 2] in " \t":
            column -= 1
        return span._replace(column=column)

    def rename(self, path: DataPath, new_key: str) -> Splice:
        span = self._span(path, on_key=True)
        return Splice(span, key(new_key, quote_of(self._old(span))))

    def insert_first(self, path: DataPath, entry: tuple[str, Any]) -> Splice:
        name, value = entry
        mapping = data_at(self.document.data, path)
        if not isinstance(mapping, Mapping):
            raise FixError("not a mapping")
        span = self._span(path)
        if self._is_flow(path):
            rendered = f"{key(name, None)}: {scalar(value, None, True)}"
            if not mapping:
                return Splice(_point(span.line, span.column + 1), rendered)
            first = first_key_span(self.document, path, mapping)
            return Splice(_point(first.line, first.column), f"{rendered}, ")
        rendered = f"{key(name, None)}: {scalar(value, None, False)}"
        first = first_key_span(self.document, path, mapping)
        before = self.text.line(first.line)[: first.column - 1]
        if before.strip():  # `- Statement: …`: the new key takes the item's first line
            return Splice(_point(first.line, first.column), f"{rendered}\n{' ' * len(before)}")
        top = first.line
        while top > 1 and self.text.line(top - 1).lstrip().startswith("#"):
            top -= 1  # the comments directly above the first key stay with it
        return Splice(_point(top, 1), f"{before}{rendered}\n")

    def append(self, path: DataPath, items: list[Any]) -> Splice:
        current = data_at(self.document.data, path)
        if isinstance(current, str):
            return self.replace(path, [current, *items])
        if not isinstance(current, list):
            raise FixError("not a list")
        span = self._span(path)
        if self._is_flow(path):
            rendered = [flow_value(item) for item in items]
            if not current:
                return Splice(_point(span.line, span.column + 1), ", ".join(rendered))
            last = self._span((*path, len(current) - 1))
            return Splice(_point(last.end_line, last.end_column), "".join(f", {r}" for r in rendered))
        if not current:
            raise FixError("an empty block sequence")
        last = self._span((*path, len(current) - 1))
        indent = " " * (span.column - 1)  # the `-` column of the sequence
        block = block_items(items, _style(self.document, self.text))
        lines = [f"{indent}{line}" for line in block.split("\n")]
        if last.end_column == 1 and last.end_line > last.line:  # a block scalar: a line of its own
            return Splice(_point(last.end_line, 1), "".join(f"{line}\n" for line in lines))
        end = len(self.text.line(last.end_line)) + 1  # after a comment on the item's line
        return Splice(_point(last.end_line, end), "".join(f"\n{line}" for line in lines))


def _point(line: int, column: int) -> Span:
    return Span(line, column, line, column)


def _style(document: Document, text: SourceText) -> YamlStyle:
    """How the document places a block sequence's `-` under its key: the first key with a
    non-empty block sequence value says (2 when none does)."""
    return document.derived("fix-yaml-style", lambda doc: _detect_style(doc, text))


def _detect_style(document: Document, text: SourceText) -> YamlStyle:
    stack: list[tuple[DataPath, Any]] = [((), document.data)]
    seen = 0
    while stack and seen < 200:
        path, value = stack.pop()
        seen += 1
        if isinstance(value, Mapping):
            for name, item in value.items():
                child = (*path, name)
                if isinstance(item, list) and item:
                    key_span, list_span = document.span_of(child, on_key=True), document.span_of(child)
                    if list_span.line > key_span.line and text.span_text(list_span)[:1] == "-":
                        return YamlStyle(sequence_offset=max(0, list_span.column - key_span.column))
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
    return YamlStyle()
