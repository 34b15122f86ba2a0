"""The pre-commit hook of this checkout, run by the real pre-commit tool (SPEC §3.4).

A clean repository passes; staging a manifest whose namespace collides with an
unchanged, unstaged one fails with RL301 — pre-commit names only the staged file, and
reglint still sees the whole project.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_tree

REPO = Path(__file__).resolve().parents[2]
ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"


def _manifest(system: str, path: str) -> str:
    return (
        "apiVersion: reglint/v1\nkind: RegistryService\nmetadata:\n  name: registry\n"
        f"  system: {system}\n  environment: playground\nspec:\n  url: {ECR}/{path}\n"
        "  auth:\n    method: iam-role\n"
    )


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None:
        if os.environ.get("CI"):
            pytest.fail("pre-commit and git must be installed in CI")
        pytest.skip("pre-commit or git not installed")
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "reglint", "--color", "never"],
        cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=600,
    )


def test_hook_file_matches_the_spec() -> None:
    import yaml

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "reglint" and hook["entry"] == "reglint check"
    assert hook["language"] == "python" and hook["types_or"] == ["yaml", "json"]
    assert hook["require_serial"] is True


def test_clean_repository_passes_and_a_staged_collision_fails(pre_commit_home: Path, tmp_path: Path) -> None:
    repo = tmp_path / "platform"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    write_tree(repo, {"systems/alpha/registry.yaml": _manifest("alpha", "alpha")})
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "alpha")

    write_tree(repo, {"systems/beta/registry.yaml": _manifest("beta", "beta")})
    _git(repo, "add", ".")
    clean = _try_repo(repo, pre_commit_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    _git(repo, "commit", "-q", "-m", "beta")

    write_tree(repo, {"systems/gamma/registry.yaml": _manifest("gamma", "alpha")})
    _git(repo, "add", "systems/gamma/registry.yaml")
    failing = _try_repo(repo, pre_commit_home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "systems/gamma/registry.yaml:8:8: RL301 error registry-namespace-collision" in failing.stdout
    assert "systems/alpha/registry.yaml:" not in failing.stdout.replace("(systems/alpha/registry.yaml:8)", "")
