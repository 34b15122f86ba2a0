"""Values known only at deploy time in a policy's entries (SPEC §6.2): a placeholder
matches anything in an Allow and nothing in a Deny, read whichever way widens an Allow
and narrows a Deny also under NotAction/NotResource; an unknown Effect is an Allow; the
closed reading (no placeholder grants anything) tells which verdicts rely on one."""

from __future__ import annotations

from typing import Any

import pytest

from reglint.loading.document import UnknownValue
from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.policy import Policy

NAMESPACE = RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/")
PUT = "ecr:PutImage"
ACCOUNT = "${AWS::AccountId}"
REPO_OF_ANY_ACCOUNT = f"arn:aws:ecr:us-east-2:{ACCOUNT}:repository/ml-prod/*"
OTHER_REGION = f"arn:aws:ecr:eu-west-1:{ACCOUNT}:repository/ml-prod/*"
WHOLE = "${RepoArn}"


def unknown(text: str) -> UnknownValue:
    """The UnknownValue of a text whose `${…}` are the placeholders."""
    parts: list[str | None] = []
    names: list[str] = []
    rest = text
    while "${" in rest:
        before, _, after = rest.partition("${")
        name, _, rest = after.partition("}")
        if before:
            parts.append(before)
        parts.append(None)
        names.append("${" + name + "}")
    if rest:
        parts.append(rest)
    return UnknownValue(tuple(parts), tuple(names))


def verdict(*statements: dict[str, Any], closed: bool = False, action: str = PUT) -> Verdict:
    """The verdict for `action` on the namespace; every string with `${` is a placeholder."""
    data = {"Version": "2012-10-17", "Statement": list(statements)}
    unknowns = {}
    for index, statement in enumerate(statements):
        for key, value in statement.items():
            values = value if isinstance(value, list) else [value]
            for position, item in enumerate(values):
                if isinstance(item, str) and "${" in item:
                    path = (
                        ("Statement", index, key, position)
                        if isinstance(value, list)
                        else ("Statement", index, key)
                    )
                    unknowns[path] = unknown(item)
    policy = Policy.from_data(data, None, unknowns)
    if closed:
        policy = policy.closed()
    (result,) = evaluate_policies([policy], [action], NAMESPACE).verdicts
    return result.verdict


def allow(**element: Any) -> dict[str, Any]:
    return {"Effect": "Allow", **element}


def deny(**element: Any) -> dict[str, Any]:
    return {"Effect": "Deny", **element}


OK, NOT_ALLOWED, NOT_COVERED, DENIED = (
    Verdict.ALLOWED,
    Verdict.NOT_ALLOWED,
    Verdict.RESOURCE_NOT_COVERED,
    Verdict.DENIED,
)

CASES = [
    # (statements, open verdict, closed verdict)
    ([allow(Action=PUT, Resource=REPO_OF_ANY_ACCOUNT)], OK, NOT_COVERED),
    ([allow(Action=PUT, Resource=WHOLE)], OK, NOT_COVERED),
    ([allow(Action=PUT, Resource=[WHOLE, "arn:aws:ecr:*:*:repository/x"])], OK, NOT_COVERED),
    # a placeholder still must fit the literal parts around it
    ([allow(Action=PUT, Resource=OTHER_REGION)], NOT_COVERED, NOT_COVERED),
    ([allow(Action="ecr:${Verb}", Resource="*")], OK, NOT_ALLOWED),
    ([allow(Action="s3:${Verb}", Resource="*")], NOT_ALLOWED, NOT_ALLOWED),
    # in a Deny a placeholder matches nothing
    ([allow(Action=PUT, Resource="*"), deny(Action=PUT, Resource=WHOLE)], OK, OK),
    ([allow(Action=PUT, Resource="*"), deny(Action="${Verb}", Resource="*")], OK, OK),
    # ... and a Deny's NotAction/NotResource placeholder excludes anything: the Deny narrows
    ([allow(Action=PUT, Resource="*"), deny(NotAction="${Verb}", Resource="*")], OK, OK),
    ([allow(Action=PUT, Resource="*"), deny(Action=PUT, NotResource=WHOLE)], OK, OK),
    # an Allow's NotAction/NotResource placeholder excludes nothing: the Allow widens
    ([allow(NotAction="${Verb}", Resource="*")], OK, NOT_ALLOWED),
    ([allow(Action=PUT, NotResource=WHOLE)], OK, NOT_COVERED),
    # a known Deny still denies
    ([allow(Action=PUT, Resource=WHOLE), deny(Action=PUT, Resource="*")], DENIED, DENIED),
    # an unknown Effect is read as an Allow, and left out when closed
    ([{"Effect": "${Effect}", "Action": PUT, "Resource": "*"}], OK, NOT_ALLOWED),
]


@pytest.mark.parametrize(("statements", "open_verdict", "closed_verdict"), CASES)
def test_placeholder_readings(
    statements: list[dict[str, Any]], open_verdict: Verdict, closed_verdict: Verdict
) -> None:
    assert verdict(*statements) is open_verdict
    assert verdict(*statements, closed=True) is closed_verdict


def test_a_policy_without_placeholders_is_its_own_closed_reading() -> None:
    policy = Policy.from_data({"Statement": [allow(Action=PUT, Resource="*")]})
    assert policy.closed() is policy
    assert not policy.has_unknowns


def test_an_unknown_sid_is_no_sid() -> None:
    data = {"Statement": [allow(Sid="${Name}", Action=PUT, Resource="*")]}
    policy = Policy.from_data(data, None, {("Statement", 0, "Sid"): unknown("${Name}")})
    assert policy.statements[0].sid is None
