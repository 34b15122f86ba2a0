"""python-hcl2 and Lark load only when a Terraform file is read, and python-hcl2's
parser cache (a pickle next to its grammar, `hcl2/.lark_cache.bin`) can be missing,
unwritable or damaged without breaking anything or printing a word; reglint itself
writes nothing, least of all next to the files it reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('hcl2', 'lark', 'regex')))\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


READ_MODULE = """
import sys
from pathlib import Path
import hcl2.parser
{setup}
from reglint.iac.terraform.module import read_module
from reglint.loading.document import Limits
module = read_module(Path(sys.argv[1]), Limits(), lambda p: p.read_text())
print(sorted(r.address for r in module.resources), [f.error for f in module.files])
"""


def read_module_in_child(tmp_path: Path, setup: str) -> str:
    folder = write_tree(tmp_path / "module", SMALL_MODULE)
    done = subprocess.run(
        [sys.executable, "-c", READ_MODULE.format(setup=setup), str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # Lark's cache failures are logged at a level never printed
    assert sorted(p.name for p in folder.iterdir()) == [
        "main.tf",
        "plan.tf.json",
    ]  # nothing written
    return done.stdout.strip()


EXPECTED = "['aws_iam_policy.q', 'aws_iam_role_policy.p'] [None, None]"


def test_a_cache_that_cannot_be_written(tmp_path: Path) -> None:
    # as root no permission bit stops a write, so the cache's folder is made missing
    setup = f"hcl2.parser.PARSER_FILE = Path({str(tmp_path / 'missing' / 'cache.bin')!r})"
    assert read_module_in_child(tmp_path, setup) == EXPECTED
    assert not (tmp_path / "missing").exists()


def test_a_cache_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "cache.bin").mkdir()
    setup = f"hcl2.parser.PARSER_FILE = Path({str(tmp_path / 'cache.bin')!r})"
    assert read_module_in_child(tmp_path, setup) == EXPECTED


def test_a_damaged_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache.bin"
    cache.write_bytes(b"not a pickle\n\x00\x01garbage")
    setup = f"hcl2.parser.PARSER_FILE = Path({str(cache)!r})"
    assert read_module_in_child(tmp_path, setup) == EXPECTED
