"""Registry families: which service a registry host belongs to, and its canonical name.

Recognising the family lets messages speak the user's language ("Amazon ECR", "GitHub
Container Registry") and lets normalisation merge aliases: Docker Hub answers as
`docker.io`, `index.docker.io` and `registry-1.docker.io` (distribution/reference's
`normalize.go` maps the legacy `index.docker.io` to `docker.io`; `registry-1` is the
host Docker Hub's API actually serves from).
"""

from __future__ import annotations

import enum
import re

from reglint.model.ecr import is_ecr_attempt, is_ecr_public_host

__all__ = [
    "DEFAULT_PORT",
    "DOCKER_HUB",
    "DOCKER_HUB_ALIASES",
    "RegistryFamily",
    "canonical_registry",
    "registry_family",
]

DOCKER_HUB = "docker.io"
DOCKER_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})
# Registries speak HTTPS (the distribution API), so 443 names the same endpoint as no port.
DEFAULT_PORT = 443

# Azure Container Registry: public cloud and the sovereign clouds (China, US Government).
# https://learn.microsoft.com/azure/container-registry/container-registry-get-started-portal
_ACR = re.compile(r"^[a-z0-9-]+\.azurecr\.(?:io|cn|us)$")
# Artifact Registry's Docker hosts: `<location>-docker.pkg.dev`.
# https://cloud.google.com/artifact-registry/docs/docker/names
_ARTIFACT_REGISTRY = re.compile(r"^[a-z0-9-]+-docker\.pkg\.dev$")
# Container Registry: gcr.io and its regional hosts us., eu., asia.gcr.io.
_GCR = re.compile(r"^(?:[a-z0-9-]+\.)?gcr\.io$")


class RegistryFamily(enum.Enum):
    """A registry service; the value is its name for messages."""

    DOCKER_HUB = "Docker Hub"
    ECR = "Amazon ECR"
    ECR_PUBLIC = "Amazon ECR Public"
    ACR = "Azure Container Registry"
    ARTIFACT_REGISTRY = "Google Artifact Registry"
    GCR = "Google Container Registry"
    GHCR = "GitHub Container Registry"
    QUAY = "Quay"
    GENERIC = "registry"

    @property
    def is_aws(self) -> bool:
        """ECR and ECR Public: pushed to with AWS credentials (iam-role or access-keys)."""
        return self in (RegistryFamily.ECR, RegistryFamily.ECR_PUBLIC)


def registry_family(host: str | None) -> RegistryFamily:
    """The family of a registry host (without port); None (no host) means Docker Hub.

    A broken attempt at an ECR host is ECR too (SPEC §1.1): RL103 explains what is broken.
    """
    if host is None:
        return RegistryFamily.DOCKER_HUB
    host = host.lower()
    if host in DOCKER_HUB_ALIASES:
        return RegistryFamily.DOCKER_HUB
    if is_ecr_public_host(host):
        return RegistryFamily.ECR_PUBLIC
    if is_ecr_attempt(host):
        return RegistryFamily.ECR
    if _ACR.match(host):
        return RegistryFamily.ACR
    if _ARTIFACT_REGISTRY.match(host):
        return RegistryFamily.ARTIFACT_REGISTRY
    if _GCR.match(host):
        return RegistryFamily.GCR
    if host == "ghcr.io":
        return RegistryFamily.GHCR
    if host == "quay.io":
        return RegistryFamily.QUAY
    return RegistryFamily.GENERIC


def canonical_registry(host: str | None, port: int | None) -> str:
    """`host[:port]` normalised: lower case, port 443 dropped, Docker Hub as `docker.io`.

    Only 443 is dropped: port 80 is plain HTTP, a different endpoint.
    """
    if host is None:
        return DOCKER_HUB
    host = host.lower()
    if host in DOCKER_HUB_ALIASES:
        host = DOCKER_HUB
    if port is None or port == DEFAULT_PORT:
        return host
    return f"{host}:{port}"
