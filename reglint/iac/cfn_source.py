"""A CloudFormation template as an `IacSource`: its resources, and the POLICY documents of
the policies they hold, positioned in the template (SPEC §6.2).

Each policy cfn_policies.py finds becomes its documents (one per `Fn::If` variant),
with its declared type and its use: `AWS::IAM::ManagedPolicy` a customer managed
policy; `AWS::IAM::Policy`, `Role/User/GroupPolicy` and a role's, user's or group's
`Policies` inline policies; `AssumeRolePolicyDocument` a trust policy; the ECR policies
repository and registry policies. A policy that is unknown as a whole (`!ImportValue`,
a parameter, JSON text with an unknown value outside its strings) has no document and
says why. What the template reader did not read (its notes) is kept with its place.
"""

from __future__ import annotations

from typing import Any

from reglint.findings import Span
from reglint.iac.cfn_policies import PolicySource, policy_documents
from reglint.iac.cloudformation import read_template
from reglint.iac.model import IacResource
from reglint.iac.policy_data import unknown_is
from reglint.iac.references import CFN, resolver
from reglint.iac.sources import (
    INLINE,
    MANAGED,
    REGISTRY,
    REPOSITORY,
    TRUST,
    IacPolicy,
    IacSource,
    origin_of,
    policy_document_variants,
)
from reglint.loading.document import Document, DocumentKind, PolicyType, SourceFile

__all__ = ["cloudformation_source"]

_INLINE_TYPES = ("AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy",
                 "AWS::IAM::GroupPolicy")  # fmt: skip


def cloudformation_source(file: SourceFile, document: Document) -> IacSource:
    """The template in `document` (already parsed, short forms read) as an IacSource; its
    policies' documents are added to `file`."""
    template = read_template(document.data)
    resources = {resource.address: resource for resource in template.resources}
    resolve = resolver(resources, CFN)
    positions = {r.address: template.positions(r, document.positions) for r in template.resources}
    policies: list[IacPolicy] = []
    for resource in template.resources:
        for source in policy_documents(resource):
            policies.append(_policy(file, document, template, resource, source, resolve))
    notes = tuple(
        (file, document.positions.span(note.path), note.message) for note in template.notes
    )
    return IacSource(
        "CloudFormation template",
        file.path,
        resources,
        dict.fromkeys(resources, file),
        dict(positions),
        tuple(policies),
        notes,
    )


def _policy(
    file: SourceFile,
    document: Document,
    template: Any,
    resource: IacResource,
    source: PolicySource,
    resolve: Any,
) -> IacPolicy:
    positions = template.positions(resource, document.positions, source.path)
    use = _use(resource.type, source)
    name = _name(resource, source, use)
    span: Span = positions.span(())
    data = source.data
    if not isinstance(data, dict | str):
        why = f"{name} {unknown_is(data)}"
        return IacPolicy(resource.address, name, use, (), file, span, unknown=why)
    documents = policy_document_variants(
        data,
        resolve,
        file,
        positions,
        origin_of(resource.address, source.path),
        source.policy_type,
        use,
        source.text_length,
    )
    return IacPolicy(resource.address, name, use, documents, file, span)


def _use(resource_type: str, source: PolicySource) -> str:
    if source.policy_type is PolicyType.TRUST:
        return TRUST
    if source.policy_type is PolicyType.ECR_REGISTRY:
        return REGISTRY
    if source.policy_type is PolicyType.ECR_REPOSITORY:
        return REPOSITORY
    return MANAGED if resource_type == "AWS::IAM::ManagedPolicy" else INLINE


def _name(resource: IacResource, source: PolicySource, use: str) -> str:
    """How messages name a policy: `inline policy "push" of PushRole`."""
    address = resource.address
    if use == TRUST:
        return f"the trust policy of {address}"
    if use in (REPOSITORY, REGISTRY):
        return f"the {use} policy of {address}"
    if use == MANAGED:
        return f"customer managed policy {address}"
    if resource.type in _INLINE_TYPES:
        return f"inline policy {address}"
    index = source.path[1] if len(source.path) > 1 else 0
    policies = resource.properties.get("Policies")
    entry = policies[index] if isinstance(policies, list) and isinstance(index, int) else None
    written = entry.get("PolicyName") if isinstance(entry, dict) else None
    label = f'"{written}"' if isinstance(written, str) else f"Policies[{index}]"
    return f"inline policy {label} of {address}"


def mark_infrastructure(document: Document, source: IacSource) -> None:
    """The template's own document is reglint's input when it holds what reglint reads."""
    if source.holds_anything():
        document.kind = DocumentKind.INFRASTRUCTURE
        document.fixable_source = False  # --fix edits no infrastructure code
