"""Where `--output` and `--write-baseline` write (SPEC §4): never through a symbolic link
of the repository that leads outside the project root (a one-line exit-2 error naming
the target as given); a failed write names the target, never the temporary file beside
it; and the written file's mode carries nothing over from an old file.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hostile.project_tree import make_project

OUTSIDE = "leads outside the project root through a symbolic link"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The base project in `repo/`, beside a folder `outside/` holding `victim.txt`."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim.txt").write_text("untouched\n")
    return make_project(tmp_path / "repo")


def _assert_refused(result: Any, target: str, outside: Path) -> None:
    assert result.code == 2, (result.out, result.err)
    assert result.err == f"reglint: error: cannot write {target}: {OUTSIDE}\n"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert (outside / "victim.txt").read_text() == "untouched\n"


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_target_in_a_folder_linked_out_of_the_root_is_refused(
    option: str, run_cli: Any, repo: Path
) -> None:
    os.symlink("../outside", repo / "reports")
    result = run_cli("check", option, "reports/out.json", ".", cwd=repo)
    _assert_refused(result, "reports/out.json", repo.parent / "outside")


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_target_that_is_a_link_out_of_the_root_is_refused(
    option: str, run_cli: Any, repo: Path
) -> None:
    os.symlink("../outside/victim.txt", repo / "out.json")
    os.symlink("../outside/new.txt", repo / "dangling.json")
    for name in ("out.json", "dangling.json"):
        result = run_cli("check", option, name, ".", cwd=repo)
        _assert_refused(result, name, repo.parent / "outside")
        assert (repo / name).is_symlink()


def test_a_link_deeper_in_the_path_and_dot_dot_are_read_as_the_kernel_reads_them(
    run_cli: Any, repo: Path
) -> None:
    (repo / "real").mkdir()
    os.symlink("../../outside", repo / "real" / "away")
    # `real/away/../x.json` is outside/../x.json for the kernel: beside `outside`, where
    # a lexical reading (`real/x.json`) would have allowed it.
    result = run_cli("check", "--output", "real/away/../x.json", ".", cwd=repo)
    assert result.code == 2 and OUTSIDE in result.err
    assert not (repo.parent / "x.json").exists() and not (repo / "real" / "x.json").exists()


def test_links_inside_the_root_and_plain_paths_outside_it_are_written(
    run_cli: Any, repo: Path
) -> None:
    (repo / "build").mkdir()
    os.symlink("build", repo / "reports")
    os.symlink("build/latest.json", repo / "latest.json")
    result = run_cli("check", "--output", "reports/out.json", ".", cwd=repo)
    assert result.code == 1 and (repo / "build" / "out.json").is_file()
    result = run_cli("check", "--output", "latest.json", ".", cwd=repo)
    assert result.code == 1 and (repo / "build" / "latest.json").is_file()
    assert (repo / "latest.json").is_symlink()  # the link stays, its target is written
    elsewhere = repo.parent / "elsewhere" / "out.sarif"  # the CI owner's own choice
    result = run_cli("check", "--format", "sarif", "--output", str(elsewhere), ".", cwd=repo)
    assert result.code == 1 and elsewhere.is_file()


def test_a_failed_write_names_the_target_not_the_temporary_file(run_cli: Any, repo: Path) -> None:
    (repo / "afile").write_text("")
    result = run_cli("check", "--write-baseline", "afile/base.json", ".", cwd=repo)
    assert result.code == 2
    assert result.err == "reglint: error: cannot write afile/base.json: Not a directory\n"
    long_name = "r" * 250 + ".json"  # a valid name, whose temporary file's name must fit too
    result = run_cli("check", "--format", "json", "--output", long_name, ".", cwd=repo)
    assert result.code == 1 and (repo / long_name).is_file()


def _child(repo: Path, *args: str, setup: Callable[[], None]) -> subprocess.CompletedProcess[bytes]:
    """`reglint ARGS` in a child process that runs `setup` first (a umask, a limit)."""
    command = [sys.executable, "-m", "reglint", *args]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        command, cwd=repo, capture_output=True, timeout=120, preexec_fn=setup, env=env, check=False
    )


def test_a_write_that_fails_midway_names_the_target(repo: Path) -> None:
    """A file size limit (RLIMIT_FSIZE) makes the write itself fail (EFBIG), where the
    error carries no file name at all; the temporary file is removed."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))

    process = _child(repo, "check", "--format", "json", "--output", "r.json", ".", setup=limit)
    assert process.returncode == 2
    assert process.stderr == b"reglint: error: cannot write r.json: File too large\n"
    assert sorted(p.name for p in repo.iterdir()) == [".git", "good.yaml", "iam"]


@pytest.mark.parametrize(("umask", "mode"), [(0o000, 0o664), (0o022, 0o644), (0o077, 0o600)])
def test_the_written_file_has_the_mode_of_a_new_file_never_an_old_ones(
    umask: int, mode: int, repo: Path
) -> None:
    """An old report with setuid and world-write bits: the new one has the mode a plain
    write gives a new file (0666 less the umask), without the world-write bit. (An old
    file's narrower mode is kept: tests/test_cli.py.)"""
    for name in ("report.txt", "base.json"):
        (repo / name).write_text("old\n")
        os.chmod(repo / name, 0o4777)
    args = ("check", "--output", "report.txt", "--write-baseline", "base.json", ".")
    process = _child(repo, *args, setup=lambda: os.umask(umask) and None)
    assert process.returncode == 0, process.stderr
    for name in ("report.txt", "base.json"):
        assert stat.S_IMODE(os.stat(repo / name).st_mode) == mode, name


def _device(path: Path) -> bool:
    """A character device like /dev/null at `path` (root in a container may make one)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        return False
    return True


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_device_target_is_written_into_never_replaced(option: str, run_cli: Any, tmp_path: Path) -> None:
    # `--output /dev/null` run as root used to rename a regular file over the device
    # node, turning the machine's /dev/null into a file.
    project = make_project(tmp_path / "repo")
    null = tmp_path / "null"
    if not _device(null):
        pytest.skip("cannot create a device node here")
    result = run_cli("check", option, str(null), ".", cwd=project)
    assert result.code in (0, 1), result.err
    assert stat.S_ISCHR(os.lstat(null).st_mode), "the device node was replaced"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".null")] == []


def test_dev_stdout_as_output_prints_the_report(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")
    run = subprocess.run(
        [sys.executable, "-m", "reglint", "check", "--format", "json", "--output", "/dev/stdout", "."],
        cwd=project, capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith('{\n  "version": 1'), run.stdout[:200]
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_baseline_read_through_a_link_out_of_the_root_is_refused(run_cli: Any, repo: Path) -> None:
    # The repository chose where its link points: reading it would let a pull request
    # point --baseline at any file of the CI runner.
    os.symlink("../outside/victim.txt", repo / ".reglint-baseline.json")
    result = run_cli("check", "--baseline", ".reglint-baseline.json", ".", cwd=repo)
    assert result.code == 2, (result.out, result.err)
    assert result.err == f"reglint: error: cannot read .reglint-baseline.json: {OUTSIDE}\n"


def test_a_baseline_that_is_a_fifo_is_one_line_not_a_hang(run_cli: Any, repo: Path) -> None:
    os.mkfifo(repo / "baseline.json")
    result = run_cli("check", "--baseline", "baseline.json", ".", cwd=repo)
    assert result.code == 2, (result.out, result.err)
    assert result.err == "reglint: error: cannot read baseline.json: not a regular file (FIFO, socket or device)\n"
