"""Checkstyle XML, as `checkstyle -f xml` writes it and Jenkins warnings-ng, reviewdog
(`-f=checkstyle`) and most CI dashboards read it:

    <checkstyle version="4.3">
      <file name="iam/push.json">
        <error line="3" column="5" severity="error" message="…" source="reglint.RL201" />
      </file>
    </checkstyle>

One `<file>` per checked file, in path order, findings or not (so a dashboard counts the
files that passed); a file that was skipped is not listed as if it had passed (stderr
names it). One `<error>` per unsuppressed finding. `severity` is `error`, `warning` or
`info` (a note). `source` is `reglint.` + the rule ID: warnings-ng takes the part after
the last dot as the issue's type (`RL201`), reviewdog shows it as the rule's code.
`version` is the format's version, 4.3, as ESLint and reviewdog write and read it.

Every text is escaped by ElementTree; what XML 1.0 cannot carry at all (most C0
controls) is dropped, as in the JUnit report (escape.py, `xml_text`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from reglint.findings import Finding, Severity
from reglint.report.escape import xml_text

if TYPE_CHECKING:
    from reglint.report import ReportContext
    from reglint.report.result import RunResult

FORMAT_VERSION = "4.3"
_SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "info"}


def render(result: RunResult, context: ReportContext) -> str:
    """The checkstyle XML document for a run."""
    # Imported here, not at the top: only a checkstyle run pays for it (SPEC §5).
    import xml.etree.ElementTree as ET

    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.shown:
        if finding.suppressed is None:
            by_path[finding.path].append(finding)
    skipped = {note.path for note in result.notifications}
    paths = sorted((set(result.files_checked) - skipped) | set(by_path))

    root = ET.Element("checkstyle", {"version": FORMAT_VERSION})
    for path in paths:
        file = ET.SubElement(root, "file", {"name": xml_text(path)})
        for finding in by_path.get(path, ()):
            ET.SubElement(file, "error", _attributes(finding))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _attributes(finding: Finding) -> dict[str, str]:
    return {
        "line": str(finding.span.line),
        "column": str(finding.span.column),
        "severity": _SEVERITIES[finding.severity],
        "message": xml_text(finding.message),
        "source": f"reglint.{finding.rule_id}",
    }
