"""The policy schemas of each type (SPEC §6.1): entry points into iam-policy.schema.json,
served as schemas of their own for editors (`reglint schema NAME`)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from reglint.cli import SCHEMAS
from reglint.validation import SCHEMA_NAMES, is_valid, load_schema, schema_file

ENTRY_POINTS = ["iam-resource-policy", "iam-trust-policy", "ecr-repository-policy", "ecr-registry-policy"]
TRUST = {
    "Version": "2012-10-17",
    "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
}


def test_the_command_line_offers_every_schema() -> None:
    assert SCHEMAS == SCHEMA_NAMES


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_entry_point_is_printed_whole_and_validates_on_its_own(name: str, run_cli: Any) -> None:
    result = run_cli("schema", name)
    assert result.code == 0
    printed = json.loads(result.out)
    assert printed == load_schema(name)  # type: ignore[arg-type]
    assert printed["$id"] == f"https://reglint.dev/schemas/{name}.json"
    assert "$defs" in printed and printed["title"]
    # No reference leaves the printed schema: an editor needs nothing else.
    validator = jsonschema.Draft202012Validator(printed)
    expected = name != "ecr-registry-policy"  # a registry policy's statements need a Resource
    assert validator.is_valid(TRUST) is expected
    assert schema_file(name).name == "iam-policy.schema.json"  # type: ignore[arg-type]


def test_identity_policy_schema_still_refuses_a_principal() -> None:
    assert not is_valid("iam-policy", TRUST)
    assert is_valid("iam-trust-policy", TRUST)


def test_file_schemas_are_printed_as_written(run_cli: Any) -> None:
    result = run_cli("schema", "iam-policy")
    assert result.out == schema_file("iam-policy").read_text(encoding="utf-8")
