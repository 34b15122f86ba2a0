"""Whom a resource policy (an ECR repository or registry policy) lets push, given as
data as `aws verify` reads it (SPEC §6.2 cross-account push, §6.4 RL401/RL402): the one
evaluation of model/iam/resource_policy.py."""

from __future__ import annotations

from typing import Any

import pytest

from reglint.model.iam.policy import Policy
from reglint.model.iam.resource_policy import evaluate_resource_policies
from reglint.model.iam.target import RepositoryTarget

ROLE = "arn:aws:iam::210987654321:role/ci/pusher"
REPO = "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/app"
PUT = "ecr:PutImage"
ALLOWED, CONDITIONAL, DENIED, NOT_ALLOWED = "allowed", "conditional", "denied", "not allowed"


def statement(principal: Any, effect: str = "Allow", key: str = "Principal", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, key: principal, "Action": PUT, **extra}


def verdict(*statements: dict[str, Any], explicit: bool = False, data: Any = None) -> str:
    data = data if data is not None else {"Version": "2012-10-17", "Statement": list(statements)}
    (result,) = evaluate_resource_policies(
        [Policy.from_data(data)], ROLE, [PUT], RepositoryTarget.for_arn_pattern(REPO), data=[data],
        explicit_only=explicit,
    )
    if result.denied_by:
        assert not result.allowed
        return DENIED
    if not result.allowed:
        return NOT_ALLOWED
    return CONDITIONAL if result.conditional else ALLOWED


@pytest.mark.parametrize(
    "principal",
    ["*", {"AWS": "*"}, {"AWS": ROLE}, {"AWS": [ROLE, "arn:aws:iam::111111111111:root"]},
     {"AWS": "210987654321"}, {"AWS": "arn:aws:iam::210987654321:root"}],
    ids=["star", "aws-star", "role", "role-in-list", "account-id", "account-root"],
)
def test_a_principal_that_covers_the_role_grants_it(principal: Any) -> None:
    assert verdict(statement(principal)) == ALLOWED


@pytest.mark.parametrize(
    "principal",
    [{"AWS": "arn:aws:iam::210987654321:role/ci/other"}, {"AWS": "111111111111"},
     {"Service": "codebuild.amazonaws.com"}, {"AWS": "arn:aws:iam::210987654321:role/pusher"}],
    ids=["other-role", "other-account", "service", "same-name-other-path"],
)
def test_a_principal_that_does_not_cover_the_role_grants_nothing(principal: Any) -> None:
    assert verdict(statement(principal)) == NOT_ALLOWED


def test_not_principal_grants_everyone_but_those_it_names() -> None:
    assert verdict(statement({"AWS": "arn:aws:iam::111111111111:root"}, key="NotPrincipal")) == ALLOWED
    assert verdict(statement({"AWS": ROLE}, key="NotPrincipal")) == NOT_ALLOWED


def test_a_deny_to_everyone_wins_and_a_condition_makes_a_grant_conditional() -> None:
    assert verdict(statement({"AWS": ROLE}), statement("*", effect="Deny")) == DENIED
    condition = {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    assert verdict(statement("*", **condition)) == CONDITIONAL
    assert verdict(statement("*", **condition), statement({"AWS": ROLE})) == ALLOWED
    # A Deny under a Condition denies nothing here (it may not apply).
    assert verdict(statement({"AWS": ROLE}), statement("*", effect="Deny", **condition)) == ALLOWED


def test_a_registry_policy_statement_keeps_its_resource() -> None:
    other = "arn:aws:ecr:us-east-2:123456789012:repository/other/*"
    assert verdict(statement({"AWS": ROLE}, Resource=other)) == NOT_ALLOWED
    assert verdict(statement({"AWS": ROLE}, Resource="arn:aws:ecr:us-east-2:123456789012:repository/*")) == ALLOWED


def test_explicit_only_counts_only_statements_that_name_the_role() -> None:
    """RL402 asks whether a policy lets *that* role push: a grant to everyone or to an
    account is RL209's or the account's own business, not a collision."""
    assert verdict(statement({"AWS": ROLE}), explicit=True) == ALLOWED
    assert verdict(statement("*"), explicit=True) == NOT_ALLOWED
    assert verdict(statement({"AWS": "210987654321"}), explicit=True) == NOT_ALLOWED
    assert verdict(statement({"AWS": ROLE}, key="NotPrincipal"), explicit=True) == NOT_ALLOWED
    assert verdict(statement({"AWS": [ROLE, "111111111111"]}), explicit=True) == ALLOWED


@pytest.mark.parametrize("data", [[], {"Statement": "x"}, {"Statement": [1, {"Effect": "Allow"}]}])
def test_a_malformed_policy_grants_nothing_and_never_raises(data: Any) -> None:
    assert verdict(data=data) == NOT_ALLOWED


def test_without_its_data_a_policy_without_a_document_is_not_read_as_naming_the_role_explicitly() -> None:
    data = {"Statement": [statement({"AWS": ROLE})]}
    (result,) = evaluate_resource_policies([Policy.from_data(data)], ROLE, [PUT],
                                           RepositoryTarget.for_arn_pattern(REPO), explicit_only=True)
    assert not result.allowed
