"""Fixtures of the rule tests. The IAM rules' tests share tests/iam/conftest.py's: `run`
(the IAM checks' problems for a policy) and `good_policy` (a clean push policy)."""

from __future__ import annotations

from pathlib import Path

import pytest
from iam.conftest import good_policy, run

from reglint.checks.manifest import REGISTRY_CHECKS

__all__ = ["good_policy", "root", "run", "with_registry_checks"]


@pytest.fixture
def with_registry_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the engine with these checks (until `reglint.checks.all` registers them)."""
    from reglint.checks.all import DOCUMENT_CHECKS

    present = {check.name for check in DOCUMENT_CHECKS}
    extra = tuple(check for check in REGISTRY_CHECKS if check.name not in present)
    monkeypatch.setattr("reglint.engine.run.DOCUMENT_CHECKS", DOCUMENT_CHECKS + extra)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project folder: a git top level."""
    (tmp_path / ".git").mkdir()
    return tmp_path
