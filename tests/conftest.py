"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reglint.findings import FILE_START
from reglint.loading.document import Document, DocumentKind, SourceFile
from reglint.loading.positions import FixedPositions


def make_document(data: Any, kind: DocumentKind, path: str = "/project/doc.yaml") -> Document:
    """A document without real positions, for checks tested on their data paths."""
    source = SourceFile(path=Path(path))
    doc = Document(
        file=source, index=0, kind=kind, data=data, positions=FixedPositions(), span=FILE_START
    )
    source.documents.append(doc)
    return doc


@pytest.fixture
def document_factory() -> Any:
    return make_document


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `reglint ARGS` in-process in folder `cwd`; returns code, stdout and stderr."""
    import io
    import sys

    from reglint.cli import main

    def invoke(*args: str, cwd: Path | None = None, stdin: bytes = b"") -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke

