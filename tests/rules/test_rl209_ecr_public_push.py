"""RL209 ecr-public-push: an ECR repository or registry policy that lets anyone push."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

from reglint.checks.base import CheckSettings
from reglint.checks.ecr_public_push import ECR_PUBLIC_PUSH_CHECK
from reglint.findings import FILE_START
from reglint.loading.document import Document, DocumentKind, PolicyType, Problem, SourceFile
from reglint.loading.positions import FixedPositions

PUSH = ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload", "ecr:PutImage"]  # fmt: skip
ORG = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}


def problems(*statements: dict[str, Any], declared: PolicyType | None = None) -> list[Problem]:
    source = SourceFile(path=Path("/project/ecr/repository-policy.json"))
    data = {"Version": "2012-10-17", "Statement": list(statements)}
    document = Document(source, 0, DocumentKind.POLICY, data, FixedPositions(), FILE_START, declared_type=declared)
    source.documents.append(document)
    return list(ECR_PUBLIC_PUSH_CHECK.run(document, CheckSettings(project_root=Path("/project"))))


def allow(principal: Any, action: Any = PUSH, **more: Any) -> dict[str, Any]:
    return {"Sid": "Push", "Effect": "Allow", "Principal": principal, "Action": action, **more}


@pytest.mark.parametrize(
    ("principal", "path"),
    [
        ("*", ("Statement", 0, "Principal")),
        ({"AWS": "*"}, ("Statement", 0, "Principal", "AWS")),
        ({"AWS": ["arn:aws:iam::210987654321:root", "*"]}, ("Statement", 0, "Principal", "AWS", 1)),
    ],
)
def test_push_to_anyone_is_reported_at_the_principal(principal: Any, path: tuple[Any, ...]) -> None:
    (problem,) = problems(allow(principal))
    assert (problem.rule, problem.path) == ("RL209", path)
    assert problem.message.startswith(
        '"Push" (Statement[0]) lets anyone push (ecr:InitiateLayerUpload, ecr:UploadLayerPart, '
        "ecr:CompleteLayerUpload, ecr:PutImage): any AWS account could overwrite the images"
    )
    assert "aws:PrincipalOrgID" in problem.message


@pytest.mark.parametrize(
    ("action", "named"),
    [
        ("ecr:*", "ecr:PutImage"),
        ("ecr:Put*", "ecr:PutImage"),
        (["ECR:putimage"], "ecr:PutImage"),
        ("ecr:*Layer*", "ecr:UploadLayerPart"),
    ],
)
def test_wildcards_that_cover_a_push_action_count(action: Any, named: str) -> None:
    (problem,) = problems(allow("*", action))
    assert named in problem.message


def test_star_action_in_a_policy_known_to_be_a_repository_policy_counts() -> None:
    # Read from its data alone, a policy that names no ecr: action is no ECR policy.
    assert problems(allow("*", "*")) == []
    (problem,) = problems(allow("*", "*"), declared=PolicyType.ECR_REPOSITORY)
    assert "ecr:PutImage" in problem.message


def test_not_action_that_leaves_push_allowed_counts() -> None:
    statement = {"Effect": "Allow", "Principal": "*", "NotAction": "ecr:DeleteRepository"}
    (problem,) = problems(statement)
    assert problem.path == ("Statement", 0, "Principal") and "ecr:PutImage" in problem.message


def test_allow_with_not_principal_lets_everyone_else_push() -> None:
    statement = {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "ecr:PutImage"}
    (problem,) = problems(statement)
    assert (problem.path, problem.on_key) == (("Statement", 0, "NotPrincipal"), True)
    assert "everyone except the principals in NotPrincipal" in problem.message


@pytest.mark.parametrize(
    "statement",
    [
        allow("*", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]),  # pull only
        allow({"AWS": "arn:aws:iam::210987654321:role/ci"}),
        allow({"Service": "*"}),  # not the AWS anyone: no such grant reaches an account
        {"Effect": "Deny", "Principal": "*", "Action": "ecr:*"},
        allow("*", Condition=ORG),
        allow("*", Condition={"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]}}),
        allow("*", Condition={"ArnLike": {"AWS:PrincipalArn": "arn:aws:iam::210987654321:role/ci-*"}}),
        allow("*", Condition={"StringEquals": {"aws:sourceAccount": 210987654321}}),
        allow("*", Condition={"ArnEquals": {"aws:SourceArn": ["arn:aws:codebuild:us-east-2:210987654321:project/ml"]}}),
        allow("*", Condition={**ORG, "Bool": {"aws:SecureTransport": True}}),
    ],
)
def test_grants_that_do_not_reach_anyone_are_clean(statement: dict[str, Any]) -> None:
    assert problems(statement) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},  # true when the key is missing
        {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},  # likewise
        {"StringNotEquals": {"aws:PrincipalAccount": "123456789012"}},
        {"Null": {"aws:PrincipalOrgID": "false"}},
        {"StringLike": {"aws:PrincipalOrgID": "*"}},
        {"StringLike": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5", "*"]}},
        {"StringEquals": {"aws:PrincipalOrgID": []}},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"StringEquals": {"aws:PrincipalTag/team": "ml"}},  # anyone can tag their own role
        {"StringEquals": "o-a1b2c3d4e5"},
        "aws:PrincipalOrgID",
    ],
)
def test_conditions_that_do_not_restrict_the_caller_do_not_help(condition: Any) -> None:
    (problem,) = problems(allow("*", Condition=condition))
    assert problem.rule == "RL209"
    assert "its Condition does not restrict the caller" in problem.message


def test_a_deny_that_fences_everyone_outside_the_organization_guards_the_allow() -> None:
    fence = {"Effect": "Deny", "Principal": "*", "Action": "ecr:*",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}  # fmt: skip
    assert problems(allow("*"), fence) == []
    # A fence that lets some push actions through guards only those it covers.
    partial = {**fence, "Action": ["ecr:PutImage", "ecr:InitiateLayerUpload"]}
    (problem,) = problems(allow("*"), partial)
    assert "(ecr:UploadLayerPart, ecr:CompleteLayerUpload)" in problem.message
    # A fence with a second condition denies less than it seems: it guards nothing.
    leaky = {**fence, "Condition": {**fence["Condition"], "Bool": {"aws:SecureTransport": "true"}}}
    assert [p.rule for p in problems(allow("*"), leaky)] == ["RL209"]


def test_a_deny_to_everyone_but_the_pushers_guards_the_allow() -> None:
    fence = {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::210987654321:role/ci"}, "Action": "ecr:*"}
    assert problems(allow("*"), fence) == []


def test_registry_policy_is_checked_too() -> None:
    replication = {**allow("*", ["ecr:CreateRepository", "ecr:ReplicateImage"]), "Resource": "*"}
    assert problems(replication, declared=PolicyType.ECR_REGISTRY) == []
    (problem,) = problems({**allow("*", "ecr:*"), "Resource": "*"}, declared=PolicyType.ECR_REGISTRY)
    assert problem.rule == "RL209"


@pytest.mark.parametrize(
    "principal", [None, 5, [], ["*"], {"AWS": 5}, {"AWS": [None, {"x": 1}]}, {"*": "*"}, {5: "*"}, ""]
)
def test_principal_of_odd_shape_never_crashes(principal: Any) -> None:
    assert problems(allow(principal)) == []


def test_statements_of_odd_shape_never_crash() -> None:
    assert problems("junk", None, {"Effect": "Allow"}, {"Effect": "Allow", "Principal": "*", "Action": 5}) == []  # type: ignore[arg-type]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_reported_with_file_line_and_column(run_cli: Any, root: Path) -> None:
    policy = {"Version": "2012-10-17", "Statement": [allow({"AWS": "*"}, "ecr:*")]}
    write_tree(root, {"ecr/repository-policy.json": json.dumps(policy, indent=2)})
    result = run_cli("check", ".", "--format", "json", cwd=root)
    assert result.code == 1
    (finding,) = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["severity"], finding["path"]) == ("RL209", "error", "ecr/repository-policy.json")
    assert (finding["line"], finding["column"]) == (8, 16)


def test_not_checked_on_identity_or_plain_resource_policies(run_cli: Any, root: Path) -> None:
    policy = {"Version": "2012-10-17", "Statement": [allow("*", "ecr:*")]}
    write_tree(root, {".reglint.yaml": "policy-types: {identity.json: identity}\n",
                      "identity.json": json.dumps(policy)})  # fmt: skip
    result = run_cli("check", ".", "--select", "RL209", "--format", "json", cwd=root)
    assert json.loads(result.out)["findings"] == []
