"""Fixtures of the rule tests."""

from __future__ import annotations

import pytest

from reglint.checks.manifest import REGISTRY_CHECKS


@pytest.fixture
def with_registry_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the engine with these checks (until `reglint.checks.all` registers them)."""
    from reglint.checks.all import DOCUMENT_CHECKS

    present = {check.name for check in DOCUMENT_CHECKS}
    extra = tuple(check for check in REGISTRY_CHECKS if check.name not in present)
    monkeypatch.setattr("reglint.engine.run.DOCUMENT_CHECKS", DOCUMENT_CHECKS + extra)
