"""RL202 ecr-push-actions-conditional on a standalone push policy: rule, data path, message
words."""

from __future__ import annotations

from typing import Any

from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS

EIGHT = [a for a in ECR_PUSH_ACTIONS if a != "ecr:GetAuthorizationToken"]


def test_conditional_grants_are_warned_at_the_condition(
    run: Any, good_policy: dict[str, Any]
) -> None:
    data = good_policy
    data["Statement"][1]["Condition"] = {"StringEquals": {"aws:SourceVpc": "vpc-0a1b2c3d4e5f67890"}}
    data["Statement"].append(
        {
            "Effect": "Deny",
            "Action": "ecr:GetAuthorizationToken",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    )
    assert run(data, "RL201") == []  # conditional verdicts are RL202's alone
    problems = run(data, "RL202")
    assert [(p.path, p.on_key) for p in problems] == [
        (("Statement", 1, "Condition"), True),
        (("Statement", 2, "Condition"), True),
    ]
    assert problems[0].message.startswith(
        ", ".join(EIGHT) + " are allowed only under a Condition for any ECR repository"
    )
    assert problems[1].message.startswith(
        'ecr:GetAuthorizationToken is denied under a Condition for Resource "*"'
    )
    assert all(p.severity is None for p in problems)  # RL202's default level is warning
