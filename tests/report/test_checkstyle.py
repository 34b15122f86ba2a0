"""Checkstyle XML (`--format checkstyle`), read back as Jenkins warnings-ng and reviewdog
read it: `<checkstyle version>`, a `<file name>` per checked file, and an `<error line
column severity message source>` per finding; well-formed, every text escaped."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from report.golden_fixture import CATALOGUE, MANIFEST, OTHER, POLICY, run_result

from reglint.findings import Finding, Severity, Span
from reglint.report import ReportContext, checkstyle
from reglint.report.result import RunResult

REPO = Path(__file__).resolve().parents[2]


def parse(result: RunResult) -> ET.Element:
    text = checkstyle.render(result, ReportContext(catalogue=CATALOGUE, fail_on="error"))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def errors(root: ET.Element) -> list[tuple[str, dict[str, str]]]:
    return [(file.get("name", ""), dict(error.attrib)) for file in root.iter("file") for error in file.iter("error")]


def test_the_fixture_reads_back_with_every_attribute() -> None:
    root = parse(run_result())
    assert root.tag == "checkstyle" and root.get("version") == "4.3"
    assert errors(root) == [
        (
            POLICY,
            {
                "line": "3",
                "column": "5",
                "severity": "error",
                "message": "the policy does not allow 2 of the 9 push actions:\n"
                "- ecr:CreateRepository: not allowed,\n"
                "- ecr:PutImage: explicitly denied (100% of the namespace)",
                "source": "reglint.RL201",
            },
        ),
        (
            MANIFEST,
            {
                "line": "3",
                "column": "1",
                "severity": "info",
                # The form feed of the message cannot be carried by XML 1.0: dropped.
                "message": "the ignore comment names 'RL99', which is not a rule",
                "source": "reglint.RL004",
            },
        ),
        (
            MANIFEST,
            {
                "line": "10",
                "column": "8",
                "severity": "error",
                "message": "namespace 'reg.example.com/ml/' is also the namespace of service 'ecr' of "
                "system 'analytics' [tenant: default]",
                "source": "reglint.RL301",
            },
        ),
        (
            MANIFEST,
            {
                "line": "19",
                "column": "21",
                "severity": "warning",
                "message": "cpu request '2' is above its limit '1'",
                "source": "reglint.RL107",
            },
        ),
    ]


def test_every_checked_file_is_listed_once_and_skipped_ones_are_not() -> None:
    names = [file.get("name") for file in parse(run_result()).iter("file")]
    # systems/locked.yaml and vendor/bad file.yaml were skipped: not listed as clean files.
    assert names == sorted([POLICY, MANIFEST, OTHER])


def test_markup_quotes_and_line_breaks_survive_the_round_trip() -> None:
    message = 'a <b> & "c" \'d\'\r\n\te ]]> \x1b[31m\x00 \ud800'
    path = 'x"<&>\n.yaml'
    finding = Finding("RL203", "unknown-action", Severity.WARNING, path, Span(2, 7, 2, 9), message)
    root = parse(RunResult(findings=[finding], files=1, files_checked=[path]))
    ((name, attributes),) = errors(root)
    assert name == path
    # ESC and NUL are not XML 1.0 characters (dropped); a lone surrogate is U+FFFD.
    assert attributes["message"] == 'a <b> & "c" \'d\'\r\n\te ]]> [31m \ufffd'
    assert (attributes["line"], attributes["column"], attributes["severity"]) == ("2", "7", "warning")


def test_no_findings_is_a_well_formed_report_listing_the_files() -> None:
    root = parse(RunResult(files=2, files_checked=["a.yaml", "b.json"]))
    assert [(f.get("name"), list(f)) for f in root.iter("file")] == [("a.yaml", []), ("b.json", [])]


def test_the_examples_report_matches_the_json_report() -> None:
    def run(fmt: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "reglint", "check", "examples", "--format", fmt],
            cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        )
        assert done.returncode == 1, done.stderr
        return done.stdout

    root = ET.fromstring(run("checkstyle").encode("utf-8"))
    findings = [f for f in json.loads(run("json"))["findings"] if f["suppressed"] is None]
    read = [(name, a["source"], int(a["line"]), int(a["column"]), a["severity"]) for name, a in errors(root)]
    assert read == [
        (f["path"], f"reglint.{f['rule']}", f["line"], f["column"], {"note": "info"}.get(f["severity"], f["severity"]))
        for f in findings
    ]
