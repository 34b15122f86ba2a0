"""The MLRun systems of a project: each system's settings, from all the files the config's
`platform-systems` assigns to it, and the `mlrun-builder` service they make (SPEC §6.3).

Decisions:

- Systems are told apart by tenant and system name. When the files of one system give
  it different environments, the first file's (in path order) is the system's.
- A document's settings all belong to its file's system; a file of settings that no
  glob assigns is returned apart, for the run's notification.
- Systems come in (tenant, system) order, so that every report is the same whatever
  order the files were loaded in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from reglint.files.globs import GlobSet
from reglint.loading.document import Document
from reglint.platform.documents import platform_records
from reglint.platform.mlrun_service import BuilderService, PlacedSetting, builder_service
from reglint.platform.systems import SystemAssignment, assigned_system

__all__ = ["MlrunSystem", "mlrun_systems"]


class MlrunSystem(NamedTuple):
    """One system's MLRun settings and the service they make."""

    assignment: SystemAssignment
    service: BuilderService
    settings: tuple[PlacedSetting, ...]  # every setting of the system, in order
    documents: Mapping[tuple[str, int], Document]  # a PlacedSetting's (file, document)

    def document_of(self, placed: PlacedSetting) -> Document:
        """The document a setting of this system was read from."""
        return self.documents[(placed.file, placed.document)]


def mlrun_systems(
    documents: Iterable[Document],
    assignments: Sequence[tuple[GlobSet, SystemAssignment]],
    root: Path,
) -> tuple[list[MlrunSystem], list[Document]]:
    """The systems the MLRun settings of `documents` make, and the documents of settings
    that no glob assigns (module docstring)."""
    placed: dict[tuple[str, str], list[PlacedSetting]] = {}
    found: dict[tuple[str, str], dict[tuple[str, int], Document]] = {}
    first: dict[tuple[str, str], tuple[str, SystemAssignment]] = {}
    unassigned: list[Document] = []
    for document in documents:
        settings = platform_records(document).settings.settings
        if not settings:
            continue
        assignment = assigned_system(document.file.path, assignments, root)
        if assignment is None:
            unassigned.append(document)
            continue
        key = (assignment.tenant, assignment.system)
        file = str(document.file.path)
        if key not in first or file < first[key][0]:
            first[key] = (file, assignment)
        placed.setdefault(key, []).extend(PlacedSetting(file, document.index, s) for s in settings)
        found.setdefault(key, {})[(file, document.index)] = document
    return [
        MlrunSystem(
            first[key][1],
            builder_service(placed[key]),
            tuple(sorted(placed[key], key=lambda p: p.order)),
            found[key],
        )
        for key in sorted(placed)
    ], unassigned
