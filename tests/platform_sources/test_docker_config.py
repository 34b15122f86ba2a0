"""Docker client configuration in registry Secrets: host keys, credential fields, `auth`,
layouts, credential helpers, and which registries an entry serves (SPEC §6.3)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from reglint.platform.docker_config import (
    MAX_ENTRIES,
    EntrySource,
    Layout,
    RegistryEntry,
    read_docker_config,
    registry_url_of_key,
)
from reglint.platform.encoding import MAX_SECRET_BYTES, decode_base64, decode_json_object
from reglint.platform.records import ProblemKind, ValueState

PATH = ("data", ".dockerconfigjson")
ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def only_entry(config: dict[str, Any], layout: Layout = Layout.DOCKERCONFIGJSON) -> RegistryEntry:
    read = read_docker_config(config, layout, PATH)
    assert len(read.entries) == 1, read
    return read.entries[0]


def states(entry: RegistryEntry) -> dict[str, ValueState]:
    return {c.field: c.state for c in entry.credentials}


# fmt: off
KEY_CASES = [
    # key as written -> (url checked as a registry URL, canonical registry)
    ("https://index.docker.io/v1/", "index.docker.io", "docker.io"),
    ("index.docker.io", "index.docker.io", "docker.io"),
    ("docker.io", "docker.io", "docker.io"),
    ("https://registry-1.docker.io/v2/", "registry-1.docker.io", "docker.io"),
    (f"https://{ECR}", ECR, ECR),
    (f"http://{ECR}/", ECR, ECR),
    (f"HTTPS://{ECR}", ECR, ECR),
    ("registry.example.com:5000", "registry.example.com:5000", "registry.example.com:5000"),
    ("registry.example.com:443", "registry.example.com:443", "registry.example.com"),
    ("gcr.io/my-project", "gcr.io/my-project", "gcr.io"),
    ("https://quay.io/v1/team/", "quay.io/team", "quay.io"),
    ("  ghcr.io  ", "ghcr.io", "ghcr.io"),
]
# fmt: on


@pytest.mark.parametrize(("key", "url", "registry"), KEY_CASES)
def test_host_key_is_read_as_the_kubelet_reads_it(key: str, url: str, registry: str) -> None:
    entry = only_entry({"auths": {key: {"auth": b64("u:p")}}})
    assert (entry.url, entry.registry) == (url, registry)
    assert entry.key == key
    assert entry.checkable


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("https://Reg.Example.com/ML", "Reg.Example.com/ML"),  # RL102 reports the upper case
        ("ftp://registry.example.com", "ftp://registry.example.com"),  # RL102: a scheme
        (f"{ECR.replace('us-east-2', 'us-east-')}", ECR.replace("us-east-2", "us-east-")),
    ],
)
def test_a_broken_key_keeps_what_the_url_checks_need(key: str, url: str) -> None:
    entry = only_entry({"auths": {key: {}}})
    assert entry.url == url
    assert entry.checkable


def test_credentials_in_a_host_key_are_redacted() -> None:
    entry = only_entry({"auths": {"https://bob:Pl4nted-Key@registry.example.com/v1/": {}}})
    assert "Pl4nted" not in repr(entry)
    assert entry.key == entry.url == "<redacted>@registry.example.com"
    assert registry_url_of_key("bob:pw@r.example.com") == ("<redacted>@r.example.com", True)


@pytest.mark.parametrize(
    "key", ["{{ .Values.registry }}", "${REGISTRY}", "https://{{ .Values.host }}/v1/", "<registry>"]
)
def test_a_templated_host_key_is_unknown_and_serves_any_registry(key: str) -> None:
    entry = only_entry({"auths": {key: {"auth": b64("u:p")}}})
    assert entry.template and not entry.checkable
    assert entry.registry is None
    assert entry.serves("anything.example.com")


@pytest.mark.parametrize(
    ("pattern", "registry", "serves"),
    [
        ("*.gcr.io", "eu.gcr.io", True),
        ("*.gcr.io", "gcr.io", False),  # one label per `*`, as the kubelet matches
        ("*.gcr.io", "a.b.gcr.io", False),
        ("*.example.com:5000", "r.example.com:5000", True),
        ("*.example.com:5000", "r.example.com", False),
        ("https://*.dkr.ecr.us-east-2.amazonaws.com", ECR, True),
    ],
)
def test_a_glob_host_key_matches_one_label_per_star(
    pattern: str, registry: str, serves: bool
) -> None:
    entry = only_entry({"auths": {pattern: {}}})
    assert entry.wildcard and not entry.checkable
    assert entry.serves(registry) is serves


# fmt: off
FIELD_CASES = [
    # entry -> expected states, and the literal secrets (RL106)
    ({"username": "bob", "password": "hunter2"},
     {"username": ValueState.LITERAL, "password": ValueState.LITERAL}, ("password",)),
    ({"password": "${REGISTRY_PASSWORD}"}, {"password": ValueState.PLACEHOLDER}, ()),
    ({"password": "{{ .Values.registry.password }}"}, {"password": ValueState.PLACEHOLDER}, ()),
    ({"password": "<your-password>"}, {"password": ValueState.PLACEHOLDER}, ()),
    ({"password": ""}, {"password": ValueState.EMPTY}, ()),
    ({"password": None}, {"password": ValueState.EMPTY}, ()),
    ({"identitytoken": "eyJhbGciOi.planted"}, {"identitytoken": ValueState.LITERAL}, ("identitytoken",)),
    ({"registrytoken": "tok3n"}, {"registrytoken": ValueState.LITERAL}, ("registrytoken",)),
    ({"email": "ml@example.com"}, {}, ()),  # not a credential
    ({"auth": b64("bob:hunter2")}, {"auth": ValueState.LITERAL}, ("auth",)),
    ({"auth": b64("bob:${PASSWORD}")}, {"auth": ValueState.PLACEHOLDER}, ()),
    ({"auth": b64("bob:")}, {"auth": ValueState.EMPTY}, ()),
    ({"auth": "{{ printf \"%s:%s\" .Values.u .Values.p | b64enc }}"}, {"auth": ValueState.PLACEHOLDER}, ()),
    ({"auth": "not base64!"}, {"auth": ValueState.LITERAL}, ("auth",)),  # still in the clear
    ({"username": "AWS", "password": "x", "auth": b64("AWS:x"), "identitytoken": "t"},
     {"username": ValueState.LITERAL, "password": ValueState.LITERAL, "auth": ValueState.LITERAL,
      "identitytoken": ValueState.LITERAL},
     ("password", "auth", "identitytoken")),
]
# fmt: on


@pytest.mark.parametrize(("fields", "expected", "literal"), FIELD_CASES)
def test_credential_fields(
    fields: dict[str, Any], expected: dict[str, ValueState], literal: tuple[str, ...]
) -> None:
    entry = only_entry({"auths": {"registry.example.com": fields}})
    assert states(entry) == expected
    assert entry.literal_secrets == literal


@pytest.mark.parametrize(
    ("fields", "aws"),
    [
        ({"username": "AWS", "password": "t"}, True),
        ({"auth": b64("AWS:token")}, True),
        ({"auth": b64("AWS:${TOKEN}")}, True),
        ({"username": "aws", "password": "t"}, False),  # ECR's user name is exactly AWS
        ({"auth": b64("AWSX:token")}, False),
        ({"username": "bob", "auth": b64("bob:t")}, False),
    ],
)
def test_aws_user_name_from_username_or_auth(fields: dict[str, Any], aws: bool) -> None:
    assert only_entry({"auths": {ECR: fields}}).aws_username is aws


@pytest.mark.parametrize(
    ("auth", "words"),
    [
        ("not base64!", "is not valid base64"),
        (b64("no-colon-here"), "does not decode to 'user:password'"),
        ("YWJj", "does not decode to 'user:password'"),  # "abc"
    ],
)
def test_an_undecodable_auth_is_malformed_and_not_quoted(auth: str, words: str) -> None:
    read = read_docker_config({"auths": {ECR: {"auth": auth}}}, Layout.DOCKERCONFIGJSON, PATH)
    [problem] = read.problems
    assert problem.kind is ProblemKind.MALFORMED
    assert problem.path == PATH
    assert words in problem.message and ECR in problem.message
    assert auth not in problem.message


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"auths": ["r.example.com"]}, "has an `auths` that is not an object"),
        (
            {"auths": {"r.example.com": "hunter2"}},
            "entry for 'r.example.com' that is not an object",
        ),
        (
            {"auths": {"r.example.com": {"password": 1234}}},
            "`password` for 'r.example.com' that is not a string",
        ),
        ({"credHelpers": ["ecr-login"]}, "`credHelpers` that is not an object"),
        ({"credHelpers": {"gcr.io": 1}}, "credential helper for 'gcr.io' that is not a string"),
        ({"credsStore": 1}, "`credsStore` that is not a string"),
    ],
)
def test_invalid_shapes(config: dict[str, Any], words: str) -> None:
    read = read_docker_config(config, Layout.DOCKERCONFIGJSON, PATH)
    assert [p.kind for p in read.problems] == [ProblemKind.INVALID]
    assert words in read.problems[0].message
    assert "1234" not in read.problems[0].message and "hunter2" not in read.problems[0].message


def test_dockerconfigjson_without_auths_is_invalid_and_still_read() -> None:
    read = read_docker_config(
        {"registry.example.com": {"password": "hunter2"}}, Layout.DOCKERCONFIGJSON, PATH
    )
    [problem] = read.problems
    assert "has no `auths` key" in problem.message and ".dockercfg layout" in problem.message
    assert read.entries[0].literal_secrets == ("password",)


def test_dockerconfigjson_with_other_top_level_keys_only_is_no_problem() -> None:
    read = read_docker_config({"HttpHeaders": {"User-Agent": "x"}}, Layout.DOCKERCONFIGJSON, PATH)
    assert read.entries == () and read.problems == ()


def test_dockercfg_is_a_flat_host_map() -> None:
    read = read_docker_config(
        {"https://index.docker.io/v1/": {"auth": b64("u:p"), "email": "e@x"}, ECR: {}},
        Layout.DOCKERCFG,
        ("data", ".dockercfg"),
    )
    assert read.problems == ()
    assert [(e.registry, e.source) for e in read.entries] == [
        ("docker.io", EntrySource.DOCKERCFG),
        (ECR, EntrySource.DOCKERCFG),
    ]


def test_dockercfg_with_auths_is_invalid_and_its_entries_still_read() -> None:
    read = read_docker_config(
        {"auths": {ECR: {"password": "x"}}}, Layout.DOCKERCFG, ("data", ".dockercfg")
    )
    [problem] = read.problems
    assert "holds `auths`, but .dockercfg is a flat host map" in problem.message
    assert [(e.registry, e.literal_secrets) for e in read.entries] == [(ECR, ("password",))]


def test_cred_helpers_and_creds_store_are_hosts_not_secrets() -> None:
    read = read_docker_config(
        {"credHelpers": {ECR: "ecr-login", "https://gcr.io": "gcloud"}, "credsStore": "desktop"},
        Layout.DOCKERCONFIGJSON,
        PATH,
    )
    assert read.problems == ()
    assert read.creds_store
    assert [(e.url, e.source, e.credentials) for e in read.entries] == [
        (ECR, EntrySource.CRED_HELPER, ()),
        ("gcr.io", EntrySource.CRED_HELPER, ()),
    ]


def test_entries_beyond_the_bound_are_reported_not_read() -> None:
    config = {"auths": {f"r{i}.example.com": {} for i in range(MAX_ENTRIES + 5)}}
    read = read_docker_config(config, Layout.DOCKERCONFIGJSON, PATH)
    assert len(read.entries) == MAX_ENTRIES
    assert f"more than {MAX_ENTRIES} registry hosts" in read.problems[-1].message


@pytest.mark.parametrize(
    ("key", "registry", "serves"),
    [
        ("https://index.docker.io/v1/", "docker.io", True),
        ("registry-1.docker.io", "docker.io", True),
        (ECR, ECR, True),
        (ECR, ECR.replace("123456789012", "210987654321"), False),
        ("registry.example.com:5000", "registry.example.com", False),
        ("gcr.io/my-project", "gcr.io", True),  # a path restricts repositories, not the host
    ],
)
def test_serves_compares_canonical_registries(key: str, registry: str, serves: bool) -> None:
    assert only_entry({"auths": {key: {}}}).serves(registry) is serves


# fmt: off
BASE64_CASES = [
    (b64("{}"), b"{}"),
    (b64("x" * 100)[:40] + "\n" + b64("x" * 100)[40:], b"x" * 100),  # Go skips \n and \r
    (b64("ab")[:-1], "is not valid base64"),  # missing padding
    ("eyJhIjoxfQ==".replace("J", "-"), "is not valid base64"),  # URL-safe alphabet
    ("eyJh IjoxfQ==", "is not valid base64"),  # a space
    ("eyJhIjoxfQ==é", "is not valid base64"),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), BASE64_CASES)
def test_decode_base64(text: str, expected: bytes | str) -> None:
    result = decode_base64(text)
    if isinstance(expected, bytes):
        assert result == expected
    else:
        assert isinstance(result, str) and expected in result


def test_base64_beyond_the_secret_size_limit_is_not_decoded() -> None:
    assert decode_base64("A" * (MAX_SECRET_BYTES * 2)) == decode_base64("A" * 3_000_000)
    assert "Secret size limit (1 MiB)" in str(decode_base64("A" * 3_000_000))


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"auths": {"h": {"password": "Pl4nted"', "is not valid JSON (line 1, column"),
        (b'["Pl4nted"]', "is JSON array, not an object"),
        (b'"Pl4nted"', "is JSON string, not an object"),
        (b"\xff\xfe", "is not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b" " * (MAX_SECRET_BYTES + 1), "Secret size limit"),
    ],
)
def test_decode_json_object_says_why_without_quoting(raw: bytes, words: str) -> None:
    reason = decode_json_object(raw)
    assert isinstance(reason, str) and words in reason
    assert "Pl4nted" not in reason


# fmt: off
STATIC_ECR_CASES = [
    (ECR, {"username": "AWS", "password": "eyJwYXlsb2Fk"}, True),
    (f"https://{ECR}", {"auth": b64("AWS:eyJwYXlsb2Fk")}, True),
    (ECR, {"username": "AWS", "identitytoken": "t"}, True),
    ("public.ecr.aws", {"username": "AWS", "password": "t"}, True),  # its tokens expire as fast
    ("12345.dkr.ecr.us-east-2.amazonaws.com", {"username": "AWS", "password": "t"}, True),  # RL103 too
    ("123456789012.dkr.ecr.us-east-.amazonaws.com", {"username": "AWS", "password": "t"}, False),  # no URL
    (ECR, {"username": "AWS", "password": "${ECR_TOKEN}"}, False),  # a refresher fills it in
    (ECR, {"auth": b64("AWS:")}, False),
    (ECR, {"username": "AKIAQ3EGRTHS5EXAMPLE", "password": "t"}, False),
    ("registry.example.com", {"username": "AWS", "password": "t"}, False),
    ("{{ .Values.ecr }}", {"username": "AWS", "password": "t"}, False),
]
# fmt: on


@pytest.mark.parametrize(("key", "fields", "static"), STATIC_ECR_CASES)
def test_static_ecr_token(key: str, fields: dict[str, Any], static: bool) -> None:
    assert only_entry({"auths": {key: fields}}).static_ecr_token is static
