"""What a resource policy grants one principal, read as an identity policy so that the
same engine (evaluation.py) decides it (SPEC §6.2 cross-account push, §6.4 RL401/RL402).

An ECR repository policy names who may act on the repository (`Principal`) and has no
`Resource`: it is about the repository it is attached to. A registry policy names both.
`grants_to()` keeps the statements whose principal element applies to the principal,
without their `Principal`/`NotPrincipal`, and gives a statement without a resource
element the repository's ARN: what remains is exactly what the policy lets that
principal do, as an identity policy.

A statement applies to a principal (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html):

- `"*"` and `{"AWS": "*"}`: everyone.
- `{"AWS": ACCOUNT}` or `{"AWS": "arn:…:iam::ACCOUNT:root"}`: every identity of the
  account, as far as the account's own IAM policies let it (that side is RL201's).
- `{"AWS": ARN}`: the role or user of that ARN, path included.
- `NotPrincipal`: everyone but the principals it names.
- `Service`, `Federated` and `CanonicalUser` principals: never an IAM role or user.

With `explicit_only`, only statements that name the principal's own ARN apply: the
question "does this policy let *that* role push" (RL402), to which a grant to everyone
(RL209's) or to a whole account is no answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from reglint.model.iam.arns import split_arn
from reglint.model.iam.policy import Policy

__all__ = ["Principal", "grants_to"]

_RESOURCE_KEYS = ("Resource", "NotResource")


class Principal(NamedTuple):
    """An IAM role or user, by ARN (with its path), and its account and partition."""

    arn: str
    account: str
    partition: str

    @classmethod
    def of_arn(cls, arn: str) -> Principal | None:
        """The principal of an IAM role or user ARN; None for anything else."""
        parts = split_arn(arn)
        if len(parts) != 6 or parts[0] != "arn" or parts[2] != "iam" or parts[3]:
            return None
        account, resource = parts[4], parts[5]
        if not (len(account) == 12 and account.isdigit()):
            return None
        if not resource.startswith(("role/", "user/")):
            return None
        return cls(arn, account, parts[1])

    def named_by(self, entry: str, *, explicit_only: bool) -> bool:
        """True when one `AWS` principal entry stands for this principal."""
        if entry == self.arn:
            return True
        if explicit_only:
            return False
        return entry in ("*", self.account, f"arn:{self.partition}:iam::{self.account}:root")


def grants_to(data: Any, principal: Principal, resource_arn: str, *, explicit_only: bool = False) -> Policy:
    """The statements of resource policy `data` that apply to `principal`, as an
    identity policy about `resource_arn` (module docstring). Never raises."""
    statements = data.get("Statement") if isinstance(data, Mapping) else None
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        statements = []
    kept = []
    for statement in statements:
        if not isinstance(statement, Mapping) or not _applies(statement, principal, explicit_only):
            continue
        view = {k: v for k, v in statement.items() if k not in ("Principal", "NotPrincipal")}
        if not any(key in view for key in _RESOURCE_KEYS):
            view["Resource"] = resource_arn
        kept.append(view)
    version = data.get("Version") if isinstance(data, Mapping) else None
    return Policy.from_data({"Version": version, "Statement": kept} if version else {"Statement": kept})


def _applies(statement: Mapping[Any, Any], principal: Principal, explicit_only: bool) -> bool:
    if "Principal" in statement:
        return _names(statement["Principal"], principal, explicit_only)
    if "NotPrincipal" in statement and not explicit_only:
        # Everyone but those named: an entry naming the principal, its account or `*` excludes it.
        return not _names(statement["NotPrincipal"], principal, False)
    return False


def _names(value: Any, principal: Principal, explicit_only: bool) -> bool:
    if value == "*":
        return not explicit_only
    if not isinstance(value, Mapping):
        return False
    entries = value.get("AWS")
    if isinstance(entries, (str, int)):
        entries = [entries]
    if not isinstance(entries, list):
        return False
    return any(
        isinstance(entry, (str, int)) and not isinstance(entry, bool)
        and principal.named_by(str(entry), explicit_only=explicit_only)
        for entry in entries
    )
