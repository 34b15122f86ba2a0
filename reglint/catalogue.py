"""The rule catalogue: one YAML file per rule in `rules/`, the single source of rule
metadata for the engine, `reglint rules`, `reglint explain` and SARIF descriptors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from reglint.findings import Severity
from reglint.resources import data_path

DOCS_URL = "https://github.com/reglint/reglint/blob/main/docs/rules.md"


class CatalogueError(Exception):
    """The rule files are inconsistent (a duplicate ID or name, a missing field)."""


class UnknownRuleError(Exception):
    """A selector or `explain` argument that matches no rule (a usage error, exit 2)."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    description: str
    tags: tuple[str, ...] = ()
    security_severity: str | None = None
    examples: Mapping[str, Any] = field(default_factory=dict)

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.id.lower()}-{self.name}"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str) -> Rule:
        try:
            return cls(
                id=str(data["id"]),
                name=str(data["name"]),
                severity=Severity(data["severity"]),
                summary=str(data["summary"]).strip(),
                description=str(data["description"]).strip(),
                tags=tuple(data.get("tags") or ()),
                security_severity=data.get("security-severity"),
                examples=data.get("examples") or {},
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise CatalogueError(f"{source}: bad rule file ({exc})") from None


class Catalogue:
    """Every rule, by ID; refuses duplicate IDs or names."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._by_id: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}
        for rule in sorted(rules, key=lambda r: r.id):
            if rule.id in self._by_id:
                raise CatalogueError(f"duplicate rule ID {rule.id}")
            if rule.name in self._by_name:
                raise CatalogueError(f"duplicate rule name {rule.name}")
            self._by_id[rule.id] = rule
            self._by_name[rule.name] = rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __getitem__(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def find(self, id_or_name: str) -> Rule:
        """One rule by its ID (any case) or its name; UnknownRuleError otherwise."""
        rule = self._by_id.get(id_or_name.upper()) or self._by_name.get(id_or_name.lower())
        if rule is None:
            raise UnknownRuleError(f"unknown rule {id_or_name!r}{self._suggest(id_or_name)}")
        return rule

    def resolve(self, selector: str) -> frozenset[str]:
        """The IDs a selector names: an ID, a name, an ID prefix (`RL2`) or `ALL`."""
        text = selector.strip()
        if text.upper() == "ALL":
            return frozenset(self._by_id)
        if text.lower() in self._by_name:
            return frozenset({self._by_name[text.lower()].id})
        prefix = text.upper()
        ids = frozenset(rule_id for rule_id in self._by_id if rule_id.startswith(prefix))
        if not ids or not prefix:
            raise UnknownRuleError(f"unknown rule selector {selector!r}{self._suggest(text)}")
        return ids

    def _suggest(self, text: str) -> str:
        import difflib

        names = list(self._by_name) + list(self._by_id)
        close = difflib.get_close_matches(text, names, n=1)
        return f" (did you mean {close[0]!r}?)" if close else ""


@cache
def load_catalogue() -> Catalogue:
    """Read every `rules/*.yaml` once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    rules = []
    for path in sorted(data_path("rules").glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            rules.append(Rule.from_mapping(yaml.load(handle, Loader=loader), path.name))
    return Catalogue(rules)
