"""Property tests of the policy types (SPEC §6.1): any value a loader can produce, with
principals and conditions of any shape, is classified, validated against the grammar of
every type, and checked by RL208/RL209 without raising; a statement whose `"*"` grant is
restricted by an organization condition is never reported by RL209."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fuzz.strategies import POLICIES, STATEMENTS, YAML_VALUES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reglint.checks.base import CheckSettings
from reglint.checks.ecr_public_push import check_ecr_public_push
from reglint.checks.policy_size import check_policy_size
from reglint.checks.schema import check_schema
from reglint.findings import FILE_START
from reglint.loading.classify import infer_policy_type
from reglint.loading.document import Document, DocumentKind, PolicyType, SourceFile
from reglint.loading.positions import FixedPositions

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SETTINGS = CheckSettings(project_root=Path("/project"), linked_policy_files=frozenset({Path("/project/p.json")}))

_PRINCIPALS = (
    st.sampled_from(["*", {"AWS": "*"}, {"AWS": ["*"]}, {"AWS": ["arn:aws:iam::1:root", "*"]}, {"Service": "*"}, {}])
    | st.dictionaries(st.sampled_from(["AWS", "Service", "Federated", "CanonicalUser", "Aws"]), YAML_VALUES, max_size=3)
    | YAML_VALUES
)
_CONDITIONS = (
    st.dictionaries(
        st.sampled_from(["StringEquals", "ForAnyValue:StringLike", "StringNotEquals", "ArnLikeIfExists", "Null"]),
        st.dictionaries(st.sampled_from(["aws:PrincipalOrgID", "AWS:SOURCEARN", "aws:SourceIp"]), YAML_VALUES, max_size=2)
        | YAML_VALUES,
        max_size=3,
    )
    | YAML_VALUES
)
RESOURCE_STATEMENTS = st.builds(
    lambda statement, extra: {**statement, **extra},
    STATEMENTS,
    st.fixed_dictionaries({}, optional={"Principal": _PRINCIPALS, "NotPrincipal": _PRINCIPALS, "Condition": _CONDITIONS}),
)
RESOURCE_POLICIES = st.builds(
    lambda policy, statements: {**policy, "Statement": statements},
    POLICIES,
    st.lists(RESOURCE_STATEMENTS, max_size=4) | RESOURCE_STATEMENTS,
)
TYPES = st.sampled_from([None, *PolicyType])
PATHS = st.sampled_from(["/project/p.json", "/project/other.json"])


def _document(data: Any, declared: PolicyType | None, path: str) -> Document:
    source = SourceFile(path=Path(path))
    document = Document(source, 0, DocumentKind.POLICY, data, FixedPositions(), FILE_START, declared_type=declared)
    source.documents.append(document)
    return document


@FUZZ
@given(data=YAML_VALUES | POLICIES | RESOURCE_POLICIES, declared=TYPES, path=PATHS)
def test_any_policy_of_any_type_is_checked_without_raising(data: Any, declared: PolicyType | None, path: str) -> None:
    assert isinstance(infer_policy_type(data), PolicyType)
    document = _document(data, declared, path)
    assert isinstance(SETTINGS.policy_type(document), PolicyType)
    for check in (check_schema, check_ecr_public_push, check_policy_size):
        for problem in check(document, SETTINGS):
            assert problem.rule in ("RL002", "RL208", "RL209") and problem.message.strip()


@FUZZ
@given(statement=RESOURCE_STATEMENTS, org=st.sampled_from(["o-a1b2c3d4e5", ["o-a1b2c3d4e5"]]))
def test_a_grant_restricted_to_the_organization_is_never_public(statement: dict[str, Any], org: Any) -> None:
    restricted = {**statement, "Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": org}}}
    restricted.pop("NotPrincipal", None)
    document = _document({"Statement": [restricted]}, PolicyType.ECR_REPOSITORY, "/project/r.json")
    assert list(check_ecr_public_push(document, SETTINGS)) == []
