"""The project a run sees (SPEC §1.3): every file named for the run, plus — for the
cross-file rules — every manifest and platform source (SPEC §6.3) under the project root
and every policy a manifest links to, each loaded once (engine/load.py loads it), under
its root.

Files named for the run are *reported*; the others are *context*: cross-file rules
read them, but no finding is ever reported on them.

The cross-file rules on services (RL101, RL301, RL303) read `services()`: every
manifest's service and the `mlrun-builder` service of each MLRun system
(`ProjectService`), each with the nodes its findings sit at.

Decisions (SPEC silent) on a service made of several files (MLRun settings):

- Its findings sit at the setting that decides them: the registry URL setting (RL301,
  RL303, RL101), else the first setting of the system; related locations name the others.
- In a run that names only some files, a finding whose node lies in a file not named
  moves to the first named file that takes part: for RL301 one that sets the URL or an
  image-name prefix template (the namespace), for RL101 and RL303 any of the system's.
- An MLRun registry inside the cluster (`*.svc`, `localhost`…) has a namespace, but each
  cluster has its own: RL301 compares it within its system only (`local`)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reglint.config.files import has_config
from reglint.files.discovery import git_top_level
from reglint.files.globs import GlobSet
from reglint.loading.document import DataPath, Document, DocumentKind, SourceFile
from reglint.model.namespace import RegistryNamespace
from reglint.model.service import RegistryService, ServiceRole, ServiceType, manifest_service
from reglint.platform.systems import SystemAssignment

if TYPE_CHECKING:
    from reglint.platform.mlrun_service import PlacedSetting
    from reglint.platform.mlrun_systems import MlrunSystem
    from reglint.platform.secrets import SecretRecord

class Site(NamedTuple):
    """A node of a document where a finding may sit."""

    document: Document
    path: DataPath
    on_key: bool = False

    @property
    def reported(self) -> bool:
        return self.document.file.reported


def reported_site(preferred: Site | None, candidates: Iterable[Site]) -> Site | None:
    """`preferred` when its file is reported, else the first candidate whose file is."""
    if preferred is not None and preferred.reported:
        return preferred
    return next((site for site in candidates if site.reported), None)


class ServiceSource(enum.Enum):
    MANIFEST = "manifest"  # a `kind: RegistryService` document
    MLRUN = "mlrun"  # the settings of an MLRun system (SPEC §6.3)


class ProjectService(NamedTuple):
    """A registry service of the project, from any source, and where its findings sit."""

    view: RegistryService  # name, system, environment, tenant, type, role, URL, prefix
    source: ServiceSource
    namespace: RegistryNamespace | None  # None without a valid (or known) URL
    url: Site | None  # RL301: spec.url; the MLRun registry URL setting
    name: Site  # RL303: metadata.name; the URL setting, else the system's first setting
    kind: Site  # RL101: spec.type (on-cluster) or metadata.system; as `name` for MLRun
    namespace_sites: tuple[Site, ...] = ()  # the nodes that decide the namespace
    sites: tuple[Site, ...] = ()  # every node that makes the service
    local: bool = False  # an in-cluster registry: RL301 compares it within its system only
    mlrun: MlrunSystem | None = None


_URL: DataPath = ("spec", "url")
_NAME: DataPath = ("metadata", "name")


def manifest_service_of(manifest: Document) -> ProjectService:
    """A manifest's service: every finding sits in the manifest."""
    view = manifest_service(manifest)
    kind = ("spec", "type") if view.type is ServiceType.ON_CLUSTER else ("metadata", "system")
    url, name = Site(manifest, _URL), Site(manifest, _NAME)
    namespace = RegistryNamespace.of_service(view)
    return ProjectService(view, ServiceSource.MANIFEST, namespace, url, name, Site(manifest, kind), (url,), (name,))


def mlrun_service_of(system: MlrunSystem) -> ProjectService:
    """The `mlrun-builder` service of an MLRun system (module docstring)."""
    from reglint.platform.mlrun_service import SERVICE_NAME, RegistryLocation

    builder, assignment = system.service, system.assignment

    def site(placed: PlacedSetting) -> Site:
        return Site(system.document_of(placed), placed.setting.path, placed.setting.on_key)

    url = site(builder.url) if builder.url is not None else None
    templates = tuple(site(t.setting) for t in builder.templates if t.setting is not None)
    others = tuple(site(p) for p in system.settings)
    first = url or others[0]
    on_cluster = builder.location is RegistryLocation.ON_CLUSTER
    view = RegistryService(
        name=SERVICE_NAME,
        system=assignment.system,
        environment=assignment.environment,
        tenant=assignment.tenant,
        type=ServiceType.ON_CLUSTER if on_cluster else ServiceType.EXTERNAL,
        role=ServiceRole.USER,
        url=builder.repository_url,
        image_prefix=builder.image_prefix,
    )
    return ProjectService(
        view,
        ServiceSource.MLRUN,
        builder.namespace,
        url,
        first,
        first,
        namespace_sites=tuple(dict.fromkeys((*((url,) if url else ()), *templates))),
        sites=tuple(dict.fromkeys((first, *others))),
        local=on_cluster,
        mlrun=system,
    )


@dataclass(frozen=True, slots=True)
class PolicyLink:
    """One `spec.iamPolicies` (or `repositoryPolicies`) entry of a manifest and what it
    resolved to: policy documents, or an identity of an IaC source (`path#ref`)."""

    manifest: Document
    index: int  # position in spec.iamPolicies
    entry: str  # as written
    policies: tuple[Document, ...] = ()
    error: str | None = None  # why the link is broken (RL302), or None
    # `path#ref` (SPEC §6.2): the IaC source (`iac.sources.IacSource`) and the addresses
    # of the role, user, group or policy the entry names in it.
    infrastructure: Any = None
    addresses: tuple[str, ...] = ()
    key: str = "iamPolicies"  # the manifest's list that holds the entry


@dataclass(slots=True)
class Project:
    root: Path
    sources: list[SourceFile] = field(default_factory=list)  # reported and context files
    links: dict[Document, tuple[PolicyLink, ...]] = field(default_factory=dict)
    # The config's `platform-systems`, in order: which system a file's MLRun settings configure.
    platform_systems: tuple[tuple[GlobSet, SystemAssignment], ...] = ()
    # Each manifest's `auth`-side repository policies (`spec.repositoryPolicies`, SPEC §6.2).
    repository_links: dict[Document, tuple[PolicyLink, ...]] = field(default_factory=dict)
    _services: list[ProjectService] | None = field(default=None, init=False, repr=False)
    _mlrun: tuple[list[MlrunSystem], list[Document]] | None = field(default=None, init=False, repr=False)

    def documents(self, kind: DocumentKind) -> Iterator[Document]:
        for source in self.sources:
            for document in source.documents:
                if document.kind is kind:
                    yield document

    def service(self, manifest: Document) -> RegistryService:
        return manifest_service(manifest)

    def manifests(self) -> list[Document]:
        """Every manifest of the project (reported and context), in path order."""
        found = list(self.documents(DocumentKind.MANIFEST))
        found.sort(key=lambda d: (d.file.path, d.index))
        return found

    def services(self) -> list[ProjectService]:
        """Every registry service of the project, from every source: the manifests' (in
        path order), then each MLRun system's `mlrun-builder` (by tenant and system)."""
        if self._services is None:
            self._services = [manifest_service_of(m) for m in self.manifests()]
            self._services += [mlrun_service_of(system) for system in self.mlrun_systems()]
        return self._services

    def mlrun_systems(self) -> list[MlrunSystem]:
        """The MLRun systems the platform sources make (SPEC §6.3)."""
        return self._mlrun_systems()[0]

    def unassigned_settings(self) -> list[Document]:
        """Documents of MLRun settings that no `platform-systems` glob assigns a system."""
        return self._mlrun_systems()[1]

    def _mlrun_systems(self) -> tuple[list[MlrunSystem], list[Document]]:
        if self._mlrun is None:
            platform = sorted(self.documents(DocumentKind.PLATFORM), key=lambda d: (d.file.path, d.index))
            if platform:
                from reglint.platform.mlrun_systems import mlrun_systems

                self._mlrun = mlrun_systems(platform, self.platform_systems, self.root)
            else:
                self._mlrun = ([], [])
        return self._mlrun

    def secrets(self) -> Iterator[tuple[Document, SecretRecord]]:
        """Every Secret of the project (reported and context), with its document, in path order."""
        from reglint.platform.documents import platform_records

        platform = sorted(self.documents(DocumentKind.PLATFORM), key=lambda d: (d.file.path, d.index))
        for document in platform:
            for record in platform_records(document).secrets:
                yield document, record

    def policy_links(self, manifest: Document) -> tuple[PolicyLink, ...]:
        return self.links.get(manifest, ())

    def linked_policy_files(self) -> frozenset[Path]:
        """Files that some manifest links to as its push policy."""
        return frozenset(
            p.file.path for links in self.links.values() for link in links for p in link.policies
        )


def find_project_root(first: Path, *, configs: bool = True) -> Path:
    """SPEC §1.3: from the first named path upward, the nearest folder holding a config
    file, else the git top level, else the named folder (or the named file's folder).
    `configs=False` (`--isolated`): config files mark nothing."""
    start = first if first.is_dir() else first.parent
    for directory in (start, *start.parents) if configs else ():
        if has_config(directory) is not None:
            return directory
    return git_top_level(start) or start
