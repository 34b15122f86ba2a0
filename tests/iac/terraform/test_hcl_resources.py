"""Realistic Terraform files (the shapes terraform-aws-modules writes, for every resource
type SPEC §6.2 reads) -> the document's data and the positions of its values.

Expected positions are found by searching the fixture's text, independently of the
parser: `at(text, needle)` is the 1-based span of the needle's n-th occurrence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reglint.findings import Span
from reglint.iac.model import Choice, FileContent, Placeholder, Reference, Template
from reglint.iac.terraform.hcl_loader import load_hcl
from reglint.loading.document import Limits, ParsedDocument

FIXTURES = Path(__file__).parent / "fixtures" / "registry_module"


def load(name: str) -> tuple[ParsedDocument, str]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    [document] = load_hcl(text, Limits())
    return document, text


def at(text: str, needle: str, occurrence: int = 1) -> Span:
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    end = offset + len(needle)
    end_line = text.count("\n", 0, end)
    end_column = end - (text.rfind("\n", 0, end) + 1)
    return Span(line + 1, column + 1, end_line + 1, end_column + 1)


def ref(target: str, attribute: str, text: str) -> Reference:
    return Reference(target, attribute, text)


def test_role_with_inline_managed_trust_and_boundary() -> None:
    document, text = load("roles.tf")
    role = document.data["resource"]["aws_iam_role"]["nodes"]
    assert role["name"] == Template(
        (Reference("local.name", "", "local.name"), "-nodes"), '"${local.name}-nodes"'
    )
    assert role["assume_role_policy"] == ref(
        "data.aws_iam_policy_document.nodes_assume",
        "json",
        "data.aws_iam_policy_document.nodes_assume.json",
    )
    assert role["permissions_boundary"] == Template(
        (
            "arn:",
            Placeholder("data.aws_partition.current.partition"),
            ":iam::",
            Placeholder("data.aws_caller_identity.current.account_id"),
            ":policy/platform-boundary",
        ),
        role["permissions_boundary"].text,
    )
    assert role["managed_policy_arns"] == [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        ref("aws_iam_policy.push", "arn", "aws_iam_policy.push.arn"),
    ]
    token, describe = role["inline_policy"]
    assert token == {
        "name": "token",
        "policy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Token",
                    "Effect": "Allow",
                    "Action": ["ecr:GetAuthorizationToken"],
                    "Resource": "*",
                }
            ],
        },
    }
    assert describe["policy"] == ref(
        "data.aws_iam_policy_document.describe",
        "json",
        "data.aws_iam_policy_document.describe.json",
    )
    assert role["tags"] == Placeholder("var.tags")
    base = ("resource", "aws_iam_role", "nodes")
    positions = document.positions
    assert positions.span(base) == Span(5, 1, 36, 2)
    assert positions.span(base, on_key=True) == at(text, '"nodes"')
    assert positions.span((*base, "inline_policy", 0, "policy", "Statement", 0, "Action", 0)) == at(
        text, '"ecr:GetAuthorizationToken"'
    )
    assert positions.span((*base, "inline_policy", 1)) == Span(30, 3, 33, 4)
    assert positions.span((*base, "inline_policy"), on_key=True) == at(text, "inline_policy")
    assert positions.span((*base, "managed_policy_arns", 1)) == at(text, "aws_iam_policy.push.arn")
    assert positions.span((*base, "permissions_boundary"), on_key=True) == at(
        text, "permissions_boundary"
    )


def test_role_policy_heredoc_and_attachments() -> None:
    document, _ = load("roles.tf")
    resources = document.data["resource"]
    policy = resources["aws_iam_role_policy"]["nodes_push"]["policy"]
    assert isinstance(policy, Template)
    assert policy.parts[0].startswith(
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
    )  # flush: 4 spaces gone
    assert policy.parts[1:6] == (
        Placeholder("var.region"),
        ":",
        Reference("local.account_id", "", "local.account_id"),
        ":repository/",
        Reference("local.name", "", "local.name"),
    )
    assert policy.parts[6].startswith('/*"\n')
    heredoc = document.positions.span(("resource", "aws_iam_role_policy", "nodes_push", "policy"))
    assert heredoc == Span(42, 12, 53, 6)
    assert resources["aws_iam_role_policy_attachment"]["nodes_read_only"] == {
        "role": ref("aws_iam_role.nodes", "name", "aws_iam_role.nodes.name"),
        "policy_arn": "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    }
    assert resources["aws_iam_role_policies_exclusive"]["nodes"]["policy_names"] == [
        ref("aws_iam_role_policy.nodes_push", "name", "aws_iam_role_policy.nodes_push.name")
    ]
    assert resources["aws_iam_role_policy_attachments_exclusive"]["nodes"]["policy_arns"][1] == (
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
    )


def test_users_groups_policies_and_attachments() -> None:
    document, text = load("users_groups.tf")
    resources = document.data["resource"]
    assert resources["aws_iam_policy"]["push"]["policy"] == FileContent(
        "policies/push.json", False, 'file("${path.module}/policies/push.json")'
    )
    assert resources["aws_iam_user_policy"]["ci"]["policy"] == ref(
        "data.aws_iam_policy_document.push", "json", "data.aws_iam_policy_document.push.json"
    )
    group_policy = resources["aws_iam_group_policy"]["builders"]["policy"]
    assert group_policy["Statement"][0]["Resource"] == ref(
        "aws_ecr_repository.models", "arn", "aws_ecr_repository.models.arn"
    )
    assert resources["aws_iam_user_policy_attachment"]["ci"]["user"] == ref(
        "aws_iam_user.ci", "name", "aws_iam_user.ci.name"
    )
    assert resources["aws_iam_group_policy_attachment"]["builders"]["policy_arn"].endswith(
        "PowerUser"
    )
    attachment = resources["aws_iam_policy_attachment"]["push"]
    assert [attachment[k][0].target for k in ("users", "roles", "groups")] == [
        "aws_iam_user.ci",
        "aws_iam_role.nodes",
        "aws_iam_group.builders",
    ]
    path = ("resource", "aws_iam_group_policy", "builders", "policy", "Statement", 0, "Action", 1)
    assert document.positions.span(path) == at(text, '"ecr:GetDownloadUrlForLayer"')


def test_policy_documents_statements_principals_conditions_and_dynamic() -> None:
    document, text = load("policy_documents.tf")
    data = document.data["data"]
    assert set(data) == {"aws_caller_identity", "aws_partition", "aws_iam_policy_document"}
    assert data["aws_caller_identity"]["current"] == {}
    documents = data["aws_iam_policy_document"]
    assume = documents["nodes_assume"]["statement"]
    assert assume == [
        {
            "sid": "EC2AssumeRole",
            "actions": ["sts:AssumeRole"],
            "principals": [
                {
                    "type": "Service",
                    "identifiers": [
                        Template(
                            ("ec2.", Placeholder("data.aws_partition.current.dns_suffix")),
                            '"ec2.${data.aws_partition.current.dns_suffix}"',
                        )
                    ],
                }
            ],
        }
    ]
    push = documents["push"]
    assert push["policy_id"] == "push" and push["version"] == "2012-10-17"
    assert push["source_policy_documents"] == [
        ref(
            "data.aws_iam_policy_document.describe",
            "json",
            "data.aws_iam_policy_document.describe.json",
        )
    ]
    assert push["override_policy_documents"] == Placeholder("var.extra_policy_documents")
    first, second, dynamic = push["statement"]
    assert first["resources"] == [
        ref("aws_ecr_repository.models", "arn", "aws_ecr_repository.models.arn"),
        Template(
            (ref("aws_ecr_repository.models", "arn", "aws_ecr_repository.models.arn"), "/*"),
            '"${aws_ecr_repository.models.arn}/*"',
        ),
    ]
    assert second["not_actions"] == ["ecr:Describe*", "ecr:List*"] and second["effect"] == "Deny"
    assert dynamic == Placeholder('dynamic "statement"')
    repository = documents["repository"]["statement"][0]
    assert repository["principals"] == [{"type": "AWS", "identifiers": ["*"]}]
    assert repository["not_principals"] == [
        {"type": "AWS", "identifiers": ["arn:aws:iam::111122223333:root"]}
    ]
    assert [c["test"] for c in repository["condition"]] == ["StringEquals", "ArnLike"]
    assert repository["condition"][0]["values"] == [Placeholder("var.org_id")]
    base = ("data", "aws_iam_policy_document", "push", "statement")
    positions = document.positions
    assert positions.span((*base, 2)) == Span(44, 3, 56, 4)  # the whole dynamic block
    assert positions.span(base, on_key=True) == Span(22, 3, 22, 12)  # the first `statement`
    assert positions.span((*base, 1, "not_resources", 0)) == at(
        text, '"arn:aws:ecr:*:${local.account_id}:repository/sandbox/*"'
    )
    condition = (
        "data",
        "aws_iam_policy_document",
        "repository",
        "statement",
        0,
        "condition",
        1,
        "values",
        0,
    )
    assert positions.span(condition) == at(text, '"arn:aws:iam::*:role/ci-*"')


def test_ecr_repository_policies_and_creation_template() -> None:
    document, text = load("ecr.tf")
    resources = document.data["resource"]
    repository = resources["aws_ecr_repository"]["models"]
    assert repository["image_tag_mutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert repository["image_tag_mutability_exclusion_filter"] == [
        {"filter": "latest*", "filter_type": "WILDCARD"}
    ]
    assert repository["encryption_configuration"] == [{"encryption_type": "KMS"}]
    assert resources["aws_ecr_repository_policy"]["models"]["policy"] == ref(
        "data.aws_iam_policy_document.repository",
        "json",
        "data.aws_iam_policy_document.repository.json",
    )
    registry = resources["aws_ecr_registry_policy"]["this"]["policy"]
    assert registry["Statement"][0]["Principal"] == {
        "AWS": Template(
            (
                "arn:",
                Placeholder("data.aws_partition.current.partition"),
                ":iam::444455556666:root",
            ),
            registry["Statement"][0]["Principal"]["AWS"].text,
        )
    }
    template = resources["aws_ecr_repository_creation_template"]["ml"]
    assert template["prefix"] == "ml" and template["applied_for"] == [
        "CREATE_ON_PUSH",
        "PULL_THROUGH_CACHE",
    ]
    assert template["repository_policy"] == Choice(
        (
            ref(
                "data.aws_iam_policy_document.repository",
                "json",
                "data.aws_iam_policy_document.repository.json",
            ),
            None,
        ),
        "var.use_org_policy ? data.aws_iam_policy_document.repository.json : null",
    )
    path = (
        "resource",
        "aws_ecr_registry_policy",
        "this",
        "policy",
        "Statement",
        0,
        "Principal",
        "AWS",
    )
    assert document.positions.span(path, on_key=True) == at(text, '"AWS"')
    choice = ("resource", "aws_ecr_repository_creation_template", "ml", "repository_policy")
    assert document.positions.span((*choice, 1)) == at(text, "null")


def test_variables_outputs_and_locals() -> None:
    variables, _ = load("variables.tf")
    assert variables.data["variable"]["region"] == {
        "description": "Region of the registry",
        "type": Placeholder("string"),
        "default": "eu-west-1",
    }
    assert variables.data["output"]["nodes_role_arn"]["value"] == ref(
        "aws_iam_role.nodes", "arn", "aws_iam_role.nodes.arn"
    )
    local_values, text = load("locals.tf")
    assert local_values.data == {
        "locals": {
            "name": "ml-platform",
            "account_id": Placeholder("data.aws_caller_identity.current.account_id"),
        }
    }
    assert local_values.positions.span(("locals", "name")) == at(text, '"ml-platform"')


def test_other_blocks_keep_their_labels_and_repeat_as_lists() -> None:
    [document] = load_hcl(
        'terraform {\n  required_version = ">= 1.5"\n}\n'
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'provider "aws" {\n  alias  = "us"\n  region = "us-east-1"\n}\n'
        'resource "null_resource" "x" {\n  provisioner "local-exec" {\n    command = "true"\n  }\n}\n'
        "locals {\n  a = 1\n}\nlocals {\n  b = 2\n}\n",
        Limits(),
    )
    data: Any = document.data
    assert data["terraform"] == [{"required_version": ">= 1.5"}]
    assert data["provider"] == {
        "aws": [{"region": "eu-west-1"}, {"alias": "us", "region": "us-east-1"}]
    }
    assert data["resource"]["null_resource"]["x"] == {
        "provisioner": {"local-exec": [{"command": "true"}]}
    }
    assert data["locals"] == {"a": 1, "b": 2}
    assert document.duplicates == []


def test_duplicates_of_attributes_resources_and_locals_are_recorded() -> None:
    [document] = load_hcl(
        'resource "aws_iam_policy" "p" {\n  name = "a"\n  name = "b"\n}\n'
        'resource "aws_iam_policy" "p" {\n  name = "c"\n}\n'
        "locals {\n  x = 1\n}\nlocals {\n  x = 2\n}\n",
        Limits(),
    )
    assert document.data["resource"]["aws_iam_policy"]["p"] == {"name": "c"}
    assert document.data["locals"] == {"x": 2}
    assert [(d.key, d.span.line, d.first.line) for d in document.duplicates] == [
        ("name", 3, 2),
        ("p", 5, 1),
        ("x", 12, 9),
    ]


def test_blank_and_comment_only_files() -> None:
    assert load_hcl(" \n\n", Limits()) == []
    [document] = load_hcl("# nothing here\n/* at all */\n", Limits())
    assert document.data == {}
    assert document.span == Span(1, 1, 2, 13)
