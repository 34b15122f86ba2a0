"""Kubernetes Secrets as platform sources: both registry Secret types, `data` and
`stringData`, YAML and JSON, templates, AWS credentials files, the Secret names a project
declares, positions at the data key, and no decoded value in any record (SPEC §6.3)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from platform_sources.loaded import FIXTURES, line_of, load_fixture, load_text

from reglint.platform.docker_config import EntrySource, Layout
from reglint.platform.records import ProblemKind, ValueState
from reglint.platform.secrets import (
    DOCKERCFG_TYPE,
    DOCKERCONFIGJSON_TYPE,
    PayloadState,
    SecretRecord,
    read_secrets,
)

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
PLANTED = "Pl4nted-S3cret-Zq8vR2mLx7Kp4Nw"  # must never appear in any record


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secret(
    section: str, key: str, value: Any, secret_type: str | None = DOCKERCONFIGJSON_TYPE
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "reg", "namespace": "ml"},
    }
    if secret_type is not None:
        doc["type"] = secret_type
    doc[section] = {key: value}
    return doc


def only(data: Any) -> SecretRecord:
    [record] = read_secrets(data)
    return record


CONFIG = {"auths": {ECR: {"username": "AWS", "password": PLANTED}}}
FLAT = {ECR: {"username": "AWS", "password": PLANTED}}

# fmt: off
PAYLOAD_CASES = [
    # (section, key, value, type) -> expected layout and data path
    ("data", ".dockerconfigjson", b64(json.dumps(CONFIG)), DOCKERCONFIGJSON_TYPE),
    ("stringData", ".dockerconfigjson", json.dumps(CONFIG), DOCKERCONFIGJSON_TYPE),
    ("data", ".dockercfg", b64(json.dumps(FLAT)), DOCKERCFG_TYPE),
    ("stringData", ".dockercfg", json.dumps(FLAT), DOCKERCFG_TYPE),
    ("data", ".dockerconfigjson", b64(json.dumps(CONFIG)), "Opaque"),  # read whatever the type
    ("data", ".dockerconfigjson", b64(json.dumps(CONFIG)), None),
]
# fmt: on


@pytest.mark.parametrize(("section", "key", "value", "secret_type"), PAYLOAD_CASES)
def test_both_types_both_sections(
    section: str, key: str, value: str, secret_type: str | None
) -> None:
    record = only(secret(section, key, value, secret_type))
    assert record.problems == ()
    [payload] = record.registry
    assert payload.layout is Layout(key)
    assert payload.path == (section, key)
    assert payload.state is PayloadState.KNOWN
    [entry] = payload.entries
    assert entry.registry == ECR
    assert entry.aws_username
    assert entry.literal_secrets == ("password",)
    assert record.declaration.name == "reg" and record.declaration.namespace == "ml"
    assert record.declaration.keys == {key}
    assert PLANTED not in repr(record)


@pytest.mark.parametrize(
    "value",
    [
        "{{ .Values.imagePullSecret | b64enc }}",
        '{{ template "imagePullSecret" . }}',
        "eyJhdXRocyI6{{ .Values.rest }}",  # built from parts: still made at install time
        "${DOCKERCONFIGJSON_B64}",
    ],
)
def test_a_templated_payload_is_a_placeholder(value: str) -> None:
    record = only(secret("data", ".dockerconfigjson", value))
    assert record.problems == ()
    [payload] = record.registry
    assert payload.state is PayloadState.PLACEHOLDER and payload.entries == ()
    assert record.serves("any.registry.example.com") is True


def test_string_data_with_template_values_inside_the_json() -> None:
    text = json.dumps({"auths": {"{{ .Values.host }}": {"auth": "{{ .Values.auth | b64enc }}"}}})
    [entry] = only(secret("stringData", ".dockerconfigjson", text)).registry[0].entries
    assert entry.template and entry.literal_secrets == ()


# fmt: off
MALFORMED_CASES = [
    ("data", "not base64 at all!", "data['.dockerconfigjson'] is not valid base64"),
    ("data", b64("{\"auths\": {"), "data['.dockerconfigjson'] is not valid JSON (line 1, column"),
    ("data", b64("[1, 2]"), "data['.dockerconfigjson'] is JSON array, not an object"),
    ("data", base64.b64encode(b"\xff\xfe{}").decode(), "is not UTF-8 text"),
    ("stringData", "{\"auths\": ", "stringData['.dockerconfigjson'] is not valid JSON"),
    ("data", "A" * 3_000_000, "is larger than Kubernetes' Secret size limit (1 MiB)"),
    ("data", b64("[" * 5000 + "]" * 5000), "nested too deeply"),
]
# fmt: on


@pytest.mark.parametrize(("section", "value", "words"), MALFORMED_CASES)
def test_malformed_payloads(section: str, value: str, words: str) -> None:
    record = only(secret(section, ".dockerconfigjson", value))
    [problem] = record.problems
    assert problem.kind is ProblemKind.MALFORMED
    assert problem.path == (section, ".dockerconfigjson")
    assert words in problem.message
    assert record.registry[0].state is PayloadState.MALFORMED
    assert record.serves(ECR) is None  # unknown: no RL105


@pytest.mark.parametrize(
    ("section", "value", "words"),
    [
        ("data", 12345, "data['.dockerconfigjson'] must be a base64 string"),
        ("stringData", ["x"], "stringData['.dockerconfigjson'] must be a string"),
    ],
)
def test_non_string_payloads_are_invalid(section: str, value: Any, words: str) -> None:
    [problem] = only(secret(section, ".dockerconfigjson", value)).problems
    assert (problem.kind, problem.message) == (ProblemKind.INVALID, words)


def test_string_data_object_is_invalid_and_read() -> None:
    record = only(secret("stringData", ".dockerconfigjson", CONFIG))
    [problem] = record.problems
    assert problem.kind is ProblemKind.INVALID
    assert "is an object; stringData values are strings" in problem.message
    assert record.registry[0].entries[0].literal_secrets == ("password",)


@pytest.mark.parametrize(
    ("secret_type", "key", "expected"),
    [
        (DOCKERCONFIGJSON_TYPE, ".dockercfg", ".dockerconfigjson"),
        (DOCKERCFG_TYPE, ".dockerconfigjson", ".dockercfg"),
        (DOCKERCONFIGJSON_TYPE, "config.json", ".dockerconfigjson"),
    ],
)
def test_a_docker_type_needs_its_key(secret_type: str, key: str, expected: str) -> None:
    record = only(
        secret("data", key, b64(json.dumps(CONFIG if "json" in key else FLAT)), secret_type)
    )
    problems = [p for p in record.problems if p.path == ("type",)]
    assert [p.message for p in problems] == [
        f"a Secret of type {secret_type} needs the data key {expected}"
    ]


def test_data_and_string_data_are_both_read() -> None:
    doc = secret("data", ".dockerconfigjson", b64(json.dumps(CONFIG)))
    doc["stringData"] = {".dockerconfigjson": json.dumps({"auths": {"ghcr.io": {"password": "x"}}})}
    record = only(doc)
    assert [(p.path, [e.registry for e in p.entries]) for p in record.registry] == [
        (("data", ".dockerconfigjson"), [ECR]),
        (("stringData", ".dockerconfigjson"), ["ghcr.io"]),
    ]


def test_a_list_of_secrets_keeps_item_paths() -> None:
    doc = {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}},
        secret("data", ".dockerconfigjson", b64(json.dumps(CONFIG))),
    ]}  # fmt: skip
    [record] = read_secrets(doc)
    assert record.declaration.path == ("items", 1)
    assert record.registry[0].path == ("items", 1, "data", ".dockerconfigjson")


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            {"kind": "SealedSecret", "metadata": {"name": "sealed"},
             "spec": {"encryptedData": {".dockerconfigjson": "AgB…"},
                      "template": {"metadata": {"name": "made"}, "type": DOCKERCONFIGJSON_TYPE}}},
            ("SealedSecret", "made", DOCKERCONFIGJSON_TYPE, {".dockerconfigjson"}),
        ),
        (
            {"kind": "SealedSecret", "metadata": {"name": "sealed"}, "spec": {}},
            ("SealedSecret", "sealed", None, set()),
        ),
        (
            {"kind": "ExternalSecret", "metadata": {"name": "ext"},
             "spec": {"target": {"name": "pulled", "template": {"type": DOCKERCONFIGJSON_TYPE}}}},
            ("ExternalSecret", "pulled", DOCKERCONFIGJSON_TYPE, set()),
        ),
        (
            {"kind": "ExternalSecret", "metadata": {"name": "ext"}},
            ("ExternalSecret", "ext", None, set()),
        ),
    ],
)  # fmt: skip
def test_objects_that_make_secrets_declare_their_names(
    doc: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    record = only(doc)
    declaration = record.declaration
    assert (
        declaration.kind,
        declaration.name,
        declaration.secret_type,
        set(declaration.keys),
    ) == expected
    assert not declaration.contents_known
    assert record.serves(ECR) is None


@pytest.mark.parametrize(
    "data", [None, [], "text", {"kind": "ConfigMap"}, {"kind": "List", "items": "x"}]
)
def test_other_documents_hold_no_secret(data: Any) -> None:
    assert read_secrets(data) == ()


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        ({"kind": "Secret", "data": ["x"]}, "`data` must be a mapping"),
        ({"kind": "Secret", "stringData": "x"}, "`stringData` must be a mapping"),
    ],
)
def test_bad_sections(doc: dict[str, Any], words: str) -> None:
    [problem] = only(doc).problems
    assert problem.message == words


# --- AWS credentials files ---------------------------------------------------------

AWS_FILE = (
    f"[default]\naws_access_key_id = AKIAQ3EGRTHS5EXAMPLE\naws_secret_access_key = {PLANTED}\n"
)


@pytest.mark.parametrize("section", ["data", "stringData"])
def test_aws_credentials_file(section: str) -> None:
    value = b64(AWS_FILE) if section == "data" else AWS_FILE
    record = only(secret(section, "credentials", value, "Opaque"))
    [found] = record.aws
    assert found.path == (section, "credentials")
    [profile] = found.profiles
    assert profile.name == "default"
    assert profile.literal_secrets == ("aws_secret_access_key",)
    assert PLANTED not in repr(record)


@pytest.mark.parametrize(
    "value",
    [
        '{"type": "service_account", "private_key": "x"}',  # a GCP key: none of ours
        "{{ .Values.awsCredentials | b64enc }}",
        "",
    ],
)
def test_credentials_that_are_no_aws_file_yield_nothing(value: str) -> None:
    record = only(secret("stringData", "credentials", value, "Opaque"))
    assert record.aws == () and record.problems == ()


def test_aws_credentials_with_bad_base64_are_malformed() -> None:
    [problem] = only(secret("data", "credentials", "%%%", "Opaque")).problems
    assert problem.message == (
        "data['credentials'] is not valid base64 (standard alphabet, '=' padding, no spaces)"
    )


# --- real files: positions at the data key -------------------------------------------


def test_eks_fixture_positions_and_records() -> None:
    text = (FIXTURES / "eks-deployment.yaml").read_text()
    documents = load_fixture("eks-deployment.yaml")
    records = [r for d in documents for r in read_secrets(d.data)]
    assert [r.declaration.name for r in records] == ["ecr-registry-credentials", "aws-credentials"]
    registry, aws = records
    [payload] = registry.registry
    key_line = documents[1].positions.span(payload.path, on_key=True).line
    assert key_line == line_of(text, ".dockerconfigjson: |")
    [entry] = payload.entries
    assert (entry.registry, entry.aws_username, entry.literal_secrets) == (ECR, True, ("password",))
    [aws_file] = aws.aws
    assert documents[2].positions.span(aws_file.path, on_key=True).line == line_of(
        text, "credentials: |"
    )
    assert aws_file.profiles[0].literal_secrets == ("aws_secret_access_key",)


def test_json_secret_position_at_the_data_key() -> None:
    doc = secret("data", ".dockercfg", b64(json.dumps(FLAT)), DOCKERCFG_TYPE)
    text = json.dumps(doc, indent=2)
    [parsed] = load_text(text, json=True)
    [payload] = only(parsed.data).registry
    span = parsed.positions.span(payload.path, on_key=True)
    assert span.line == line_of(text, '".dockercfg":')
    assert payload.entries[0].source is EntrySource.DOCKERCFG


# --- no decoded value in any record ----------------------------------------------------


def test_no_planted_secret_in_any_record() -> None:
    """A secret planted in every field, plain and base64-encoded, in both layouts and an AWS
    file, appears in no record, problem or message (also not encoded, not in part)."""
    entry = {
        "username": f"user-{PLANTED}",
        "password": PLANTED,
        "auth": b64(f"user-{PLANTED}:{PLANTED}"),
        "identitytoken": PLANTED,
        "registrytoken": PLANTED,
        "email": f"{PLANTED}@example.com",
    }
    broken_auth = {"auth": PLANTED + "!"}  # undecodable: a problem names it, never quotes it
    config = {
        "auths": {ECR: entry, "r.example.com": broken_auth},
        "credHelpers": {"gcr.io": "gcloud"},
    }
    documents = [
        secret("data", ".dockerconfigjson", b64(json.dumps(config))),
        secret("stringData", ".dockerconfigjson", json.dumps(config)),
        secret("data", ".dockercfg", b64(json.dumps({ECR: entry})), DOCKERCFG_TYPE),
        secret("data", "credentials", b64(AWS_FILE + f"aws_session_token = {PLANTED}\n"), "Opaque"),
        secret("data", ".dockerconfigjson", b64('{"auths": {"h": {"password": "' + PLANTED)),
    ]
    shown = repr([read_secrets(d) for d in documents])
    encoded = {PLANTED, b64(PLANTED), b64(f"user-{PLANTED}:{PLANTED}"), PLANTED[5:20]}
    for text in encoded:
        assert text not in shown
    assert "literal" in shown  # the records were read, and say what they found


def test_string_data_json_completed_by_a_template_is_a_placeholder() -> None:
    record = only(
        secret("stringData", ".dockerconfigjson", '{"auths": {{ .Values.auths | toJson }}}')
    )
    assert record.problems == ()
    assert record.registry[0].state is PayloadState.PLACEHOLDER


def test_aws_file_in_string_data_with_placeholder_keys() -> None:
    text = "[default]\naws_access_key_id = ${AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n"
    [found] = only(secret("stringData", "credentials", text, "Opaque")).aws
    assert found.profiles[0].keys == (
        ("aws_access_key_id", ValueState.PLACEHOLDER),
        ("aws_secret_access_key", ValueState.PLACEHOLDER),
    )
    assert found.profiles[0].literal_secrets == ()


def render(doc: dict[str, Any], fmt: str) -> str:
    """A Secret as people write it: YAML (with a block scalar for stringData) or JSON."""
    if fmt == "json":
        return json.dumps(doc, indent=2)
    [(section, values)] = [(k, v) for k, v in doc.items() if k in ("data", "stringData")]
    [(key, value)] = values.items()
    body = f"  {key}: |\n    {value}\n" if section == "stringData" else f"  {key}: {value}\n"
    return (
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: reg\n  namespace: ml\n"
        f"type: {doc['type']}\n{section}:\n{body}"
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("section", ["data", "stringData"])
@pytest.mark.parametrize("key", [".dockerconfigjson", ".dockercfg"])
def test_every_format_section_and_type_from_text(fmt: str, section: str, key: str) -> None:
    payload = json.dumps(CONFIG if key == ".dockerconfigjson" else FLAT)
    value = b64(payload) if section == "data" else payload
    secret_type = DOCKERCONFIGJSON_TYPE if key == ".dockerconfigjson" else DOCKERCFG_TYPE
    text = render(secret(section, key, value, secret_type), fmt)
    [parsed] = load_text(text, json=fmt == "json")
    record = only(parsed.data)
    assert record.problems == ()
    [payload_record] = record.registry
    [entry] = payload_record.entries
    assert (entry.registry, entry.aws_username, entry.literal_secrets) == (ECR, True, ("password",))
    assert entry.static_ecr_token
    key_text = f'"{key}":' if fmt == "json" else f"{key}:"
    assert parsed.positions.span(payload_record.path, on_key=True).line == line_of(text, key_text)
    assert PLANTED not in repr(record)
