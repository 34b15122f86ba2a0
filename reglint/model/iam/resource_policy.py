"""Does a repository's resource policy let a principal of another account push? (SPEC
§6.2 "Cross-account push".)

A push to another account's registry is allowed when the pusher's own policies allow it
(evaluation.py) *and* the repository's policy grants it to the pusher
(https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html).
Each of the seven repository-level push actions (the nine less `ecr:GetAuthorizationToken`,
which takes no resource, and `ecr:CreateRepository`, which acts on the registry) must be
allowed to the role by the policies of each repository of the namespace, or by the
registry policy; an explicit Deny that names the role (or everyone) overrides.

A statement applies to the role when its Principal names it — `"*"`, `{"AWS": "*"}`,
its account (`123456789012`, `arn:aws:iam::123456789012:root`) or its ARN — or its
NotPrincipal names neither; a registry policy's Resource must also cover the namespace.
A Condition makes the grant conditional: it is credited (RL201 only reports what no
statement may grant), and a Deny under a Condition denies nothing here. A placeholder in
a Principal matches the role in an Allow and nothing in a Deny (SPEC §6.2), as in the
identity's own policies.

The same evaluation serves `reglint aws verify` (SPEC §6.4): RL401 asks it of the
deployed repository and registry policies, given as `data` (they are no loaded
documents), and RL402 with `explicit_only` — does the policy let *that* role push: only
a Principal that names the role's own ARN counts, since a grant to everyone (RL209's)
or to a whole account is no collision with a system — reading `conditional` to keep
unconditional grants only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS
from reglint.model.iam.patterns import witness
from reglint.model.iam.policy import Effect, Policy, Statement
from reglint.model.iam.target import RepositoryTarget
from reglint.model.iam.work import WorkLimitReached, work_budget

__all__ = ["REPOSITORY_PUSH_ACTIONS", "ResourceVerdict", "evaluate_resource_policies"]

# The seven push actions a repository policy can grant: all but the two that act on the
# registry (`CreateRepository` creates in the caller's own registry; `GetAuthorizationToken`
# takes Resource "*").
REPOSITORY_PUSH_ACTIONS = tuple(
    action for action in ECR_PUSH_ACTIONS if action not in ("ecr:CreateRepository", "ecr:GetAuthorizationToken")
)


class ResourceVerdict(NamedTuple):
    """One action: whether the resource policies let the role do it, and why not."""

    action: str
    allowed: bool
    denied_by: tuple[tuple[Policy, Statement], ...] = ()  # the Denies that name the role
    conditional: bool = False  # allowed only by statements with a Condition


def evaluate_resource_policies(
    policies: Sequence[Policy],
    principal_arn: str,
    actions: Iterable[str],
    target: RepositoryTarget,
    *,
    data: Sequence[Any] | None = None,
    explicit_only: bool = False,
) -> tuple[ResourceVerdict, ...]:
    """The verdict of each action for `principal_arn` on `target` (module docstring).
    `data`: each policy's data, for policies that have no document (deployed ones)."""
    account = None if explicit_only else _account_of(principal_arn)
    raws = [
        policy.document.data if policy.document is not None else (data[index] if data else None)
        for index, policy in enumerate(policies)
    ]
    verdicts: list[ResourceVerdict] = []
    with work_budget():
        for action in actions:
            allowed = unconditional = False
            denied: list[tuple[Policy, Statement]] = []
            for policy, raw in zip(policies, raws):
                for statement in policy.statements:
                    if statement.effect is None or not statement.applies_to_action(action):
                        continue
                    deny = statement.effect is Effect.DENY
                    if not _names(policy, statement, raw, principal_arn, account, deny, explicit_only):
                        continue
                    if not _covers(statement, target, deny):
                        continue
                    if deny and not statement.conditional:
                        denied.append((policy, statement))
                    elif not deny:
                        allowed = True
                        unconditional = unconditional or not statement.conditional
            verdicts.append(
                ResourceVerdict(action, allowed and not denied, tuple(denied), allowed and not unconditional)
            )
    return tuple(verdicts)


def _account_of(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[4] if len(parts) >= 6 and parts[4] else None


def _names(
    policy: Policy,
    statement: Statement,
    raw: Any,
    principal_arn: str,
    account: str | None,
    deny: bool,
    explicit_only: bool,
) -> bool:
    """True when the statement's Principal (or NotPrincipal) applies to the role; with
    `explicit_only`, when its Principal names the role's own ARN."""
    node = _statement_data(raw, statement)
    if node is None:
        return not deny and not explicit_only  # no data to read: an Allow is credited, a Deny is not
    unknowns = policy.document.unknowns if policy.document is not None else {}
    if "Principal" in node:
        if explicit_only:
            return _names_arn(node["Principal"], principal_arn)
        # A placeholder names the role in an Allow, and no one in a Deny.
        return _matches(node["Principal"], (*statement.path, "Principal"), unknowns,
                        principal_arn, account, not deny)  # fmt: skip
    if "NotPrincipal" in node and not explicit_only:
        # ... and in NotPrincipal the other way: it excludes the role only from a Deny.
        excluded = _matches(node["NotPrincipal"], (*statement.path, "NotPrincipal"), unknowns,
                            principal_arn, account, deny)  # fmt: skip
        return not excluded
    return False


def _names_arn(principal: Any, principal_arn: str) -> bool:
    """True when an `AWS` principal entry is the role's own ARN."""
    values = principal.get("AWS") if isinstance(principal, Mapping) else None
    return principal_arn in (values if isinstance(values, list) else [values])


def _statement_data(raw: Any, statement: Statement) -> Mapping[Any, Any] | None:
    node = raw.get("Statement") if isinstance(raw, Mapping) else None
    if len(statement.path) > 1 and isinstance(node, list) and isinstance(statement.path[1], int):
        node = node[statement.path[1]] if statement.path[1] < len(node) else None
    return node if isinstance(node, Mapping) else None


def _matches(
    principal: Any,
    path: tuple[Any, ...],
    unknowns: Mapping[Any, Any],
    principal_arn: str,
    account: str | None,
    open_reading: bool,
) -> bool:
    """True when `principal` names the role; an unknown value does so in the open
    reading (an Allow) and never otherwise."""
    if path in unknowns:
        return open_reading
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    values = principal.get("AWS")
    items = values if isinstance(values, list) else [values]
    for index, item in enumerate(items):
        at = (*path, "AWS", index) if isinstance(values, list) else (*path, "AWS")
        if at in unknowns:
            if open_reading and _open_match(unknowns[at], principal_arn, account):
                return True
            continue
        if not isinstance(item, str):
            continue
        if item in ("*", principal_arn) or (account is not None and item == account):
            return True
        if account is not None and item.endswith(f":iam::{account}:root"):
            return True
    return False


def _open_match(unknown: Any, principal_arn: str, account: str | None) -> bool:
    """A Principal entry with unknown parts, read as matching anything there: the role's
    ARN, its account, or its account's root (`arn:aws:iam::${Account}:root`)."""
    from reglint.model.iam.placeholders import open_resource

    pattern = open_resource(unknown, False)
    partition = principal_arn.split(":")[1] if principal_arn.count(":") >= 5 else "aws"
    names = [principal_arn]
    if account is not None:
        names += [account, f"arn:{partition}:iam::{account}:root"]
    try:
        return any(pattern.matches(name) for name in names)
    except WorkLimitReached:
        return False


def _covers(statement: Statement, target: RepositoryTarget, deny: bool) -> bool:
    """A repository policy has no Resource; a registry policy's must reach the namespace
    (an Allow must cover it, a Deny need only touch it)."""
    if not statement.resources:
        return True
    patterns = statement.evaluated_resource_patterns
    try:
        if statement.not_resource:
            return witness([[target.pattern]], patterns) is not None
        if deny:
            return witness([[target.pattern], list(patterns)]) is not None
        return witness([[target.pattern]], patterns) is None
    except WorkLimitReached:
        return not deny

