"""Which rules run and at which level: `select`, `ignore` and severity overrides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from reglint.findings import Severity
from reglint.rule_catalogue import Catalogue


class RuleSelection(NamedTuple):
    """The enabled rule IDs and per-rule levels, resolved once from selectors."""

    enabled: frozenset[str]
    levels: Mapping[str, Severity]

    @classmethod
    def build(
        cls,
        catalogue: Catalogue,
        select: Iterable[str] | None,
        ignore: Iterable[str],
        severity: Mapping[str, Severity],
    ) -> RuleSelection:
        """Resolve selectors (IDs, names, ID prefixes); an unknown one raises UnknownRuleError."""
        if select is None:
            chosen = {rule.id for rule in catalogue}
        else:
            chosen = set().union(*(catalogue.resolve(s) for s in select)) if select else set()
        for selector in ignore:
            chosen -= catalogue.resolve(selector)
        levels: dict[str, Severity] = {}
        # More specific selectors win: apply prefixes (many rules) before single rules.
        resolved = [(catalogue.resolve(s), level) for s, level in severity.items()]
        for ids, level in sorted(resolved, key=lambda item: -len(item[0])):
            levels.update(dict.fromkeys(ids, level))
        return cls(frozenset(chosen), levels)

    def is_enabled(self, rule_id: str) -> bool:
        return rule_id in self.enabled

    def level(self, rule_id: str, natural: Severity) -> Severity:
        """An override from the config sets every finding of the rule to that level."""
        return self.levels.get(rule_id, natural)
