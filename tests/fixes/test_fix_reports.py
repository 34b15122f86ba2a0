"""`--fix`, `--diff` and `--add-ignore` with several reports (`--format FMT[=FILE]`
repeated, report/targets.py): every report describes what remains after fixing, json and
sarif carry the remaining findings' fixes, and the other formats carry none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from fixes.fixing import contents, project

MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
  system: ml-prod
  environment: playground
spec:
  type: external
  url: https://registry.example.com/ML
  auth:
    method: basic
    username: u
    password: Pa55-of-the-test-7f2a9c41
"""
SECRET = "Pa55-of-the-test-7f2a9c41"
FIXED_URL = "  url: registry.example.com/ml\n"


def _every_format(root: Path) -> tuple[str, ...]:
    return (
        "--format", "text",
        "--format", f"json={root / 'r.json'}",
        "--format", f"sarif={root / 'r.sarif'}",
        "--format", f"gitlab={root / 'r.gitlab.json'}",
        "--format", f"checkstyle={root / 'r.xml'}",
    )


def test_fix_writes_every_report_of_what_remains(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path / "p", {"registry.yaml": MANIFEST})
    result = run_cli("check", ".", "--fix", *_every_format(tmp_path), cwd=root)
    assert result.code == 1, result  # RL106 remains: its fix is unsafe
    assert FIXED_URL in (root / "registry.yaml").read_text()
    # The text report on stdout: the one remaining finding and what the run fixed.
    assert "registry.yaml:13:15: RL106 error" in result.out
    assert "RL102" not in result.out
    assert result.out.splitlines()[-1] == (
        "1 error, 0 warnings in 1 file (0 skipped); 1 fixed, 1 more fixable with --unsafe-fixes"
    )
    # JSON: the remaining finding and its (unsafe) fix; the fixed one is gone.
    report = json.loads((tmp_path / "r.json").read_text())
    (found,) = report["findings"]
    assert (found["rule"], found["line"], found["fix"]["safety"]) == ("RL106", 13, "unsafe")
    assert report["summary"]["fixed"] == 1
    # SARIF: the same finding, its fix as a replacement that never holds the secret.
    (sarif_result,) = json.loads((tmp_path / "r.sarif").read_text())["runs"][0]["results"]
    assert sarif_result["ruleId"] == "RL106"
    (replacement,) = sarif_result["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement["insertedContent"]["text"] == "{fromEnv: REGLINT_ML_PROD_DOCKER_REGISTRY_PASSWORD}"
    # gitlab and checkstyle: what remains, and nothing of a fix.
    (issue,) = json.loads((tmp_path / "r.gitlab.json").read_text())
    assert issue["check_name"] == "RL106" and issue["location"]["lines"]["begin"] == 13
    assert sorted(issue) == ["check_name", "description", "fingerprint", "location", "severity", "type"]
    assert "REGLINT_ML_PROD" not in json.dumps(issue)  # the fix's text is not there
    errors = ElementTree.parse(tmp_path / "r.xml").getroot().findall("./file/error")
    assert [(e.get("line"), e.get("source")) for e in errors] == [("13", "reglint.RL106")]
    assert sorted(errors[0].keys()) == ["column", "line", "message", "severity", "source"]
    for written in ("r.json", "r.sarif", "r.gitlab.json", "r.xml"):
        assert SECRET not in (tmp_path / written).read_text()


def test_fix_of_standard_input_prints_the_document_and_writes_the_report_files(
    run_cli: Any, tmp_path: Path
) -> None:
    root = project(tmp_path / "p", {"registry.yaml": "kind: nothing\n"})
    result = run_cli(
        "check", "-", "--stdin-filename", "registry.yaml", "--fix", "--unsafe-fixes",
        "--format", "text", "--format", f"json={tmp_path / 'r.json'}",
        cwd=root, stdin=MANIFEST.encode(),
    )
    assert result.code == 0, result
    assert FIXED_URL in result.out and "{fromEnv: REGLINT_ML_PROD_DOCKER_REGISTRY_PASSWORD}" in result.out
    assert "0 errors, 0 warnings in 1 file (0 skipped); 2 fixed" in result.err  # the text report
    report = json.loads((tmp_path / "r.json").read_text())
    assert (report["findings"], report["summary"]["fixed"]) == ([], 2)
    assert (root / "registry.yaml").read_text() == "kind: nothing\n"  # the buffer is not written


def test_add_ignore_writes_only_the_report_files(run_cli: Any, tmp_path: Path) -> None:
    policy = '{"Statement": {"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "*"}}\n'
    root = project(tmp_path / "p", {"p.json": policy})
    result = run_cli(
        "check", ".", "--add-ignore", "legacy", "--format", "text", "--format", f"json={tmp_path / 'r.json'}",
        cwd=root,
    )
    assert result.code == 0, result
    assert result.out.startswith("# reglint --add-ignore: paste these entries")  # stdout holds the entries, not the text report
    assert "RL205" in result.out and "in 1 file" not in result.out
    (found,) = json.loads((tmp_path / "r.json").read_text())["findings"]
    assert found["rule"] == "RL205" and found["fix"]["safety"] == "safe"


def test_diff_takes_no_report(run_cli: Any, tmp_path: Path) -> None:
    """--diff prints a diff and no report: a report it would not write is a usage error."""
    root = project(tmp_path / "p", {"registry.yaml": MANIFEST})
    before = contents(root)
    for formats in (("--format", f"sarif={tmp_path / 'r.sarif'}"), ("--format", "json"),
                    ("--format", "text", "--output", str(tmp_path / "r.txt"))):
        result = run_cli("check", ".", "--diff", *formats, cwd=root)
        assert result.code == 2, result
        assert "--diff prints a diff and no report" in result.err, result
        assert result.out == ""
    assert contents(root) == before
    assert not list(tmp_path.glob("r.*"))
    assert run_cli("check", ".", "--diff", "--format", "text", cwd=root).code == 1  # the default report
