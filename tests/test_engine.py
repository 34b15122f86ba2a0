"""The engine isolates failing checks (RL000) and decides what gets reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, write_tree

from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.checks.schema import SCHEMA_CHECK
from reglint.engine import run as engine_run
from reglint.loading.document import Document, DocumentKind, Problem

SECRET = "hunter2-do-not-print"
TYPO = MANIFEST.replace("  role: user\n", "  rol: user\n")


def _exploding(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    if document.data["metadata"]["name"] == "boom":
        raise ValueError(f"cannot handle {SECRET}")
    yield from ()


EXPLODING = DocumentCheck("exploding", frozenset({"RL002"}), frozenset({DocumentKind.MANIFEST}), _exploding)


@pytest.fixture
def with_exploding_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_run, "DOCUMENT_CHECKS", (EXPLODING, SCHEMA_CHECK))


def test_a_raising_check_is_rl000_and_the_run_goes_on(
    run_cli: Any, tmp_path: Path, with_exploding_check: None
) -> None:
    write_tree(
        tmp_path,
        {".git/HEAD": "", "a.yaml": MANIFEST.replace("name: docker-registry", "name: boom"), "b.yaml": TYPO},
    )
    result = run_cli("check", "--select", "RL0", cwd=tmp_path)
    assert result.code == 2
    lines = result.out.splitlines()
    assert lines[0].startswith("a.yaml:1:1: RL000 error internal-error: internal error in check 'exploding' (ValueError)")
    assert "please report it" in lines[0]
    assert lines[1].startswith("b.yaml:9:3: RL002 error schema-violation:")  # other files still checked
    assert "internal error occurred" in result.err
    assert SECRET not in result.out + result.err


def test_debug_shows_the_traceback_but_not_the_exception_text(
    run_cli: Any, tmp_path: Path, with_exploding_check: None
) -> None:
    write_tree(tmp_path, {".git/HEAD": "", "a.yaml": MANIFEST.replace("name: docker-registry", "name: boom")})
    result = run_cli("check", "--debug", "--select", "RL0", cwd=tmp_path)
    assert result.code == 2
    assert "in _exploding" in result.err and "ValueError in check 'exploding'" in result.err
    assert SECRET not in result.out + result.err


def test_deselected_checks_do_not_run(run_cli: Any, tmp_path: Path, with_exploding_check: None) -> None:
    write_tree(tmp_path, {".git/HEAD": "", "a.yaml": MANIFEST.replace("name: docker-registry", "name: boom")})
    assert run_cli("check", "--select", "RL001", cwd=tmp_path).code == 0
