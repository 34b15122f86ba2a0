"""The bad and good examples of the live rules (RL401, RL402): `reglint check` cannot run
them (tests/test_rule_examples.py leaves them out), so they run here, against moto in
server mode seeded with each example's `aws-account.json`, with `reglint aws verify`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from live_aws import ACCOUNT, aws, findings, moto_server, network_guard, verify

from reglint.checks.all import IMPLEMENTED_RULES, LIVE_RULES
from reglint.rule_catalogue import Rule, load_catalogue

__all__ = ["aws", "moto_server", "network_guard"]  # fixtures, by import
# Each test resets moto and reloads its AWS managed policies: about a second or two.
pytestmark = pytest.mark.slow

LIVE = [rule for rule in load_catalogue() if rule.id in LIVE_RULES]


def _run(run_cli: Any, aws: Any, tmp_path: Path, rule: Rule, label: str) -> list[dict[str, Any]]:
    files = dict(rule.examples[label]["files"])
    account = json.loads(files["aws-account.json"])
    assert account["account"] == ACCOUNT  # moto's account: the credentials of the run
    aws.seed(account)
    write_tree(tmp_path, files)
    result = verify(run_cli, aws.url, tmp_path, "--select", rule.id, "--format", "json")
    assert result.code in (0, 1), result
    return findings(result, rule.id)


def test_the_live_rules_are_tagged_live_and_have_examples() -> None:
    assert {rule.id for rule in LIVE} == LIVE_RULES == {"RL401", "RL402"}
    assert not LIVE_RULES & IMPLEMENTED_RULES  # `check` never runs them
    for rule in LIVE:
        assert "live" in rule.tags and set(rule.examples) == {"bad", "good"}


@pytest.mark.parametrize("rule", LIVE, ids=lambda r: r.id)
def test_bad_example_fires(rule: Rule, run_cli: Any, aws: Any, tmp_path: Path) -> None:
    assert _run(run_cli, aws, tmp_path, rule, "bad"), f"{rule.id}'s bad example found nothing"


@pytest.mark.parametrize("rule", LIVE, ids=lambda r: r.id)
def test_good_example_is_clean(rule: Rule, run_cli: Any, aws: Any, tmp_path: Path) -> None:
    assert _run(run_cli, aws, tmp_path, rule, "good") == []
