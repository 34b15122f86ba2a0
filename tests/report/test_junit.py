"""JUnit XML: testcases per checked file, failures by --fail-on, XML-safe text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from report.golden_fixture import CATALOGUE, CWD, MANIFEST, OTHER, POLICY, run_result

from reglint.findings import Finding, Notification, Severity, Span
from reglint.report import ReportContext, junit
from reglint.report.result import RunResult


def render(result: RunResult, fail_on: str = "error") -> ET.Element:
    text = junit.render(result, ReportContext(catalogue=CATALOGUE, fail_on=fail_on))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def cases(root: ET.Element) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in root.iter("testcase")}


def finding(
    message: str = "m", severity: Severity = Severity.ERROR, path: str = "a.yaml"
) -> Finding:
    return Finding("RL201", "ecr-push-actions-missing", severity, path, Span(2, 3, 2, 5), message)


def test_one_suite_with_one_testcase_per_checked_file() -> None:
    root = render(run_result())
    suites = root.findall("testsuite")
    assert root.tag == "testsuites" and len(suites) == 1 and suites[0].get("name") == "reglint"
    by_name = cases(root)
    assert sorted(by_name) == sorted(run_result().files_checked)
    for name, case in by_name.items():
        assert case.get("classname") == name
    assert suites[0].get("tests") == root.get("tests") == "5"


def test_findings_at_or_above_fail_on_are_failures_the_others_system_out() -> None:
    by_name = cases(render(run_result(), "error"))
    policy_failures = by_name[POLICY].findall("failure")
    assert [f.get("type") for f in policy_failures] == ["RL201"]
    assert (
        policy_failures[0]
        .get("message", "")
        .startswith("the policy does not allow 2 of the 9 push actions:\n")
    )
    assert policy_failures[0].text and policy_failures[0].text.startswith(
        f"{POLICY}:3:5: RL201 error "
    )
    manifest = by_name[MANIFEST]
    assert [f.get("type") for f in manifest.findall("failure")] == ["RL301"]
    out = manifest.findtext("system-out", "").splitlines()
    assert out == [
        f"{MANIFEST}:3:1: RL004 note unused-suppression: the ignore comment names 'RL99', which is not a rule",
        f"{MANIFEST}:19:21: RL107 warning resource-limits: cpu request '2' is above its limit '1'",
    ]
    assert by_name[OTHER].find("failure") is None
    root = render(run_result(), "error")
    assert root.get("failures") == "2"  # failed testcases, not failure elements


def test_suppressed_findings_are_left_out() -> None:
    text = ET.tostring(render(run_result()), encoding="unicode")
    assert "RL106" not in text and "no memory limit" not in text


def test_fail_on_note_fails_on_everything_and_never_on_nothing() -> None:
    by_name = cases(render(run_result(), "note"))
    assert [f.get("type") for f in by_name[MANIFEST].findall("failure")] == [
        "RL004",
        "RL301",
        "RL107",
    ]
    assert by_name[MANIFEST].find("system-out") is None
    never = render(run_result(), "never")
    assert never.get("failures") == "0" and not list(never.iter("failure"))
    assert len(cases(never)[MANIFEST].findtext("system-out", "").splitlines()) == 3


def test_skipped_files_are_skipped_testcases() -> None:
    root = render(run_result())
    skipped = cases(root)["systems/locked.yaml"].find("skipped")
    assert skipped is not None and skipped.get("message") == "skipped: permission denied"
    assert root.get("skipped") == "2"


def test_special_characters_round_trip_and_forbidden_ones_are_dropped() -> None:
    """A lone surrogate becomes U+FFFD, as in JSON and SARIF; other forbidden ones go."""
    message = "a & b < c > \"d\" 'e'\nnext line\x00\x1b[31m\ud800 ü"
    root = render(
        RunResult(
            findings=[finding(message, path="x & <y>.yaml")],
            files_checked=["x & <y>.yaml"],
            cwd=CWD,
        )
    )
    failure = cases(root)["x & <y>.yaml"].find("failure")
    assert failure is not None
    assert failure.get("message") == "a & b < c > \"d\" 'e'\nnext line[31m\ufffd ü"
    assert failure.text and failure.text.endswith("next line[31m\ufffd ü")


def test_a_finding_on_a_file_not_in_files_checked_still_gets_a_testcase() -> None:
    root = render(RunResult(findings=[finding(path="b.yaml")], cwd=CWD))
    assert list(cases(root)) == ["b.yaml"] and root.get("failures") == "1"


def test_project_wide_notifications_go_to_the_suites_system_err() -> None:
    result: Any = RunResult(
        notifications=[Notification(".", "internal error in check 'x'")], cwd=CWD
    )
    root = render(result)
    assert root.get("tests") == "0"
    assert root.findtext("testsuite/system-err") == ".: internal error in check 'x'"
