"""Which parsed documents are registry manifests, which are IAM policies (SPEC §1.1, §1.2).

IAM policies are also recognised inside the output of `aws iam get-policy-version`
(`PolicyVersion.Document`) and `get-role-policy`/`get-user-policy` (`PolicyDocument`),
where the document may be a URL-encoded JSON string, as IAM's API returns it.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

from reglint.findings import Problem
from reglint.loading.document import Document, DocumentKind, ParsedDocument, SourceFile
from reglint.loading.positions import DataPath, FixedPositions, ShiftedPositions

_WRAPPERS: tuple[DataPath, ...] = (("PolicyVersion", "Document"), ("PolicyDocument",))


def classify(source: SourceFile, parsed: list[ParsedDocument]) -> Iterator[Document | Problem]:
    """Documents of `source` with their kind, and RL001 problems for broken wrappers."""
    for index, item in enumerate(parsed):
        data = item.data
        if isinstance(data, dict) and data.get("kind") == "RegistryService":
            yield Document(source, index, DocumentKind.MANIFEST, data, item.positions, item.span)
            continue
        if _is_policy(data):
            yield Document(source, index, DocumentKind.POLICY, data, item.positions, item.span)
            continue
        wrapped = _unwrap(data)
        if wrapped is None:
            yield Document(source, index, DocumentKind.OTHER, data, item.positions, item.span)
            continue
        base, inner = wrapped
        if isinstance(inner, str):
            decoded = _decode_document(inner)
            at = item.positions.span(base)
            if decoded is None:
                path = ".".join(str(step) for step in base)
                yield Problem(
                    "RL001", f"{path} is neither a policy object nor URL-encoded policy JSON", span=at
                )
                continue
            yield Document(
                source, index, DocumentKind.POLICY, decoded, FixedPositions(at), at, base
            )
            continue
        positions = ShiftedPositions(item.positions, base)
        yield Document(
            source, index, DocumentKind.POLICY, inner, positions, item.positions.span(base), base
        )


def _is_policy(data: Any) -> bool:
    return isinstance(data, dict) and "Statement" in data


def _unwrap(data: Any) -> tuple[DataPath, Any] | None:
    if not isinstance(data, dict):
        return None
    for base in _WRAPPERS:
        node: Any = data
        for step in base:
            node = node.get(step) if isinstance(node, dict) else None
        if _is_policy(node) or isinstance(node, str):
            return base, node
    return None


def _decode_document(text: str) -> dict[str, Any] | None:
    """A policy given as (URL-encoded) JSON text, or None when it is not one."""
    for candidate in (text, urllib.parse.unquote(text)):
        try:
            value = json.loads(candidate)
        except (ValueError, RecursionError):
            continue
        if _is_policy(value):
            return value  # type: ignore[no-any-return]
    return None
