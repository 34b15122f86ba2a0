"""Where reglint's packaged data lives: `schemas/`, `rules/` and `snapshots/` (the AWS
managed policies).

In a wheel they ship as `reglint/_data/<kind>` (see pyproject.toml); in a source
checkout or an editable install they are the repository's top-level folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

DataKind = Literal["schemas", "rules", "snapshots"]


@cache
def data_path(kind: DataKind) -> Path:
    """The folder holding reglint's `schemas`, `rules` or `snapshots`."""
    package = Path(__file__).resolve().parent
    packaged = package / "_data" / kind
    if packaged.is_dir():
        return packaged
    return package.parent / kind
