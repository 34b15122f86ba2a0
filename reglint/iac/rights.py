"""The rights of a role, user, group or policy of an IaC source (SPEC §6.2): a role stands
for the union of its policies, limited by its permissions boundary.

What an identity has, by source:

| CloudFormation                                   | Terraform                                               |
|--------------------------------------------------|---------------------------------------------------------|
| its `Policies`                                   | `inline_policy` blocks, `aws_iam_role_policy` (`role`)  |
| `AWS::IAM::Policy`/`ManagedPolicy` whose `Roles` | `aws_iam_role_policy_attachment`, `aws_iam_policy_      |
| (`Users`, `Groups`) name it; `RolePolicy`…       | attachment` (`roles`…), `…_attachments_exclusive`       |
| `ManagedPolicyArns`                              | `managed_policy_arns` (deprecated, read)                |
| a user's `Groups`                                | `aws_iam_user_group_membership`, `aws_iam_group_membership` |
| `PermissionsBoundary`                            | `permissions_boundary`                                  |

An identity is named by reference (`!Ref Role`, `aws_iam_role.x.name`), by its literal
name, or by an ARN that ends in it. An attached ARN is one of the source's customer
managed policies (by reference or by name), an AWS managed policy of the snapshot
(a placeholder partition resolves by name, to the registry's partition), or something
reglint cannot read: an AWS managed ARN the snapshot does not hold, a customer managed
policy defined outside the files read, a value known only once deployed. Those grant
nothing and become notes (RL302), and RL201 says which actions depend on them.
"""

from __future__ import annotations

import itertools
from typing import Any, NamedTuple

from reglint.iac.identities import instance_of
from reglint.iac.model import IacResource, Reference, Template
from reglint.iac.policy_data import unknown_is, unknown_name
from reglint.iac.sources import INLINE, MANAGED, IacPolicy, IacSource
from reglint.loading.document import Document
from reglint.model.iam.policy import Policy
from reglint.model.iam.rights import MAX_COMBINATIONS, Boundary, Rights

__all__ = ["IDENTITY_KINDS", "IdentityRights", "identity_rights", "inline_policies"]

_ROLE, _USER, _GROUP = "role", "user", "group"
_KINDS = {
    "AWS::IAM::Role": _ROLE, "aws_iam_role": _ROLE,
    "AWS::IAM::User": _USER, "aws_iam_user": _USER,
    "AWS::IAM::Group": _GROUP, "aws_iam_group": _GROUP,
}  # fmt: skip
_NAME_KEYS = {
    _ROLE: ("RoleName", "name"),
    _USER: ("UserName", "name"),
    _GROUP: ("GroupName", "name"),
}
# CloudFormation resources that attach their policy: type -> property per identity kind.
_CFN_LISTS = {_ROLE: "Roles", _USER: "Users", _GROUP: "Groups"}
_CFN_OWN = {
    "AWS::IAM::RolePolicy": (_ROLE, "RoleName"),
    "AWS::IAM::UserPolicy": (_USER, "UserName"),
    "AWS::IAM::GroupPolicy": (_GROUP, "GroupName"),
}
# Terraform resources that attach: type -> (identity kind, attribute naming it, is a list,
# attribute of the attached ARN(s) or None for an inline policy).
_TF_LINKS: dict[str, tuple[tuple[str, str, bool, str | None], ...]] = {
    "aws_iam_role_policy": ((_ROLE, "role", False, None),),
    "aws_iam_user_policy": ((_USER, "user", False, None),),
    "aws_iam_group_policy": ((_GROUP, "group", False, None),),
    "aws_iam_role_policy_attachment": ((_ROLE, "role", False, "policy_arn"),),
    "aws_iam_user_policy_attachment": ((_USER, "user", False, "policy_arn"),),
    "aws_iam_group_policy_attachment": ((_GROUP, "group", False, "policy_arn"),),
    "aws_iam_policy_attachment": (
        (_ROLE, "roles", True, "policy_arn"),
        (_USER, "users", True, "policy_arn"),
        (_GROUP, "groups", True, "policy_arn"),
    ),
    "aws_iam_role_policy_attachments_exclusive": ((_ROLE, "role_name", False, "policy_arns"),),
}


class IdentityRights(NamedTuple):
    """An identity's rights, the documents they read, and what grants nothing."""

    rights: Rights
    documents: tuple[Document, ...]
    notes: tuple[str, ...]
    arn: str | None  # the identity's ARN, when the source writes it literally (a plan)


class _Gathered(NamedTuple):
    policies: list[IacPolicy]
    managed: list[Policy]
    unread: list[str]
    boundaries: list[Boundary]


def identity_rights(source: IacSource, addresses: list[str], partition: str) -> IdentityRights:
    """The rights of the identities at `addresses` (instances of one resource: their
    union must pass for each, so each is evaluated apart and the worst verdict wins)."""
    arn = None
    variants: list[tuple[Policy, ...]] = []
    documents: list[Document] = []
    unread: list[str] = []
    boundaries: list[Boundary] = []
    for address in addresses:  # each instance must pass: its union is one more variant
        found = _Gathered([], [], [], [])
        resource = source.resources[address]
        _gather(source, resource, partition, found, set())
        literal = resource.properties.get("arn")
        arn = literal if isinstance(literal, str) and literal.startswith("arn:") else arn
        variants.extend(_variants(found.policies, found.managed))
        documents.extend(d for policy in found.policies for d in _all_documents(policy))
        unread.extend(found.unread)
        boundaries.extend(b for b in found.boundaries if b not in boundaries)
    notes = tuple(dict.fromkeys(unread))
    identity = ", ".join(addresses[:3]) + (
        f" and {len(addresses) - 3} more" if len(addresses) > 3 else ""
    )
    rights = Rights(identity, tuple(variants[:MAX_COMBINATIONS]), tuple(boundaries), notes)
    return IdentityRights(rights, tuple(dict.fromkeys(documents)), notes, arn)


def inline_policies(source: IacSource, address: str) -> list[IacPolicy]:
    """The inline policies of one role, user or group (not a user's groups'): those whose
    sizes IAM adds up against one quota."""
    found = _Gathered([], [], [], [])
    _gather(source, source.resources[address], "aws", found, set(), groups=False)
    return [policy for policy in found.policies if policy.use == INLINE]


IDENTITY_KINDS = _KINDS


def _all_documents(policy: IacPolicy) -> tuple[Document, ...]:
    return (*policy.documents, *(d for m in policy.merged for d in m.documents))


def _gather(
    source: IacSource,
    resource: IacResource,
    partition: str,
    found: _Gathered,
    seen: set[str],
    *,
    groups: bool = True,
) -> None:
    if resource.address in seen:
        return
    seen.add(resource.address)
    kind = _KINDS.get(resource.type)
    if kind is None:  # a policy or a policy document: its own rights
        for policy in source.policies_of(resource.address):
            _add(found, policy)
        return
    name = _literal_name(resource, kind)
    for policy in source.policies_of(resource.address):
        if policy.use == INLINE:
            _add(found, policy)
    for other in source.resources.values():
        _attachments(source, other, resource, kind, name, partition, found)
    arns = resource.properties.get(
        "ManagedPolicyArns", resource.properties.get("managed_policy_arns")
    )
    for value in arns if isinstance(arns, list) else [] if arns is None else [arns]:
        _attach(source, value, partition, found)
    boundary = resource.properties.get(
        "PermissionsBoundary", resource.properties.get("permissions_boundary")
    )
    if boundary is not None and boundary != "":
        found.boundaries.append(_boundary(source, boundary, partition))
    if kind == _USER and groups:
        for group in _groups(source, resource, name):
            _gather(source, group, partition, found, seen)


def _add(found: _Gathered, policy: IacPolicy) -> None:
    if policy.unknown is not None:
        found.unread.append(policy.unknown)
    elif policy not in found.policies:
        found.policies.append(policy)
    for merged in policy.merged:
        if merged.unknown is not None:
            found.unread.append(merged.unknown)


def _attachments(
    source: IacSource,
    other: IacResource,
    identity: IacResource,
    kind: str,
    name: str | None,
    partition: str,
    found: _Gathered,
) -> None:
    """What `other` attaches to the identity, if it names it."""
    properties = other.properties
    if other.type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        listed = properties.get(_CFN_LISTS[kind])
        if any(_names(v, identity, name) for v in (listed if isinstance(listed, list) else [])):
            for policy in source.policies_of(other.address):
                _add(found, policy)
    elif other.type in _CFN_OWN:
        own_kind, key = _CFN_OWN[other.type]
        if own_kind == kind and _names(properties.get(key), identity, name):
            for policy in source.policies_of(other.address):
                _add(found, policy)
    for link_kind, attribute, listed, arn_key in _TF_LINKS.get(other.type, ()):
        value = properties.get(attribute)
        values = value if listed and isinstance(value, list) else [value]
        if link_kind != kind or not any(_names(v, identity, name) for v in values):
            continue
        if arn_key is None:
            for policy in source.policies_of(other.address):
                _add(found, policy)
            continue
        arns = properties.get(arn_key)
        for arn in arns if isinstance(arns, list) else [arns]:
            _attach(source, arn, partition, found)


def _names(value: Any, identity: IacResource, name: str | None) -> bool:
    """True when `value` (a reference, a name, an ARN) names the identity."""
    if isinstance(value, Reference):
        return instance_of(identity.address, value.target) or value.target == identity.address
    if isinstance(value, str) and name is not None:
        return value == name or (value.startswith("arn:") and value.endswith("/" + name))
    return False


def _literal_name(resource: IacResource, kind: str) -> str | None:
    for key in _NAME_KEYS[kind]:
        value = resource.properties.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _groups(source: IacSource, user: IacResource, name: str | None) -> list[IacResource]:
    """A user's groups: its `Groups`, and Terraform's group memberships."""
    wanted: list[Any] = []
    listed = user.properties.get("Groups")
    wanted.extend(listed if isinstance(listed, list) else [])
    for other in source.resources.values():
        if other.type == "aws_iam_user_group_membership" and _names(
            other.properties.get("user"), user, name
        ):
            groups = other.properties.get("groups")
            wanted.extend(groups if isinstance(groups, list) else [])
        elif other.type == "aws_iam_group_membership":
            users = other.properties.get("users")
            if any(_names(u, user, name) for u in (users if isinstance(users, list) else [])):
                wanted.append(other.properties.get("group"))
    found: list[IacResource] = []
    for value in wanted:
        for resource in source.resources.values():
            if _KINDS.get(resource.type) == _GROUP and _names(
                value, resource, _literal_name(resource, _GROUP)
            ):
                found.append(resource)
    return found


def _attach(source: IacSource, value: Any, partition: str, found: _Gathered) -> None:
    """An attached policy, by reference or ARN (module docstring)."""
    policies, managed, unread = _by_arn(source, value, partition)
    for policy in policies:
        _add(found, policy)
    found.managed.extend(managed)
    found.unread.extend(unread)


def _boundary(source: IacSource, value: Any, partition: str) -> Boundary:
    """The boundary, named by its policy's name (an ARN of an AWS managed policy reads as
    secret-shaped text, which reports redact)."""
    policies, managed, unread = _by_arn(source, value, partition)
    if unread:
        return Boundary(f"{_shown_arn(value)} ({unread[0]})", ())
    name = managed[0].name if managed else policies[0].name if policies else None
    return Boundary(name or _shown_arn(value), _variants(policies, managed))


def _by_arn(
    source: IacSource, value: Any, partition: str
) -> tuple[list[IacPolicy], list[Policy], list[str]]:
    from reglint.model.iam.managed_policies import lookup, parse_policy_arn

    if isinstance(value, Reference):
        target = source.resources.get(value.target)
        if target is not None:
            return list(source.policies_of(target.address)), [], []
        return [], [], [f"the policy {value.text} is not in the files reglint read"]
    text = _text(value)
    parsed = parse_policy_arn(text) if text is not None else None
    if parsed is None:
        return [], [], [f"a policy ARN that {unknown_is(value)}"]
    if parsed.aws_managed:
        policy = lookup(text) if text is not None else None
        if policy is None:
            return [], [], [f"AWS managed policy {parsed.name} is not in reglint's snapshot"]
        policy = policy.in_partition(parsed.partition or partition)
        named = Policy.from_data(policy.document)._replace(
            name=f"{policy.name} (AWS managed)", aws_managed=True
        )
        return [], [named], []
    mine = [
        p for p in source.policies if p.use == MANAGED and _managed_name(source, p) == parsed.name
    ]
    if mine:
        return mine, [], []
    return (
        [],
        [],
        [f"customer managed policy {parsed.name} is defined outside the files reglint read"],
    )


def _managed_name(source: IacSource, policy: IacPolicy) -> str | None:
    properties = source.resources[policy.owner].properties
    name = properties.get("ManagedPolicyName", properties.get("name"))
    return name if isinstance(name, str) else None


def _text(value: Any) -> str | None:
    """An ARN as text, with its unknown parts written `${…}` (a placeholder partition)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Template):
        return "".join(
            part if isinstance(part, str) else unknown_name(part) for part in value.parts
        )
    return None


def _shown_arn(value: Any) -> str:
    return _text(value) or unknown_name(value)


def _variants(policies: list[IacPolicy], managed: list[Policy]) -> tuple[tuple[Policy, ...], ...]:
    """The union once per combination of the policies' variants, at most MAX_COMBINATIONS."""
    options = [_policy_options(policy) for policy in policies]
    combinations = itertools.islice(itertools.product(*options), MAX_COMBINATIONS)
    return tuple(
        tuple(p for part in combination for p in part) + tuple(managed)
        for combination in combinations
    )


def _policy_options(policy: IacPolicy) -> list[tuple[Policy, ...]]:
    """Each variant of a policy as the Policies it stands for (with its merged documents)."""
    merged = [m for m in policy.merged if m.documents]
    options: list[tuple[Policy, ...]] = []
    for document in policy.documents:
        own = Policy.from_document(document)._replace(name=policy.name)
        parts = [own]
        for other in merged:
            theirs = Policy.from_document(other.documents[0])._replace(name=other.name)
            parts.append(theirs)
        options.append(tuple(_overridden(parts, [m.overriding for m in merged])))
    return options


def _overridden(parts: list[Policy], overriding: list[bool]) -> list[Policy]:
    """Terraform's merge: a source document's statement gives way to the document's own
    of the same Sid, and an override document's replaces it."""
    own, others = parts[0], parts[1:]
    override_sids = {s.sid for p, o in zip(others, overriding) if o for s in p.statements if s.sid}
    own_sids = {s.sid for s in own.statements if s.sid}
    kept = [own._replace(statements=tuple(s for s in own.statements if s.sid not in override_sids))]
    for policy, is_override in zip(others, overriding):
        if is_override:
            kept.append(policy)
        else:
            statements = tuple(s for s in policy.statements if s.sid not in own_sids)
            kept.append(policy._replace(statements=statements))
    return kept
