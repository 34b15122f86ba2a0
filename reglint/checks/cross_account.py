"""RL201 for a cross-account push (SPEC §6.2): when the pushing role's account differs
from the registry's, the repository policies of the namespace must let the role push too.

- The pushing role: the manifest's `spec.auth.roleArn`, else the ARN of a linked IaC
  identity when the source writes it literally (a plan). A placeholder account
  (`${AWS::AccountId}`) is not a different account: nothing is checked.
- The repository policies: the manifest's `spec.repositoryPolicies` (each entry one
  repository's policy, or the ECR resources a `path#ref` names), else those of the
  namespace's repositories and the registry policies in the IaC sources the project
  read (iac/repositories.py).
- Each of the seven repository-level push actions must be allowed to the role by each
  repository's policies or the registry policy, and denied by none
  (model/iam/resource_policy.py). The finding names this side — the repository
  policies — and the actions they lack; what the role's own policies lack is RL201 of
  linked_policies.py. It sits on `spec.repositoryPolicies`, else `spec.auth.roleArn`,
  else `spec.iamPolicies`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from reglint.checks.base import CheckSettings, ProjectCheck
from reglint.checks.iam import policy_model
from reglint.loading.document import DataPath, Document, Problem, RelatedRef
from reglint.model.namespace import RegistryNamespace
from reglint.project import PolicyLink, Project

_ACCOUNT = re.compile(r"\d{12}\Z")
_MAX_COMBINATIONS = 8


def check_cross_account(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    from reglint.model.iam.resource_policy import REPOSITORY_PUSH_ACTIONS
    from reglint.model.iam.target import RepositoryTarget

    for manifest in project.manifests():
        links = project.policy_links(manifest)
        repository_links = project.repository_links.get(manifest, ())
        if not manifest.file.reported or any(link.error for link in (*links, *repository_links)):
            continue
        namespace = RegistryNamespace.of_service(project.service(manifest))
        ecr = namespace.ecr_host if namespace is not None else None
        if namespace is None or ecr is None:
            continue
        pusher = _pusher(manifest, links, ecr.partition)
        if pusher is None:
            continue
        account = pusher.split(":")[4]
        if not _ACCOUNT.match(account) or account == ecr.account:
            continue
        groups, documents = _repository_groups(project, repository_links, namespace)
        target = RepositoryTarget.for_namespace(
            ecr.partition, ecr.region, ecr.account, namespace.repository_prefix
        )
        actions = tuple(a for a in settings.required_ecr_actions if a in REPOSITORY_PUSH_ACTIONS)
        missing, related = _missing(groups, pusher, actions, target)
        if not missing:
            continue
        where = _where(manifest)
        by_reason: dict[str, list[str]] = {}
        for action, reason in missing.items():
            by_reason.setdefault(reason, []).append(action)
        reasons = "; ".join(f"{', '.join(names)} ({why})" for why, names in by_reason.items())
        yield Problem(
            "RL201",
            f"cross-account push: role {pusher} is in account {account} and the registry in "
            f"{ecr.account}, so the repository policies of the namespace must also let the "
            f"role push, and they do not allow {len(missing)} of the {len(actions)} "
            f"repository-level push actions for {target.description}: {reasons}; grant them "
            f"to {pusher} in the repository policy ({_shown(groups, documents, settings)})",
            path=where,
            on_key=True,
            document=manifest,
            related=related,
            identity=f"cross-account:{','.join(missing)}",
        )


def _pusher(manifest: Document, links: tuple[PolicyLink, ...], partition: str) -> str | None:
    spec = manifest.data.get("spec") if isinstance(manifest.data, dict) else None
    auth = spec.get("auth") if isinstance(spec, dict) else None
    role = auth.get("roleArn") if isinstance(auth, dict) else None
    if isinstance(role, str) and role.count(":") >= 5:
        return role
    from reglint.iac.rights import identity_rights

    for link in links:
        if link.infrastructure is not None:
            arn = identity_rights(link.infrastructure, list(link.addresses), partition).arn
            if arn is not None and arn.count(":") >= 5:
                return arn
    return None


_Group = tuple[str, list[list[Any]]]  # a repository, and the variants of each of its policies


def _repository_groups(
    project: Project, links: tuple[PolicyLink, ...], namespace: RegistryNamespace
) -> tuple[list[_Group], list[Document]]:
    from reglint.iac.repositories import (
        RepositoryPolicies,
        named_repositories,
        namespace_repositories,
    )

    found = RepositoryPolicies([], [])
    plain: list[_Group] = []
    if links:
        for link in links:
            if link.infrastructure is None:
                plain.append((link.entry, [[policy_model(d) for d in link.policies]]))
            else:
                named = named_repositories(link.infrastructure, link.addresses)
                found.repositories.extend(named.repositories)
                found.registry.extend(named.registry)
    else:
        sources = {id(s.infrastructure): s.infrastructure for s in project.sources
                   if s.infrastructure is not None}  # fmt: skip
        found = namespace_repositories(sources.values(), namespace.repository_prefix)
    registry = [_variants(policy) for policy in found.registry]
    groups = plain + [
        (label, [*(_variants(p) for p in policies), *registry])
        for label, policies in found.repositories
    ]
    if not groups and registry:
        groups = [("the registry policy", registry)]
    documents = [d for policy in (*found.registry, *(p for _, ps in found.repositories for p in ps))
                 for d in policy.documents]  # fmt: skip
    documents += [d for link in links for d in link.policies]
    return groups, documents


def _variants(policy: Any) -> list[Any]:
    models = [policy_model(d)._replace(name=policy.name) for d in policy.documents]
    return models or [None]  # unknown as a whole: it grants nothing


def _missing(
    groups: list[_Group], pusher: str, actions: tuple[str, ...], target: Any
) -> tuple[dict[str, str], tuple[RelatedRef, ...]]:
    from reglint.model.iam.resource_policy import evaluate_resource_policies

    if not groups:
        why = "no repository policy of the namespace was found: give them in repositoryPolicies"
        return dict.fromkeys(actions, why), ()
    missing: dict[str, str] = {}
    related: dict[tuple[int, DataPath], RelatedRef] = {}
    for label, options in groups:
        for combination in itertools.islice(itertools.product(*options), _MAX_COMBINATIONS):
            policies = [p for p in combination if p is not None]
            for verdict in evaluate_resource_policies(policies, pusher, actions, target):
                if verdict.allowed or verdict.action in missing:
                    continue
                if verdict.denied_by:
                    policy, statement = verdict.denied_by[0]
                    missing[verdict.action] = f"explicitly denied by {statement.label} of {label}"
                    if policy.document is not None:
                        related.setdefault(
                            (id(policy.document), statement.path),
                            RelatedRef(policy.document, statement.path,
                                       f"{statement.label} denies it to {pusher}"),
                        )  # fmt: skip
                else:
                    missing[verdict.action] = f"no statement of {label} grants it to the role"
    return missing, tuple(related.values())


def _where(manifest: Document) -> DataPath:
    spec = manifest.data.get("spec") if isinstance(manifest.data, dict) else None
    auth = spec.get("auth") if isinstance(spec, dict) else None
    if isinstance(spec, dict) and "repositoryPolicies" in spec:
        return ("spec", "repositoryPolicies")
    if isinstance(auth, dict) and "roleArn" in auth:
        return ("spec", "auth", "roleArn")
    return ("spec", "iamPolicies")


def _shown(groups: list[_Group], documents: list[Document], settings: CheckSettings) -> str:
    files = list(dict.fromkeys(settings.relative_path(d) for d in documents))
    repositories = [label for label, _ in groups]
    return "read: " + ", ".join(repositories[:5] + [f for f in files if f not in repositories][:5])


CROSS_ACCOUNT_CHECK = ProjectCheck("cross-account-push", frozenset({"RL201"}), check_cross_account)
