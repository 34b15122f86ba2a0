"""`--jobs`: the independent files of a big run are checked in worker processes.

Below `PARALLEL_THRESHOLD` files (and with `--jobs 1`) everything stays in this process:
starting workers costs more than it saves for a pre-commit run. Workers get the run's
FileChecker once (inherited on fork, pickled elsewhere), receive chunks of files and send
back decided findings only — documents never cross a process boundary, so no process
holds more than one chunk of parsed files. Results come back in submission order and
the engine sorts findings anyway, so the report is the same with any `--jobs`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Self

from reglint.engine.file_check import FileChecker, FileOutcome
from reglint.engine.load import FileJob

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

# Each worker pays a cold start (IAM catalogue services, caches, the jsonschema import
# for explanations) worth the checks of a few hundred files (docs/measurements.md):
# below that, the second core wins less than it costs.
PARALLEL_THRESHOLD = 300
# `--jobs` beyond this many workers per core only adds processes (and memory) that wait
# for a core; `--jobs 100000` must not start 100,000 processes.
WORKERS_PER_CORE = 4
_CHUNKS_PER_WORKER = 8  # small enough to balance uneven files, big enough to amortise a round trip
_MIN_CHUNK = 16

_checker: FileChecker | None = None  # a worker's copy of the run's checker


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(requested: int | None, files: int) -> int:
    """How many worker processes check `files` files: 0 means this process does it.

    `requested` is `--jobs`: None (the default) uses every core once the run is big
    enough; an explicit N > 1 uses up to N workers (at most four per core) for any run
    of two files or more."""
    if requested is None:
        return available_cores() if files >= PARALLEL_THRESHOLD and available_cores() > 1 else 0
    if requested <= 1 or files < 2:
        return 0
    return min(requested, WORKERS_PER_CORE * available_cores(), files)


class FileChecks:
    """The independent files of a run being checked: with workers, they start at once,
    so the main process checks the project meanwhile; without, each file is checked when
    its outcome is asked for. Consumes `jobs`: a file's bytes are let go once checked."""

    def __init__(self, checker: FileChecker, jobs: list[FileJob], workers: int) -> None:
        self._checker = checker
        self._jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._chunks: list[list[FileJob]] = []
        self._futures: list[Future[list[FileOutcome]]] = []
        if workers > 0 and jobs:
            size = max(_MIN_CHUNK, -(-len(jobs) // (workers * _CHUNKS_PER_WORKER)))
            chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
            pool = _start_pool(min(workers, len(chunks)), checker)
            try:
                self._futures = [pool.submit(_check_chunk, chunk) for chunk in chunks] if pool else []
            except OSError:  # the first submit forks: no process slot left, say
                assert pool is not None
                pool.shutdown(wait=True, cancel_futures=True)
                pool, self._futures = None, []
            if pool is not None:
                self._pool, self._chunks = pool, chunks
                jobs.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def outcomes(self) -> Iterator[FileOutcome]:
        """The outcome of every job, in order."""
        if self._pool is None:
            jobs = self._jobs
            jobs.reverse()
            while jobs:
                yield self._checker.check_job(jobs.pop())
            return
        for index, future in enumerate(self._futures):
            yield from _outcomes(self._checker, self._chunks[index], future)
            self._chunks[index] = []


def _start_pool(workers: int, checker: FileChecker) -> ProcessPoolExecutor | None:
    """A pool of `workers` processes, or None where processes cannot be made (no
    /dev/shm, no semaphores, out of process slots): the run then stays in one process."""
    # Imported only here: multiprocessing is slow to import, too much for a pre-commit run.
    from concurrent.futures import ProcessPoolExecutor

    try:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=(checker, os.getpid()),
        )
    except (OSError, ImportError, NotImplementedError):
        return None


def _outcomes(checker: FileChecker, chunk: Sequence[FileJob], future: Future[list[FileOutcome]]) -> list[FileOutcome]:
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - a worker that died (killed, out of memory): redo its files here
        return checker.check_jobs(chunk)


def _context() -> BaseContext:
    import multiprocessing

    # fork on Linux: the worker inherits the imported modules and the run's state for
    # free (reglint starts no threads). Elsewhere fork is unsafe or missing: spawn.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _start_worker(checker: FileChecker, parent: int) -> None:
    global _checker
    _checker = checker
    _die_with(parent)


def _die_with(parent: int) -> None:
    """End this worker when the run that started it ends, however it ends.

    A worker waits on its task queue forever: a run stopped by SIGTERM (a CI timeout)
    or SIGKILL would leave it behind. On Linux the kernel sends it SIGKILL when its
    parent dies (prctl PR_SET_PDEATHSIG); elsewhere a daemon thread watches the parent."""
    if sys.platform == "linux":
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # it died before the request took effect
                os._exit(1)
            return
    import threading

    threading.Thread(target=_watch_parent, args=(parent,), name="reglint-parent-watch", daemon=True).start()


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _check_chunk(chunk: Sequence[FileJob]) -> list[FileOutcome]:
    assert _checker is not None, "worker started without its checker"
    return _checker.check_jobs(chunk)
