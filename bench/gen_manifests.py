"""Realistic, seeded registry service manifests (SPEC §1.1) for the benchmark corpus.

A *system* is drawn first (name, tenant, environment), then its services: the tenant's
on-cluster `docker-registry`, an external Custom User registry, sometimes a System
registry on the same ECR under another suffix. Registries vary the way real platforms
do: ECR in every partition (commercial, China, GovCloud), FIPS and dual-stack
endpoints, ECR Public, Docker Hub in its several spellings, GHCR, ACR, Artifact
Registry, Quay and self-hosted Harbor. The YAML is written by hand so that its style
varies too (flow and block mappings, quoting, comments, suppression comments,
multi-document files), and about one service in fifteen carries a mistake.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field, replace
from typing import Any

from gen_vocabulary import REGIONS, WORDS

ENVIRONMENTS = ("playground", "development", "staging", "production")
CPU = ("100m", "250m", "500m", "1", "2", "4")
MEMORY = ("128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi")
FIPS_REGIONS = ("us-east-1", "us-east-2", "us-west-2", "us-gov-west-1")
GAR_REGIONS = ("europe-west1", "us-central1", "asia-northeast1")
ACCESS_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True, slots=True)
class Registry:
    url: str
    kind: str  # "ecr", "ecr-public", "dockerhub", "ghcr", ...
    ecr: tuple[str, str, str] | None = None  # partition, region, account
    path: str = ""  # repository path in the URL, without host


@dataclass(slots=True)
class Service:
    system: str
    environment: str
    name: str
    tenant: str | None = None
    on_cluster: bool = False
    role: str = "user"
    registry: Registry | None = None
    prefix: str | None = None
    auth: dict[str, Any] = field(default_factory=dict)
    policies: list[str] = field(default_factory=list)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    mistake: str | None = None  # a text-level mistake applied when rendering

    @property
    def operational(self) -> bool:
        return self.environment != "playground"

    def push_arn_path(self) -> str:
        """The repository-name prefix this service pushes under (for a scoped policy)."""
        assert self.registry is not None
        return f"{self.registry.path}/{self.prefix or ''}"


class ManifestFactory:
    """Draws systems and services from one seeded random source."""

    def __init__(self, rng: random.Random, accounts: tuple[str, ...]) -> None:
        self.rng = rng
        self.accounts = accounts
        self._names: set[str] = set()

    def system_name(self) -> str:
        r = self.rng
        while True:
            parts = r.sample(WORDS, r.choice((1, 2, 2, 3)))
            suffix = r.choice(
                ("", "", "prod", "eu", "us", "dev", "lab", "v2", str(r.randrange(2, 99)))
            )
            name = "-".join([*parts, suffix] if suffix else parts)
            if name not in self._names:
                self._names.add(name)
                return name

    def registry(self, path: str) -> Registry:
        r = self.rng
        kind = r.choices(
            (
                "ecr",
                "ecr-cn",
                "ecr-gov",
                "ecr-fips",
                "ecr-dualstack",
                "ecr-public",
                "dockerhub",
                "ghcr",
                "acr",
                "gar",
                "quay",
                "harbor",
                "localhost",
            ),
            (44, 3, 3, 2, 2, 3, 10, 8, 8, 5, 3, 8, 1),
        )[0]
        account = r.choice(self.accounts)
        org = r.choice(WORDS) + r.choice(("", "corp", "labs", "-io"))
        if kind in ("ecr", "ecr-cn", "ecr-gov", "ecr-fips", "ecr-dualstack"):
            partition = {"ecr-cn": "aws-cn", "ecr-gov": "aws-us-gov"}.get(kind, "aws")
            region = r.choice(FIPS_REGIONS if kind == "ecr-fips" else REGIONS[partition])
            if kind == "ecr-fips" and region.startswith("us-gov"):
                partition = "aws-us-gov"
            host = {
                "ecr-fips": f"{account}.dkr.ecr-fips.{region}.amazonaws.com",
                "ecr-dualstack": f"{account}.dkr-ecr.{region}.on.aws",
                "ecr-cn": f"{account}.dkr.ecr.{region}.amazonaws.com.cn",
            }.get(kind, f"{account}.dkr.ecr.{region}.amazonaws.com")
            return Registry(f"{host}/{path}", "ecr", (partition, region, account), path)
        hosts = {
            "ecr-public": f"public.ecr.aws/{org}",
            "dockerhub": r.choice(
                (f"docker.io/{org}", org, f"index.docker.io/{org}", f"registry-1.docker.io/{org}")
            ),
            "ghcr": f"ghcr.io/{org}",
            "acr": f"{org.replace('-', '')}{r.randrange(10, 99)}.azurecr.io",
            "gar": f"{r.choice(GAR_REGIONS)}-docker.pkg.dev/{org}-{r.randrange(100, 999)}",
            "quay": f"quay.io/{org}",
            "harbor": r.choice((f"harbor.{org}.internal:8443", f"registry.{org}.example.com")),
            "localhost": "localhost:5000",
        }
        trailing = "/" if r.random() < 0.03 else ""
        return Registry(f"{hosts[kind]}/{path}{trailing}", kind, None, path)

    def auth(self, registry: Registry) -> dict[str, Any]:
        r = self.rng
        if registry.kind == "ecr-public":
            return {"method": "iam-role"}
        if registry.ecr is not None:
            if r.random() < 0.65:
                return {"method": "iam-role"}
            key = r.choice(("AKIA", "ASIA")) + "".join(
                r.choice(ACCESS_KEY_ALPHABET) for _ in range(16)
            )
            return {
                "method": "access-keys",
                "username": key,
                "password": self.secret("AWS_SECRET_ACCESS_KEY"),
            }
        if r.random() < 0.25:
            return {"method": "none"} if r.random() < 0.5 else {}
        return {
            "method": "basic",
            "username": f"{r.choice(WORDS)}-push",
            "password": self.secret("REGISTRY_PASSWORD"),
        }

    def secret(self, variable: str) -> dict[str, Any]:
        if self.rng.random() < 0.5:
            return {"fromEnv": variable}
        return {"fromSecret": {"name": f"{self.rng.choice(WORDS)}-registry", "key": "password"}}

    def resources(self, operational: bool) -> dict[str, dict[str, Any]]:
        r = self.rng
        if r.random() < (0.05 if operational else 0.4):
            return {}
        cpu_request, memory_request = r.randrange(3), r.randrange(3)
        out = {
            "requests": {"cpu": self.quantity(CPU[cpu_request]), "memory": MEMORY[memory_request]},
            "limits": {
                "cpu": self.quantity(CPU[cpu_request + r.randrange(3)]),
                "memory": MEMORY[memory_request + r.randrange(3)],
            },
        }
        return out

    def quantity(self, cpu: str) -> Any:
        """Kubernetes quantities are written as strings or YAML numbers."""
        if cpu.isdigit() and self.rng.random() < 0.4:
            return int(cpu)
        if cpu == "500m" and self.rng.random() < 0.2:
            return 0.5
        return cpu

    def system(self) -> list[Service]:
        """The services of one new system."""
        r = self.rng
        name = self.system_name()
        environment = r.choices(ENVIRONMENTS, (20, 25, 20, 35))[0]
        tenant = (
            r.choice(("research", "finance", "retail", "default")) if r.random() < 0.2 else None
        )
        services = []
        playground = environment == "playground"
        if playground or r.random() < 0.4:
            services.append(
                Service(
                    name,
                    environment,
                    "docker-registry",
                    tenant,
                    on_cluster=True,
                    resources=self.resources(not playground),
                )
            )
        if (not playground and r.random() < 0.96) or (playground and r.random() < 0.15):
            path = r.choice((name, f"{name}-runtime", f"platform/{name}"))
            registry = self.registry(path)
            user = Service(
                name,
                environment,
                r.choice(("user-registry", f"{registry.kind.split('-')[0]}-user-registry")),
                tenant,
                registry=registry,
                auth=self.auth(registry),
                prefix=r.choice((None, None, "runtime-", "ml-", "team-a/", "nightly/")),
                resources=self.resources(not playground),
            )
            services.append(user)
            if registry.ecr is not None and r.random() < 0.25:
                system_path = f"{name}-system"
                services.append(
                    replace(
                        user,
                        name="system-registry",
                        role="system",
                        prefix=None,
                        registry=replace(
                            registry, url=registry.url.replace(path, system_path), path=system_path
                        ),
                        auth=dict(user.auth),
                        policies=[],
                        resources=self.resources(True),
                    )
                )
        if not services:  # an operational system with no registry at all: RL101
            services.append(Service(name, environment, "docker-registry", tenant, on_cluster=True))
        if r.random() < 0.07:
            self.spoil(r.choice(services))
        return services

    def spoil(self, service: Service) -> None:
        """One mistake, of the kinds each registry rule exists for."""
        r = self.rng
        registry = service.registry
        kinds = [
            "typo-key",
            "duplicate-key",
            "unquoted-number",
            "missing-environment",
            "broken-yaml",
            "bad-quantity",
            "request-above-limit",
        ]
        if registry is not None:
            kinds += ["scheme", "upper-case", "bad-prefix", "literal-password", "literal-password"]
            if registry.ecr is not None:
                kinds += [
                    "short-account",
                    "empty-region",
                    "wrong-suffix",
                    "role-with-username",
                    "ecr-none",
                ]
        kind = r.choice(kinds)
        if registry is not None and kind == "scheme":
            service.registry = replace(registry, url="https://" + registry.url)
        elif registry is not None and kind == "upper-case":
            service.registry = replace(
                registry, url=registry.url.replace(registry.path, registry.path.title(), 1)
            )
        elif kind == "bad-prefix":
            service.prefix = r.choice(("Team-A/", "-ml", "ml//x", "my prefix"))
        elif kind == "literal-password":
            service.auth = {
                "method": "basic",
                "username": "push",
                "password": f"s3cr3t-{r.getrandbits(24):06x}",
            }
        elif (
            registry is not None
            and registry.ecr is not None
            and kind in ("short-account", "empty-region", "wrong-suffix")
        ):
            _, region, account = registry.ecr
            url = {
                "short-account": registry.url.replace(account, account[1:], 1),
                "empty-region": registry.url.replace(f".{region}.", "..", 1),
                "wrong-suffix": registry.url.replace(".amazonaws.com", ".amazonaws.com.cn", 1),
            }[kind]
            service.registry = replace(registry, url=url)
        elif kind == "role-with-username":
            service.auth = {"method": "iam-role", "username": "AKIAIOSFODNN7EXAMPLE"}
        elif kind == "ecr-none":
            service.auth = {"method": "none"}
        elif kind == "bad-quantity":
            service.resources = {
                "requests": {"cpu": "250mi", "memory": "256MB"},
                "limits": {"cpu": "1", "memory": "1Gi"},
            }
        elif kind == "request-above-limit":
            service.resources = {
                "requests": {"cpu": "2", "memory": "1Gi"},
                "limits": {"cpu": "1", "memory": "512Mi"},
            }
        else:
            service.mistake = kind


def manifest_data(service: Service) -> dict[str, Any]:
    """The manifest as plain data (for JSON files)."""
    metadata: dict[str, Any] = {
        "name": service.name,
        "system": service.system,
        "environment": service.environment,
    }
    if service.tenant:
        metadata["tenant"] = service.tenant
    spec: dict[str, Any] = {}
    if service.on_cluster:
        spec["type"] = "on-cluster"
    else:
        assert service.registry is not None
        spec.update({"type": "external", "role": service.role, "url": service.registry.url})
        if service.prefix:
            spec["imagePrefix"] = service.prefix
        if service.auth:
            spec["auth"] = service.auth
        if service.policies:
            spec["iamPolicies"] = service.policies
    if service.resources:
        spec["resources"] = service.resources
    return {
        "apiVersion": "reglint/v1",
        "kind": "RegistryService",
        "metadata": metadata,
        "spec": spec,
    }


def render_json(service: Service) -> str:
    return json.dumps(manifest_data(service), indent=2) + "\n"
