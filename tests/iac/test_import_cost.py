"""The pre-commit cost of a repository without infrastructure code stays as it was (SPEC
§6.2): a `reglint check` run over manifests and policies imports no `reglint.iac` module,
nor python-hcl2 or Lark. Each run is the CLI's `main` in a child process, which then
lists the modules it imported; a run that meets a template or a `.tf` file shows that the
listing sees them when they are imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MANIFEST, POLICY, write_tree

CHILD = """\
import json, sys
from reglint.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules
               if m.startswith("reglint.iac") or m.split(".")[0] in ("hcl2", "lark"))
with open(sys.argv[1], "w") as out:
    json.dump(heavy, out)
"""

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Push:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'ecr:*', Resource: '*'}]}
"""
TERRAFORM = 'resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Version = "2012-10-17" })\n}\n'


def imported(root: Path, *args: str) -> list[str]:
    """The IaC modules, python-hcl2 and Lark modules that `reglint ARGS` imports in `root`."""
    listing = root.parent / "imported.json"
    subprocess.run(
        [sys.executable, "-c", CHILD, str(listing), *args],
        cwd=root,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        timeout=120,
        check=True,
    )
    names: list[str] = json.loads(listing.read_text(encoding="utf-8"))
    return names


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Manifests, policies and other YAML/JSON files, and no infrastructure code."""
    return write_tree(tmp_path / "repo", {
        ".git/HEAD": "ref: refs/heads/main\n",
        "systems/ml.yaml": MANIFEST,
        "iam/push.json": POLICY,
        "deploy/values.yaml": "replicas: 2\nimage: registry.example.com/ml/app:1.0\n",
        "package.json": '{"name": "app", "version": "1.0.0"}\n',
        ".reglint.yaml": "ecr-push-policies: [iam/*.json]\n",
    })  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("check", "systems/ml.yaml", "iam/push.json"),  # pre-commit: the staged files
        ("check", "systems/ml.yaml"),
        ("check", "."),  # the whole repository
        ("check", ".", "--format", "sarif"),
    ],
    ids=["pre-commit", "one-manifest", "walk", "walk-sarif"],
)
def test_a_run_without_iac_imports_no_iac_module(project: Path, args: tuple[str, ...]) -> None:
    assert imported(project, *args) == []


def test_a_template_imports_the_cloudformation_modules_only(project: Path) -> None:
    write_tree(project, {"infra/push.yaml": TEMPLATE})
    names = imported(project, "check", "infra/push.yaml")
    assert "reglint.iac.cfn_source" in names
    assert not [n for n in names if n.startswith(("reglint.iac.terraform", "hcl2", "lark"))]


def test_a_terraform_file_imports_its_parser(project: Path) -> None:
    write_tree(project, {"infra/main.tf": TERRAFORM})
    names = imported(project, "check", "infra/main.tf")
    assert "reglint.iac.terraform.module" in names
    assert "lark" in names  # python-hcl2's parser is Lark
