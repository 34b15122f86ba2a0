"""What reglint keeps of one IaC source — a CloudFormation template, a Terraform module
or a Terraform plan (SPEC §6.2): its resources, the POLICY documents made of their
policies, and where each sits, for the document checks and for linking a registry to
the rights of a role.

- `IacPolicy`: one policy a resource holds or uses — inline, customer managed, trust,
  ECR repository or registry policy, or a Terraform policy document — with its POLICY
  documents (one per `Fn::If` variant), or why it is unknown as a whole.
- `IacSource`: one source's resources by address, the file that declares each, and its
  policies by owner.

`policy_document_variants` makes the POLICY documents of one policy value: the
variants of policy_data.py as `Document`s of the file, positioned in it, typed as the
source declares, and with the identity (`origin`) of their place in the file; never
edited by `--fix` (`Document.fixable_source`: their findings say a fix exists for plain
policy files only).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from reglint.findings import Span
from reglint.iac.model import DataPath, IacResource
from reglint.iac.policy_data import MappedPositions, Resolver, policy_variants
from reglint.loading.document import Document, DocumentKind, PolicyType, SourceFile
from reglint.loading.positions import Positions, format_path

__all__ = [
    "INLINE",
    "MANAGED",
    "REGISTRY",
    "REPOSITORY",
    "TRUST",
    "IacPolicy",
    "IacSource",
    "policy_document_variants",
]

# How a policy is used: the keys of `IacPolicy.use`.
INLINE = "inline"  # an inline policy of a role, user or group
MANAGED = "customer managed"  # a customer managed policy (AWS::IAM::ManagedPolicy, aws_iam_policy)
TRUST = "trust"
REPOSITORY = "repository"  # an ECR repository policy (or a creation template's)
REGISTRY = "registry"
DOCUMENT = "document"  # a Terraform policy document, typed by its first use


class IacPolicy(NamedTuple):
    """One policy of a resource."""

    owner: str  # the address of the resource that holds it
    name: str  # how messages name it: "inline policy `token` of aws_iam_role.nodes"
    use: str  # INLINE, MANAGED, TRUST, REPOSITORY, REGISTRY, DOCUMENT
    documents: tuple[Document, ...]  # its variants; () when unknown as a whole
    file: SourceFile  # where it is written
    span: Span  # where (the policy's value)
    unknown: str | None = None  # why it is unknown as a whole ("known after apply")
    # Statements merged from other documents (Terraform source/override documents), and
    # the Sids whose statements they replace: read by the evaluation only.
    merged: tuple[IacPolicy, ...] = ()
    overriding: bool = False  # a merged document that replaces statements by Sid


class IacSource(NamedTuple):
    """One template, module or plan, as reglint reads it."""

    kind: str  # "CloudFormation template", "Terraform module", "Terraform plan"
    path: Path  # the file (a template, a plan) or the folder (a module)
    resources: dict[str, IacResource]  # by address
    files: dict[str, SourceFile]  # address -> the file that declares it
    positions: dict[str, Positions]  # address -> positions of its properties (paths from ())
    policies: tuple[IacPolicy, ...]
    notes: tuple[tuple[SourceFile, Span, str], ...] = ()  # what was not read, and where

    def policies_of(self, owner: str) -> Iterator[IacPolicy]:
        return (policy for policy in self.policies if policy.owner == owner)

    def span_of(self, address: str, *path: Any) -> Span:
        return self.positions[address].span(tuple(path))

    def holds_anything(self) -> bool:
        """True when the source holds a resource reglint reads (SPEC §6.2)."""
        return bool(self.policies) or any(
            r.type in READ_TYPES for r in self.resources.values()
        )


READ_TYPES = frozenset(
    {
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy",
        "AWS::IAM::UserPolicy",
        "AWS::IAM::GroupPolicy",
        "AWS::IAM::Role",
        "AWS::IAM::User",
        "AWS::IAM::Group",
        "AWS::ECR::Repository",
        "AWS::ECR::RegistryPolicy",
        "AWS::ECR::RepositoryCreationTemplate",
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_role",
        "aws_iam_user",
        "aws_iam_group",
        "aws_iam_role_policy_attachment",
        "aws_iam_user_policy_attachment",
        "aws_iam_group_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_role_policies_exclusive",
        "aws_iam_role_policy_attachments_exclusive",
        "aws_iam_policy_document",
        "aws_ecr_repository",
        "aws_ecr_repository_policy",
        "aws_ecr_registry_policy",
        "aws_ecr_repository_creation_template",
    }
)


def policy_document_variants(
    value: Any,
    resolve: Resolver,
    file: SourceFile,
    positions: Positions,
    origin: str,
    declared: PolicyType | None,
    use: str,
    text_length: int | None = None,
) -> tuple[Document, ...]:
    """The POLICY documents of one policy value (one per variant), added to `file`.

    `positions` resolves paths into the value (from `()`); `origin` names its place in
    the file for fingerprints; `text_length` is the length of the JSON text it was
    written as, when it was one literal string."""
    documents: list[Document] = []
    variants = policy_variants(value, resolve)
    for variant in variants:
        mapped = MappedPositions(positions, variant.sources)
        document = Document(
            file=file,
            index=len(file.documents),
            kind=DocumentKind.POLICY,
            data=variant.data,
            positions=mapped,
            span=mapped.span(()),
            declared_type=declared,
            text_length=text_length if len(variants) == 1 else None,
            unknowns=variant.unknowns,
            origin=origin,
            iac_use=use,
            fixable_source=False,  # --fix edits no infrastructure code (SPEC §6.5)
        )
        file.documents.append(document)
        documents.append(document)
    return tuple(documents)


def origin_of(address: str, path: DataPath) -> str:
    """A policy's place in its file, for fingerprints: `PushRole.Policies[0].PolicyDocument`."""
    return f"{address}.{format_path(path)}" if path else address
