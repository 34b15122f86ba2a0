"""ARN partitions (SPEC §6.1): RL206 knows botocore's partitions, and a standalone push
policy is evaluated in the partitions its own ECR ARNs name (`aws` when none)."""

from __future__ import annotations

from typing import Any

import pytest

from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS

EIGHT = [a for a in ECR_PUSH_ACTIONS if a != "ecr:GetAuthorizationToken"]
KNOWN = "aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov"
TOKEN = {"Sid": "Token", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}


def push_policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [TOKEN, *statements]}


def allow(resource: Any, actions: Any = EIGHT) -> dict[str, Any]:
    return {"Sid": "Push", "Effect": "Allow", "Action": actions, "Resource": resource}


def deny(resource: Any) -> dict[str, Any]:
    return {"Sid": "Guard", "Effect": "Deny", "Action": "ecr:PutImage", "Resource": resource}


# -- RL206: the partition must be one botocore knows -------------------------------------


@pytest.mark.parametrize("partition", ["aws-foo", "aws-cn-north", "aws-gov"])
def test_a_partition_botocore_does_not_know_is_rl206(run: Any, partition: str) -> None:
    resource = f"arn:{partition}:ecr:us-east-2:123456789012:repository/ml-prod/*"
    (problem,) = run(push_policy(allow(resource)), "RL206", push=False)
    assert problem.path == ("Statement", 1, "Resource")
    assert f"`{resource}` is not a valid ARN" in problem.message
    assert f"partition `{partition}` is not an AWS partition ({KNOWN})" in problem.message


@pytest.mark.parametrize(
    "partition",
    ["aws", "aws-cn", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-us-gov",
     "aws*", "*", "aws-?s-gov", "${aws:PrincipalTag/partition}"],
)  # fmt: skip
def test_known_wildcard_and_variable_partitions_are_valid(run: Any, partition: str) -> None:
    resource = f"arn:{partition}:ecr:*:123456789012:repository/ml-prod/*"
    assert run(push_policy(allow(resource)), "RL206", push=False) == []


# -- RL201 for a standalone push policy, per partition ------------------------------------


def test_a_deny_on_every_aws_repository_counts_when_the_policy_names_no_other_partition(
    run: Any,
) -> None:
    """Before: an aws-cn repository "escaped" the Deny, so ecr:PutImage looked allowed."""
    data = push_policy(allow("*"), deny("arn:aws:ecr:*:*:repository/*"))
    (problem,) = run(data, "RL201")
    assert problem.path == ("Statement",)
    assert problem.message.startswith(
        "1 of the 9 required ECR push actions is not allowed for any ECR repository: "
        'ecr:PutImage (explicitly denied by "Guard" (Statement[2]))'
    )


def test_no_partition_named_means_aws(run: Any) -> None:
    data = push_policy(allow("*"), deny("arn:*:ecr:*:*:repository/*"))
    (problem,) = run(data, "RL201")
    assert "for any ECR repository: ecr:PutImage (explicitly denied" in problem.message


def test_each_partition_named_must_pass(run: Any) -> None:
    data = push_policy(
        allow(
            [
                "arn:aws:ecr:us-east-2:123456789012:repository/*",
                "arn:aws-cn:ecr:cn-north-1:123456789012:repository/*",
            ]
        ),
        deny("arn:aws-cn:ecr:*:*:repository/*"),
    )
    (problem,) = run(data, "RL201")
    assert problem.message.startswith(
        "1 of the 9 required ECR push actions is not allowed for any ECR repository in "
        'partition aws-cn: ecr:PutImage (explicitly denied by "Guard" (Statement[2]))'
    )
    assert [r.path for r in problem.related] == [("Statement", 2)]


def test_a_policy_for_one_other_partition_is_evaluated_there_only(run: Any) -> None:
    data = push_policy(allow("arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/ml/*"))
    assert run(data, "RL201") == []


def test_only_ecr_arns_name_the_partitions(run: Any) -> None:
    """An S3 bucket in aws-cn does not make the policy push to ECR in China."""
    data = push_policy(allow("arn:aws:ecr:us-east-2:123456789012:repository/*"))
    data["Statement"].append(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws-cn:s3:::cache/*"}
    )
    assert run(data, "RL201") == []


def test_an_unknown_partition_names_no_partition(run: Any) -> None:
    data = push_policy(allow("*"), deny("arn:aws-foo:ecr:*:*:repository/*"))
    assert run(data, "RL201") == []  # RL206 reports the ARN; the Deny matches nothing real
    assert [p.rule for p in run(data, "RL206")] == ["RL206"]
