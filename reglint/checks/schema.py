"""RL002 schema-violation: manifests and policies against their JSON Schemas."""

from __future__ import annotations

from collections.abc import Iterator

from reglint import validation
from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.findings import Problem
from reglint.loading.document import Document, DocumentKind

_SCHEMA_FOR: dict[DocumentKind, validation.SchemaName] = {
    DocumentKind.MANIFEST: "registry-service",
    DocumentKind.POLICY: "iam-policy",
}


def check_schema(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """Validate fast with the compiled validator; explain only when a document fails."""
    name = _SCHEMA_FOR[document.kind]
    if validation.is_valid(name, document.data):
        return
    for violation in validation.explain(name, document.data):
        yield Problem(
            "RL002",
            violation.message,
            path=violation.path,
            on_key=violation.on_key,
            identity=violation.identity,
        )


SCHEMA_CHECK = DocumentCheck(
    name="schema",
    rules=frozenset({"RL002"}),
    kinds=frozenset(_SCHEMA_FOR),
    run=check_schema,
)
