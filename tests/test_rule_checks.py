"""Every rule in rules/ is implemented somewhere a newcomer can find: by a check
(reglint/checks/all.py registers each), by loading (RL001, RL003), or by the run itself
(RL000, a check that failed; RL004, a suppression that suppressed nothing) — and no
check reports a rule that rules/ does not describe."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from reglint.checks.all import (
    DOCUMENT_CHECKS,
    ENGINE_RULES,
    LIVE_RULES,
    LOADER_RULES,
    PROJECT_CHECKS,
)
from reglint.checks.live_registry import LIVE_REGISTRY_RULES
from reglint.checks.live_rights import LIVE_RIGHTS_RULES
from reglint.decisions import decider
from reglint.engine import file_check
from reglint.loading import reader
from reglint.rule_catalogue import load_catalogue

CHECKED = {rule for check in (*DOCUMENT_CHECKS, *PROJECT_CHECKS) for rule in check.rules}
CATALOGUE = {rule.id for rule in load_catalogue()}
RULE_TESTS = Path(__file__).parent / "rules"
# A checked rule whose tests live elsewhere, and where: RL002 is the JSON Schemas'.
TESTED_ELSEWHERE = {"RL002": "tests/schemas/, tests/test_schemas.py, tests/test_validation.py"}


@pytest.mark.parametrize("rule", sorted(CATALOGUE))
def test_every_rule_has_a_check_or_is_the_loaders_or_the_runs(rule: str) -> None:
    owners = [rule in CHECKED, rule in LOADER_RULES, rule in ENGINE_RULES, rule in LIVE_RULES]
    assert owners.count(True) == 1, f"{rule}: implemented by no check, loader, engine or live rule, or by two"


def test_checks_report_only_rules_of_the_catalogue() -> None:
    assert CHECKED | LOADER_RULES | ENGINE_RULES | LIVE_RULES == CATALOGUE


def test_the_live_rules_are_those_of_the_live_checks() -> None:
    """`aws verify` reports RL401/RL402 (only it) and RL201/RL202 on deployed rights."""
    assert LIVE_REGISTRY_RULES == LIVE_RULES == {"RL401", "RL402"}
    assert LIVE_RIGHTS_RULES <= CHECKED


def test_the_engine_and_loader_rules_are_reported_where_they_are_named() -> None:
    assert ENGINE_RULES == {"RL000", "RL004"} and LOADER_RULES == {"RL001", "RL003"}
    assert '"RL000"' in inspect.getsource(file_check)  # a check that raised
    assert '"RL004"' in inspect.getsource(decider)  # an unused suppression
    assert '"RL001"' in inspect.getsource(reader) and '"RL003"' in inspect.getsource(reader)


@pytest.mark.parametrize("rule", sorted((CHECKED | LIVE_RULES) - TESTED_ELSEWHERE.keys()))
def test_every_checked_rule_has_its_test_module(rule: str) -> None:
    name = load_catalogue()[rule].name.replace("-", "_")
    assert (RULE_TESTS / f"test_{rule.lower()}_{name}.py").is_file(), f"tests/rules/ has no module for {rule}"
