"""Registry namespaces (SPEC §2), registry families and image-prefix validity."""

from __future__ import annotations

import pytest

from reglint.model.namespace import (
    RegistryNamespace,
    image_prefix_problems,
    repository_name_limit,
)
from reglint.model.registries import RegistryFamily, canonical_registry, registry_family
from reglint.model.service import RegistryService

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"


def ns(url: str, prefix: str = "") -> RegistryNamespace:
    namespace = RegistryNamespace.from_url(url, prefix)
    assert namespace is not None, url
    return namespace


# fmt: off
NAMESPACE_TEXT_CASES = [
    (f"{ECR}/ml-prod", "runtime-", f"{ECR}/ml-prod/runtime-"),
    (f"{ECR}/ml-prod/", "", f"{ECR}/ml-prod/"),  # the URL's trailing '/' is dropped first
    (ECR, "", f"{ECR}/"),
    (ECR, "ml-", f"{ECR}/ml-"),
    ("Registry.Example.COM/ml", "", "registry.example.com/ml/"),  # host lower-cased
    ("registry.example.com:443/ml", "", "registry.example.com/ml/"),  # default port dropped
    ("registry.example.com:5000/ml", "", "registry.example.com:5000/ml/"),
    ("docker.io/team", "", "docker.io/team/"),
    ("index.docker.io/team", "", "docker.io/team/"),
    ("registry-1.docker.io/team", "", "docker.io/team/"),
    ("team", "", "docker.io/team/"),  # no host means Docker Hub
    ("team/ml", "x-", "docker.io/team/ml/x-"),
    ("[::1]:5000/ml", "", "[::1]:5000/ml/"),
]
# fmt: on


@pytest.mark.parametrize(("url", "prefix", "text"), NAMESPACE_TEXT_CASES)
def test_namespace_text(url: str, prefix: str, text: str) -> None:
    namespace = ns(url, prefix)
    assert namespace.text == text
    assert str(namespace) == text


def test_prefix_with_slash_equals_the_longer_url() -> None:
    # SPEC §2: `h/ml/` + prefix `team/` equals `h/ml/team/`.
    assert ns("reg.example.com/ml", "team/") == ns("reg.example.com/ml/team")
    assert ns("reg.example.com/ml/", "team/") == ns("reg.example.com/ml/team/")
    assert hash(ns("reg.example.com/ml", "team/")) == hash(ns("reg.example.com/ml/team"))


def test_docker_hub_aliases_are_one_namespace() -> None:
    spellings = [
        "team/ml",
        "docker.io/team/ml",
        "index.docker.io/team/ml",
        "registry-1.docker.io/team/ml",
        "DOCKER.IO/team/ml",
        "docker.io:443/team/ml",
    ]
    assert {ns(url) for url in spellings} == {RegistryNamespace("docker.io", "team/ml/")}


def test_iguazio_user_and_system_registries_are_apart() -> None:
    user = ns(f"{ECR}/my-igz-system-runtime")
    system = ns(f"{ECR}/my-igz-system")
    assert user != system
    assert not user.overlaps(system)
    assert not system.overlaps(user)


def test_overlap_is_a_proper_string_prefix() -> None:
    shorter = ns("reg.example.com/ml", "ml-")
    longer = ns("reg.example.com/ml", "ml-prod-")
    assert shorter.overlaps(longer) and longer.overlaps(shorter)
    assert not shorter.overlaps(ns("reg.example.com/ml", "ml-"))  # equal is a collision
    assert ns("reg.example.com/ml").overlaps(ns("reg.example.com/ml/team"))
    assert not ns("reg.example.com/ml").overlaps(ns("other.example.com/ml"))


def test_namespace_of_a_service() -> None:
    service = RegistryService.from_data(
        {"spec": {"url": f"{ECR}/my-igz-system", "imagePrefix": "runtime-"}}
    )
    assert RegistryNamespace.of_service(service) == ns(f"{ECR}/my-igz-system", "runtime-")
    no_prefix = RegistryService.from_data({"spec": {"url": f"{ECR}/ml"}})
    assert RegistryNamespace.of_service(no_prefix) == RegistryNamespace(ECR, "ml/")
    assert RegistryNamespace.of_service(RegistryService.from_data({"spec": {}})) is None


def test_invalid_url_has_no_namespace() -> None:
    assert RegistryNamespace.from_url("https://reg.example.com/ml") is None
    assert RegistryNamespace.from_url("reg.example.com/ML") is None


# fmt: off
ECR_REPOSITORY_ARN_PATTERN_CASES = [
    (f"{ECR}/ml-prod", "runtime-",
     "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/runtime-*"),
    (f"{ECR}/ml-prod", "", "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*"),
    (ECR, "runtime-", "arn:aws:ecr:us-east-2:123456789012:repository/runtime-*"),
    (ECR, "", "arn:aws:ecr:us-east-2:123456789012:repository/*"),
    (f"{ECR}:443/ml", "", "arn:aws:ecr:us-east-2:123456789012:repository/ml/*"),
    ("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/ml", "",
     "arn:aws-cn:ecr:cn-north-1:123456789012:repository/ml/*"),
    ("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/ml", "",
     "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/ml/*"),
    ("123456789012.dkr-ecr.eu-west-1.on.aws/ml", "",
     "arn:aws:ecr:eu-west-1:123456789012:repository/ml/*"),
    ("123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov/ml", "",
     "arn:aws-iso-b:ecr:us-isob-east-1:123456789012:repository/ml/*"),
    # A region newer than botocore's data still has a partition (from its shape).
    ("123456789012.dkr.ecr.us-east-9.amazonaws.com/ml", "",
     "arn:aws:ecr:us-east-9:123456789012:repository/ml/*"),
]
# fmt: on


@pytest.mark.parametrize(("url", "prefix", "arn"), ECR_REPOSITORY_ARN_PATTERN_CASES)
def test_ecr_repository_arn_pattern(url: str, prefix: str, arn: str) -> None:
    namespace = ns(url, prefix)
    assert namespace.ecr_repository_arn_pattern() == arn
    assert namespace.ecr_host is not None


@pytest.mark.parametrize(
    "url",
    [
        "public.ecr.aws/my-alias",
        "registry.example.com/ml",
        "ghcr.io/org",
        "12345678901.dkr.ecr.us-east-2.amazonaws.com/ml",
    ],
)
def test_no_arn_for_non_ecr_or_broken_ecr(url: str) -> None:
    assert ns(url).ecr_repository_arn_pattern() is None


# fmt: off
REGISTRY_FAMILY_CASES = [
    (None, RegistryFamily.DOCKER_HUB),
    ("docker.io", RegistryFamily.DOCKER_HUB),
    ("index.docker.io", RegistryFamily.DOCKER_HUB),
    ("registry-1.docker.io", RegistryFamily.DOCKER_HUB),
    (ECR, RegistryFamily.ECR),
    ("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", RegistryFamily.ECR),
    ("123456789012.dkr-ecr.us-east-1.on.aws", RegistryFamily.ECR),
    ("123456789012.dkr.ecr..amazonaws.com", RegistryFamily.ECR),  # a broken attempt
    ("public.ecr.aws", RegistryFamily.ECR_PUBLIC),
    ("ecr-public.aws.com", RegistryFamily.ECR_PUBLIC),
    ("myregistry.azurecr.io", RegistryFamily.ACR),
    ("myregistry.azurecr.cn", RegistryFamily.ACR),
    ("myregistry.azurecr.us", RegistryFamily.ACR),
    ("europe-west4-docker.pkg.dev", RegistryFamily.ARTIFACT_REGISTRY),
    ("us-docker.pkg.dev", RegistryFamily.ARTIFACT_REGISTRY),
    ("gcr.io", RegistryFamily.GCR),
    ("eu.gcr.io", RegistryFamily.GCR),
    ("ghcr.io", RegistryFamily.GHCR),
    ("quay.io", RegistryFamily.QUAY),
    ("registry.example.com", RegistryFamily.GENERIC),
    ("localhost", RegistryFamily.GENERIC),
    ("azurecr.io.example.com", RegistryFamily.GENERIC),
]
# fmt: on


@pytest.mark.parametrize(("host", "family"), REGISTRY_FAMILY_CASES)
def test_registry_family(host: str | None, family: RegistryFamily) -> None:
    assert registry_family(host) is family


def test_namespace_family_ignores_the_port() -> None:
    assert ns("registry-1.docker.io:5000/team").family is RegistryFamily.DOCKER_HUB
    assert ns("[::1]:5000/ml").host == "[::1]"


def test_canonical_registry() -> None:
    assert canonical_registry(None, None) == "docker.io"
    assert canonical_registry("Index.Docker.IO", 443) == "docker.io"
    assert canonical_registry("reg.example.com", 80) == "reg.example.com:80"


# fmt: off
IMAGE_PREFIX_PROBLEMS_CASES = [
    ("runtime-", ()),
    ("ml-", ()),
    ("ml_", ()),
    ("ml.", ()),
    ("ml__", ()),
    ("team/", ()),
    ("ml-prod/runtime-", ()),
    ("Runtime-", ("component 'Runtime-' has upper case; repository names are lower case",)),
    ("-ml", ("component '-ml' starts with '-'; it must start with a letter or digit",)),
    ("_ml", ("component '_ml' starts with '_'; it must start with a letter or digit",)),
    (".ml", ("component '.ml' starts with '.'; it must start with a letter or digit",)),
    ("/ml", ("starts with '/'",)),
    ("ml//", ("has an empty segment ('//')",)),
    ("ml x", ("component 'ml x' has whitespace; remove it",)),
    ("ml@", (("component 'ml@' has '@'; only a-z, 0-9 and the separators '.', '_', '__', "
              "'-' are allowed"),)),
    ("ml:", (("component 'ml:' has ':'; only a-z, 0-9 and the separators '.', '_', '__', "
              "'-' are allowed"),)),
    ("ml___", (("component 'ml___' has '___', which is not a separator: use one '.', one "
                "'_', two '__' or any number of '-'"),)),
    ("ml-/x", ("component 'ml-' ends with '-'; it must end with a letter or digit",)),
]
# fmt: on


@pytest.mark.parametrize(("prefix", "problems"), IMAGE_PREFIX_PROBLEMS_CASES)
def test_image_prefix_problems(prefix: str, problems: tuple[str, ...]) -> None:
    assert image_prefix_problems(prefix) == problems


def test_repository_name_limits() -> None:
    assert repository_name_limit(RegistryFamily.ECR_PUBLIC) == 205
    assert repository_name_limit(RegistryFamily.ECR) == 255
    assert repository_name_limit(RegistryFamily.GENERIC) == 255
