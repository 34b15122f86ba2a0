"""Fixtures of the platform-source tests that run reglint over a project."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project folder: a git top level."""
    (tmp_path / ".git").mkdir()
    return tmp_path
