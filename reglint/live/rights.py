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
from reglint.live.session import AwsSession

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
    name = str(role["RoleName"])
    arn = str(role["Arn"])
    attached = [
        managed.get(str(item["PolicyArn"]))
        for item in session.pages("iam", "ListAttachedRolePolicies", "AttachedPolicies", arn, RoleName=name)
    ]
    inline = [
        DeployedPolicy(
            f"inline policy {policy_name!r} of role {arn}",
            decoded(session.call("iam", "GetRolePolicy", f"{arn} policy {policy_name!r}",
                                 RoleName=name, PolicyName=policy_name).get("PolicyDocument")),
        )
        for policy_name in session.pages("iam", "ListRolePolicies", "PolicyNames", arn, RoleName=name)
    ]
    return DeployedRights(tuple(attached + inline), _boundary(role, managed))


def user_rights(session: AwsSession, user: Any, managed: ManagedPolicies) -> DeployedRights:
    """The rights of a user, from its `GetUser` answer: its own policies and its groups'."""
    name = str(user["UserName"])
    arn = str(user["Arn"])
    policies = [
        managed.get(str(item["PolicyArn"]))
        for item in session.pages("iam", "ListAttachedUserPolicies", "AttachedPolicies", arn, UserName=name)
    ]
    policies += [
        DeployedPolicy(
            f"inline policy {policy_name!r} of user {arn}",
            decoded(session.call("iam", "GetUserPolicy", f"{arn} policy {policy_name!r}",
                                 UserName=name, PolicyName=policy_name).get("PolicyDocument")),
        )
        for policy_name in session.pages("iam", "ListUserPolicies", "PolicyNames", arn, UserName=name)
    ]
    groups = []
    for group in session.pages("iam", "ListGroupsForUser", "Groups", arn, UserName=name):
        group_name, group_arn = str(group["GroupName"]), str(group["Arn"])
        groups.append(group_name)
        policies += [
            managed.get(str(item["PolicyArn"]))
            for item in session.pages(
                "iam", "ListAttachedGroupPolicies", "AttachedPolicies", group_arn, GroupName=group_name
            )
        ]
        policies += [
            DeployedPolicy(
                f"inline policy {policy_name!r} of group {group_arn}",
                decoded(session.call("iam", "GetGroupPolicy", f"{group_arn} policy {policy_name!r}",
                                     GroupName=group_name, PolicyName=policy_name).get("PolicyDocument")),
            )
            for policy_name in session.pages("iam", "ListGroupPolicies", "PolicyNames", group_arn, GroupName=group_name)
        ]
    # A managed policy attached to the user and to a group counts once.
    unique = tuple({policy.label: policy for policy in policies}.values())
    return DeployedRights(unique, _boundary(user, managed), tuple(groups))


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
