"""JUnit XML: one `<testcase>` per checked file, so CI test dashboards list every file.

    <testsuites name="reglint" tests="3" failures="1" errors="0" skipped="1">
      <testsuite name="reglint" ...>
        <testcase classname="a.yaml" name="a.yaml">
          <failure type="RL102" message="…">a.yaml:3:8: RL102 error invalid-registry-url: …</failure>
          <system-out>a.yaml:9:3: RL107 warning resource-limits: …</system-out>
        </testcase>

A finding at or above `--fail-on` is a `<failure>` (so the test fails exactly when the
finding fails the run); the others are listed in the testcase's `<system-out>`.
Suppressed findings are left out, as in the text report. A file that was skipped (see
the notifications) is a `<skipped>` testcase. `failures` counts failed testcases, as
JUnit consumers (Jenkins, GitLab, Azure DevOps) expect, not failure elements.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from reglint.findings import Finding, Notification, fails
from reglint.report.escape import xml_text

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from reglint.report import ReportContext
    from reglint.report.result import RunResult

def render(result: RunResult, context: ReportContext) -> str:
    """The JUnit XML document for a run."""
    # Imported here, not at the top: only a junit run pays for it (SPEC §5, lazy imports).
    import xml.etree.ElementTree as ET

    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.shown:
        if finding.suppressed is None:
            by_path[finding.path].append(finding)
    skipped = {note.path: note for note in result.notifications if note.skipped}
    paths = sorted(set(result.files_checked) | set(by_path))

    suite = ET.Element("testsuite", {"name": "reglint"})
    failed = skipped_count = 0
    for path in paths:
        case = _testcase(suite, path, by_path.get(path, []), context.fail_on, skipped.get(path))
        failed += case.find("failure") is not None
        skipped_count += case.find("skipped") is not None
    # Notifications about no one checked file (a project-wide internal error), and those
    # about a checked file that are no skip.
    placed = set(paths)
    unplaced = [note for note in result.notifications if note.path not in placed or not note.skipped]
    if unplaced:
        _text_child(suite, "system-err", "\n".join(f"{n.path}: {n.message}" for n in unplaced))

    counts = {
        "tests": str(len(paths)),
        "failures": str(failed),
        "errors": "0",
        "skipped": str(skipped_count),
    }
    for name, value in counts.items():
        suite.set(name, value)
    root = ET.Element("testsuites", {"name": "reglint", **counts})
    root.append(suite)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _testcase(
    suite: Element,
    path: str,
    findings: list[Finding],
    fail_on: str,
    note: Notification | None,
) -> Element:
    case = _child(suite, "testcase", classname=_clean(path), name=_clean(path))
    if note is not None:
        _child(case, "skipped", message=_clean(note.message))
    passing: list[str] = []
    for finding in findings:
        if fails(finding.severity, fail_on):
            failure = _text_child(case, "failure", _line(finding))
            failure.set("type", finding.rule_id)
            failure.set("message", _clean(finding.message))
        else:
            passing.append(_line(finding))
    if passing:
        _text_child(case, "system-out", "\n".join(passing))
    return case


def _line(finding: Finding) -> str:
    """The finding as the text report prints it."""
    span = finding.span
    return (
        f"{finding.path}:{span.line}:{span.column}: {finding.rule_id} "
        f"{finding.severity.value} {finding.rule_name}: {finding.message}"
    )


def _text_child(parent: Element, tag: str, text: str) -> Element:
    child = _child(parent, tag)
    child.text = _clean(text)
    return child


def _child(parent: Element, tag: str, **attributes: str) -> Element:
    """ElementTree's SubElement, without needing the module at import time."""
    child = parent.makeelement(tag, attributes)
    parent.append(child)
    return child


_clean = xml_text  # report/escape.py: what XML 1.0 cannot carry, dropped
