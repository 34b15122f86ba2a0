"""The policy model: data paths, elements, Conditions, tolerance of invalid data; the catalogue."""

from __future__ import annotations

from typing import Any

import pytest

from reglint.model.iam import catalogue
from reglint.model.iam.policy import Effect, Policy


def test_statement_list_paths() -> None:
    policy = Policy.from_data(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "A",
                    "Effect": "Allow",
                    "Action": "ecr:PutImage",
                    "Resource": ["*", "arn:aws:s3:::b"],
                },
                {"Effect": "Deny", "NotAction": ["s3:*"], "NotResource": "arn:aws:s3:::b"},
            ],
        }
    )
    first, second = policy.statements
    assert (first.path, first.sid, first.effect, first.label) == (
        ("Statement", 0),
        "A",
        Effect.ALLOW,
        '"A" (Statement[0])',
    )
    assert [(v.text, v.path) for v in first.actions] == [
        ("ecr:PutImage", ("Statement", 0, "Action"))
    ]
    assert [v.path for v in first.resources] == [
        ("Statement", 0, "Resource", 0),
        ("Statement", 0, "Resource", 1),
    ]
    assert (first.not_action, first.not_resource) == (False, False)
    assert (second.not_action, second.not_resource, second.effect) == (True, True, Effect.DENY)
    assert second.actions[0].path == ("Statement", 1, "NotAction", 0)
    assert second.label == "Statement[1]"


def test_a_lone_statement_object() -> None:
    policy = Policy.from_data(
        {"Statement": {"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}}
    )
    (statement,) = policy.statements
    assert statement.path == ("Statement",)
    assert statement.actions[0].path == ("Statement", "Action")
    assert statement.label == "Statement"
    assert not policy.statement_list and not policy.version_present


@pytest.mark.parametrize(
    ("condition", "conditional"),
    [(None, False), ({}, False), ({"Bool": {"aws:SecureTransport": "true"}}, True), ("junk", True)],
)
def test_condition_presence(condition: Any, conditional: bool) -> None:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}
    if condition is not None:
        statement["Condition"] = condition
    assert Policy.from_data({"Statement": [statement]}).statements[0].conditional is conditional


@pytest.mark.parametrize(
    "data",
    [
        None,
        5,
        "text",
        [],
        {},
        {"Statement": 5},
        {"Statement": [1, "x", None]},
        {"Statement": [{"Effect": ["Allow"]}]},
    ],
)
def test_invalid_data_never_raises(data: Any) -> None:
    policy = Policy.from_data(data)
    assert all(not s.evaluable for s in policy.statements)


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "allow", "Action": "ecr:*", "Resource": "*"},  # Effect is case-sensitive
        {"Effect": "Allow", "Action": "ecr:*", "NotAction": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "ecr:*"},
        {"Effect": "Allow", "Action": [], "Resource": "*"},
        {"Effect": "Allow", "Action": ["ecr:*", 5], "Resource": "*"},
        {"Effect": "Allow", "Action": "ecr:*", "Resource": {"a": 1}},
    ],
)
def test_statements_aws_would_reject_are_not_evaluable(statement: dict[str, Any]) -> None:
    (parsed,) = Policy.from_data({"Statement": [statement]}).statements
    assert not parsed.evaluable
    assert all(isinstance(v.text, str) for v in parsed.actions)


def test_variables_follow_the_version() -> None:
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::${aws:username}"}
    new = Policy.from_data({"Version": "2012-10-17", "Statement": [statement]}).statements[0]
    old = Policy.from_data({"Version": "2008-10-17", "Statement": [statement]}).statements[0]
    assert new.resource_patterns[0].matches("arn:aws:s3:::alice")
    assert not old.resource_patterns[0].matches("arn:aws:s3:::alice")


# -- the catalogue ------------------------------------------------------------------------


def test_catalogue_entries() -> None:
    token = catalogue.action_info("ECR:getauthorizationtoken")
    assert token is not None and token.qualified == "ecr:GetAuthorizationToken"
    assert token.needs_star_resource and token.resource_types == ()
    put = catalogue.action_info("ecr:PutImage")
    assert put is not None and put.resource_types == ("repository",) and not put.needs_star_resource
    assert catalogue.action_info("ecr:PutImages") is None
    assert catalogue.action_info("nosuchservice:X") is None
    assert catalogue.service_actions("nosuchservice") == {}
    assert catalogue.service_exists("ECR") and not catalogue.service_exists("ecrr")


def test_wildcard_expansion_is_case_insensitive_and_cached() -> None:
    expanded = catalogue.expand_action_pattern("ECR:*layer*")
    assert {a.qualified for a in expanded} == {
        "ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload",
        "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
    }  # fmt: skip
    assert catalogue.expand_action_pattern("ECR:*layer*") is expanded
    # `ecr*` has no `:` yet reaches both ecr and ecr-public.
    assert {a.service for a in catalogue.expand_action_pattern("ecr*")} == {"ecr", "ecr-public"}
    assert catalogue.matches_any_action("*:GetAuthorizationToken")
    assert not catalogue.matches_any_action("ecr:Push*")


def test_suggestions() -> None:
    assert catalogue.similar_actions("ecr:PutImages") == ("ecr:PutImage",)
    assert catalogue.similar_actions("ecr:Zzzzzz") == ()
    assert catalogue.similar_services("ecrr") == ("ecr",)
    assert catalogue.catalogue_version().startswith("0.1.")
