"""A permissions boundary limits an identity's rights (SPEC §6.2, §6.4): an action counts
as allowed only when the boundary allows it too; the identity's own verdict wins ties."""

from __future__ import annotations

from typing import Any

from reglint.model.iam.boundary import within_boundary
from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.policy import Policy

NAMESPACE = RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/")
PUT, TOKEN, CREATE = "ecr:PutImage", "ecr:GetAuthorizationToken", "ecr:CreateRepository"
ACTIONS = (TOKEN, CREATE, PUT)


def policy(*statements: dict[str, Any]) -> Policy:
    return Policy.from_data({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def verdicts(rights: Policy, boundary: Policy) -> dict[str, tuple[Verdict, bool]]:
    own = evaluate_policies([rights], ACTIONS, NAMESPACE)
    limit = evaluate_policies([boundary], ACTIONS, NAMESPACE)
    bounded = within_boundary(own, limit)
    return {v.action: (v.verdict, v.action in bounded.by_boundary) for v in bounded.evaluation.verdicts}


def test_an_action_the_boundary_does_not_allow_is_missing_and_the_boundary_decides_it() -> None:
    rights = policy(allow("ecr:*"))
    boundary = policy(allow([TOKEN, PUT]))
    assert verdicts(rights, boundary) == {
        TOKEN: (Verdict.ALLOWED, False),
        CREATE: (Verdict.NOT_ALLOWED, True),
        PUT: (Verdict.ALLOWED, False),
    }


def test_the_identitys_own_missing_action_is_its_own_whatever_the_boundary_says() -> None:
    rights = policy(allow([TOKEN, PUT]))
    boundary = policy({"Effect": "Deny", "Action": CREATE, "Resource": "*"}, allow("*"))
    assert verdicts(rights, boundary)[CREATE] == (Verdict.NOT_ALLOWED, False)


def test_a_deny_in_the_boundary_and_a_condition_in_it_carry_over() -> None:
    rights = policy(allow("ecr:*"))
    condition = {"Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-2"}}}
    boundary = policy(
        allow("ecr:*"), {"Effect": "Deny", "Action": PUT, "Resource": "*"}, allow(CREATE, **condition)
    )
    found = verdicts(rights, policy(allow([TOKEN, PUT]), allow(CREATE, **condition)))
    assert found[CREATE] == (Verdict.CONDITIONAL_ALLOW, True)
    assert verdicts(rights, boundary)[PUT] == (Verdict.DENIED, True)


def test_a_boundary_that_allows_everything_changes_nothing() -> None:
    rights = policy(allow(TOKEN), allow([CREATE, PUT], "arn:aws:ecr:us-east-2:123456789012:repository/other/*"))
    own = evaluate_policies([rights], ACTIONS, NAMESPACE)
    bounded = within_boundary(own, evaluate_policies([policy(allow("*"))], ACTIONS, NAMESPACE))
    assert bounded.evaluation == own and not bounded.by_boundary
