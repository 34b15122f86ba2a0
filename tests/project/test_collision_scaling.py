"""RL301 is found by hashing: the work grows linearly with the number of services."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from reglint.checks import collisions
from reglint.checks.collisions import Entry, find_clashes
from reglint.findings import FILE_START
from reglint.loading.document import Document, DocumentKind, SourceFile
from reglint.loading.positions import FixedPositions
from reglint.model.service import ServiceRole
from reglint.project import Site


def _entries(count: int) -> list[Entry]:
    source = SourceFile(Path("/p/all.yaml"))
    entries = []
    for i in range(count):
        document = Document(source, i, DocumentKind.MANIFEST, {}, FixedPositions(), FILE_START)
        namespace = f"123456789012.dkr.ecr.us-east-2.amazonaws.com/team-{i:05d}/"
        entries.append(Entry(Site(document, ("spec", "url")), namespace, ("default", f"system-{i}"), ServiceRole.USER, "r"))
    # Two real clashes among them: an equal pair and an overlapping pair.
    entries[10] = Entry(entries[10].url, entries[11].namespace, ("default", "x"), ServiceRole.USER, "r")
    entries[20] = Entry(entries[20].url, entries[21].namespace + "sub-", ("default", "y"), ServiceRole.USER, "r")
    return entries


class LookupCounter(defaultdict[Any, Any]):
    """The namespace table of find_clashes, counting its lookups (`get`)."""

    lookups = 0

    def get(self, key: Any, default: Any = None) -> Any:
        LookupCounter.lookups += 1
        return super().get(key, default)


def test_5000_services_need_linear_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collisions, "defaultdict", LookupCounter)
    counts = {}
    for size in (1000, 5000):
        entries = _entries(size)
        LookupCounter.lookups = 0
        clashes = find_clashes(entries)
        counts[size] = LookupCounter.lookups
        assert {e.namespace for e in clashes.equal} == {entries[11].namespace}
        assert {e.namespace for e in clashes.overlapping} == {entries[20].namespace, entries[21].namespace}
    longest = max(len(e.namespace) for e in entries)
    assert counts[5000] <= 5000 * longest  # each service looks up at most its own prefixes
    assert counts[5000] < 5.01 * counts[1000]  # linear (5x the services), not quadratic (25x)
