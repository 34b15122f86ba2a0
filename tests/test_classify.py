"""Which documents are manifests and which are policies, wrappers included (SPEC §1.2)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

from helpers import MANIFEST

from reglint.loading.document import DocumentKind, Limits, PolicyType, SourceFile
from reglint.loading.reader import load_bytes

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}


def _load(name: str, text: str) -> SourceFile:
    loaded = load_bytes(Path("/p") / name, text.encode(), True, Limits())
    assert isinstance(loaded, SourceFile)
    return loaded


def test_manifest_policy_and_other_in_one_yaml_stream() -> None:
    text = MANIFEST + "---\n" + "Statement: []\n---\napiVersion: v1\nkind: ConfigMap\n"
    kinds = [d.kind for d in _load("m.yaml", text).documents]
    assert kinds == [DocumentKind.MANIFEST, DocumentKind.POLICY, DocumentKind.OTHER]


def test_get_policy_version_output_is_unwrapped_with_positions() -> None:
    text = json.dumps({"PolicyVersion": {"Document": POLICY, "VersionId": "v1"}}, indent=2)
    (document,) = _load("p.json", text).documents
    assert document.kind is DocumentKind.POLICY
    assert document.data == POLICY
    assert document.base == ("PolicyVersion", "Document")
    span = document.span_of(("Statement", 0, "Action"))
    assert text.splitlines()[span.line - 1][span.column - 1 :].startswith('"ecr:*"')


def test_get_role_policy_output_is_unwrapped() -> None:
    text = json.dumps({"RoleName": "r", "PolicyName": "p", "PolicyDocument": POLICY})
    (document,) = _load("p.json", text).documents
    assert document.kind is DocumentKind.POLICY and document.base == ("PolicyDocument",)


def test_url_encoded_document_is_decoded_and_points_at_the_string() -> None:
    encoded = urllib.parse.quote(json.dumps(POLICY))
    text = '{\n  "PolicyVersion": {\n    "Document": "' + encoded + '"\n  }\n}\n'
    (document,) = _load("p.json", text).documents
    assert document.kind is DocumentKind.POLICY and document.data == POLICY
    span = document.span_of(("Statement", 0, "Action"))
    assert (span.line, span.column) == (3, 17)


def test_undecodable_document_string_is_rl001() -> None:
    text = '{"PolicyVersion": {"Document": "%7Bnot json"}}'
    source = _load("p.json", text)
    assert [p.rule for p in source.problems] == ["RL001"]
    assert "URL-encoded policy JSON" in source.problems[0].message


def test_named_empty_file_is_rl001() -> None:
    source = _load("e.yaml", "# only a comment\n")
    assert [(p.rule, p.message) for p in source.problems] == [
        ("RL001", "empty file: it holds no YAML or JSON document")
    ]


TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
REPLICATION = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Replication",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
            "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
        }
    ],
}


def test_get_role_output_holds_a_declared_trust_policy() -> None:
    text = json.dumps({"Role": {"RoleName": "nodes", "AssumeRolePolicyDocument": TRUST}}, indent=2)
    (document,) = _load("role.json", text).documents
    assert (document.kind, document.declared_type) == (DocumentKind.POLICY, PolicyType.TRUST)
    assert document.base == ("Role", "AssumeRolePolicyDocument") and document.data == TRUST


def test_ecr_policy_outputs_hold_declared_ecr_policies_as_sent() -> None:
    policy_text = json.dumps(REPLICATION, indent=4)
    repository = {"registryId": "123456789012", "repositoryName": "ml-prod/app", "policyText": policy_text}
    (document,) = _load("repository-policy.json", json.dumps(repository)).documents
    assert (document.declared_type, document.base) == (PolicyType.ECR_REPOSITORY, ("policyText",))
    assert document.data == REPLICATION and document.text_length == len(policy_text)
    registry = {"registryId": "123456789012", "policyText": policy_text}
    (document,) = _load("registry-policy.json", json.dumps(registry)).documents
    assert document.declared_type is PolicyType.ECR_REGISTRY


def test_policy_text_without_a_registry_id_is_no_policy() -> None:
    (document,) = _load("notes.json", json.dumps({"policyText": "not json"})).documents
    assert document.kind is DocumentKind.OTHER


def test_a_json_policy_file_is_sent_as_its_whole_text() -> None:
    text = json.dumps(TRUST, indent=4) + "\n"
    (document,) = _load("trust.json", text).documents
    assert (document.text_length, document.declared_type) == (len(text), None)
    (document,) = _load("trust.yaml", "Statement: []\n").documents
    assert document.text_length is None
