"""The project a run sees: its root and every loaded file (cross-file rules read it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reglint.loading.document import Document, DocumentKind, SourceFile


@dataclass(slots=True)
class Project:
    root: Path
    sources: list[SourceFile] = field(default_factory=list)

    def documents(self, kind: DocumentKind) -> Iterator[Document]:
        for source in self.sources:
            for document in source.documents:
                if document.kind is kind:
                    yield document
