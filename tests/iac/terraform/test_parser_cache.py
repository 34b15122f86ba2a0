"""python-hcl2 and Lark load only when a Terraform file is read; the parser is built once
per user and kept as JSON tables in `$XDG_CACHE_HOME/reglint/` (hcl_grammar.py), never
next to the checked files nor in site-packages; a cache that is missing, damaged,
foreign or inside the project is rebuilt in memory without a word."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_tree

SMALL_MODULE = {
    "main.tf": 'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n  policy = jsonencode({ Version = "2012-10-17" })\n}\n',
    "plan.tf.json": '{"resource": {"aws_iam_policy": {"q": {"name": "${local.n}"}}}, "locals": {"n": "x"}}',
}


def child(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_terraform_modules_import_neither_hcl2_nor_lark(tmp_path: Path) -> None:
    done = child(
        "import sys\n"
        "import reglint.iac.terraform.module, reglint.iac.terraform.plan\n"
        "import reglint.iac.terraform.hcl_loader, reglint.iac.terraform.json_syntax\n"
        "import reglint.iac.terraform.hcl_grammar\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('hcl2', 'lark', 'regex')))\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


READ_MODULE = """
import sys
from pathlib import Path
import hcl2.parser, lark
{setup}
from reglint.iac.terraform.module import read_module
from reglint.loading.document import Limits
module = read_module(Path(sys.argv[1]), Limits(), lambda p: p.read_text())
print(sorted(r.address for r in module.resources), [f.error for f in module.files])
"""
EXPECTED = "['aws_iam_policy.q', 'aws_iam_role_policy.p'] [None, None]"
# python-hcl2's own cache, pointed at a file that must never appear.
NO_HCL2_CACHE = "hcl2.parser.PARSER_FILE = Path({hcl2_cache!r})\n"
# Building the parser is what the cache saves: forbidden once the cache is warm.
NO_BUILD = (
    "def refuse(*a, **k):\n    raise SystemExit('built the parser')\nlark.Lark.open = refuse\n"
)


def read_module_in_child(tmp_path: Path, cache: Path, setup: str = "") -> str:
    folder = write_tree(tmp_path / "module", SMALL_MODULE)
    hcl2_cache = tmp_path / "hcl2-cache.bin"
    code = READ_MODULE.format(setup=NO_HCL2_CACHE.format(hcl2_cache=str(hcl2_cache)) + setup)
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert sorted(p.name for p in folder.iterdir()) == [
        "main.tf",
        "plan.tf.json",
    ]  # nothing written
    assert not hcl2_cache.exists()  # python-hcl2's own cache is never written
    return done.stdout.strip()


def cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "reglint").glob("hcl2-parser-*.json"))


def test_the_parser_is_cached_privately_in_the_users_cache_folder(tmp_path: Path) -> None:
    cache = tmp_path / "xdg"
    assert read_module_in_child(tmp_path, cache) == EXPECTED
    [written] = cache_files(cache)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE((cache / "reglint").stat().st_mode) == 0o700
    assert json.loads(written.read_text())["data"]  # JSON tables, never a pickle
    # The next run loads it: building the parser would fail the run.
    assert read_module_in_child(tmp_path, cache, NO_BUILD) == EXPECTED


def damaged_cache(tmp_path: Path, content: bytes | None) -> Path:
    cache = tmp_path / "xdg"
    read_module_in_child(tmp_path, cache)
    [written] = cache_files(cache)
    written.unlink()
    if content is None:
        written.mkdir()
    else:
        written.write_bytes(content)
        written.chmod(0o600)
    return cache


@pytest.mark.parametrize(
    "content",
    [
        b"not json\x00\x01",
        b'{"data": {}, "memo": {}}',  # JSON, but no parser
        b'{"d": [[[1, 2], 3]]}',  # an unhashable key
        None,  # a folder where the file belongs
    ],
)
def test_a_damaged_cache_is_rebuilt(tmp_path: Path, content: bytes | None) -> None:
    cache = damaged_cache(tmp_path, content)
    assert read_module_in_child(tmp_path, cache) == EXPECTED


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners here")
def test_a_cache_that_others_could_have_written_is_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "xdg"
    read_module_in_child(tmp_path, cache)
    [written] = cache_files(cache)
    written.chmod(0o620)  # group-writable: someone else may have written it
    assert "built the parser" in run_refusing_build(tmp_path, cache).stderr


def run_refusing_build(tmp_path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    folder = write_tree(tmp_path / "module", SMALL_MODULE)
    return subprocess.run(
        [sys.executable, "-c", READ_MODULE.format(setup=NO_BUILD), str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )


def test_a_cache_through_a_symbolic_link_is_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "xdg"
    read_module_in_child(tmp_path, cache)
    [written] = cache_files(cache)
    moved = tmp_path / "elsewhere.json"
    written.rename(moved)
    written.symlink_to(moved)
    assert "built the parser" in run_refusing_build(tmp_path, cache).stderr


def test_a_cache_folder_inside_the_project_is_neither_read_nor_written(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "repo", {"infra/main.tf": SMALL_MODULE["main.tf"]})
    cache = project / ".cache"
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from reglint.iac.terraform.hcl_grammar import keep_cache_out_of, cache_file\n"
        "from reglint.iac.terraform.hcl_parser import parse_hcl\n"
        "keep_cache_out_of(Path(sys.argv[1]))\n"
        "parse_hcl('a = 1\\n')\nprint(cache_file())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(project)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
    assert not cache.exists()
