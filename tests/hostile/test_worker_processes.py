"""Worker processes (`--jobs`) are bounded (SPEC §4): their number is at most four per
core whatever `--jobs` asks, and they never outlive the run — a `reglint check` stopped
with SIGTERM (a CI timeout, `timeout 60 reglint …`) takes its workers with it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hostile.project_tree import make_project

from reglint.engine import workers

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked (and /proc is read) on Linux")

# Runs `reglint check` with a check that never ends in the workers: each worker says
# "busy PID" on stderr and sleeps, so the test can stop the run while they are busy.
BUSY_WORKERS = """\
import os, sys, time

from reglint.cli import main
from reglint.engine.file_check import FileChecker

parent = os.getpid()
_check_jobs = FileChecker.check_jobs


def check_jobs(self, jobs):
    if os.getpid() == parent:
        return _check_jobs(self, jobs)
    # One write of the whole line: two workers printing at once cannot interleave it.
    os.write(2, f"busy {os.getpid()}\\n".encode())
    time.sleep(600)


FileChecker.check_jobs = check_jobs
main(sys.argv[1:])
"""

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\n'


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for a reaper has ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@linux_only
def test_workers_die_with_the_run_on_sigterm(tmp_path: Path) -> None:
    make_project(tmp_path, {f"iam/extra/p{n:02d}.json": POLICY for n in range(40)})
    (tmp_path / "busy_workers.py").write_text(BUSY_WORKERS, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "busy_workers.py", "check", "--jobs", "2", "."],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    busy: list[int] = []
    try:
        assert process.stderr is not None
        while len(busy) < 2:
            line = process.stderr.readline().decode()
            assert line, "the run ended before its workers were busy"
            if line.startswith("busy "):
                busy.append(int(line.split()[1]))
        process.send_signal(signal.SIGTERM)  # to the run only, not to its process group
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in busy) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in busy if _alive(pid)], "workers outlived the run"
    finally:
        for pid in busy:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert process.stderr is not None
        process.stderr.close()


@pytest.mark.parametrize(
    ("requested", "files", "cores", "expected"),
    [(1_000_000, 10_000, 2, 8), (9, 10_000, 2, 8), (8, 10_000, 2, 8), (1_000_000, 3, 2, 3), (64, 10_000, 16, 64)],
)
def test_jobs_is_clamped_to_four_workers_per_core(
    requested: int, files: int, cores: int, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "available_cores", lambda: cores)
    assert workers.worker_count(requested, files) == expected


@linux_only
def test_a_huge_jobs_value_starts_no_more_than_four_workers_per_core(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def counting(*args: Any, max_workers: int, **kwargs: Any) -> Any:
        started.append(max_workers)
        return real(*args, max_workers=max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counting)
    monkeypatch.setattr(workers, "available_cores", lambda: 1)
    # 70 files make five chunks of 16: as many workers as chunks, unless --jobs is clamped.
    make_project(tmp_path, {f"iam/extra/p{n:02d}.json": POLICY for n in range(70)})
    result = run_cli("check", "--jobs", "100000", ".", cwd=tmp_path)
    assert result.code == 1 and "RL104" in result.out
    assert started == [4]
