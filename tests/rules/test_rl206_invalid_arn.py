"""RL206 invalid-arn as the check reports it: rule, data path, level, words."""

from __future__ import annotations

from typing import Any

import pytest

REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"


@pytest.mark.parametrize(
    ("resource", "words"),
    [
        ("123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod/*", "registry URL, not an ARN"),
        ("arn:aws:ecr:us-east-2:repository/ml-prod/*", "it has 5 of the 6 colon-separated parts"),
        ("aws:ecr:us-east-2:123456789012:repository/x:y", "it must start with `arn:`"),
        ("arn:amazon:ecr:us-east-2:123456789012:repository/x", "partition `amazon`"),
        ("arn:aws:ECR:us-east-2:123456789012:repository/x", "service `ECR`"),
        ("arn:aws:ecr:us_east_2:123456789012:repository/x", "region `us_east_2`"),
        ("arn:aws:s3:us-east-2:12345:bucket", "account `12345` is not a 12-digit account ID"),
        ("arn:aws:ecr:us-east-2:12345678901:repository/ml-prod/*", "account `12345678901`"),
        ("arn:aws:ecr::123456789012:repository/ml-prod/*", "needs a region"),
        ("arn:aws:ecr:us-east-2::repository/ml-prod/*", "needs the 12-digit account ID"),
        ("arn:aws:ecr:us-east-2:aws:repository/ml-prod/*", "account `aws`"),
        ("arn:aws:ecr:us-east-2:123456789012:repository/", "names no repository"),
        ("arn:aws:organizations::*:", "the resource part after the fifth `:` is empty"),
    ],
)
def test_invalid_arns(run: Any, resource: str, words: str, good_policy: dict[str, Any]) -> None:
    data = good_policy
    data["Statement"][1]["Resource"] = [f"{REPOS}/ml-prod/*", resource]
    (problem,) = run(data, "RL206", push=False)
    assert problem.path == ("Statement", 1, "Resource", 1)
    assert f"`{resource}` is not a valid ARN" in problem.message and words in problem.message


@pytest.mark.parametrize(
    "resource",
    [
        "*",
        "arn:aws:s3:::bucket/*",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws-cn:ecr:cn-north-1:123456789012:repository/x",
        "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/x",
        "arn:*:ecr:*:*:repository/*",
        "arn:aws:ecr:us-east-?:1234*:repository/x",
        "arn:aws:ecr:${aws:RequestedRegion}:${aws:PrincipalAccount}:repository/x",
        "arn:aws:ssm:us-east-1:123456789012:parameter/a:b:c",
        "arn:aws:logs:*:*:log-group:/aws/x:*",
    ],
)
def test_valid_arns(run: Any, resource: str, good_policy: dict[str, Any]) -> None:
    data = good_policy
    data["Statement"][1]["Resource"] = resource
    assert run(data, "RL206", push=False) == []


def test_not_resource_entries_are_checked(run: Any, good_policy: dict[str, Any]) -> None:
    data = good_policy
    data["Statement"][1] = {"Effect": "Deny", "Action": "ecr:*", "NotResource": "ml-prod/*"}
    (problem,) = run(data, "RL206", push=False)
    assert problem.path == ("Statement", 1, "NotResource")
