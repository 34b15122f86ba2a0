"""The repository policies of a namespace in IaC sources, for a cross-account push (SPEC
§6.2): each repository of the namespace with its policies, and the registry policies.

- A repository belongs to the namespace when its name starts with the namespace's
  repository prefix (`ml-prod/runtime-`), or is known only once deployed (a placeholder
  name may be any). Its policies: CloudFormation's `RepositoryPolicyText`, Terraform's
  `aws_ecr_repository_policy` whose `repository` names it (by reference or literal name;
  one naming a repository the source does not declare stands for that repository).
- A repository creation template (`AWS::ECR::RepositoryCreationTemplate`,
  `aws_ecr_repository_creation_template`) whose prefix is `ROOT` or a path prefix of the
  namespace gives its policy to the repositories created under it.
- Registry policies (`AWS::ECR::RegistryPolicy`, `aws_ecr_registry_policy`) apply to all.

`named_repositories` gives the same for the resources a manifest's `repositoryPolicies`
entries name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from reglint.iac.model import IacResource, Reference
from reglint.iac.sources import REGISTRY, REPOSITORY, IacPolicy, IacSource

__all__ = ["RepositoryPolicies", "named_repositories", "namespace_repositories"]

_REPOSITORIES = ("AWS::ECR::Repository", "aws_ecr_repository")
_TEMPLATES = ("AWS::ECR::RepositoryCreationTemplate", "aws_ecr_repository_creation_template")
_POLICY_RESOURCES = ("aws_ecr_repository_policy",)


class RepositoryPolicies(NamedTuple):
    """Each repository (how messages name it, its policies) and the registry policies."""

    repositories: list[tuple[str, list[IacPolicy]]]
    registry: list[IacPolicy]


def namespace_repositories(sources: Iterable[IacSource], prefix: str) -> RepositoryPolicies:
    """The repositories of the namespace `prefix` (its repository names start with it)."""
    found = RepositoryPolicies([], [])
    for source in sources:
        for resource in source.resources.values():
            if resource.type in _REPOSITORIES:
                name = _literal(resource, ("RepositoryName", "name"))
                if name is None or name.startswith(prefix):
                    found.repositories.append(_repository(source, resource, name))
            elif resource.type in _TEMPLATES:
                template = _literal(resource, ("Prefix", "prefix"))
                if template is not None and (
                    template == "ROOT" or prefix.startswith(template.rstrip("/") + "/")
                ):
                    label = f"repositories created from {resource.address}"
                    found.repositories.append((label, list(source.policies_of(resource.address))))
            elif resource.type in _POLICY_RESOURCES:
                _standalone(source, resource, prefix, found)
        found.registry.extend(p for p in source.policies if p.use == REGISTRY)
    return found


def named_repositories(source: IacSource, addresses: Iterable[str]) -> RepositoryPolicies:
    """The repository policies of the resources a `repositoryPolicies` entry names."""
    found = RepositoryPolicies([], [])
    for address in addresses:
        resource = source.resources[address]
        if resource.type in _REPOSITORIES:
            name = _literal(resource, ("RepositoryName", "name"))
            found.repositories.append(_repository(source, resource, name))
        else:
            policies = list(source.policies_of(address))
            if any(p.use == REGISTRY for p in policies):
                found.registry.extend(policies)
            else:
                found.repositories.append((address, policies))
    return found


def _repository(
    source: IacSource, resource: IacResource, name: str | None
) -> tuple[str, list[IacPolicy]]:
    policies = [p for p in source.policies_of(resource.address) if p.use == REPOSITORY]
    for other in source.resources.values():
        if other.type in _POLICY_RESOURCES and _names(other.properties.get("repository"),
                                                     resource.address, name):  # fmt: skip
            policies.extend(source.policies_of(other.address))
    label = f"{resource.address} ({name})" if name else resource.address
    return label, policies


def _standalone(
    source: IacSource, resource: IacResource, prefix: str, found: RepositoryPolicies
) -> None:
    """A repository policy whose repository the source does not declare."""
    target = resource.properties.get("repository")
    if isinstance(target, Reference) and target.target in source.resources:
        return  # read with its repository
    if isinstance(target, str) and any(
        _literal(r, ("RepositoryName", "name")) == target
        for r in source.resources.values()
        if r.type in _REPOSITORIES
    ):
        return
    if not isinstance(target, str) or target.startswith(prefix):
        label = f"{resource.address} ({target})" if isinstance(target, str) else resource.address
        found.repositories.append((label, list(source.policies_of(resource.address))))


def _names(value: Any, address: str, name: str | None) -> bool:
    if isinstance(value, Reference):
        return value.target == address
    return isinstance(value, str) and value == name


def _literal(resource: IacResource, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = resource.properties.get(key)
        if isinstance(value, str) and value:
            return value
    return None
