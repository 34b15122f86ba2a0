"""The engine against a brute-force reference evaluator, on hypothesis-generated policies.

The reference shares nothing with the engine but the catalogue: it matches patterns
with `re` (translated the way SPEC §1.2 and the AWS docs describe them), and it decides
each request of a finite universe of repository ARNs by AWS's rules, one at a time.
The universe holds the ARNs that tell the generated patterns apart, plus every example
ARN the engine reports, so each "there is a gap / a denied repository" claim of the
engine is checked on a concrete ARN, and each "every repository is covered" claim is
checked on the whole universe.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from iam_reference_glob import reference_regex

from reglint.model.iam.catalogue import action_info, service_actions
from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS
from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.policy import Policy

REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"
NAMES = [
    "ml-prod/runtime", "ml-prod/runtime-a", "ml-prod/runtimea", "ml-prod/runtime/x",
    "ml-prod/other", "ml-dev/runtime", "ml-prod", "app", "alice/x",
]  # fmt: skip
UNIVERSE = [
    f"arn:{partition}:ecr:{region}:{account}:repository/{name}"
    for partition, region, account, name in itertools.product(
        ["aws", "aws-cn"], ["us-east-2", "eu-west-1"], ["123456789012", "210987654321"], NAMES
    )
]
ACTIONS = [
    "ecr:PutImage", "ecr:*", "ECR:put*", "ecr:?utImage", "ecr:Get*", "*", "s3:*",
    "ecr:Batch*", "ecr:*Layer*", "ecr:CreateRepository", "ecr:GetAuthorizationToken",
    "ecr:*Image", "iam:PassRole",
]  # fmt: skip
RESOURCES = [
    "*", "?", "arn:*", "arn:aws:ecr:*", f"{REPOS}/*", f"{REPOS}/ml-prod/*",
    f"{REPOS}/ml-prod/runtime*", f"{REPOS}/ml-prod/runtime-*", f"{REPOS}/ml-prod/runtime",
    f"{REPOS}/ml-prod/runtime?*", f"{REPOS}/ml-prod/?untime*", "arn:aws:ecr:*:*:repository/ml-*",
    "arn:*:ecr:*:210987654321:repository/*", "arn:aws:ecr:eu-west-1:*:repository/*/runtime*",
    f"{REPOS}/${{aws:username}}/*", f"{REPOS}/ml-prod/runtime*a", "arn:aws:s3:::bucket/*",
    f"{REPOS}/ml-dev/*", "arn:aws-cn:ecr:*:*:repository/*",
]  # fmt: skip
TARGETS = [
    RepositoryTarget.for_arn_pattern(f"{REPOS}/ml-prod/runtime*"),
    RepositoryTarget.for_arn_pattern(f"{REPOS}/ml-prod/*"),
    RepositoryTarget.for_arn_pattern(f"{REPOS}/ml-prod/runtime"),
    RepositoryTarget.for_arn_pattern("arn:aws:ecr:*:123456789012:repository/ml-*"),
    RepositoryTarget.any(),
    RepositoryTarget.any("aws-cn"),
]


def any_repository(target: RepositoryTarget) -> re.Pattern[str]:
    """Every repository ARN of the target's partition (SPEC §6.1: one at a time)."""
    partition = target.pattern.text.split(":")[1]
    return re.compile(rf"arn:{re.escape(partition)}:ecr:[^:]+:[^:]{{12}}:repository/[^:]+")


def applies_to_action(statement: dict[str, Any], action: str) -> bool:
    key = "Action" if "Action" in statement else "NotAction"
    hit = any(reference_regex(p, "action").fullmatch(action) for p in statement[key])
    return hit == (key == "Action")


def applies(statement: dict[str, Any], action: str, resource: str) -> bool:
    """Does one (valid) statement apply to one request? Straight from the AWS docs."""
    key = "Resource" if "Resource" in statement else "NotResource"
    hit = any(reference_regex(p, "resource").fullmatch(resource) for p in statement[key])
    return applies_to_action(statement, action) and hit == (key == "Resource")


def reference_verdict(
    statements: list[dict[str, Any]], action: str, target: RepositoryTarget, universe: list[str]
) -> Verdict:
    info = action_info(action)
    star = info is not None and info.needs_star_resource
    if star:
        requests = ["*"]
    elif target.any_repository:
        requests = [arn for arn in universe if any_repository(target).fullmatch(arn)]
    else:
        requests = [arn for arn in universe if reference_regex(target.pattern.text, "target").fullmatch(arn)]

    def hit(effect: str, conditional: bool, resource: str) -> bool:
        return any(
            s["Effect"] == effect
            and ("Condition" in s) == conditional
            and applies(s, action, resource)
            for s in statements
        )

    allow_u = {r: hit("Allow", False, r) for r in requests}
    allow_c = {r: hit("Allow", True, r) for r in requests}
    deny_u = {r: hit("Deny", False, r) for r in requests}
    deny_c = {r: hit("Deny", True, r) for r in requests}
    some_allow_for_action = any(
        s["Effect"] == "Allow" and applies_to_action(s, action) for s in statements
    )
    if star or not target.any_repository:  # every request must be allowed, none denied
        if any(deny_u.values()):
            return Verdict.DENIED
        if all(allow_u.values()):
            return Verdict.CONDITIONAL_DENY if any(deny_c.values()) else Verdict.ALLOWED
        if all(allow_u[r] or allow_c[r] for r in requests):
            return Verdict.CONDITIONAL_ALLOW
    else:  # some request allowed and not denied is enough
        if any(allow_u[r] and not deny_u[r] and not deny_c[r] for r in requests):
            return Verdict.ALLOWED
        if any(allow_u[r] and not deny_u[r] for r in requests):
            return Verdict.CONDITIONAL_DENY
        if any((allow_u[r] or allow_c[r]) and not deny_u[r] for r in requests):
            return Verdict.CONDITIONAL_ALLOW
        if any(deny_u.values()):
            return Verdict.DENIED
    if some_allow_for_action:
        return Verdict.STAR_NOT_ALLOWED if star else Verdict.RESOURCE_NOT_COVERED
    return Verdict.NOT_ALLOWED


def statement_strategy() -> st.SearchStrategy[dict[str, Any]]:
    def build(
        effect: str,
        action_key: str,
        actions: list[str],
        resource_key: str,
        resources: list[str],
        conditional: bool,
    ) -> dict[str, Any]:
        statement: dict[str, Any] = {"Effect": effect, action_key: actions, resource_key: resources}
        if conditional:
            statement["Condition"] = {"Bool": {"aws:SecureTransport": "true"}}
        return statement

    return st.builds(
        build,
        st.sampled_from(["Allow", "Allow", "Deny"]),
        st.sampled_from(["Action", "Action", "NotAction"]),
        st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=3),
        st.sampled_from(["Resource", "Resource", "NotResource"]),
        st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=3),
        st.booleans(),
    )


@settings(max_examples=400, deadline=None)
@given(
    policies=st.lists(st.lists(statement_strategy(), max_size=4), min_size=1, max_size=2),
    target=st.sampled_from(TARGETS),
)
def test_engine_agrees_with_the_reference(
    policies: list[list[dict[str, Any]]], target: RepositoryTarget
) -> None:
    models = [Policy.from_data({"Version": "2012-10-17", "Statement": p}) for p in policies]
    evaluation = evaluate_policies(models, ECR_PUSH_ACTIONS, target)
    statements = [s for p in policies for s in p]
    examples = [v.example for v in evaluation.verdicts if v.example and v.example != "*"]
    for example in examples:  # every example the engine gives is an ARN of the target
        shape = any_repository(target) if target.any_repository else reference_regex(target.pattern.text, "target")
        assert shape.fullmatch(example), example
    universe = UNIVERSE + examples
    for verdict in evaluation.verdicts:
        expected = reference_verdict(statements, verdict.action, target, universe)
        assert verdict.verdict is expected, (verdict.action, verdict.reason)


def test_the_catalogue_knows_the_nine_push_actions() -> None:
    """The reference expands patterns against the catalogue's ECR actions: all nine exist."""
    names = {entry.qualified for entry in service_actions("ecr").values()}
    assert set(ECR_PUSH_ACTIONS) <= names
    entries = [action_info(action) for action in ECR_PUSH_ACTIONS]
    assert [e.qualified for e in entries if e is not None and e.needs_star_resource] == [
        "ecr:GetAuthorizationToken"
    ]


def test_action_patterns_expand_alike() -> None:
    """Every vocabulary pattern selects the same ECR actions in the engine and the reference."""
    from reglint.model.iam.catalogue import expand_action_pattern

    ecr = sorted(entry.qualified for entry in service_actions("ecr").values())
    for pattern in ACTIONS:
        expected = {a for a in ecr if reference_regex(pattern, "action").fullmatch(a)}
        engine = {
            entry.qualified for entry in expand_action_pattern(pattern) if entry.service == "ecr"
        }
        assert engine == expected, pattern
