"""Which parsed documents are registry manifests, which are IAM policies (SPEC §1.1, §1.2),
and of which type each policy is (SPEC §6.1).

IAM policies are also recognised inside the output of `aws iam get-policy-version`
(`PolicyVersion.Document`) and `get-role-policy`/`get-user-policy` (`PolicyDocument`),
where the document may be a URL-encoded JSON string, as IAM's API returns it. Outputs
that say what their policy is declare its type: `aws iam get-role`
(`Role.AssumeRolePolicyDocument`, a trust policy), `aws ecr get-repository-policy` and
`get-registry-policy` (`policyText` beside `registryId`: an ECR repository policy when
a `repositoryName` is given, else a registry policy; the text is the policy as sent).

A policy's type is inferred from its data when its source does not say it
(`Document.declared_type`): a statement with `Principal`/`NotPrincipal` makes a
resource policy — a trust policy when every action is an `sts:` action, an ECR
repository policy when some action is an `ecr:` one — and anything else is an identity
policy. Decisions where the SPEC is silent: `NotAction` entries count as actions for the
`ecr:` test (a repository policy may be written with NotAction) but never make a trust
policy (NotAction covers everything else); a document with a Principal and no action
string at all is a plain resource policy.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any, NamedTuple

from reglint.loading.document import (
    Document,
    DocumentKind,
    ParsedDocument,
    PolicyType,
    Problem,
    SourceFile,
    SourceReader,
)
from reglint.loading.positions import DataPath, FixedPositions, ShiftedPositions

# Where AWS CLI output holds a policy, and the type the output declares it to be.
_WRAPPERS: tuple[tuple[DataPath, PolicyType | None], ...] = (
    (("PolicyVersion", "Document"), None),
    (("PolicyDocument",), None),
    (("Role", "AssumeRolePolicyDocument"), PolicyType.TRUST),
)


class _Wrapped(NamedTuple):
    base: DataPath  # where the policy sits in the output
    policy: Any  # the policy, or its JSON text
    declared: PolicyType | None


def classify(
    source: SourceFile,
    parsed: list[ParsedDocument],
    text_length: int | None = None,
    platform: SourceReader | None = None,
) -> Iterator[Document | Problem]:
    """Documents of `source` with their kind, and RL001 problems for broken wrappers.

    `text_length`: the characters of the file as a JSON text, given when the file is
    JSON; a policy that is the whole file is sent to AWS as that text. `platform`: given
    for a file the platform sniff picked out; a document that is neither a manifest nor
    a policy, and in which it reads records, is a PLATFORM document holding them."""
    for index, item in enumerate(parsed):
        data = item.data
        if isinstance(data, dict) and data.get("kind") == "RegistryService":
            yield Document(source, index, DocumentKind.MANIFEST, data, item.positions, item.span)
            continue
        if _is_policy(data):
            whole_file = text_length if len(parsed) == 1 else None
            yield Document(
                source, index, DocumentKind.POLICY, data, item.positions, item.span,
                text_length=whole_file,
            )
            continue
        wrapped = _unwrap(data)
        if wrapped is None:
            records = platform(data) if platform is not None else None
            kind = DocumentKind.OTHER if records is None else DocumentKind.PLATFORM
            yield Document(source, index, kind, data, item.positions, item.span, records=records)
            continue
        base, inner, declared = wrapped
        if isinstance(inner, str):
            decoded = _decode_document(inner)
            at = item.positions.span(base)
            if decoded is None:
                path = ".".join(str(step) for step in base)
                yield Problem(
                    "RL001", f"{path} is neither a policy object nor URL-encoded policy JSON", span=at
                )
                continue
            # ECR keeps the text it was sent; IAM's URL-encoded documents are not sent so.
            sent = len(inner) if base == _ECR_POLICY_TEXT else None
            yield Document(
                source, index, DocumentKind.POLICY, decoded, FixedPositions(at), at, base,
                declared_type=declared, text_length=sent,
            )
            continue
        positions = ShiftedPositions(item.positions, base)
        yield Document(
            source, index, DocumentKind.POLICY, inner, positions, item.positions.span(base), base,
            declared_type=declared,
        )


def _is_policy(data: Any) -> bool:
    return isinstance(data, dict) and "Statement" in data


_ECR_POLICY_TEXT: DataPath = ("policyText",)


def _unwrap(data: Any) -> _Wrapped | None:
    if not isinstance(data, dict):
        return None
    for base, declared in _WRAPPERS:
        node: Any = data
        for step in base:
            node = node.get(step) if isinstance(node, dict) else None
        if _is_policy(node) or isinstance(node, str):
            return _Wrapped(base, node, declared)
    text = data.get("policyText")
    if isinstance(text, str) and "registryId" in data:
        ecr = PolicyType.ECR_REPOSITORY if "repositoryName" in data else PolicyType.ECR_REGISTRY
        return _Wrapped(_ECR_POLICY_TEXT, text, ecr)
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


def infer_policy_type(data: Any) -> PolicyType:
    """A policy's type read from its data (SPEC §6.1), for a source that does not say it."""
    statements = _statements(data)
    if not any("Principal" in s or "NotPrincipal" in s for s in statements):
        return PolicyType.IDENTITY
    actions = [action for s in statements for action in _strings(s.get("Action"))]
    negated = [action for s in statements for action in _strings(s.get("NotAction"))]
    if actions and not negated and all(_service_is(a, "sts") for a in actions):
        return PolicyType.TRUST
    return resource_policy_type(data)


def resource_policy_type(data: Any) -> PolicyType:
    """A resource policy's type: an ECR repository policy when some action is `ecr:`."""
    for statement in _statements(data):
        for key in ("Action", "NotAction"):
            if any(_service_is(action, "ecr") for action in _strings(statement.get(key))):
                return PolicyType.ECR_REPOSITORY
    return PolicyType.RESOURCE


def _statements(data: Any) -> list[dict[Any, Any]]:
    raw = data.get("Statement") if isinstance(data, dict) else None
    items = raw if isinstance(raw, list) else [raw]
    return [item for item in items if isinstance(item, dict)]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _service_is(action: str, service: str) -> bool:
    """`sts:AssumeRole` is an `sts` action; service prefixes match case-insensitively."""
    prefix, colon, _ = action.partition(":")
    return bool(colon) and prefix.lower() == service
