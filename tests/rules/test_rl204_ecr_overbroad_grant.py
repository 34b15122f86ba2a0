"""RL204 ecr-overbroad-grant on a standalone push policy: rule, data path, message words."""

from __future__ import annotations

from typing import Any

import pytest

REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"


@pytest.mark.parametrize(
    ("statement", "path", "words"),
    [
        (
            {"Effect": "Allow", "Action": ["ecr:*", "s3:GetObject"], "Resource": "*"},
            ("Statement", 2, "Action", 0),
            "allows `ecr:*` on every resource",
        ),
        (
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            ("Statement", 2, "Action"),
            "allows `*` on every resource",
        ),
        (
            {"Effect": "Allow", "Action": "ECR:*", "Resource": ["arn:aws:s3:::b", "*"]},
            ("Statement", 2, "Action"),
            "`ECR:*`",
        ),
        (
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            ("Statement", 2, "NotAction"),
            "every ECR action",
        ),
        (
            {"Effect": "Allow", "Action": "ecr:*", "NotResource": "arn:aws:s3:::b"},
            ("Statement", 2, "Action"),
            "`ecr:*`",
        ),
        (
            {
                "Effect": "Allow",
                "Action": "ecr:*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "true"}},
            },
            ("Statement", 2, "Action"),
            "`ecr:*`",
        ),
    ],
)
def test_overbroad_grants(
    run: Any,
    statement: dict[str, Any],
    path: tuple[Any, ...],
    words: str,
    good_policy: dict[str, Any],
) -> None:
    data = good_policy
    data["Statement"].append(statement)
    (problem,) = run(data, "RL204")
    assert problem.path == path
    assert words in problem.message
    assert "ecr:CreateRepository, ecr:BatchCheckLayerAvailability" in problem.message
    assert "arn:<partition>:ecr:<region>:<account>:repository/<namespace>*" in problem.message


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "ecr:*", "Resource": f"{REPOS}/ml-prod/*"},
        {"Effect": "Allow", "Action": "ecr:Put*", "Resource": "*"},
        {"Effect": "Deny", "Action": "ecr:*", "Resource": "*"},
        {"Effect": "Allow", "NotAction": "ecr:Delete*", "Resource": "*"},
        {"Effect": "Allow", "Action": "ecr:*", "NotResource": "arn:aws:ecr:*"},
    ],
)
def test_narrower_grants_are_not_overbroad(
    run: Any, statement: dict[str, Any], good_policy: dict[str, Any]
) -> None:
    data = good_policy
    data["Statement"].append(statement)
    assert run(data, "RL204") == []
