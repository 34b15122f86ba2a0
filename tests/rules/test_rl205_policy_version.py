"""RL205 policy-version as the check reports it: rule, data path, level, words."""

from __future__ import annotations

from typing import Any


def test_missing_version_is_reported_on_the_document(run: Any, good_policy: dict[str, Any]) -> None:
    data = good_policy
    del data["Version"]
    (problem,) = run(data, "RL205", push=False)
    assert problem.path == ()
    assert "no Version" in problem.message and "2008-10-17" in problem.message


def test_old_version_is_reported_at_its_value(run: Any, good_policy: dict[str, Any]) -> None:
    data = good_policy | {"Version": "2008-10-17"}
    (problem,) = run(data, "RL205", push=False)
    assert problem.path == ("Version",)
    assert "policy variables are not substituted" in problem.message
