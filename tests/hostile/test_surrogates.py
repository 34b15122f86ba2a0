"""Text that UTF-8 cannot encode: a lone UTF-16 surrogate written as a `\\u` escape in a JSON
file is RL001 (as YAML already reports it), and a file name that is not UTF-8 (which
reaches reglint with surrogate escapes) is written by every format and on stderr without
a traceback: as `\\xNN` in the text and GitHub reports and on stderr, as U+FFFD in JSON,
SARIF text and JUnit, and percent-encoded exactly in SARIF URIs.

`run_cli` captures stdout and stderr as strict UTF-8, as a terminal with a UTF-8 locale
other than C.UTF-8 does, so a lone surrogate in any output would raise here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import FORMATS, Seen, assert_reported, check_every_format
from hostile.project_tree import GOOD_MANIFEST, good_finding, make_project

POLICY = '{{"Version": "2012-10-17", "Statement": [\n  {{"Effect": "Allow", "Action": {action}, "Resource": "*"}}]}}\n'

# action as written in the file -> the first escape that is a lone surrogate
LONE = {
    "high": ('"ecr:\\ud800"', "\\ud800"),
    "low": ('"ecr:\\uDC00"', "\\uDC00"),
    "high-then-letter": ('"\\ud83d\\u0041"', "\\ud83d"),
    "low-then-high": ('"\\ude00\\ud83d"', "\\ude00"),
    "pair-then-lone": ('["ecr:\\ud83d\\ude00", "x\\\\\\udbff"]', "\\udbff"),
}


@pytest.mark.parametrize("case", list(LONE.values()), ids=list(LONE))
def test_a_lone_surrogate_escape_in_json_is_rl001(
    case: tuple[str, str], run_cli: Any, tmp_path: Path
) -> None:
    action, lone = case
    text = POLICY.format(action=action)
    make_project(tmp_path, {"p.json": text})
    runs = check_every_format(run_cli, tmp_path, ".")
    bad = Seen("RL001", "p.json", 2)
    assert_reported(runs, [good_finding(), bad], code=1, words={bad: "lone UTF-16 surrogate"})
    [finding] = [f for f in json.loads(runs["json"].out)["findings"] if f["rule"] == "RL001"]
    assert finding["column"] == text.splitlines()[1].index(lone) + 1
    assert finding["message"] == (
        f"invalid string escape: U+{lone[2:].upper()} is a lone UTF-16 surrogate, not a character"
    )


def test_a_lone_surrogate_escape_in_a_key_is_rl001(run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path, {"p.json": '{"Statement": [],\n "\\udfff": 1}\n'})
    runs = check_every_format(run_cli, tmp_path, "p.json")
    bad = Seen("RL001", "p.json", 2)
    assert_reported(runs, [bad], code=1, words={bad: "U+DFFF is a lone UTF-16 surrogate"})


@pytest.mark.parametrize(
    "action", ['"ecr:\\ud83d\\ude00"', '"ecr:\\\\ud800"', '"ecr:\\\\\\\\ud800"']
)
def test_a_surrogate_pair_or_an_escaped_backslash_is_no_rl001(
    action: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {"p.json": POLICY.format(action=action)})
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding(), Seen("RL203", "p.json", 2)], code=1)


NOT_UTF8 = os.fsdecode(b"caf\xe9.yaml")  # "caf\udce9.yaml"


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_reported_file_name_that_is_not_utf8_is_written_by_every_format(
    output_format: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {NOT_UTF8: GOOD_MANIFEST.replace("docker-registry", "other")})
    report = tmp_path.parent / "out" / "report"
    shown = run_cli("check", "--format", output_format, ".", cwd=tmp_path)
    written = run_cli("check", "--format", output_format, "--output", str(report), ".", cwd=tmp_path)
    assert shown.code == written.code == 1, (shown, written)
    assert report.read_text(encoding="utf-8") == shown.out
    out = shown.out
    expected = {
        "text": "caf\\xe9.yaml:11:16: RL104 error invalid-image-prefix: ",
        "json": '"path": "caf\ufffd.yaml"',
        "sarif": '"uri": "caf%E9.yaml"',
        "github": "::error file=caf\\xe9.yaml,line=11,",
        "junit": 'name="caf\ufffd.yaml"',
        "gitlab": '"path": "caf\ufffd.yaml"',
        "checkstyle": '<file name="caf\ufffd.yaml">',
    }[output_format]
    assert expected in out, out[-3000:]
    if output_format == "sarif":
        assert "caf\ufffd.yaml" not in out or "caf%E9.yaml" in out


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_skipped_file_name_that_is_not_utf8_is_named_on_stderr(
    output_format: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path)
    (tmp_path / os.fsdecode(b"stray\xfe.yaml")).write_bytes(b"items: [\n")
    report = tmp_path.parent / "report"
    for extra in ((), ("--output", str(report))):
        result = run_cli("check", "--format", output_format, *extra, ".", cwd=tmp_path)
        assert result.code == 1, result
        assert "reglint: stray\\xfe.yaml: skipped: did not find expected" in result.err


def test_a_baseline_records_a_file_name_that_is_not_utf8(run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path, {NOT_UTF8: GOOD_MANIFEST.replace("docker-registry", "other")})
    baseline = tmp_path.parent / "baseline.json"
    written = run_cli("check", "--write-baseline", str(baseline), ".", cwd=tmp_path)
    assert written.code == 0, written
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert sorted(entry["path"] for entry in entries) == ["caf\ufffd.yaml", "good.yaml"]
    again = run_cli("check", "--format", "json", "--baseline", str(baseline), ".", cwd=tmp_path)
    assert again.code == 0 and json.loads(again.out)["summary"]["suppressed"] == 2
