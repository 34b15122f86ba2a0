"""Which resource of an IaC source an `iamPolicies` entry names (SPEC §6.2):
`path#LogicalId`, `path#aws_iam_role.nodes`, `plan.json#module.eks.aws_iam_role.nodes`.

- CloudFormation: the logical ID of a Role, User, Group, Policy, ManagedPolicy,
  RolePolicy, UserPolicy or GroupPolicy.
- Terraform: the address of an `aws_iam_role`, `aws_iam_user`, `aws_iam_group`,
  `aws_iam_policy` or `data.aws_iam_policy_document`; in a plan with its module path
  (`module.eks.aws_iam_role.nodes`), naming every instance of it (`…nodes[0]`,
  `…nodes["a"]`) — each must pass.

`find_identities` gives the addresses, or why none: what the source holds instead, and
the nearest name when one is close.
"""

from __future__ import annotations

import difflib
import re

from reglint.iac.sources import IacSource

__all__ = ["IDENTITY_TYPES", "REPOSITORY_TYPES", "find_identities", "instance_of"]

IDENTITY_TYPES = frozenset(
    {
        "AWS::IAM::Role",
        "AWS::IAM::User",
        "AWS::IAM::Group",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy",
        "AWS::IAM::UserPolicy",
        "AWS::IAM::GroupPolicy",
        "aws_iam_role",
        "aws_iam_user",
        "aws_iam_group",
        "aws_iam_policy",
        "aws_iam_policy_document",
    }
)
_INSTANCE = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]\Z')
_SHOWN = 5


def instance_of(address: str, reference: str) -> bool:
    """True when `address` is `reference` or one instance of it (`reference[0]`)."""
    if address == reference:
        return True
    return address.startswith(reference + "[") and bool(_INSTANCE.match(address, len(reference)))


REPOSITORY_TYPES = frozenset(
    {
        "AWS::ECR::Repository",
        "AWS::ECR::RegistryPolicy",
        "AWS::ECR::RepositoryCreationTemplate",
        "aws_ecr_repository",
        "aws_ecr_repository_policy",
        "aws_ecr_registry_policy",
        "aws_ecr_repository_creation_template",
    }
)


def find_identities(
    source: IacSource, reference: str, types: frozenset[str] = IDENTITY_TYPES
) -> list[str] | str:
    """The addresses `reference` names in `source` among resources of `types` (identities,
    or for `repositoryPolicies` the ECR resources), or why it names none."""
    found = [
        address for address, resource in source.resources.items() if instance_of(address, reference)
    ]
    readable = [a for a in found if source.resources[a].type in types]
    if readable:
        return readable
    what = "grants no rights" if types is IDENTITY_TYPES else "holds no repository policy"
    if found:
        kind = source.resources[found[0]].type
        return f"names {found[0]}, a {kind}, which {what} ({_holdings(source, reference, types)})"
    return f"names no resource of the {source.kind} ({_holdings(source, reference, types)})"


def _holdings(source: IacSource, reference: str, types: frozenset[str]) -> str:
    """What the source holds that an entry may name, and the nearest of those names."""
    names = sorted({_without_instance(a) for a, r in source.resources.items()
                    if r.type in types})  # fmt: skip
    if not names:
        if types is IDENTITY_TYPES:
            return "it holds no role, user, group or policy"
        return "it holds no ECR repository or repository policy"
    shown = ", ".join(f"{name} ({_type_of(source, name)})" for name in names[:_SHOWN]) + (
        f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    )
    close = difflib.get_close_matches(reference, names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"{hint}it holds {shown}"


def _without_instance(address: str) -> str:
    match = _INSTANCE.search(address)
    return address[: match.start()] if match else address


def _type_of(source: IacSource, name: str) -> str:
    for address, resource in source.resources.items():
        if _without_instance(address) == name:
            return resource.type
    return "?"
