"""Keeping reads and writes inside the project root: a symbolic link in the scanned
repository is attacker input, and must not lead reglint to a file outside it.

A link whose target stays inside the root is followed; one that leads outside is
refused by every reader (discovery.py, engine/load.py, the baseline) and by the writer
(report/write.py).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

OUTSIDE = "leads outside the project root through a symbolic link"


def is_within(path: str, base: str) -> bool:
    """True when the normalised absolute `path` is `base` or lies under it."""
    return path == base or path.startswith(base if base.endswith(os.sep) else base + os.sep)


def leads_outside(path: str, base: str, real_base: str) -> bool:
    """True when `path`, which lies under `base` as written, resolves (through its
    symbolic links) to somewhere outside `real_base`, the resolved `base`."""
    return is_within(path, base) and not is_within(os.path.realpath(path), real_base)


def confined_target(path: Path, root: Path) -> Path:
    """`path` with every symbolic link on it resolved, one component at a time (a `..`
    after a link goes up from the link's target, as the kernel reads it).

    A link that lies inside the project root must lead inside it: the repository is
    attacker input, and `--output reports/x.sarif` with `reports` linked to a folder
    of the CI runner would otherwise write there. Links outside the root (the user's
    own, such as /tmp on some systems, or /dev/stdout) are left to the kernel: the rest
    of the path is kept as written from the first of them on."""
    real_root = os.path.realpath(root)
    parts = Path.cwd().joinpath(path).parts
    resolved = parts[0]
    for index, part in enumerate(parts[1:], start=1):
        if part == "..":
            resolved = os.path.dirname(resolved)
            continue
        candidate = os.path.join(resolved, part)
        if not os.path.islink(candidate):
            resolved = candidate
        elif not is_within(candidate, real_root):
            return Path(candidate, *parts[index + 1 :])
        else:
            target = os.path.realpath(candidate)
            if not is_within(target, real_root):
                raise PermissionError(errno.EPERM, OUTSIDE, str(path))
            resolved = target
    return Path(resolved)
