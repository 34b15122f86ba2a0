"""Config `suppressions:` entries (SPEC §6.6): for files without comments (JSON policies),
by path glob, rule and optionally statement Sid, with a required reason and an optional
expiry date; expired and unused entries are RL004 at the entry in the config file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import POLICY, write_tree

from reglint.config.suppressions import statement_sid

# POLICY with a misspelt action in statement "Push": RL203 at line 11, column 9.
TYPO_POLICY = POLICY.replace('"ecr:PutImage", ', '"ecr:PutImages", ')
ENTRY = "  - path: 'iam/*.json'\n    rule: RL203\n    reason: renamed in the next release\n"


def _config(*entries: str, head: str = "select: [RL0, RL203]\n") -> str:
    return head + "suppressions:\n" + "".join(entries)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {".git/HEAD": "", "iam/push.json": TYPO_POLICY})


def _report(run_cli: Any, root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("check", "--format", "json", *args, cwd=root)
    assert result.code in (0, 1), result
    findings: list[dict[str, Any]] = json.loads(result.out)["findings"]
    return result.code, findings


def _seen(findings: list[dict[str, Any]]) -> list[tuple[str, str, int, Any]]:
    return [(f["rule"], f["path"], f["line"], f["suppressed"]) for f in findings]


def test_an_entry_suppresses_by_glob_and_rule_with_its_reason(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": _config(ENTRY)})
    code, findings = _report(run_cli, root, ".")
    assert code == 0
    assert _seen(findings) == [
        ("RL203", "iam/push.json", 11, {"kind": "config", "justification": "renamed in the next release"})
    ]


def test_the_rule_may_be_named_and_the_sid_narrows_to_its_statement(run_cli: Any, root: Path) -> None:
    push = ENTRY.replace("rule: RL203", "rule: unknown-action\n    sid: Push")
    write_tree(root, {".reglint.yaml": _config(push)})
    assert _report(run_cli, root, ".")[0] == 0
    token = ENTRY.replace("rule: RL203", "rule: RL203\n    sid: Token")
    write_tree(root, {".reglint.yaml": _config(token)})
    code, findings = _report(run_cli, root, ".")
    assert code == 1
    assert ("RL203", "iam/push.json", 11, None) in _seen(findings)
    assert "finding in files matching 'iam/*.json' in statement 'Token'; remove the entry" in findings[0]["message"]


def test_an_entry_for_other_files_or_rules_suppresses_nothing(run_cli: Any, root: Path) -> None:
    other = ENTRY.replace("'iam/*.json'", "legacy/*.json") + ENTRY.replace("RL203", "RL206")
    write_tree(root, {".reglint.yaml": _config(other)})
    code, findings = _report(run_cli, root, "iam/push.json")
    assert code == 1 and _seen(findings) == [("RL203", "iam/push.json", 11, None)]


@pytest.mark.parametrize("written", ["2000-01-31", "'2000-01-31'"])
def test_an_expired_entry_suppresses_nothing_and_is_rl004_at_the_entry(run_cli: Any, root: Path, written: str) -> None:
    write_tree(root, {".reglint.yaml": _config(ENTRY + f"    expires: {written}\n")})
    result = run_cli("check", "iam/push.json", cwd=root)
    assert result.code == 1
    assert "iam/push.json:11:9: RL203 error unknown-action:" in result.out
    assert (
        ".reglint.yaml:3:5: RL004 note unused-suppression: the config suppression of RL203 (unknown-action) "
        "for 'iam/*.json' expired on 2000-01-31: it suppresses nothing now; fix the findings or move `expires`"
    ) in result.out


def test_an_entry_expires_after_its_day(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": _config(ENTRY + "    expires: 2999-12-31\n")})
    code, findings = _report(run_cli, root, ".")
    assert code == 0 and [f["suppressed"]["kind"] for f in findings] == ["config"]


def test_an_unused_entry_is_rl004_in_a_whole_project_run_only(run_cli: Any, root: Path) -> None:
    unused = ENTRY.replace("RL203", "RL206").replace("'iam/*.json'", "iam/push.json")
    write_tree(root, {".reglint.yaml": _config(ENTRY, unused, head="select: [RL0, RL203, RL206]\n"), "iam/other.json": POLICY})
    code, findings = _report(run_cli, root, ".")
    assert code == 0
    assert [(f["rule"], f["path"], f["line"], f["column"], f["message"]) for f in findings if f["rule"] == "RL004"] == [
        (
            "RL004", ".reglint.yaml", 6, 5,
            "unused config suppression: no RL206 (invalid-arn) finding in files matching 'iam/push.json'; remove the entry",
        )
    ]
    # A run over some files cannot know what the others hold.
    assert [f["rule"] for f in _report(run_cli, root, "iam/other.json")[1]] == []
    assert [f["rule"] for f in _report(run_cli, root, "iam")[1]] == ["RL203"]


def test_an_unused_entry_of_an_unselected_rule_is_not_reported(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": _config(ENTRY.replace("RL203", "RL206"))})
    code, findings = _report(run_cli, root, ".", "--ignore", "RL206")
    assert code == 1 and [f["rule"] for f in findings] == ["RL203"]


def test_use_is_counted_across_worker_processes(run_cli: Any, root: Path) -> None:
    files = {f"iam/p{n}.json": POLICY for n in range(40)}
    write_tree(root, {**files, ".reglint.yaml": _config(ENTRY)})
    code, findings = _report(run_cli, root, ".", "--jobs", "2")
    assert code == 0 and [f["rule"] for f in findings] == ["RL203"]


def test_pyproject_entries_are_reported_at_their_table_header(run_cli: Any, root: Path) -> None:
    pyproject = (
        '[project]\nname = "x"\n\n[tool.reglint]\nselect = ["RL0", "RL203"]\n\n'
        '[[tool.reglint.suppressions]]\npath = "iam/*.json"\nrule = "RL203"\nreason = "r"\n\n'
        '[[tool.reglint.suppressions]]\npath = "iam/*.json"\nrule = "RL203"\nreason = "old"\nexpires = 2001-02-03\n'
    )
    write_tree(root, {"pyproject.toml": pyproject})
    code, findings = _report(run_cli, root, ".")
    assert code == 0
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [
        ("RL203", "iam/push.json", 11),
        ("RL004", "pyproject.toml", 12),
    ]
    assert findings[0]["suppressed"] == {"kind": "config", "justification": "r"}
    assert "expired on 2001-02-03" in findings[1]["message"]


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("  - path: x\n    rule: RL203\n", "suppressions[0] is missing the required key 'reason'"),
        ("  - path: x\n    rule: RL203\n    reason: ' '\n", "suppressions[0].reason"),
        ("  - path: x\n    rule: RL203\n    reason: r\n    expires: '2024-02-30'\n", "suppressions[0].expires: '2024-02-30' is not a date (YYYY-MM-DD)"),
        ("  - path: x\n    rule: RL203\n    reason: r\n    expires: 2024-02-30\n", "line 6: value is not a valid !!timestamp"),
        ("  - path: x\n    rule: RL203\n    reason: r\n    expires: 31.12.2024\n", "suppressions[0].expires"),
        ("  - path: x\n    rule: RL203\n    reason: r\n    expires: 2024-01-01 10:00:00\n", "suppressions[0].expires"),
        ("  - path: x\n    rule: RL999\n    reason: r\n", "suppressions[0].rule: unknown rule 'RL999'"),
        ("  - path: x\n    rule: RL2\n    reason: r\n", "suppressions[0].rule: unknown rule 'RL2'"),
        ("  - path: '[z-a]'\n    rule: RL203\n    reason: r\n", "suppressions[0].path: invalid glob '[z-a]'"),
        ("  - path: x\n    rule: RL203\n    reason: r\n    sids: [a]\n", "sids"),
    ],
)
def test_a_bad_entry_is_a_config_error(run_cli: Any, root: Path, entry: str, words: str) -> None:
    write_tree(root, {".reglint.yaml": _config(entry)})
    result = run_cli("check", ".", cwd=root)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("reglint: error: ") and words in result.err, result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("path", "sid"),
    [
        (("Statement", 1, "Action", 0), "Push"),
        (("Statement", 1), "Push"),
        (("Statement", 0, "Resource"), None),  # a statement without a Sid
        (("Statement",), None),  # the list, not a statement in it
        (("Version",), None),
        (("Statement", 7, "Action"), None),  # no such statement
    ],
)
def test_statement_sid_of_a_data_path(path: tuple[Any, ...], sid: str | None) -> None:
    policy = {"Statement": [{"Effect": "Allow"}, {"Sid": "Push", "Action": ["ecr:PutImage"]}]}
    assert statement_sid(policy, path) == sid


def test_statement_sid_in_a_single_statement_and_deeper_in_a_template() -> None:
    template = {"Resources": {"P": {"Properties": {"PolicyDocument": {"Statement": {"Sid": "One", "Action": "x"}}}}}}
    path = ("Resources", "P", "Properties", "PolicyDocument", "Statement", "Action")
    assert statement_sid(template, path) == "One"
