"""docs/rules.md and every rule's help link (SARIF helpUri, `explain`'s "More:").

docs/rules.md is generated from `rules/`; when a test here says it is stale, run the
command it names. The links point at the anchors GitHub gives the page's headings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from reglint.rule_catalogue import Rule, load_catalogue

REPO = Path(__file__).resolve().parents[1]
RULES_MD = REPO / "docs" / "rules.md"
README = REPO / "README.md"
REGENERATE_RULES = "reglint rules --format markdown > docs/rules.md"


def _headings(markdown: str) -> list[str]:
    """The ATX headings of a Markdown text, outside fenced code blocks."""
    headings, fence = [], None
    for line in markdown.splitlines():
        marker = re.match(r"\s{0,3}(`{3,}|~{3,})", line)
        if marker:
            if fence is None:
                fence = marker.group(1)[0] * len(marker.group(1))
            elif line.strip().startswith(fence):
                fence = None
            continue
        heading = re.match(r"\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if fence is None and heading:
            headings.append(heading.group(1))
    return headings


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a document's headings (github-slugger): lower case, every
    character but letters, digits, `-`, `_` and spaces dropped, spaces turned into `-`,
    and `-1`, `-2`, … added to repeats."""
    anchors: set[str] = set()
    for text in _headings(markdown):
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        unique, n = slug, 0
        while unique in anchors:
            n += 1
            unique = f"{slug}-{n}"
        anchors.add(unique)
    return anchors


RULES = list(load_catalogue())


# docs/rules.md and the help links


def test_rules_md_is_current(run_cli: Any) -> None:
    generated = run_cli("rules", "--format", "markdown")
    assert generated.code == 0, generated
    assert RULES_MD.is_file(), f"docs/rules.md is missing: run `{REGENERATE_RULES}`"
    assert RULES_MD.read_text(encoding="utf-8") == generated.out, f"docs/rules.md is stale: run `{REGENERATE_RULES}`"


def test_github_anchors_follow_githubs_rules() -> None:
    text = "# reglint rules\n## RL201 ecr-push-actions-missing\n```\n# not a heading\n```\n## A `b`: c!\n## A `b`: c!\n"
    assert github_anchors(text) == {"reglint-rules", "rl201-ecr-push-actions-missing", "a-b-c", "a-b-c-1"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_help_uri_points_at_the_rules_heading_on_github(rule: Rule) -> None:
    page, _, anchor = rule.help_uri.partition("#")
    assert page == "https://github.com/reglint/reglint/blob/main/docs/rules.md"
    assert "repo: https://github.com/reglint/reglint\n" in README.read_text(encoding="utf-8")
    assert anchor in github_anchors(RULES_MD.read_text(encoding="utf-8")), f"{rule.id}: no heading #{anchor}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_explain_more_link_is_the_help_uri(rule: Rule, run_cli: Any) -> None:
    explained = run_cli("explain", rule.id)
    assert explained.code == 0, explained
    assert explained.out.splitlines()[-1] == f"More: {rule.help_uri}"


def test_rules_md_index_links_resolve() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert len(links) == len(RULES)
    assert set(links) <= github_anchors(text)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rules_md_holds_the_full_description_and_examples(rule: Rule) -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    section = text.split(f"\n## {rule.id} {rule.name}\n", 1)[1].split("\n## ", 1)[0]
    assert rule.description in section
    bad = (rule.examples.get("bad") or {}).get("files") or {}
    good = (rule.examples.get("good") or {}).get("files") or {}
    for name, content in bad.items():
        assert f"Bad (`{name}`)" in section and str(content).rstrip() in section
    kept = re.search(r"\nGood: (.*) as in the bad example, and:\n", section)
    for name, content in good.items():
        if bad.get(name) == content:  # shown once, with the bad example, and named
            assert kept and f"`{name}`" in kept.group(1), f"{rule.id}: {name}"
        else:
            assert f"Good (`{name}`)" in section and str(content).rstrip() in section


# RL101's explain example and wording


def _example_findings(run_cli: Any, tmp_path: Path, rule: Rule, label: str) -> list[dict[str, Any]]:
    """Every finding of every rule on one of a rule's examples, as its own project."""
    import json

    from helpers import write_tree

    write_tree(tmp_path, dict(rule.examples[label]["files"]))
    (tmp_path / ".git").mkdir()
    result = run_cli("check", ".", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert result.code == 0, result
    findings: list[dict[str, Any]] = json.loads(result.out)["findings"]
    return findings


def test_rl101_bad_example_is_one_finding_for_its_system_on_the_on_cluster_service(run_cli: Any, tmp_path: Path) -> None:
    rule = load_catalogue()["RL101"]
    manifests = [name for name, text in rule.examples["bad"]["files"].items() if "kind: RegistryService" in text]
    assert len(manifests) >= 2, "the bad example should show that one system gets one finding"
    findings = _example_findings(run_cli, tmp_path, rule, "bad")
    assert [(f["rule"], f["path"], f["line"], f["column"], f["severity"]) for f in findings] == [
        ("RL101", "docker-registry.yaml", 9, 9, "error")
    ]
    assert "system 'ml-prod' (tenant 'default', production)" in findings[0]["message"]


def test_rl101_good_example_is_clean_under_every_rule(run_cli: Any, tmp_path: Path) -> None:
    assert _example_findings(run_cli, tmp_path, load_catalogue()["RL101"], "good") == []


def test_rl101_description_says_where_it_is_reported_as_the_readme_does() -> None:
    phrase = "once per system, on its on-cluster service (else its first manifest)"
    assert phrase in " ".join(load_catalogue()["RL101"].description.split())
    assert phrase in " ".join(README.read_text(encoding="utf-8").split())


def test_explain_shows_a_file_the_good_example_keeps_once() -> None:
    from reglint.report.rules import explain_text

    text = explain_text(load_catalogue()["RL101"])
    assert text.count("Bad (`docker-registry.yaml`)") == 1 and "Good (`docker-registry.yaml`)" not in text
    assert text.count("name: docker-registry\n") == 1
    assert "\nGood: `docker-registry.yaml`, `system-registry.yaml` and `ecr-push.json` as in the bad example, and:\n" in text
    assert "Good (`user-registry.yaml`):" in text
