"""Rule isolation (SPEC §2 RL000, §3): a check that raises on one file becomes an RL000
finding for that file, with a hint to report it; the other checks on that file, and every
check on the other files, still report; the run exits 2. In every output format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import FORMATS, Seen, assert_reported, check_every_format
from hostile.project_tree import GOOD_MANIFEST, good_finding, make_project

from reglint import REPORT_URL
from reglint.checks.all import DOCUMENT_CHECKS, PROJECT_CHECKS
from reglint.checks.base import CheckSettings, DocumentCheck, ProjectCheck
from reglint.engine import run as engine_run
from reglint.loading.document import Document, Problem

VICTIM = GOOD_MANIFEST.replace("name: docker-registry", "name: victim") + "extra: 1\n"
EXTRA_LINE = VICTIM.count("\n")  # the unknown key, reported by the schema check (RL002)
HINT = (
    f"this is a reglint bug: please report it at {REPORT_URL} (run with --debug for the traceback)"
)


def _replace_check(monkeypatch: pytest.MonkeyPatch, name: str, error: Exception) -> None:
    """Make the document check `name` raise `error` on victim.yaml, and run as usual elsewhere."""
    checks = list(DOCUMENT_CHECKS)
    (index,) = [i for i, check in enumerate(checks) if check.name == name]
    original = checks[index]

    def run(document: Document, settings: CheckSettings) -> Iterable[Problem]:
        if document.file.path.name == "victim.yaml":
            raise error
        return original.run(document, settings)

    checks[index] = DocumentCheck(original.name, original.rules, original.kinds, run)
    monkeypatch.setattr(engine_run, "DOCUMENT_CHECKS", tuple(checks))


@pytest.mark.parametrize(
    "error",
    [ValueError("boom"), KeyError("spec"), RecursionError("deep"), ZeroDivisionError()],
    ids=lambda error: type(error).__name__,
)
def test_a_check_that_raises_on_one_file_is_rl000_for_that_file_only(
    error: Exception, run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _replace_check(monkeypatch, "invalid-image-prefix", error)
    make_project(tmp_path, {"victim.yaml": VICTIM})
    runs = check_every_format(run_cli, tmp_path, ".")
    crash = Seen("RL000", "victim.yaml", 1)
    expected = [
        crash,
        Seen("RL002", "victim.yaml", EXTRA_LINE),  # another check, same file: still run
        good_finding(),  # the raising check itself, on another file: still run
    ]
    words = f"internal error in check 'invalid-image-prefix' ({type(error).__name__}); {HINT}"
    assert_reported(runs, expected, code=2, words={crash: words})
    for fmt, run in runs.items():
        assert "reglint: an internal error occurred (RL000); please report it" in run.err, fmt
        assert "Traceback" not in run.err
    sarif = json.loads(runs["sarif"].out)["runs"][0]
    assert sarif["invocations"][0]["executionSuccessful"] is False


def test_debug_adds_the_frames_only_in_every_format(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _replace_check(monkeypatch, "invalid-image-prefix", ValueError("text from the file"))
    make_project(tmp_path, {"victim.yaml": VICTIM})
    runs = check_every_format(run_cli, tmp_path, "--debug", ".")
    assert_reported(
        runs,
        [Seen("RL000", "victim.yaml", 1), Seen("RL002", "victim.yaml", EXTRA_LINE), good_finding()],
        code=2,
    )
    for run in runs.values():
        assert "in run" in run.err and "ValueError in check 'invalid-image-prefix'" in run.err
        assert "text from the file" not in run.err + run.out


def _raising_project_check(project: Any, settings: CheckSettings) -> Iterable[Problem]:
    raise RuntimeError("project check bug")


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_project_check_that_raises_is_reported_and_the_rest_goes_on(
    output_format: str, run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = ProjectCheck("broken-project-check", frozenset({"RL303"}), _raising_project_check)
    monkeypatch.setattr(engine_run, "PROJECT_CHECKS", (broken, *PROJECT_CHECKS))
    make_project(tmp_path, {"victim.yaml": VICTIM})
    result = run_cli("check", "--format", output_format, ".", cwd=tmp_path)
    assert result.code == 2
    assert "internal error in check 'broken-project-check' (RuntimeError)" in result.err
    assert "RL104" in result.out and "RL002" in result.out  # document checks still ran
    assert "project check bug" not in result.out + result.err
