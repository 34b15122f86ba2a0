"""SARIF `reportingDescriptor`s: the rule metadata of `rules/`, shaped for GitHub code scanning.

Every text comes from the rule files through `report/rules.py` (the same words as `reglint
explain` and docs/rules.md), so the catalogue stays the single source. GitHub's reading
of these fields, and its limits, are in "SARIF support for code scanning"
(https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
"""

from __future__ import annotations

import re
from typing import Any

from reglint.findings import Severity
from reglint.report.rules import explain_markdown, explain_text
from reglint.rule_catalogue import Catalogue, Rule

# GitHub cuts shortDescription.text and fullDescription.text at 1024 characters.
DESCRIPTION_LIMIT = 1024

# Every reglint rule is a deterministic check of a file's content against a grammar, a
# schema or AWS's documented evaluation logic, with no heuristics: GitHub shows results
# of "very-high" precision first and by default.
PRECISION = "very-high"

# GitHub's `problem.severity` (for rules that are not security rules) has no "note":
# its lowest level is "recommendation".
_PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTE: "recommendation",
}

_LIST_ITEM = re.compile(r"\n\s*[-*] ")
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def rule_descriptors(catalogue: Catalogue) -> list[dict[str, Any]]:
    """One descriptor per rule, in catalogue order (a result's `ruleIndex` points into it)."""
    return [rule_descriptor(rule) for rule in catalogue]


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """The `reportingDescriptor` of one rule."""
    properties: dict[str, Any] = {"tags": list(rule.tags), "precision": PRECISION}
    if rule.security_severity is not None:
        # GitHub treats a rule with a security-severity as a security rule and files
        # its results under "security"; it expects the `security` tag on those too.
        properties["security-severity"] = str(rule.security_severity)
        if "security" not in properties["tags"]:
            properties["tags"].insert(0, "security")
    else:
        properties["problem.severity"] = _PROBLEM_SEVERITY[rule.severity]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": clip(rule.summary)},
        "fullDescription": {"text": full_description(rule)},
        "help": {"text": explain_text(rule), "markdown": explain_markdown(rule)},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": properties,
    }


def full_description(rule: Rule) -> str:
    """The description's opening paragraph as plain text, within GitHub's limit.

    Many descriptions open with a sentence that ends in a colon and introduces a list;
    that list comes along, so the text never stops on a dangling "for example:".
    """
    paragraphs = [p.strip() for p in rule.description.split("\n\n") if p.strip()]
    if not paragraphs:
        return clip(rule.summary)
    opening = paragraphs[:1]
    if opening[0].endswith(":") and len(paragraphs) > 1:
        opening.append(paragraphs[1])
    return clip("\n".join(_plain(p) for p in opening))


def _plain(paragraph: str) -> str:
    """One Markdown paragraph as plain text: wrapped lines joined, list items one a line."""
    text = paragraph.replace("**", "")
    if not text.lstrip().startswith(("- ", "* ")):
        return " ".join(text.split())
    items = _LIST_ITEM.split("\n" + text.lstrip())
    return "\n".join(f"- {' '.join(item.split())}" for item in items if item.strip())


def clip(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` itself when it fits `limit`, else cut after its last whole sentence that fits
    (or mid-sentence, marked with "…", when not even one sentence fits)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    return head[: ends[-1]] if ends else head.rstrip() + "…"
