"""`--jobs`: worker processes change the speed of a run, never its report."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from reglint.engine import workers
from reglint.engine.load import LoadRequest, load_job, load_project
from reglint.files.globs import GlobSet
from reglint.loading.document import Limits, SourceFile
from reglint.loading.sniff import may_hold_manifest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="worker tests fork the test process")

_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read%(n)d", "Effect": "Allow", "Action": ["s3:GetObject", "ecr:%(action)s"],
     "Resource": "%(resource)s"}
  ]
}
"""


def _project(tmp_path: Path) -> Path:
    """The examples (manifests, linked policies, collisions, suppressions) plus 60
    independent policies, some broken and some with findings."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root)
    extra = root / "iam" / "generated"
    extra.mkdir(parents=True)
    for n in range(60):
        action = "GetAuthorizationToken" if n % 3 else "PutImagee"  # RL203 on a third
        resource = "*" if n % 4 else "arn:aws:ecr:us-east-2:12345:repository/x"  # RL206 on a quarter
        (extra / f"policy-{n:02d}.json").write_text(_POLICY % {"n": n, "action": action, "resource": resource})
    (extra / "broken.json").write_text('{"Statement": [}')
    # YAML policies with an ignore comment that is used and one that is not (RL004)
    (extra / "suppressed.yaml").write_text(
        "# reglint: ignore-file[RL203] -- kept for the migration\n"
        "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: ecr:PutImagee\n    Resource: '*'\n"
    )
    (extra / "stale.yaml").write_text(
        "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: s3:GetObject  # reglint: ignore[RL203]\n    Resource: '*'\n"
    )
    os.mkfifo(extra / "pipe.json")  # never opened for reading: skipped with a notification
    return root


def _report(run_cli: Any, root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("check", ".", "--format", "json", *args, cwd=root)
    assert result.code in (0, 1), result
    return result.code, json.loads(result.out)


@linux_only
def test_report_is_the_same_with_any_number_of_workers(run_cli: Any, tmp_path: Path) -> None:
    root = _project(tmp_path)
    code_1, one = _report(run_cli, root, "--jobs", "1")
    code_3, three = _report(run_cli, root, "--jobs", "3")
    assert (code_3, three) == (code_1, one)
    rules = {(f["rule"], f["path"]) for f in one["findings"]}
    assert ("RL203", "iam/generated/policy-00.json") in rules
    assert ("RL001", "iam/generated/broken.json") in rules
    assert any(rule == "RL201" for rule, _ in rules)  # linked policies still evaluated per manifest
    assert ("RL004", "iam/generated/stale.yaml") in rules
    suppressed = [f for f in one["findings"] if f["path"] == "iam/generated/suppressed.yaml"]
    assert [(f["rule"], f["suppressed"]["kind"]) for f in suppressed] == [("RL203", "inline")]


@linux_only
def test_summary_and_notifications_are_the_same_with_workers(run_cli: Any, tmp_path: Path) -> None:
    root = _project(tmp_path)
    alone = run_cli("check", ".", "--jobs", "1", "--format", "json", cwd=root)
    shared = run_cli("check", ".", "--jobs", "2", "--format", "json", cwd=root)
    assert (shared.code, shared.out, shared.err) == (alone.code, alone.out, alone.err)
    assert "iam/generated/pipe.json: skipped: not a regular file" in alone.err
    report = json.loads(alone.out)
    broken = [f for f in report["findings"] if f["path"] == "iam/generated/broken.json"]
    assert [(f["rule"], f["line"]) for f in broken] == [("RL001", 1)]
    assert report["summary"]["files"] > 60 and report["summary"]["skipped"] >= 1


@linux_only
def test_baseline_and_suppressions_decide_the_same_with_workers(run_cli: Any, tmp_path: Path) -> None:
    root = _project(tmp_path)
    baseline = tmp_path / "baseline.json"
    written = run_cli("check", ".", "--write-baseline", str(baseline), "--jobs", "2", cwd=root)
    assert written.code == 0
    (root / "iam" / "generated" / "policy-99.json").write_text(
        _POLICY % {"n": 1, "action": "PutImagee", "resource": "*"}
    )
    code_1, one = _report(run_cli, root, "--baseline", str(baseline), "--jobs", "1")
    code_2, two = _report(run_cli, root, "--baseline", str(baseline), "--jobs", "2")
    assert (code_2, two) == (code_1, one)
    # the baseline holds everything but the new file (and stale comments, never baselined)
    active = {(f["rule"], f["path"]) for f in one["findings"] if f.get("suppressed") is None}
    assert {path for rule, path in active if rule != "RL004"} == {"iam/generated/policy-99.json"}
    assert ("RL203", "iam/generated/policy-99.json") in active
    assert code_1 == 1


def _die(chunk: Any) -> Any:
    os._exit(3)  # a worker killed mid-run (out of memory, a signal)


@linux_only
def test_files_of_a_dead_worker_are_checked_in_the_main_process(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    _, expected = _report(run_cli, root, "--jobs", "1")
    monkeypatch.setattr(workers, "_check_chunk", _die)
    _, survived = _report(run_cli, root, "--jobs", "2")
    assert survived == expected


def test_jobs_must_be_a_positive_number(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("check", ".", "--jobs", "0", cwd=tmp_path)
    assert result.code == 2
    assert "--jobs" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    ("requested", "files", "cores", "expected"),
    [
        (None, workers.PARALLEL_THRESHOLD - 1, 4, 0),  # a pre-commit run stays in one process
        (None, workers.PARALLEL_THRESHOLD, 4, 4),  # a big run uses every core
        (None, 10_000, 1, 0),  # one core: workers would only add overhead
        (1, 10_000, 4, 0),
        (3, 2, 4, 2),  # never more workers than files
        (3, 1, 4, 0),
        (8, 10_000, 2, 8),  # an explicit count is taken as asked
    ],
)
def test_worker_count(
    requested: int | None, files: int, cores: int, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "available_cores", lambda: cores)
    assert workers.worker_count(requested, files) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"kind: RegistryService\n", True),
        ("kind: RegistryService\n".encode("utf-16"), True),
        (b'kind: "Registry\\x53ervice"\n', True),  # an escape could spell it: loaded up front
        (b'{"Statement": []}', False),
        (b"kind: Deployment\n", False),
    ],
)
def test_only_files_that_may_hold_a_manifest_are_loaded_up_front(raw: bytes, expected: bool) -> None:
    assert may_hold_manifest(raw) is expected


def test_independent_files_are_left_to_check_one_by_one(tmp_path: Path) -> None:
    root = _project(tmp_path)
    loaded = load_project(
        LoadRequest(paths=[root], root=root, cwd=root, limits=Limits(), include=GlobSet(()), exclude=GlobSet(()))
    )
    independent = {job.path.relative_to(root).as_posix() for job in loaded.independent}
    held = {source.path.relative_to(root).as_posix() for source in loaded.project.sources}
    assert "iam/generated/policy-00.json" in independent
    assert all(job.raw is not None for job in loaded.independent)  # sniffed once, not read again
    manifests = {d.file.path.relative_to(root).as_posix() for d in loaded.project.manifests()}
    assert manifests and manifests <= held
    linked = {p.relative_to(root).as_posix() for p in loaded.project.linked_policy_files()}
    assert linked and linked <= held and not linked & independent


def test_loading_decides_which_files_are_reported(tmp_path: Path) -> None:
    """A named file is reported whether it is loaded with the project or on its own; a
    manifest read only as context for the cross-file rules is not. Loading decides it
    (engine/load.py), in one place: the file checker takes a job's file as loaded."""
    root = _project(tmp_path)
    named = root / "systems" / "search" / "user-registry.yaml"
    loaded = load_project(
        LoadRequest(paths=[named, root / "iam" / "generated"], root=root, cwd=root, limits=Limits(),
                    include=GlobSet(()), exclude=GlobSet(()))
    )
    reported = {s.path.relative_to(root).as_posix(): s.reported for s in loaded.project.sources}
    assert reported["systems/search/user-registry.yaml"] is True
    assert reported["systems/ml-prod/user-registry.yaml"] is False  # context for RL301
    linked = [p.file for links in loaded.project.links.values() for link in links for p in link.policies]
    assert linked and not any(file.reported for file in linked)  # linked, not named: context
    job = next(job for job in loaded.independent if job.path.name == "policy-00.json")
    outcome = load_job(job, Limits())
    assert isinstance(outcome, SourceFile) and outcome.reported is True


class _NoSemaphores:
    """A ProcessPoolExecutor where multiprocessing cannot work (no /dev/shm)."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        raise OSError(38, "Function not implemented")


class _NoProcessSlots:
    """A ProcessPoolExecutor that cannot fork (EAGAIN at the first submit)."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        self.shut = False

    def submit(self, *_args: Any) -> Any:
        raise OSError(11, "Resource temporarily unavailable")

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self.shut = True


@pytest.mark.parametrize("broken", [_NoSemaphores, _NoProcessSlots])
def test_a_machine_without_worker_processes_runs_in_one(
    broken: type, run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    root = _project(tmp_path)
    _, expected = _report(run_cli, root, "--jobs", "1")
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", broken)
    code, report = _report(run_cli, root, "--jobs", "2")
    assert report == expected and code == 1


@linux_only
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "junit"])
def test_every_format_is_byte_identical_with_workers(output_format: str, run_cli: Any, tmp_path: Path) -> None:
    root = _project(tmp_path)
    alone = run_cli("check", ".", "--format", output_format, "--jobs", "1", cwd=root)
    shared = run_cli("check", ".", "--format", output_format, "--jobs", "3", cwd=root)
    assert alone.code == 1 and alone.out
    assert (shared.code, shared.out, shared.err) == (alone.code, alone.out, alone.err)
