"""Every command's output on `examples/` and on the AWS managed policies, byte for byte
(exit code, stdout, stderr, written files), against tests/cli_outputs/expected/.

A re-layout of the package must not change one byte. After an intended change of
output, regenerate the expected files (the message of a failure says how) and review
the diff. The corpus half keeps a hash of each output (they are large) and a readable
summary; a mismatch leaves the output in a temporary file that the message names.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from cli_outputs.cases import (
    CORPUS_CASES,
    CORPUS_CWD,
    EXAMPLE_CASES,
    EXAMPLES_CWD,
    EXPECTED,
    REGENERATE,
    Case,
    digest,
    run_case,
)
from resources import require

STALE = f"the output changed; if that is intended, regenerate: {REGENERATE} (then review the diff)"


def _examples_meta() -> dict[str, dict[str, object]]:
    meta: dict[str, dict[str, object]] = json.loads((EXPECTED / "examples.json").read_text(encoding="utf-8"))
    return meta


def test_every_example_case_has_expected_output() -> None:
    assert set(_examples_meta()) == {case.name for case in EXAMPLE_CASES}, STALE


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda case: case.name)
def test_example_output_is_unchanged(case: Case) -> None:
    expected = _examples_meta()[case.name]
    output = run_case(case, EXAMPLES_CWD)
    folder = EXPECTED / "examples"
    assert output.stdout == (folder / f"{case.name}.stdout").read_bytes(), STALE
    assert output.stderr.decode("utf-8") == expected["stderr"], STALE
    assert output.exit_code == expected["exit"], STALE
    assert set(output.written) == set(case.writes)
    for name, content in output.written.items():
        assert content == (folder / case.kept_as(name)).read_bytes(), STALE


@pytest.mark.parametrize("case", CORPUS_CASES, ids=lambda case: case.name)
def test_corpus_output_is_unchanged(case: Case) -> None:
    require(CORPUS_CWD.is_dir(), "the shared corpus is not here")
    expected = json.loads((EXPECTED / "corpus.json").read_text(encoding="utf-8"))["cases"][case.name]
    output = run_case(case, CORPUS_CWD)
    if digest(output.stdout) != expected["stdout_sha256"]:
        with tempfile.NamedTemporaryFile(prefix=f"{case.name}-", suffix=".out", delete=False) as kept:
            kept.write(output.stdout)
        pytest.fail(f"{STALE}; this run's stdout is in {kept.name} ({len(output.stdout)} bytes)")
    assert output.stderr.decode("utf-8") == expected["stderr"], STALE
    assert output.exit_code == expected["exit"], STALE


def test_corpus_cases_are_recorded() -> None:
    cases = json.loads((EXPECTED / "corpus.json").read_text(encoding="utf-8"))["cases"]
    assert set(cases) == {case.name for case in CORPUS_CASES}, STALE


def test_expected_outputs_are_machine_independent() -> None:
    """Nothing kept names this checkout's folder (it is replaced by file:///CWD)."""
    here = str(Path(__file__).resolve().parents[2])
    for path in EXPECTED.rglob("*"):
        if path.is_file():
            assert here not in path.read_text(encoding="utf-8"), path
