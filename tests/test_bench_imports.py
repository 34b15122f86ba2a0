"""The benchmark harness (bench/) is not run by the suite, but it must stay importable:
a broken import once went unnoticed until the next benchmark run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("module", sorted(p.stem for p in BENCH.glob("*.py")))
def test_bench_module_imports(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=BENCH,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
