"""The ECR repositories under a namespace, as they exist (SPEC §6.4): name, tag
mutability, the `reglint:system` tag, the repository policy; and the registry policy.

`ecr:DescribeRepositories` has no name filter: every repository of the registry is
listed (paged by `nextToken`, 1,000 a page), once per registry and run, and those
whose name starts with the namespace's repository prefix are kept.

Reads in another account than the caller's are expected to be refused (a registry
owner grants other accounts push, rarely describe): such a denial is a fact that RL401
reports ("could not be read"), not a failure of the run. In the caller's own account a
denial is a missing read permission: one line, exit 2. `ecr:GetRegistryPolicy` answers
for the caller's own registry only, so another account's registry policy is never read.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from reglint.live.facts import Caller, LiveRepository, RegistryView
from reglint.live.failures import ReadDenied
from reglint.live.session import AwsSession
from reglint.model.ecr import EcrHost

__all__ = ["SYSTEM_TAG", "Registries"]

SYSTEM_TAG = "reglint:system"


class _Listed(NamedTuple):
    name: str
    arn: str
    tag_mutability: str


class Registries:
    """The registries of one run, each listed once; each repository read once."""

    def __init__(self, session: AwsSession, caller: Caller) -> None:
        self._session = session
        self._caller = caller
        self._listed: dict[tuple[str, str], tuple[tuple[_Listed, ...], str | None]] = {}
        self._tags: dict[str, tuple[str | None, str | None]] = {}  # ARN -> (system tag, why unreadable)
        self._repository_policies: dict[str, tuple[Any, str | None]] = {}  # ARN -> (policy, why unreadable)
        self._policies: dict[tuple[str, str], tuple[Any, str | None]] = {}

    def view(self, host: EcrHost, prefix: str, *, tags: bool = True, policies: bool = True) -> RegistryView:
        """The repositories of `host`'s registry whose names start with `prefix`, with
        their `reglint:system` tags and their policies when asked for (each costs a
        call per repository: only the rules that read them ask)."""
        listed, listing_unreadable = self._list(host)
        repositories = tuple(
            self._repository(host, item, tags, policies) for item in listed if item.name.startswith(prefix)
        )
        policy, policy_unreadable = self._registry_policy(host) if policies else (None, None)
        return RegistryView(
            host.account, host.region, repositories, policy, listing_unreadable, policy_unreadable
        )

    def _foreign(self, host: EcrHost) -> bool:
        return host.account != self._caller.account

    def _list(self, host: EcrHost) -> tuple[tuple[_Listed, ...], str | None]:
        key = (host.account, host.region)
        if key not in self._listed:
            where = f"registry {host.account} ({host.region})"
            try:
                answers = self._session.pages(
                    "ecr", "DescribeRepositories", "repositories", where, region=host.region,
                    registryId=host.account, PaginationConfig={"PageSize": 1000},
                )
                found = sorted(
                    _Listed(str(r["repositoryName"]), str(r["repositoryArn"]), str(r.get("imageTagMutability") or "MUTABLE"))
                    for r in answers
                )
                self._listed[key] = (tuple(found), None)
            except ReadDenied as denied:
                if not self._foreign(host):
                    raise
                self._listed[key] = ((), str(denied))
        return self._listed[key]

    def _repository(self, host: EcrHost, item: _Listed, tags: bool, policies: bool) -> LiveRepository:
        where = f"repository {item.name} of registry {host.account} ({host.region})"
        if tags and item.arn not in self._tags:
            answer, unreadable = self._foreign_read(
                host, "ListTagsForResource", where, region=host.region, resourceArn=item.arn
            )
            system = next(
                (str(t.get("Value")) for t in (answer or {}).get("tags") or () if t.get("Key") == SYSTEM_TAG), None
            )
            self._tags[item.arn] = (system, unreadable)
        if policies and item.arn not in self._repository_policies:
            answer, unreadable = self._foreign_read(
                host, "GetRepositoryPolicy", where, region=host.region,
                absent=("RepositoryPolicyNotFoundException",), registryId=host.account, repositoryName=item.name,
            )
            self._repository_policies[item.arn] = (_policy(answer), unreadable)
        system, tags_unreadable = self._tags.get(item.arn, (None, None))
        policy, policy_unreadable = self._repository_policies.get(item.arn, (None, None))
        return LiveRepository(
            item.name, item.arn, item.tag_mutability, system, policy, policy_unreadable, tags_unreadable
        )

    def _registry_policy(self, host: EcrHost) -> tuple[Any, str | None]:
        key = (host.account, host.region)
        if key not in self._policies:
            if self._foreign(host):
                note = (
                    f"ecr:GetRegistryPolicy of registry {host.account} ({host.region}) answers only to that "
                    f"account, and the credentials are of account {self._caller.account}"
                )
                self._policies[key] = (None, note)
            else:
                answer = self._session.call(
                    "ecr", "GetRegistryPolicy", f"registry {host.account} ({host.region})", region=host.region,
                    absent=("RegistryPolicyNotFoundException",),
                )
                self._policies[key] = (_policy(answer), None)
        return self._policies[key]

    def _foreign_read(self, host: EcrHost, operation: str, resource: str, **params: Any) -> tuple[Any, str | None]:
        """An ECR read that, denied in another account, is a note instead of a failure."""
        try:
            return self._session.call("ecr", operation, resource, **params), None
        except ReadDenied as denied:
            if not self._foreign(host):
                raise
            return None, str(denied)


def _policy(answer: Any) -> Any:
    """A repository or registry policy's text as data; None without one."""
    text = (answer or {}).get("policyText")
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return {}
