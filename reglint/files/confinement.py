"""Keeping reads and writes inside the project root: a symbolic link in the scanned
repository is attacker input, and must not lead reglint to a file outside it.

A link whose target stays inside the root is followed; one that leads outside is
refused by every reader (discovery.py, engine/load.py) and by the writer (report/write.py).
"""

from __future__ import annotations

import os

OUTSIDE = "leads outside the project root through a symbolic link"


def is_within(path: str, base: str) -> bool:
    """True when the normalised absolute `path` is `base` or lies under it."""
    return path == base or path.startswith(base if base.endswith(os.sep) else base + os.sep)


def leads_outside(path: str, base: str, real_base: str) -> bool:
    """True when `path`, which lies under `base` as written, resolves (through its
    symbolic links) to somewhere outside `real_base`, the resolved `base`."""
    return is_within(path, base) and not is_within(os.path.realpath(path), real_base)
