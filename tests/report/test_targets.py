"""Where reports go (report/targets.py): `--format FMT[=FILE]`, repeated, and `--output`.

Several reports in one run: at most one on standard output, each other one in its file,
written atomically and never through a symbolic link out of the project root; each
report is byte for byte what a run with that format alone prints, and the exit code is
the one a single-format run has. Every bad combination is one line and exit 2, before
anything is written.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, POLICY, write_tree

from reglint.report import REPORTERS
from reglint.report.targets import ReportTarget, ReportTargetError, parse_target, plan_targets

TYPO = MANIFEST.replace("  role: user\n", "  rol: user\n")  # RL002 error at line 9
# RL205 (warning): a policy without `Version`.
NO_VERSION = POLICY.replace('"Version": "2012-10-17",', "")
FORMATS = tuple(REPORTERS)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    return write_tree(root, {".git/HEAD": "", ".reglint.yaml": "select: [RL0, RL205]\n", "typo.yaml": TYPO, "iam/push.json": NO_VERSION})


# --- parsing one --format value ---


def test_a_format_alone_goes_to_standard_output() -> None:
    assert parse_target("sarif") == ReportTarget("sarif", None)


def test_a_format_with_a_file_goes_to_that_file() -> None:
    assert parse_target("sarif=out/reglint.sarif") == ReportTarget("sarif", Path("out/reglint.sarif"))
    # The file is everything after the first `=`: a format name never holds one.
    assert parse_target("json=a=b.json") == ReportTarget("json", Path("a=b.json"))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("xml", "'xml' is not one of 'text', 'json', 'sarif', 'github', 'junit', 'gitlab', 'checkstyle'"),
        ("xml=r.xml", "'xml' is not one of 'text'"),
        ("=r.json", "'' is not one of 'text'"),
        ("json=", "no file after '=' in 'json='"),
    ],
)
def test_a_bad_value_is_refused_with_its_reason(value: str, words: str) -> None:
    with pytest.raises(ReportTargetError, match=words.replace("(", r"\(")):
        parse_target(value)


# --- planning the targets of a run ---


def test_no_format_is_the_text_report_on_standard_output() -> None:
    assert plan_targets((), None, Path("/w")) == (ReportTarget("text", None),)


def test_output_sends_the_one_report_to_its_file() -> None:
    assert plan_targets((ReportTarget("json", None),), Path("r.json"), Path("/w")) == (
        ReportTarget("json", Path("r.json")),
    )
    assert plan_targets((), Path("r.txt"), Path("/w")) == (ReportTarget("text", Path("r.txt")),)


def test_several_targets_keep_their_order() -> None:
    given = (ReportTarget("text", None), ReportTarget("sarif", Path("r.sarif")), ReportTarget("junit", Path("r.xml")))
    assert plan_targets(given, None, Path("/w")) == given


@pytest.mark.parametrize(
    ("given", "output", "message"),
    [
        (
            ("text", "json"),
            None,
            "--format text and --format json both write to standard output: give all but one a file (--format json=FILE)",
        ),
        (
            ("text", "json=a.json"),
            "r.txt",
            "--output cannot be combined with --format FORMAT=FILE: name each report's file in its --format",
        ),
        (
            ("json", "github"),
            "r.txt",
            "--format json and --format github both write to standard output: give all but one a file (--format github=FILE)",
        ),
        (
            ("json=out/r", "sarif=./out/r"),
            None,
            "--format json=out/r and --format sarif=./out/r write to the same file",
        ),
        (
            ("json=r.json", "junit=sub/../r.json"),
            None,
            "--format json=r.json and --format junit=sub/../r.json write to the same file",
        ),
    ],
)
def test_a_bad_combination_is_one_line(given: tuple[str, ...], output: str | None, message: str) -> None:
    targets = tuple(parse_target(value) for value in given)
    with pytest.raises(ReportTargetError) as caught:
        plan_targets(targets, Path(output) if output else None, Path("/w"))
    assert str(caught.value) == message


def test_a_report_may_not_replace_a_file_the_run_reads_or_records(tmp_path: Path) -> None:
    reserved = {"--baseline": Path("base.json"), "--write-baseline": Path("new.json")}
    for option, path in reserved.items():
        with pytest.raises(ReportTargetError) as caught:
            plan_targets((parse_target(f"json=./{path}"),), None, tmp_path, reserved=reserved)
        assert str(caught.value) == f"--format json=./{path} and {option} {path} name the same file"


def test_two_names_of_one_file_through_a_link_are_the_same_file(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    os.symlink("real", tmp_path / "alias")
    targets = (ReportTarget("json", Path("real/r")), ReportTarget("sarif", Path("alias/r")))
    with pytest.raises(ReportTargetError, match="write to the same file"):
        plan_targets(targets, None, tmp_path)


# --- several reports in one run, through the command line ---


def _single(run_cli: Any, project: Path, fmt: str, *extra: str) -> Any:
    return run_cli("check", "--format", fmt, *extra, cwd=project)


def test_several_reports_are_each_what_a_single_run_prints(run_cli: Any, project: Path) -> None:
    result = run_cli(
        "check", "--format", "text", "--format", "sarif=reports/reglint.sarif", "--format", "junit=reglint.xml",
        cwd=project,
    )
    single_text = _single(run_cli, project, "text")
    assert (result.code, result.out, result.err) == (single_text.code, single_text.out, single_text.err)
    assert result.code == 1 and "typo.yaml:9:3: RL002 error schema-violation" in result.out
    assert (project / "reports" / "reglint.sarif").read_text(encoding="utf-8") == _single(run_cli, project, "sarif").out
    assert (project / "reglint.xml").read_text(encoding="utf-8") == _single(run_cli, project, "junit").out


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_written_to_a_file_is_its_report(run_cli: Any, project: Path, fmt: str) -> None:
    result = run_cli("check", f"--format={fmt}=out/report", cwd=project)
    assert (result.code, result.out, result.err) == (1, "", "")
    assert (project / "out" / "report").read_text(encoding="utf-8") == _single(run_cli, project, fmt).out


_COMBINATIONS = [
    (stdout, files)
    for stdout in (None, "text", "json")
    for size in (1, 2)
    for files in itertools.combinations(FORMATS, size)
]


@pytest.mark.parametrize("fail_on", ["error", "warning", "never"])
@pytest.mark.parametrize(("stdout", "files"), _COMBINATIONS, ids=lambda v: str(v))
def test_the_exit_code_is_the_single_format_runs(
    run_cli: Any, project: Path, fail_on: str, stdout: str | None, files: tuple[str, ...]
) -> None:
    args = [f"--format={fmt}=r/{fmt}.out" for fmt in files] + ([f"--format={stdout}"] if stdout else [])
    combined = run_cli("check", "--fail-on", fail_on, *args, cwd=project)
    for fmt in {*files, stdout or "text"}:
        assert combined.code == _single(run_cli, project, fmt, "--fail-on", fail_on).code
    assert combined.code == {"error": 1, "warning": 1, "never": 0}[fail_on]
    for fmt in files:
        assert (project / "r" / f"{fmt}.out").is_file()


def test_the_exit_code_is_the_same_on_a_clean_project(run_cli: Any, tmp_path: Path) -> None:
    clean = write_tree(tmp_path, {".git/HEAD": "", "ok.yaml": MANIFEST, "iam/push.json": POLICY})
    single = run_cli("check", "--select", "RL0", cwd=clean)
    several = run_cli("check", "--select", "RL0", "--format", "text", "--format", "sarif=r.sarif", cwd=clean)
    assert (single.code, several.code, several.out) == (0, 0, single.out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "text", "--format", "json"), "--format text and --format json both write to standard output"),
        (("--format", "xml=r.xml"), "Invalid value for '--format': 'xml' is not one of 'text', 'json'"),
        (("--format", "json=r.json", "--output", "r.txt"), "--output cannot be combined with --format FORMAT=FILE"),
        (("--format", "json=r.out", "--format", "sarif=./r.out"), "write to the same file"),
        (("--format", "json=b.json", "--write-baseline", "b.json"), "and --write-baseline b.json name the same file"),
    ],
)
def test_a_bad_combination_is_a_usage_error_and_nothing_is_written(
    run_cli: Any, project: Path, args: tuple[str, ...], message: str
) -> None:
    before = sorted(p.name for p in project.iterdir())
    result = run_cli("check", *args, cwd=project)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("reglint: error: ") and message in result.err
    assert result.err.count("\n") == 1 and result.err.endswith("(see 'reglint check --help')\n")
    assert sorted(p.name for p in project.iterdir()) == before


def test_each_file_is_replaced_atomically(run_cli: Any, project: Path) -> None:
    """Written beside and renamed into place: a hard link to the old file keeps the old
    bytes (an in-place write would change both), and no temporary file is left."""
    for name in ("r.sarif", "r.json"):
        (project / name).write_text("old\n")
        os.link(project / name, project / f"{name}.old")
    result = run_cli("check", "--format", "sarif=r.sarif", "--format", "json=r.json", cwd=project)
    assert result.code == 1
    for name in ("r.sarif", "r.json"):
        assert (project / f"{name}.old").read_text() == "old\n"
        assert (project / name).read_text().startswith("{")
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]


def test_a_file_linked_out_of_the_root_is_refused_and_the_others_are_written(
    run_cli: Any, project: Path
) -> None:
    outside = project.parent / "outside"
    outside.mkdir()
    os.symlink("../outside", project / "linked")
    result = run_cli("check", "--format", "text", "--format", "json=linked/r.json", "--format", "sarif=r.sarif", cwd=project)
    assert result.code == 2
    assert result.err == "reglint: error: cannot write linked/r.json: leads outside the project root through a symbolic link\n"
    assert list(outside.iterdir()) == []
    assert (project / "r.sarif").is_file()
    # The log still gets the text report: a CI job shows what it found.
    assert "typo.yaml:9:3: RL002 error" in result.out


def test_statistics_go_into_the_text_report_wherever_it_is_written(run_cli: Any, project: Path) -> None:
    result = run_cli("check", "--statistics", "--format", "json", "--format", "text=r.txt", cwd=project)
    assert result.err == ""
    assert (project / "r.txt").read_text().endswith("     1  RL002  schema-violation\n     1  RL205  policy-version\n")
    no_text = run_cli("check", "--statistics", "--format", "json", "--format", "sarif=r.sarif", cwd=project)
    assert no_text.err == "     1  RL002  schema-violation\n     1  RL205  policy-version\n"


def test_write_baseline_keeps_stdout_empty_and_still_writes_the_files(run_cli: Any, project: Path) -> None:
    result = run_cli("check", "--format", "text", "--format", "json=r.json", "--write-baseline", "b.json", cwd=project)
    assert (result.code, result.out, result.err) == (0, "", "reglint: wrote 2 entries to b.json\n")
    assert (project / "r.json").is_file() and (project / "b.json").is_file()


def test_report_files_are_never_read_as_input(run_cli: Any, project: Path) -> None:
    for _ in range(2):
        result = run_cli("check", "--format", "json=r.json", "--format", "junit=r.xml", cwd=project)
        assert result.code == 1
        assert json.loads((project / "r.json").read_text())["summary"]["skipped"] == 0


def test_colour_is_for_standard_output_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import click.utils

    monkeypatch.setattr(click.utils, "should_strip_ansi", lambda *_: False)  # stdout "is a terminal"
    from reglint.findings import Finding, Severity, Span
    from reglint.report import ReportContext
    from reglint.report.result import RunResult
    from reglint.report.targets import write_reports
    from reglint.rule_catalogue import load_catalogue

    finding = Finding("RL002", "schema-violation", Severity.ERROR, "a.yaml", Span(1, 1, 1, 2), "m")
    result = RunResult(findings=[finding], files=1)
    context = ReportContext(load_catalogue(), "error", color=True)
    targets = (ReportTarget("text"), ReportTarget("text", tmp_path / "r.txt"))
    assert write_reports(result, context, targets, tmp_path) == []
    assert "\x1b[31m" in capsys.readouterr().out
    assert (tmp_path / "r.txt").read_text().startswith("a.yaml:1:1: RL002 error schema-violation: m\n")
