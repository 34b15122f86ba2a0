"""Policy evaluation: one table row per semantic corner, with its verdict and reason."""

from __future__ import annotations

from typing import Any

import pytest

from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS
from reglint.model.iam.evaluation import (
    ActionVerdict,
    RepositoryTarget,
    Verdict,
    evaluate_policies,
)
from reglint.model.iam.policy import Policy

ACCOUNT_REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"
NAMESPACE = RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/runtime")
ANY = RepositoryTarget.any()
TOKEN = "ecr:GetAuthorizationToken"
PUT = "ecr:PutImage"
CONDITION = {"StringEquals": {"aws:SourceVpc": "vpc-0a1b2c3d4e5f67890"}}


def allow(action: Any = PUT, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = PUT, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> Policy:
    data: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        data["Version"] = version
    return Policy.from_data(data)


def verdict_of(
    action: str, *statements: dict[str, Any], target: RepositoryTarget = NAMESPACE, **kw: Any
) -> ActionVerdict:
    (result,) = evaluate_policies([policy(*statements, **kw)], [action], target).verdicts
    return result


def deciding_paths(result: ActionVerdict) -> list[tuple[Any, ...]]:
    return [ref.statement.path for ref in result.deciding]


R = ACCOUNT_REPOS
NS, NOT_COVERED, COND = NAMESPACE, Verdict.RESOURCE_NOT_COVERED, {"Condition": CONDITION}
OK, DENIED = Verdict.ALLOWED, Verdict.DENIED
NOT_RES = {"Effect": "Allow", "Action": PUT}
DENY_NOT_RES = {"Effect": "Deny", "Action": PUT}


def case(
    name: str,
    action: str,
    statements: list[dict[str, Any]],
    target: RepositoryTarget,
    verdict: Verdict,
    deciding: list[int],
    words: str,
) -> Any:
    """One row: the verdict, the deciding statements' indexes, and words of the reason."""
    return pytest.param(action, statements, target, verdict, deciding, words, id=name)


# fmt: off
CASES = [
    # -- what an Allow must cover ---------------------------------------------------------
    case("exact-namespace", PUT, [allow(resource=f"{R}/ml-prod/*")], NS, OK, [0], "allowed"),
    case("narrower-prefix", PUT, [allow(resource=f"{R}/ml-prod/runtime-*")], NS, NOT_COVERED, [0],
         f"do not cover the target, e.g. not on {R}/ml-prod/runtime"),
    case("union-of-entries-covers", PUT,
         [allow(resource=[f"{R}/ml-prod/runtime", f"{R}/ml-prod/runtime?*"])], NS, OK, [0], "allowed"),
    case("union-of-statements-covers", PUT,
         [allow(resource=f"{R}/ml-prod/runtime"), allow(resource=f"{R}/ml-prod/runtime?*")], NS,
         OK, [0, 1], "allowed"),
    case("wildcard-region", PUT, [allow(resource="arn:aws:ecr:*:123456789012:repository/*")], NS,
         OK, [0], "allowed"),
    case("other-account", PUT, [allow(resource="arn:aws:ecr:us-east-2:210987654321:repository/*")], NS,
         NOT_COVERED, [0], "do not cover"),
    case("arn-case-sensitive", PUT, [allow(resource=f"{R}/ML-PROD/*")], NS, NOT_COVERED, [0], "do not cover"),
    case("not-an-ecr-resource", PUT, [allow(resource="arn:aws:s3:::images/*")], ANY, NOT_COVERED, [0],
         "do not cover"),
    # -- Action and NotAction ---------------------------------------------------------------
    case("action-case-insensitive", PUT, [allow(action="ECR:putimage")], NS, OK, [0], "allowed"),
    case("action-star-wildcard", PUT, [allow(action="ecr:Put*")], NS, OK, [0], "allowed"),
    case("action-question-wildcard", PUT, [allow(action="ecr:?utImage")], NS, OK, [0], "allowed"),
    case("other-action-only", PUT, [allow(action="ecr:PutImageTagMutability")], NS, Verdict.NOT_ALLOWED, [],
         "not allowed by any statement"),
    case("not-action-excludes", PUT, [{"Effect": "Allow", "NotAction": "ecr:Put*", "Resource": "*"}], NS,
         Verdict.NOT_ALLOWED, [], "not allowed by any statement"),
    case("not-action-includes", PUT, [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}], NS,
         OK, [0], "allowed"),
    # -- NotResource on an Allow ------------------------------------------------------------
    case("not-resource-disjoint", PUT, [NOT_RES | {"NotResource": f"{R}/ml-prod/secret*"}], NS,
         OK, [0], "allowed"),
    case("not-resource-overlaps", PUT, [NOT_RES | {"NotResource": f"{R}/ml-prod/runtime-gpu*"}], NS,
         NOT_COVERED, [0], f"e.g. not on {R}/ml-prod/runtime-gpu"),
    # -- explicit Deny ------------------------------------------------------------------------
    case("deny-part-of-namespace", PUT, [allow(), deny(resource=f"{R}/ml-prod/runtime-old*", Sid="NoOld")], NS,
         DENIED, [1], 'explicitly denied by "NoOld" (Statement[1])'),
    case("deny-elsewhere", PUT, [allow(), deny(resource=f"{R}/ml-dev/*")], NS, OK, [0], "allowed"),
    case("deny-wins-without-allow", PUT, [deny()], NS, DENIED, [0], "explicitly denied by Statement[0]"),
    case("deny-wildcard-action", PUT, [allow(), deny(action="ecr:*Image")], NS, DENIED, [1], "denied"),
    case("deny-not-action-spares", PUT, [allow(), {"Effect": "Deny", "NotAction": PUT, "Resource": "*"}], NS,
         OK, [0], "allowed"),
    case("deny-not-resource-spares-namespace", PUT,
         [allow(), DENY_NOT_RES | {"NotResource": f"{R}/ml-prod/*"}], NS, OK, [0], "allowed"),
    case("deny-not-resource-touches", PUT,
         [allow(), DENY_NOT_RES | {"NotResource": f"{R}/ml-prod/runtime-a*"}], NS,
         DENIED, [1], "explicitly denied"),
    case("deny-seven-part-pattern-touches-nothing", PUT,
         [allow(), deny(resource="arn:aws:ecr:us-east-2:123456789012:x:repository/*")], NS,
         OK, [0], "allowed"),
    # -- Conditions -----------------------------------------------------------------------------
    case("conditional-allow-only", PUT, [allow(Sid="FromVpc", **COND)], NS, Verdict.CONDITIONAL_ALLOW, [0],
         'allowed only under a Condition ("FromVpc" (Statement[0]))'),
    case("conditional-allow-completes", PUT,
         [allow(resource=f"{R}/ml-prod/runtime-*"), allow(resource=f"{R}/ml-prod/*", **COND)], NS,
         Verdict.CONDITIONAL_ALLOW, [1], "allowed only under a Condition (Statement[1])"),
    case("conditional-deny", PUT, [allow(), deny(**COND)], NS, Verdict.CONDITIONAL_DENY, [1],
         "denied under a Condition (Statement[1])"),
    case("conditional-and-unconditional-deny", PUT, [allow(), deny(**COND), deny()], NS, DENIED, [2],
         "explicitly denied by Statement[2]"),
    case("empty-condition-is-none", PUT, [allow(Condition={})], NS, OK, [0], "allowed"),
    case("conditional-allow-not-covering", PUT, [allow(resource=f"{R}/ml-dev/*", **COND)], NS,
         NOT_COVERED, [0], "do not cover"),
    # -- actions that take no resource: the request resource is "*" ----------------------------
    case("token-on-star", TOKEN, [allow(action=TOKEN)], NS, OK, [0], "allowed"),
    case("token-on-repository-arn", TOKEN, [allow(action="ecr:*", resource=f"{R}/ml-prod/*")], NS,
         Verdict.STAR_NOT_ALLOWED, [0], 'not allowed on Resource "*"'),
    case("token-on-arn-wildcard", TOKEN, [allow(action=TOKEN, resource="arn:*")], ANY,
         Verdict.STAR_NOT_ALLOWED, [0], 'not allowed on Resource "*"'),
    case("token-on-question-mark", TOKEN, [allow(action=TOKEN, resource="?")], NS, OK, [0], "allowed"),
    case("token-on-escaped-star", TOKEN, [allow(action=TOKEN, resource="${*}")], NS, OK, [0],
         "allowed"),
    case("token-not-resource-arn", TOKEN, [{"Effect": "Allow", "Action": TOKEN, "NotResource": "arn:*"}], NS,
         OK, [0], "allowed"),
    case("token-deny-on-arns-spares-star", TOKEN, [allow(action=TOKEN), deny(action="ecr:*", resource="arn:*")],
         NS, OK, [0], "allowed"),
    case("token-deny-on-star", TOKEN, [allow(action=TOKEN), deny(action="ecr:*")], NS, DENIED, [1],
         "explicitly denied"),
    # -- policy variables -----------------------------------------------------------------------
    case("variable-matches-any-text", PUT, [allow(resource=f"{R}/${{aws:PrincipalTag/team}}/*")], NS,
         OK, [0], "allowed"),
    # -- any repository (a standalone policy) ---------------------------------------------------
    case("any-one-repository-is-enough", PUT, [allow(resource=f"{R}/ml-prod/app")], ANY, OK, [0],
         "allowed"),
    case("any-deny-everything", PUT, [allow(), deny(resource="arn:*:ecr:*:*:repository/*")], ANY,
         DENIED, [1], "explicitly denied"),
    case("any-deny-other-repository", PUT, [allow(resource=f"{R}/a"), deny(resource=f"{R}/b")], ANY,
         OK, [0], "allowed"),
    case("any-deny-the-only-repository", PUT, [allow(resource=f"{R}/a"), deny(resource=f"{R}/*")], ANY,
         DENIED, [1], "explicitly denied"),
    case("any-deny-not-resource-leaves-account", PUT,
         [allow(), {"Effect": "Deny", "Action": "ecr:*", "NotResource": f"{R}/*"}], ANY,
         OK, [0], "allowed"),
    case("any-conditional-allow", PUT, [allow(**COND)], ANY, Verdict.CONDITIONAL_ALLOW, [0], "Condition"),
    case("any-conditional-deny", PUT, [allow(), deny(**COND)], ANY, Verdict.CONDITIONAL_DENY, [1], "Condition"),
    case("any-nothing", PUT, [], ANY, Verdict.NOT_ALLOWED, [], "not allowed by any statement"),
    case("any-eleven-digit-account-is-no-repository", PUT,
         [allow(resource="arn:aws:ecr:us-east-2:12345678901:repository/*")], ANY, NOT_COVERED, [0], "do not"),
]
# fmt: on


@pytest.mark.parametrize(("action", "statements", "target", "verdict", "deciding", "words"), CASES)
def test_verdict_and_reason(
    action: str,
    statements: list[dict[str, Any]],
    target: RepositoryTarget,
    verdict: Verdict,
    deciding: list[int],
    words: str,
) -> None:
    result = verdict_of(action, *statements, target=target)
    assert result.verdict is verdict
    assert deciding_paths(result) == [("Statement", index) for index in deciding]
    assert words in result.reason


def test_variables_are_literal_under_version_2008() -> None:
    statement = allow(resource=f"{ACCOUNT_REPOS}/${{aws:PrincipalTag/team}}/*")
    assert verdict_of(PUT, statement, version="2008-10-17").verdict is Verdict.RESOURCE_NOT_COVERED
    assert verdict_of(PUT, statement, version=None).verdict is Verdict.RESOURCE_NOT_COVERED


def test_invalid_statements_are_not_evaluated() -> None:
    assert (
        verdict_of(PUT, {"Effect": "allow", "Action": PUT, "Resource": "*"}).verdict
        is Verdict.NOT_ALLOWED
    )
    both = {"Effect": "Allow", "Action": PUT, "NotAction": "s3:*", "Resource": "*"}
    assert verdict_of(PUT, both).verdict is Verdict.NOT_ALLOWED
    assert verdict_of(PUT, allow(resource=[])).verdict is Verdict.NOT_ALLOWED


def test_a_deny_in_one_policy_overrides_an_allow_in_another() -> None:
    """The policies of one identity are one union of statements."""
    granting = policy(allow(action="ecr:*"))
    denying = policy(deny(action="ecr:*", resource=f"{ACCOUNT_REPOS}/ml-prod/*", Sid="Freeze"))
    evaluation = evaluate_policies([granting, denying], ECR_PUSH_ACTIONS, NAMESPACE)
    by_action = {v.action: v for v in evaluation.verdicts}
    assert by_action[PUT].verdict is Verdict.DENIED
    assert by_action[PUT].deciding[0].policy is denying
    # The Deny's resources are repositories: the token's "*" request is untouched.
    assert by_action[TOKEN].verdict is Verdict.ALLOWED
    assert [v.action for v in evaluation.missing] == [a for a in ECR_PUSH_ACTIONS if a != TOKEN]


def test_power_user_style_policy_misses_create_repository_only() -> None:
    actions = [a for a in ECR_PUSH_ACTIONS if a != "ecr:CreateRepository"]
    evaluation = evaluate_policies([policy(allow(action=actions))], ECR_PUSH_ACTIONS, NAMESPACE)
    assert [(v.action, v.verdict) for v in evaluation.missing] == [
        ("ecr:CreateRepository", Verdict.NOT_ALLOWED)
    ]
    assert evaluation.conditional == ()
    assert len(evaluation.allowed_actions()) == 8


def test_target_from_an_arn_pattern() -> None:
    target = RepositoryTarget.for_arn_pattern(f"{ACCOUNT_REPOS}/ml-prod/runtime*")
    assert target == NAMESPACE
    assert target.description == f"{ACCOUNT_REPOS}/ml-prod/runtime*"
    assert ANY.description == "any ECR repository"


def test_example_shows_the_gap() -> None:
    result = verdict_of(PUT, allow(resource=f"{ACCOUNT_REPOS}/ml-prod/runtime?*"))
    assert result.example == f"{ACCOUNT_REPOS}/ml-prod/runtime"
