"""RL208 policy-size for the inline policies of one role, user or group together (SPEC
§6.1): IAM adds up the sizes of an identity's inline policies against one quota — 10,240
characters for a role, 2,048 for a user, 5,120 for a group — counted as for one policy
(checks/policy_size.py: the compact JSON without whitespace, an unknown value as its
literal parts only).
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html

Which inline policies belong to an identity is iac/rights.py's answer (its own, and the
policies that attach themselves to it: `AWS::IAM::Policy` `Roles`, `aws_iam_role_policy`
`role`…). A policy with `Fn::If` variants counts with its largest one. The check reads
the document of a template, plan or Terraform file itself: the finding sits on the
identity where the file declares it (a Terraform module's identity in the file that
declares it), and names each policy with its size.
"""

from __future__ import annotations

from collections.abc import Iterator

from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.checks.policy_size import compact_json, known_data
from reglint.loading.document import Document, DocumentKind, Problem

QUOTAS = {"role": 10_240, "user": 2_048, "group": 5_120}


def check_inline_totals(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    source = document.file.infrastructure
    if source is None:
        return
    from reglint.iac.rights import IDENTITY_KINDS, inline_policies

    for address, resource in source.resources.items():
        kind = IDENTITY_KINDS.get(resource.type)
        if kind is None or source.files.get(address) is not document.file:
            continue
        policies = inline_policies(source, address)
        sizes = [max((_size(d) for d in p.documents), default=0) for p in policies]
        total, quota = sum(sizes), QUOTAS[kind]
        if total <= quota:
            continue
        parts = ", ".join(f"{p.name}: {size:,}" for p, size in zip(policies, sizes))
        # The resource itself: its logical ID (CloudFormation), its block (Terraform).
        path = resource.path[:2] if resource.path[:1] == ("Resources",) else resource.path
        yield Problem(
            "RL208",
            f"the inline policies of {kind} {address} are {total:,} characters long together "
            f"(whitespace excluded, as IAM counts), over the {quota:,} quota of a {kind}'s "
            f"inline policies ({parts}); move some into a customer managed policy attached "
            "to it, or shorten them",
            path=path,
            on_key=True,
            identity=f"{address}:{quota}",
        )


def _size(document: Document) -> int:
    compact = compact_json(known_data(document))
    return 0 if compact is None else len("".join(compact.split()))


IAC_POLICY_SIZE_CHECK = DocumentCheck(
    "iac-inline-policy-size",
    frozenset({"RL208"}),
    frozenset({DocumentKind.INFRASTRUCTURE}),
    check_inline_totals,
)
