"""Which ignore comment suppresses a finding (SPEC §3.3): the comments themselves are
read at load (loading/comments.py); the Decider (decisions/decider.py) asks this index."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable

from reglint.loading.comments import IgnoreComment


class CommentIndex:
    """Which comment suppresses a finding of a rule on a line: the first in the file that
    covers the line and names the rule (as ID or name).

    Built once per file for the lines that have findings, so a file of many comments and
    many findings costs their sum, not their product: comments covering the same lines
    share one rule table, and a line lies in few distinct ranges (the key blocks around
    it, which nest, and its own line)."""

    def __init__(self, comments: Iterable[IgnoreComment], lines: Iterable[int], rule_ids: Callable[[tuple[str, ...]], frozenset[str]]) -> None:
        tables: dict[tuple[int, int], dict[str, IgnoreComment]] = {}
        for comment in comments:
            covered = (0, 0) if comment.whole_file else (comment.target_line, comment.target_end_line)
            table = tables.setdefault(covered, {})
            for rule_id in rule_ids(comment.rules):
                table.setdefault(rule_id, comment)
        self._whole_file = tables.pop((0, 0), {})
        wanted = sorted(set(lines))
        self._at: dict[int, list[dict[str, IgnoreComment]]] = {}
        for (first, last), table in tables.items():
            index = bisect_left(wanted, first)
            while index < len(wanted) and wanted[index] <= last:
                self._at.setdefault(wanted[index], []).append(table)
                index += 1

    def find(self, rule_id: str, line: int) -> IgnoreComment | None:
        """The comment that suppresses a `rule_id` finding on `line`, if any."""
        found = [table[rule_id] for table in self._at.get(line, ()) if rule_id in table]
        if rule_id in self._whole_file:
            found.append(self._whole_file[rule_id])
        return min(found, key=lambda comment: comment.span) if found else None
