"""Which documents are manifests and which are policies, wrappers included (SPEC §1.2)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

from helpers import MANIFEST

from reglint.loading.document import DocumentKind, Limits, SourceFile
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
