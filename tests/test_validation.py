"""Unit tests of reglint.validation: the API, its fallbacks and its wording."""

from __future__ import annotations

import datetime
import subprocess
import sys
from typing import Any

import jsonschema
import pytest

from reglint.validation import SchemaViolation, explain, is_valid, load_schema, schema_file
from reglint.validation.python_validator import ecma_regex, python_validator
from reglint.validation.wording import pluralize, read_as, suggest


def _policy(**statement: Any) -> dict[str, Any]:
    base = {"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "*"}
    return {"Version": "2012-10-17", "Statement": [{**base, **statement}]}


def _manifest(**auth: Any) -> dict[str, Any]:
    return {
        "apiVersion": "reglint/v1",
        "kind": "RegistryService",
        "metadata": {"name": "docker-registry", "system": "ml", "environment": "production"},
        "spec": {"url": "registry.example.com/ml", "auth": {"method": "basic", **auth}},
    }


def test_importing_and_fast_checking_do_not_import_jsonschema() -> None:
    code = (
        "import sys\n"
        "from reglint.validation import is_valid\n"
        "assert is_valid('iam-policy', {'Statement': {'Effect': 'Allow', 'Action': '*', 'Resource': '*'}})\n"
        "assert 'jsonschema' not in sys.modules, 'jsonschema imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_load_schema_is_read_once_and_points_at_the_schemas_folder() -> None:
    assert load_schema("config") is load_schema("config")
    assert schema_file("iam-policy").name == "iam-policy.schema.json"
    assert schema_file("iam-policy").parent.name == "schemas"
    with pytest.raises(ValueError, match="unknown schema 'manifest'"):
        schema_file("manifest")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (datetime.date(2024, 1, 1), "read as a date"),
        (datetime.datetime(2024, 1, 1, 12, 0), "read as a timestamp"),
        (b"\x00\x01", "read as binary data (!!binary)"),
        ({"a", "b"}, "read as a set (!!set)"),
        (float("nan"), "read as the special number .inf or .nan"),
        (float("inf"), "read as the special number .inf or .nan"),
    ],
)
def test_values_json_cannot_hold_fail_where_they_stand(value: Any, words: str) -> None:
    policy = _policy(Sid=value)
    assert is_valid("iam-policy", policy) is False  # never raises
    [violation] = explain("iam-policy", policy)
    assert violation.path == ("Statement", 0, "Sid")
    assert words in violation.message
    assert violation.message.startswith("Statement[0].Sid must be a string")


@pytest.mark.parametrize("key", [1, None, True, datetime.date(2024, 1, 1)])
def test_non_string_keys_fail_at_the_key(key: Any) -> None:
    config = {"severity": {key: "error"}}
    assert is_valid("config", config) is False
    [violation] = explain("config", config)
    assert violation.path == ("severity", key)
    assert violation.on_key
    assert "must be a string" in violation.message and "quote it" in violation.message


def test_lone_surrogate_and_huge_integer_do_not_break_the_fast_path() -> None:
    assert is_valid("iam-policy", _policy(Sid="ab\ud800")) is False
    condition = {"NumericLessThan": {"aws:MultiFactorAuthAge": 10**400}}
    assert is_valid("iam-policy", _policy(Condition=condition)) is True


def test_patterns_follow_ecma_262_where_python_differs() -> None:
    # Python's `$` also matches before a final newline; ECMA-262's (and jsonschema-rs's) not.
    policy = _policy(Sid="AllowPush\n")
    plain = jsonschema.Draft202012Validator(load_schema("iam-policy"))
    assert plain.is_valid(policy)  # the difference the extended validator removes
    assert not python_validator("iam-policy").is_valid(policy)
    assert not is_valid("iam-policy", policy)
    assert ecma_regex(r"^[a$]+$").pattern == r"^[a$]+\Z"
    assert ecma_regex(r"^\$x$").pattern == r"^\$x\Z"


def test_base_prefixes_message_paths_only() -> None:
    [violation] = explain("iam-policy", _policy(Effect="allow"), base=("PolicyVersion", "Document"))
    assert violation.path == ("Statement", 0, "Effect")
    assert violation.message.startswith("PolicyVersion.Document.Statement[0].Effect must be")


def test_a_type_error_hides_the_other_keyword_errors_at_that_node() -> None:
    violations = explain("iam-policy", _policy(Effect=True))
    assert [(v.path, v.identity) for v in violations] == [(("Statement", 0, "Effect"), "type")]
    assert "read as the boolean true" in violations[0].message


def test_identity_names_the_problem_without_values() -> None:
    violations = explain("registry-service", _manifest(passwrd="hunter2-secret"))
    assert [(v.path, v.on_key, v.identity) for v in violations] == [
        (("spec", "auth", "passwrd"), True, "unknown-key:passwrd")
    ]
    assert "did you mean 'password'?" in violations[0].message


@pytest.mark.parametrize(
    "auth",
    [
        {"password": 8675309},
        {"password": ["hunter2-secret"]},
        {"password": {"fromEnv": "hunter2-secret"}},
        {"password": {"fromSecret": {"name": "hunter2-secret"}}},
        {"password": {"fromSecret": {"name": "hunter2-secret", "key": 8675309}}},
        {"password": "hunter2-secret", "pass": "8675309"},
        {"username": 8675309, "password": {"fromEnv": "X", "extra": "hunter2-secret"}},
        {"method": "hunter2-secret"},
    ],
)
def test_credentials_never_appear_in_messages(auth: dict[str, Any]) -> None:
    violations = explain("registry-service", _manifest(**auth))
    assert violations, "each case is invalid"
    for violation in violations:
        assert "hunter2" not in violation.message and "8675309" not in violation.message
        assert "hunter2" not in violation.identity and "8675309" not in violation.identity


def test_schema_violation_is_frozen() -> None:
    violation = SchemaViolation(("spec",), "spec is missing the required key 'url'")
    assert (violation.on_key, violation.identity) == (False, "")
    with pytest.raises(AttributeError):  # a NamedTuple: immutable
        violation.message = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("imagePrefx", "imagePrefix"),
        ("imageprefix", "imagePrefix"),
        ("NullIfExists", "Null"),
        ("prod", "production"),
        ("gpu", None),
    ],
)
def test_suggest(word: str, expected: str | None) -> None:
    candidates = ["imagePrefix", "Null", "NumericEquals", "production", "playground", "cpu2x"]
    assert suggest(word, candidates) == expected


def test_wording_helpers() -> None:
    assert pluralize("a string") == "strings"
    assert pluralize("a mapping with 'fromEnv'") == "mappings with 'fromEnv'"
    assert read_as(False, reveal=True) == "it was read as the boolean false"
    assert read_as(False, reveal=False) == "it was read as a boolean"
    assert read_as(123, reveal=False) == "it was read as a number"
    assert read_as(None, reveal=True) == "it is empty (null)"
    assert read_as(None, reveal=True, key=True) == "it was read as null"
