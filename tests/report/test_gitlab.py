"""GitLab Code Quality (`--format gitlab`): GitLab's own schema, the fields its
documentation lists, the severity mapping, and fingerprints GitLab can key on.

GitLab keeps the entries of a report by `fingerprint` (a repeated one replaces the
earlier entry), and its parser stops at the first entry that fails its schema; so
every entry must validate, and fingerprints must be unique within a report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from report.golden_fixture import CATALOGUE, MANIFEST, POLICY, run_result

from reglint.findings import Finding, Severity, Span
from reglint.report import ReportContext, gitlab
from reglint.report.result import RunResult
from reglint.rule_catalogue import Catalogue, Rule

REPO = Path(__file__).resolve().parents[2]
# GitLab's schema for one report entry (see tests/report/README.md for its source).
SCHEMA = json.loads((Path(__file__).parent / "gitlab-codequality-schema.json").read_text(encoding="utf-8"))
SEVERITIES = ("info", "minor", "major", "critical", "blocker")


def assert_gitlab_accepts(text: str) -> list[dict[str, Any]]:
    """`text` is a report GitLab reads in full, with every field its documentation lists."""
    assert not text.startswith("\ufeff")  # GitLab's parser refuses a byte order mark
    report = json.loads(text)
    assert isinstance(report, list)
    validator = jsonschema.Draft7Validator(SCHEMA)
    for entry in report:
        validator.validate(entry)
        assert isinstance(entry["check_name"], str) and entry["check_name"]
        assert entry["severity"] in SEVERITIES
        assert isinstance(entry["location"]["path"], str) and not entry["location"]["path"].startswith("./")
        lines = entry["location"]["lines"]
        assert isinstance(lines["begin"], int) and 1 <= lines["begin"] <= lines["end"]
    fingerprints = [entry["fingerprint"] for entry in report]
    assert len(set(fingerprints)) == len(fingerprints), "GitLab would drop the entries of a repeated fingerprint"
    return report


def render(result: RunResult, catalogue: Catalogue = CATALOGUE) -> list[dict[str, Any]]:
    return assert_gitlab_accepts(gitlab.render(result, ReportContext(catalogue=catalogue, fail_on="error")))


def test_the_fixture_is_a_report_gitlab_accepts() -> None:
    entries = render(run_result())
    # Suppressed findings are left out (the inline RL106 and the baselined RL107).
    assert [(e["check_name"], e["location"]["path"], e["location"]["lines"]["begin"]) for e in entries] == [
        ("RL201", POLICY, 3),
        ("RL004", MANIFEST, 3),
        ("RL301", MANIFEST, 10),
        ("RL107", MANIFEST, 19),
    ]
    first = entries[0]
    assert first["description"].startswith("RL201 ecr-push-actions-missing: the policy does not allow 2 of")
    assert "\n- ecr:PutImage: explicitly denied" in first["description"]  # JSON carries it as is
    assert first["fingerprint"] == "6f1c0b8e2d4a4f0e9b7c3a5d1e2f3a4b"  # reglint's own
    assert first["location"]["lines"] == {"begin": 3, "end": 7}


def test_severity_follows_the_level_and_raises_high_security_errors() -> None:
    entries = {e["check_name"]: e["severity"] for e in render(run_result())}
    # note -> info, warning -> minor, error -> major (RL201 and RL301: security-severity 5.0, 6.0)
    assert entries == {"RL004": "info", "RL107": "minor", "RL201": "major", "RL301": "major"}


@pytest.mark.parametrize(
    ("security_severity", "level", "expected"),
    [
        ("9.0", Severity.ERROR, "blocker"),
        ("9.8", Severity.ERROR, "blocker"),
        ("8.0", Severity.ERROR, "critical"),
        ("7.0", Severity.ERROR, "critical"),
        ("6.9", Severity.ERROR, "major"),
        (None, Severity.ERROR, "major"),
        ("9.0", Severity.WARNING, "minor"),  # lowered by the config: the level decides
        ("9.0", Severity.NOTE, "info"),
    ],
)
def test_security_severity_bands(security_severity: str | None, level: Severity, expected: str) -> None:
    rule = Rule("RL106", "plaintext-secret", Severity.ERROR, "s", "d", ("security",), security_severity)
    finding = Finding("RL106", "plaintext-secret", level, "a.yaml", Span(4, 3, 4, 9), "m", fingerprint="f" * 32)
    (entry,) = render(RunResult(findings=[finding], files=1), Catalogue([rule]))
    assert entry["severity"] == expected


def test_a_rule_outside_the_catalogue_maps_by_its_level() -> None:
    finding = Finding("RL999", "gone", Severity.ERROR, "a.yaml", Span(1, 1, 1, 2), "m", fingerprint="a" * 32)
    (entry,) = render(RunResult(findings=[finding], files=1))
    assert entry["severity"] == "major"


def test_a_repeated_fingerprint_is_made_unique_and_stays_stable() -> None:
    same = [
        Finding("RL201", "ecr-push-actions-missing", Severity.ERROR, "a.json", Span(line, 1, line, 2), f"m{line}", fingerprint="c" * 32)
        for line in (3, 9, 12)
    ]
    other = Finding("RL201", "ecr-push-actions-missing", Severity.ERROR, "b.json", Span(1, 1, 1, 2), "m", fingerprint="d" * 32)
    entries = render(RunResult(findings=[*same, other], files=2))
    fingerprints = [e["fingerprint"] for e in entries]
    assert fingerprints[0] == "c" * 32 and fingerprints[3] == "d" * 32  # the first keeps reglint's
    assert len(set(fingerprints)) == 4 and all(len(f) == 32 for f in fingerprints)
    assert [e["fingerprint"] for e in render(RunResult(findings=[*same, other], files=2))] == fingerprints


def test_a_finding_without_a_fingerprint_gets_one_from_what_it_says() -> None:
    bare = [Finding("RL000", "internal-error", Severity.ERROR, "a.yaml", Span(1, 1, 1, 1), f"crash {n}") for n in (1, 2)]
    entries = render(RunResult(findings=bare, files=1))
    assert len({e["fingerprint"] for e in entries}) == 2 and all(e["fingerprint"] for e in entries)


def test_no_findings_is_an_empty_array() -> None:
    assert gitlab.render(RunResult(files=3), ReportContext(catalogue=CATALOGUE, fail_on="error")) == "[]\n"


def test_a_lone_surrogate_of_a_file_name_is_written_as_u_fffd() -> None:
    finding = Finding("RL201", "ecr-push-actions-missing", Severity.ERROR, "bad\udce9.json", Span(1, 1, 1, 2), "m", fingerprint="e" * 32)
    text = gitlab.render(RunResult(findings=[finding], files=1), ReportContext(catalogue=CATALOGUE, fail_on="error"))
    text.encode("utf-8")  # no surrogate left
    assert assert_gitlab_accepts(text)[0]["location"]["path"] == "bad\ufffd.json"


def test_the_examples_report_is_accepted_and_matches_the_json_report() -> None:
    def run(fmt: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "reglint", "check", "examples", "--format", fmt],
            cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        )
        assert done.returncode == 1, done.stderr
        return done.stdout

    entries = assert_gitlab_accepts(run("gitlab"))
    findings = [f for f in json.loads(run("json"))["findings"] if f["suppressed"] is None]
    assert [(e["check_name"], e["location"]["path"], e["location"]["lines"]["begin"]) for e in entries] == [
        (f["rule"], f["path"], f["line"]) for f in findings
    ]
    assert {e["fingerprint"] for e in entries} == {f["fingerprint"] for f in findings}
