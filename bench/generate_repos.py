"""The repositories of the pre-commit cases: a small platform repository, and a
10,000-file monorepo in which a handful of services have registry manifests."""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable

from corpus_tree import Tree
from gen_iam import PolicyFactory
from gen_manifests import ManifestFactory, Registry, Service
from gen_repo import RepoFiller
from gen_yaml import render_yaml, write_system
from layout import OUT, SMALL_REPO_NAMED
from seeds import accounts, rng_for


def small_repo_case(name: str = "small-repo") -> Tree:
    rng = rng_for(name)
    pool = accounts(rng, 3)
    factory, policy_factory = ManifestFactory(rng, pool), PolicyFactory(rng, pool)
    tree = Tree(OUT / name)
    tree.add(".reglint.yaml", "fail-on: error\necr-push-policies:\n  - iam/*-push.json\n")
    tree.add(
        ".pre-commit-config.yaml",
        "repos:\n  - repo: local\n    hooks:\n      - id: reglint\n"
        "        name: reglint\n        entry: reglint check\n        language: system\n"
        "        types_or: [yaml, json]\n        require_serial: true\n",
    )
    tree.add("ci.yaml", "stages: [lint, test]\nlint:\n  script: [pre-commit run --all-files]\n")
    tree.add("README.md", "# platform registries\n")
    account, region = pool[0], "us-east-2"
    host = f"{account}.dkr.ecr.{region}.amazonaws.com"
    named = Service(
        "ml-prod",
        "production",
        "user-registry",
        registry=Registry(
            f"{host}/ml-prod-runtime", "ecr", ("aws", region, account), "ml-prod-runtime"
        ),
        auth={"method": "iam-role"},
        policies=["../../iam/ml-prod-push.json"],
        resources={
            "requests": {"cpu": "250m", "memory": "256Mi"},
            "limits": {"cpu": "1", "memory": "1Gi"},
        },
    )
    tree.add(SMALL_REPO_NAMED, render_yaml(named, rng))
    tree.named = SMALL_REPO_NAMED
    statements = policy_factory.ecr_push(("aws", region, account), "ml-prod-runtime/")
    tree.add(
        "iam/ml-prod-push.json", json.dumps(policy_factory.document(statements), indent=2) + "\n"
    )
    for _ in range(4):
        services = factory.system()
        write_system(tree, services, rng, f"systems/{services[0].system}")
    return tree


def monorepo_case(name: str = "monorepo-10k", total: int = 10_000) -> Tree:
    """A platform monorepo of `total` files; about one service in ten has a registry
    manifest. The first ECR manifest is the one a pre-commit run names; two later ones
    share its namespace (RL301), so the one-file run has a cross-file finding to find."""
    rng = rng_for(name)
    pool = accounts(rng)
    factory, policy_factory, filler = (
        ManifestFactory(rng, pool),
        PolicyFactory(rng, pool),
        RepoFiller(rng),
    )
    tree = Tree(OUT / name)
    tree.add(".reglint.yaml", "exclude:\n  - '**/charts/*/templates/**'\n")
    tree.add(".gitignore", "dist/\nbuild/\n*.log\n")
    for i in range(12):
        tree.add(
            f".github/workflows/{filler.word()}-{i}.yml",
            "on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
        )
    for i in range(200):
        tree.add(
            f"web/node_modules/{filler.word()}-{i}/package.json", filler.package_json(f"dep-{i}")
        )
    named: Service | None = None
    index = collisions = 0
    while len(tree.files) < total:
        service = f"{filler.word()}-{filler.word()}-{index}"
        base = f"services/{service}"
        files = service_files(filler, rng, service, base)
        if rng.random() < 0.1:
            services = factory.system()
            manifest = next(
                (s for s in services if s.registry is not None and s.role == "user"), services[-1]
            )
            manifest.system = service
            if (
                named is None
                and manifest.registry is not None
                and manifest.registry.ecr is not None
            ):
                named = manifest
                tree.named = f"{base}/deploy/registry.yaml"
            elif named is not None and collisions < 2 and manifest.registry is not None:
                manifest.registry, manifest.prefix = named.registry, named.prefix  # RL301
                collisions += 1
            if manifest.registry is not None and manifest.registry.ecr is not None:
                manifest.policies = ["iam/push.json"]
                policy = (
                    json.dumps(
                        policy_factory.document(
                            policy_factory.ecr_push(manifest.registry.ecr, manifest.push_arn_path())
                        ),
                        indent=2,
                    )
                    + "\n"
                )
                files[f"{base}/deploy/iam/push.json"] = constant(policy)
            files[f"{base}/deploy/registry.yaml"] = constant(render_yaml(manifest, rng))
        for path, make in files.items():
            if len(tree.files) < total and path not in tree:
                tree.add(path, make())
        index += 1
    if tree.named is None or tree.named not in tree:
        sys.exit("generate: the monorepo has no named manifest; change the seed")
    return tree


def service_files(
    filler: RepoFiller, rng: random.Random, service: str, base: str
) -> dict[str, Callable[[], str]]:
    """What one service folder of the monorepo holds besides a registry manifest."""
    files: dict[str, Callable[[], str]] = {
        f"{base}/deploy/k8s/deployment.yaml": lambda: filler.k8s(service),
        f"{base}/deploy/k8s/configmap.yaml": lambda: filler.configmap(service),
        f"{base}/README.md": lambda: filler.source(service, ".md"),
    }
    draws: list[tuple[float, str, Callable[[], str]]] = [
        (0.5, f"{base}/deploy/k8s/hpa.yaml", lambda: filler.hpa(service)),
        (0.4, f"{base}/charts/{service}/values.yaml", lambda: filler.helm_values(service)),
        (
            0.4,
            f"{base}/charts/{service}/templates/deployment.yaml",
            lambda: filler.helm_template(service),
        ),
        (0.5, f"{base}/package.json", lambda: filler.package_json(service)),
        (0.4, f"{base}/tsconfig.json", filler.tsconfig),
        (0.2, f"{base}/api/openapi.json", lambda: filler.openapi(service)),
        (0.2, f"{base}/docker-compose.yml", lambda: filler.compose(service)),
        (0.5, f"{base}/config/app.yaml", filler.app_config),
        (
            0.04,
            f"{base}/package-lock.json",
            lambda: filler.lock_json(service, rng.randrange(200, 900)),
        ),
        (0.05, f"{base}/infra/task-role.yaml", lambda: filler.cloudformation(service)),
    ]
    files.update({path: make for chance, path, make in draws if rng.random() < chance})
    for suffix in rng.sample((".py", ".ts", ".md", ".py", ".ts"), rng.randrange(1, 5)):
        files[f"{base}/src/{filler.word()}{suffix}"] = constant(filler.source(service, suffix))
    return files


def constant(text: str) -> Callable[[], str]:
    return lambda: text
