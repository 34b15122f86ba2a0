"""The wheel ships the top-level schemas/ and rules/ folders and finds them installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from resources import missing

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        missing(f"cannot build a wheel here (no build backend reachable?): {done.stderr[-1000:]}")
    (found,) = out.glob("reglint-*.whl")
    return found


def test_wheel_holds_schemas_and_rules(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in ("registry-service", "iam-policy", "config"):
        assert f"reglint/_data/schemas/{schema}.schema.json" in names
    rules = {n for n in names if n.startswith("reglint/_data/rules/") and n.endswith(".yaml")}
    assert len(rules) == 26
    assert "reglint/cli.py" in names
    assert "reglint/_data/snapshots/aws-managed-policies.jsonl.gz" in names


def test_installed_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import reglint.package_data as r; print(r.data_path('rules'))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == str(target / "reglint" / "_data" / "rules")
    rules = subprocess.run(
        [sys.executable, "-m", "reglint", "rules"], cwd=elsewhere, env=env,
        capture_output=True, text=True, check=True,
    )
    assert len(rules.stdout.splitlines()) == 26


def test_installed_wheel_resolves_aws_managed_policies(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "from reglint.model.iam import managed_policies as m\n"
        "print(m._snapshot_path())\n"
        "print(m.lookup('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser').version_id)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    snapshot = target / "reglint" / "_data" / "snapshots" / "aws-managed-policies.jsonl.gz"
    assert done.stdout.split() == [str(snapshot), "v3"]
