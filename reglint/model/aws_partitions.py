"""AWS partitions, their regions and DNS suffixes, as botocore's bundled data says.

reglint reads botocore's data files as plain JSON instead of importing botocore: importing
botocore is slow (docs/measurements.md), and a pre-commit run on one manifest should
cost little more than the interpreter's start (SPEC §5). `importlib.util.find_spec` locates a top-level
package without importing it.

Two files are read, lazily and once each:

- `data/partitions.json` (7 KB): every partition's id, DNS suffix, region regex and
  region list. It answers nearly every question.
- `data/endpoints.json` (1.2 MB, slow to parse): its per-partition region lists can
  name regions that partitions.json lacks, so it is read only when partitions.json does
  not know a region: the rare path that ends in an "unknown region" warning anyway.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "Partition",
    "PartitionData",
    "botocore_version",
    "partition_data",
]

_VERSION_LINE = re.compile(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)


class Partition(NamedTuple):
    """One AWS partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-eusc`, …"""

    id: str
    dns_suffix: str
    region_regex: re.Pattern[str]
    regions: frozenset[str]

    def fits_region_shape(self, region: str) -> bool:
        """True when the region matches this partition's region regex (known or not)."""
        return self.region_regex.match(region) is not None


class PartitionData(NamedTuple):
    """The partitions of one botocore release, with the version that shipped them."""

    version: str
    partitions: tuple[Partition, ...]

    @property
    def available(self) -> bool:
        """False when botocore (and so its data) is not installed."""
        return bool(self.partitions)

    @property
    def dns_suffixes(self) -> frozenset[str]:
        return frozenset(p.dns_suffix for p in self.partitions)

    @property
    def known_regions(self) -> frozenset[str]:
        """Every region that partitions.json names (endpoints.json is not consulted)."""
        return frozenset().union(*(p.regions for p in self.partitions))

    def partition_of_region(self, region: str) -> Partition | None:
        """The partition a region belongs to: by its region lists first, then by regex.

        This is the order the AWS SDKs resolve a partition in (region lists, then each
        partition's `regionRegex` in file order); a region no regex fits has no partition.
        """
        for partition in self.partitions:
            if region in partition.regions:
                return partition
        extra = _endpoint_regions(self.version)
        for partition in self.partitions:
            if region in extra.get(partition.id, frozenset()):
                return partition
        for partition in self.partitions:
            if partition.fits_region_shape(region):
                return partition
        return None

    def is_known_region(self, region: str) -> bool:
        """True when botocore's data lists the region (in either file)."""
        if any(region in p.regions for p in self.partitions):
            return True
        return any(region in regions for regions in _endpoint_regions(self.version).values())

    def partitions_with_suffix(self, dns_suffix: str) -> tuple[Partition, ...]:
        """Partitions whose DNS suffix is `dns_suffix` (`amazonaws.com`: aws and aws-us-gov)."""
        return tuple(p for p in self.partitions if p.dns_suffix == dns_suffix)


def _botocore_dir() -> Path | None:
    """botocore's package folder, found without importing it."""
    try:
        spec = importlib.util.find_spec("botocore")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def botocore_version() -> str:
    """The installed botocore's version, read from its `__init__.py` (cheap, no import)."""
    folder = _botocore_dir()
    if folder is not None:
        try:
            match = _VERSION_LINE.search((folder / "__init__.py").read_text(encoding="utf-8"))
        except OSError:
            match = None
        if match:
            return match.group(1)
    # importlib.metadata is slow to import (it pulls in email parsing): fallback only.
    import importlib.metadata

    try:
        return importlib.metadata.version("botocore")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _read_json(name: str) -> Any:
    folder = _botocore_dir()
    if folder is None:
        return None
    try:
        with open(folder / "data" / name, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _regions_matching(names: Iterable[str], regex: re.Pattern[str]) -> frozenset[str]:
    # partitions.json also lists pseudo-regions such as `aws-global`; they are no place a
    # registry can live, and the partition's own regex filters them out.
    return frozenset(name for name in names if regex.match(name))


@functools.cache
def partition_data() -> PartitionData:
    """botocore's partitions (from `data/partitions.json`), loaded once."""
    raw = _read_json("partitions.json")
    partitions: list[Partition] = []
    entries = raw.get("partitions", []) if isinstance(raw, dict) else []
    for entry in entries:
        try:
            regex = re.compile(entry["regionRegex"])
            partitions.append(
                Partition(
                    id=entry["id"],
                    dns_suffix=entry["outputs"]["dnsSuffix"],
                    region_regex=regex,
                    regions=_regions_matching(entry.get("regions", {}), regex),
                )
            )
        except (KeyError, TypeError, re.error):
            continue  # a future format change costs us one partition, not the run
    return PartitionData(version=botocore_version(), partitions=tuple(partitions))


@functools.cache
def _endpoint_regions(version: str) -> dict[str, frozenset[str]]:
    """Per-partition region lists from `data/endpoints.json` (big: read only on a miss).

    `version` only keys the cache, so a test that swaps botocore data gets fresh lists.
    """
    raw = _read_json("endpoints.json")
    result: dict[str, frozenset[str]] = {}
    entries = raw.get("partitions", []) if isinstance(raw, dict) else []
    for entry in entries:
        try:
            regex = re.compile(entry["regionRegex"])
            result[entry["partition"]] = _regions_matching(entry.get("regions", {}), regex)
        except (KeyError, TypeError, re.error):
            continue
    return result
