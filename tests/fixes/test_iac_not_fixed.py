"""`--fix` edits no infrastructure code (SPEC §6.5): a policy read out of a CloudFormation
template, a Terraform file or a plan keeps every byte, even under `--fix
--unsafe-fixes`, and its finding says that a fix exists only for plain policy files
(never a silent skip). The same policy as a plain file is fixed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixes.fixing import contents, findings, project

PLAIN = "fix available for plain policy files only"

CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  PushPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: ecr:PutImages   # the typo RL203 names
            Resource: "*"
"""

CLOUDFORMATION_JSON = json.dumps(
    {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "PushPolicy": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "PolicyDocument": {
                        "Statement": [{"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "*"}]
                    }
                },
            }
        },
    },
    indent=2,
) + "\n"

TERRAFORM = """\
# the push policy of the builders
resource "aws_iam_policy" "push" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["ecr:PutImages"], Resource = "*" }]
  })
}
"""

PLAN = json.dumps(
    {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_iam_policy.push",
                        "mode": "managed",
                        "type": "aws_iam_policy",
                        "name": "push",
                        "values": {
                            "policy": json.dumps(
                                {"Statement": [{"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "*"}]}
                            )
                        },
                    }
                ]
            }
        },
    },
    indent=2,
) + "\n"

PLAIN_POLICY = '{\n  "Statement": [{"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "*"}]\n}\n'


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("infra/push.yaml", CLOUDFORMATION),
        ("infra/push.template.json", CLOUDFORMATION_JSON),
        ("infra/main.tf", TERRAFORM),
        ("infra/plan.json", PLAN),
    ],
)
def test_infrastructure_code_keeps_its_bytes(run_cli: Any, tmp_path: Path, name: str, text: str) -> None:
    root = project(tmp_path, {name: text})
    before = contents(root)
    found = {f["rule"]: f for f in findings(run_cli, root)}
    # The fixable problems are found (RL203's typo, RL205's missing Version), in this file.
    assert {"RL203", "RL205"} <= set(found), found
    for rule in ("RL203", "RL205"):
        assert found[rule]["path"] == name
        assert found[rule]["fix"] is None
        assert found[rule]["message"].endswith(f"({PLAIN})"), found[rule]["message"]
    for args in (("--fix",), ("--fix", "--unsafe-fixes")):
        result = run_cli("check", ".", *args, cwd=root)
        assert result.code == 1, result
        assert contents(root) == before
        assert f"{name}:" in result.out and PLAIN in result.out
        assert result.out.splitlines()[-1].endswith("; 0 fixed"), result.out
    diff = run_cli("check", ".", "--diff", "--unsafe-fixes", cwd=root)
    assert (diff.code, diff.out) == (0, ""), diff
    # SARIF carries no fix for them either.
    sarif = json.loads(run_cli("check", ".", "--format", "sarif", cwd=root).out)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"RL203", "RL205"}
    assert all("fixes" not in r for r in results)


def test_the_same_policy_as_a_plain_file_is_fixed(run_cli: Any, tmp_path: Path) -> None:
    """The contrast: a plain policy file with the same problems is fixed, and its findings
    never mention plain policy files."""
    root = project(tmp_path, {"iam/push.json": PLAIN_POLICY, "infra/main.tf": TERRAFORM})
    found = findings(run_cli, root)
    plain = [f for f in found if f["path"] == "iam/push.json"]
    assert {f["rule"] for f in plain} == {"RL203", "RL205"}
    assert all(f["fix"] is not None and PLAIN not in f["message"] for f in plain)
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
    assert (root / "iam/push.json").read_text() == (
        '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "*"}]\n}\n'
    )
    assert (root / "infra/main.tf").read_text() == TERRAFORM
    assert "2 fixed" in result.out.splitlines()[-1]


ROLE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  NodeRole:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser']
"""
TOKEN_POLICY = (
    '{\n  "Version": "2012-10-17",\n'
    '  "Statement": [{"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}]\n}\n'
)


def _manifest(*entries: str) -> str:
    listed = "".join(f"    - {entry}\n" for entry in entries)
    return (
        "apiVersion: reglint/v1\nkind: RegistryService\n"
        "metadata: {name: ecr-user-registry, system: ml-prod, environment: production}\n"
        "spec:\n  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod\n  auth:\n    method: iam-role\n"
        f"  iamPolicies:\n{listed}  resources:\n    limits: {{cpu: '1', memory: 1Gi}}\n"
    )


@pytest.mark.parametrize(
    "entries",
    [("../infra/registry.yaml#NodeRole",), ("../iam/token.json", "../infra/registry.yaml#NodeRole")],
    ids=["role", "plain-and-role"],
)
def test_missing_actions_of_a_role_are_not_added(run_cli: Any, tmp_path: Path, entries: tuple[str, ...]) -> None:
    """RL201 over a role's rights (an AWS managed policy, SPEC §6.2): the actions would go
    into infrastructure code — never into a plain file of the same union, whose grant a
    boundary or a managed policy could leave without effect."""
    root = project(
        tmp_path,
        {"systems/r.yaml": _manifest(*entries), "infra/registry.yaml": ROLE, "iam/token.json": TOKEN_POLICY},
    )
    before = contents(root)
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL201"]
    assert found["path"] == "systems/r.yaml" and "ecr:CreateRepository" in found["message"]
    assert found["fix"] is None
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
    assert result.code == 1 and contents(root) == before, result


def test_an_unused_ignore_comment_in_a_template_goes(run_cli: Any, tmp_path: Path) -> None:
    """The one edit made in infrastructure code: RL004's removal of an unused ignore
    comment from a YAML template is a comment edit, exact for YAML (SPEC §6.5); the
    template's data stays, and its policy's problems stay unfixed."""
    template = CLOUDFORMATION.replace(
        "    Type: AWS::IAM::ManagedPolicy\n",
        "    Type: AWS::IAM::ManagedPolicy   # reglint: ignore[RL209] -- nothing to ignore\n",
    )
    root = project(tmp_path, {"infra/push.yaml": template})
    (unused,) = [f for f in findings(run_cli, root) if f["rule"] == "RL004"]
    assert unused["line"] == 4 and unused["fix"]["safety"] == "safe"
    run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
    assert (root / "infra/push.yaml").read_text() == CLOUDFORMATION
    assert {f["rule"] for f in findings(run_cli, root)} == {"RL203", "RL205"}
