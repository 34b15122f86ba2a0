"""A permissions boundary limits an identity's rights (SPEC §6.2, §6.4): an action counts
as allowed only when the boundary allows it too; the identity's own verdict wins ties.
One model for `check`'s IaC roles and `aws verify`'s deployed ones (model/iam/rights.py)."""

from __future__ import annotations

from typing import Any

from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.policy import Policy
from reglint.model.iam.rights import Boundary, Rights, evaluate_rights
from reglint.model.iam.verdicts import ActionVerdict

NAMESPACE = RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/")
PUT, TOKEN, CREATE = "ecr:PutImage", "ecr:GetAuthorizationToken", "ecr:CreateRepository"
ACTIONS = (TOKEN, CREATE, PUT)


def policy(*statements: dict[str, Any]) -> Policy:
    return Policy.from_data({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def bounded(rights: Policy, boundary: Policy) -> tuple[ActionVerdict, ...]:
    identity = Rights("role", ((rights,),), (Boundary("the-boundary", ((boundary,),)),))
    return evaluate_rights(identity, ACTIONS, NAMESPACE).verdicts


def verdicts(rights: Policy, boundary: Policy) -> dict[str, tuple[Verdict, bool]]:
    """Each action's verdict, and whether the boundary is what decided it."""
    found = {v.action: (v.verdict, v.boundary is not None) for v in bounded(rights, boundary)}
    assert all(v.boundary in (None, "the-boundary") for v in bounded(rights, boundary))
    return found


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
    assert bounded(rights, policy(allow("*"))) == own.verdicts


def test_a_boundary_that_cannot_be_read_allows_nothing_and_is_named() -> None:
    identity = Rights("role", ((policy(allow("ecr:*")),),), (Boundary("arn:aws:iam::1:policy/b (unread)", ()),))
    found = evaluate_rights(identity, ACTIONS, NAMESPACE).verdicts
    assert {v.verdict for v in found} == {Verdict.NOT_ALLOWED}
    assert found[0].reason.startswith("not allowed by the permissions boundary arn:aws:iam::1:policy/b (unread)")
