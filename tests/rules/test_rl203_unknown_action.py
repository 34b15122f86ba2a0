"""RL203 unknown-action as the check reports it: rule, data path, level, words."""

from __future__ import annotations

from typing import Any

import pytest

from reglint.findings import Severity

EIGHT = [
    "ecr:CreateRepository", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
    "ecr:PutImage", "ecr:UploadLayerPart",
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "severity", "words"),
    [
        ("ecr:PutImages", None, "did you mean `ecr:PutImage`?"),
        ("ecr:Push*", None, "`ecr:Push*` matches no action of service `ecr`"),
        (
            "ecrr:PutImage",
            Severity.WARNING,
            "unknown service prefix `ecrr` in `ecrr:PutImage` (did you mean `ecr`?)",
        ),
        ("PutImage", None, "is not an action: write service:Action"),
        ("ecr:", None, "has no action"),
        ("zz*:Nothing*", None, "matches no known action"),
    ],
)
def test_unknown_actions(
    run: Any, action: str, severity: Severity | None, words: str, good_policy: dict[str, Any]
) -> None:
    data = good_policy
    data["Statement"][1]["Action"] = [*EIGHT, action]
    (problem,) = run(data, "RL203")
    assert problem.path == ("Statement", 1, "Action", 8)
    assert problem.severity is severity
    assert words in problem.message
    assert problem.identity == action


@pytest.mark.parametrize(
    "action",
    ["*", "ecr:*", "ECR:putimage", "ecr:?utImage", "*:GetAuthorizationToken", "ecr*", "e?r:Put*"],
)
def test_known_actions_and_matching_wildcards(
    run: Any, action: str, good_policy: dict[str, Any]
) -> None:
    data = good_policy
    data["Statement"][0]["Action"] = action
    assert run(data, "RL203", push=False) == []


def test_not_action_entries_and_single_strings_are_checked(run: Any) -> None:
    data = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Deny", "NotAction": "ecr:PutImages", "Resource": "*"},
    }
    (problem,) = run(data, "RL203", push=False)
    assert problem.path == ("Statement", "NotAction")
