"""Cross-account push (SPEC §6.2): a role of another account than the registry's also
needs the repository policies of the namespace to let it push the seven
repository-level actions; RL201 names that side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iac.iac_cli import at, check

ROLE = "arn:aws:iam::210987654321:role/ml-nodes"
PUSH = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {"Effect": "Allow", "Action": "ecr:*", "Resource": "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*"},
        ],
    }
)
SEVEN = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
]


def manifest(role: str = ROLE, repository_policies: list[str] | None = None) -> str:
    listed = "".join(f"    - {entry}\n" for entry in repository_policies or [])
    extra = f"  repositoryPolicies:\n{listed}" if repository_policies else ""
    return (
        "apiVersion: reglint/v1\nkind: RegistryService\n"
        "metadata: {name: ecr-user-registry, system: ml-prod, environment: production}\n"
        "spec:\n  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod\n"
        f"  auth:\n    method: iam-role\n    roleArn: {role}\n"
        f"  iamPolicies: [../iam/push.json]\n{extra}"
        "  resources:\n    limits: {cpu: '1', memory: 1Gi}\n"
    )


def template(statement: str) -> str:
    return (
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Repository:\n'
        "    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: ml-prod/runtime\n"
        "      RepositoryPolicyText:\n        Version: '2012-10-17'\n        Statement:\n"
        f"          - {statement}\n"
    )


def run(run_cli: Any, root: Path, files: dict[str, str], *args: str) -> list[Any]:
    base = {"iam/push.json": PUSH, "systems/r.yaml": manifest()}
    return check(run_cli, root, {**base, **files}, *args)


def test_no_repository_policy_at_all(run_cli: Any, tmp_path: Path) -> None:
    found = run(run_cli, tmp_path, {})
    text = manifest()
    assert [(f.rule, f.path, f.line, f.column) for f in found] == [
        ("RL201", "systems/r.yaml", *at(text, "roleArn"))
    ]
    assert (
        f"cross-account push: role {ROLE} is in account 210987654321 and the registry in "
        "123456789012, so the repository policies of the namespace must also let the role "
        "push, and they do not allow 7 of the 7 repository-level push actions"
    ) in found[0].message
    assert "no repository policy of the namespace was found" in found[0].message


def test_a_repository_policy_that_grants_only_pulls_in_a_pre_commit_run(
    run_cli: Any, tmp_path: Path
) -> None:
    pulls = template(
        "{Sid: Pull, Effect: Allow, Principal: {AWS: 'arn:aws:iam::210987654321:root'}, "
        "Action: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability]}"
    )
    # Only the manifest is named: the template is found by the sniff, as context.
    (finding,) = run(run_cli, tmp_path, {"infra/registry.yaml": pulls}, "systems/r.yaml")
    assert finding.rule == "RL201"
    assert (
        "ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage, ecr:UploadLayerPart "
        "(no statement of Repository (ml-prod/runtime) grants it to the role)"
    ) in finding.message


def test_a_repository_policy_that_grants_the_account_or_the_role(run_cli: Any, tmp_path: Path) -> None:
    for principal in ("'210987654321'", f"'{ROLE}'", "'*'"):
        granted = template(f"{{Effect: Allow, Principal: {{AWS: {principal}}}, Action: {json.dumps(SEVEN)}}}")
        found = run(run_cli, tmp_path, {"infra/registry.yaml": granted})
        assert [f.rule for f in found if f.rule == "RL201"] == [], principal


def test_a_placeholder_principal_matches_in_an_allow(run_cli: Any, tmp_path: Path) -> None:
    granted = template(
        "{Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${PusherAccount}:root'}, Action: 'ecr:*'}"
    )
    assert run(run_cli, tmp_path, {"infra/registry.yaml": granted}) == []


def test_an_explicit_deny_names_its_statement(run_cli: Any, tmp_path: Path) -> None:
    denied = template("{Effect: Allow, Principal: {AWS: '210987654321'}, Action: 'ecr:*'}").rstrip() + (
        "\n          - {Sid: NoPush, Effect: Deny, Principal: '*', Action: ecr:PutImage}\n"
    )
    (finding,) = run(run_cli, tmp_path, {"infra/registry.yaml": denied})
    assert 'ecr:PutImage (explicitly denied by "NoPush" (Statement[1]) of Repository (ml-prod/runtime))' in finding.message


def test_repository_policies_named_in_the_manifest(run_cli: Any, tmp_path: Path) -> None:
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": SEVEN[:3]}]}
    )
    text = manifest(repository_policies=["../iam/repository.json"])
    found = run(run_cli, tmp_path, {"iam/repository.json": policy, "systems/r.yaml": text})
    assert [(f.rule, f.line, f.column) for f in found] == [("RL201", *at(text, "repositoryPolicies"))]
    assert "4 of the 7 repository-level push actions" in found[0].message
    granted = template("{Effect: Allow, Principal: {AWS: '210987654321'}, Action: 'ecr:*'}")
    by_reference = manifest(repository_policies=["../infra/registry.yaml#Repository"])
    assert run(run_cli, tmp_path, {"infra/registry.yaml": granted, "systems/r.yaml": by_reference}) == []
    wrong = manifest(repository_policies=["../infra/registry.yaml#Nope"])
    (broken,) = run(run_cli, tmp_path, {"systems/r.yaml": wrong})
    assert broken.rule == "RL302"
    assert "repositoryPolicies entry '../infra/registry.yaml#Nope' names no resource" in broken.message


def test_the_same_account_is_no_cross_account_push(run_cli: Any, tmp_path: Path) -> None:
    same = manifest(role="arn:aws:iam::123456789012:role/ml-nodes")
    assert run(run_cli, tmp_path, {"systems/r.yaml": same}) == []


def test_terraform_repository_policies_by_reference(run_cli: Any, tmp_path: Path) -> None:
    main = (
        'resource "aws_ecr_repository" "r" {\n  name = "ml-prod/models"\n}\n'
        'resource "aws_ecr_repository_policy" "p" {\n  repository = aws_ecr_repository.r.name\n'
        "  policy = data.aws_iam_policy_document.p.json\n}\n"
        'data "aws_iam_policy_document" "p" {\n  statement {\n    actions = ["ecr:PutImage"]\n'
        '    principals {\n      type = "AWS"\n      identifiers = ["arn:aws:iam::210987654321:root"]\n    }\n  }\n}\n'
    )
    (finding,) = run(run_cli, tmp_path, {"tf/main.tf": main})
    assert "6 of the 7 repository-level push actions" in finding.message
    assert "no statement of aws_ecr_repository.r (ml-prod/models) grants it to the role" in finding.message
