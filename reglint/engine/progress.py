"""A progress line on stderr for long runs in a terminal — never in pre-commit or CI,
never for short runs (it appears only after a second), never on stdout."""

from __future__ import annotations

import os
import time
from typing import TextIO

_DELAY = 1.0  # seconds before the first update: short runs never show it
_INTERVAL = 0.1


class Progress:
    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self._start = time.monotonic()
        self._last = 0.0
        self._shown = False

    @classmethod
    def for_terminal(cls, stream: TextIO) -> Progress:
        """A progress line when `stream` is a terminal and no CI or pre-commit runs us."""
        quiet = any(os.environ.get(name) for name in ("CI", "PRE_COMMIT", "NO_PROGRESS"))
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
