"""CloudFormation through `reglint check` (SPEC §6.2): one row per resource type that
holds a policy and per intrinsic, each with the finding it must give — rule, file, line,
column, the words that matter — or none where a value is known only at deploy time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from iac.iac_cli import at, check

HEAD = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  Accounts:
    prod: {Arn: "arn:aws:ecr:us-east-1:123:repository/x"}
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: ml-prod/runtime
"""

TRUST = "{Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}"


def policy(statement: str, version: bool = True) -> str:
    """A policy document block (8 spaces deep) with one statement's lines."""
    lines = ["        Version: '2012-10-17'"] if version else []
    lines.append("        Statement:")
    lines.extend("          " + line for line in statement.splitlines())
    return "\n".join(lines)


BAD_ACTION = "- Effect: Allow\n  Action: ecr:PutImages\n  Resource: '*'"


def resource(name: str, kind: str, body: str) -> str:
    return f"  {name}:\n    Type: {kind}\n    Properties:\n{body}\n"


def with_document(name: str, kind: str, key: str, document: str, extra: str = "") -> str:
    return resource(name, kind, f"{extra}      {key}:\n{document}")


# (case, resources, [(rule, needle, occurrence, words)])
CASES: list[tuple[str, str, list[tuple[str, str, int, str]]]] = [
    (
        "AWS::IAM::Policy",
        with_document("P", "AWS::IAM::Policy", "PolicyDocument", policy(BAD_ACTION),
                      "      PolicyName: p\n      Roles: [!Ref Role]\n"),
        [("RL203", "ecr:PutImages", 1, "did you mean `ecr:PutImage`")],
    ),
    (
        "AWS::IAM::ManagedPolicy",
        with_document("M", "AWS::IAM::ManagedPolicy", "PolicyDocument", policy(
            "- Effect: Allow\n  Action: ecr:PutImage\n  Resource: arn:aws:ecr:us-east-1:123:repository/x"
        )),
        [("RL206", "arn:aws:ecr:us-east-1:123:repository/x", 1, "account `123` is not a 12-digit")],
    ),
    (
        "AWS::IAM::RolePolicy",
        with_document("RP", "AWS::IAM::RolePolicy", "PolicyDocument", policy(
            "- {Sid: Same, Effect: Allow, Action: ecr:PutImage, Resource: '*'}\n"
            "- {Sid: Same, Effect: Allow, Action: ecr:BatchGetImage, Resource: '*'}"
        ), "      PolicyName: p\n      RoleName: r\n"),
        [("RL207", "Same", 2, 'Sid "Same" is already used by Statement[0]')],
    ),
    (
        "AWS::IAM::UserPolicy without Version",
        with_document("UP", "AWS::IAM::UserPolicy", "PolicyDocument", policy(
            "- {Effect: Allow, Action: ecr:PutImage, Resource: '*'}", version=False
        ), "      PolicyName: p\n      UserName: u\n"),
        [("RL205", "Statement:", 1, "the policy has no Version")],
    ),
    (
        "AWS::IAM::GroupPolicy with a Principal",
        with_document("GP", "AWS::IAM::GroupPolicy", "PolicyDocument", policy(
            "- {Effect: Allow, Principal: '*', Action: ecr:PutImage, Resource: '*'}"
        ), "      PolicyName: p\n      GroupName: g\n"),
        [("RL002", "Principal", 1, "Principal")],
    ),
    (
        "AWS::IAM::Role Policies",
        resource("Role", "AWS::IAM::Role",
                 f"      AssumeRolePolicyDocument: {TRUST}\n      Policies:\n        - PolicyName: push\n"
                 "          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n"
                 "              - {Effect: Allow, Action: ecr:PutImages, Resource: '*'}"),
        [("RL203", "ecr:PutImages", 1, "unknown action")],
    ),
    (
        "AWS::IAM::Role AssumeRolePolicyDocument is a trust policy",
        resource("Role", "AWS::IAM::Role",
                 "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
                 "          - {Effect: Allow, Action: sts:AssumeRole}"),
        [("RL002", "{Effect: Allow, Action: sts:AssumeRole}", 1, "Principal")],
    ),
    (
        "AWS::IAM::User Policies",
        resource("User", "AWS::IAM::User",
                 "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
                 "            Version: '2012-10-17'\n            Statement:\n"
                 "              - {Effect: Allow, Action: ecr:PutImages, Resource: '*'}"),
        [("RL203", "ecr:PutImages", 1, "unknown action")],
    ),
    (
        "AWS::IAM::Group Policies",
        resource("Group", "AWS::IAM::Group",
                 "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
                 "            Version: '2012-10-17'\n            Statement:\n"
                 "              - {Effect: Allow, Action: ecr:PutImages, Resource: '*'}"),
        [("RL203", "ecr:PutImages", 1, "unknown action")],
    ),
    (
        "AWS::ECR::Repository RepositoryPolicyText",
        with_document("Public", "AWS::ECR::Repository", "RepositoryPolicyText", policy(
            "- {Effect: Allow, Principal: '*', Action: ecr:PutImage}"
        )),
        [("RL209", "'*'", 1, "lets anyone push (ecr:PutImage)")],
    ),
    (
        "AWS::ECR::Repository policy with a Resource",
        with_document("Scoped", "AWS::ECR::Repository", "RepositoryPolicyText", policy(
            "- {Effect: Allow, Principal: {AWS: '111122223333'}, Action: ecr:PutImage, Resource: '*'}"
        )),
        [("RL002", "Resource", 1, "Resource")],
    ),
    (
        "AWS::ECR::RegistryPolicy PolicyText",
        with_document("Registry", "AWS::ECR::RegistryPolicy", "PolicyText", policy(
            "- {Effect: Allow, Principal: {AWS: '*'}, Action: ecr:PutImage, Resource: '*'}"
        )),
        [("RL209", "'*'", 1, "lets anyone push")],
    ),
    (
        "AWS::ECR::RepositoryCreationTemplate RepositoryPolicy",
        with_document("Template", "AWS::ECR::RepositoryCreationTemplate", "RepositoryPolicy",
                      policy("- {Effect: Allow, Principal: '*', Action: 'ecr:*'}"),
                      "      Prefix: ml\n      AppliedFor: [CREATE_ON_PUSH]\n"),
        [("RL209", "'*'", 1, "lets anyone push")],
    ),
    (
        "a policy as a JSON string",
        resource("M", "AWS::IAM::ManagedPolicy",
                 '      PolicyDocument: \'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                 '"Action": "ecr:PutImages", "Resource": "*"}]}\''),
        [("RL203", "'{\"Version\"", 1, "ecr:PutImages")],
    ),
    (
        "Fn::Sub of a JSON string: the placeholder is no finding, the typo is",
        resource("M", "AWS::IAM::ManagedPolicy",
                 '      PolicyDocument: !Sub \'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                 '"Action": "ecr:PutImages", "Resource": "arn:aws:ecr:${AWS::Region}:${AWS::AccountId}:repository/x"}]}\''),
        [("RL203", "!Sub", 1, "ecr:PutImages")],
    ),
    (
        "Fn::Join of a JSON string",
        resource("M", "AWS::IAM::ManagedPolicy",
                 '      PolicyDocument: !Join ["", [\'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                 '"Action": "ecr:PutImages", "Resource": "\', !GetAtt Repo.Arn, \'"}]}\']]'),
        [("RL203", "!Join", 1, "ecr:PutImages")],
    ),
    (
        "placeholders where strings belong: no RL002, RL203 or RL206",
        with_document("M", "AWS::IAM::ManagedPolicy", "PolicyDocument", policy(
            "- Effect: !Ref Env\n  Sid: !Ref Env\n  Action: [!Sub 'ecr:${Env}', !Ref Env]\n"
            "  Resource:\n    - !GetAtt Repo.Arn\n    - !ImportValue SharedRepoArn\n"
            "    - !Sub arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/x\n"
            "    - !Join [':', [arn, !Ref 'AWS::Partition', ecr, us-east-1, !Ref 'AWS::AccountId', repository/y]]"
        )),
        [],
    ),
    (
        "a statement that is unknown as a whole",
        with_document("M", "AWS::IAM::ManagedPolicy", "PolicyDocument", policy(
            "- !ImportValue SharedStatement\n- {Effect: Allow, Action: ecr:PutImages, Resource: '*'}"
        )),
        [("RL203", "ecr:PutImages", 1, "unknown action")],
    ),
    (
        "Fn::If: both branches are checked",
        with_document("M", "AWS::IAM::ManagedPolicy", "PolicyDocument", policy(
            "- Effect: Allow\n  Action: ecr:PutImage\n  Resource: !If [IsProd, "
            "'arn:aws:ecr:us-east-1:123456789012:repository/a', 'arn:aws:ecr:us-east-1:1234:repository/b']"
        )),
        [("RL206", "'arn:aws:ecr:us-east-1:1234:repository/b'", 1, "account `1234`")],
    ),
    (
        "Fn::If with AWS::NoValue: the items after it keep their place",
        with_document("M", "AWS::IAM::ManagedPolicy", "PolicyDocument", policy(
            "- !If [IsProd, {Effect: Allow, Action: ecr:PutImage, Resource: '*'}, !Ref 'AWS::NoValue']\n"
            "- {Effect: Allow, Action: ecr:PutImages, Resource: '*'}"
        )),
        [("RL203", "ecr:PutImages", 1, "unknown action")],
    ),
    (
        "Fn::Select and Fn::Split of literals",
        with_document("M", "AWS::IAM::ManagedPolicy", "PolicyDocument", policy(
            "- Effect: Allow\n  Action: !Select [1, !Split [',', 'ecr:PutImage,ecr:PutImages']]\n  Resource: '*'"
        )),
        [("RL203", "!Select", 1, "ecr:PutImages")],
    ),
    (
        "Fn::FindInMap of a literal mapping",
        with_document("M", "AWS::IAM::ManagedPolicy", "PolicyDocument", policy(
            "- Effect: Allow\n  Action: ecr:PutImage\n  Resource: !FindInMap [Accounts, prod, Arn]"
        )),
        [("RL206", "!FindInMap", 1, "account `123`")],
    ),
]


@pytest.mark.parametrize(("resources", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cloudformation_resource_types_and_intrinsics(
    run_cli: Any, tmp_path: Path, resources: str, expected: list[tuple[str, str, int, str]]
) -> None:
    text = HEAD + resources
    found = check(run_cli, tmp_path, {"infra/t.yaml": text}, "infra/t.yaml")
    got = [(f.rule, f.path, f.line, f.column) for f in found]
    want = [
        (rule, "infra/t.yaml", *at(text, needle, n, after=len(HEAD)))
        for rule, needle, n, _ in expected
    ]
    assert got == want, [f.message for f in found]
    for finding, (_, _, _, words) in zip(found, expected):
        assert words in finding.message


def test_a_json_template_as_cdk_writes_it(run_cli: Any, tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Push": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": ["ecr:PutImages"],
                                "Resource": {"Fn::GetAtt": ["Repo", "Arn"]},
                            }
                        ],
                    }
                },
            },
            "Repo": {"Type": "AWS::ECR::Repository"},
        }
    }
    text = json.dumps(template, indent=1)
    found = check(run_cli, tmp_path, {"cdk.out/App.template.json": text}, "cdk.out/App.template.json")
    assert [(f.rule, f.line, f.column) for f in found] == [("RL203", *at(text, '"ecr:PutImages"'))]


def test_a_template_without_iam_or_ecr_is_counted_as_skipped_and_listed_with_v(
    run_cli: Any, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "bucket.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B: {Type: AWS::S3::Bucket}\n"
    )
    result = run_cli("check", "bucket.yaml", "-v", cwd=tmp_path)
    assert result.code == 0
    assert "in 1 file (1 skipped)" in result.out
    assert (
        "reglint: bucket.yaml: skipped: a CloudFormation template without IAM or ECR resources"
        in result.err
    )
    quiet = run_cli("check", "bucket.yaml", cwd=tmp_path)
    assert "skipped:" not in quiet.err


def test_short_forms_are_data_only_in_templates(run_cli: Any, tmp_path: Path) -> None:
    # A YAML file that is no template keeps ignoring unknown tags, as before.
    found = check(run_cli, tmp_path, {"p.yaml": "Statement: !Custom x\nVersion: '2012-10-17'\n"}, "p.yaml")
    assert [f.rule for f in found] == ["RL002"]
