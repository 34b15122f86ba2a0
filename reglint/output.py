"""Writing reports and baselines: atomically, so a reader never sees half a file; never
through a symbolic link of the repository that leads outside the project root; and
never with more rights than a new file gets, whatever mode an old file had."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from reglint.confinement import OUTSIDE, is_within


def write_atomically(path: Path, text: str, root: Path | None = None) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place.

    With `root`, the path's symbolic links are resolved first, and one that lies inside
    the root and leads outside it is refused (OSError naming `path` as given)."""
    target = path if root is None else confined_target(path, root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path)) from None
    # The temporary name must fit where the target's name fits (255 bytes on most systems).
    prefix = f".{target.name[:100]}."
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates 0600; the report gets the mode a plain write would give it.
        os.fchmod(handle, file_mode(target))
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def confined_target(path: Path, root: Path) -> Path:
    """`path` with every symbolic link on it resolved, one component at a time (a `..`
    after a link goes up from the link's target, as the kernel reads it).

    A link that lies inside the project root must lead inside it: the repository is
    attacker input, and `--output reports/x.sarif` with `reports` linked to a folder
    of the CI runner would otherwise write there. Links outside the root (the user's
    own, such as /tmp on some systems) are followed."""
    real_root = os.path.realpath(root)
    parts = Path.cwd().joinpath(path).parts
    resolved = parts[0]
    for part in parts[1:]:
        if part == "..":
            resolved = os.path.dirname(resolved)
            continue
        candidate = os.path.join(resolved, part)
        if os.path.islink(candidate):
            target = os.path.realpath(candidate)
            if is_within(candidate, real_root) and not is_within(target, real_root):
                raise PermissionError(errno.EPERM, OUTSIDE, str(path))
            resolved = target
        else:
            resolved = candidate
    return Path(resolved)


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
