"""`reglint check --fix`, `--diff`, `--unsafe-fixes` (SPEC §6.5): what they print, write
and exit with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fixes.fixing import contents, findings, project

from reglint.engine.fixing import Fixer
from reglint.findings import Finding, Fix, FixSafety, Severity, Span, TextEdit

MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
  system: SYSTEM
  environment: playground
spec:
  type: external
  url: URL
"""
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def _manifest(system: str = "ml-prod", url: str = "https://registry.example.com/ML", extra: str = "") -> str:
    return MANIFEST.replace("SYSTEM", system).replace("URL", url) + extra


def test_diff_prints_the_change_writes_nothing_and_exits_1(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": _manifest()})
    before = contents(root)
    result = run_cli("check", ".", "--diff", cwd=root)
    assert result.code == 1, result
    assert result.out == (
        "--- a/registry.yaml\n+++ b/registry.yaml\n@@ -6,4 +6,4 @@\n"
        "   environment: playground\n spec:\n   type: external\n"
        "-  url: https://registry.example.com/ML\n+  url: registry.example.com/ml\n"
    )
    assert contents(root) == before


def test_diff_of_a_clean_tree_is_empty_and_exits_0(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": _manifest(url="registry.example.com/ml")})
    result = run_cli("check", ".", "--diff", cwd=root)
    assert (result.code, result.out) == (0, ""), result


def test_diff_shows_unsafe_fixes_only_when_asked(run_cli: Any, tmp_path: Path) -> None:
    policy = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "*"}}\n'
    root = project(tmp_path, {"p.json": policy})
    assert run_cli("check", ".", "--diff", cwd=root).code == 0
    result = run_cli("check", ".", "--diff", "--unsafe-fixes", cwd=root)
    assert result.code == 1 and '+{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ecr:PutImage",' in result.out


def test_fix_reports_what_remains_and_exits_by_it(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": _manifest()})
    result = run_cli("check", ".", "--fix", cwd=root)
    assert result.code == 0, result  # the one error was fixed
    assert result.out == "0 errors, 0 warnings in 1 file (0 skipped); 1 fixed\n"
    assert "url: registry.example.com/ml\n" in (root / "registry.yaml").read_text()
    again = run_cli("check", ".", "--fix", "--format", "json", cwd=root)
    assert json.loads(again.out)["summary"]["fixed"] == 0


def test_fix_says_what_unsafe_fixes_would_do(run_cli: Any, tmp_path: Path) -> None:
    extra = f"  auth:\n    method: basic\n    username: u\n    password: {SECRET}\n"
    root = project(tmp_path, {"registry.yaml": _manifest(extra=extra)})
    result = run_cli("check", ".", "--fix", cwd=root)
    assert result.code == 1
    assert result.out.splitlines()[-1] == (
        "1 error, 0 warnings in 1 file (0 skipped); 1 fixed, 1 more fixable with --unsafe-fixes"
    )


def test_fix_on_standard_input_prints_the_document_and_reports_on_stderr(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": _manifest(url="registry.example.com/ml")})
    buffer = _manifest().encode()
    result = run_cli("check", "-", "--stdin-filename", "registry.yaml", "--fix", cwd=root, stdin=buffer)
    assert result.code == 0, result
    assert result.out == _manifest(url="registry.example.com/ml")
    assert "0 errors, 0 warnings in 1 file (0 skipped); 1 fixed" in result.err
    assert (root / "registry.yaml").read_text() == _manifest(url="registry.example.com/ml")  # not written


def test_a_fix_that_would_add_a_finding_is_not_made(run_cli: Any, tmp_path: Path) -> None:
    """The corrected URL would collide with another system's namespace (RL301)."""
    root = project(
        tmp_path,
        {"a.yaml": _manifest(system="a"), "b.yaml": _manifest(system="b", url="registry.example.com/ml")},
    )
    before = contents(root)
    result = run_cli("check", ".", "--fix", cwd=root)
    assert contents(root) == before
    assert "reglint: a.yaml: fixes not applied: they would add RL301 findings" in result.err
    assert [f["rule"] for f in findings(run_cli, root)] == ["RL102"]


def test_json_and_sarif_carry_each_findings_fix(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": _manifest()})
    (found,) = json.loads(run_cli("check", ".", "--format", "json", cwd=root).out)["findings"]
    assert found["fix"] == {
        "safety": "safe",
        "description": "write the URL as 'registry.example.com/ml'",
        "edits": [
            {"path": "registry.yaml", "line": 9, "column": 8, "end_line": 9, "end_column": 39, "content": "registry.example.com/ml"}
        ],
    }
    (result,) = json.loads(run_cli("check", ".", "--format", "sarif", cwd=root).out)["runs"][0]["results"]
    assert result["fixes"] == [
        {
            "description": {"text": "write the URL as 'registry.example.com/ml' (safe fix)"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "registry.yaml", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 9, "startColumn": 8, "endLine": 9, "endColumn": 39},
                            "insertedContent": {"text": "registry.example.com/ml"},
                        }
                    ],
                }
            ],
        }
    ]


def _finding(line: int, edits: list[TextEdit], rule: str = "RL102") -> Finding:
    return Finding(rule, "x", Severity.ERROR, "a.yaml", Span(line, 1, line, 2), "m", fix=Fix(FixSafety.SAFE, "d", tuple(edits)))


def test_a_round_takes_no_fix_that_overlaps_one_taken(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first = TextEdit(path, Span(1, 1, 1, 5), "a")
    overlapping = TextEdit(path, Span(1, 3, 1, 8), "b")
    same = TextEdit(path, Span(1, 1, 1, 5), "a")
    elsewhere = TextEdit(path, Span(2, 1, 2, 2), "c")
    fixer = Fixer(None, None, unsafe=False)  # type: ignore[arg-type]
    taken = fixer.round_edits([_finding(1, [first]), _finding(1, [overlapping, elsewhere]), _finding(1, [same]), _finding(2, [elsewhere])], None)
    # the second fix overlaps the first: neither of its edits is made this round; an
    # edit equal to one taken counts as made
    assert taken == [first, elsewhere]


def test_fix_with_worker_processes(run_cli: Any, tmp_path: Path) -> None:
    """Independent files checked in workers render their fixes there."""
    policy = '{\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}\n'
    root = project(tmp_path, {f"iam/p{n}.json": policy for n in range(4)})
    result = run_cli("check", ".", "--fix", "--jobs", "2", cwd=root)
    assert result.code == 0, result
    assert result.out.endswith("; 4 fixed\n")
    for n in range(4):
        assert (root / f"iam/p{n}.json").read_text() == policy.replace("{\n", '{\n  "Version": "2012-10-17",\n', 1)


def test_a_run_without_fix_says_how_many_findings_a_fix_could_remove(run_cli: Any, tmp_path: Path) -> None:
    # RL205 (no Version) is a safe fix, RL203's rename an unsafe one, RL206 has none.
    typo = '{"Statement": [{"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "*"}]}\n'
    unfixable = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:PutImage", '
        '"Resource": "arn:aws:nope"}]}\n'
    )
    both = project(tmp_path / "both", {"push.json": typo})
    result = run_cli("check", ".", cwd=both)
    assert result.code == 1, result
    assert result.out.splitlines()[-1] == (
        "1 error, 1 warning in 1 file (0 skipped); 1 fixable with --fix (1 more with --unsafe-fixes)"
    )
    only_unsafe = project(tmp_path / "unsafe", {"push.json": typo.replace("{", '{"Version": "2012-10-17", ', 1)})
    assert run_cli("check", ".", cwd=only_unsafe).out.splitlines()[-1].endswith(
        "(0 skipped); 1 fixable with --fix --unsafe-fixes"
    )
    none = project(tmp_path / "none", {"push.json": unfixable})
    assert run_cli("check", ".", cwd=none).out.splitlines()[-1].endswith("in 1 file (0 skipped)")
