"""RL201/RL202/RL204 for the policies a manifest links, evaluated for its namespace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
NINE = [
    "ecr:CreateRepository", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
    "ecr:PutImage", "ecr:UploadLayerPart",
]
REPO_ARN = "arn:aws:ecr:us-east-2:123456789012:repository/ml/*"


def manifest(policies: list[str], url: str = f"{ECR}/ml") -> str:
    entries = "".join(f"    - {p}\n" for p in policies)
    return (
        "apiVersion: reglint/v1\nkind: RegistryService\nmetadata:\n  name: ecr\n  system: ml\n"
        f"  environment: production\nspec:\n  url: {url}\n  auth:\n    method: iam-role\n"
        f"  iamPolicies:\n{entries}"
    )


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


TOKEN = {"Sid": "Token", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
PUSH = {"Sid": "Push", "Effect": "Allow", "Action": NINE, "Resource": REPO_ARN}


def run(run_cli: Any, root: Path, *args: str, rules: str = "RL2") -> list[dict[str, Any]]:
    result = run_cli("check", *(args or (".",)), "--select", rules, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return json.loads(result.out)["findings"]  # type: ignore[no-any-return]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_complete_policy_is_clean(run_cli: Any, root: Path) -> None:
    write_tree(root, {"svc/r.yaml": manifest(["../iam/p.json"]), "iam/p.json": policy(TOKEN, PUSH)})
    assert run(run_cli, root) == []


def test_union_of_two_files_counts_as_one_identity(run_cli: Any, root: Path) -> None:
    write_tree(root, {"r.yaml": manifest(["a.json", "b.json"]), "a.json": policy(TOKEN), "b.json": policy(PUSH)})
    assert run(run_cli, root) == []


def test_missing_action_is_reported_at_iam_policies(run_cli: Any, root: Path) -> None:
    push = {**PUSH, "Action": NINE[1:]}
    write_tree(root, {"svc/r.yaml": manifest(["../iam/p.json"]), "iam/p.json": policy(TOKEN, push)})
    (finding,) = run(run_cli, root)
    assert (finding["rule"], finding["path"], finding["line"], finding["column"]) == ("RL201", "svc/r.yaml", 11, 3)
    assert "1 of the 9 required ECR push actions is not allowed" in finding["message"]
    assert "ecr:CreateRepository (not allowed by any statement)" in finding["message"]
    assert "arn:aws:ecr:us-east-2:123456789012:repository/ml/*" in finding["message"]
    assert finding["message"].endswith("(policies: iam/p.json)")


def test_explicit_deny_in_another_file_names_the_statement(run_cli: Any, root: Path) -> None:
    deny = {"Sid": "NoPush", "Effect": "Deny", "Action": "ecr:PutImage", "Resource": "*"}
    write_tree(root, {"r.yaml": manifest(["p.json", "guard.json"]), "p.json": policy(TOKEN, PUSH), "guard.json": policy(deny)})
    (finding,) = run(run_cli, root)
    assert finding["rule"] == "RL201" and "ecr:PutImage (explicitly denied" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("guard.json", 4)]
    assert "NoPush" in finding["related"][0]["message"]


def test_resource_in_the_wrong_region_does_not_cover_the_namespace(run_cli: Any, root: Path) -> None:
    push = {**PUSH, "Resource": REPO_ARN.replace("us-east-2", "us-east-1")}
    write_tree(root, {"r.yaml": manifest(["p.json"]), "p.json": policy(TOKEN, push)})
    (finding,) = run(run_cli, root)
    assert "8 of the 9" in finding["message"] and "do not cover" in finding["message"]


def test_conditional_allow_is_rl202_not_rl201(run_cli: Any, root: Path) -> None:
    conditional = {**PUSH, "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-2"}}}
    write_tree(root, {"r.yaml": manifest(["p.json"]), "p.json": policy(TOKEN, conditional)})
    (finding,) = run(run_cli, root)
    assert (finding["rule"], finding["severity"], finding["line"]) == ("RL202", "warning", 11)
    assert finding["message"].startswith(
        f"for {REPO_ARN}: ecr:CreateRepository, ecr:BatchCheckLayerAvailability, "
    )
    assert 'ecr:UploadLayerPart are allowed only under a Condition ("Push" (Statement[1]) of p.json)' in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("p.json", 24)]


def test_named_policy_file_alone_gets_the_finding_naming_the_manifest(run_cli: Any, root: Path) -> None:
    write_tree(root, {"svc/r.yaml": manifest(["../iam/p.json"]), "iam/p.json": policy(TOKEN)})
    (finding,) = run(run_cli, root, "iam/p.json")
    assert (finding["rule"], finding["path"], finding["line"]) == ("RL201", "iam/p.json", 3)
    # The message's path:line is the node the first related location points at: the
    # manifest's iamPolicies key.
    related = finding["related"][0]
    assert (related["path"], related["line"]) == ("svc/r.yaml", 12)
    assert "as linked from svc/r.yaml:12" in finding["message"]


def test_broken_link_is_rl302_only(run_cli: Any, root: Path) -> None:
    write_tree(root, {"r.yaml": manifest(["p.json", "gone.json"]), "p.json": policy(TOKEN)})
    assert [f["rule"] for f in run(run_cli, root, rules="RL2,RL302")] == ["RL302"]


def test_ecr_public_is_not_evaluated(run_cli: Any, root: Path) -> None:
    write_tree(root, {"r.yaml": manifest(["p.json"], url="public.ecr.aws/acme"), "p.json": policy(TOKEN)})
    assert run(run_cli, root, rules="RL201") == []


def test_linked_policy_is_not_also_evaluated_as_standalone(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": "ecr-push-policies: ['*.json']\n", "r.yaml": manifest(["p.json"]), "p.json": policy(TOKEN)})
    findings = run(run_cli, root, rules="RL201")
    assert [(f["path"], f["line"]) for f in findings] == [("r.yaml", 11)]


def test_overbroad_linked_grant_is_rl204_on_the_action(run_cli: Any, root: Path) -> None:
    everything = {"Sid": "All", "Effect": "Allow", "Action": "ecr:*", "Resource": "*"}
    write_tree(root, {"r.yaml": manifest(["p.json"]), "p.json": policy(everything)})
    (finding,) = run(run_cli, root)
    assert (finding["rule"], finding["path"], finding["line"], finding["column"]) == ("RL204", "p.json", 7, 17)
    assert "`ecr:*` on every resource" in finding["message"]
