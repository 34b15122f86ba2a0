"""Data paths into a document's data, as the renderers walk them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reglint.findings import Span
from reglint.fixes.text import FixError
from reglint.loading.document import DataPath, Document


def data_at(data: Any, path: DataPath) -> Any:
    """The value at `path`; FixError when the path leads nowhere."""
    for step in path:
        if isinstance(data, list):
            if not (isinstance(step, int) and 0 <= step < len(data)):
                raise FixError("the path leads nowhere")
            data = data[step]
        elif isinstance(data, Mapping) and step in data:
            data = data[step]
        else:
            raise FixError("the path leads nowhere")
    return data


def first_key_span(document: Document, path: DataPath, mapping: Mapping[Any, Any]) -> Span:
    """Where the first key of the mapping at `path` is written."""
    if not mapping:
        raise FixError("an empty mapping")
    return min(document.span_of((*path, name), on_key=True) for name in mapping)
