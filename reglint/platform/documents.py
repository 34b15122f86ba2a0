"""Platform sources as documents of a run (SPEC §6.3, §6.6).

The engine sniffs each file's bytes (`sniff.mentions_platform_source`); for a file that
may hold a registry Secret or MLRun settings it gives the loader `read_platform_sources`,
and every document in which it reads something becomes a PLATFORM document that keeps
its `PlatformRecords` (`Document.records`). Checks read them with `platform_records`.
Files the sniff passes over are never read for platform sources.

Decision: a document holding a Secret of any kind (also a generic one: it may be the
Secret that a setting names, RL302) or any MLRun setting is a platform source. Other
documents of the same file stay what they are (OTHER: never linted).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from reglint.loading.document import Document
from reglint.platform.mlrun_records import Settings
from reglint.platform.mlrun_settings import read_mlrun_settings
from reglint.platform.secrets import SecretRecord, read_secrets

__all__ = ["PlatformRecords", "platform_records", "read_platform_sources"]


class PlatformRecords(NamedTuple):
    """What one document holds: its Secrets and its MLRun settings (with their problems)."""

    secrets: tuple[SecretRecord, ...] = ()
    settings: Settings = Settings()


_NONE = PlatformRecords()


def read_platform_sources(data: Any) -> PlatformRecords | None:
    """The platform records of one parsed document, or None when it holds none."""
    secrets = read_secrets(data)
    settings = read_mlrun_settings(data)
    if not (secrets or settings.settings or settings.problems):
        return None
    return PlatformRecords(secrets, settings)


def platform_records(document: Document) -> PlatformRecords:
    """The records of a PLATFORM document (empty for any other)."""
    records = document.records
    return records if isinstance(records, PlatformRecords) else _NONE
