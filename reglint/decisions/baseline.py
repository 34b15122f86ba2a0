"""Baseline files (SPEC §3.3): today's findings recorded by fingerprint, so that only
new findings fail a run. This module reads a baseline and marks the findings it
records; report/baseline.py writes one (`--write-baseline`).

The file is stable, sorted JSON that diffs well in review:

    {"version": 1, "tool": "reglint", "findings": [
      {"path": "systems/a.yaml", "rule": "RL106", "fingerprint": "…"}, …]}

A fingerprint never holds a line number (edits elsewhere in a file keep it) nor a
secret (see fingerprints.py). Each entry matches one finding, so a second, new finding with
the same fingerprint still fails.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from reglint.findings import Finding, Suppression, SuppressionKind

# A baseline of 100,000 findings takes about 13 MB; the file is repository content.
MAX_BASELINE_SIZE = 64 * 1024 * 1024


class BaselineError(Exception):
    """A baseline file that cannot be read (exit 2, one line)."""


class Baseline:
    """The recorded fingerprints, each usable once."""

    def __init__(self, fingerprints: Iterable[str]) -> None:
        self._remaining: Counter[str] = Counter(fingerprints)

    @classmethod
    def read(cls, path: Path, root: Path | None = None) -> Baseline:
        """Read a baseline file; with `root`, never through a symbolic link of the
        repository that leads out of it, and never more than `MAX_BASELINE_SIZE` bytes."""
        from reglint.files.confinement import OUTSIDE, confined_target
        from reglint.files.read import read_regular_file

        try:
            target = path if root is None else confined_target(path, root)
        except PermissionError:
            raise BaselineError(f"cannot read {path}: {OUTSIDE}") from None
        if not os.path.lexists(target):
            raise BaselineError(f"baseline file does not exist: {path}")
        raw = read_regular_file(target, MAX_BASELINE_SIZE)
        if isinstance(raw, str):
            raise BaselineError(f"cannot read {path}: {raw}")
        try:
            entries = json.loads(raw)["findings"]
            return cls(str(entry["fingerprint"]) for entry in entries)
        except (ValueError, KeyError, TypeError, RecursionError):
            raise BaselineError(f"{path} is not a reglint baseline file") from None

    def claim(self, fingerprint: str) -> bool:
        """True (and the entry is used up) when the baseline records this finding."""
        if self._remaining[fingerprint] > 0:
            self._remaining[fingerprint] -= 1
            return True
        return False

    @property
    def unmatched(self) -> int:
        """Entries that matched no finding of this run (fixed since, or moved)."""
        return sum(self._remaining.values())


def apply_baseline(findings: list[Finding], baseline: Baseline) -> list[Finding]:
    """Mark the findings the baseline records, claiming its entries in report order."""
    decided = []
    for finding in findings:
        if finding.suppressed is None and finding.rule_id not in ("RL000", "RL004") and baseline.claim(finding.fingerprint):
            finding = replace(finding, suppressed=Suppression(SuppressionKind.BASELINE, None))
        decided.append(finding)
    return decided
