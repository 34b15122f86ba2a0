"""Every manifest rule (RL102-RL108) has its own check, which never raises on any data
and finds nothing in a clean manifest."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import make_document
from hypothesis import given, settings
from hypothesis import strategies as st
from rules.manifest_cases import (
    CHECKS,
    ECR,
    KEY_ID,
    SECRET,
    manifest,
    problems,
)

from reglint.checks.base import CheckSettings
from reglint.checks.manifest import REGISTRY_CHECKS
from reglint.loading.document import DocumentKind


def test_every_rule_has_its_own_check_on_manifests() -> None:
    assert sorted(CHECKS) == ["RL102", "RL103", "RL104", "RL105", "RL106", "RL107", "RL108"]
    assert all(check.kinds == {DocumentKind.MANIFEST} for check in REGISTRY_CHECKS)
    assert len({check.name for check in REGISTRY_CHECKS}) == len(REGISTRY_CHECKS)


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_a_clean_manifest_has_no_problems(rule: str) -> None:
    assert problems(rule, manifest()) == []


@pytest.mark.parametrize("rule", sorted(CHECKS))
@pytest.mark.parametrize(
    "data", [None, [], "text", {"spec": None}, {"spec": {"url": 7, "auth": [], "resources": 3}}]
)
def test_schema_invalid_data_never_raises(rule: str, data: Any) -> None:
    problems(rule, data)


_KEYS = ["metadata", "spec", "environment", "url", "imagePrefix", "auth", "method", "username",
         "password", "fromEnv", "resources", "requests", "limits", "cpu", "memory",
         "iamPolicies"]  # fmt: skip
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=50),
    st.sampled_from([ECR, f"https://{ECR}/ML", "public.ecr.aws/a", "access-keys", "iam-role",
                     "none", "basic", "playground", "250m", "1Gi", SECRET, KEY_ID]),
)  # fmt: skip
_MANIFESTS = st.recursive(
    _VALUES,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(_KEYS), children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_MANIFESTS)
def test_no_check_raises_on_any_data(data: Any) -> None:
    document = make_document(data, DocumentKind.MANIFEST)
    for check in REGISTRY_CHECKS:
        for problem in check.run(document, CheckSettings()):
            assert SECRET not in problem.message + problem.identity


# The Iguazio pair: the user and the system registry URLs of one system.
@pytest.mark.parametrize("suffix", ["my-igz-system-runtime", "my-igz-system"])
def test_iguazio_user_and_system_urls_are_clean(suffix: str) -> None:
    data = manifest(f"{ECR}/{suffix}")
    for rule in CHECKS:
        assert problems(rule, copy.deepcopy(data)) == []
