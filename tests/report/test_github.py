"""GitHub workflow-command annotations: format, positions and escaping."""

from __future__ import annotations

import re
from typing import Any

import pytest
from report.golden_fixture import CATALOGUE, CWD, run_result

from reglint.findings import Finding, Severity, Span, Suppression, SuppressionKind
from reglint.report import ReportContext, github
from reglint.report.result import RunResult

CONTEXT = ReportContext(catalogue=CATALOGUE, fail_on="error")

_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def _unescape(value: str) -> str:
    """What the Actions runner does to a property or a message: every escape decoded in
    one pass, so `%250A` stays the literal text `%0A`."""
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: _ESCAPES[m.group(0)], value)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Split `::cmd k=v,k=v::message` the way the runner reads it."""
    match = re.fullmatch(r"::(\w+) (.*?)::(.*)", line)
    assert match, line
    properties = {}
    for pair in match.group(2).split(","):
        key, _, value = pair.partition("=")
        properties[key] = _unescape(value)
    return match.group(1), properties, _unescape(match.group(3))


def finding(**changes: Any) -> Finding:
    fields: dict[str, Any] = {
        "rule_id": "RL201",
        "rule_name": "ecr-push-actions-missing",
        "severity": Severity.ERROR,
        "path": "iam/push.json",
        "span": Span(3, 5, 3, 9),
        "message": "the policy does not allow ecr:PutImage",
    }
    fields.update(changes)
    return Finding(**fields)


def test_command_has_the_spec_format() -> None:
    assert github.command(finding()) == (
        "::error file=iam/push.json,line=3,endLine=3,col=5,endColumn=8,"
        "title=RL201 ecr-push-actions-missing::the policy does not allow ecr:PutImage"
    )


@pytest.mark.parametrize(
    ("severity", "command"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.NOTE, "notice")],
)
def test_command_follows_the_findings_severity(severity: Severity, command: str) -> None:
    assert github.command(finding(severity=severity)).startswith(f"::{command} ")


def test_end_column_is_converted_to_githubs_inclusive_last_column() -> None:
    # Our span 5..9 (exclusive) covers columns 5, 6, 7 and 8.
    _, properties, _ = parse_command(github.command(finding(span=Span(3, 5, 3, 9))))
    assert (properties["col"], properties["endColumn"]) == ("5", "8")
    # An empty region (a whole-file finding at 1:1) still has end >= start.
    _, properties, _ = parse_command(github.command(finding(span=Span(1, 1, 1, 1))))
    assert (properties["col"], properties["endColumn"]) == ("1", "1")


def test_a_region_over_several_lines_is_given_by_lines_only() -> None:
    _, properties, _ = parse_command(github.command(finding(span=Span(3, 5, 7, 2))))
    assert properties == {
        "file": "iam/push.json",
        "line": "3",
        "endLine": "7",
        "title": "RL201 ecr-push-actions-missing",
    }


def test_escaping_round_trips_paths_and_messages() -> None:
    path = "systems/ml prod/a, b: ü%0A.yaml"
    message = "two actions missing:\n- ecr:PutImage,\r\n- 100% of ecr:Batch* (%0A stays text)"
    line = github.command(finding(path=path, message=message))
    assert "\n" not in line and "\r" not in line
    command, properties, text = parse_command(line)
    assert command == "error"
    assert properties["file"] == path
    assert text == message
    # Exactly the five escapes, nothing else: non-ASCII and spaces pass through.
    assert "file=systems/ml prod/a%2C b%3A ü%250A.yaml," in line


def test_escape_functions() -> None:
    assert github.escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert github.escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_report_prints_one_line_per_unsuppressed_finding() -> None:
    report = github.render(run_result(), CONTEXT)
    assert report.endswith("\n")
    # The runner splits its input at \n and \r only (a form feed in a message is text).
    lines = report[:-1].split("\n")
    assert [parse_command(line)[1]["title"].split()[0] for line in lines] == [
        "RL201",
        "RL004",
        "RL301",
        "RL107",
    ]
    assert all(line.startswith("::") for line in lines)


def test_suppressed_findings_are_not_printed() -> None:
    suppressed = finding(suppressed=Suppression(SuppressionKind.INLINE, "ok"))
    assert github.render(RunResult(findings=[suppressed], cwd=CWD), CONTEXT) == ""
