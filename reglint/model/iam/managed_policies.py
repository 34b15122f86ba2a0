"""AWS managed policies by ARN, from the snapshot bundled with reglint (SPEC §6.2).

`lookup("arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser")` gives the
policy's default version: name, path when known, version id, document as data, and
the snapshot's date. It gives None for anything else; `parse_policy_arn()` tells a
caller why, without loading the snapshot:

- `None`: the text is no IAM policy ARN reglint can read (a wildcard partition, a
  region, a role ARN…).
- `.aws_managed` False: a customer managed policy (the account is not `aws`: a
  12-digit account or a placeholder such as `${AWS::AccountId}`). Its document is in
  the files read, or nowhere reglint can see (RL302).
- `.aws_managed` True: an AWS managed policy that the snapshot does not hold (a typo, a
  policy newer than the snapshot, a placeholder name): RL302, and it grants nothing.

Decisions where the SPEC is silent:

- **Names.** An ARN resolves by its name, matched exactly (AWS managed policy names
  are unique; case matters in an ARN). The public dataset the snapshot is built from
  carries no paths, so the path of the ARN is not checked; a snapshot built with
  paths (`--list-policies`) requires the ARN's path to be the policy's, as IAM does.
  `lookup_name()` finds a policy by name alone, for messages.
- **Partitions.** The snapshot holds one partition's policies (`aws`, as MAMIP's data
  is). AWS publishes its managed policies in every partition under the same names,
  each copy naming its own partition's ARNs, so a snapshot policy stands for the
  same name in every partition that botocore's data knows: its document comes with
  every string that starts with `arn:aws:` moved to `arn:<partition>:`. A policy
  that AWS has not launched in that partition is credited anyway (a missed finding,
  never a false one); an unknown partition resolves to nothing (IAM refuses it).
- **Placeholder partitions** (`arn:${AWS::Partition}:iam::aws:policy/X`,
  Terraform's `arn:${data.aws_partition.current.partition}:…`) resolve by name
  (SPEC §6.2) to the document as stored, with `partition` saying which partition
  its ARNs name; `ManagedPolicy.in_partition()` moves it once the caller knows the
  registry's partition.

The snapshot (`snapshots/aws-managed-policies.jsonl.gz`, built by
`scripts/build_aws_managed_policies.py`; `reglint/_data/snapshots/` in a wheel) is
gzip-compressed JSON Lines, 0.4 MB instead of 3.1 MB. Line 1 is a header
(`format`, `partition`, `date`, `date_basis`, `source`, `policies`); every other line
is one policy, sorted by name: `[name, path or null, version id, CreateDate,
document]`, the document as minified JSON text. Text, because parsing 1,500
documents costs about four times as much as scanning them as strings: a document is
parsed only when a lookup asks for it.

Cost: importing this module loads nothing. The first lookup of an AWS managed ARN
reads the snapshot, once per process (about 30 ms, most of it decompressing 3.1 MB);
`snapshot_info()` (for `reglint --version`) decompresses the header line only.
"""

from __future__ import annotations

import datetime
import functools
import re
from pathlib import Path
from typing import Any, NamedTuple

from reglint.model.iam.arns import split_arn
from reglint.model.placeholder import is_placeholder

__all__ = [
    "ManagedPolicy",
    "PolicyArn",
    "SnapshotInfo",
    "SnapshotUnavailable",
    "lookup",
    "lookup_name",
    "parse_policy_arn",
    "snapshot_info",
]

SNAPSHOT_FILE = "aws-managed-policies.jsonl.gz"
_FORMAT = 1
_PARTITION_SHAPE = re.compile(r"aws(?:-[a-z]+)*")
# Line 1's keys; a row is [name, path, version id, CreateDate, document text].
_Row = tuple[str, str | None, str, str, str]


class SnapshotUnavailable(Exception):
    """The bundled snapshot is missing or unreadable: a broken installation."""


class PolicyArn(NamedTuple):
    """The parts of an IAM policy ARN: `arn:<partition>:iam::<account>:policy<path><name>`."""

    partition: str | None  # None: a placeholder (`${AWS::Partition}`)
    account: str  # `aws` for an AWS managed policy
    path: str  # `/`, `/service-role/`
    name: str

    @property
    def aws_managed(self) -> bool:
        """True for an AWS managed policy ARN (account `aws`)."""
        return self.account == "aws"


class ManagedPolicy(NamedTuple):
    """The default version of one AWS managed policy, as the snapshot holds it."""

    name: str
    path: str | None  # None: the snapshot's source gives no paths
    version_id: str  # `v3`
    created: str  # the version's CreateDate, `2019-12-10T20:48:08Z`
    document: Any  # the policy document, as data (each lookup hands out its own)
    partition: str  # the partition whose ARNs the document names
    snapshot_date: datetime.date

    def in_partition(self, partition: str) -> ManagedPolicy:
        """The same policy as AWS publishes it in `partition` (module docstring)."""
        if partition == self.partition:
            return self
        moved = _moved(self.document, f"arn:{self.partition}:", f"arn:{partition}:")
        return self._replace(document=moved, partition=partition)


class SnapshotInfo(NamedTuple):
    """What `reglint --version` says of the snapshot."""

    date: datetime.date
    policies: int
    source: str


class _Snapshot(NamedTuple):
    info: SnapshotInfo
    partition: str
    rows: dict[str, _Row]


def parse_policy_arn(text: str) -> PolicyArn | None:
    """The parts of a policy ARN; None when `text` is none (module docstring)."""
    parts = split_arn(text)
    if len(parts) != 6:
        return None
    prefix, partition, service, region, account, resource = parts
    if prefix != "arn" or service != "iam" or region or not account:
        return None
    if not resource.startswith("policy/"):
        return None
    path, _, name = resource[len("policy") :].rpartition("/")
    if not name:
        return None
    if is_placeholder(partition):
        return PolicyArn(None, account, path + "/", name)
    if not _known_partition(partition):
        return None
    return PolicyArn(partition, account, path + "/", name)


def lookup(arn: str) -> ManagedPolicy | None:
    """The AWS managed policy `arn` names; None when it names none the snapshot holds."""
    parsed = parse_policy_arn(arn)
    if parsed is None or not parsed.aws_managed:
        return None  # the snapshot is not read for a customer managed ARN
    policy = lookup_name(parsed.name)
    if policy is None or (policy.path is not None and policy.path != parsed.path):
        return None
    return policy if parsed.partition is None else policy.in_partition(parsed.partition)


def lookup_name(name: str) -> ManagedPolicy | None:
    """The AWS managed policy called `name`, as the snapshot holds it."""
    import json

    snapshot = _snapshot()
    row = snapshot.rows.get(name)
    if row is None:
        return None
    name, path, version_id, created, document = row
    return ManagedPolicy(
        name,
        path,
        version_id,
        created,
        json.loads(document),
        snapshot.partition,
        snapshot.info.date,
    )


def snapshot_info() -> SnapshotInfo:
    """The snapshot's date, size and source, read from its first line only."""
    import gzip
    import zlib

    if _snapshot.cache_info().currsize:
        return _snapshot().info
    path = _snapshot_path()
    try:
        with gzip.open(path, "rb") as stream:
            first = stream.readline(64 * 1024)
    except (OSError, EOFError, zlib.error) as error:
        raise SnapshotUnavailable(f"cannot read {path}: {error}") from None
    info, _partition = _header(first, path)
    return info


@functools.cache
def _snapshot() -> _Snapshot:
    """The whole snapshot, read once per process."""
    import gzip
    import json
    import zlib

    path = _snapshot_path()
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        first, _, rest = text.partition("\n")
        info, partition = _header(first.encode("utf-8"), path)
        rows = json.loads("[" + rest.rstrip("\n").replace("\n", ",") + "]")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as error:
        raise SnapshotUnavailable(f"cannot read {path}: {error}") from None
    table: dict[str, _Row] = {}
    for row in rows:
        if not (
            isinstance(row, list)
            and len(row) == 5
            and all(isinstance(row[i], str) for i in (0, 2, 3, 4))
            and (row[1] is None or isinstance(row[1], str))
        ):
            raise SnapshotUnavailable(f"cannot read {path}: a row is not [name, path, …]")
        table[row[0]] = (row[0], row[1], row[2], row[3], row[4])
    if len(table) != info.policies:
        raise SnapshotUnavailable(
            f"cannot read {path}: {len(table)} policies where the header says {info.policies}"
        )
    return _Snapshot(info, partition, table)


def _header(line: bytes, path: Path) -> tuple[SnapshotInfo, str]:
    import json

    try:
        header = json.loads(line)
        if header.get("format") != _FORMAT:
            raise ValueError(f"format {header.get('format')!r}, not {_FORMAT}")
        info = SnapshotInfo(
            datetime.date.fromisoformat(header["date"]),
            int(header["policies"]),
            str(header["source"]),
        )
        return info, str(header["partition"])
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise SnapshotUnavailable(f"cannot read {path}: bad header ({error})") from None


def _snapshot_path() -> Path:
    """Where the snapshot is: in a wheel, `reglint/_data/snapshots/`; in a checkout,
    the repository's top-level `snapshots/` (as for `schemas/` and `rules/`)."""
    from reglint.package_data import data_path

    return data_path("snapshots") / SNAPSHOT_FILE


def _known_partition(partition: str) -> bool:
    """A partition of botocore's data (IAM refuses others); its shape, without that data."""
    from reglint.model.aws_partitions import partition_data

    known = tuple(p.id for p in partition_data().partitions)
    return partition in known if known else _PARTITION_SHAPE.fullmatch(partition) is not None


def _moved(value: Any, old: str, new: str) -> Any:
    """`value` with every string that starts with `old` starting with `new` instead."""
    if isinstance(value, str):
        return new + value[len(old) :] if value.startswith(old) else value
    if isinstance(value, list):
        return [_moved(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _moved(item, old, new) for key, item in value.items()}
    return value
