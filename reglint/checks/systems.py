"""System-level rules: RL101 external-registry-required, RL303 duplicate-service.

A system is the group of services with one tenant and one system name (SPEC §1.3); it
is operational when any of its services is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from reglint.checks.base import CheckSettings, ProjectCheck
from reglint.findings import Severity
from reglint.loading.document import DataPath, Document, Problem, RelatedRef
from reglint.model.service import RegistryService, ServiceRole, ServiceType
from reglint.project import Project

_PRODUCTION = "production"


NAME: DataPath = ("metadata", "name")


def where(document: Document, settings: CheckSettings, at: DataPath = NAME) -> str:
    """`path:line` of a node of a manifest (its `metadata.name` unless told), for
    messages: relative to the current folder, like every report's paths. A message's
    `path:line` names the node its `related` location points at."""
    return f"{settings.relative_path(document)}:{document.span_of(at).line}"


def listing(items: list[str], most: int = 3) -> str:
    """`a, b, c and 4 more`: long lists stay readable; related locations hold them all."""
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown} and {len(items) - most} more"


def _systems(project: Project) -> dict[tuple[str, str], list[Document]]:
    systems: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for manifest in project.manifests():
        service = project.service(manifest)
        if service.system is not None:
            systems[(service.tenant, service.system)].append(manifest)
    return systems


def check_external_registry(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    """RL101: an operational system needs an external `user` registry."""
    for (tenant, system), manifests in _systems(project).items():
        services = [project.service(m) for m in manifests]
        if not any(s.operational and s.environment is not None for s in services):
            continue
        if any(s.type is ServiceType.EXTERNAL and s.role is ServiceRole.USER for s in services):
            continue
        anchor = _anchor(manifests, services)
        if anchor is None:
            continue
        production = any(s.environment == _PRODUCTION for s in services)
        environments = sorted({s.environment for s in services if s.environment})
        yield Problem(
            "RL101",
            f"system '{system}' (tenant '{tenant}', {'/'.join(environments)}) is operational but "
            f"has no external registry with role 'user'{_what_it_has(services)}: add an external "
            "registry service with role 'user' for the images the platform builds and pushes "
            f"({_example(system, services)})",
            path=("spec", "type") if project.service(anchor).type is ServiceType.ON_CLUSTER else ("metadata", "system"),
            document=anchor,
            severity=Severity.ERROR if production else Severity.WARNING,
            identity=f"{tenant}/{system}",
        )


def _has_system_registry(services: list[RegistryService]) -> bool:
    return any(s.type is ServiceType.EXTERNAL and s.role is ServiceRole.SYSTEM for s in services)


def _what_it_has(services: list[RegistryService]) -> str:
    """`, only the on-cluster registry (…) and one with role 'system' (…)`, or nothing."""
    has = []
    if any(s.type is ServiceType.ON_CLUSTER for s in services):
        has.append("the on-cluster registry (for playground only: it loses its images when its pod restarts)")
    if _has_system_registry(services):
        has.append("one with role 'system' (the System Docker Registry, for the platform's own images)")
    return f", only {' and '.join(has)}" if has else ""


def _example(system: str, services: list[RegistryService]) -> str:
    if _has_system_registry(services):  # the platform's docs: `<ecr>/my-igz-system-runtime`
        return f"it may be the same registry with another path, such as '<registry>/{system}-runtime'"
    return "for example ECR"


def _anchor(manifests: list[Document], services: list[RegistryService]) -> Document | None:
    """The system's on-cluster service, else its first manifest — among reported files,
    so that a run naming any file of the system reports it there."""
    reported = [(m, s) for m, s in zip(manifests, services) if m.file.reported]
    for manifest, service in reported:
        if service.type is ServiceType.ON_CLUSTER:
            return manifest
    return reported[0][0] if reported else None


def check_duplicate_services(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    """RL303: two manifests with the same tenant, system and service name."""
    by_key: dict[tuple[str, str, str], list[Document]] = defaultdict(list)
    for manifest in project.manifests():
        service = project.service(manifest)
        if service.system is not None and service.name is not None:
            by_key[(service.tenant, service.system, service.name)].append(manifest)
    for (tenant, system, name), manifests in by_key.items():
        if len(manifests) < 2:
            continue
        for manifest in manifests:
            others = [m for m in manifests if m is not manifest]
            yield Problem(
                "RL303",
                f"service '{name}' of system '{system}' (tenant '{tenant}') is defined again at "
                f"{listing([where(m, settings) for m in others])}: the platform keeps one of them "
                "silently; rename one service or delete the copy",
                path=("metadata", "name"),
                document=manifest,
                related=tuple(RelatedRef(m, NAME, f"service '{name}' also defined here") for m in others),
                identity=f"{tenant}/{system}/{name}",
            )


SYSTEM_CHECKS = (
    ProjectCheck("external-registry", frozenset({"RL101"}), check_external_registry),
    ProjectCheck("duplicate-service", frozenset({"RL303"}), check_duplicate_services),
)
