"""The pre-commit hooks of this checkout, run by the real pre-commit tool (SPEC §3.4).

Hook `reglint`: a clean repository passes; staging a manifest whose namespace collides
with an unchanged, unstaged one fails with RL301 — pre-commit names only the staged
file, and reglint still sees the whole project. A staged deletion names no file, so
only hook `reglint-project` (the whole project, on every commit) sees what it breaks.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MANIFEST, POLICY, write_tree
from resources import require_module, require_program

# Each test installs reglint into a pre-commit environment and runs git: seconds each.
pytestmark = pytest.mark.slow

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
    require_module("pre_commit", "pre-commit is not installed (pip install -e '.[test]')")
    require_program("git")
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path, hook: str = "reglint", *extra: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` this checkout (its uncommitted changes too); hook "" runs every hook."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    hooks = [hook] if hook else []
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), *hooks, "--color", "never", *extra],
        cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=600,
    )


def _new_repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    _git(root, "init", "-q")
    _git(root, "config", "user.email", "t@example.com")
    _git(root, "config", "user.name", "t")
    write_tree(root, files)
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "initial")
    return root


def test_hook_file_matches_the_spec() -> None:
    import yaml

    staged, project = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert staged["id"] == "reglint" and staged["entry"] == "reglint check"
    assert staged["language"] == "python" and staged["types_or"] == ["yaml", "json", "terraform"]
    assert staged["require_serial"] is True
    assert project["id"] == "reglint-project" and project["entry"] == "reglint check"
    assert project["language"] == "python" and project["require_serial"] is True
    assert project["pass_filenames"] is False and project["always_run"] is True


def test_hook_file_is_valid_for_pre_commit() -> None:
    clientlib = require_module("pre_commit.clientlib", "pre-commit is not installed")
    identify = require_module("identify.identify", "identify (pre-commit's) is not installed")
    hooks = clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))  # raises when invalid
    for hook in hooks:
        assert set(hook["types_or"]) <= identify.ALL_TAGS, hook["id"]
    assert "terraform" in identify.tags_from_filename("main.tf")


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


def test_a_staged_terraform_file_is_passed_to_the_hook(pre_commit_home: Path, tmp_path: Path) -> None:
    repo = _new_repo(tmp_path / "platform", {"README.md": "platform\n"})
    write_tree(repo, {"iam/main.tf": 'resource "aws_iam_policy" "push" {\n  name = "push"\n}\n'})
    _git(repo, "add", "iam/main.tf")
    run = _try_repo(repo, pre_commit_home, "reglint", "--verbose")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "(no files to check)" not in run.stdout
    assert "in 1 file" in run.stdout, run.stdout


# A production system: the default on-cluster registry, and its external user registry
# (helpers.MANIFEST) with the push policy it links (helpers.POLICY). Clean as a whole.
_SYSTEM = {
    "systems/ml-prod/docker-registry.yaml": (
        "apiVersion: reglint/v1\nkind: RegistryService\nmetadata:\n  name: on-cluster-registry\n"
        "  system: ml-prod\n  environment: production\nspec:\n  type: on-cluster\n"
        "  resources:\n    requests: {cpu: 250m, memory: 256Mi}\n    limits: {cpu: \"1\", memory: 1Gi}\n"
    ),
    "systems/ml-prod/user-registry.yaml": MANIFEST,
    "systems/ml-prod/iam/push.json": POLICY,
}


def _both_hooks(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Both hooks in one run, as a repository that configures both runs them."""
    run = _try_repo(repo, home, "")
    staged = re.search(r"^reglint\.+(.*)$", run.stdout, re.MULTILINE)
    assert staged is not None, run.stdout + run.stderr
    # A deletion names no file: the staged-files hook has nothing to check.
    assert staged.group(1) in ("Passed", "(no files to check)Skipped"), run.stdout
    return run


def test_only_the_project_hook_sees_a_deleted_external_registry(pre_commit_home: Path, tmp_path: Path) -> None:
    repo = _new_repo(tmp_path / "platform", _SYSTEM)
    clean = _both_hooks(repo, pre_commit_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    _git(repo, "rm", "-q", "systems/ml-prod/user-registry.yaml")
    run = _both_hooks(repo, pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "- hook id: reglint-project" in run.stdout
    assert "systems/ml-prod/docker-registry.yaml:8:9: RL101 error external-registry-required" in run.stdout
    assert "system 'ml-prod'" in run.stdout


def test_only_the_project_hook_sees_a_deleted_linked_policy(pre_commit_home: Path, tmp_path: Path) -> None:
    repo = _new_repo(tmp_path / "platform", _SYSTEM)
    _git(repo, "rm", "-q", "systems/ml-prod/iam/push.json")
    run = _both_hooks(repo, pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "- hook id: reglint-project" in run.stdout
    assert "systems/ml-prod/user-registry.yaml:14:7: RL302 error policy-reference-missing" in run.stdout
    assert "'iam/push.json' does not exist" in run.stdout
