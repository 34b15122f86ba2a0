"""The one-file pre-commit run in a repository without infrastructure code pays nothing
for it: the CloudFormation and Terraform readers, python-hcl2 and lark are imported
only when a run finds such a file (issue 15's performance goal; bench/ measures the
cost where there is one, in the precommit-iac cases)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import write_tree

REPO = Path(__file__).resolve().parents[1]
PARSERS = ("hcl2", "lark", "reglint.iac.cloudformation", "reglint.iac.terraform")
_PROBE = (
    "import sys\n"
    "from reglint.cli import main\n"
    "try:\n    main(['check', sys.argv[1]])\n"
    "except SystemExit:\n    pass\n"
    f"print(','.join(sorted(m for m in {PARSERS!r} if m in sys.modules)), file=sys.stderr)\n"
)


def _imported(root: Path, named: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, named],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return set(filter(None, last.split(",")))


def _repository(root: Path, extra: dict[str, str]) -> None:
    (root / ".git").mkdir()
    files = {
        "systems/search/user-registry.yaml": (
            REPO / "examples/systems/search/user-registry.yaml"
        ).read_text(),
        "iam/search-push.json": (REPO / "examples/iam/search-push.json").read_text(),
        "ci/pipeline.yaml": "stages: [lint]\n",
    }
    write_tree(root, files | extra)


def test_a_repository_without_iac_imports_no_iac_parser(tmp_path: Path) -> None:
    _repository(tmp_path, {})
    assert _imported(tmp_path, "systems/search/user-registry.yaml") == set()


def test_a_terraform_module_in_the_repository_brings_them(tmp_path: Path) -> None:
    module = (REPO / "examples/infra/terraform/main.tf").read_text()
    _repository(tmp_path, {"infra/main.tf": module})
    assert {"hcl2", "reglint.iac.terraform"} <= _imported(tmp_path, "infra/main.tf")
