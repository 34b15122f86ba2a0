"""Whole templates as people write them (a CodeBuild-to-ECR stack in the style of AWS's
samples, a cfn-lint-style conditional statement, a `cdk synth` output), and what the
reader notes instead of reading."""

from __future__ import annotations

import json

import pytest
from iac.cfn_reading import read, where

from reglint.iac.model import ABSENT, Choice, Placeholder, Reference, Template
from reglint.loading.document import PolicyType

PARTITION = Placeholder("${AWS::Partition}")

BUILD_STACK = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Build images in CodeBuild and push them to a private ECR repository.
Parameters:
  RepositoryName:
    Type: String
    Default: ml-prod/app
  Environment:
    Type: String
    AllowedValues: [prod, dev]
  ArtifactBucket:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Mappings:
  Accounts:
    prod: {Tooling: "111122223333"}
    dev: {Tooling: "444455556666"}
Resources:
  Repository:
    Type: AWS::ECR::Repository
    DeletionPolicy: Retain
    Properties:
      RepositoryName: !Ref RepositoryName
      ImageTagMutability: !If [IsProd, IMMUTABLE, MUTABLE]
      ImageScanningConfiguration:
        ScanOnPush: true
      RepositoryPolicyText:
        Version: "2012-10-17"
        Statement:
          - Sid: ToolingPull
            Effect: Allow
            Principal:
              AWS: !Sub
                - "arn:${AWS::Partition}:iam::${Tooling}:root"
                - Tooling: !FindInMap [Accounts, prod, Tooling]
            Action:
              - ecr:BatchGetImage
              - ecr:GetDownloadUrlForLayer
  BuildRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-build"
      Path: /service-role/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: [codebuild.amazonaws.com]
            Action: ["sts:AssumeRole"]
      ManagedPolicyArns:
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
      Policies:
        - PolicyName: push
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: Token
                Effect: Allow
                Action: ecr:GetAuthorizationToken
                Resource: "*"
              - Sid: Push
                Effect: Allow
                Action:
                  - ecr:BatchCheckLayerAvailability
                  - ecr:CompleteLayerUpload
                  - ecr:InitiateLayerUpload
                  - ecr:PutImage
                  - ecr:UploadLayerPart
                Resource: !GetAtt Repository.Arn
              - !If
                - IsProd
                - Sid: Artifacts
                  Effect: Allow
                  Action: s3:GetObject
                  Resource: !Sub "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*"
                - !Ref AWS::NoValue
  Project:
    Type: AWS::CodeBuild::Project
    Properties:
      ServiceRole: !GetAtt BuildRole.Arn
      Environment:
        Image: aws/codebuild/standard:7.0
        EnvironmentVariables:
          - {Name: REPOSITORY_URI, Value: !GetAtt Repository.RepositoryUri}
Outputs:
  RepositoryArn:
    Value: !GetAtt Repository.Arn
    Export: {Name: !Sub "${AWS::StackName}-RepositoryArn"}
"""


def test_a_codebuild_to_ecr_stack() -> None:
    stack = read(BUILD_STACK)
    assert [(r.address, r.type) for r in stack.template.resources] == [
        ("Repository", "AWS::ECR::Repository"), ("BuildRole", "AWS::IAM::Role"), ("Project", "AWS::CodeBuild::Project")
    ]  # fmt: skip
    assert stack.notes() == []
    repository = stack.properties("Repository")
    assert repository["RepositoryName"] == Placeholder("${RepositoryName}")
    assert repository["ImageTagMutability"] == Choice(("IMMUTABLE", "MUTABLE"), "!If [IsProd, IMMUTABLE, MUTABLE]")
    (policy,) = stack.policies("Repository")
    assert policy.data["Statement"][0]["Principal"]["AWS"] == Template(
        ("arn:", PARTITION, ":iam::111122223333:root"), "arn:${AWS::Partition}:iam::111122223333:root"
    )
    assert stack.policy_span("Repository", policy, "Statement", 0, "Principal", "AWS").line == 33

    trust, push = stack.policies("BuildRole")
    assert trust.policy_type is PolicyType.TRUST and push.policy_type is PolicyType.IDENTITY
    statements = push.data["Statement"]
    assert statements[1]["Resource"] == Reference("Repository", "Arn", "${Repository.Arn}")
    assert stack.policy_span("BuildRole", push, "Statement", 1, "Resource") == where(
        BUILD_STACK, "!GetAtt Repository.Arn"
    )
    artifacts, absent = statements[2].branches
    assert absent is ABSENT
    assert artifacts["Resource"] == Template(
        ("arn:", PARTITION, ":s3:::", Placeholder("${ArtifactBucket}"), "/*"),
        "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*",
    )
    assert stack.policy_span("BuildRole", push, "Statement", 2, 0, "Sid") == where(BUILD_STACK, "Artifacts")
    assert stack.properties("Project")["ServiceRole"] == Reference("BuildRole", "Arn", "${BuildRole.Arn}")


CONDITIONAL_STATEMENT = """\
---
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  OptionalBucket:
    Type: String
    Default: ""
Conditions:
  HasBucket: !Not [!Equals [!Ref OptionalBucket, ""]]
Resources:
  ReadPolicy:
    Type: "AWS::IAM::ManagedPolicy"
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: "Allow"
            Action: ["ecr:BatchGetImage"]
            Resource: '*'
          - Fn::If:
            - HasBucket
            - Effect: "Allow"
              Action:
                - "s3:PutObject"
              Resource:
                - Fn::Join: ["", ["arn:aws:s3:::", Ref: OptionalBucket, "/*"]]
            - Ref: AWS::NoValue
"""


def test_a_statement_present_only_under_a_condition_long_form() -> None:
    stack = read(CONDITIONAL_STATEMENT)
    (policy,) = stack.policies("ReadPolicy")
    statement = policy.data["Statement"][1]
    assert isinstance(statement, Choice) and statement.branches[1] is ABSENT
    assert statement.branches[0]["Resource"] == [
        Template(("arn:aws:s3:::", Placeholder("${OptionalBucket}"), "/*"), "arn:aws:s3:::${OptionalBucket}/*")
    ]
    assert stack.policy_span("ReadPolicy", policy, "Statement", 1, 0, "Action", 0) == where(
        CONDITIONAL_STATEMENT, '"s3:PutObject"'
    )


CDK = {
    "Resources": {
        "AppRepoB4A0B2B1": {
            "Type": "AWS::ECR::Repository",
            "Properties": {"ImageTagMutability": "IMMUTABLE", "RepositoryName": "ml-prod/app"},
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "Retain",
            "Metadata": {"aws:cdk:path": "RegistryStack/AppRepo/Resource"},
        },
        "PushRole1C2A6D2E": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                                   "Principal": {"Service": "codebuild.amazonaws.com"}}],
                    "Version": "2012-10-17",
                },
                "ManagedPolicyArns": [{"Fn::Join": ["", [
                    "arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"]]}],
            },
            "Metadata": {"aws:cdk:path": "RegistryStack/PushRole/Resource"},
        },
        "PushRoleDefaultPolicy5C1B2E3F": {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": [
                        {"Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
                                    "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage",
                                    "ecr:UploadLayerPart"],
                         "Effect": "Allow",
                         "Resource": {"Fn::GetAtt": ["AppRepoB4A0B2B1", "Arn"]}},
                        {"Action": "ecr:GetAuthorizationToken", "Effect": "Allow", "Resource": "*"},
                        {"Action": "s3:GetObject", "Effect": "Allow",
                         "Resource": {"Fn::Join": ["", [{"Fn::ImportValue": "SharedStack:ExportsOutputArtifacts"}, "/*"]]}},
                    ],
                    "Version": "2012-10-17",
                },
                "PolicyName": "PushRoleDefaultPolicy5C1B2E3F",
                "Roles": [{"Ref": "PushRole1C2A6D2E"}],
            },
        },
        "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:H4sIAAAA"},
                        "Condition": "CDKMetadataAvailable"},
    },
    "Conditions": {"CDKMetadataAvailable": {"Fn::Or": [{"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]}},
    "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>",
                                        "Default": "/cdk-bootstrap/hnb659fds/version"}},
    "Rules": {"CheckBootstrapVersion": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Contains": [
        ["1", "2", "3", "4", "5"], {"Ref": "BootstrapVersion"}]}]}}]}},
}  # fmt: skip


def test_a_cdk_synthesized_template() -> None:
    text = json.dumps(CDK, indent=1)  # `cdk synth` writes cdk.out/RegistryStack.template.json so
    stack = read(text, json=True)
    assert [r.address for r in stack.template.resources] == list(CDK["Resources"])
    assert stack.notes() == []
    role = stack.properties("PushRole1C2A6D2E")
    assert role["ManagedPolicyArns"] == [
        Template(("arn:", PARTITION, ":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"),
                 "arn:${AWS::Partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")
    ]  # fmt: skip
    default = stack.properties("PushRoleDefaultPolicy5C1B2E3F")
    assert default["Roles"] == [Reference("PushRole1C2A6D2E", "", "${PushRole1C2A6D2E}")]
    (policy,) = stack.policies("PushRoleDefaultPolicy5C1B2E3F")
    statements = policy.data["Statement"]
    assert statements[0]["Resource"] == Reference("AppRepoB4A0B2B1", "Arn", "${AppRepoB4A0B2B1.Arn}")
    assert statements[2]["Resource"] == Template(
        (Placeholder('!ImportValue "SharedStack:ExportsOutputArtifacts"'), "/*"),
        '!ImportValue "SharedStack:ExportsOutputArtifacts"/*',
    )
    resource = stack.policy_span("PushRoleDefaultPolicy5C1B2E3F", policy, "Statement", 0, "Resource")
    start = where(text, '"Fn::GetAtt": [')
    assert (resource.line, resource.end_line) == (start.line - 1, start.line + 4)
    assert stack.policy_span("PushRoleDefaultPolicy5C1B2E3F", policy, "Statement", 0, "Action", 5) == where(
        text, '"ecr:PutImage"'
    )


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        ("Description: x\n", ["the template has no Resources mapping"]),
        ("Resources: [a]\n", ["the template has no Resources mapping"]),
        ("Resources:\n  R: {Properties: {}}\n  S: {Type: !Ref T}\n  7: {Type: AWS::S3::Bucket}\n",
         ["resource R has no literal Type: not read", "resource S has no literal Type: not read",
          "resource 7 has no literal Type: not read"]),
        (("Transform: AWS::LanguageExtensions\nResources:\n  'Fn::ForEach::Repos':\n    - Name\n    - [a, b]\n"
         "    - 'Repo${Name}': {Type: AWS::ECR::Repository}\n"),
         ["Fn::ForEach::Repos makes resources that reglint does not read"]),
        ("Transform: [AWS::Serverless-2016-10-31]\nResources:\n  F: {Type: AWS::Serverless::Function}\n",
         ["Transform AWS::Serverless-2016-10-31 may add resources that reglint does not read"]),
        (("Conditions: {C: !Equals [a, b]}\nResources:\n  R:\n    Type: AWS::IAM::Role\n"
         "    Properties: !If [C, {RoleName: a}, {RoleName: b}]\n"),
         ["the Properties of R are unknown until deployed"]),
    ],
)  # fmt: skip
def test_what_the_reader_does_not_read_is_noted(text: str, notes: list[str]) -> None:
    stack = read(text)
    assert stack.notes() == notes
    for resource in stack.template.resources:
        assert resource.properties == {}


def test_a_resource_with_no_properties_has_empty_properties() -> None:
    stack = read("Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n  Empty:\n    Type: AWS::ECR::Repository\n"
                 "    Properties:\n")  # fmt: skip
    assert [(r.address, r.properties) for r in stack.template.resources] == [("Repo", {}), ("Empty", {})]
    assert stack.policies("Repo") == []
