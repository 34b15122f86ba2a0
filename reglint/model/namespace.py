"""A service's registry namespace: the string every image it pushes starts with.

SPEC §2: `host/path/` + `imagePrefix`, with the host lower-cased, port 443 dropped, the
Docker Hub aliases written `docker.io` (and no host meaning `docker.io`), and a trailing
`/` of the URL dropped before the `/` is added. Because the prefix is prepended to image
names *as a string*, `h/ml/` + prefix `team/` is the same namespace as `h/ml/team/`; the
namespace therefore keeps only the registry and the repository-name prefix, and two
namespaces are equal exactly when their strings are.

Decision (SPEC silent): Docker Hub's `library/` is not inserted. Images are pushed
under the URL's path, so `docker.io/ml` stays `docker.io/ml/`; only a bare `docker.io`
URL would land in `library/`, which no one pushes to.
"""

from __future__ import annotations

from typing import NamedTuple

from reglint.model.ecr import EcrHost, parse_ecr_host
from reglint.model.reference import (
    MAX_PATH_LENGTH,
    RegistryReference,
    explain_path_component,
    parse_reference,
)
from reglint.model.registries import RegistryFamily, canonical_registry, registry_family
from reglint.model.service import RegistryService

__all__ = ["RegistryNamespace", "image_prefix_problems", "repository_name_limit"]

# ECR Public caps repository names at 205 characters (its CreateRepository API,
# botocore data/ecr-public/2020-10-30/service-2.json `RepositoryName`). Private ECR
# allows 256 (data/ecr/2015-09-21), but docker clients refuse a name over 255
# (distribution/reference RepositoryNameTotalLengthMax), so 255 is the limit that bites.
_ECR_PUBLIC_NAME_LIMIT = 205


class RegistryNamespace(NamedTuple):
    """`registry` is `host[:port]`, normalised; `repository_prefix` is what every
    repository name pushed by the service starts with (`ml/prod/runtime-`, or `""`)."""

    registry: str
    repository_prefix: str

    @classmethod
    def from_reference(
        cls, reference: RegistryReference, image_prefix: str = ""
    ) -> RegistryNamespace:
        """The namespace of a parsed URL plus an image prefix (taken as given)."""
        registry = canonical_registry(reference.host, reference.port)
        path = f"{reference.path}/" if reference.path else ""
        return cls(registry, path + image_prefix)

    @classmethod
    def from_url(cls, url: str, image_prefix: str = "") -> RegistryNamespace | None:
        """The namespace of a URL plus an image prefix; None when the URL is invalid."""
        reference = parse_reference(url)
        if not isinstance(reference, RegistryReference):
            return None
        return cls.from_reference(reference, image_prefix)

    @classmethod
    def of_service(cls, service: RegistryService) -> RegistryNamespace | None:
        """A service's namespace (its URL plus its image prefix); None without a valid URL."""
        if service.url is None:
            return None
        return cls.from_url(service.url, service.image_prefix or "")

    @property
    def text(self) -> str:
        """`host/path/prefix`: the string SPEC §2 compares."""
        return f"{self.registry}/{self.repository_prefix}"

    def __str__(self) -> str:
        return self.text

    @property
    def host(self) -> str:
        """The registry's host name, without port (`[::1]` keeps its brackets)."""
        if self.registry.startswith("["):
            return self.registry[: self.registry.index("]") + 1]
        return self.registry.partition(":")[0]

    @property
    def family(self) -> RegistryFamily:
        return registry_family(self.host)

    def overlaps(self, other: RegistryNamespace) -> bool:
        """True when one namespace is a proper string prefix of the other (RL301 warning):
        the shorter one's owner can push images that land in the longer one's space."""
        mine, theirs = self.text, other.text
        return mine != theirs and (mine.startswith(theirs) or theirs.startswith(mine))

    @property
    def ecr_host(self) -> EcrHost | None:
        """The private ECR host taken apart (account, region, partition), or None."""
        return parse_ecr_host(self.host)

    def ecr_repository_arn_pattern(self) -> str | None:
        """The repository ARN pattern the namespace covers, or None when not private ECR.

        `arn:<partition>:ecr:<region>:<account>:repository/<path>/<prefix>*`; with no
        path, `repository/<prefix>*`. The trailing `*` is IAM's wildcard: every
        repository whose name starts with the namespace's repository prefix.
        """
        ecr_host = self.ecr_host
        if ecr_host is None:
            return None
        return ecr_host.repository_arn(self.repository_prefix + "*")


def repository_name_limit(family: RegistryFamily) -> int:
    """The most characters a repository name (path + image name) may have."""
    return _ECR_PUBLIC_NAME_LIMIT if family is RegistryFamily.ECR_PUBLIC else MAX_PATH_LENGTH


def image_prefix_problems(prefix: str) -> tuple[str, ...]:
    """Why no image name can complete `prefix` into a valid repository name (SPEC RL104).

    Every `/`-separated component but the last must be a whole path component; the last
    may end in one separator (`ml-`, `team_`, or be empty after a trailing `/`), because
    the image name continues it.
    """
    components = prefix.split("/")
    problems: list[str] = []
    for index, component in enumerate(components):
        last = index == len(components) - 1
        if component == "" and not last:
            problem = "starts with '/'" if index == 0 else "has an empty segment ('//')"
        else:
            reason = explain_path_component(component, partial=last)
            problem = f"component '{component}' {reason}" if reason else ""
        if problem and problem not in problems:
            problems.append(problem)
    return tuple(problems)
