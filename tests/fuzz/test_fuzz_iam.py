"""Property tests of the IAM policy model and evaluator: any loaded value becomes a
`Policy` without raising, any policy evaluates to one verdict per action, and two of
AWS's rules hold on random policies: an unconditional `Allow *` on `*` allows every
action unless something denies it, and an unconditional `Deny *` on `*` allows none.

TODO(reglint maintainers): the IAM model (`reglint/model/iam/`) was still being finished
when this was written; these tests use its API as of then — `Policy.from_data`,
`evaluate_policies(policies, actions, target)`, `RepositoryTarget.any()` /
`.for_namespace()`, `PolicyEvaluation.verdicts`, `ActionVerdict.verdict/.reason` and
`Verdict`. If that API changes, update the calls here (the properties stay the same).
"""

from __future__ import annotations

from typing import Any

from fuzz.strategies import POLICIES, YAML_VALUES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS
from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.policy import Policy

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TARGETS = st.sampled_from(
    [
        RepositoryTarget.any(),
        RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/runtime"),
        RepositoryTarget.for_namespace("aws-cn", "cn-north-1", "123456789012", ""),
    ]
)
ACTIONS = st.lists(
    st.sampled_from([*ECR_PUSH_ACTIONS, "ecr:DescribeImages", "s3:GetObject", "nosuch:Thing"]),
    min_size=1,
    max_size=9,
)
ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}
DENY_ALL = {"Effect": "Deny", "Action": "*", "Resource": "*"}


def _evaluate(data: Any, actions: list[str], target: RepositoryTarget) -> list[Verdict]:
    evaluation = evaluate_policies([Policy.from_data(data)], actions, target)
    assert [v.action for v in evaluation.verdicts] == actions
    for verdict in evaluation.verdicts:
        assert isinstance(verdict.verdict, Verdict) and isinstance(verdict.reason, str)
    return [v.verdict for v in evaluation.verdicts]


@FUZZ
@given(data=YAML_VALUES | POLICIES, actions=ACTIONS, target=TARGETS)
def test_any_value_evaluates_without_raising(
    data: Any, actions: list[str], target: RepositoryTarget
) -> None:
    _evaluate(data, actions, target)


def _statements(policy: dict[str, Any]) -> list[Any]:
    statements = policy.get("Statement")
    if isinstance(statements, list):
        return list(statements)
    return [statements] if isinstance(statements, dict) else []


def _denies_anything(policy: dict[str, Any]) -> bool:
    return any(isinstance(s, dict) and s.get("Effect") == "Deny" for s in _statements(policy))


@FUZZ
@given(policy=POLICIES, actions=ACTIONS, target=TARGETS)
def test_an_unconditional_allow_all_allows_everything_not_denied(
    policy: dict[str, Any], actions: list[str], target: RepositoryTarget
) -> None:
    data = {"Version": "2012-10-17", "Statement": [*_statements(policy), ALLOW_ALL]}
    verdicts = _evaluate(data, actions, target)
    if not _denies_anything(policy):
        assert set(verdicts) == {Verdict.ALLOWED}, verdicts


@FUZZ
@given(policy=POLICIES, actions=ACTIONS, target=TARGETS)
def test_an_unconditional_deny_all_allows_nothing(
    policy: dict[str, Any], actions: list[str], target: RepositoryTarget
) -> None:
    data = {"Version": "2012-10-17", "Statement": [*_statements(policy), DENY_ALL]}
    assert Verdict.ALLOWED not in _evaluate(data, actions, target)
