"""What one finding, and one rule in one file, can print (reglint/decisions/caps.py): a quoted value
shows at most 200 characters, then `…`; a report lists at most 100 findings of a rule in a
file, then one finding of that rule, at the place of the first one left out, that says how
many more there are and keeps the highest level among them. Each case runs through the
CLI in all five formats; the 4 MB case also in a child process bounded in time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import FORMATS, Seen, assert_reported, check_every_format, run_measured
from hostile.project_tree import GOOD_WORDS, good_finding, make_project

TIMEOUT_S = 60  # about a second on an idle machine; the point is "seconds, not minutes"


def _policy(actions: list[str]) -> str:
    """A policy with one action per line: the 7th line holds the first."""
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2) + "\n"


FIRST_ACTION_LINE = 7


def _sizes(runs: dict[str, Any], baseline: dict[str, Any]) -> dict[str, int]:
    return {fmt: len(runs[fmt].out) - len(baseline[fmt].out) for fmt in FORMATS}


def test_a_long_value_is_quoted_with_at_most_200_characters(run_cli: Any, tmp_path: Path) -> None:
    plain = check_every_format(run_cli, make_project(tmp_path / "plain"), ".")
    action = "ecr:" + "PutImage" * 12_500  # 100 kB, quoted twice by RL203
    project = make_project(tmp_path / "long", {"p.json": _policy([action])})
    runs = check_every_format(run_cli, project, ".")
    finding = Seen("RL203", "p.json", FIRST_ACTION_LINE)
    assert_reported(runs, [good_finding(), finding], code=1, words={good_finding(): GOOD_WORDS})
    assert runs["json"].messages[finding] == (
        f"unknown action `{action[:200]}…`: service `ecr` has no action `{action[4:204]}…`; "
        "if it is newer than reglint's IAM catalogue, list it in the config's known-actions"
    )
    # The one finding adds about a kilobyte to a report (JUnit prints it twice), not 200 kB.
    assert all(size < 2_000 for size in _sizes(runs, plain).values()), _sizes(runs, plain)


def test_a_4mb_action_gives_a_small_report_in_seconds(tmp_path: Path) -> None:
    action = "ecr:" + "PutImage" * 524_288
    project = make_project(tmp_path, {"p.json": _policy([action])})
    for output_format in ("text", "json"):
        measured = run_measured(project, "check", "--format", output_format, ".", timeout=TIMEOUT_S)
        assert measured.code == 1
        assert len(measured.out) < 5_000, len(measured.out)
        assert "unknown action `ecr:PutImagePutImage" in measured.out
        # A wildcard-free pattern is one string, not a token per character (183 MiB before).
        assert measured.peak_rss_mib < 120, f"peak RSS {measured.peak_rss_mib:.0f} MiB"


def _actions(count: int, template: str = "ecr:Nope{:04d}") -> list[str]:
    return [template.format(number) for number in range(count)]


def test_a_rule_lists_at_most_100_findings_per_file_then_says_how_many_more(
    run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {"p.json": _policy(_actions(250)), "q.json": _policy(_actions(100))})
    runs = check_every_format(run_cli, tmp_path, ".")
    lines = range(FIRST_ACTION_LINE, FIRST_ACTION_LINE + 101)  # the 101st is the note
    expected = [good_finding()] + [Seen("RL203", "p.json", line) for line in lines]
    expected += [Seen("RL203", "q.json", line) for line in lines[:100]]  # exactly 100: no note
    note = Seen("RL203", "p.json", FIRST_ACTION_LINE + 100)
    words = {note: "150 more RL203 findings in this file from here on (a report lists the first 100"}
    assert_reported(runs, expected, code=1, words=words)
    # The summary still counts every finding, and so does --statistics.
    summary = json.loads(runs["json"].out)["summary"]
    assert (summary["errors"], summary["warnings"]) == (351, 0)
    assert "352 errors, 0 warnings in 4 files" not in runs["text"].out
    assert "351 errors, 0 warnings in 4 files" in runs["text"].out
    statistics = run_cli("check", "--statistics", ".", cwd=tmp_path).out
    assert "   350  RL203  unknown-action" in statistics


def test_the_note_has_the_highest_level_of_the_findings_it_stands_for(
    run_cli: Any, tmp_path: Path
) -> None:
    # 150 unknown services (warnings), then one unknown ECR action (an error) at the end.
    actions = _actions(150, "nosuchservice{:04d}:Get") + ["ecr:Nope"]
    make_project(tmp_path, {"p.json": _policy(actions)})
    runs = check_every_format(run_cli, tmp_path, "p.json", "--fail-on", "error")
    note = Seen("RL203", "p.json", FIRST_ACTION_LINE + 100)
    shown = [Seen("RL203", "p.json", FIRST_ACTION_LINE + n) for n in range(100)] + [note]
    assert_reported(runs, shown, code=1, words={note: "51 more RL203 findings"})
    [reported] = [f for f in json.loads(runs["json"].out)["findings"] if f["line"] == note.line]
    assert reported["severity"] == "error"
    assert f"p.json:{note.line}:9: RL203 error unknown-action: 51 more" in runs["text"].out
    assert runs["github"].out.count("::error ") == 1 and runs["junit"].out.count("<failure") == 1


def test_the_cap_is_the_same_with_workers(run_cli: Any, tmp_path: Path) -> None:
    files = {f"p{number}.json": _policy(_actions(120 + number)) for number in range(4)}
    make_project(tmp_path, files)
    one = run_cli("check", "--format", "json", "--jobs", "1", ".", cwd=tmp_path)
    two = run_cli("check", "--format", "json", "--jobs", "2", ".", cwd=tmp_path)
    assert one.code == two.code == 1
    assert one.out == two.out
    findings = json.loads(one.out)["findings"]
    assert [f["message"].split(" (")[0] for f in findings if " more " in f["message"]] == [
        f"{20 + number} more RL203 findings in this file from here on" for number in range(4)
    ]


def test_suppressed_findings_are_capped_apart(run_cli: Any, tmp_path: Path) -> None:
    keys = "".join(f"  unknown{number:03d}: 1\n" for number in range(130))
    manifest = (
        "# reglint: ignore-file[RL002] -- generated\n"
        "apiVersion: reglint/v1\nkind: RegistryService\n"
        "metadata: {name: x, system: s, environment: playground}\nspec:\n" + keys
    )
    make_project(tmp_path, {"m.yaml": manifest})
    runs = check_every_format(run_cli, tmp_path, "m.yaml")
    assert_reported(runs, [], code=0)
    findings = json.loads(runs["json"].out)["findings"]
    suppressed = [f for f in findings if f["rule"] == "RL002"]
    assert len(suppressed) == 101
    assert all(f["suppressed"] == {"kind": "inline", "justification": "generated"} for f in suppressed)
    assert suppressed[100]["line"] == 106
    assert suppressed[100]["message"].startswith("30 more suppressed RL002 findings in this file")
    assert json.loads(runs["json"].out)["summary"]["suppressed"] == 130


def test_cap_text_cuts_each_quoted_value_and_bounds_the_whole() -> None:
    from reglint.decisions.caps import cap_text

    long = "x" * 300
    assert cap_text(f"a '{long}' b `{long}` c \"{long}\" d") == (
        f"a '{'x' * 200}…' b `{'x' * 200}…` c \"{'x' * 200}…\" d"
    )
    # An apostrophe opens nothing; a short value stays whole.
    text = f"reglint's own words, then '{'y' * 199}' and more words " * 2
    assert cap_text(text) == text
    # A value holding its own quote character escapes the first cap, never the second.
    hostile = "unknown action '" + "a' " * 100_000 + "'"
    assert cap_text(hostile) == hostile[:1000] + "…"
    # A closing quote opens nothing: reglint's words after a short quoted value stay whole.
    words = 'not allowed on Resource "*", the only resource it takes); ' + "ecr:PutImage, " * 30
    assert cap_text(words) == words
    assert cap_text(f"`a*` {words} and `{long}`") == f"`a*` {words} and `{'x' * 200}…`"


LONG = 100_000
MANIFEST_HEAD = (
    "apiVersion: reglint/v1\nkind: RegistryService\n"
    "metadata: {name: x, system: s, environment: playground}\nspec:\n"
)
LONG_VALUES = {
    "RL206-arn": (
        "p.json",
        _policy(["ecr:PutImage"]).replace('"*"', f'"arn:aws:ecr:us-east-2:12345:repository/{"a" * LONG}"'),
        Seen("RL206", "p.json", 9),
    ),
    "RL003-key": ("p.json", '{"Statement": [],\n' + f'"{"K" * LONG}": 1,\n"{"K" * LONG}": 2}}\n', Seen("RL003", "p.json", 3)),
    # An explicit key: a YAML implicit key is at most 1024 characters.
    "RL002-key": ("m.yaml", MANIFEST_HEAD + f"  ? {'k' * LONG}\n  : 1\n", Seen("RL002", "m.yaml", 5)),
    "RL104-prefix": ("m.yaml", MANIFEST_HEAD + f"  imagePrefix: A{'a' * LONG}\n", Seen("RL104", "m.yaml", 5)),
    "RL102-path": ("m.yaml", MANIFEST_HEAD + f"  url: registry.example.com/{'A' * LONG}\n", Seen("RL102", "m.yaml", 5)),
}


@pytest.mark.parametrize("case", list(LONG_VALUES.values()), ids=list(LONG_VALUES))
def test_every_rule_that_quotes_a_value_quotes_at_most_200_characters(
    case: tuple[str, str, Seen], run_cli: Any, tmp_path: Path
) -> None:
    name, text, expected = case
    make_project(tmp_path, {name: text})
    runs = check_every_format(run_cli, tmp_path, name)
    assert expected in runs["json"].seen, runs["json"].seen
    for seen, message in runs["json"].messages.items():
        assert len(message) <= 1_001, (seen, len(message))
        for quoted in re.findall(r"'([^']*)'|`([^`]*)`", message):
            assert max(len(part) for part in quoted) <= 201, (seen, message[:400])
    for run in runs.values():
        # SARIF: ~200 kB of rule descriptions; one value shown uncapped would add 100 kB.
        assert len(run.out) < 280_000, (run.output_format, len(run.out))
