"""The deployed rights of a role or user (SPEC §6.4): attached managed policies (each at
its default version), inline policies, a user's groups with theirs, and the
permissions boundary. Every listing is paged to its end (a role may have more than 100
attached policies on a listing page: `ListAttachedRolePolicies` pages by `Marker`).

IAM answers policy documents URL-encoded; botocore decodes them into data, and a
document that arrives as text (URL-encoded or not) is decoded here. A document that
does not decode grants nothing (`{}`), never an error: the verdict then says the
actions are not allowed, which is what AWS would do with it too.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from reglint.live.facts import DeployedPolicy, DeployedRights
from reglint.live.session import AwsSession, Service

__all__ = ["ManagedPolicies", "role_rights", "user_rights"]


class ManagedPolicies:
    """Managed policies at their default version, each read once per run."""

    def __init__(self, session: AwsSession) -> None:
        self._session = session
        self._read: dict[str, DeployedPolicy] = {}

    def get(self, arn: str) -> DeployedPolicy:
        if arn not in self._read:
            policy = self._session.call("iam", "GetPolicy", arn, PolicyArn=arn)["Policy"]
            version = str(policy.get("DefaultVersionId") or "")
            answer = self._session.call(
                "iam", "GetPolicyVersion", f"{arn} ({version})", PolicyArn=arn, VersionId=version
            )
            document = decoded(answer.get("PolicyVersion", {}).get("Document"))
            self._read[arn] = DeployedPolicy(f"{arn} ({version})", document, arn, version)
        return self._read[arn]


def role_rights(session: AwsSession, role: Any, managed: ManagedPolicies) -> DeployedRights:
    """The rights of a role, from its `GetRole` answer."""
    arn = str(role["Arn"])
    policies = _policies_of(session, managed, "Role", str(role["RoleName"]), arn)
    return DeployedRights(tuple(policies), _boundary(role, managed))


def user_rights(session: AwsSession, user: Any, managed: ManagedPolicies) -> DeployedRights:
    """The rights of a user, from its `GetUser` answer: its own policies and its groups'."""
    name = str(user["UserName"])
    arn = str(user["Arn"])
    policies = _policies_of(session, managed, "User", name, arn)
    groups = []
    for group in session.pages("iam", "ListGroupsForUser", "Groups", arn, UserName=name):
        group_name = str(group["GroupName"])
        groups.append(group_name)
        policies += _policies_of(session, managed, "Group", group_name, str(group["Arn"]))
    # A managed policy attached to the user and to a group counts once.
    unique = tuple({policy.label: policy for policy in policies}.values())
    return DeployedRights(unique, _boundary(user, managed), tuple(groups))


# The reads of each kind of identity, written out (the read-only policy in docs/ is
# checked against the calls this package makes: tests/live/test_verify_policy_file.py).
_READS: dict[str, tuple[tuple[Service, str], ...]] = {
    "Role": (("iam", "ListAttachedRolePolicies"), ("iam", "ListRolePolicies"), ("iam", "GetRolePolicy")),
    "User": (("iam", "ListAttachedUserPolicies"), ("iam", "ListUserPolicies"), ("iam", "GetUserPolicy")),
    "Group": (("iam", "ListAttachedGroupPolicies"), ("iam", "ListGroupPolicies"), ("iam", "GetGroupPolicy")),
}


def _policies_of(
    session: AwsSession, managed: ManagedPolicies, kind: str, name: str, arn: str
) -> list[DeployedPolicy]:
    """The attached and inline policies of one IAM role, user or group (`kind`: `Role`,
    `User` or `Group`, as IAM's API spells it), every listing paged to its end."""
    list_attached, list_inline, get_inline = _READS[kind]
    named: dict[str, Any] = {f"{kind}Name": name}
    attached = [
        managed.get(str(item["PolicyArn"]))
        for item in session.pages(*list_attached, "AttachedPolicies", arn, **named)
    ]
    inline = [
        DeployedPolicy(
            f"inline policy {policy_name!r} of {kind.lower()} {arn}",
            decoded(session.call(*get_inline, f"{arn} policy {policy_name!r}",
                                 PolicyName=policy_name, **named).get("PolicyDocument")),
        )
        for policy_name in session.pages(*list_inline, "PolicyNames", arn, **named)
    ]
    return attached + inline


def _boundary(entity: Any, managed: ManagedPolicies) -> DeployedPolicy | None:
    boundary = entity.get("PermissionsBoundary") or {}
    arn = boundary.get("PermissionsBoundaryArn")
    if not arn:
        return None
    return managed.get(str(arn))  # named as any managed policy: `ARN (v1)`


def decoded(document: Any) -> Any:
    """A policy document as data: as botocore gives it, or decoded from its text."""
    if isinstance(document, str):
        for text in (document, unquote(document)):
            try:
                return json.loads(text)
            except ValueError:
                continue
        return {}
    return document if isinstance(document, dict) else {}
