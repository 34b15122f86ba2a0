"""Every implemented rule's documented bad example fires it and its good example does not.

Rules land in later issues; as each check is registered in `reglint.checks.all`, its
examples from `rules/` are tested here automatically. The live rules (`LIVE_RULES`:
RL401, RL402) judge what is deployed, which `check` never sees: their examples run
against a local AWS API server in tests/live/test_live_rule_examples.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

from reglint.checks.all import IMPLEMENTED_RULES
from reglint.rule_catalogue import Rule, load_catalogue

IMPLEMENTED = [rule for rule in load_catalogue() if rule.id in IMPLEMENTED_RULES and rule.examples]


def _findings(run_cli: Any, tmp_path: Path, rule: Rule, label: str) -> list[dict[str, Any]]:
    write_tree(tmp_path, dict(rule.examples[label]["files"]))
    (tmp_path / ".git").mkdir()  # the example folder is its own project
    result = run_cli("check", ".", "--select", rule.id, "--format", "json", cwd=tmp_path)
    assert result.code in (0, 1), result
    return [f for f in json.loads(result.out)["findings"] if f["rule"] == rule.id]


def test_foundation_rules_are_implemented() -> None:
    assert {"RL001", "RL002", "RL003"} <= IMPLEMENTED_RULES


@pytest.mark.parametrize("rule", IMPLEMENTED, ids=lambda r: r.id)
def test_bad_example_fires(rule: Rule, run_cli: Any, tmp_path: Path) -> None:
    assert _findings(run_cli, tmp_path, rule, "bad"), f"{rule.id}'s bad example found nothing"


@pytest.mark.parametrize("rule", IMPLEMENTED, ids=lambda r: r.id)
def test_good_example_is_clean(rule: Rule, run_cli: Any, tmp_path: Path) -> None:
    assert _findings(run_cli, tmp_path, rule, "good") == []
