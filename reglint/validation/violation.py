"""The one record `explain` hands out: a schema problem at a data path."""

from __future__ import annotations

from typing import NamedTuple

from reglint.loading.positions import DataPath


class SchemaViolation(NamedTuple):
    """One real problem found by a schema, ready to become an RL002 finding.

    `path` is relative to the data that was validated; with `on_key` the problem sits
    on the last key of `path` (an unknown or forbidden key) rather than on its value.
    `identity` names the kind of problem for fingerprints (`unknown-key:imagePrefx`,
    `required:url`, `type`); like `message`, it never holds a credential. `rename`: for
    an unknown key, the one key it surely misspells (a fix renames it).
    """

    path: DataPath
    message: str
    on_key: bool = False
    identity: str = ""
    rename: str | None = None
