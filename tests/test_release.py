"""The release the README tells pre-commit users to pin (SPEC §3.4, §6.6).

The README's `rev:` is `v` + `reglint.__version__`, and — in a git checkout with tags —
an annotated tag of this repository whose tree has the same version and every hook the
README's configuration uses. Without git, or outside a git checkout, that part is skipped
with its reason, or fails under CI (tests/resources.py); a checkout that holds no tag at
all is skipped, in CI or not (a shallow or tag-less clone cannot say anything about
releases); a checkout with tags but without this one fails.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml
from resources import require, require_module, require_program

import reglint

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
# The README's example .pre-commit-config.yaml: the fenced block that names this repository.
_CONFIG_BLOCK = re.compile(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", re.DOTALL)


def _readme_pre_commit_config() -> dict[str, Any]:
    blocks = _CONFIG_BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) == 1, "README.md should show one '# .pre-commit-config.yaml' block"
    config = yaml.safe_load(blocks[0])
    assert isinstance(config, dict)
    return config


def _reglint_repo() -> dict[str, Any]:
    (entry,) = [r for r in _readme_pre_commit_config()["repos"] if r["repo"] == "https://github.com/reglint/reglint"]
    assert isinstance(entry, dict)
    return entry


def _skip(reason: str) -> NoReturn:
    pytest.skip(f"{reason}: the release tag cannot be checked here")


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=60)


def _tags() -> list[str]:
    require_program("git")
    top = _git("rev-parse", "--show-toplevel")
    checkout = top.returncode == 0 and Path(top.stdout.strip()).resolve() == REPO
    require(checkout, f"{REPO} is not a git checkout: the release tag cannot be checked here")
    tags = _git("tag", "--list").stdout.split()
    if not tags:
        _skip("this git checkout has no tags")
    return tags


def test_readme_config_is_valid_for_pre_commit(tmp_path: Path) -> None:
    clientlib = require_module("pre_commit.clientlib", "pre-commit is not installed")
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(yaml.safe_dump(_readme_pre_commit_config()), encoding="utf-8")
    clientlib.load_config(config)  # raises InvalidConfigError, naming the key


def test_readme_rev_is_the_package_version() -> None:
    assert _reglint_repo()["rev"] == f"v{reglint.__version__}"


def test_readme_rev_is_an_annotated_tag_of_this_release() -> None:
    rev = _reglint_repo()["rev"]
    tags = _tags()
    assert rev in tags, f"README's rev {rev!r} is not a tag of this repository (tags: {', '.join(tags)})"
    assert _git("cat-file", "-t", f"refs/tags/{rev}").stdout.strip() == "tag", f"{rev} is not an annotated tag"
    at_tag = _git("show", f"{rev}:reglint/__init__.py").stdout
    assert f'__version__ = "{reglint.__version__}"' in at_tag, f"{rev} holds another version of reglint"
    hooks_at_tag = yaml.safe_load(_git("show", f"{rev}:.pre-commit-hooks.yaml").stdout)
    used = {hook["id"] for hook in _reglint_repo()["hooks"]}
    assert used <= {hook["id"] for hook in hooks_at_tag}, f"{rev} lacks hooks the README uses"


def test_readme_hooks_are_hooks_of_this_checkout() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    used = {hook["id"] for hook in _reglint_repo()["hooks"]}
    assert used <= {hook["id"] for hook in hooks}


def test_sdist_holds_what_these_tests_read() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = set(project["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    assert {"README.md", "docs", "examples", ".pre-commit-hooks.yaml"} <= include
