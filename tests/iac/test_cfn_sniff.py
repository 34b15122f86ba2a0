"""Telling CloudFormation templates from other YAML and JSON (SPEC §6.2): on the bytes,
before parsing (it decides whether short forms are read), and on the parsed data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import MANIFEST, POLICY

from reglint.iac.cfn_sniff import is_template, looks_like_template
from reglint.loading.document import Limits
from reglint.loading.yaml_loader import load_yaml

TEMPLATES = {
    "version-only": 'AWSTemplateFormatVersion: "2010-09-09"\nDescription: empty\n',
    "yaml-resources": "Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n",
    "yaml-quoted-type": "Resources:\n  Repo:\n    'Type': 'AWS::ECR::Repository'\n",
    "yaml-flow": 'Resources: {Repo: {Type: "AWS::ECR::Repository"}}\n',
    "json": '{"Resources": {"Repo": {"Type": "AWS::ECR::Repository"}}}',
    "cdk-out": json.dumps({"Resources": {"RepoB4A0B2B1": {"Type": "AWS::ECR::Repository"}},
                           "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>"}}},
                          indent=1),
    "sam": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n",
    "type-then-tab": "Resources:\n  Repo:\n    Type:\tAWS::IAM::Role\n",
}

OTHERS = {
    "manifest": MANIFEST,
    "policy": POLICY,
    "kubernetes": "apiVersion: v1\nkind: Service\nspec:\n  type: ClusterIP\n",
    "helm-values": "resources:\n  limits: {cpu: 1}\nservice:\n  type: LoadBalancer\n",
    "resources-without-aws-types": "Resources:\n  db:\n    Type: postgres\n",
    "aws-words-without-resources": 'steps:\n  - run: "echo Type: AWS::ECR::Repository"\n',
    "aws-types-without-resources-key": "Outputs:\n  x:\n    Type: AWS::ECR::Repository\n",
    "resource-type-key": "Resources:\n  - ResourceType: AWS::ECR::Repository\n",
    "empty": "",
}


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_templates_are_recognised_on_bytes_and_data(name: str) -> None:
    text = TEMPLATES[name]
    assert looks_like_template(text.encode())
    (document,) = load_yaml(text, Limits(), short_forms=True)
    assert is_template(document.data)


@pytest.mark.parametrize("name", list(OTHERS))
def test_other_files_are_not_templates(name: str) -> None:
    text = OTHERS[name]
    assert not looks_like_template(text.encode())
    documents = load_yaml(text, Limits())
    assert not any(is_template(document.data) for document in documents)


@pytest.mark.parametrize(
    "data",
    [None, [], "Resources", {"Resources": []}, {"Resources": {"R": "AWS::ECR::Repository"}},
     {"Resources": {"R": {"Type": ["AWS::ECR::Repository"]}}}, {"Resources": {"R": {"Type": "Custom::Thing"}}}],
)  # fmt: skip
def test_data_that_only_resembles_a_template(data: Any) -> None:
    assert not is_template(data)
