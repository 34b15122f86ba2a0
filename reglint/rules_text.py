"""How `reglint rules` and `reglint explain` print the catalogue."""

from __future__ import annotations

import json
from typing import Any

from reglint.catalogue import Catalogue, Rule


def rules_table(catalogue: Catalogue) -> str:
    """One line per rule: ID, default level, name, summary."""
    return "".join(
        f"{rule.id}  {rule.severity.value:<7}  {rule.name:<30}  {rule.summary}\n" for rule in catalogue
    )


def rules_json(catalogue: Catalogue) -> str:
    return json.dumps([rule_to_json(rule) for rule in catalogue], indent=2) + "\n"


def rule_to_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "severity": rule.severity.value,
        "summary": rule.summary,
        "description": rule.description,
        "tags": list(rule.tags),
        "security_severity": rule.security_severity,
        "help_uri": rule.help_uri,
    }


def rules_markdown(catalogue: Catalogue) -> str:
    """The rules as a Markdown document (docs/rules.md is generated from it)."""
    parts = ["# reglint rules\n", "| ID | name | severity | summary |", "|---|---|---|---|"]
    parts += [f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} | {r.severity.value} | {r.summary} |" for r in catalogue]
    for rule in catalogue:
        parts.append(f"\n## {rule.id} {rule.name}\n\n{explain_markdown(rule)}")
    return "\n".join(parts) + "\n"


def explain_markdown(rule: Rule) -> str:
    """The rule's description followed by its bad and good examples."""
    text = [f"Default severity: **{rule.severity.value}**. {rule.summary}\n", rule.description]
    for label in ("bad", "good"):
        files = (rule.examples.get(label) or {}).get("files") or {}
        for name, content in files.items():
            fence = "json" if str(name).endswith(".json") else "yaml"
            text.append(f"\n{label.capitalize()} (`{name}`):\n\n```{fence}\n{str(content).rstrip()}\n```")
    return "\n".join(text)


def explain_text(rule: Rule) -> str:
    header = f"{rule.id} {rule.name} ({rule.severity.value})"
    return f"{header}\n{'=' * len(header)}\n\n{explain_markdown(rule)}\n\nMore: {rule.help_uri}\n"
