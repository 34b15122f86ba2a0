#!/usr/bin/env python3
"""Build reglint's snapshot of the AWS managed policies (SPEC §6.2).

The snapshot, snapshots/aws-managed-policies.jsonl.gz, holds the default version of
every AWS managed policy: name, path (when the source gives one), version id, the
version's CreateDate, and the policy document, minified. reglint resolves
`arn:aws:iam::aws:policy/NAME` from it, and `reglint --version` shows its date. Its
format is described in reglint/model/iam/managed_policies.py, which reads it. The
same source and options always give the same bytes (entries sorted by name, no time
stamp in the gzip header), so a rebuild with nothing new changes nothing.

Where the data comes from (either source gives one file per policy, named as the
policy, holding the output of `aws iam get-policy-version`):

1. MAMIP, https://github.com/zoph-io/MAMIP, which records every AWS managed policy
   daily. Its policies/ folder holds the files; its policies-list.json is the output
   of `aws iam list-policies` and gives the paths:

     git clone --depth 1 https://github.com/zoph-io/MAMIP
     python scripts/build_aws_managed_policies.py --source MAMIP/policies \\
         --list-policies MAMIP/policies-list.json \\
         --date "$(git -C MAMIP log -1 --format=%cs)" \\
         --source-label "zoph-io/MAMIP policies/ at commit $(git -C MAMIP rev-parse --short=8 HEAD)"

   MAMIP keeps the files of policies that AWS has since deprecated; with
   --list-policies, only the listed (current) policies are kept.

2. Any AWS account (every account sees all AWS managed policies; the caller needs
   iam:ListPolicies and iam:GetPolicyVersion). `--no-only-attached` is the default,
   spelled out: all AWS managed policies, attached or not (the CLI pages through
   them):

     aws iam list-policies --scope AWS --no-only-attached --output json > list-policies.json
     mkdir policies
     jq -r '.Policies[] | [.Arn, .DefaultVersionId, .PolicyName] | @tsv' list-policies.json |
       while IFS=$'\\t' read -r arn version name; do
         aws iam get-policy-version --policy-arn "$arn" --version-id "$version" \\
             --output json > "policies/$name"
       done
     python scripts/build_aws_managed_policies.py --source policies \\
         --list-policies list-policies.json --date "$(date -u +%F)" \\
         --source-label "aws iam get-policy-version, $(date -u +%F)"

The snapshot's partition is the one the listed ARNs name (an account in aws-cn gives
aws-cn's documents); without a list it is `aws`, as MAMIP's data is.

Decisions:

- The date: --date, else the date of the newest CreateDate in the source (the data
  is at least that fresh). The snapshot records which one it is.
- File names: when every file of the folder ends in `.json` (the shared corpus of
  reglint's tests added that suffix to MAMIP's names), one `.json` is dropped. A file
  `X.json` beside a file `X` is a stray copy (MAMIP keeps a stale
  AWSCodeArtifactReadOnlyAccess.json) and is skipped. Empty files (MAMIP has two) are
  skipped. Both are reported on stderr.
- Without a list the source carries no paths, and none are stored: AWS managed policy
  names are unique, so reglint resolves an ARN by its name.
- Anything else that is not a default policy version (bad JSON, no Document,
  IsDefaultVersion not true, a name IAM would refuse) stops the build with one line:
  a snapshot built from a half-read source would pass for a complete one.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "snapshots" / "aws-managed-policies.jsonl.gz"
FORMAT = 1
# IAM's PolicyName and Path patterns:
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
_NAME = re.compile(r"[\w+=,.@-]{1,128}", re.ASCII)
_PATH = re.compile(r"/(?:[\x21-\x7e]+/)?")
_ARN = re.compile(r"arn:(aws(?:-[a-z]+)*):iam::aws:policy(/.*)")
# The largest AWS managed policy version is well under 1 MiB of CLI output.
_MAX_FILE_BYTES = 4 * 1024 * 1024


class BuildError(Exception):
    """The source cannot give a complete snapshot: one line, exit 1."""


class Entry(NamedTuple):
    """One policy of the snapshot: a row of the file, after the header."""

    name: str
    path: str | None
    version: str
    created: str  # the version's CreateDate, `YYYY-MM-DDTHH:MM:SSZ`
    document: str  # minified JSON


class Listed(NamedTuple):
    """What `aws iam list-policies` says of one policy."""

    path: str
    version: str
    partition: str | None


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def source_files(folder: Path, notes: list[str]) -> dict[str, Path]:
    """Policy name -> file, for every non-empty file of `folder` (module docstring)."""
    if not folder.is_dir():
        raise BuildError(f"{folder}: not a folder")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    suffixed = bool(files) and all(p.name.endswith(".json") for p in files)
    named = {(p.name[: -len(".json")] if suffixed else p.name): p for p in files}
    empty = sorted(name for name, path in named.items() if not path.read_bytes().strip())
    if empty:
        notes.append(f"skipped {_plural(len(empty), 'empty file')}: {', '.join(empty)}")
    found: dict[str, Path] = {}
    for name, path in named.items():
        if name in empty:
            continue
        if name.endswith(".json") and name[: -len(".json")] in named:
            notes.append(f"skipped {name}: a stray copy of {name[: -len('.json')]}")
            continue
        if not _NAME.fullmatch(name):
            raise BuildError(f"`{name}` is not an IAM policy name (file {path})")
        found[name] = path
    return found


def read_version(path: Path) -> tuple[str, str, str]:
    """The version id, CreateDate and minified document of one `get-policy-version` file."""
    if path.stat().st_size > _MAX_FILE_BYTES:
        raise BuildError(f"{path}: larger than {_MAX_FILE_BYTES:,} bytes")
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise BuildError(f"{path}: not JSON ({error})") from None
    version = data.get("PolicyVersion") if isinstance(data, dict) else None
    if not isinstance(version, dict) or not isinstance(version.get("Document"), dict):
        raise BuildError(f"{path}: not the output of `aws iam get-policy-version`")
    if version.get("IsDefaultVersion") is not True:
        raise BuildError(f"{path}: not the default version (IsDefaultVersion is not true)")
    version_id, created = version.get("VersionId"), version.get("CreateDate")
    if not isinstance(version_id, str) or not re.fullmatch(r"v[0-9]+", version_id):
        raise BuildError(f"{path}: VersionId {version_id!r} is not a version id such as v3")
    document = json.dumps(version["Document"], ensure_ascii=False, separators=(",", ":"))
    return version_id, _utc(created, path), document


def _utc(text: Any, path: Path) -> str:
    """An ISO 8601 time as `YYYY-MM-DDTHH:MM:SSZ` (the CLI's forms differ by version)."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise BuildError(f"{path}: CreateDate {text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_listing(path: Path) -> dict[str, Listed]:
    """Policy name -> path and default version, from `aws iam list-policies` output."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise BuildError(f"{path}: cannot be read as JSON ({error})") from None
    policies = data.get("Policies") if isinstance(data, dict) else None
    if not isinstance(policies, list):
        raise BuildError(f"{path}: not the output of `aws iam list-policies` (no Policies list)")
    listed: dict[str, Listed] = {}
    for item in policies:
        name = item.get("PolicyName") if isinstance(item, dict) else None
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise BuildError(f"{path}: an entry without a valid PolicyName: {str(item)[:200]}")
        where, version, arn = item.get("Path", "/"), item.get("DefaultVersionId"), item.get("Arn")
        if not isinstance(where, str) or not _PATH.fullmatch(where):
            raise BuildError(f"{path}: {name}: Path {where!r} is not an IAM path")
        if not isinstance(version, str):
            raise BuildError(f"{path}: {name}: no DefaultVersionId")
        partition = None
        if arn is not None:
            match = _ARN.fullmatch(arn) if isinstance(arn, str) else None
            if match is None or match.group(2) != f"{where}{name}":
                raise BuildError(f"{path}: {name}: Arn {arn!r} is not an AWS managed policy ARN")
            partition = match.group(1)
        listed[name] = Listed(where, version, partition)
    return listed


def _partition(listed: dict[str, Listed] | None) -> str:
    named = {item.partition for item in (listed or {}).values() if item.partition}
    if len(named) > 1:
        raise BuildError(f"the list names several partitions: {', '.join(sorted(named))}")
    return named.pop() if named else "aws"


def build(
    source: Path, listing: Path | None, date: datetime.date | None, label: str | None
) -> tuple[bytes, list[str]]:
    """The snapshot's text (before compression) and the notes for stderr."""
    notes: list[str] = []
    files = source_files(source, notes)
    listed = read_listing(listing) if listing is not None else None
    if listed is not None:
        absent = sorted(set(listed) - set(files))
        if absent:
            raise BuildError(
                f"{_plural(len(absent), 'listed policy')} {'has' if len(absent) == 1 else 'have'}"
                f" no file in {source}: {', '.join(absent)}"
            )
        unlisted = sorted(set(files) - set(listed))
        if unlisted:
            notes.append(
                f"skipped {_plural(len(unlisted), 'file')} not in the list (deprecated or removed): "
                + ", ".join(unlisted)
            )
    entries: list[Entry] = []
    for name in sorted(files):
        if listed is not None and name not in listed:
            continue
        version, created, document = read_version(files[name])
        where = None
        if listed is not None:
            where = listed[name].path
            if listed[name].version != version:
                raise BuildError(
                    f"{name}: the list says default version {listed[name].version}, "
                    f"the file holds {version}"
                )
        entries.append(Entry(name, where, version, created, document))
    if not entries:
        raise BuildError(f"{source}: no policy version found")
    if date is None:
        date, basis = (
            datetime.date.fromisoformat(max(e.created for e in entries)[:10]),
            ("newest CreateDate in the source"),
        )
    else:
        basis = "given"
    header = {
        "format": FORMAT,
        "partition": _partition(listed),
        "date": date.isoformat(),
        "date_basis": basis,
        "source": label if label is not None else source.resolve().name,
        "policies": len(entries),
    }
    lines = [_compact(header), *(_compact(list(entry)) for entry in entries)]
    return ("\n".join(lines) + "\n").encode("utf-8"), notes


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def compress(payload: bytes) -> bytes:
    """gzip without a time stamp or file name: the same payload gives the same bytes."""
    return gzip.compress(payload, compresslevel=9, mtime=0)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    summary, _, details = (__doc__ or "").partition("\n\n")
    parser = argparse.ArgumentParser(
        description=summary, epilog=details, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--source",
        type=Path,
        required=True,
        help="folder of `aws iam get-policy-version` outputs, one per policy",
    )
    parser.add_argument(
        "--list-policies",
        type=Path,
        metavar="FILE",
        help="`aws iam list-policies` output: paths, and only these policies",
    )
    parser.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the snapshot's date [default: the newest CreateDate in the source]",
    )
    parser.add_argument(
        "--source-label",
        metavar="TEXT",
        help="where the data comes from, recorded in the snapshot "
        "[default: the source folder's name]",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"the snapshot to write [default: {DEFAULT_OUTPUT.relative_to(REPO)}]",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when --output is not what the source builds",
    )
    return parser.parse_args(argv)


def _report(lines: Iterable[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_arguments(argv)
    try:
        payload, notes = build(
            options.source, options.list_policies, options.date, options.source_label
        )
    except (BuildError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _report(notes)
    count = json.loads(payload.split(b"\n", 1)[0])["policies"]
    output: Path = options.output
    if options.check:
        try:
            current = gzip.decompress(output.read_bytes())
        except (OSError, EOFError, zlib.error) as error:
            current = f"unreadable: {error}".encode()
        if current != payload:
            print(
                f"{output} is not what {options.source} builds; rebuild without --check",
                file=sys.stderr,
            )
            return 1
        print(f"{output} is up to date ({count:,} policies)", file=sys.stderr)
        return 0
    data = compress(payload)
    write_atomically(output, data)
    print(f"wrote {count:,} policies to {output} ({len(data):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
