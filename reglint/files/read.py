"""Reading a file's bytes, safely: regular files only, never blocking on a FIFO or a
device, and never more than a limit (a file that grows while it is read included)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

TOO_LARGE = "file is larger than max-file-size"  # how every too-large reason starts
_NOT_REGULAR = "not a regular file (FIFO, socket or device)"


def read_regular_file(path: Path, limit: int) -> bytes | str:
    """The bytes of a regular file of at most `limit` bytes, or why it cannot be read.

    Opened non-blocking and checked with fstat on the open descriptor, so a FIFO or a
    device (even one swapped in after a directory listing) can never block the run.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return _NOT_REGULAR if _is_special(path) else _os_reason(exc)  # a socket: ENXIO
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return _NOT_REGULAR
        if info.st_size > limit:
            return too_large(limit)
        raw = _read_all(descriptor, info.st_size, limit)
    except OSError as exc:
        return _os_reason(exc)
    finally:
        os.close(descriptor)
    if len(raw) > limit:  # it grew while we read it
        return too_large(limit)
    return raw


def too_large(limit: int) -> str:
    """Why a file (or standard input) of more than `limit` bytes is not parsed."""
    return f"{TOO_LARGE} ({_size(limit)})"


def _read_all(descriptor: int, size: int, limit: int) -> bytes:
    """The file's bytes until end of file, or the first `limit + 1` of them.

    One `os.read` of the size fstat gave (plus one byte, to see growth) and no file
    object: a sniff of 10,000 files showed their cost. A file that grew meanwhile is
    read on until its end or past the limit."""
    first = os.read(descriptor, min(size, limit) + 1)
    if len(first) <= size:
        return first
    chunks = [first]
    total = len(first)
    while total <= limit:
        chunk = os.read(descriptor, 65536)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _is_special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _os_reason(exc: OSError) -> str:
    return f"cannot read file: {exc.strerror or exc.__class__.__name__}"


def _size(limit: int) -> str:
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit} bytes"
