"""RL201, RL202, RL204 on a standalone push policy: rule, data path, message words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS

REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"
EIGHT = [a for a in ECR_PUSH_ACTIONS if a != "ecr:GetAuthorizationToken"]


# -- RL201 / RL202 / RL204 on a standalone push policy ------------------------------------


def test_push_rules_need_the_ecr_push_policies_globs(run: Any) -> None:
    empty = {"Version": "2012-10-17", "Statement": []}
    assert run(empty, "RL201,RL202,RL204", push=False) == []
    assert [p.rule for p in run(empty, "RL201")] == ["RL201"]


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


# -- robustness -----------------------------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["*", "ecr:*", "Allow", "Deny", "arn:aws:ecr:*", "x"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "Version",
                    "Statement",
                    "Effect",
                    "Action",
                    "NotAction",
                    "Resource",
                    "NotResource",
                    "Condition",
                    "Sid",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(data=JSON)
def test_schema_invalid_policies_never_raise(run: Any, data: Any) -> None:
    problems = run(data)
    json.dumps([p.message for p in problems])  # messages are plain text
