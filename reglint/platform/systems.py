"""Which platform system a file of MLRun settings configures: the config's
`platform-systems: {GLOB: {system, environment, tenant}}` (SPEC §6.3).

MLRun's settings do not say which cluster they configure, so the configuration does.
As with `policy-types`, the last glob that matches a file wins (a general glob first,
then the exceptions). A file of settings that no glob matches takes part in no
cross-file rule; the run says so in a notification (engine/run.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from reglint.files.globs import GlobSet

__all__ = ["DEFAULT_TENANT", "SystemAssignment", "assigned_system"]

DEFAULT_TENANT = "default"


class SystemAssignment(NamedTuple):
    """The platform system a file's MLRun settings belong to."""

    system: str
    environment: str  # playground | development | staging | production
    tenant: str = DEFAULT_TENANT


def assigned_system(
    path: Path, assignments: Sequence[tuple[GlobSet, SystemAssignment]], root: Path
) -> SystemAssignment | None:
    """The system of the last glob that matches `path` (absolute), or None."""
    found = None
    for globs, assignment in assignments:
        if globs.matches(path, root):
            found = assignment
    return found
