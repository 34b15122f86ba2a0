"""RL207 duplicate-sid as the check reports it: rule, data path, level, words."""

from __future__ import annotations

from typing import Any


def test_duplicate_sids_are_reported_at_each_repeat(run: Any, good_policy: dict[str, Any]) -> None:
    data = good_policy
    data["Statement"].append(dict(data["Statement"][1]))
    data["Statement"].append(dict(data["Statement"][1]))
    problems = run(data, "RL207", push=False)
    assert [p.path for p in problems] == [("Statement", 2, "Sid"), ("Statement", 3, "Sid")]
    assert 'Sid "Push" is already used by Statement[1]' in problems[0].message
    assert problems[0].identity == "Push"
