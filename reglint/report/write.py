"""Writing reports and baselines: atomically, so a reader never sees half a file; never
through a symbolic link of the repository that leads outside the project root; and
never with more rights than a new file gets, whatever mode an old file had."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from reglint.files.confinement import confined_target


def write_atomically(path: Path, text: str, root: Path | None = None) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place.

    With `root`, the path's symbolic links are resolved first, and one that lies inside
    the root and leads outside it is refused (OSError naming `path` as given)."""
    target = path if root is None else confined_target(path, root)
    if _is_special(target):
        # A device, a FIFO or a terminal (`--output /dev/null`, `/dev/stdout`) is written
        # into, never replaced: renaming a file over /dev/null (as root) would turn the
        # machine's /dev/null into a file. Git cannot store such a node, so a repository
        # cannot plant one: it is the user's own choice.
        with open(target, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path)) from None
    _replace(target, text.encode("utf-8"), file_mode(target))


def _is_special(target: Path) -> bool:
    """True for an existing target that is neither a regular file nor a folder."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def file_mode(target: Path) -> int:
    """The mode a plain write gives a new file, 0666 less the umask, never world-writable;
    an existing file's mode can only narrow it (a report made owner-only stays so). No
    setuid, setgid, sticky, execute or world-write bit of an old file ever carries over."""
    umask = os.umask(0)
    os.umask(umask)
    mode = 0o666 & ~umask & ~0o002
    try:
        return mode & os.stat(target).st_mode
    except OSError:  # no file yet
        return mode


def rewrite_atomically(path: Path, data: bytes, root: Path) -> None:
    """Replace a checked file's bytes (`--fix`): atomically, through a temporary file
    beside it, never through a symbolic link that leads outside `root`, and keeping the
    file's mode (and its owner and group, where this process may set them).

    A symbolic link inside the root that leads inside it stays a link: its target is
    rewritten. OSError (PermissionError for a link out of the root) when it cannot be."""
    target = confined_target(path, root)
    before = os.stat(target)
    if not stat.S_ISREG(before.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    _replace(target, data, stat.S_IMODE(before.st_mode), (before.st_uid, before.st_gid))


def _replace(target: Path, data: bytes, mode: int, owner: tuple[int, int] | None = None) -> None:
    """Write `data` to a temporary file beside `target`, with `mode` (and `owner`, where
    this process may give it), then rename it over `target`: a reader sees the old file
    or the new one, never half of one."""
    # The temporary name must fit where the target's name fits (255 bytes on most systems).
    prefix = f".{target.name[:100]}."
    # mkstemp creates 0600; the file gets `mode` once it has its owner.
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    try:
        if owner is not None and hasattr(os, "fchown"):
            try:
                os.fchown(handle, *owner)
            except OSError:
                pass  # not ours to give away: the file becomes this user's, mode kept
        os.fchmod(handle, mode)  # after chown, which may clear bits
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
