"""Control characters never reach a human-readable output raw (docs/safety.md): in the text
and GitHub reports and on every stderr line, each C0 and C1 control character, DEL, a
line or paragraph separator, a bidi override and a lone surrogate is written as an escape
(`\\n`, `\\x1b`, `\\u0085`, `\\x85` for an undecodable byte of a file name), and `\\` as
`\\\\`, so nothing in a file or a file name can start a workflow command, split a line or
drive the terminal. JSON, SARIF and JUnit escape by their own syntax.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import Seen, assert_reported, check_every_format, unescape_controls
from hostile.project_tree import GOOD_MANIFEST, good_finding, make_project
from hypothesis import given
from hypothesis import strategies as st

from reglint.report.escape import escape_controls

FORGED = "\n::error file=forged.json,line=1::FORGED"
OSC_TITLE = "\x1b]0;pwned\x07"  # sets the terminal's title; ESC and BEL
RAW = ("\n::", "\x1b", "\x07", "\x85", "\x7f", "\u202e", "\u2028")


def _assert_safe(text: str, where: str) -> None:
    """No raw control character, and no line a workflow runner would take for a command
    unless reglint wrote it as one (GitHub format)."""
    for char in ("\x1b", "\x07", "\x85", "\x7f", "\x00", "\u202e", "\u2028"):
        assert char not in text, (where, char, text[:2000])
    if where != "github":  # a GitHub report is read back command by command instead
        for line in text.splitlines():
            assert not line.lstrip().startswith("::"), (where, line)


def test_escape_controls() -> None:
    assert escape_controls("a\\b\n\r\t\x00\x1b\x7f\x85\x9f\u2028\u202e\ud800\udcff é ü") == (
        "a\\\\b\\n\\r\\t\\x00\\x1b\\x7f\\u0085\\u009f\\u2028\\u202e\\ud800\\xff é ü"
    )


def _policy(action: str) -> str:
    statement = {"Effect": "Allow", "Action": action, "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2) + "\n"


def test_a_value_cannot_forge_a_workflow_command_or_drive_the_terminal(
    run_cli: Any, tmp_path: Path
) -> None:
    action = f"ecr:Put{FORGED}{OSC_TITLE}\x85\x7f\u202e\u2028"
    make_project(tmp_path, {"p.json": _policy(action)})
    runs = check_every_format(run_cli, tmp_path, ".")
    finding = Seen("RL203", "p.json", 6)
    assert_reported(runs, [good_finding(), finding], code=1)
    assert action in runs["json"].messages[finding]  # a data format keeps the value
    for fmt in ("text", "github"):
        _assert_safe(runs[fmt].out, fmt)
    for run in runs.values():
        _assert_safe(run.err, f"{run.output_format} stderr")
    shown = (
        "ecr:Put\\n::error file=forged.json,line=1::FORGED\\x1b]0;pwned\\x07\\u0085\\x7f"
        "\\u202e\\u2028"
    )
    assert f"p.json:6:17: RL203 error unknown-action: unknown action `{shown}`: " in runs["text"].out
    # GitHub: its own %0A for a line break (the runner turns it back), escapes for the rest.
    assert "`ecr:Put%0A::error file=forged.json,line=1::FORGED\\x1b]0;pwned\\x07" in runs["github"].out


STRAY = "items: [\n"  # broken YAML that mentions no manifest: skipped with a notification


@pytest.mark.parametrize(
    "name", ["x\n::add-mask::M.yaml", f"title{OSC_TITLE}.yaml", "c1\x85\u202eshow.yaml"]
)
def test_a_skipped_file_name_cannot_forge_a_stderr_line(
    name: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {name: STRAY})
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding()], code=1, skipped=[name])
    written = tmp_path.parent / "report.sarif"
    to_file = run_cli("check", "--format", "sarif", "--output", str(written), ".", cwd=tmp_path)
    for run in [*runs.values(), to_file]:
        _assert_safe(run.err, "stderr")
        assert f"reglint: {escape_controls(name)}: skipped: did not find expected" in run.err
    _assert_safe(runs["text"].out, "text")


@pytest.mark.parametrize("name", [f"title{OSC_TITLE}.yaml", "nl\n::error::FORGED.yaml", "b\\x1b.yaml"])
def test_a_reported_file_name_is_escaped_in_text_and_github(
    name: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {name: GOOD_MANIFEST.replace("docker-registry", "other")})
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding(), good_finding(name)], code=1)
    lines = runs["text"].out.splitlines()
    assert any(line.startswith(f"{escape_controls(name)}:11:16: RL104 error") for line in lines)
    for fmt in ("text", "github"):
        _assert_safe(runs[fmt].out, fmt)


def test_error_lines_escape_what_they_quote(run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path)
    missing = run_cli("check", f"gone{FORGED}{OSC_TITLE}.yaml", cwd=tmp_path)
    assert missing.code == 2
    assert missing.err == (
        "reglint: error: path does not exist: gone\\n::error file=forged.json,line=1::FORGED"
        "\\x1b]0;pwned\\x07.yaml\n"
    )
    config = run_cli("check", "--config", f"c{OSC_TITLE}\n::x.yaml", ".", cwd=tmp_path)
    assert config.code == 2
    assert config.err == "reglint: error: config file does not exist: c\\x1b]0;pwned\\x07\\n::x.yaml\n"
    usage = run_cli("check", "--format", f"x{OSC_TITLE}", ".", cwd=tmp_path)
    assert usage.code == 2 and usage.err.count("\n") == 1
    # click quotes the value with repr(), whose backslashes are escaped in turn.
    assert "'x\\\\x1b]0;pwned\\\\x07' is not one of" in usage.err
    rule = run_cli("explain", f"RL{FORGED}", cwd=tmp_path)
    assert rule.code == 2 and rule.err.count("\n") == 1 and "'RL\\\\n::error" in rule.err  # repr()'s backslash, escaped
    for result in (missing, config, usage, rule):
        _assert_safe(result.err, "stderr")


def test_a_config_error_escapes_the_config_path(run_cli: Any, tmp_path: Path) -> None:
    folder = f"conf{OSC_TITLE}\n::error::x"
    make_project(tmp_path, {f"{folder}/.reglint.yaml": "bad: 1\n"})
    result = run_cli("check", "--config", f"{folder}/.reglint.yaml", ".", cwd=tmp_path)
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert "conf\\x1b]0;pwned\\x07\\n::error::x/.reglint.yaml: unknown key" in result.err
    _assert_safe(result.err, "stderr")


def test_raw_characters_listed_here_are_all_escaped() -> None:
    for char in RAW:
        assert char not in escape_controls(f"a{char}b")


@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_escaped_text_reads_back_exactly_and_holds_no_control(text: str) -> None:
    escaped = escape_controls(text)
    assert unescape_controls(escaped) == text
    for char in escaped:
        assert unicodedata.category(char) not in ("Cc", "Cs", "Zl", "Zp"), escaped
        assert unicodedata.bidirectional(char) not in BIDI_CONTROLS, escaped


# Embeddings, overrides and isolates (their pops too): they reorder what a reader sees.
BIDI_CONTROLS = ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")
