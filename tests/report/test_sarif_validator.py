"""Microsoft's SARIF validator (`@microsoft/sarif-multitool`) with GitHub's ingestion
rules and the SARIF authoring rules (`--rule-kind "Gh;Sarif"`) over reglint's SARIF.

Installed by `.ci/install-sarif-validator` (npm). The test reads the binary's path from
REGLINT_SARIF_VALIDATOR, else looks in that script's default folder; a missing validator
skips the test, or fails it under CI (tests/resources.py).

Three traps, each handled here: the validator exits 0 even when it reports errors (so
its output file is read); it silently skips a file it cannot find (so each input must
show up in its results, which always hold a few notes); and the npm wrapper runs it
through a shell that splits `Gh;Sarif` at the `;` (so the packaged binary is run
directly, with an argument list and no shell).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from report.golden_fixture import golden_path
from resources import missing

REPO = Path(__file__).resolve().parents[2]
BINARY = Path("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")


def validator_binary() -> Path | None:
    """The validator's Linux binary, where the install script puts it."""
    configured = os.environ.get("REGLINT_SARIF_VALIDATOR")
    if configured:
        return Path(configured)
    folder = os.environ.get("REGLINT_SARIF_TOOL_DIR") or str(
        Path(tempfile.gettempdir()) / "reglint-sarif-validator"
    )
    return Path(folder) / BINARY


@pytest.fixture(scope="module")
def validator() -> Path:
    binary = validator_binary()
    if binary is None or not binary.is_file():
        missing(f"SARIF validator not installed at {binary} (run .ci/install-sarif-validator)")
    if not os.access(binary, os.X_OK):
        binary.chmod(binary.stat().st_mode | 0o111)  # npm may skip the package's chmod
    return binary


def validate(binary: Path, files: list[Path], output: Path) -> list[dict[str, Any]]:
    """Run the validator on `files`; return its results (errors, warnings and notes)."""
    command = [
        str(binary),
        "validate",
        "--rule-kind",
        "Gh;Sarif",
        "--level",
        "Error;Warning;Note",
        "--log",
        "ForceOverwrite",
        "--output",
        str(output),
        *map(str, files),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert output.is_file(), (
        f"the validator wrote no output:\n{completed.stdout}\n{completed.stderr}"
    )
    run = json.loads(output.read_text(encoding="utf-8-sig"))["runs"][0]
    assert all(i.get("executionSuccessful") for i in run.get("invocations", [])), run.get(
        "invocations"
    )
    results: list[dict[str, Any]] = run.get("results", [])
    return results


def _file_of(result: dict[str, Any]) -> str:
    return Path(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).name


def _describe(result: dict[str, Any]) -> str:
    message = result["message"]
    text = message.get("text") or f"{message.get('id')} {message.get('arguments')}"
    return f"{result.get('level', 'warning')} {result['ruleId']} in {_file_of(result)}: {text}"


def test_validator_reports_no_errors_or_warnings(validator: Path, tmp_path: Path) -> None:
    examples = tmp_path / "examples.sarif"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "reglint",
            "check",
            "examples",
            "--format",
            "sarif",
            "--output",
            str(examples),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr  # the examples hold deliberate mistakes
    # The examples' results carry fixes (SPEC §6.5), an RL106 one among them: validated too.
    fixed = {r["ruleId"] for r in json.loads(examples.read_text(encoding="utf-8"))["runs"][0]["results"] if "fixes" in r}
    assert {"RL102", "RL106", "RL201", "RL205"} <= fixed, fixed
    golden = tmp_path / "golden.sarif"  # related locations, suppressions, odd paths, notifications
    golden.write_bytes(golden_path("sarif").read_bytes())
    # A canary with known faults: proves that this test reads the validator's findings.
    canary = tmp_path / "canary.sarif"
    broken = json.loads(golden.read_text(encoding="utf-8"))
    broken["$schema"] = "https://example.com/not-sarif.json"
    canary.write_text(json.dumps(broken), encoding="utf-8")

    results = validate(validator, [examples, golden, canary], tmp_path / "validation.sarif")

    by_file = {
        name: [r for r in results if _file_of(r) == name]
        for name in (examples.name, golden.name, canary.name)
    }
    for name, found in by_file.items():
        assert found, f"the validator did not check {name} (it skips files silently)"
    assert any(r.get("level") == "error" for r in by_file[canary.name]), (
        "the canary's bad $schema went unnoticed"
    )
    # A result without `level` is a warning (SARIF §3.27.10).
    problems = [
        _describe(r)
        for name in (examples.name, golden.name)
        for r in by_file[name]
        if r.get("level", "warning") in ("error", "warning")
    ]
    assert not problems, "\n".join(problems)
