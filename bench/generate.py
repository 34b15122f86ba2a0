"""Generate the benchmark corpus into bench/out/ — deterministic and idempotent.

    python bench/generate.py            # every case
    python bench/generate.py --only mixed,small-repo

Each case folder is seeded by its own name, so one case's content never depends on
which other cases were generated. A second run rewrites nothing (see corpus_tree).
`bench/out/corpus.json` records what each case holds (files, documents, bytes).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from typing import Any

from corpus_tree import Tree
from gen_cfn import cloudformation_templates
from gen_iac import policy_documents, precommit_module, terraform_module, terraform_plan
from gen_iam import PolicyFactory
from gen_manifests import ManifestFactory, Service
from gen_yaml import render_yaml, write_system
from generate_repos import monorepo_case, small_repo_case
from layout import CFN_TEMPLATES, IAC_NAMED, OUT
from seeds import accounts, rng_for

# --- IAM policies --------------------------------------------------------------------


def policies_case(name: str, count: int) -> Tree:
    rng = rng_for(name)
    factory = PolicyFactory(rng, accounts(rng))
    tree = Tree(OUT / name)
    tree.add(
        ".reglint.yaml",
        "# Standalone ECR push policies are checked for the nine push actions (RL201).\n"
        "ecr-push-policies:\n  - '**/ecr-push-*.json'\n",
    )
    teams = [
        f"{w}-team"
        for w in rng.sample(
            (
                "ml",
                "data",
                "web",
                "infra",
                "search",
                "billing",
                "risk",
                "vision",
                "ops",
                "security",
                "mobile",
                "growth",
            ),
            12,
        )
    ]
    for i in range(count):
        policy = factory.policy()
        tree.add(f"accounts/{rng.choice(teams)}/{policy.purpose}-{i:05d}.json", policy.text)
    return tree


# --- manifests -----------------------------------------------------------------------


def shared_push_policies(tree: Tree, factory: PolicyFactory) -> None:
    """A few push policies many manifests link to (one per partition, one lacking an action)."""
    for partition in ("aws", "aws-cn", "aws-us-gov"):
        statements = factory.ecr_push((partition, "*", "*"), "*")
        tree.add(
            f"iam/ecr-push-{partition}.json",
            json.dumps(factory.document(statements), indent=2) + "\n",
        )
    legacy = [
        {
            "Effect": "Allow",
            "Action": [
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:PutImage",
                "ecr:InitiateLayerUpload",
                "ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload",
            ],
            "Resource": "*",
        }
    ]
    tree.add(
        "iam/ecr-push-legacy.json",
        json.dumps({"Version": "2012-10-17", "Statement": legacy}, indent=2) + "\n",
    )


def link_shared(service: Service, rng: random.Random, depth: int) -> None:
    registry = service.registry
    if (
        registry is None
        or registry.ecr is None
        or service.auth.get("method") not in ("iam-role", "access-keys")
    ):
        return
    if rng.random() < 0.75:
        name = "ecr-push-legacy" if rng.random() < 0.1 else f"ecr-push-{registry.ecr[0]}"
        service.policies = ["../" * depth + f"iam/{name}.json"]


def manifests_case(name: str, count: int) -> Tree:
    rng = rng_for(name)
    pool = accounts(rng)
    factory, policies = ManifestFactory(rng, pool), PolicyFactory(rng, pool)
    tree = Tree(OUT / name)
    tree.add(".reglint.yaml", "fail-on: error\n")
    shared_push_policies(tree, policies)
    files = 0
    while files < count:
        services = factory.system()
        services = services[: count - files] if len(services) > count - files else services
        for service in services:
            link_shared(service, rng, 2)
        files += write_system(tree, services, rng, f"systems/{services[0].system}")
    return tree


# --- the mixed project ---------------------------------------------------------------


def collide(services: list[Service], rng: random.Random, pairs: int, overlap: bool) -> None:
    """Give `pairs` services the namespace of another system's service (or a longer one)."""
    external = [s for s in services if s.registry is not None and s.role == "user"]
    for first, second in zip(rng.sample(external, pairs), rng.sample(external, pairs)):
        if first.system == second.system:
            continue
        second.registry, second.auth = first.registry, dict(first.auth)
        second.prefix = (first.prefix or "") + "prod-" if overlap else first.prefix


def mixed_case(name: str = "mixed", manifests: int = 1000, policies: int = 1000) -> Tree:
    rng = rng_for(name)
    pool = accounts(rng)
    factory, policy_factory = ManifestFactory(rng, pool), PolicyFactory(rng, pool)
    tree = Tree(OUT / name)
    tree.add(".reglint.yaml", "fail-on: error\necr-push-policies:\n  - iam/ci/*-push.json\n")
    systems: list[list[Service]] = []
    while sum(len(s) for s in systems) < manifests:
        systems.append(factory.system())
    everything = [s for system in systems for s in system]
    collide(everything, rng, 15, overlap=False)
    collide(everything, rng, 10, overlap=True)
    written = 0
    for services in systems:
        for service in services:
            registry = service.registry
            if (
                registry is None
                or registry.ecr is None
                or service.auth.get("method") not in ("iam-role", "access-keys")
            ):
                continue
            if written >= policies - 100 or rng.random() < 0.1:
                continue  # no policy linked: RL108
            target = f"iam/push/{service.system}-{service.name}.json"
            if target not in tree:
                statements = policy_factory.ecr_push(registry.ecr, service.push_arn_path())
                tree.add(target, json.dumps(policy_factory.document(statements), indent=2) + "\n")
                written += 1
            service.policies = [f"../../{target}"]
            if rng.random() < 0.02:
                service.policies.append(f"../../iam/push/{service.system}-old.json")  # RL302
    for i in range(50):
        tree.add(
            f"iam/ci/pipeline-{i:02d}-push.json", policy_factory.render(policy_factory.ecr_push())
        )
        written += 1
    while written < policies:
        policy = policy_factory.policy()
        tree.add(f"iam/apps/{policy.purpose}-{written:04d}.json", policy.text)
        written += 1
    files = 0
    for services in systems:
        files += write_system(tree, services, rng, f"systems/{services[0].system}")
    for service in rng.sample(everything, 5):  # the same service defined twice: RL303
        tree.add(f"systems/{service.system}/{service.name}-copy.yaml", render_yaml(service, rng))
    return tree


# --- IaC: the same 1,000 policies in CloudFormation, a Terraform module and its plan ----


def iac_documents() -> list[Any]:
    rng = rng_for("iac-1k")
    return policy_documents(PolicyFactory(rng, accounts(rng)), 1_000)


def cloudformation_case() -> Tree:
    """The 1,000 policies as `AWS::IAM::ManagedPolicy` resources of as few templates as
    CloudFormation accepts (gen_cfn.py: at most 500 resources and 1 MB each)."""
    tree = Tree(OUT / "cfn-1k")
    for number, template in enumerate(cloudformation_templates(iac_documents()), 1):
        tree.add(CFN_TEMPLATES.format(number), template)
    return tree


def terraform_case() -> Tree:
    """The 1,000 policies as a Terraform module (gen_iac.py), 100 policies a file."""
    tree = Tree(OUT / "terraform-1k")
    for name, text in terraform_module(iac_documents()).items():
        tree.add(name, text)
    return tree


def terraform_plan_case() -> Tree:
    """That module's plan, as `terraform show -json` prints it."""
    tree = Tree(OUT / "tfplan-1k")
    tree.add("plan.json", terraform_plan(iac_documents()))
    return tree


def precommit_iac_case() -> Tree:
    """The small repository of the pre-commit case, with an application's Terraform
    module in infra/terraform/; the pre-commit run names one of its `.tf` files."""
    tree = small_repo_case("precommit-iac")
    rng = rng_for("precommit-iac-module")
    for name, text in precommit_module(PolicyFactory(rng, accounts(rng, 3))).items():
        tree.add(f"infra/terraform/{name}", text)
    tree.named = IAC_NAMED
    return tree


def describe(tree: Tree) -> dict[str, Any]:
    checked = [p for p in tree.files if p.endswith((".yaml", ".yml", ".json"))]
    return {
        "files": len(tree.files),
        "yaml_json_files": len(checked),
        "bytes": sum(len(b) for b in tree.files.values()),
        "manifest_documents": sum(
            d.count(b"kind: RegistryService") + d.count(b'"kind": "RegistryService"')
            for d in tree.files.values()
        ),
        "policy_files": sum(
            1 for p, d in tree.files.items() if p.endswith(".json") and b"Statement" in d
        ),
    }


BUILDERS: dict[str, Callable[[], Tree]] = {
    "policies-1k": lambda: policies_case("policies-1k", 1_000),
    "policies-10k": lambda: policies_case("policies-10k", 10_000),
    "manifests-1k": lambda: manifests_case("manifests-1k", 1_000),
    "manifests-10k": lambda: manifests_case("manifests-10k", 10_000),
    "mixed": mixed_case,
    "small-repo": small_repo_case,
    "monorepo-10k": monorepo_case,
    "cfn-1k": cloudformation_case,
    "terraform-1k": terraform_case,
    "tfplan-1k": terraform_plan_case,
    "precommit-iac": precommit_iac_case,
}


def generate(only: set[str] | None = None, quiet: bool = False) -> dict[str, Any]:
    """Build and sync every case (or `only` some); returns the corpus description."""
    OUT.mkdir(parents=True, exist_ok=True)
    summary_path = OUT / "corpus.json"
    summary: dict[str, Any] = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    for name, build in BUILDERS.items():
        if only and name not in only:
            continue
        started = time.perf_counter()
        tree = build()
        stats = tree.sync()
        summary[name] = describe(tree)
        if tree.named is not None:
            summary[name]["named"] = tree.named
        if not quiet:
            print(
                f"generate: {name}: {len(tree.files)} files ({stats.written} written, "
                f"{stats.removed} removed) in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
    summary_path.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help="comma-separated case names: " + ", ".join(BUILDERS))
    args = parser.parse_args()
    generate(set(args.only.split(",")) if args.only else None)


if __name__ == "__main__":
    main()
