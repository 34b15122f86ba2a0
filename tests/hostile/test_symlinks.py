"""Symbolic links out of the project root (SPEC §4): a repository can commit a link to
any path of the machine that checks it out. reglint never reads a file through a link
that leads outside the project root — walked (a notification), named on the command line
(RL001), linked from `iamPolicies` (RL302) or as a `.gitignore` (a notification) — and
names the link, never the target or its content. Links that stay inside the root work.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from helpers import POLICY
from hostile.cli_formats import FormatRun, Seen, assert_reported, check_every_format, run_measured
from hostile.project_tree import GOOD_MANIFEST, good_finding, make_project

OUTSIDE = "leads outside the project root through a symbolic link"
# A manifest with a finding (RL104 at line 11) and a marker: were it read, both would show.
SECRET = GOOD_MANIFEST.replace("name: docker-registry", "name: outside-secret-registry")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The base project in `repo/`, beside a folder `outside/` that holds a manifest, a
    policy and a .gitignore."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SECRET)
    (outside / "push.json").write_text(POLICY)
    (outside / "gitignore").write_text("good.yaml\n")
    return make_project(tmp_path / "repo")


def _assert_nothing_from_outside(runs: dict[str, FormatRun], outside: Path) -> None:
    for run in runs.values():
        for text in (run.out, run.err):
            assert "outside-secret-registry" not in text and str(outside) not in text


def test_a_walked_link_out_of_the_root_is_not_read(run_cli: Any, repo: Path) -> None:
    os.symlink("../outside/secret.yaml", repo / "link.yaml")
    os.symlink(str(repo.parent / "outside" / "secret.yaml"), repo / "absolute.yaml")
    runs = check_every_format(run_cli, repo, ".")
    assert_reported(runs, [good_finding()], code=1, skipped=["absolute.yaml", "link.yaml"])
    assert f"reglint: link.yaml: skipped: {OUTSIDE} (not read)" in runs["text"].err
    _assert_nothing_from_outside(runs, repo.parent / "outside")


def test_a_named_link_out_of_the_root_is_rl001(run_cli: Any, repo: Path) -> None:
    os.symlink("../outside/secret.yaml", repo / "link.yaml")
    os.symlink("../outside", repo / "linked")
    runs = check_every_format(
        run_cli, repo, "good.yaml", "link.yaml", "linked/secret.yaml", "linked"
    )
    rl001 = [Seen("RL001", name, 1) for name in ("link.yaml", "linked/secret.yaml", "linked")]
    words = {seen: OUTSIDE for seen in rl001}
    assert_reported(runs, [good_finding(), *rl001], code=1, words=words)
    assert "(not followed)" in runs["json"].messages[rl001[2]]  # a folder: not walked
    _assert_nothing_from_outside(runs, repo.parent / "outside")


@pytest.mark.parametrize("walked", [True, False], ids=["walked", "named"])
def test_a_policy_linked_through_a_link_out_of_the_root_is_rl302(
    walked: bool, run_cli: Any, repo: Path
) -> None:
    os.symlink("../outside", repo / "linked")
    os.symlink("../../outside/push.json", repo / "iam" / "out.json")
    other = GOOD_MANIFEST.replace("name: docker-registry", "name: other").replace(
        "iam/push.json", "iam/out.json"
    )
    (repo / "other.yaml").write_text(other)
    (repo / "good.yaml").write_text(GOOD_MANIFEST.replace("iam/push.json", "linked/push.json"))
    runs = check_every_format(run_cli, repo, *(["."] if walked else ["good.yaml", "other.yaml"]))
    links = [Seen("RL302", "good.yaml", 15), Seen("RL302", "other.yaml", 15)]
    expected = [good_finding(), good_finding("other.yaml"), *links]
    skipped = ["iam/out.json"] if walked else []
    assert_reported(runs, expected, code=1, skipped=skipped, words=dict.fromkeys(links, OUTSIDE))
    _assert_nothing_from_outside(runs, repo.parent / "outside")


def test_links_that_stay_inside_the_root_keep_working(run_cli: Any, repo: Path) -> None:
    os.symlink("push.json", repo / "iam" / "alias.json")
    os.symlink("iam", repo / "policies")
    os.symlink("good.yaml", repo / "copy.yaml")
    other = GOOD_MANIFEST.replace("name: docker-registry", "name: other")
    (repo / "other.yaml").write_text(other.replace("iam/push.json", "policies/alias.json"))
    runs = check_every_format(run_cli, repo, ".")
    # copy.yaml is good.yaml again: the same finding (and a collision between the two).
    found = {(s.rule, s.path) for s in runs["json"].seen}
    assert {("RL104", p) for p in ("good.yaml", "copy.yaml", "other.yaml")} <= found
    assert not any(rule == "RL302" for rule, _ in found)


def test_a_gitignore_link_out_of_the_root_is_not_read(run_cli: Any, repo: Path) -> None:
    os.symlink("../outside/gitignore", repo / ".gitignore")  # would ignore good.yaml
    runs = check_every_format(run_cli, repo, ".")
    assert_reported(runs, [good_finding()], code=1)
    assert f"reglint: .gitignore: skipped: {OUTSIDE} (not read)" in runs["text"].err


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_a_gitignore_that_never_ends_is_bounded(target: str, tmp_path: Path) -> None:
    """A .gitignore linked to /dev/zero (read whole, it would fill the memory) or that is a
    FIFO (opening it would block forever)."""
    make_project(tmp_path)
    if target == "fifo":
        os.mkfifo(tmp_path / ".gitignore")
    else:
        os.symlink(target, tmp_path / ".gitignore")
    measured = run_measured(tmp_path, "check", ".", timeout=60)
    assert measured.code == 1 and "good.yaml:11:" in measured.out
    assert "reglint: .gitignore: skipped: " in measured.err
    assert measured.peak_rss_mib < 200
