"""Atomic writes (SPEC §4): `--output` and `--write-baseline` replace their file whole.
A `reglint check` killed with SIGKILL at any moment leaves each file with either its old
complete content or its new complete content, never a truncated mix.

How the kill lands inside the write: the write of a few hundred KiB takes well under a
millisecond, so random kill times would almost never hit it. The child therefore runs
through `SLOW_WRITER`, a wrapper that changes nothing but timing: it gives
`reglint.report.write` an `os` whose `fdopen` streams write in 4 KiB chunks, flushed to the
temporary file with a pause after each, and whose `replace` pauses before and after the
rename; it also prints a marker on stderr when a write starts. The test waits for the
marker and kills after a random delay (most kills then land mid-write, some between the
write and the rename, some after), plus a few kills at random times from the start. No
environment variable is involved: the patch lives only in the child's wrapper script.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile.project_tree import GOOD_MANIFEST, make_project

SLOW_WRITER = """\
import os, sys, time, types

import reglint.report.write
from reglint.cli import main

_fdopen, _replace = os.fdopen, os.replace


class SlowStream:
    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        sys.stderr.write("slow-writer: write-start\\n")
        sys.stderr.flush()
        for start in range(0, len(text), 4096):
            self._stream.write(text[start:start + 4096])
            self._stream.flush()
            time.sleep(0.003)
        return len(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._stream.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def slow_replace(source, target):
    time.sleep(0.02)
    _replace(source, target)
    sys.stderr.write("slow-writer: replaced\\n")
    sys.stderr.flush()
    time.sleep(0.02)


reglint.report.write.os = types.SimpleNamespace(
    **{**vars(os), "fdopen": lambda *a, **k: SlowStream(_fdopen(*a, **k)), "replace": slow_replace}
)
main(sys.argv[1:])
"""

DOCUMENTS = 300  # one RL104 finding each: a report of ~140 KB, a baseline of ~40 KB
OLD_REPORT = "old report: complete\n" * 50
OLD_BASELINE = '{"version": 1, "tool": "reglint", "findings": []}\n'
TEMPORARY = re.compile(r"^\.(report\.json|baseline\.json)\..+\.tmp$")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("atomic")
    manifests = [
        GOOD_MANIFEST.replace("name: docker-registry", f"name: service-{i}")
        for i in range(DOCUMENTS)
    ]
    # In files of 100 documents: a report lists at most 100 findings of a rule per file.
    streams = {f"many-{k}.yaml": "---\n".join(manifests[k : k + 100]) for k in range(0, DOCUMENTS, 100)}
    make_project(root, streams)
    (root / "slow_writer.py").write_text(SLOW_WRITER, encoding="utf-8")
    return root


def _start(project: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, str(project / "slow_writer.py"), "check", "--format", "json",
        "--output", str(out / "report.json"), "--write-baseline", str(out / "baseline.json"), ".",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=project,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _reset(out: Path) -> None:
    """Old, complete files; no leftovers from an earlier kill."""
    for leftover in out.iterdir():
        leftover.unlink()
    (out / "report.json").write_text(OLD_REPORT, encoding="utf-8")
    (out / "baseline.json").write_text(OLD_BASELINE, encoding="utf-8")


@pytest.fixture(scope="module")
def new_content(project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The report and baseline an uninterrupted run writes."""
    out = tmp_path_factory.mktemp("complete")
    _reset(out)
    process = _start(project, out)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    report = (out / "report.json").read_text(encoding="utf-8")
    baseline = (out / "baseline.json").read_text(encoding="utf-8")
    assert len(json.loads(report)["findings"]) == DOCUMENTS + 1  # and good.yaml's
    assert len(json.loads(baseline)["findings"]) == DOCUMENTS + 1
    assert len(report) > 30 * 4096 and len(baseline) > 5 * 4096  # many chunks each
    return report, baseline


def _kill_and_check(process: subprocess.Popen[bytes], out: Path, new: tuple[str, str]) -> str:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # it had finished already
        pass
    _, rest = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL or process.returncode == 0
    report = (out / "report.json").read_text(encoding="utf-8")
    baseline = (out / "baseline.json").read_text(encoding="utf-8")
    assert report in (OLD_REPORT, new[0]), f"truncated report: {len(report)} characters"
    assert baseline in (OLD_BASELINE, new[1]), f"truncated baseline: {len(baseline)} characters"
    for leftover in out.iterdir():
        if leftover.name not in ("report.json", "baseline.json"):
            # A SIGKILL leaves the temporary file, but hidden and named *.tmp, so that no
            # reader (a glob for *.json, a CI artifact pattern) takes it for the report.
            assert TEMPORARY.match(leftover.name), leftover.name
            assert not leftover.match("*.json") and leftover.name.startswith(".")
    return rest.decode()


@pytest.mark.slow  # kills writer processes many times over: seconds
def test_a_kill_during_the_write_leaves_old_or_new_content(
    project: Path, new_content: tuple[str, str], tmp_path: Path
) -> None:
    rng = random.Random(8)
    out = tmp_path / "out"
    out.mkdir()
    mid_write = 0
    for _ in range(12):
        _reset(out)
        process = _start(project, out)
        assert process.stderr is not None
        line = process.stderr.readline()  # blocks until the first write begins
        assert b"slow-writer: write-start" in line, line
        time.sleep(rng.uniform(0, 0.35))  # the two writes take about 0.25 s in all
        rest = _kill_and_check(process, out, new_content)
        mid_write += "replaced" not in rest
    assert mid_write >= 3, "too few kills landed before the report's rename"


@pytest.mark.slow  # kills writer processes many times over: seconds
def test_a_kill_at_a_random_moment_leaves_old_or_new_content(
    project: Path, new_content: tuple[str, str], tmp_path: Path
) -> None:
    rng = random.Random(13)
    out = tmp_path / "out"
    out.mkdir()
    for _ in range(6):
        _reset(out)
        process = _start(project, out)
        time.sleep(rng.uniform(0.2, 4.0))
        _kill_and_check(process, out, new_content)
