"""Property tests of the schema step: `is_valid` and `explain` take any value a loader can
produce (dates, bytes, sets, tuples, non-string keys, NaN, huge integers) without raising,
and they agree: a document is valid exactly when there is nothing to explain."""

from __future__ import annotations

from typing import Any

from fuzz.strategies import MANIFESTS, POLICIES, YAML_VALUES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reglint.validation import SCHEMA_NAMES, SchemaViolation, explain, is_valid

FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(name: Any, data: Any) -> None:
    valid = is_valid(name, data)
    assert isinstance(valid, bool)
    violations = explain(name, data)
    assert all(isinstance(v, SchemaViolation) for v in violations)
    for violation in violations:
        assert isinstance(violation.message, str) and violation.message.strip()
        assert isinstance(violation.path, tuple)
    assert valid == (not violations), (valid, violations)


@FUZZ
@given(name=st.sampled_from(SCHEMA_NAMES), data=YAML_VALUES)
def test_any_loaded_value(name: Any, data: Any) -> None:
    _check(name, data)


@FUZZ
@given(data=MANIFESTS)
def test_manifest_shaped_documents(data: Any) -> None:
    _check("registry-service", data)


@FUZZ
@given(data=POLICIES)
def test_policy_shaped_documents(data: Any) -> None:
    _check("iam-policy", data)
