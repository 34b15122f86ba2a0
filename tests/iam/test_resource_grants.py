"""What a resource policy (an ECR repository or registry policy) grants one principal,
read as an identity policy for the same engine (SPEC §6.2 cross-account push, §6.4)."""

from __future__ import annotations

from typing import Any

import pytest

from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.resource_grants import Principal, grants_to

ROLE = "arn:aws:iam::210987654321:role/ci/pusher"
REPO = "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/app"
PUT = "ecr:PutImage"
PRINCIPAL = Principal.of_arn(ROLE)


def statement(principal: Any, effect: str = "Allow", key: str = "Principal", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, key: principal, "Action": PUT, **extra}


def verdict(*statements: dict[str, Any], explicit: bool = False) -> Verdict:
    data = {"Version": "2012-10-17", "Statement": list(statements)}
    policy = grants_to(data, PRINCIPAL, REPO, explicit_only=explicit)
    (result,) = evaluate_policies([policy], [PUT], RepositoryTarget.for_arn_pattern(REPO)).verdicts
    return result.verdict


@pytest.mark.parametrize(
    "principal",
    ["*", {"AWS": "*"}, {"AWS": ROLE}, {"AWS": [ROLE, "arn:aws:iam::111111111111:root"]},
     {"AWS": "210987654321"}, {"AWS": "arn:aws:iam::210987654321:root"}],
    ids=["star", "aws-star", "role", "role-in-list", "account-id", "account-root"],
)
def test_a_principal_that_covers_the_role_grants_it(principal: Any) -> None:
    assert verdict(statement(principal)) is Verdict.ALLOWED


@pytest.mark.parametrize(
    "principal",
    [{"AWS": "arn:aws:iam::210987654321:role/ci/other"}, {"AWS": "111111111111"},
     {"Service": "codebuild.amazonaws.com"}, {"AWS": "arn:aws:iam::210987654321:role/pusher"}],
    ids=["other-role", "other-account", "service", "same-name-other-path"],
)
def test_a_principal_that_does_not_cover_the_role_grants_nothing(principal: Any) -> None:
    assert verdict(statement(principal)) is Verdict.NOT_ALLOWED


def test_not_principal_grants_everyone_but_those_it_names() -> None:
    assert verdict(statement({"AWS": "arn:aws:iam::111111111111:root"}, key="NotPrincipal")) is Verdict.ALLOWED
    assert verdict(statement({"AWS": ROLE}, key="NotPrincipal")) is Verdict.NOT_ALLOWED


def test_a_deny_to_everyone_wins_and_a_condition_makes_it_conditional() -> None:
    assert verdict(statement({"AWS": ROLE}), statement("*", effect="Deny")) is Verdict.DENIED
    condition = {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    assert verdict(statement("*", **condition)) is Verdict.CONDITIONAL_ALLOW


def test_a_registry_policy_statement_keeps_its_resource() -> None:
    other = "arn:aws:ecr:us-east-2:123456789012:repository/other/*"
    assert verdict(statement({"AWS": ROLE}, Resource=other)) is Verdict.RESOURCE_NOT_COVERED
    assert verdict(statement({"AWS": ROLE}, Resource="arn:aws:ecr:us-east-2:123456789012:repository/*")) is Verdict.ALLOWED


def test_explicit_only_counts_only_statements_that_name_the_role() -> None:
    """RL402 asks whether a policy lets *that* role push: a grant to everyone or to an
    account is RL209's or the account's own business, not a collision."""
    assert verdict(statement({"AWS": ROLE}), explicit=True) is Verdict.ALLOWED
    assert verdict(statement("*"), explicit=True) is Verdict.NOT_ALLOWED
    assert verdict(statement({"AWS": "210987654321"}), explicit=True) is Verdict.NOT_ALLOWED


def test_a_principal_is_read_from_an_iam_arn_only() -> None:
    assert PRINCIPAL == Principal(ROLE, "210987654321", "aws")
    assert Principal.of_arn("arn:aws-cn:iam::123456789012:user/ci") == Principal(
        "arn:aws-cn:iam::123456789012:user/ci", "123456789012", "aws-cn"
    )
    for text in ("not an arn", "arn:aws:sts::210987654321:assumed-role/pusher/s", "arn:aws:iam::12:role/x"):
        assert Principal.of_arn(text) is None


@pytest.mark.parametrize("data", [None, [], {"Statement": "x"}, {"Statement": [1, {"Effect": "Allow"}]}])
def test_a_malformed_policy_grants_nothing_and_never_raises(data: Any) -> None:
    policy = grants_to(data, PRINCIPAL, REPO)
    (result,) = evaluate_policies([policy], [PUT], RepositoryTarget.for_arn_pattern(REPO)).verdicts
    assert result.verdict is Verdict.NOT_ALLOWED


def test_is_role_arn_is_the_schemas_pattern() -> None:
    import json

    from reglint.model.iam.arns import is_role_arn
    from reglint.package_data import data_path

    schema = json.loads((data_path("schemas") / "registry-service.schema.json").read_text(encoding="utf-8"))
    pattern = schema["properties"]["spec"]["properties"]["auth"]["properties"]["roleArn"]["pattern"]
    assert pattern == "^arn:(aws|aws-[a-z-]+):iam::[0-9]{12}:role/.+$"
    assert is_role_arn("arn:aws-us-gov:iam::123456789012:role/a/b")
    assert not is_role_arn("arn:aws:iam::123456789012:user/a") and not is_role_arn("arn:aws:iam::1234:role/a")
