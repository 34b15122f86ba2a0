"""A `DataEdit` on a JSON document as splices of its text (render.py checks the result).

The file keeps its layout: a new key goes first in its object, on a line of its own
when the object's keys are each on one, in their indentation; a value that replaces
another, or joins a list, is written on one line where its neighbours are, else
indented as the file indents (the unit of its first indented line: two spaces, four,
a tab). Strings are written as `json.dumps` writes them, non-ASCII kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reglint.findings import Span
from reglint.fixes.paths import data_at, first_key_span
from reglint.fixes.text import FixError, SourceText, Splice
from reglint.loading.document import DataEdit, DataPath, Document, EditAction


def json_splices(edit: DataEdit, document: Document, text: SourceText) -> list[Splice]:
    renderer = _JsonDocument(document, text)
    match edit.action:
        case EditAction.REPLACE:
            return [renderer.replace(edit.path, edit.value)]
        case EditAction.RENAME_KEY:
            return [Splice(document.span_of(edit.path, on_key=True), _inline(edit.value))]
        case EditAction.INSERT_FIRST:
            return [renderer.insert_first(edit.path, edit.value)]
        case EditAction.APPEND:
            return [renderer.append(edit.path, edit.value)]
    raise FixError(f"{edit.action.value} is not a JSON data edit")


def _inline(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


class _JsonDocument:
    def __init__(self, document: Document, text: SourceText) -> None:
        self.document = document
        self.text = text

    def _indent_of(self, line: int) -> str:
        content = self.text.line(line)
        return content[: len(content) - len(content.lstrip(" \t"))]

    def _unit(self) -> str | None:
        """The file's unit of indentation: that of its first indented line."""
        for number in range(1, min(self.text.lines, 200) + 1):
            indent = self._indent_of(number)
            if indent and self.text.line(number).strip():
                return indent
        return None

    def _block(self, value: Any, indent: str) -> str:
        """`value` over several lines, as the file indents, its first line unindented."""
        unit = self._unit()
        if unit is None or not isinstance(value, Mapping | list) or not value:
            return _inline(value)
        lines = json.dumps(value, ensure_ascii=False, indent=unit).split("\n")
        return "\n".join([lines[0], *(f"{indent}{line}" for line in lines[1:])])

    def _own_line(self, span: Span) -> bool:
        """True when the node at `span` starts its line (only blanks before it)."""
        return not self.text.line(span.line)[: span.column - 1].strip()

    def replace(self, path: DataPath, value: Any) -> Splice:
        span = self.document.span_of(path)
        if not path or not isinstance(value, Mapping | list):
            return Splice(span, _inline(value))
        # A container spreads over lines when the object or list around it does.
        parent = self.document.span_of(path[:-1])
        if parent.end_line > parent.line and span.line > parent.line:
            return Splice(span, self._block(value, self._indent_of(span.line)))
        return Splice(span, _inline(value))

    def insert_first(self, path: DataPath, entry: tuple[str, Any]) -> Splice:
        name, value = entry
        mapping = data_at(self.document.data, path)
        if not isinstance(mapping, Mapping):
            raise FixError("not an object")
        rendered = f"{_inline(name)}: {_inline(value)}"
        span = self.document.span_of(path)
        if not mapping:
            return Splice(_point(span.line, span.column + 1), rendered)
        first = first_key_span(self.document, path, mapping)
        where = _point(first.line, first.column)
        if first.line > span.line and self._own_line(first):
            return Splice(where, f"{rendered},\n{self._indent_of(first.line)}")
        return Splice(where, f"{rendered}, ")

    def append(self, path: DataPath, items: list[Any]) -> Splice:
        current = data_at(self.document.data, path)
        if isinstance(current, str):
            return Splice(self.document.span_of(path), _inline([current, *items]))
        if not isinstance(current, list):
            raise FixError("not a list")
        span = self.document.span_of(path)
        if not current:
            return Splice(_point(span.line, span.column + 1), ", ".join(_inline(i) for i in items))
        last = self.document.span_of((*path, len(current) - 1))
        where = _point(last.end_line, last.end_column)
        if last.line > span.line and self._own_line(last):
            indent = self._indent_of(last.line)
            spread = last.end_line > last.line  # the last item spreads over lines: so do new ones
            rendered = [self._block(i, indent) if spread else _inline(i) for i in items]
            return Splice(where, "".join(f",\n{indent}{r}" for r in rendered))
        return Splice(where, "".join(f", {_inline(i)}" for i in items))


def _point(line: int, column: int) -> Span:
    return Span(line, column, line, column)
