"""RL203, RL205, RL206, RL207 as the checks report them: rule, data path, level, words."""

from __future__ import annotations

from typing import Any

import pytest

from reglint.checks.iam import IAM_CHECKS
from reglint.findings import Severity
from reglint.loading.document import DocumentKind

REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"
EIGHT = [
    "ecr:CreateRepository", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
    "ecr:PutImage", "ecr:UploadLayerPart",
]  # fmt: skip


def test_a_good_push_policy_is_clean(run: Any, good_policy: dict[str, Any]) -> None:
    assert run(good_policy) == []


def test_checks_are_split_by_family() -> None:
    assert [(c.name, sorted(c.rules)) for c in IAM_CHECKS] == [
        ("iam-actions", ["RL203"]),
        ("iam-grammar", ["RL205", "RL206", "RL207"]),
        ("iam-push-policy", ["RL201", "RL202", "RL204"]),
    ]
    assert all(c.kinds == {DocumentKind.POLICY} for c in IAM_CHECKS)


# -- RL203 ------------------------------------------------------------------------------


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


# -- RL205 ------------------------------------------------------------------------------


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


# -- RL206 ------------------------------------------------------------------------------


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


# -- RL207 ------------------------------------------------------------------------------


def test_duplicate_sids_are_reported_at_each_repeat(run: Any, good_policy: dict[str, Any]) -> None:
    data = good_policy
    data["Statement"].append(dict(data["Statement"][1]))
    data["Statement"].append(dict(data["Statement"][1]))
    problems = run(data, "RL207", push=False)
    assert [p.path for p in problems] == [("Statement", 2, "Sid"), ("Statement", 3, "Sid")]
    assert 'Sid "Push" is already used by Statement[1]' in problems[0].message
    assert problems[0].identity == "Push"
