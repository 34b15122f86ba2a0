"""The README's minimal read-only IAM policy for `aws verify`
(docs/reglint-aws-verify-policy.json): reglint finds nothing wrong with it, and it
grants every read reglint's live code makes, and nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
POLICY = REPO / "docs" / "reglint-aws-verify-policy.json"
LIVE = REPO / "reglint" / "live"


def _granted() -> set[str]:
    policy = json.loads(POLICY.read_text(encoding="utf-8"))
    found: set[str] = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        found.update([actions] if isinstance(actions, str) else actions)
    return found


def _called() -> set[str]:
    """Every `service:Operation` the live code calls (session.call/pages, and the ECR
    reads of registries.py that go through `_foreign_read`)."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(LIVE.glob("*.py")))
    calls = {f"{s}:{op}" for s, op in re.findall(r'"(iam|ecr|sts)",\s*"([A-Z][A-Za-z]+)"', text)}
    calls |= {f"ecr:{op}" for op in re.findall(r'_foreign_read\(\s*host,\s*"([A-Z][A-Za-z]+)"', text)}
    return calls


def test_reglint_finds_nothing_wrong_with_the_policy(run_cli: Any) -> None:
    result = run_cli("check", str(POLICY), "--format", "json", "--fail-on", "note", "--isolated")
    assert result.code == 0, result
    assert json.loads(result.out)["findings"] == []


def test_the_policy_grants_exactly_the_reads_reglint_makes() -> None:
    called = _called()
    assert {"iam:GetPolicyVersion", "ecr:DescribeRepositories", "ecr:GetRegistryPolicy",
            "ecr:ListTagsForResource", "iam:ListGroupsForUser"} <= called
    # sts:GetCallerIdentity needs no permission (AWS allows it to every identity).
    assert _granted() == called - {"sts:GetCallerIdentity"}
    assert all(action.split(":", 1)[1].startswith(("Get", "List", "Describe")) for action in _granted())


def test_the_readme_shows_the_same_policy() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Live verification (AWS)\n", 1)[1].split("\n## ", 1)[0]
    shown = re.search(r"```json\n(.*?)```", section, re.DOTALL)
    assert shown, "README.md's Live verification section shows no JSON policy"
    assert json.loads(shown.group(1)) == json.loads(POLICY.read_text(encoding="utf-8"))
