"""RL002 schema-violation: manifests and policies against their JSON Schemas.

A policy is validated against the grammar of its type (SPEC §6.1): an identity policy
may not name a Principal, a resource or trust policy must, and an ECR repository policy
may not name a Resource. An IaC policy's value known only at deploy time is written as
its text (`${AWS::Region}`, `!ImportValue X`): no violation at it, or inside a
statement unknown as a whole, is reported (SPEC §6.2: intrinsics are expanded before
the grammar is checked).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from reglint import validation
from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.checks.fix_proposals import key_fix
from reglint.loading.document import DataPath, Document, DocumentKind, PolicyType, Problem

_POLICY_SCHEMAS: dict[PolicyType, validation.SchemaName] = {
    PolicyType.IDENTITY: "iam-policy",
    PolicyType.RESOURCE: "iam-resource-policy",
    PolicyType.TRUST: "iam-trust-policy",
    PolicyType.ECR_REPOSITORY: "ecr-repository-policy",
    PolicyType.ECR_REGISTRY: "ecr-registry-policy",
}


def schema_for(document: Document, settings: CheckSettings) -> validation.SchemaName:
    """The schema a document is validated against."""
    if document.kind is DocumentKind.MANIFEST:
        return "registry-service"
    return _POLICY_SCHEMAS[settings.policy_type(document)]


def check_schema(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """Validate fast with the compiled validator; explain only when a document fails."""
    name = schema_for(document, settings)
    if validation.is_valid(name, document.data):
        return
    unknowns = document.unknowns
    for violation in validation.explain(name, document.data):
        if unknowns and _at_unknown(violation.path, unknowns):
            continue  # an IaC value known only at deploy time (SPEC §6.2)
        yield Problem(
            "RL002",
            violation.message,
            path=violation.path,
            on_key=violation.on_key,
            identity=violation.identity,
            fix=None if violation.rename is None else key_fix(violation.path, violation.rename),
        )


def _at_unknown(path: tuple[object, ...], unknowns: Mapping[DataPath, object]) -> bool:
    """True when `path` is an unknown value, or lies inside one."""
    return any(path[:length] in unknowns for length in range(len(path), 0, -1))


SCHEMA_CHECK = DocumentCheck(
    name="schema",
    rules=frozenset({"RL002"}),
    kinds=frozenset({DocumentKind.MANIFEST, DocumentKind.POLICY}),
    run=check_schema,
)
