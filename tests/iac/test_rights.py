"""Roles as units of rights (SPEC §6.2): `iamPolicies: path#ref` entries stand for the
union of a role's (user's, group's) inline, attached, self-attaching and AWS managed
policies, limited by its permissions boundary — through `reglint check`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from iac.iac_cli import at, check

URL = "123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod"


def manifest(*entries: str, extra: str = "") -> str:
    listed = "".join(f"    - {entry}\n" for entry in entries)
    return (
        "apiVersion: reglint/v1\nkind: RegistryService\n"
        "metadata: {name: ecr-user-registry, system: ml-prod, environment: production}\n"
        f"spec:\n  url: {URL}\n  auth:\n    method: iam-role\n{extra}"
        f"  iamPolicies:\n{listed}  resources:\n    limits: {{cpu: '1', memory: 1Gi}}\n"
    )


TOKEN = """\
  TokenPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: token
      Roles: [!Ref NodeRole]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ecr:GetAuthorizationToken, Resource: "*"}
"""


def role(*properties: str) -> str:
    body = "".join(f"      {line}\n" for line in properties)
    return (
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  NodeRole:\n'
        f"    Type: AWS::IAM::Role\n    Properties:\n{body}"
    )


POWER_USER = "ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser']"
CREATE = """\
  CreatePolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: create-repositories
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ecr:CreateRepository, Resource: "*"}
"""


def run(run_cli: Any, root: Path, template: str, *entries: str, extra: str = "") -> list[Any]:
    files = {"systems/r.yaml": manifest(*entries, extra=extra), "infra/registry.yaml": template}
    return check(run_cli, root, files, ".")


def test_an_aws_managed_policy_named_where_it_decides(run_cli: Any, tmp_path: Path) -> None:
    text = manifest("../infra/registry.yaml#NodeRole")
    found = run(run_cli, tmp_path, role(POWER_USER) + TOKEN, "../infra/registry.yaml#NodeRole")
    assert [(f.rule, f.path, f.line, f.column) for f in found] == [
        ("RL201", "systems/r.yaml", *at(text, "iamPolicies"))
    ]
    assert (
        "1 of the 9 required ECR push actions is not allowed for "
        "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*: ecr:CreateRepository (not "
        "allowed by any statement: AmazonEC2ContainerRegistryPowerUser (AWS managed) does not "
        "allow it) (rights of NodeRole (infra/registry.yaml))"
    ) in found[0].message


def test_attached_by_reference_and_by_literal_name(run_cli: Any, tmp_path: Path) -> None:
    by_reference = role(
        "ManagedPolicyArns:",
        "  - !Sub 'arn:${AWS::Partition}:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser'",
        "  - !Ref CreatePolicy",
    )
    assert run(run_cli, tmp_path, by_reference + TOKEN + CREATE, "../infra/registry.yaml#NodeRole") == []
    by_name = role(
        "ManagedPolicyArns:",
        "  - arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
        "  - !Sub 'arn:aws:iam::${AWS::AccountId}:policy/create-repositories'",
    )
    assert run(run_cli, tmp_path, by_name + TOKEN + CREATE, "../infra/registry.yaml#NodeRole") == []


def test_a_permissions_boundary_limits_the_union(run_cli: Any, tmp_path: Path) -> None:
    template = role(
        "ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess]",
        "PermissionsBoundary: arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    )
    (finding,) = run(run_cli, tmp_path, template, "../infra/registry.yaml#NodeRole")
    assert finding.rule == "RL201"
    assert "5 of the 9 required ECR push actions are not allowed" in finding.message
    assert (
        "ecr:CreateRepository, ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage, "
        "ecr:UploadLayerPart (not allowed by the permissions boundary "
        "AmazonEC2ContainerRegistryReadOnly (AWS managed): not allowed by any "
        "statement: AmazonEC2ContainerRegistryReadOnly (AWS managed) does not allow it)"
    ) in finding.message


def test_a_users_groups_grant_it_too(run_cli: Any, tmp_path: Path) -> None:
    template = (
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
        "  Builders:\n    Type: AWS::IAM::Group\n    Properties:\n"
        "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess]\n"
        "  Ci:\n    Type: AWS::IAM::User\n    Properties:\n      Groups: [!Ref Builders]\n"
    )
    assert run(run_cli, tmp_path, template, "../infra/registry.yaml#Ci") == []


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("../infra/registry.yaml#NodeRol", "names no resource of the CloudFormation template (did you mean NodeRole? it holds NodeRole (AWS::IAM::Role), TokenPolicy (AWS::IAM::Policy))"),
        ("../infra/registry.yaml#", "names no resource after `#`"),
        ("../infra/missing.yaml#NodeRole", "does not exist"),
        ("../systems/r.yaml#NodeRole", "is not infrastructure code"),
        ("../infra/registry.yaml", "is a CloudFormation template: name the role, user, group or policy with `#`"),
    ],
)
def test_an_entry_that_resolves_to_nothing(run_cli: Any, tmp_path: Path, entry: str, words: str) -> None:
    template = role(POWER_USER) + TOKEN.replace("GetAuthorizationToken", "PutImage")
    found = run(run_cli, tmp_path, template, entry)
    text = manifest(entry)
    assert [(f.rule, f.line, f.column) for f in found] == [("RL302", *at(text, entry))]
    assert f"iamPolicies entry '{entry}' {words}" in found[0].message


def test_what_reglint_cannot_read_grants_nothing_and_is_a_note(run_cli: Any, tmp_path: Path) -> None:
    template = role(
        "ManagedPolicyArns:",
        "  - arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
        "  - arn:aws:iam::aws:policy/NoSuchManagedPolicyAtAll",
        "  - arn:aws:iam::123456789012:policy/defined-elsewhere",
    ) + TOKEN
    found = run(run_cli, tmp_path, template, "../infra/registry.yaml#NodeRole")
    rules = [(f.rule, f.severity) for f in found]
    assert rules == [("RL201", "error"), ("RL302", "note")]  # one finding per rule and node
    assert (
        "AWS managed policy NoSuchManagedPolicyAtAll is not in reglint's snapshot; customer "
        "managed policy defined-elsewhere is defined outside the files reglint read, so they "
        "grant nothing here"
    ) in found[1].message
    assert "it may be granted by what reglint cannot read: AWS managed policy NoSuchManagedPolicyAtAll" in found[0].message


def test_an_assumption_is_said_when_rl201_reports(run_cli: Any, tmp_path: Path) -> None:
    template = role(
        "Policies:",
        "  - PolicyName: push",
        "    PolicyDocument:",
        "      Version: '2012-10-17'",
        "      Statement:",
        "        - Effect: Allow",
        "          Action: [ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:CompleteLayerUpload,"
        " ecr:GetDownloadUrlForLayer, ecr:InitiateLayerUpload, ecr:PutImage, ecr:UploadLayerPart]",
        "          Resource: !Sub 'arn:aws:ecr:us-east-2:${AWS::AccountId}:repository/ml-prod/*'",
    )
    (finding,) = run(run_cli, tmp_path, template, "../infra/registry.yaml#NodeRole")
    assert "2 of the 9 required ECR push actions are not allowed" in finding.message
    assert (
        "ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:CompleteLayerUpload, "
        "ecr:GetDownloadUrlForLayer, ecr:InitiateLayerUpload, ecr:PutImage, ecr:UploadLayerPart "
        "are allowed only assuming ${AWS::AccountId} is the registry's account"
    ) in finding.message


def test_a_pre_commit_run_of_the_template_reports_on_it(run_cli: Any, tmp_path: Path) -> None:
    template = role(POWER_USER) + TOKEN
    files = {"systems/r.yaml": manifest("../infra/registry.yaml#NodeRole"), "infra/registry.yaml": template}
    (finding,) = check(run_cli, tmp_path, files, "infra/registry.yaml")
    assert (finding.rule, finding.path) == ("RL201", "infra/registry.yaml")
    assert finding.line == at(template, "- {Effect: Allow, Action: ecr:GetAuthorizationToken")[0]
    assert "as linked from systems/r.yaml" in finding.message


TERRAFORM = """\
resource "aws_iam_role" "nodes" {
  name                = "ml-nodes"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"]
  permissions_boundary = aws_iam_policy.boundary.arn
}

resource "aws_iam_policy" "create" {
  name   = "create"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:CreateRepository", Resource = "*" }] })
}

resource "aws_iam_policy" "boundary" {
  name   = "boundary"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "create" {
  role       = aws_iam_role.nodes.name
  policy_arn = aws_iam_policy.create.arn
}

resource "aws_iam_role_policy" "token" {
  role   = "ml-nodes"
  policy = data.aws_iam_policy_document.token.json
}
"""
TOKEN_DOCUMENT = """\
data "aws_iam_policy_document" "token" {
  statement {
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
}
"""


def test_a_terraform_role_by_reference_and_literal_name(run_cli: Any, tmp_path: Path) -> None:
    files = {
        "systems/r.yaml": manifest("../tf/main.tf#aws_iam_role.nodes"),
        "tf/main.tf": TERRAFORM,
        "tf/documents.tf": TOKEN_DOCUMENT,
    }
    assert check(run_cli, tmp_path, files, ".") == []
    # The boundary that lacks CreateRepository decides.
    narrow = TERRAFORM.replace('Action = "ecr:*"', 'Action = "ecr:Put*"')
    found = check(run_cli, tmp_path, {"tf/main.tf": narrow}, ".")
    assert [f.rule for f in found] == ["RL201"]
    assert "ecr:CreateRepository" in found[0].message
    assert "not allowed by the permissions boundary" in found[0].message


def test_a_terraform_folder_names_its_module(run_cli: Any, tmp_path: Path) -> None:
    files = {
        "systems/r.yaml": manifest("../tf#aws_iam_role.nodez"),
        "tf/main.tf": TERRAFORM,
        "tf/documents.tf": TOKEN_DOCUMENT,
    }
    (finding,) = check(run_cli, tmp_path, files, "systems/r.yaml")
    assert finding.rule == "RL302"
    assert "names no resource of the Terraform module (did you mean aws_iam_role.nodes?" in finding.message


def plan(role_values: dict[str, Any], unknown: dict[str, Any]) -> str:
    resources = [
        {"address": f"module.eks.aws_iam_role.nodes[{i}]", "mode": "managed", "type": "aws_iam_role",
         "name": "nodes", "index": i, "values": role_values}
        for i in (0, 1)
    ]  # fmt: skip
    return json.dumps(
        {
            "format_version": "1.2",
            "planned_values": {
                "root_module": {"child_modules": [{"address": "module.eks", "resources": resources}]}
            },
            "resource_changes": [
                {"address": "module.eks.aws_iam_role.nodes[1]", "change": {"after_unknown": unknown}}
            ],
        },
        indent=1,
    )


def test_a_plan_address_names_every_instance(run_cli: Any, tmp_path: Path) -> None:
    values = {
        "name": "nodes",
        "managed_policy_arns": ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess"],
        "inline_policy": [],
    }
    entry = "../plan.json#module.eks.aws_iam_role.nodes"
    files = {"systems/r.yaml": manifest(entry), "plan.json": plan(values, {})}
    assert check(run_cli, tmp_path, files, ".") == []
    # The second instance's managed policies are known only after the apply: it grants
    # nothing there, and RL201 says so.
    unknown = plan(values, {"managed_policy_arns": True})
    found = check(run_cli, tmp_path, {"plan.json": unknown}, ".")
    assert [(f.rule, f.severity) for f in found] == [("RL201", "error"), ("RL302", "note")]
    assert "a policy ARN that is known only after the apply" in found[1].message
