"""RL401 registry-account-mismatch and RL402 live-namespace-collision (`reglint aws
verify`, SPEC §6.4): what the registry's existing repositories and policies say about
who may push under a namespace. Both sit at the manifest's `spec.url`.

RL401: the pushing identity is of another account than the registry. An identity
policy alone cannot let it push then: each repository-level push action (the nine but
`ecr:GetAuthorizationToken`, which takes `"*"`, and `ecr:CreateRepository`, which
creates in the caller's own registry) must also be allowed to it by the repository's
policy or the registry policy, read as `check` reads the repository policies of a
cross-account push (model/iam/resource_policy.py, one evaluation for both). With no
repository under the namespace yet, the registry policy alone must allow them for the
namespace.

- An error names each repository that does not let it push, and the missing actions.
- When a policy that would decide could not be read with the credentials (another
  account's repositories or repository policies; its registry policy, which only the
  registry's own account can read), RL401 is a `warning` that names the read and what
  is known: reglint cannot tell either way, and says so instead of passing.
- An action allowed only under a Condition counts as allowed (RL202 is about
  identity policies; a Condition here is usually `aws:PrincipalOrgID`).

RL402: a repository under the namespace belongs to another system. Either its tag
`reglint:system` names another `<tenant>/<system>` (a value without `/` is a system of
the `default` tenant), or its repository policy lets the role of another system of the
project (its manifest's `auth.roleArn`) push: an unconditional Allow naming that role's
ARN for a write action (`ecr:InitiateLayerUpload`, `UploadLayerPart`,
`CompleteLayerUpload`, `PutImage`). A grant to everyone (`"*"`) or to a whole account
is not a collision with a system (RL209 reports the first).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from reglint.checks.live_rights import URL
from reglint.findings import Severity
from reglint.live.facts import LiveRepository, LiveService
from reglint.loading.document import Document, Problem, RelatedRef
from reglint.model.iam.arns import is_role_arn
from reglint.model.iam.policy import Policy
from reglint.model.iam.resource_policy import REPOSITORY_PUSH_ACTIONS, evaluate_resource_policies
from reglint.model.iam.target import RepositoryTarget

__all__ = ["LIVE_REGISTRY_RULES", "ProjectSystem", "registry_problems"]

LIVE_REGISTRY_RULES = frozenset({"RL401", "RL402"})
WRITE_ACTIONS = ("ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage")
_SHOWN = 5  # repositories named in one message; the rest are counted


class ProjectSystem(NamedTuple):
    """A system of the project, by one of its manifests, with its pushing role if named."""

    system: str  # `<tenant>/<system>`
    manifest: Document
    role_arn: str | None  # its `auth.roleArn`


def registry_problems(live: LiveService, others: Sequence[ProjectSystem]) -> Iterator[Problem]:
    yield from _account_mismatch(live)
    yield from _collisions(live, others)


def _account_mismatch(live: LiveService) -> Iterator[Problem]:
    identity = live.identity
    registry = live.registry
    if identity.missing_reason or identity.account in ("", live.host.account):
        return
    lacking: list[str] = []
    unknown = [registry.listing_unreadable] if registry.listing_unreadable else []
    for repository in registry.repositories:
        if repository.policy_unreadable:
            unknown.append(repository.policy_unreadable)
        elif missing := _missing(live, repository.arn, repository.policy):
            lacking.append(f"{repository.name} lacks {', '.join(missing)}")
    if not registry.repositories and not registry.listing_unreadable:
        pattern = live.host.repository_arn(live.namespace.repository_prefix + "*")
        if missing := _missing(live, pattern, None):
            lacking.append(
                f"no repository exists yet under the namespace, and {', '.join(missing)} on {pattern} "
                "would need the registry policy"
            )
    who = (
        f"the registry's account {live.host.account} is not the account of {identity.kind} "
        f"{identity.arn} ({identity.account})"
    )
    fix = (
        f'grant it the push actions in the repositories\' policy ("Principal": {{"AWS": "{identity.arn}"}}) '
        f"or the registry policy, or push with an identity of account {live.host.account}"
    )
    if lacking and registry.registry_policy_unreadable is None:
        yield Problem(
            "RL401",
            f"{who}, and no repository or registry policy lets it push: {_listed(lacking + unknown)}; {fix}",
            path=URL, document=live.manifest, identity=f"live:{identity.arn}",
        )
    elif lacking or unknown:
        if registry.registry_policy_unreadable:
            unknown.append(registry.registry_policy_unreadable)
        yield Problem(
            "RL401",
            f"{who}, and reglint could not verify that a repository or registry policy lets it push: "
            f"{_listed(lacking + unknown)}; verify with credentials of account {live.host.account}, or {fix}",
            path=URL, document=live.manifest, identity=f"live:{identity.arn}:unverified",
            severity=Severity.WARNING,
        )


def _missing(live: LiveService, arn: str, policy: object) -> list[str]:
    """The repository push actions that neither `policy` nor the registry policy allows."""
    data = [policy, live.registry.registry_policy]
    verdicts = evaluate_resource_policies(
        [Policy.from_data(d) for d in data], live.identity.arn, REPOSITORY_PUSH_ACTIONS,
        RepositoryTarget.for_arn_pattern(arn), data=data,
    )
    return [v.action for v in verdicts if not v.allowed]


def _collisions(live: LiveService, others: Sequence[ProjectSystem]) -> Iterator[Problem]:
    mine = live.system
    if mine is None:
        return
    systems: dict[str, ProjectSystem] = {}
    for other in others:
        systems.setdefault(other.system, other)
    for repository in live.registry.repositories:
        tagged = _tagged_system(repository)
        if tagged is not None and tagged != mine:
            owner = systems.get(tagged)
            related = (RelatedRef(owner.manifest, ("metadata", "system"), f"system {tagged}"),) if owner else ()
            yield Problem(
                "RL402",
                f"repository {repository.name} under namespace {live.namespace} is tagged "
                f"reglint:system={tagged!r}, another system than this service's {mine!r}: both push into "
                "the same repositories and overwrite each other's images; give each system its own "
                "namespace (URL path or imagePrefix), or fix the tag",
                path=URL, document=live.manifest, related=related,
                identity=f"live:tag:{repository.name}:{tagged}",
            )
        for other in others:
            if other.role_arn is None or other.system == mine or other.role_arn == live.identity.arn:
                continue
            pushing = _lets_push(repository, other.role_arn)
            if pushing:
                yield Problem(
                    "RL402",
                    f"the repository policy of {repository.name} under namespace {live.namespace} lets "
                    f"role {other.role_arn} of system {other.system!r} push ({', '.join(pushing)}): its images "
                    f"land in this service's namespace; remove that grant, or give each system its own namespace",
                    path=URL, document=live.manifest,
                    related=(RelatedRef(other.manifest, ("spec", "auth", "roleArn"), f"the role of system {other.system}"),),
                    identity=f"live:policy:{repository.name}:{other.role_arn}",
                )


def _tagged_system(repository: LiveRepository) -> str | None:
    tag = repository.system_tag
    if tag is None or not tag.strip():
        return None
    tag = tag.strip()
    return tag if "/" in tag else f"default/{tag}"


def _lets_push(repository: LiveRepository, role_arn: str) -> list[str]:
    """The write actions the repository's policy grants `role_arn` by name, unconditionally."""
    if not is_role_arn(role_arn) or not repository.policy:
        return []
    verdicts = evaluate_resource_policies(
        [Policy.from_data(repository.policy)], role_arn, WRITE_ACTIONS,
        RepositoryTarget.for_arn_pattern(repository.arn), data=[repository.policy], explicit_only=True,
    )
    return [v.action for v in verdicts if v.allowed and not v.conditional]


def _listed(items: list[str]) -> str:
    shown = "; ".join(items[:_SHOWN])
    return shown + (f"; and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")

