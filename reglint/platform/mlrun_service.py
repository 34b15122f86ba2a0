"""The registry service a system's MLRun settings make (SPEC §6.3).

All the MLRun settings of one system (every file `platform-systems` maps to it) become
one registry service named `mlrun-builder`, role `user`, for RL101, RL102–RL104, RL301
and RL303. `builder_service(settings)` computes it:

- **URL and location.** An unset URL (no setting, `""`, null, the chart's `mustprovide`)
  or an in-cluster host (`*.svc`, `*.svc.cluster.local`, `localhost`, a loopback address)
  is the on-cluster registry; a placeholder is UNKNOWN, which RL101 must read as
  external (an unknown value never causes a finding); anything else is external.
- **Namespace.** MLRun pushes to `<registry>/<repository>/<prefix>…`, its repository
  being the URL's path or, when the URL has none, `mlrun` (mlrun/utils/helpers.py
  `get_parsed_docker_registry`, `get_docker_repository_or_default`: a URL without `/` is
  a registry, never a Docker Hub repository). The prefix is the literal start of the
  image-name prefix template, up to its first `{` (or `$`, an unknown value; a template
  from a `valueFrom` leaves the prefix, and so the namespace, unknown): MLRun's
  `function_target_image_name_prefix_template` when set, else Nuclio's
  `imageNamePrefixTemplate` when set, else MLRun's default `func-{project}-{name}`. The
  namespace is then computed as for a manifest (`RegistryNamespace`).
- **Secrets.** The builder secret, the pull secret (`global.registry.secretName`) and
  Nuclio's kaniko secret, each with the file and path it came from;
  `secret_use_problems` checks them against the project's Secrets (RL302, RL105).

Decisions where the SPEC is silent:

- **Conflicts.** Only settings MLRun would use take part (`Setting.shadowed` is False).
  Two files (or two containers) of one system that give different literal values for one
  setting — two values files with two URLs — are a conflict: which one wins depends on
  the order Helm or kubectl applies them, which reglint cannot know. The service takes
  the first (by file, document, data path) so that RL102–RL104 and RL301 still run, and
  `conflicts` names the others, for an RL303 finding on each. A placeholder never
  conflicts with a literal (it may resolve to it); URLs compare by namespace, so
  `host/ml` and `host/ml/` agree.
- **Both templates set**, with different literal starts: the namespace takes their
  longest common prefix, the string that every image of the system starts with.
- **On-cluster namespaces** are computed, but an in-cluster host names a different
  registry in each cluster: RL301 must not compare them across systems.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable
from typing import NamedTuple

from reglint.model.ecr import parse_ecr_host
from reglint.model.namespace import RegistryNamespace
from reglint.model.reference import parse_reference
from reglint.platform.mlrun_records import Setting, SettingName
from reglint.platform.records import ValueState

__all__ = [
    "DEFAULT_PREFIX_TEMPLATE",
    "DEFAULT_REPOSITORY",
    "SERVICE_NAME",
    "SERVICE_ROLE",
    "BuilderService",
    "PlacedSetting",
    "PrefixTemplate",
    "RegistryLocation",
    "SettingConflict",
    "builder_service",
    "in_cluster_host",
    "mlrun_ecr_host_problem",
    "mlrun_recognises_ecr",
    "mlrun_repository_url",
    "template_prefix",
]

SERVICE_NAME = "mlrun-builder"
SERVICE_ROLE = "user"
DEFAULT_REPOSITORY = "mlrun"  # mlrun/utils/helpers.py get_docker_repository_or_default
DEFAULT_PREFIX_TEMPLATE = "func-{project}-{name}"  # mlrun/config.py
_IN_CLUSTER_SUFFIXES = (".svc", ".svc.cluster.local")


class RegistryLocation(enum.Enum):
    ON_CLUSTER = "on-cluster"
    EXTERNAL = "external"
    UNKNOWN = "unknown"  # a placeholder URL: never a finding (RL101 reads it as external)


class PlacedSetting(NamedTuple):
    """A setting and where it was found."""

    file: str  # the file's path as the integration names it
    document: int  # the document's index in the file
    setting: Setting

    @property
    def order(self) -> tuple[str, int, str]:
        return (self.file, self.document, repr(self.setting.path))


class SettingConflict(NamedTuple):
    """Settings of one system that give different literal values for one setting."""

    name: SettingName
    chosen: PlacedSetting  # the one the service uses
    others: tuple[PlacedSetting, ...]  # each differs from `chosen`


class PrefixTemplate(NamedTuple):
    """An image-name prefix template and its literal start (RL104 checks it at its path)."""

    setting: PlacedSetting | None  # None: MLRun's default
    prefix: str


class BuilderService(NamedTuple):
    """The `mlrun-builder` service of one system."""

    url: PlacedSetting | None  # the URL setting in effect; None when none is set
    location: RegistryLocation
    repository_url: str | None  # where MLRun pushes (`host/mlrun` for a URL with no path)
    templates: tuple[PrefixTemplate, ...]  # the prefix templates in effect
    image_prefix: str | None  # what every image name starts with after the repository
    # URL; None when a template is unknown (a `valueFrom`)
    namespace: RegistryNamespace | None  # None: no URL, or an unknown or invalid one
    builder_secret: PlacedSetting | None
    pull_secret: PlacedSetting | None
    kaniko_secret: PlacedSetting | None
    conflicts: tuple[SettingConflict, ...]


def builder_service(settings: Iterable[PlacedSetting]) -> BuilderService:
    """The service that all the settings of one system make (module docstring)."""
    in_effect = sorted((s for s in settings if not s.setting.shadowed), key=lambda s: s.order)
    chosen: dict[SettingName, PlacedSetting | None] = {}
    conflicts: list[SettingConflict] = []
    for name in SettingName:
        pick, conflict = _choose([s for s in in_effect if s.setting.name is name])
        chosen[name] = pick
        if conflict is not None:
            conflicts.append(conflict)
    url = chosen[SettingName.REGISTRY_URL]
    location, repository_url = _location(url)
    template_settings = (
        chosen[SettingName.PREFIX_TEMPLATE],
        chosen[SettingName.NUCLIO_PREFIX_TEMPLATE],
    )
    templates = _templates(*template_settings)
    unknown = any(
        t is not None and t.setting.state is ValueState.PLACEHOLDER for t in template_settings
    )
    image_prefix = None if unknown else os.path.commonprefix([t.prefix for t in templates])
    namespace = None
    if repository_url is not None and image_prefix is not None:
        namespace = RegistryNamespace.from_url(repository_url, image_prefix)
    return BuilderService(
        url=url,
        location=location,
        repository_url=repository_url,
        templates=templates,
        image_prefix=image_prefix,
        namespace=namespace,
        builder_secret=_known(chosen[SettingName.BUILDER_SECRET]),
        pull_secret=_known(chosen[SettingName.PULL_SECRET]),
        kaniko_secret=_known(chosen[SettingName.KANIKO_SECRET]),
        conflicts=tuple(conflicts),
    )


def mlrun_repository_url(url: str) -> str:
    """The URL MLRun pushes under: `url`, or `url/mlrun` when it names no repository."""
    text = url.strip()
    first, _, rest = text.partition("/")
    return f"{first}/{DEFAULT_REPOSITORY}" if not rest.strip("/") else text


def template_prefix(template: str) -> str:
    """The literal start of an image-name prefix template: up to its first `{`
    (`{project}`, `{{ .ProjectName }}`) or `$` (`${VAR}`, `$(VAR)`: unknown text)."""
    cuts = [i for i in (template.find("{"), template.find("$")) if i >= 0]
    return template[: min(cuts)] if cuts else template


def in_cluster_host(host: str) -> bool:
    """True for a host that names a registry inside the cluster (or the machine)."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(_IN_CLUSTER_SUFFIXES):
        return True
    import ipaddress  # imported when first needed, not with the module

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def mlrun_ecr_host_problem(host: str) -> str | None:
    """Why MLRun will not create repositories on this ECR host (RL103 warning), or None.

    MLRun creates the target repository before a build only when the registry passes its
    `is_ecr_url` test (mlrun/utils/helpers.py: `".ecr." in registry and ".amazonaws.com"
    in registry`); the kaniko push then fails, as ECR has no repository to push to.
    Dual-stack (`dkr-ecr…on.aws`), FIPS (`dkr.ecr-fips`) and the hosts of partitions
    outside `amazonaws.com` fail that test.
    """
    ecr = parse_ecr_host(host)
    if ecr is None or mlrun_recognises_ecr(host):
        return None
    if ecr.dual_stack:
        what = "a dual-stack ECR host"
        suffix = "amazonaws.com.cn" if ecr.partition == "aws-cn" else "amazonaws.com"
    elif ecr.fips:
        what, suffix = "a FIPS ECR host", ecr.dns_suffix
    else:
        return (
            f"MLRun creates ECR repositories only on '<account>.dkr.ecr.<region>.amazonaws.com' "
            f"hosts, not on '.{ecr.dns_suffix}' ones: its builds will fail to push until each "
            "repository is created by other means"
        )
    ipv4 = f"{ecr.account}.dkr.ecr.{ecr.region}.{suffix}"
    return (
        f"MLRun does not recognise {what} as ECR, so it never creates the repositories its "
        f"builds push to: use '{ipv4}'"
    )


def mlrun_recognises_ecr(registry: str) -> bool:
    """MLRun's own `is_ecr_url` test (mlrun/utils/helpers.py), on a host or a URL."""
    lowered = registry.lower()
    return ".ecr." in lowered and ".amazonaws.com" in lowered


def _choose(candidates: list[PlacedSetting]) -> tuple[PlacedSetting | None, SettingConflict | None]:
    """The setting in effect among a system's candidates (in order), and the conflict."""
    for state in (ValueState.LITERAL, ValueState.PLACEHOLDER, ValueState.EMPTY):
        found = [c for c in candidates if c.setting.state is state]
        if found:
            break
    else:
        return None, None
    chosen = found[0]
    if state is not ValueState.LITERAL:
        return chosen, None
    identity = _identity(chosen.setting)
    others = tuple(c for c in found[1:] if _identity(c.setting) != identity)
    return chosen, (SettingConflict(chosen.setting.name, chosen, others) if others else None)


def _identity(setting: Setting) -> str:
    """What two literal values must share to agree."""
    text = (setting.value or "").strip()
    if setting.name is SettingName.REGISTRY_URL:
        namespace = RegistryNamespace.from_url(mlrun_repository_url(text))
        return namespace.text if namespace is not None else text
    if setting.name in (SettingName.PREFIX_TEMPLATE, SettingName.NUCLIO_PREFIX_TEMPLATE):
        return template_prefix(text)
    return text


def _location(url: PlacedSetting | None) -> tuple[RegistryLocation, str | None]:
    if url is None or url.setting.state is ValueState.EMPTY:
        return RegistryLocation.ON_CLUSTER, None
    if url.setting.state is ValueState.PLACEHOLDER or url.setting.value is None:
        return RegistryLocation.UNKNOWN, None  # a `valueFrom` is unknown, not unset
    repository_url = mlrun_repository_url(url.setting.value)
    host = parse_reference(repository_url).host  # also a broken URL's best-effort host
    if host is not None and in_cluster_host(host):
        return RegistryLocation.ON_CLUSTER, repository_url
    return RegistryLocation.EXTERNAL, repository_url


def _templates(
    mlrun: PlacedSetting | None, nuclio: PlacedSetting | None
) -> tuple[PrefixTemplate, ...]:
    known = [t for t in (mlrun, nuclio) if t is not None and t.setting.state is ValueState.LITERAL]
    if not known:
        return (PrefixTemplate(None, template_prefix(DEFAULT_PREFIX_TEMPLATE)),)
    return tuple(PrefixTemplate(t, template_prefix(t.setting.value or "")) for t in known)


def _known(setting: PlacedSetting | None) -> PlacedSetting | None:
    """A secret name that is set (a placeholder too: it is checked as unknown)."""
    if setting is None or setting.setting.state is ValueState.EMPTY:
        return None
    return setting
