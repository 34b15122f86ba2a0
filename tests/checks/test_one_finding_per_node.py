"""One finding per rule and node: two problems of one rule at one node (two RL102
failures of one URL, an RL103 error and warning of one host, an equal and an
overlapping RL301 namespace) make one finding that names both."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

from reglint.rule_catalogue import Rule, load_catalogue

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RULES_WITH_EXAMPLES = [rule for rule in load_catalogue() if rule.examples]


def _shared_nodes(run_cli: Any, root: Path) -> list[tuple[str, str, int, int]]:
    result = run_cli("check", ".", "--select", "ALL", "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    found = Counter(
        (f["rule"], f["path"], f["line"], f["column"])
        for f in json.loads(result.out)["findings"]
        if f["suppressed"] is None
    )
    return [node for node, count in found.items() if count > 1]


@pytest.mark.parametrize("rule", RULES_WITH_EXAMPLES, ids=lambda r: r.id)
def test_no_two_findings_of_a_rule_share_a_node_in_bad_examples(
    rule: Rule, run_cli: Any, tmp_path: Path
) -> None:
    write_tree(tmp_path, dict(rule.examples["bad"]["files"]))
    (tmp_path / ".git").mkdir()
    assert _shared_nodes(run_cli, tmp_path) == []


def test_no_two_findings_of_a_rule_share_a_node_in_the_examples_folder(
    run_cli: Any, tmp_path: Path
) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / "examples" / ".git").mkdir()
    assert _shared_nodes(run_cli, tmp_path / "examples") == []


def test_the_examples_url_with_two_problems_is_one_finding(run_cli: Any) -> None:
    result = run_cli(
        "check", "systems/analytics/registries.yaml", "--select", "RL102", "--format", "json",
        cwd=EXAMPLES,
    )  # fmt: skip
    found = [(f["rule"], f["path"], f["line"], f["column"], f["message"])
             for f in json.loads(result.out)["findings"]]  # fmt: skip
    assert found == [
        ("RL102", "systems/analytics/registries.yaml", 10, 8,
         ("invalid registry URL: a registry URL has no scheme: drop 'https://' and write "
          "host[:port][/path]; the path 'Analytics' has upper case; repository paths are lower "
          "case: write 'analytics'")),
    ]  # fmt: skip
