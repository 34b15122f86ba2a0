"""`--fix` and `--diff` on hostile trees (SPEC §4, §6.5): never a write through a
symbolic link out of the project root, never a changed mode, never a file the run does
not report, never a secret or a terminal escape in a diff."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

from reglint.engine.fix_output import write_changes
from reglint.loading.document import Limits
from reglint.report.write import rewrite_atomically

SECRET = "Zq3xVbN8mKp2LwR7tYs9Hd4FgJc6AeU1oIi5PnMz"  # not the documentation's example key
OTHER_SECRET = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD"
BROKEN = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
  system: ml-prod
  environment: playground
spec:
  type: external
  url: https://registry.example.com/ML
"""


def _project(root: Path, files: dict[str, str | bytes]) -> Path:
    write_tree(root, files)
    (root / ".git").mkdir(exist_ok=True)
    return root


def test_fix_never_writes_through_a_link_out_of_the_root(run_cli: Any, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_tree(outside, {"registry.yaml": BROKEN, "team/registry.yaml": BROKEN})
    root = _project(tmp_path / "repo", {"own.yaml": BROKEN})
    (root / "linked.yaml").symlink_to(outside / "registry.yaml")
    (root / "team").symlink_to(outside / "team")
    for args in (("check", ".", "--fix"), ("check", "linked.yaml", "team/registry.yaml", "--fix")):
        result = run_cli(*args, cwd=root)
        assert result.code in (0, 1), result
    assert (outside / "registry.yaml").read_text() == BROKEN
    assert (outside / "team" / "registry.yaml").read_text() == BROKEN
    assert "url: registry.example.com/ml" in (root / "own.yaml").read_text()  # the run did fix


def test_the_writer_refuses_a_link_out_of_the_root(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"a.yaml": "a: 1\n"})
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.yaml").symlink_to(outside / "a.yaml")
    with pytest.raises(PermissionError):
        rewrite_atomically(root / "a.yaml", b"a: 2\n", root)
    assert (outside / "a.yaml").read_text() == "a: 1\n"
    # a link that stays inside the root is followed, and stays a link
    (root / "real.yaml").write_text("a: 1\n")
    (root / "inner.yaml").symlink_to(root / "real.yaml")
    rewrite_atomically(root / "inner.yaml", b"a: 2\n", root)
    assert (root / "inner.yaml").is_symlink() and (root / "real.yaml").read_text() == "a: 2\n"


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o755, 0o664])
def test_fix_keeps_the_files_mode(mode: int, run_cli: Any, tmp_path: Path) -> None:
    root = _project(tmp_path, {"registry.yaml": BROKEN})
    (root / "registry.yaml").chmod(mode)
    run_cli("check", ".", "--fix", cwd=root)
    assert "url: registry.example.com/ml" in (root / "registry.yaml").read_text()
    assert stat.S_IMODE((root / "registry.yaml").stat().st_mode) == mode
    assert sorted(p.name for p in root.iterdir()) == [".git", "registry.yaml"]  # no temporary file left


def test_fix_touches_only_the_files_the_run_reports(run_cli: Any, tmp_path: Path) -> None:
    manifest = BROKEN.replace("https://registry.example.com/ML", "123456789012.dkr.ecr.us-east-2.amazonaws.com/ml")
    manifest = manifest.replace("playground", "production") + "  auth: {method: iam-role}\n  iamPolicies: [push.json]\n"
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}\n'
    root = _project(tmp_path, {"registry.yaml": manifest, "push.json": policy, "other.yaml": BROKEN})
    result = run_cli("check", "registry.yaml", "--fix", "--unsafe-fixes", cwd=root)
    assert result.code in (0, 1), result
    assert (root / "push.json").read_text() == policy  # linked, but not named: not reported
    assert (root / "other.yaml").read_text() == BROKEN  # not named


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 2\n")
    errors = write_changes({path: b"a: 3\n"}, {path: b"a: 1\n"}, tmp_path, tmp_path, Limits())
    assert errors == ["not fixed: a.yaml changed since reglint read it"]
    assert path.read_bytes() == b"a: 2\n"


def test_no_secret_in_any_output_of_a_secret_fix(run_cli: Any, tmp_path: Path) -> None:
    manifest = BROKEN.replace("spec:\n", f"  annotations: {{note: {OTHER_SECRET}}}\nspec:\n") + (
        f"  auth:\n    method: basic\n    username: bob\n    password: {SECRET}\n"
    )
    root = _project(tmp_path, {"registry.yaml": manifest})
    outputs = []
    for args in (
        ("--diff", "--unsafe-fixes"),
        ("--diff", "--unsafe-fixes", "--select", "RL102,RL106"),
        ("--diff", "--select", "RL102"),  # RL106 not selected: its lines are still hidden
        ("--format", "json"),
        ("--format", "sarif"),
        ("--format", "json", "--fix", "--unsafe-fixes"),
    ):
        result = run_cli("check", ".", *args, cwd=root)
        outputs += [result.out, result.err]
    assert not any(SECRET in out or OTHER_SECRET in out for out in outputs)
    diff = outputs[0]
    assert "-<a secret: line not shown>\n" in diff
    assert "+    password: {fromEnv: REGLINT_ML_PROD_DOCKER_REGISTRY_PASSWORD}\n" in diff


def test_the_diff_escapes_control_characters(run_cli: Any, tmp_path: Path) -> None:
    # YAML allows no C0 control character, but a bidi override (which can reorder what a
    # terminal shows) is printable to YAML
    text = BROKEN.replace("  type: external\n", "  type: external   # \u202e reversed\n")
    root = _project(tmp_path, {"registry.yaml": text})
    result = run_cli("check", ".", "--diff", cwd=root)
    assert result.code == 1
    assert "\u202e" not in result.out
    assert "   type: external   # \\u202e reversed\n" in result.out


def test_every_json_file_a_fix_rewrites_still_parses(run_cli: Any, tmp_path: Path) -> None:
    policy = {"Statement": [{"Effect": "Allow", "Action": ["ecr:PutImages", "s3:GetObject"], "Resource": "*"}]}
    root = _project(tmp_path, {"p.json": json.dumps(policy), "q.json": json.dumps(policy, indent="\t")})
    run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
    for name in ("p.json", "q.json"):
        fixed = json.loads((root / name).read_text())
        assert fixed["Version"] == "2012-10-17" and fixed["Statement"][0]["Action"][0] == "ecr:PutImage"
    assert not os.listdir(root / ".git")
