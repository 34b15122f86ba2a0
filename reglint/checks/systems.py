"""System-level rules: RL101 external-registry-required, RL303 duplicate-service.

A system is the group of services with one tenant and one system name (SPEC §1.3); it
is operational when any of its services is. Services come from every source
(`Project.services()`): manifests, and the `mlrun-builder` service of each MLRun system
(SPEC §6.3), whose findings sit at its deciding setting.

Decisions where the SPEC is silent, for MLRun's service: RL101 on it says which setting
to change (the registry URL's key when one is set); RL303 between a manifest and the
service MLRun's settings make says that the manifest describes MLRun's registry again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from reglint.checks.base import CheckSettings, ProjectCheck
from reglint.findings import Severity
from reglint.loading.document import DataPath, Document, Problem, RelatedRef
from reglint.model.service import RegistryService, ServiceRole, ServiceType
from reglint.project import Project, ProjectService, ServiceSource, Site, reported_site

_PRODUCTION = "production"


NAME: DataPath = ("metadata", "name")


def where(document: Document, settings: CheckSettings, at: DataPath = NAME) -> str:
    """`path:line` of a node of a manifest (its `metadata.name` unless told), for
    messages: relative to the current folder, like every report's paths. A message's
    `path:line` names the node its `related` location points at."""
    return f"{settings.relative_path(document)}:{document.span_of(at).line}"


def where_site(site: Site, settings: CheckSettings) -> str:
    """`path:line` of a site, for messages (as `where`)."""
    span = site.document.span_of(site.path, on_key=site.on_key)
    return f"{settings.relative_path(site.document)}:{span.line}"


def listing(items: list[str], most: int = 3) -> str:
    """`a, b, c and 4 more`: long lists stay readable; related locations hold them all."""
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown} and {len(items) - most} more"


def _systems(project: Project) -> dict[tuple[str, str], list[ProjectService]]:
    systems: dict[tuple[str, str], list[ProjectService]] = defaultdict(list)
    for service in project.services():
        if service.view.system is not None:
            systems[(service.view.tenant, service.view.system)].append(service)
    return systems


def check_external_registry(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    """RL101: an operational system needs an external `user` registry."""
    for (tenant, system), members in _systems(project).items():
        services = [m.view for m in members]
        if not any(s.operational and s.environment is not None for s in services):
            continue
        if any(s.type is ServiceType.EXTERNAL and s.role is ServiceRole.USER for s in services):
            continue
        found = _anchor(members)
        if found is None:
            continue
        anchor, site = found
        production = any(s.environment == _PRODUCTION for s in services)
        environments = sorted({s.environment for s in services if s.environment})
        fix = (
            _mlrun_fix(anchor)
            if anchor.source is ServiceSource.MLRUN
            else "add an external registry service with role 'user' for the images the platform "
            f"builds and pushes ({_example(system, services)})"
        )
        yield Problem(
            "RL101",
            f"system '{system}' (tenant '{tenant}', {'/'.join(environments)}) is operational but "
            f"has no external registry with role 'user'{_what_it_has(services)}: {fix}",
            path=site.path,
            on_key=site.on_key,
            document=site.document,
            severity=Severity.ERROR if production else Severity.WARNING,
            identity=f"{tenant}/{system}",
        )


def _mlrun_fix(service: ProjectService) -> str:
    """What to change in MLRun's settings so that it builds into an external registry."""
    from reglint.platform.records import ValueState

    url = service.mlrun.service.url if service.mlrun is not None else None
    if url is None:
        what = (
            "no registry URL is set in the system's MLRun settings, so MLRun builds its images "
            "into the on-cluster registry: set global.registry.url (Helm values) or "
            "MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY (environment)"
        )
    elif url.setting.state is ValueState.EMPTY:
        what = f"{url.setting.key} is not set, so MLRun builds its images into the on-cluster registry: set it"
    else:
        what = f"MLRun builds its images into '{url.setting.value}', inside the cluster: set {url.setting.key}"
    return f"{what} to an external registry (for example ECR)"


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


def _anchor(services: list[ProjectService]) -> tuple[ProjectService, Site] | None:
    """The system's on-cluster service, else its first service — among reported files,
    so that a run naming any file of the system reports it there."""
    reported = [(s, site) for s in services if (site := reported_site(s.kind, s.sites)) is not None]
    for service, site in reported:
        if service.view.type is ServiceType.ON_CLUSTER:
            return service, site
    return reported[0] if reported else None


def check_duplicate_services(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    """RL303: two services with the same tenant, system and service name."""
    by_key: dict[tuple[str, str, str], list[ProjectService]] = defaultdict(list)
    for service in project.services():
        view = service.view
        if view.system is not None and view.name is not None:
            by_key[(view.tenant, view.system, view.name)].append(service)
    for (tenant, system, name), services in by_key.items():
        if len(services) < 2:
            continue
        for service in services:
            site = reported_site(service.name, service.sites)
            if site is None:
                continue
            others = [s for s in services if s is not service]
            yield Problem(
                "RL303",
                _duplicate_message(service, others, (tenant, system, name), settings),
                path=site.path,
                on_key=site.on_key,
                document=site.document,
                related=tuple(
                    RelatedRef(o.name.document, o.name.path, f"service '{name}' also defined here", o.name.on_key)
                    for o in others
                ),
                identity=f"{tenant}/{system}/{name}",
            )


def _duplicate_message(
    service: ProjectService, others: list[ProjectService], key: tuple[str, str, str], settings: CheckSettings
) -> str:
    tenant, system, name = key
    at = listing([where_site(o.name, settings) for o in others])
    if service.source is ServiceSource.MLRUN:
        return (
            f"the MLRun settings of system '{system}' (tenant '{tenant}') make the registry service "
            f"'{name}', which is defined again at {at}: delete that manifest, or rename it if it "
            "describes another registry"
        )
    if any(o.source is ServiceSource.MLRUN for o in others):
        return (
            f"service '{name}' of system '{system}' (tenant '{tenant}') is the service that the "
            f"system's MLRun settings make (at {at}): delete this manifest, or rename it if it "
            "describes another registry"
        )
    return (
        f"service '{name}' of system '{system}' (tenant '{tenant}') is defined again at "
        f"{at}: the platform keeps one of them silently; rename one service or delete the copy"
    )


SYSTEM_CHECKS = (
    ProjectCheck("external-registry", frozenset({"RL101"}), check_external_registry),
    ProjectCheck("duplicate-service", frozenset({"RL303"}), check_duplicate_services),
)
