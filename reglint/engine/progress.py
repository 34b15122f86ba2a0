"""What a run counts of the files it reads, and the progress line that shows the count.

`FileTally` is the one owner of both: loading (engine/load.py) and the independent
files' outcomes (engine/run.py) report each file to it. The progress line goes to
stderr for long runs in a terminal — never in pre-commit or CI, never for short runs
(it appears only after a second), never on stdout."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

from reglint.findings import Notification

_DELAY = 1.0  # seconds before the first update: short runs never show it
_INTERVAL = 0.1


# `CI` read as CI systems and people set it: `CI=false` (or empty, 0, no, off) is no CI.
_NOT_CI = frozenset({"", "0", "false", "no", "off"})


def under_ci(environ: Mapping[str, str] = os.environ) -> bool:
    """True when the environment variable `CI` holds a true value: the one definition of
    "running in CI", used by the progress line and by the test suite (tests/resources.py)."""
    return environ.get("CI", "").strip().lower() not in _NOT_CI


class Progress:
    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self._start = time.monotonic()
        self._last = 0.0
        self._shown = False

    @classmethod
    def for_terminal(cls, stream: TextIO) -> Progress:
        """A progress line when `stream` is a terminal and no CI or pre-commit runs us."""
        quiet = under_ci() or any(os.environ.get(name) for name in ("PRE_COMMIT", "NO_PROGRESS"))
        return cls(stream if stream.isatty() and not quiet else None)

    def update(self, files: int) -> None:
        if self._stream is None:
            return
        now = time.monotonic()
        if now - self._start < _DELAY or now - self._last < _INTERVAL:
            return
        self._last = now
        self._shown = True
        self._stream.write(f"\rreglint: {files} files read")
        self._stream.flush()

    def close(self) -> None:
        if self._stream is not None and self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()


@dataclass(slots=True)
class FileTally:
    """The files of a run as the summary counts them — read, skipped, the notifications
    of skipped files, the paths checked — and the progress line that shows the count."""

    progress: Progress = field(default_factory=lambda: Progress(None))
    files: int = 0
    skipped: int = 0
    notifications: list[Notification] = field(default_factory=list)
    files_checked: list[str] = field(default_factory=list)
    # Files read but counted as skipped (no notification): their path and why (`-v`).
    skipped_files: list[tuple[str, str]] = field(default_factory=list)

    def count(
        self,
        shown: str,
        skipped: bool,
        notification: Notification | None = None,
        reason: str | None = None,
    ) -> None:
        """One file read for the run, as reports show its path."""
        self.files += 1
        self.files_checked.append(shown)
        self.skipped += skipped
        if notification is not None:
            self.notifications.append(notification)
        elif skipped and reason is not None:
            self.skipped_files.append((shown, reason))

    def reading(self, set_aside: int) -> None:
        """Loading reads another file; `set_aside` files were sniffed and left to be
        checked one by one (counted when they are)."""
        self.progress.update(self.files + set_aside)

    def checked(
        self,
        shown: str,
        skipped: bool,
        notification: Notification | None = None,
        reason: str | None = None,
    ) -> None:
        """One file set aside by loading, now checked."""
        self.count(shown, skipped, notification, reason)
        self.progress.update(self.files)

    def close(self) -> None:
        self.progress.close()
