"""Run one whole process and measure it: wall time, CPU time, peak RSS, exit code.

Peak RSS comes from GNU time (`/usr/bin/time -v`, Debian package `time`), which
reports the child's `ru_maxrss` — the largest resident set of the process or of any
one of its own children (reglint's `--jobs` workers included). Without GNU time the
same figure is read with `os.wait4` on the child. Wall time is measured here, around
the process (`time -v` prints it with only 10 ms resolution).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

GNU_TIME = "/usr/bin/time"

# The environment every contender sees: no colour, no progress line, no pager.
QUIET_ENV = {"NO_COLOR": "1", "NO_PROGRESS": "1", "PYTHONWARNINGS": "ignore"}


@dataclass(frozen=True, slots=True)
class Sample:
    wall: float  # seconds
    user: float
    system: float
    max_rss_kb: int
    exit_code: int
    crashed: bool  # a Python traceback on stderr, or killed by a signal


def gnu_time_available() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    probe = subprocess.run([GNU_TIME, "-v", "true"], capture_output=True, text=True, check=False)
    return "Maximum resident set size" in probe.stderr


def run(
    argv: tuple[str, ...],
    cwd: Path,
    log: Path,
    use_gnu_time: bool,
    extra_env: tuple[tuple[str, str], ...] = (),
) -> Sample:
    """Run `argv` in `cwd` (with `extra_env` set); its stdout and stderr go to
    `log`.out/.err (kept for a look)."""
    # PYTHONDONTWRITEBYTECODE (set on some CI machines) would make every run compile the
    # editable checkout's modules again; an installed tool has its .pyc files from pip.
    # Without it, the warm-up run writes them and the timed runs measure real start-up.
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        **QUIET_ENV,
        **dict(extra_env),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        if use_gnu_time:
            sample = _with_gnu_time(argv, cwd, env, out, err)
        else:
            sample = _with_wait4(argv, cwd, env, out, err)
    tail = log.with_suffix(".err").read_bytes()[-20_000:]
    return Sample(
        sample.wall,
        sample.user,
        sample.system,
        sample.max_rss_kb,
        sample.exit_code,
        sample.crashed or b"Traceback (most recent call last)" in tail,
    )


def _with_gnu_time(
    argv: tuple[str, ...], cwd: Path, env: dict[str, str], out: BinaryIO, err: BinaryIO
) -> Sample:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        process = subprocess.run(
            [GNU_TIME, "-v", "-o", report.name, *argv],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        wall = time.perf_counter() - started
        text = Path(report.name).read_text()

    def field(label: str, default: str = "0") -> str:
        found = re.search(rf"^\s*{re.escape(label)}: (.+)$", text, re.MULTILINE)
        return found.group(1).strip() if found else default

    signalled = "Command terminated by signal" in text
    return Sample(
        wall,
        float(field("User time (seconds)")),
        float(field("System time (seconds)")),
        int(field("Maximum resident set size (kbytes)")),
        int(field("Exit status", str(process.returncode))),
        signalled,
    )


def _with_wait4(
    argv: tuple[str, ...], cwd: Path, env: dict[str, str], out: BinaryIO, err: BinaryIO
) -> Sample:
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(
        wall,
        usage.ru_utime,
        usage.ru_stime,
        usage.ru_maxrss,
        process.returncode,
        process.returncode < 0,
    )


_SPIN = "import time\nt = time.perf_counter()\nn = 0\nfor i in range(3_000_000):\n    n += i\nprint(time.perf_counter() - t)"


def parallel_capacity() -> float:
    """How many cores' worth of CPU two busy processes get at once (2.0: two real cores;
    about 1.0: the two vCPUs share one core's time). What `--jobs` can win here."""

    def spin(count: int) -> float:
        procs = [
            subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)
            for _ in range(count)
        ]
        return max(float(proc.communicate()[0]) for proc in procs)

    alone = min(spin(1) for _ in range(3))
    together = min(spin(2) for _ in range(3))
    return 2 * alone / together
