"""The JSON report of SPEC §3.1: `{"version": 1, "findings": [...], "summary": {...}}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reglint.files.paths import display_path
from reglint.findings import Finding, Fix, Severity
from reglint.report.escape import encodable

if TYPE_CHECKING:
    from reglint.report import ReportContext
    from reglint.report.result import RunResult


def render(result: RunResult, context: ReportContext) -> str:
    cwd = result.cwd
    document = {
        "version": 1,
        "findings": [finding_to_json(f, cwd) for f in result.shown],
        "summary": {
            "files": result.files,
            "skipped": result.skipped,
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "notes": result.count(Severity.NOTE),
            "suppressed": result.suppressed,
        },
    }
    if result.baseline_unmatched is not None:  # only when --baseline was given
        document["summary"]["baseline_unmatched"] = result.baseline_unmatched  # type: ignore[index]
    if result.live is not None:  # `aws verify`: what was read live
        document["summary"]["live"] = result.live  # type: ignore[index]
    if result.fixed is not None:  # only when --fix was given
        document["summary"]["fixed"] = result.fixed  # type: ignore[index]
    return encodable(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def finding_to_json(finding: Finding, cwd: Path | None = None) -> dict[str, Any]:
    span = finding.span
    suppressed = finding.suppressed
    return {
        "rule": finding.rule_id,
        "name": finding.rule_name,
        "severity": finding.severity.value,
        "path": finding.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
        "related": [
            {"path": r.path, "line": r.span.line, "column": r.span.column, "message": r.message}
            for r in finding.related
        ],
        "suppressed": None
        if suppressed is None
        else {"kind": suppressed.kind.value, "justification": suppressed.justification},
        "fix": None if finding.fix is None else fix_to_json(finding.fix, cwd or Path.cwd()),
    }


def fix_to_json(fix: Fix, cwd: Path) -> dict[str, Any]:
    """`{"safety", "description", "edits"}`; each edit replaces a region (end exclusive,
    as a finding's) with `content`, in the file's own line breaks. An RL106 fix's edit
    holds the reference that replaces the secret, never the secret."""
    return {
        "safety": fix.safety.value,
        "description": fix.description,
        "edits": [
            {
                "path": display_path(edit.file, cwd),
                "line": edit.span.line,
                "column": edit.span.column,
                "end_line": edit.span.end_line,
                "end_column": edit.span.end_column,
                "content": edit.text,
            }
            for edit in fix.edits
        ],
    }
