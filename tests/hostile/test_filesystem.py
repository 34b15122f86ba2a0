"""Hostile file systems (SPEC §1.3, §4): symlink loops, dangling symlinks, FIFOs,
sockets and device files, walked and named; a folder of 50,000 entries; file names with
spaces, colons, commas, newlines and non-ASCII.

Walked, such a file is skipped with a notification; named, it is RL001. Reading never
blocks on a FIFO or a device, and the good manifest beside it is still reported.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import (
    FORMATS,
    Seen,
    assert_reported,
    check_every_format,
    read_github,
    run_measured,
)
from hostile.project_tree import GOOD_MANIFEST, good_finding, make_project

TIMEOUT_S = 60


def _symlinks(root: Path) -> dict[str, str]:
    """Special entries to plant, each -> the words its notification or RL001 must hold."""
    os.symlink("loop-b.yaml", root / "loop-a.yaml")
    os.symlink("loop-a.yaml", root / "loop-b.yaml")
    os.symlink("self.yaml", root / "self.yaml")
    os.symlink("missing.yaml", root / "dangling.yaml")
    return {
        "loop-a.yaml": "cannot read file: Too many levels of symbolic links",
        "loop-b.yaml": "cannot read file: Too many levels of symbolic links",
        "self.yaml": "cannot read file: Too many levels of symbolic links",
        "dangling.yaml": "cannot read file: No such file or directory",
    }


def _special_files(root: Path) -> dict[str, str]:
    os.mkfifo(root / "pipe.yaml")
    os.symlink("/dev/zero", root / "zero.yaml")
    os.symlink("/dev/null", root / "null.json")
    planted = {
        "pipe.yaml": "not a regular file",
        # A link to a device outside the project is refused before it is opened.
        "zero.yaml": "leads outside the project root through a symbolic link (not read)",
        "null.json": "leads outside the project root through a symbolic link (not read)",
    }
    try:  # a real character device node (root in a container may create one)
        os.mknod(root / "device.yaml", stat.S_IFCHR | 0o644, os.makedev(1, 3))
        planted["device.yaml"] = "not a regular file"
    except (PermissionError, OSError):
        pass
    return planted


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[str]:
    """A listening UNIX socket named `sock.yaml` in the project (skipped if the path is too
    long for AF_UNIX)."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(tmp_path / "sock.yaml"))
    except OSError:
        pytest.skip("tmp_path too long for a UNIX socket")
    yield "sock.yaml"
    server.close()


@pytest.mark.parametrize("plant", [_symlinks, _special_files], ids=["symlinks", "special"])
def test_walked_special_entries_are_skipped_with_a_notification(
    plant: Any, run_cli: Any, tmp_path: Path, unix_socket: str
) -> None:
    make_project(tmp_path)
    planted = plant(tmp_path) | {unix_socket: "not a regular file"}
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding()], code=1, skipped=list(planted))
    for name, words in planted.items():
        assert f"reglint: {name}: skipped: {words}" in runs["text"].err


@pytest.mark.parametrize("plant", [_symlinks, _special_files], ids=["symlinks", "special"])
def test_named_special_entries_are_rl001(
    plant: Any, run_cli: Any, tmp_path: Path, unix_socket: str
) -> None:
    make_project(tmp_path)
    planted = plant(tmp_path) | {unix_socket: "not a regular file"}
    names = sorted(planted)
    runs = check_every_format(run_cli, tmp_path, "good.yaml", *names)
    expected = [good_finding(), *(Seen("RL001", name, 1) for name in names)]
    assert_reported(
        runs, expected, code=1, words={Seen("RL001", n, 1): w for n, w in planted.items()}
    )


def test_a_walked_folder_symlink_loop_is_not_followed(run_cli: Any, tmp_path: Path) -> None:
    other = GOOD_MANIFEST.replace("name: docker-registry", "name: other-registry")
    make_project(tmp_path, {"systems/a/other.yaml": other.replace("- iam/", "- ../../iam/")})
    os.symlink("..", tmp_path / "systems" / "a" / "up")  # systems/a/up/a/up/… forever
    os.symlink(str(tmp_path), tmp_path / "systems" / "root")
    os.symlink(".", tmp_path / "folder-link.yaml")  # a folder that looks like a file
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(
        runs,
        [good_finding(), good_finding("systems/a/other.yaml")],
        code=1,
        skipped=["folder-link.yaml"],
    )
    assert "reglint: folder-link.yaml: skipped: not a regular file" in runs["text"].err
    assert "2 errors, 0 warnings in 4 files (1 skipped)" in runs["text"].out


@pytest.mark.parametrize("walked", [True, False], ids=["walked", "named"])
@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
def test_a_policy_link_to_a_fifo_or_a_device_is_rl302_without_blocking(
    target: str, walked: bool, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {"good.yaml": GOOD_MANIFEST.replace("iam/push.json", "iam/odd.json")})
    if target == "fifo":
        os.mkfifo(tmp_path / "iam" / "odd.json")
    else:
        os.symlink(target, tmp_path / "iam" / "odd.json")
    runs = check_every_format(run_cli, tmp_path, "." if walked else "good.yaml")
    link = Seen("RL302", "good.yaml", 15)
    assert_reported(
        runs,
        [good_finding(), link],
        code=1,
        skipped=["iam/odd.json"] if walked else [],
        words={link: "not a regular file" if target == "fifo" else "leads outside the project root"},
    )


@pytest.mark.parametrize("entry", ["iam/\\0push.json", "iam/push.json\\0#NodeRole", "\\0"])
def test_a_policy_link_holding_a_nul_character_is_rl302_not_an_internal_error(
    entry: str, run_cli: Any, tmp_path: Path
) -> None:
    # A NUL in a path makes the OS calls raise ValueError; it was an internal error that
    # ended the whole run (found by the --fix property test).
    manifest = GOOD_MANIFEST.replace("- iam/push.json", f'- "{entry}"')
    assert manifest != GOOD_MANIFEST
    make_project(tmp_path, {"good.yaml": manifest})
    runs = check_every_format(run_cli, tmp_path, ".")
    link = Seen("RL302", "good.yaml", 15)
    assert_reported(
        runs, [good_finding(), link], code=1, words={link: "holds a NUL character"}
    )


def test_a_fifo_in_the_project_does_not_block_a_run_on_named_files(tmp_path: Path) -> None:
    """Naming one file (pre-commit) makes reglint sniff every manifest of the project for
    the cross-file rules: that sniff must not block on a FIFO either."""
    make_project(tmp_path)
    os.mkfifo(tmp_path / "pipe.yaml")
    measured = run_measured(tmp_path, "check", "good.yaml", timeout=20)
    assert measured.code == 1 and "RL104" in measured.out


def test_an_overlong_policy_link_is_rl302_not_a_traceback(run_cli: Any, tmp_path: Path) -> None:
    make_project(
        tmp_path, {"good.yaml": GOOD_MANIFEST.replace("iam/push.json", "p" * 300 + ".json")}
    )
    runs = check_every_format(run_cli, tmp_path, "good.yaml")
    assert_reported(runs, [good_finding(), Seen("RL302", "good.yaml", 15)], code=1)  # the entry


@pytest.fixture
def crowd(tmp_path: Path) -> Iterator[Path]:
    """A folder for 50,000 entries, removed afterwards: pytest keeps the last three runs'
    temporary folders, and deleting 50,000 files later would slow an unrelated run."""
    folder = tmp_path / "crowd"
    folder.mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow  # creates and walks 50,000 files: seconds
def test_a_folder_with_50000_entries(run_cli: Any, tmp_path: Path, crowd: Path) -> None:
    """Walking is linear: 50,000 entries (45,000 of them YAML) in one folder, with one
    broken manifest and one good one among them, in bounded time."""
    make_project(tmp_path, {"crowd/zz-broken.yaml": "kind: RegistryService\nspec: [\n"})
    for index in range(45_000):
        (crowd / f"values-{index:05}.yaml").write_bytes(b"replicas: 1\n")
    for index in range(4_998):
        (crowd / f"notes-{index:04}.txt").write_bytes(b"kind: RegistryService\n[")
    assert sum(1 for _ in os.scandir(crowd)) == 49_999
    registry = GOOD_MANIFEST.replace("name: docker-registry", "name: crowd-registry")
    (crowd / "registry.yaml").write_text(registry.replace("- iam/", "- ../iam/"))
    measured = run_measured(tmp_path, "check", "--format", "json", ".", timeout=240)
    assert measured.code == 1
    assert '"files": 45004' in measured.out and '"skipped": 45000' in measured.out
    assert '"errors": 3' in measured.out  # good.yaml, crowd/registry.yaml, zz-broken.yaml
    runs = check_every_format(run_cli, tmp_path, "good.yaml", "crowd/zz-broken.yaml")
    broken = Seen("RL001", "crowd/zz-broken.yaml", 3)
    assert_reported(runs, [good_finding(), broken], code=1)


ODD_NAMES = [
    "with space.yaml",
    "co:lon.yaml",
    "com,ma.yaml",
    "new\nline.yaml",
    "carriage\rreturn.yaml",
    "per%cent%0A.yaml",
    "ünïcödé-レジストリ.yaml",
    "-leading-dash.yaml",
    "[brackets] & <angles> 'quotes\".yaml",
    "#hash.yaml",
]


def test_odd_file_names_are_reported_exactly_in_every_format(run_cli: Any, tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {}
    for index, name in enumerate(ODD_NAMES):
        service = GOOD_MANIFEST.replace("name: docker-registry", f"name: registry-{index}")
        files[f"odd/{name}"] = service.replace("- iam/", "- ../iam/")
        files[f"broken/{name}"] = "kind: RegistryService\nspec: [\n"
    make_project(tmp_path, files)
    runs = check_every_format(run_cli, tmp_path, ".")
    expected = [good_finding()]
    expected += [good_finding(f"odd/{name}") for name in ODD_NAMES]
    expected += [Seen("RL001", f"broken/{name}", 3) for name in ODD_NAMES]
    assert_reported(runs, expected, code=1)
    # Named on the command line, too (`--` lets a name start with a dash).
    named = check_every_format(run_cli, tmp_path, "--", *(f"odd/{n}" for n in ODD_NAMES))
    assert_reported(named, [good_finding(f"odd/{n}") for n in ODD_NAMES], code=1)


def test_a_github_annotation_cannot_be_forged_by_a_file_name(run_cli: Any, tmp_path: Path) -> None:
    forged = "x.yaml::error file=evil.yaml,line=1::forged\n::error title=x::y.yaml"
    make_project(tmp_path, {forged: "kind: RegistryService\nspec: [\n"})
    result = run_cli("check", "--format", "github", ".", cwd=tmp_path)
    assert len(result.out.splitlines()) == 2
    assert sorted(read_github(result.out)) == sorted([good_finding(), Seen("RL001", forged, 3)])


# Run in child processes: their stderr escapes a lone surrogate as a terminal's would
# (Python's "backslashreplace"), where the in-process capture would raise on it.


@pytest.mark.parametrize(
    "output_format",
    FORMATS,
)
def test_a_file_name_that_is_not_utf8_is_reported_without_a_traceback(
    output_format: str, tmp_path: Path
) -> None:
    make_project(tmp_path)
    (tmp_path / os.fsdecode(b"bad\xff.yaml")).write_bytes(b"kind: RegistryService\nspec: [\n")
    measured = run_measured(tmp_path, "check", "--format", output_format, ".", timeout=TIMEOUT_S)
    assert measured.code == 1 and "RL001" in measured.out and "RL104" in measured.out


@pytest.mark.parametrize(
    "output_format",
    FORMATS,
)
def test_a_stray_file_name_that_is_not_utf8_is_only_a_notification(
    output_format: str, tmp_path: Path
) -> None:
    make_project(tmp_path)
    (tmp_path / os.fsdecode(b"stray\xfe.yaml")).write_bytes(b"items: [\n")
    measured = run_measured(tmp_path, "check", "--format", output_format, ".", timeout=TIMEOUT_S)
    assert measured.code == 1 and "RL104" in measured.out
    assert "reglint: stray\\xfe.yaml: skipped: did not find expected node content" in measured.err


def _too_deep(root: Path) -> str:
    """Folders `deep/d…/d…/…` until an absolute path is longer than the system allows
    (PATH_MAX, 4096 bytes): that folder cannot be listed (ENAMETOOLONG). Returns its path
    relative to `root`."""
    name = "d" * 200
    (root / "deep").mkdir()
    relative = "deep"
    descriptor = os.open(root / "deep", os.O_RDONLY)
    try:
        while len(f"{root}/{relative}") < 4096:
            os.mkdir(name, dir_fd=descriptor)
            inner = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor, relative = inner, f"{relative}/{name}"
        with open(os.open("a.yaml", os.O_WRONLY | os.O_CREAT, dir_fd=descriptor), "w") as out:
            out.write("kind: RegistryService\nspec: [\n")
    finally:
        os.close(descriptor)
    return relative


def test_a_folder_that_cannot_be_listed_gets_a_notification(run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path)
    deep = _too_deep(tmp_path)
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding()], code=1, skipped=[deep])
    assert f"reglint: {deep}: skipped: cannot read folder: File name too long" in runs["text"].err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_without_read_permission_gets_a_notification(run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path, {"locked/a.yaml": "kind: RegistryService\nspec: [\n"})
    os.chmod(tmp_path / "locked", 0)
    try:
        runs = check_every_format(run_cli, tmp_path, ".")
    finally:
        os.chmod(tmp_path / "locked", 0o755)
    assert_reported(runs, [good_finding()], code=1, skipped=["locked"])
    assert "reglint: locked: skipped: cannot read folder: Permission denied" in runs["text"].err
