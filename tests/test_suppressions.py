"""Inline suppressions, per-file-ignores and RL004 (SPEC §3.3)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, POLICY, write_tree

from reglint.loading.comments import parse_ignore_comments
from reglint.loading.document import Limits, SourceFile
from reglint.loading.reader import load_bytes
from reglint.loading.yaml_loader import load_yaml

TYPO = MANIFEST.replace("  role: user\n", "  rol: user\n")  # RL002 on line 9


def _json(run_cli: Any, root: Path, *args: str) -> dict[str, Any]:
    result = run_cli("check", *args, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return json.loads(result.out)  # type: ignore[no-any-return]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {".git/HEAD": "", ".reglint.yaml": "select: [RL0]\n", "iam/push.json": POLICY})


def test_parse_trailing_and_own_line_comments() -> None:
    text = "a: 1  # reglint: ignore[RL106, plaintext-secret] -- vault rotates it\n# reglint: ignore[RL107]\n# more\nb: 2\n# reglint: ignore-file[RL101]\n"
    trailing, above, whole = parse_ignore_comments(text)
    assert (trailing.target_line, trailing.rules, trailing.justification) == (1, ("RL106", "plaintext-secret"), "vault rotates it")
    assert (trailing.span.line, trailing.span.column) == (1, 7)
    assert (above.target_line, above.whole_file, above.justification) == (4, False, None)
    assert whole.whole_file and whole.rules == ("RL101",)


def test_json_files_have_no_comments() -> None:
    for name in ("a.json", "a"):  # a file without a suffix that starts with `{` is JSON
        source = load_bytes(Path(name), b'{"a": "b"}  # reglint: ignore[RL106]\n', True, Limits())
        assert isinstance(source, SourceFile) and source.comments == []


def test_trailing_comment_suppresses_and_is_marked_in_json(run_cli: Any, root: Path) -> None:
    write_tree(root, {"s.yaml": TYPO.replace("  rol: user\n", "  rol: user  # reglint: ignore[RL002] -- legacy key\n")})
    report = _json(run_cli, root, "s.yaml")
    (finding,) = report["findings"]
    assert finding["rule"] == "RL002" and finding["line"] == 9
    assert finding["suppressed"] == {"kind": "inline", "justification": "legacy key"}
    assert report["summary"]["errors"] == 0 and report["summary"]["suppressed"] == 1
    text = run_cli("check", "s.yaml", cwd=root)
    assert text.code == 0 and "RL002" not in text.out and text.out.endswith(", 1 suppressed\n")


def test_comment_line_above_suppresses_by_rule_name(run_cli: Any, root: Path) -> None:
    write_tree(root, {"s.yaml": TYPO.replace("  rol: user\n", "  # reglint: ignore[schema-violation]\n  # why: migrating\n  rol: user\n")})
    assert run_cli("check", "s.yaml", cwd=root).code == 0


def test_blank_line_between_comment_and_finding_breaks_the_link(run_cli: Any, root: Path) -> None:
    write_tree(root, {"s.yaml": TYPO.replace("  rol: user\n", "  # reglint: ignore[RL002]\n\n  rol: user\n")})
    result = run_cli("check", "s.yaml", cwd=root)
    assert result.code == 1
    assert "s.yaml:9:3: RL004 note unused-suppression: unused suppression: no RL002 (schema-violation) finding on line 10" in result.out


def test_ignore_file_covers_every_line(run_cli: Any, root: Path) -> None:
    write_tree(root, {"s.yaml": "# reglint: ignore-file[RL002] -- generated\n" + TYPO})
    report = _json(run_cli, root, "s.yaml")
    assert [f["suppressed"]["justification"] for f in report["findings"]] == ["generated"]


def test_other_rules_on_the_line_still_fire(run_cli: Any, root: Path) -> None:
    write_tree(root, {"s.yaml": TYPO.replace("  rol: user\n", "  rol: user  # reglint: ignore[RL106]\n")})
    result = run_cli("check", "s.yaml", "--select", "RL0,RL106", cwd=root)
    assert "s.yaml:9:3: RL002 error" in result.out
    assert "s.yaml:9:14: RL004 note unused-suppression: unused suppression: no RL106 (plaintext-secret) finding on line 9" in result.out


def test_unknown_rule_in_comment_is_rl004(run_cli: Any, root: Path) -> None:
    write_tree(root, {"s.yaml": "# reglint: ignore-file[RL160]\n" + MANIFEST})
    result = run_cli("check", "s.yaml", cwd=root)
    assert result.code == 0  # RL004 is a note; fail-on is error
    assert "s.yaml:1:1: RL004 note unused-suppression: unknown rule 'RL160' in a reglint ignore comment" in result.out


def test_unused_suppression_of_an_unselected_rule_is_not_reported(run_cli: Any, root: Path) -> None:
    write_tree(root, {"s.yaml": "# reglint: ignore-file[RL101]\n" + MANIFEST})
    assert "RL004" not in run_cli("check", "s.yaml", "--ignore", "RL101", cwd=root).out
    assert "RL004" in run_cli("check", "s.yaml", "--select", "RL101,RL004", cwd=root).out


def test_per_file_ignores_from_config(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": "select: [RL0]\nper-file-ignores:\n  'legacy/*.yaml': [schema-violation]\n", "legacy/s.yaml": TYPO, "new/s.yaml": TYPO})
    report = _json(run_cli, root, ".")
    by_path = {f["path"]: f["suppressed"] for f in report["findings"]}
    assert by_path == {"legacy/s.yaml": {"kind": "config", "justification": "per-file-ignores: legacy/*.yaml"}, "new/s.yaml": None}


# MANIFEST with requests above limits: RL107 on line 16 (cpu and memory).
OVER = MANIFEST.replace("requests: {cpu: 250m, memory: 256Mi}", "requests: {cpu: '2', memory: 2Gi}")


def test_comment_above_a_key_covers_its_whole_block(run_cli: Any, root: Path) -> None:
    write_tree(root, {"s.yaml": OVER.replace("  resources:\n", "  # reglint: ignore[RL107] -- sized by the autoscaler\n  resources:\n")})
    report = _json(run_cli, root, "s.yaml", "--select", "RL0,RL107")
    found = [(f["rule"], f["line"], f["suppressed"]) for f in report["findings"]]
    justified = {"kind": "inline", "justification": "sized by the autoscaler"}
    assert found == [("RL107", 17, justified), ("RL107", 17, justified)]  # requests, under resources: (line 16)


def test_comment_above_a_block_covers_nothing_after_it(run_cli: Any, root: Path) -> None:
    text = OVER.replace("  auth:\n", "  # reglint: ignore[RL107]\n  auth:\n")  # auth: lines 12-13
    write_tree(root, {"s.yaml": text})
    result = run_cli("check", "s.yaml", "--select", "RL0,RL107", cwd=root)
    assert "s.yaml:17:21: RL107 warning resource-limits: cpu request '2' is above its limit '1'" in result.out
    assert "s.yaml:11:3: RL004 note unused-suppression: unused suppression: no RL107 (resource-limits) finding on lines 12-13" in result.out


def test_block_of_a_key_inside_a_sequence_item(run_cli: Any, root: Path) -> None:
    # `- name:` starts a mapping in the item; the comment covers the key's value only.
    text = "a:\n  # reglint: ignore[RL107]\n  - b:\n      c: 1\n    d: 2\n"
    (comment,) = parse_ignore_comments(text, [], _roots(text))
    assert (comment.target_line, comment.target_end_line) == (3, 4)


def test_trailing_comment_on_a_key_covers_its_line_only() -> None:
    text = "resources:  # reglint: ignore[RL107]\n  requests: {cpu: 2}\n"
    (comment,) = parse_ignore_comments(text, [], _roots(text))
    assert (comment.target_line, comment.target_end_line, comment.target) == (1, 1, "line 1")


def test_block_scalar_value_ends_on_its_last_text_line() -> None:
    text = "# reglint: ignore[RL106]\npassword: |\n  x\n  y\nnext: 1\n"
    (comment,) = parse_ignore_comments(text, [], _roots(text))
    assert comment.target == "lines 2-4"


def _roots(text: str) -> list[Any]:
    return [doc.positions.root for doc in load_yaml(text, Limits())]  # type: ignore[attr-defined]


def test_per_file_ignores_take_prefixes_and_all(run_cli: Any, root: Path) -> None:
    # The config's rules for a glob are selectors, as `select` and `ignore` take them.
    config = "select: [RL0]\nper-file-ignores:\n  'a/*.yaml': [RL0]\n  'b/*.yaml': [ALL]\n  'c/*.yaml': [RL00]\n"
    write_tree(root, {".reglint.yaml": config, "a/s.yaml": TYPO, "b/s.yaml": TYPO, "c/s.yaml": TYPO, "d/s.yaml": TYPO})
    report = _json(run_cli, root, ".")
    by_path = {f["path"]: f["suppressed"] for f in report["findings"]}
    assert by_path == {
        "a/s.yaml": {"kind": "config", "justification": "per-file-ignores: a/*.yaml"},
        "b/s.yaml": {"kind": "config", "justification": "per-file-ignores: b/*.yaml"},
        "c/s.yaml": {"kind": "config", "justification": "per-file-ignores: c/*.yaml"},
        "d/s.yaml": None,
    }
