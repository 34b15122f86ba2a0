"""RL101 external-registry-required: an operational system needs an external user registry
(SPEC §1.3, §2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from rules.project_cases import ECR, findings, manifest


@pytest.mark.parametrize(("env", "severity"), [("production", "error"), ("staging", "warning"), ("development", "warning")])
def test_operational_system_with_only_on_cluster_registry(run_cli: Any, root: Path, env: str, severity: str) -> None:
    write_tree(root, {"docker-registry.yaml": manifest("ml", env=env, name="docker-registry")})
    assert findings(run_cli, root, rules="RL101") == [("RL101", "docker-registry.yaml", 8, severity)]


def test_playground_needs_no_external_registry(run_cli: Any, root: Path) -> None:
    write_tree(root, {"r.yaml": manifest("ml", env="playground")})
    assert findings(run_cli, root, rules="RL101") == []


def test_production_with_on_cluster_and_external_user_registry_is_fine(run_cli: Any, root: Path) -> None:
    write_tree(root, {"dr.yaml": manifest("ml", name="docker-registry"), "ecr.yaml": manifest("ml", f"{ECR}/ml", name="ecr")})
    assert findings(run_cli, root, rules="RL101") == []


def test_only_a_system_role_registry_is_not_enough(run_cli: Any, root: Path) -> None:
    write_tree(root, {"sys.yaml": manifest("ml", f"{ECR}/ml", role="system")})
    assert findings(run_cli, root, rules="RL101") == [("RL101", "sys.yaml", 5, "error")]


def rl101_message(run_cli: Any, root: Path) -> str:
    result = run_cli("check", ".", "--select", "RL101", "--format", "json", cwd=root)
    (finding,) = json.loads(result.out)["findings"]
    return str(finding["message"])


def test_rl101_with_a_system_registry_says_so(run_cli: Any, root: Path) -> None:
    write_tree(root, {"sys.yaml": manifest("ml", f"{ECR}/ml-system", role="system")})
    assert rl101_message(run_cli, root) == (
        "system 'ml' (tenant 'default', production) is operational but has no external "
        "registry with role 'user', only one with role 'system' (the System Docker Registry, "
        "for the platform's own images): add an external registry service with role 'user' "
        "for the images the platform builds and pushes (it may be the same registry with "
        "another path, such as '<registry>/ml-runtime')"
    )


def test_rl101_with_on_cluster_and_system_registries_names_both(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {"dr.yaml": manifest("ml", name="docker-registry"),
         "sys.yaml": manifest("ml", f"{ECR}/ml-system", name="system", role="system")},
    )  # fmt: skip
    message = rl101_message(run_cli, root)
    assert message.startswith(
        "system 'ml' (tenant 'default', production) is operational but has no external "
        "registry with role 'user', only the on-cluster registry (for playground only: it "
        "loses its images when its pod restarts) and one with role 'system' (the System "
        "Docker Registry, for the platform's own images): add an external registry service "
        "with role 'user'"
    )
    assert "only the on-cluster registry:" not in message


def test_rl101_with_only_the_on_cluster_registry(run_cli: Any, root: Path) -> None:
    write_tree(root, {"dr.yaml": manifest("ml", name="docker-registry")})
    assert rl101_message(run_cli, root) == (
        "system 'ml' (tenant 'default', production) is operational but has no external "
        "registry with role 'user', only the on-cluster registry (for playground only: it "
        "loses its images when its pod restarts): add an external registry service with "
        "role 'user' for the images the platform builds and pushes (for example ECR)"
    )


def test_system_is_grouped_by_tenant_and_operational_if_any_service_is(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            "a.yaml": manifest("ml", name="docker-registry", env="playground"),
            "b.yaml": manifest("ml", name="cache", env="production"),
            "c.yaml": manifest("ml", f"{ECR}/ml", tenant="other"),
        },
    )
    assert findings(run_cli, root, rules="RL101") == [("RL101", "a.yaml", 8, "error")]


def test_rl101_is_reported_on_a_named_file_of_the_system(run_cli: Any, root: Path) -> None:
    write_tree(root, {"dr.yaml": manifest("ml", name="docker-registry"), "cache.yaml": manifest("ml", name="cache")})
    assert findings(run_cli, root, "cache.yaml", rules="RL101") == [("RL101", "cache.yaml", 8, "error")]
