"""How a policy's type is decided (SPEC §6.1): declared by its source, else the config's
`policy-types`, else read from its data; and the grammar each type is held to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reglint.checks.base import CheckSettings
from reglint.checks.schema import check_schema
from reglint.files.globs import GlobSet
from reglint.findings import FILE_START
from reglint.loading.classify import infer_policy_type
from reglint.loading.document import Document, DocumentKind, PolicyType, SourceFile
from reglint.loading.positions import FixedPositions

ROOT = Path("/project")
ANYONE_PULLS = {"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"}


def statement(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Allow", **fields}


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([statement(Action="ecr:PutImage", Resource="*")], PolicyType.IDENTITY),
        ([statement(Principal={"Service": "ec2.amazonaws.com"}, Action="sts:AssumeRole")], PolicyType.TRUST),
        ([statement(Principal="*", Action=["STS:AssumeRole", "sts:TagSession"])], PolicyType.TRUST),
        # A trust-shaped policy that also grants something else is a resource policy.
        ([statement(Principal="*", Action=["sts:AssumeRole", "s3:GetObject"])], PolicyType.RESOURCE),
        # NotAction "sts:…" covers every other service: never a trust policy.
        ([statement(NotPrincipal={"AWS": "x"}, NotAction="sts:AssumeRole")], PolicyType.RESOURCE),
        ([statement(Principal="*", Action="s3:GetObject", Resource="arn:aws:s3:::b/*")], PolicyType.RESOURCE),
        ([ANYONE_PULLS], PolicyType.ECR_REPOSITORY),
        ([statement(Principal="*", NotAction="ECR:DeleteRepository")], PolicyType.ECR_REPOSITORY),
        ([statement(Principal="*", Action="ecr-public:PutImage")], PolicyType.RESOURCE),
        ([statement(Principal="*", Action="*")], PolicyType.RESOURCE),
        ([statement(Principal="*")], PolicyType.RESOURCE),  # no action at all: not a trust policy
        # One statement with a Principal is enough; odd statements are skipped, never a crash.
        ([statement(Action="ecr:PutImage", Resource="*"), "junk", None, 3, ANYONE_PULLS], PolicyType.ECR_REPOSITORY),
        ([statement(Principal="*", Action=[None, 5, "sts:AssumeRole"])], PolicyType.TRUST),
    ],
)
def test_type_is_read_from_the_statements(statements: list[Any], expected: PolicyType) -> None:
    assert infer_policy_type({"Version": "2012-10-17", "Statement": statements}) is expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (None, PolicyType.IDENTITY),
        ([], PolicyType.IDENTITY),
        ({"Statement": None}, PolicyType.IDENTITY),
        ({"Statement": "x"}, PolicyType.IDENTITY),
        ({"Statement": {"Principal": 1, "Action": {"sts": 1}}}, PolicyType.RESOURCE),
    ],
)
def test_type_of_odd_data_never_raises(data: Any, expected: PolicyType) -> None:
    assert infer_policy_type(data) is expected


def document(data: Any, path: str = "/project/iam/p.json", declared: PolicyType | None = None) -> Document:
    source = SourceFile(path=Path(path))
    found = Document(source, 0, DocumentKind.POLICY, data, FixedPositions(), FILE_START, declared_type=declared)
    source.documents.append(found)
    return found


def settings(**globs: str) -> CheckSettings:
    return CheckSettings(
        project_root=ROOT,
        policy_types=tuple((GlobSet([glob]), PolicyType(kind)) for glob, kind in globs.items()),
    )


TRUST = {"Statement": [statement(Principal={"Service": "ec2.amazonaws.com"}, Action="sts:AssumeRole")]}


def test_config_overrides_what_the_data_shows() -> None:
    assert settings().policy_type(document(TRUST)) is PolicyType.TRUST
    assert settings(**{"iam/*.json": "identity"}).policy_type(document(TRUST)) is PolicyType.IDENTITY
    assert settings(**{"other/*.json": "identity"}).policy_type(document(TRUST)) is PolicyType.TRUST


def test_last_matching_glob_wins() -> None:
    both = settings(**{"*.json": "identity", "iam/p.json": "resource"})
    assert both.policy_type(document(TRUST)) is PolicyType.RESOURCE
    reversed_order = settings(**{"iam/p.json": "resource", "*.json": "identity"})
    assert reversed_order.policy_type(document(TRUST)) is PolicyType.IDENTITY


def test_config_resource_with_an_ecr_action_is_an_ecr_repository_policy() -> None:
    data = {"Statement": [statement(Action="ecr:PutImage", Resource="*")]}
    assert settings(**{"iam/": "resource"}).policy_type(document(data)) is PolicyType.ECR_REPOSITORY


def test_config_trust_makes_a_trust_policy_whatever_its_actions() -> None:
    data = {"Statement": [statement(Principal="*", Action=["sts:AssumeRole", "iam:PassRole"])]}
    assert settings().policy_type(document(data)) is PolicyType.RESOURCE
    assert settings(**{"p.json": "trust"}).policy_type(document(data)) is PolicyType.TRUST


def test_a_declared_type_wins_over_the_config_and_the_data() -> None:
    declared = document({"Statement": [ANYONE_PULLS]}, declared=PolicyType.ECR_REGISTRY)
    assert settings(**{"*.json": "identity"}).policy_type(declared) is PolicyType.ECR_REGISTRY


def schema_problems(data: Any, declared: PolicyType | None = None) -> list[tuple[tuple[Any, ...], str]]:
    return [(p.path, p.message) for p in check_schema(document(data, declared=declared), settings())]


def test_registry_policy_needs_a_resource() -> None:
    data = {"Version": "2012-10-17", "Statement": [statement(Principal={"AWS": "arn:aws:iam::210987654321:root"}, Action=["ecr:CreateRepository", "ecr:ReplicateImage"])]}
    assert schema_problems(data, PolicyType.ECR_REGISTRY) == [
        (("Statement", 0), "Statement[0] needs one of 'Resource' or 'NotResource'")
    ]
    data["Statement"][0]["Resource"] = "arn:aws:ecr:us-west-2:123456789012:repository/*"
    assert schema_problems(data, PolicyType.ECR_REGISTRY) == []
    # Read from the data alone, the same policy is a repository policy, which may not name one.
    ((path, message),) = schema_problems(data)
    assert path == ("Statement", 0, "Resource")
    assert "Invalid repository policy provided" in message


def test_registry_policy_with_resource_and_not_resource_is_one_problem() -> None:
    data = {"Statement": statement(Principal="*", Action="ecr:ReplicateImage", Resource="*", NotResource="x")}
    assert schema_problems(data, PolicyType.ECR_REGISTRY) == [
        (
            ("Statement", "NotResource"),
            (
                "'NotResource' in Statement is not allowed together with 'Resource': a statement "
                "has at most one of 'Resource' and 'NotResource'"
            ),
        )
    ]
