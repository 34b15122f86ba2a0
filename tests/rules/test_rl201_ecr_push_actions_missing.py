"""RL201 ecr-push-actions-missing on a standalone push policy: rule, data path, message words."""

from __future__ import annotations

from typing import Any

from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS

REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"
EIGHT = [a for a in ECR_PUSH_ACTIONS if a != "ecr:GetAuthorizationToken"]


def test_missing_actions_are_listed_with_their_reasons(
    run: Any, good_policy: dict[str, Any]
) -> None:
    data = good_policy
    data["Statement"][0]["Resource"] = f"{REPOS}/*"  # the token needs "*"
    data["Statement"][1]["Action"] = [a for a in EIGHT if a != "ecr:CreateRepository"]
    data["Statement"].append(
        {
            "Sid": "NoPush",
            "Effect": "Deny",
            "Action": "ecr:PutImage",
            "Resource": "arn:aws*:ecr:*:*:repository/*",
        }
    )
    (problem,) = run(data, "RL201")
    assert problem.path == ("Statement",)
    message = problem.message
    assert message.startswith(
        "3 of the 9 required ECR push actions are not allowed for any ECR repository: "
    )
    assert "ecr:CreateRepository (not allowed by any statement)" in message
    assert 'ecr:GetAuthorizationToken (not allowed on Resource "*"' in message
    assert 'ecr:PutImage (explicitly denied by "NoPush" (Statement[2]))' in message
    assert "ecr:UploadLayerPart" not in message  # only the missing ones
    assert problem.identity == "ecr:CreateRepository,ecr:GetAuthorizationToken,ecr:PutImage"
    related = {(r.path, r.message) for r in problem.related}
    assert related == {
        (
            ("Statement", 0),
            '"Token" (Statement[0]) allows ecr:GetAuthorizationToken, but not on Resource "*"',
        ),
        (("Statement", 2), '"NoPush" (Statement[2]) denies ecr:PutImage'),
        # Nothing grants ecr:CreateRepository: the statement granting the others is where
        # it belongs.
        (("Statement", 1), '"Push" (Statement[1]) does not allow ecr:CreateRepository'),
    }


def test_required_ecr_actions_extend_the_nine(run: Any, good_policy: dict[str, Any]) -> None:
    required = (*ECR_PUSH_ACTIONS, "ecr:DescribeRepositories")
    (problem,) = run(good_policy, "RL201", required=required)
    assert problem.message.startswith("1 of the 10 required ECR push actions")
    assert "ecr:DescribeRepositories (not allowed by any statement)" in problem.message
