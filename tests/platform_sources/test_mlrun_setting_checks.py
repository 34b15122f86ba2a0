"""The rules of single MLRun settings through `reglint check` (SPEC §6.3): RL102/RL103 on
the registry URL (with MLRun's own ECR limit), RL104 on a prefix template's literal
start, RL002 on a value Kubernetes rejects — each at the setting's node."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"


def check(run_cli: Any, root: Path, files: dict[str, str], rules: str) -> list[tuple[str, str, int, int, str, str]]:
    write_tree(root, files)
    result = run_cli("check", ".", "--select", rules, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return [
        (f["rule"], f["path"], f["line"], f["column"], f["severity"], f["message"])
        for f in json.loads(result.out)["findings"]
    ]


def values(url: str) -> str:
    return f"global:\n  registry:\n    url: {url}\n"


def test_a_url_with_a_scheme_is_rl102_at_the_setting(run_cli: Any, root: Path) -> None:
    [finding] = check(run_cli, root, {"values.yaml": values("https://Registry.example.com/ML")}, "RL102")
    assert finding[:5] == ("RL102", "values.yaml", 3, 10, "error")
    assert finding[5].startswith("invalid registry URL in global.registry.url: a registry URL has no scheme")


@pytest.mark.parametrize(
    ("host", "severity", "words"),
    [
        ("123456789012.dkr-ecr.us-east-2.on.aws", "warning",
         f"MLRun does not recognise a dual-stack ECR host as ECR, so it never creates the repositories its builds push to: use '{ECR}'"),
        ("123456789012.dkr.ecr-fips.us-east-2.amazonaws.com", "warning", "MLRun does not recognise a FIPS ECR host as ECR"),
        ("12345678901.dkr.ecr.us-east-2.amazonaws.com", "error", "account ID '12345678901' has 11 digits"),
    ],
)  # fmt: skip
def test_mlrun_ecr_hosts(run_cli: Any, root: Path, host: str, severity: str, words: str) -> None:
    [finding] = check(run_cli, root, {"values.yaml": values(f"{host}/ml")}, "RL102,RL103")
    assert finding[:5] == ("RL103", "values.yaml", 3, 10, severity)
    assert f"ECR host '{host}' in global.registry.url: " in finding[5] and words in finding[5]


def test_an_ipv4_ecr_host_is_fine(run_cli: Any, root: Path) -> None:
    assert check(run_cli, root, {"values.yaml": values(f"{ECR}/ml")}, "RL102,RL103,RL104") == []


def test_a_prefix_template_must_start_a_repository_name(run_cli: Any, root: Path) -> None:
    env = (
        "services:\n  mlrun-api:\n    image: mlrun/mlrun-api:1.7.0\n    environment:\n"
        "      MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY: registry.example.com/ml\n"
        "      MLRUN_HTTPDB__BUILDER__FUNCTION_TARGET_IMAGE_NAME_PREFIX_TEMPLATE: 'ML-Prod-{project}-{name}'\n"
    )
    [finding] = check(run_cli, root, {"docker-compose.yml": env}, "RL104")
    assert finding[:5] == ("RL104", "docker-compose.yml", 6, 74, "error")
    assert finding[5] == (
        "MLRUN_HTTPDB__BUILDER__FUNCTION_TARGET_IMAGE_NAME_PREFIX_TEMPLATE starts every image name "
        "with 'ML-Prod-', which cannot start a repository name (component 'ML-Prod-' has upper "
        "case; repository names are lower case): write 'ml-prod-'"
    )


def test_a_setting_mlrun_never_sees_is_not_checked(run_cli: Any, root: Path) -> None:
    text = values("https://broken.example.com") + f"mlrun:\n  defaultDockerRegistryURL: {ECR}/ml\n"
    assert check(run_cli, root, {"values.yaml": text}, "RL102,RL103") == []


def test_an_env_value_that_is_not_a_string_is_rl002(run_cli: Any, root: Path) -> None:
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mlrun-api\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: api\n          env:\n"
        "            - name: MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY_SECRET\n              value: 5000\n"
    )
    [finding] = check(run_cli, root, {"deployment.yaml": deployment}, "RL002")
    assert finding[:5] == ("RL002", "deployment.yaml", 12, 22, "error")
    assert finding[5] == "MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY_SECRET must be a string; quote it"
