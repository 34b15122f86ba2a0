"""The resource types SPEC §6.2 reads from CloudFormation: their properties, the policy
documents they hold (path, type) and where those are written, from YAML and JSON."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pytest
from iac.cfn_reading import Read, read, where_in

from reglint.iac.model import Placeholder, Reference, Template
from reglint.loading.document import PolicyType

IDENTITY, TRUST = PolicyType.IDENTITY, PolicyType.TRUST
ECR_REPOSITORY, ECR_REGISTRY = PolicyType.ECR_REPOSITORY, PolicyType.ECR_REGISTRY
PARTITION, ACCOUNT = Placeholder("${AWS::Partition}"), Placeholder("${AWS::AccountId}")

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  CiUser: {Type: String}
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: ml-prod/app
      ImageTagMutability: MUTABLE_WITH_EXCLUSION
      ImageTagMutabilityExclusionFilters:
        - {ImageTagMutabilityExclusionFilterType: WILDCARD, ImageTagMutabilityExclusionFilterValue: "latest*"}
      RepositoryPolicyText:
        Version: "2012-10-17"
        Statement:
          - Sid: CrossAccountPush
            Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: ["ecr:CompleteLayerUpload"]
  Registry:
    Type: AWS::ECR::RegistryPolicy
    Properties:
      PolicyText:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::210987654321:root"}
            Action: ["ecr:ReplicateImage"]
            Resource: !Sub "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*"
  CreationTemplate:
    Type: AWS::ECR::RepositoryCreationTemplate
    Properties:
      Prefix: ml-prod
      AppliedFor: [CREATE_ON_PUSH, PULL_THROUGH_CACHE]
      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION
      RepositoryPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !GetAtt NodeRole.Arn}
            Action: ["ecr:UploadLayerPart"]
  NodeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: token
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "ecr:GetAuthorizationToken", Resource: "*"}
        - PolicyName: pull
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "ecr:BatchGetImage", Resource: !GetAtt Repo.Arn}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly
        - !Join ["", ["arn:", !Ref AWS::Partition, ":iam::aws:policy/AmazonSSMManagedInstanceCore"]]
      PermissionsBoundary: !Ref Boundary
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: boundary
      Roles: [!Ref NodeRole]
      Users: [!Ref CiUser]
      Groups: [!Ref Pushers]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "ecr:*", Resource: "*"}
  PushPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: push
      Roles: [!Ref NodeRole]
      Users: [ci-user]
      Groups: [!Ref Pushers]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "ecr:PutImage", Resource: !GetAtt Repo.Arn}
  RoleInline:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref NodeRole
      PolicyName: layers
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "ecr:InitiateLayerUpload", Resource: !GetAtt Repo.Arn}
  UserInline:
    Type: AWS::IAM::UserPolicy
    Properties:
      UserName: ci-user
      PolicyName: describe
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "ecr:DescribeImages", Resource: "*"}
  GroupInline:
    Type: AWS::IAM::GroupPolicy
    Properties:
      GroupName: !Ref Pushers
      PolicyName: list
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "ecr:ListImages", Resource: "*"}
  Ci:
    Type: AWS::IAM::User
    Properties:
      UserName: ci-user
      Groups: [!Ref Pushers]
      ManagedPolicyArns: [!Ref Boundary]
      PermissionsBoundary: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/boundary"
      Policies:
        - PolicyName: scan
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "ecr:StartImageScan", Resource: "*"}
  Pushers:
    Type: AWS::IAM::Group
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser]
      Policies:
        - PolicyName: tag
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "ecr:TagResource", Resource: "*"}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: artifacts
"""


def _as_json(text: str) -> str:
    """The same template as JSON (what a CloudFormation designer or `cfn-flip` writes)."""
    return json.dumps(read(text).document.data, indent=2)


FORMATS = {"yaml": TEMPLATE, "json": _as_json(TEMPLATE)}


@pytest.fixture(params=list(FORMATS), ids=list(FORMATS))
def template(request: pytest.FixtureRequest) -> Read:
    return read(FORMATS[request.param], json=request.param == "json")


class Document(NamedTuple):
    path: tuple[Any, ...]
    policy_type: PolicyType
    probe: tuple[Any, ...]  # a path inside the document...
    value: Any  # ...its value


DOCUMENTS: dict[str, list[Document]] = {
    "Repo": [Document(("RepositoryPolicyText",), ECR_REPOSITORY, ("Statement", 0, "Action", 0),
                      "ecr:CompleteLayerUpload")],
    "Registry": [Document(("PolicyText",), ECR_REGISTRY, ("Statement", 0, "Action", 0), "ecr:ReplicateImage")],
    "CreationTemplate": [Document(("RepositoryPolicy",), ECR_REPOSITORY, ("Statement", 0, "Action", 0),
                                  "ecr:UploadLayerPart")],
    "NodeRole": [
        Document(("AssumeRolePolicyDocument",), TRUST, ("Statement", 0, "Action"), "sts:AssumeRole"),
        Document(("Policies", 0, "PolicyDocument"), IDENTITY, ("Statement", 0, "Action"), "ecr:GetAuthorizationToken"),
        Document(("Policies", 1, "PolicyDocument"), IDENTITY, ("Statement", 0, "Action"), "ecr:BatchGetImage"),
    ],
    "Boundary": [Document(("PolicyDocument",), IDENTITY, ("Statement", 0, "Action"), "ecr:*")],
    "PushPolicy": [Document(("PolicyDocument",), IDENTITY, ("Statement", 0, "Action"), "ecr:PutImage")],
    "RoleInline": [Document(("PolicyDocument",), IDENTITY, ("Statement", 0, "Action"), "ecr:InitiateLayerUpload")],
    "UserInline": [Document(("PolicyDocument",), IDENTITY, ("Statement", 0, "Action"), "ecr:DescribeImages")],
    "GroupInline": [Document(("PolicyDocument",), IDENTITY, ("Statement", 0, "Action"), "ecr:ListImages")],
    "Ci": [Document(("Policies", 0, "PolicyDocument"), IDENTITY, ("Statement", 0, "Action"), "ecr:StartImageScan")],
    "Pushers": [Document(("Policies", 0, "PolicyDocument"), IDENTITY, ("Statement", 0, "Action"), "ecr:TagResource")],
    "Bucket": [],
}  # fmt: skip


def test_every_resource_is_read_in_order(template: Read) -> None:
    resources = template.template.resources
    assert [r.address for r in resources] == ["Repo", *list(DOCUMENTS)[1:]]
    assert resources[0].type == "AWS::ECR::Repository"
    assert resources[0].path == ("Resources", "Repo", "Properties")
    assert template.template.notes == ()


@pytest.mark.parametrize("address", list(DOCUMENTS))
def test_policy_documents_of_each_type(template: Read, address: str) -> None:
    documents = template.policies(address)
    assert [(d.path, d.policy_type) for d in documents] == [(d.path, d.policy_type) for d in DOCUMENTS[address]]
    for document, expected in zip(documents, DOCUMENTS[address], strict=True):
        value: Any = document.data
        for step in expected.probe:
            value = value[step]
        assert value == expected.value
        assert document.text_length is None  # written as objects
        quoted = f'"{expected.value}"'
        written = quoted if quoted in template.text else expected.value
        at = where_in(template.text, address, written)
        assert template.policy_span(address, document, *expected.probe) == at


@pytest.mark.parametrize(
    ("address", "name", "value"),
    [
        ("Repo", "RepositoryName", "ml-prod/app"),
        ("Repo", "ImageTagMutability", "MUTABLE_WITH_EXCLUSION"),
        ("Repo", "ImageTagMutabilityExclusionFilters", [{"ImageTagMutabilityExclusionFilterType": "WILDCARD",
                                                         "ImageTagMutabilityExclusionFilterValue": "latest*"}]),
        ("CreationTemplate", "Prefix", "ml-prod"),
        ("CreationTemplate", "ImageTagMutability", "IMMUTABLE_WITH_EXCLUSION"),
        ("CreationTemplate", "AppliedFor", ["CREATE_ON_PUSH", "PULL_THROUGH_CACHE"]),
        ("NodeRole", "ManagedPolicyArns", [
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            Template(("arn:", PARTITION, ":iam::aws:policy/AmazonSSMManagedInstanceCore"),
                     "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore")]),
        ("NodeRole", "PermissionsBoundary", Reference("Boundary", "", "${Boundary}")),
        ("Boundary", "Roles", [Reference("NodeRole", "", "${NodeRole}")]),
        ("Boundary", "Users", [Placeholder("${CiUser}")]),
        ("Boundary", "Groups", [Reference("Pushers", "", "${Pushers}")]),
        ("PushPolicy", "Users", ["ci-user"]),
        ("RoleInline", "RoleName", Reference("NodeRole", "", "${NodeRole}")),
        ("UserInline", "UserName", "ci-user"),
        ("GroupInline", "GroupName", Reference("Pushers", "", "${Pushers}")),
        ("Ci", "Groups", [Reference("Pushers", "", "${Pushers}")]),
        ("Ci", "ManagedPolicyArns", [Reference("Boundary", "", "${Boundary}")]),
        ("Ci", "PermissionsBoundary", Template(("arn:", PARTITION, ":iam::", ACCOUNT, ":policy/boundary"),
                                               "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/boundary")),
        ("Pushers", "ManagedPolicyArns", ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"]),
        ("Bucket", "BucketName", "artifacts"),
    ],
)  # fmt: skip
def test_properties_that_link_and_describe(template: Read, address: str, name: str, value: Any) -> None:
    assert template.properties(address)[name] == value
    key = f'"{name}"' if template.text.startswith("{") else name
    assert template.span(address, name, key=True) == where_in(template.text, address, key)


def test_unknown_values_inside_documents_stay_unknown(template: Read) -> None:
    (repository,) = template.policies("Repo")
    principal = repository.data["Statement"][0]["Principal"]["AWS"]
    assert principal == Template(("arn:", PARTITION, ":iam::", ACCOUNT, ":root"),
                                 "arn:${AWS::Partition}:iam::${AWS::AccountId}:root")  # fmt: skip
    (created,) = template.policies("CreationTemplate")
    assert created.data["Statement"][0]["Principal"] == {"AWS": Reference("NodeRole", "Arn", "${NodeRole.Arn}")}
