"""Acceptance tests of the JSON Schemas: the example folders under tests/schemas/.

See tests/schemas/README.md for the layout and the `.expect.yaml` format. Every
acceptance has a rejection beside it, and the last test runs this file with validators
that accept everything: each test that checks a rejection must then fail.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import yaml

from reglint.validation import (
    SCHEMA_NAMES,
    SchemaName,
    SchemaViolation,
    explain,
    is_valid,
    load_schema,
)
from reglint.validation.python_validator import python_validator

EXAMPLES = Path(__file__).parent / "schemas"


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _cases(kind: str) -> list[Any]:
    """`(schema name, example path)` for every example of `kind` (positive/negative)."""
    found = []
    for name in SCHEMA_NAMES:
        for path in sorted((EXAMPLES / kind / name).glob("*")):
            if path.suffix in (".yaml", ".json") and not path.name.endswith(".expect.yaml"):
                found.append(pytest.param(name, path, id=f"{name}/{path.name}"))
    return found


POSITIVE = _cases("positive")
NEGATIVE = _cases("negative")


def _describe(violations: list[SchemaViolation]) -> str:
    return "\n".join(f"  {list(v.path)} on_key={v.on_key}: {v.message}" for v in violations)


def _matches(expected: dict[str, Any], violation: SchemaViolation) -> bool:
    return (
        tuple(expected["path"]) == violation.path
        and bool(expected.get("on_key", False)) == violation.on_key
        and all(word in violation.message for word in expected["words"])
        and not any(word in violation.message for word in expected.get("absent", ()))
    )


def _auth_values(data: Any) -> Iterator[str]:
    """Every scalar under a manifest's `spec.auth` except `method` (credentials)."""
    spec = data.get("spec") if isinstance(data, dict) else None
    auth = spec.get("auth") if isinstance(spec, dict) else None
    if not isinstance(auth, dict):
        return
    pending = [value for key, value in auth.items() if key != "method"]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, bool):
            yield f"boolean {str(value).lower()}"  # how a revealed boolean would read
        elif value is not None:
            yield str(value)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_a_valid_2020_12_schema_with_metadata(name: SchemaName) -> None:
    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://reglint.dev/schemas/{name}.json"
    assert schema["title"]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_has_a_stable_id_a_title_and_a_description_for_editors(name: SchemaName) -> None:
    """What an editor shows for the file as a whole (README, "Editors"); the `$id` is the
    schema's name for good: a modeline or `yaml.schemas` setting may point at it."""
    schema = load_schema(name)
    assert schema["$id"] == f"https://reglint.dev/schemas/{name}.json"
    assert schema["title"].strip() and schema["description"].strip()


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_description_for_editors(name: SchemaName) -> None:
    """Every property (also those matched by a pattern) and every shared definition says
    what it is: editors show it on hover and in completion."""
    undocumented = []
    pending: list[tuple[str, Any]] = [("", load_schema(name))]
    while pending:
        where, node = pending.pop()
        if isinstance(node, dict):
            for keyword in ("properties", "patternProperties", "$defs"):
                for key, sub in node.get(keyword, {}).items():
                    if not sub.get("description"):
                        undocumented.append(f"{where}/{keyword}/{key}")
            # An `if` only tests data (`type: external`); it describes nothing.
            pending.extend((f"{where}/{k}", value) for k, value in node.items() if k != "if")
        elif isinstance(node, list):
            pending.extend((f"{where}[{i}]", value) for i, value in enumerate(node))
    assert undocumented == []


@pytest.mark.parametrize(("name", "path"), POSITIVE)
def test_positive_example_validates_with_both_libraries(name: SchemaName, path: Path) -> None:
    data = _load(path)
    schema = load_schema(name)
    assert jsonschema.Draft202012Validator(schema).is_valid(data)
    assert jsonschema_rs.Draft202012Validator(schema).is_valid(data)
    assert is_valid(name, data)
    assert explain(name, data) == []


@pytest.mark.parametrize(("name", "path"), NEGATIVE)
def test_negative_example_has_exactly_the_expected_violations(name: SchemaName, path: Path) -> None:
    data = _load(path)
    expectations = yaml.safe_load(path.with_name(f"{path.stem}.expect.yaml").read_text())
    assert not is_valid(name, data)
    violations = explain(name, data)
    unmatched = list(violations)
    for expected in expectations:
        found = next((v for v in unmatched if _matches(expected, v)), None)
        assert found is not None, f"no violation like {expected}; got:\n{_describe(violations)}"
        unmatched.remove(found)
    assert unmatched == [], f"unexpected violations:\n{_describe(unmatched)}"


@pytest.mark.parametrize(("name", "path"), POSITIVE + NEGATIVE)
def test_both_validators_agree(name: SchemaName, path: Path) -> None:
    data = _load(path)
    explaining = python_validator(name).is_valid(data)
    try:
        fast = jsonschema_rs.Draft202012Validator(load_schema(name)).is_valid(data)
    except ValueError:
        # A value JSON has no type for (a YAML date, a non-string key): is_valid falls
        # back to the Python validator, which must reject it.
        assert not explaining
        assert not is_valid(name, data)
        return
    assert fast == explaining
    assert (explain(name, data) == []) == fast


@pytest.mark.parametrize(
    ("name", "path"), [p for p in NEGATIVE if p.values[0] == "registry-service"]
)
def test_no_credential_appears_in_any_message(name: SchemaName, path: Path) -> None:
    data = _load(path)
    secrets = [value for value in _auth_values(data) if len(value) >= 4]
    violations = explain(name, data)
    assert violations, "a negative example without a violation proves nothing here"
    for violation in violations:
        for secret in secrets:
            assert secret not in violation.message
            assert secret not in violation.identity


def _unwrap(data: Any) -> Any:
    """The policy inside AWS CLI output (what reglint's loader does, done here by hand)."""
    document = (
        data["PolicyVersion"]["Document"] if "PolicyVersion" in data else data["PolicyDocument"]
    )
    return json.loads(urllib.parse.unquote(document)) if isinstance(document, str) else document


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "wrapped" / "iam-policy").glob("*.json")), ids=lambda p: p.name
)
def test_wrapped_policy_validates_once_unwrapped(path: Path) -> None:
    data = _load(path)
    policy = _unwrap(data)
    assert is_valid("iam-policy", policy)
    assert jsonschema.Draft202012Validator(load_schema("iam-policy")).is_valid(policy)
    # The schema is the bare grammar: the wrapper itself is not a policy.
    assert not is_valid("iam-policy", data)
    wrapper_key = next(iter(data)) if "PolicyVersion" in data else "PolicyDocument"
    [violation] = [v for v in explain("iam-policy", data) if v.path == (wrapper_key,)]
    assert violation.on_key
    assert violation.message.startswith(f"unknown key '{wrapper_key}' in the policy")


def test_missing_version_is_not_a_schema_violation() -> None:
    policy = {"Statement": [{"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "*"}]}
    assert is_valid("iam-policy", policy)
    assert explain("iam-policy", policy) == []


@pytest.mark.parametrize("version", ["2012-10-17", "2008-10-17"])
def test_both_policy_versions_are_accepted(version: str) -> None:
    policy = {
        "Version": version,
        "Statement": {"Effect": "Deny", "NotAction": "*", "NotResource": "*"},
    }
    assert is_valid("iam-policy", policy)


@pytest.mark.parametrize(
    "operator",
    [
        "StringEqualsIgnoreCaseIfExists",
        "ForAllValues:ArnNotLike",
        "ForAnyValue:IpAddressIfExists",
        "BinaryEquals",
        "Null",
        "NumericGreaterThanEqualsIfExists",
        "DateNotEquals",
    ],
)
def test_condition_operator_forms_are_accepted(operator: str) -> None:
    policy = {
        "Statement": {
            "Effect": "Allow",
            "Action": "ecr:*",
            "Resource": "*",
            "Condition": {operator: {"aws:SomeKey": ["a", 1, True]}},
        }
    }
    assert is_valid("iam-policy", policy)


@pytest.mark.parametrize(
    "operator", ["NullIfExists", "ForAllValues:Null", "StringEquals:IfExists", "stringequals"]
)
def test_malformed_condition_operators_are_rejected_at_the_key(operator: str) -> None:
    policy = {
        "Statement": {
            "Effect": "Allow",
            "Action": "ecr:*",
            "Resource": "*",
            "Condition": {operator: {"aws:SomeKey": "a"}},
        }
    }
    [violation] = explain("iam-policy", policy)
    assert violation.path == ("Statement", "Condition", operator)
    assert violation.on_key
    assert "is not a condition operator" in violation.message


@pytest.mark.parametrize(
    ("version", "words"),
    [("2012-10-18", "not '2012-10-18'; did you mean '2012-10-17'?"),
     ("2012-10-17 ", "Version must be '2012-10-17' or '2008-10-17'"),
     (20121017, "read as the number 20121017"), (None, "it is empty (null)")],
    ids=["typo", "trailing-blank", "number", "null"],
)  # fmt: skip
def test_a_version_other_than_the_two_dates_is_a_violation(version: Any, words: str) -> None:
    policy = {
        "Version": version,
        "Statement": {"Effect": "Deny", "NotAction": "*", "NotResource": "*"},
    }
    assert not is_valid("iam-policy", policy)
    [violation] = explain("iam-policy", policy)
    assert violation.path == ("Version",) and not violation.on_key
    assert words in violation.message


def test_a_statement_without_effect_is_a_violation() -> None:
    policy = {"Statement": [{"Action": "ecr:PutImage", "Resource": "*"}]}
    assert not is_valid("iam-policy", policy)
    [violation] = explain("iam-policy", policy)
    assert violation.path == ("Statement", 0)
    assert violation.message == "Statement[0] is missing the required key 'Effect'"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_a_list_fails_every_schema_at_the_root(name: SchemaName) -> None:
    assert not is_valid(name, [])
    [violation] = explain(name, [])
    assert violation.path == ()
    assert violation.message.endswith("must be a mapping, but it is a list")


# A test that checks a rejection must fail, for every one of its cases, when the
# validators accept everything (test_a_validator_that_accepts_everything_fails_the_suite).
REJECTING = {
    "test_negative_example_has_exactly_the_expected_violations",
    "test_no_credential_appears_in_any_message",
    "test_wrapped_policy_validates_once_unwrapped",
    "test_malformed_condition_operators_are_rejected_at_the_key",
    "test_a_version_other_than_the_two_dates_is_a_violation",
    "test_a_statement_without_effect_is_a_violation",
    "test_a_list_fails_every_schema_at_the_root",
}
ACCEPT_EVERYTHING = """
import reglint.validation.python_validator as python
import reglint.validation.store as store

class Yes:
    def is_valid(self, data):
        return True

    def iter_errors(self, data):
        return iter(())

store._compiled = lambda name: Yes()  # is_valid
python.python_validator = lambda name: Yes()  # explain
"""


def test_a_validator_that_accepts_everything_fails_the_suite(tmp_path: Path) -> None:
    """This file, run with both validators replaced by one that accepts everything."""
    import os
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    (tmp_path / "accept_everything.py").write_text(ACCEPT_EVERYTHING, encoding="utf-8")
    report = tmp_path / "report.xml"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-p", "accept_everything", "-q",
         "-p", "no:cacheprovider", "-k", "not accepts_everything", f"--junitxml={report}"],
        cwd=Path(__file__).parents[1], env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    outcomes: dict[str, bool] = {}  # test id -> failed
    for case in ET.parse(report).getroot().iter("testcase"):
        outcomes[case.get("name", "")] = case.find("failure") is not None
    rejecting = {
        test: failed for test, failed in outcomes.items() if test.split("[")[0] in REJECTING
    }
    assert {test.split("[")[0] for test in rejecting} == REJECTING
    assert [test for test, failed in rejecting.items() if not failed] == []
    for name in SCHEMA_NAMES:  # every schema is held by at least one rejection
        assert any(f"[{name}" in test for test in rejecting), name


def test_the_readme_shows_editors_the_schema_reglint_prints() -> None:
    """README "Editors": the command that saves the schema, the modeline and the VS Code
    settings all name the same file, and the settings are valid JSON."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Editors: the manifest schema\n", 1)[1].split("\n## ", 1)[0]
    assert "reglint schema registry-service > .schemas/registry-service.json\n" in section
    assert "# yaml-language-server: $schema=../../.schemas/registry-service.json\n" in section
    (settings,) = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, re.DOTALL)]
    assert settings["yaml.schemas"] == {"./.schemas/registry-service.json": ["systems/**/*.yaml"]}
    assert settings["json.schemas"][0]["url"] == "./.schemas/iam-policy.json"
