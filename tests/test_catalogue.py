"""The rule catalogue: every SPEC rule present once, with complete metadata."""

from __future__ import annotations

import pytest

from reglint.findings import Severity
from reglint.rule_catalogue import Catalogue, CatalogueError, Rule, UnknownRuleError, load_catalogue

# SPEC §2's table (and §6's new rules): ID, name, default severity.
SPEC_RULES = {
    "RL000": ("internal-error", "error"),
    "RL001": ("parse-error", "error"),
    "RL002": ("schema-violation", "error"),
    "RL003": ("duplicate-key", "error"),
    "RL004": ("unused-suppression", "note"),
    "RL101": ("external-registry-required", "error"),
    "RL102": ("invalid-registry-url", "error"),
    "RL103": ("malformed-ecr-url", "error"),
    "RL104": ("invalid-image-prefix", "error"),
    "RL105": ("registry-auth-mismatch", "error"),
    "RL106": ("plaintext-secret", "error"),
    "RL107": ("resource-limits", "warning"),
    "RL108": ("push-policy-missing", "warning"),
    "RL110": ("static-ecr-credentials", "warning"),
    "RL201": ("ecr-push-actions-missing", "error"),
    "RL202": ("ecr-push-actions-conditional", "warning"),
    "RL203": ("unknown-action", "error"),
    "RL204": ("ecr-overbroad-grant", "warning"),
    "RL205": ("policy-version", "warning"),
    "RL206": ("invalid-arn", "error"),
    "RL207": ("duplicate-sid", "error"),
    "RL208": ("policy-size", "error"),
    "RL209": ("ecr-public-push", "error"),
    "RL301": ("registry-namespace-collision", "error"),
    "RL302": ("policy-reference-missing", "error"),
    "RL303": ("duplicate-service", "error"),
}


def _rule(rule_id: str, name: str) -> Rule:
    return Rule(rule_id, name, Severity.ERROR, "s.", "d.")


def test_catalogue_matches_the_spec_table() -> None:
    catalogue = load_catalogue()
    assert {r.id: (r.name, r.severity.value) for r in catalogue} == SPEC_RULES


@pytest.mark.parametrize("rule", list(load_catalogue()), ids=lambda r: r.id)
def test_every_rule_is_documented(rule: Rule) -> None:
    assert rule.summary.endswith(".")
    assert "\n" not in rule.summary
    assert "**How to fix" in rule.description or rule.id == "RL000"
    assert rule.tags
    assert rule.help_uri.endswith(f"#{rule.id.lower()}-{rule.name}")
    if rule.id != "RL000":
        assert rule.examples["bad"]["files"] and rule.examples["good"]["files"]


@pytest.mark.parametrize("rule_id", ["RL106", "RL110", "RL201", "RL204", "RL209"])
def test_security_rules_carry_a_security_severity(rule_id: str) -> None:
    rule = load_catalogue()[rule_id]
    assert "security" in rule.tags
    assert rule.security_severity is not None and 0 <= float(rule.security_severity) <= 10


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(CatalogueError, match="duplicate rule ID RL001"):
        Catalogue([_rule("RL001", "a"), _rule("RL001", "b")])


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(CatalogueError, match="duplicate rule name same"):
        Catalogue([_rule("RL001", "same"), _rule("RL002", "same")])


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("RL106", {"RL106"}),
        ("rl106", {"RL106"}),
        ("plaintext-secret", {"RL106"}),
        ("RL10", {"RL101", "RL102", "RL103", "RL104", "RL105", "RL106", "RL107", "RL108"}),
        ("RL3", {"RL301", "RL302", "RL303"}),
    ],
)
def test_selectors_resolve_by_id_name_and_prefix(selector: str, expected: set[str]) -> None:
    assert load_catalogue().resolve(selector) == expected


def test_all_selects_everything() -> None:
    assert load_catalogue().resolve("ALL") == set(SPEC_RULES)


@pytest.mark.parametrize("selector", ["RL9", "plaintext-secrets", "", "XYZ"])
def test_unknown_selectors_are_refused(selector: str) -> None:
    with pytest.raises(UnknownRuleError, match="unknown rule selector"):
        load_catalogue().resolve(selector)


def test_unknown_selector_suggests_a_close_name() -> None:
    with pytest.raises(UnknownRuleError, match="did you mean 'plaintext-secret'"):
        load_catalogue().resolve("plaintext-secrets")
