"""GitLab Code Quality (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format):
a JSON array with one entry per unsuppressed finding, for `artifacts: reports: codequality:`.

    [{"type": "issue", "check_name": "RL201", "description": "RL201 ecr-push-actions-missing: …",
      "fingerprint": "…", "severity": "major",
      "location": {"path": "iam/push.json", "lines": {"begin": 3, "end": 7}}}]

GitLab reads `description`, `check_name`, `fingerprint`, `severity`, `location.path` and
`location.lines.begin`; `type` and `lines.end` are the Code Climate fields it ignores.
Paths are relative to the current folder, as in every report: GitLab links them to the
repository, so run reglint from the repository's root (a CI job does).

Severity: the finding's level, after `severity` overrides: `note` -> `info`, `warning` ->
`minor`, `error` -> `major`. An error of a rule with a `security-severity` (the CVSS-like
score SARIF gives GitHub) is raised as GitHub ranks that score: 7.0 or more (GitHub's
"high") -> `critical`, 9.0 or more (GitHub's "critical") -> `blocker`. A rule lowered to
a warning stays `minor`: the level the project chose decides first.

Fingerprints: GitLab keeps one entry per fingerprint (a repeated one replaces the earlier
entry), so each must be unique within a report. An entry carries reglint's own
fingerprint (stable across edits elsewhere in the file, the one the JSON report and the
baseline use); a later finding with the same one gets a fingerprint derived from it and
its rank among them, stable as long as the findings before it stay.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from reglint.findings import Finding, Severity
from reglint.report.escape import encodable

if TYPE_CHECKING:
    from reglint.report import ReportContext
    from reglint.report.result import RunResult

_LEVELS = {Severity.NOTE: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}
# GitHub code scanning's bands of `security-severity`: 7.0-8.9 high, 9.0 and up critical.
_SECURITY_BANDS = ((9.0, "blocker"), (7.0, "critical"))


def render(result: RunResult, context: ReportContext) -> str:
    """The Code Quality report: a JSON array, `[]` when nothing is found."""
    entries = []
    used: set[str] = set()
    for finding in result.shown:
        if finding.suppressed is None:
            entries.append(_entry(finding, context, _unique(finding, used)))
    return encodable(json.dumps(entries, indent=2, ensure_ascii=False)) + "\n"


def _entry(finding: Finding, context: ReportContext, fingerprint: str) -> dict[str, Any]:
    span = finding.span
    return {
        "type": "issue",
        "check_name": finding.rule_id,
        "description": f"{finding.rule_id} {finding.rule_name}: {finding.message}",
        "fingerprint": fingerprint,
        "severity": severity(finding, context),
        "location": {"path": finding.path, "lines": {"begin": span.line, "end": max(span.line, span.end_line)}},
    }


def severity(finding: Finding, context: ReportContext) -> str:
    """The Code Quality severity of a finding (see the module docstring)."""
    if finding.severity is Severity.ERROR:
        try:
            score = context.catalogue[finding.rule_id].security_severity
        except KeyError:  # a rule this catalogue does not hold
            score = None
        for floor, name in _SECURITY_BANDS:
            if score is not None and float(score) >= floor:
                return name
    return _LEVELS[finding.severity]


def _unique(finding: Finding, used: set[str]) -> str:
    """reglint's fingerprint, or one derived from it when it is already in the report."""
    from reglint.decisions.fingerprints import digest

    base = finding.fingerprint or digest(
        (finding.rule_id, finding.path, str(finding.span.line), str(finding.span.column), finding.message)
    )
    candidate, rank = base, 1
    while candidate in used:
        rank += 1
        candidate = digest((base, str(rank)))
    used.add(candidate)
    return candidate
