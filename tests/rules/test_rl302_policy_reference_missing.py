"""RL302 policy-reference-missing: each `spec.iamPolicies` entry names a loadable policy
file inside the project (SPEC §2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from rules.project_cases import ECR, findings, manifest

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}'


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({}, "does not exist"),
        ({"iam/p.json": '{"Statement": [}'}, "cannot be loaded"),
        ({"iam/p.json": '{"Name": "not a policy"}'}, "is not an IAM policy"),
        ({"iam/p.json/x": ""}, "is a folder"),
    ],
)
def test_broken_policy_reference(run_cli: Any, root: Path, files: dict[str, str], words: str) -> None:
    write_tree(root, {"svc/r.yaml": manifest("ml", f"{ECR}/ml", policies=["../iam/p.json"]), **files})
    result = run_cli("check", "svc/r.yaml", "--select", "RL302", "--format", "json", cwd=root)
    (finding,) = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("RL302", 11, 7)
    assert f"iamPolicies entry '../iam/p.json' {words}" in finding["message"]


def test_policy_reference_may_not_escape_the_root(run_cli: Any, root: Path) -> None:
    write_tree(root, {"project/.reglint.yaml": "{}\n", "project/r.yaml": manifest("ml", f"{ECR}/ml", policies=["../p.json"]), "p.json": POLICY})
    result = run_cli("check", "r.yaml", "--select", "RL302", cwd=root / "project")
    assert "iamPolicies entry '../p.json' points outside the project root" in result.out


def test_good_policy_reference_is_clean(run_cli: Any, root: Path) -> None:
    write_tree(root, {"svc/r.yaml": manifest("ml", f"{ECR}/ml", policies=["../iam/p.json"]), "iam/p.json": POLICY})
    assert findings(run_cli, root, "svc/r.yaml", rules="RL302") == []
