"""The baseline file `--write-baseline` writes (SPEC §3.3; read by decisions/baseline.py):
stable, sorted JSON that diffs well in review."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from reglint.findings import Finding
from reglint.report.escape import encodable

FORMAT_VERSION = 1


def render_baseline(findings: Iterable[Finding]) -> str:
    """The baseline text for `findings` (the path is for readers; matching is by fingerprint)."""
    entries = sorted(
        ({"path": f.path, "rule": f.rule_id, "fingerprint": f.fingerprint} for f in findings),
        key=lambda e: (e["path"], e["rule"], e["fingerprint"]),
    )
    document = {"version": FORMAT_VERSION, "tool": "reglint", "findings": entries}
    # A file name that is not UTF-8 is written with U+FFFD (the fingerprint is exact).
    return encodable(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def write_baseline(path: Path, findings: Iterable[Finding], root: Path | None = None) -> None:
    # Imported only by a run that writes one: tempfile is slow to import.
    from reglint.report.write import write_atomically

    write_atomically(path, render_baseline(findings), root)
