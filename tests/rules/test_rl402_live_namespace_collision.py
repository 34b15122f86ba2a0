"""RL402 live-namespace-collision (`reglint aws verify`, SPEC §6.4): an existing
repository under the namespace belongs to another system, by its `reglint:system` tag or
because its policy lets another system's role push — against moto in server mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from live_aws import ACCOUNT, aws, ecr_manifest, findings, moto_server, network_guard

__all__ = ["aws", "moto_server", "network_guard"]  # fixtures, by import
# Each test resets moto and reloads its AWS managed policies: about a second or two.
pytestmark = pytest.mark.slow

URL = f"{ACCOUNT}.dkr.ecr.us-east-2.amazonaws.com"
FORECASTING_ROLE = f"arn:aws:iam::{ACCOUNT}:role/forecasting-nodes"


def manifest(system: str, path: str, role: str | None = None, tenant: str | None = None) -> str:
    return ecr_manifest(role, url=f"{URL}/{path}", system=system, tenant=tenant)


def rl402(run_cli: Any, aws: Any, tmp_path: Path, files: dict[str, str], *paths: str) -> tuple[list[dict[str, Any]], Any]:
    write_tree(tmp_path, files)
    (tmp_path / ".git").mkdir(exist_ok=True)
    result = run_cli("aws", "verify", *(paths or (".",)), "--endpoint-url", aws.url, "--format", "json",
                     "--select", "RL402", cwd=tmp_path)
    assert result.code in (0, 1), result
    return findings(result, "RL402"), result


def test_a_repository_tagged_with_another_system_is_an_error_pointing_at_that_system(
    run_cli: Any, aws: Any, tmp_path: Path
) -> None:
    aws.repository("ml/train", tags={"reglint:system": "default/forecasting"})
    aws.repository("ml/serve", tags={"reglint:system": "default/ml-prod"})
    aws.repository("ml/untagged")
    files = {"ml-prod.yaml": manifest("ml-prod", "ml"), "forecasting.yaml": manifest("forecasting", "forecast")}
    (finding,), result = rl402(run_cli, aws, tmp_path, files, "ml-prod.yaml")
    assert (finding["path"], finding["line"], finding["column"]) == ("ml-prod.yaml", 8, 8)
    assert ("repository ml/train under namespace 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml/ is tagged "
            "reglint:system='default/forecasting', another system than this service's 'default/ml-prod'") in finding["message"]
    assert finding["related"] == [{"path": "forecasting.yaml", "line": 5, "column": 11, "message": "system default/forecasting"}]
    assert result.code == 1


def test_a_tag_without_a_tenant_names_a_system_of_the_default_tenant(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    aws.repository("ml/train", tags={"reglint:system": "ml-prod"})
    assert rl402(run_cli, aws, tmp_path, {"a.yaml": manifest("ml-prod", "ml")})[0] == []
    (finding,), _ = rl402(run_cli, aws, tmp_path, {"a.yaml": manifest("ml-prod", "ml", tenant="team-a")})
    assert "'default/ml-prod', another system than this service's 'team-a/ml-prod'" in finding["message"]


def test_a_repository_policy_that_lets_another_systems_role_push_is_an_error(
    run_cli: Any, aws: Any, tmp_path: Path
) -> None:
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": FORECASTING_ROLE}, "Action": ["ecr:PutImage", "ecr:BatchGetImage"]}]}
    aws.repository("ml/train", policy=policy)
    files = {"ml-prod.yaml": manifest("ml-prod", "ml"),
             "forecasting.yaml": manifest("forecasting", "forecast", role=FORECASTING_ROLE)}
    (finding,), _ = rl402(run_cli, aws, tmp_path, files, "ml-prod.yaml")
    assert (f"the repository policy of ml/train under namespace {URL}/ml/ lets role {FORECASTING_ROLE} of system "
            "'default/forecasting' push (ecr:PutImage)") in finding["message"]
    assert finding["related"][0]["path"] == "forecasting.yaml" and finding["related"][0]["line"] == 11


def test_grants_to_everyone_or_to_an_account_are_no_collision(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "ecr:*"},
        {"Effect": "Allow", "Principal": {"AWS": FORECASTING_ROLE}, "Action": "ecr:BatchGetImage"}]}
    aws.repository("ml/train", policy=policy, tags={"reglint:system": "default/ml-prod"})
    files = {"ml-prod.yaml": manifest("ml-prod", "ml"),
             "forecasting.yaml": manifest("forecasting", "forecast", role=FORECASTING_ROLE)}
    found, result = rl402(run_cli, aws, tmp_path, files, "ml-prod.yaml")
    assert found == [] and result.code == 0


def test_only_repositories_under_the_namespace_count(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    aws.repository("ml-other/train", tags={"reglint:system": "default/forecasting"})
    aws.repository("mlx", tags={"reglint:system": "default/forecasting"})
    assert rl402(run_cli, aws, tmp_path, {"a.yaml": manifest("ml-prod", "ml")})[0] == []
