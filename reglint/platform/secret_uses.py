"""Do the Secrets an MLRun system names exist, and do they fit the registry? (SPEC §6.3)

`secret_use_problems(service, secrets)` checks the `mlrun-builder` service's secret names
against every Secret the project declares (`SecretRecord`s of all its files):

- MISSING (RL302, a `note`): no Secret, SealedSecret or ExternalSecret makes a Secret of
  that name. Secrets are often created outside the repository (`kubectl create secret`,
  a vault operator), hence only a note. Names are compared without namespaces: the
  settings rarely say which namespace MLRun runs in.
- HOST_MISMATCH (RL105): a docker-registry Secret used for the URL offers no credentials
  for the URL's registry (host and port; Docker Hub's aliases are one; a `*.` glob host
  matches as the kubelet matches it). A Secret whose payload is a template serves any
  registry.
- WRONG_KIND (RL105): the Secret cannot work the way MLRun or Nuclio mounts it. For an
  ECR URL (as MLRun recognises one) the builder secret and Nuclio's kaniko secret are
  mounted as an AWS credentials file, so they need a `credentials` key; for any other
  URL MLRun mounts the builder secret's `.dockerconfigjson` key as kaniko's
  `config.json` (mlrun builder `_configure_ecr_env_and_init_container` / `mount_secret`).

A placeholder name, a URL that is unset, unknown or invalid, and Secrets whose contents
reglint cannot read (SealedSecret, ExternalSecret, a malformed payload) give no
HOST_MISMATCH or WRONG_KIND: an unknown value never causes a finding.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import NamedTuple

from reglint.model.namespace import RegistryNamespace
from reglint.platform.mlrun_service import BuilderService, PlacedSetting, mlrun_recognises_ecr
from reglint.platform.records import ValueState
from reglint.platform.secrets import SecretRecord

__all__ = ["SecretUse", "SecretUseProblem", "SecretUseProblemKind", "secret_use_problems"]

_AWS_KEY = "credentials"
_DOCKER_KEY = ".dockerconfigjson"


class SecretUse(enum.Enum):
    BUILDER = "builder"  # MLRun's builder secret
    PULL = "pull"  # global.registry.secretName: the pods' imagePullSecret
    KANIKO = "kaniko"  # Nuclio's registryProviderSecretName


class SecretUseProblemKind(enum.Enum):
    MISSING = "missing"  # RL302 note
    HOST_MISMATCH = "host-mismatch"  # RL105
    WRONG_KIND = "wrong-kind"  # RL105


class SecretUseProblem(NamedTuple):
    kind: SecretUseProblemKind
    use: SecretUse
    setting: PlacedSetting  # the setting that names the Secret: the finding sits there
    secrets: tuple[SecretRecord, ...]  # the Secrets of that name (related locations)
    message: str


def secret_use_problems(
    service: BuilderService, secrets: Iterable[SecretRecord]
) -> tuple[SecretUseProblem, ...]:
    """What is wrong with the Secrets `service` names (module docstring)."""
    by_name: dict[str, list[SecretRecord]] = {}
    for record in secrets:
        if record.declaration.name is not None:
            by_name.setdefault(record.declaration.name, []).append(record)
    registry = _registry(service)
    ecr = registry is not None and mlrun_recognises_ecr(registry)
    problems: list[SecretUseProblem] = []
    uses = (
        (SecretUse.BUILDER, service.builder_secret),
        (SecretUse.PULL, service.pull_secret),
        (SecretUse.KANIKO, service.kaniko_secret),
    )
    for use, placed in uses:
        if placed is None or placed.setting.state is not ValueState.LITERAL:
            continue
        name = (placed.setting.value or "").strip()
        records = tuple(by_name.get(name, ()))
        if not records:
            message = (
                f"no Secret named '{name}' in the project ({placed.setting.key}); "
                "if it is created outside the repository, ignore this note"
            )
            problems.append(
                SecretUseProblem(SecretUseProblemKind.MISSING, use, placed, records, message)
            )
            continue
        if registry is None or not all(r.declaration.contents_known for r in records):
            continue
        problem = _fit(use, name, records, registry, ecr)
        if problem is not None:
            kind, message = problem
            problems.append(SecretUseProblem(kind, use, placed, records, message))
    return tuple(problems)


def _fit(
    use: SecretUse, name: str, records: tuple[SecretRecord, ...], registry: str, ecr: bool
) -> tuple[SecretUseProblemKind, str] | None:
    keys = frozenset().union(*(r.declaration.keys for r in records))
    if use is not SecretUse.PULL and ecr:
        if _AWS_KEY not in keys:
            return SecretUseProblemKind.WRONG_KIND, (
                f"for an ECR registry, {'MLRun' if use is SecretUse.BUILDER else 'Nuclio'} mounts "
                f"Secret '{name}' as an AWS credentials file, but it has no '{_AWS_KEY}' key "
                "(create it with --from-file=credentials=…, or leave it unset to use the "
                "instance role)"
            )
        return None
    if use is SecretUse.KANIKO:
        return None  # Nuclio uses it for ECR only
    if use is SecretUse.BUILDER and _DOCKER_KEY not in keys:
        return SecretUseProblemKind.WRONG_KIND, (
            f"MLRun mounts the '{_DOCKER_KEY}' key of Secret '{name}' as kaniko's config.json, "
            "but the Secret has no such key (create it with kubectl create secret docker-registry)"
        )
    verdicts = [r.serves(registry) for r in records]
    if any(v is None for v in verdicts) or any(verdicts):
        return None
    return SecretUseProblemKind.HOST_MISMATCH, (
        f"Secret '{name}' holds no credentials for registry '{registry}', the host of the "
        "MLRun registry URL: add the host to its auths, or use a Secret made for this registry"
    )


def _registry(service: BuilderService) -> str | None:
    """The canonical host[:port] the service pushes to, when it is known."""
    if service.repository_url is None:
        return None
    namespace = RegistryNamespace.from_url(service.repository_url)
    return namespace.registry if namespace is not None else None
