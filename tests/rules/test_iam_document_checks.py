"""The IAM document checks: split by rule family, and clean on a good push policy."""

from __future__ import annotations

from typing import Any

from reglint.checks.iam import IAM_CHECKS
from reglint.loading.document import DocumentKind


def test_a_good_push_policy_is_clean(run: Any, good_policy: dict[str, Any]) -> None:
    assert run(good_policy) == []


def test_checks_are_split_by_family() -> None:
    assert [(c.name, sorted(c.rules)) for c in IAM_CHECKS] == [
        ("iam-actions", ["RL203"]),
        ("iam-grammar", ["RL205", "RL206", "RL207"]),
        ("iam-push-policy", ["RL201", "RL202", "RL204"]),
    ]
    assert all(c.kinds == {DocumentKind.POLICY} for c in IAM_CHECKS)
