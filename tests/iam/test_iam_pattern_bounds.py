"""The bounds on one wildcard pattern and on the work of one evaluation.

A pattern beyond the bounds is reported where it is written (RL206 for a resource,
RL203 for an action) and read conservatively by the evaluation: it never makes an
action look allowed. Timing under a child process is in tests/hostile/test_iam_work_bounds.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS
from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.patterns import MAX_PATTERN_LENGTH, MAX_WILDCARDS, Pattern, covers
from reglint.model.iam.policy import Policy

REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"
NAMESPACE = RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/")
PUT = "ecr:PutImage"
HOSTILE = "arn:aws:ecr:*:*:" + "*a" * 100


def test_the_bounds_leave_room_above_every_aws_managed_policy() -> None:
    # The corpus maximum is 11 wildcards (arn:aws:apigateway:*::/restapis/??????????) and
    # 203 characters (tests/iam/test_iam_corpus.py holds it).
    assert (MAX_WILDCARDS, MAX_PATTERN_LENGTH) == (32, 512)


@pytest.mark.parametrize(
    ("pattern", "wildcards"),
    [
        (Pattern.resource("arn:aws:ecr:*:*:repository/${aws:username}/?x"), 4),
        (Pattern.resource("arn:aws:s3:::b/${*}${?}"), 0),  # escapes are literal characters
        (Pattern.resource("arn:aws:s3:::b/${aws:username}", variables=False), 0),
        (Pattern.action("ecr:*Get?"), 2),
        (Pattern.literal("a*?"), 0),
    ],
)
def test_wildcards_are_counted_per_pattern(pattern: Pattern, wildcards: int) -> None:
    assert pattern.wildcards == wildcards


def test_a_pattern_is_within_the_bounds_up_to_32_wildcards_and_512_characters() -> None:
    assert Pattern.resource("arn:aws:ecr:*:*:" + "?" * 30).within_bounds
    assert not Pattern.resource("arn:aws:ecr:*:*:" + "?" * 31).within_bounds
    padded = "arn:aws:s3:::bucket/*/"
    assert Pattern.resource(padded + "x" * (512 - len(padded))).within_bounds
    assert not Pattern.resource(padded + "x" * (513 - len(padded))).within_bounds
    # A pattern without wildcards is matched as plain text, whatever its length.
    assert Pattern.resource("arn:aws:s3:::bucket/" + "x" * 5000).within_bounds


@pytest.mark.parametrize(
    ("text", "widened"),
    [
        (HOSTILE, "arn:aws:ecr:*a"),
        ("arn:aws:ecr:*:*:repository/" + "?" * 40, "arn:aws:ecr:*"),
        ("*" + "?b" * 40 + "/end", "*b/end"),
    ],
)
def test_a_pattern_beyond_the_bounds_widens_to_its_literal_ends(text: str, widened: str) -> None:
    pattern = Pattern.resource(text)
    assert not pattern.within_bounds
    assert pattern.widened().text == widened
    assert pattern.widened().within_bounds
    assert covers(pattern.widened(), Pattern.resource(text.replace("*a" * 100, "*a" * 3)))


def _policy(*statements: dict[str, Any]) -> Policy:
    return Policy.from_data({"Version": "2012-10-17", "Statement": list(statements)})


def _verdict(*statements: dict[str, Any], target: RepositoryTarget = NAMESPACE) -> Any:
    (result,) = evaluate_policies([_policy(*statements)], [PUT], target).verdicts
    return result


def test_an_allow_through_a_pattern_beyond_the_bounds_grants_nothing() -> None:
    allow = {"Effect": "Allow", "Action": PUT, "Resource": [HOSTILE]}
    assert _verdict(allow).verdict is Verdict.RESOURCE_NOT_COVERED
    assert "beyond reglint's bounds, grants nothing" in _verdict(allow).reason
    wide_action = {"Effect": "Allow", "Action": "ecr:" + "*t" * 40, "Resource": "*"}
    assert _verdict(wide_action).verdict is Verdict.NOT_ALLOWED


def test_an_allow_with_not_resource_beyond_the_bounds_excludes_its_widened_form() -> None:
    # NotResource arn:aws:ecr:*a…: read as excluding arn:aws:ecr:*a, less than it excludes.
    allow = {"Effect": "Allow", "Action": PUT, "NotResource": HOSTILE}
    result = _verdict(allow)
    assert result.verdict is Verdict.RESOURCE_NOT_COVERED
    assert result.example is not None and result.example.endswith("a")


def test_a_deny_through_a_pattern_beyond_the_bounds_denies_at_least_as_much() -> None:
    allow = {"Effect": "Allow", "Action": PUT, "Resource": "*"}
    deny = {"Sid": "Guard", "Effect": "Deny", "Action": PUT, "Resource": HOSTILE}
    result = _verdict(allow, deny)
    assert result.verdict is Verdict.DENIED
    assert 'explicitly denied by "Guard" (Statement[1])' in result.reason
    assert "read as `arn:aws:ecr:*a`" in result.reason
    # A NotResource entry beyond the bounds spares nothing: alone, the Deny denies all.
    not_resource = {"Effect": "Deny", "Action": PUT, "NotResource": HOSTILE}
    assert _verdict(allow, not_resource).verdict is Verdict.DENIED
    not_resource["NotResource"] = [f"{REPOS}/*", HOSTILE]  # the first entry spares the target
    assert _verdict(allow, not_resource).verdict is Verdict.ALLOWED
    # A Deny whose Action is beyond the bounds is read as its widened form (ecr:*e).
    wide_action = {"Effect": "Deny", "Action": "ecr:" + "*e" * 40, "Resource": "*"}
    assert _verdict(allow, wide_action).verdict is Verdict.DENIED


def test_the_work_of_one_evaluation_is_bounded_and_undecided_is_missing() -> None:
    """2^17 subset states: the search stops at the work bound instead of finishing."""
    ns, k = f"{REPOS}/ml-prod/", 17
    union = [ns + "*" + "?" * k, ns + "*a" + "?" * k] + [ns + "?" * j for j in range(k)]
    assert all(Pattern.resource(text).within_bounds for text in union)
    evaluation = evaluate_policies(
        [_policy({"Effect": "Allow", "Action": "ecr:*", "Resource": union})],
        ECR_PUSH_ACTIONS,
        NAMESPACE,
    )
    undecided = [v.action for v in evaluation.verdicts if v.verdict is Verdict.UNDECIDED]
    assert undecided == [a for a in ECR_PUSH_ACTIONS if a != "ecr:GetAuthorizationToken"]
    assert all(v.verdict.missing for v in evaluation.missing)
    assert "not decided" in evaluation.missing[0].reason


def test_a_huge_action_name_skips_the_did_you_mean_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 4 MB action cost seconds in difflib; no name that long can be 75% like a real one."""
    import difflib

    from reglint.model.iam import catalogue

    def refuse(*args: Any, **kwargs: Any) -> list[str]:
        raise AssertionError("difflib was asked about a name no action is close to")

    monkeypatch.setattr(difflib, "get_close_matches", refuse)
    assert catalogue.similar_actions("ecr:" + "Put" * 1_000_000) == ()
    assert catalogue.similar_services("ecr" * 1_000_000) == ()
