"""ruamel.yaml is imported only by the runs that render a YAML fix (SPEC §6.5): a plain
`reglint check` — the pre-commit run — never pays for it, even on a file with fixes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_tree

FIXABLE = """\
apiVersion: reglint/v1
kind: RegistryService
metadata: {name: r, system: s, environment: playground}
spec:
  url: https://registry.example.com/ML
  imagePrefx: x
"""
PROBE = """\
import sys
from reglint.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(sorted({m.split('.')[0] + '.' + m.split('.')[1] for m in sys.modules if m.startswith(('ruamel.', 'reglint.fixes'))}))
"""


def _imported(tmp_path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "check", ".", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("args", [(), ("--format", "github"), ("--format", "junit"), ("--statistics",)])
def test_a_plain_check_never_imports_ruamel(args: tuple[str, ...], tmp_path: Path) -> None:
    write_tree(tmp_path, {"registry.yaml": FIXABLE})
    (tmp_path / ".git").mkdir()
    assert _imported(tmp_path, *args) == "[]"


def test_a_diff_does(tmp_path: Path) -> None:
    """The probe sees the import where it happens (so the test above can fail)."""
    write_tree(tmp_path, {"registry.yaml": FIXABLE})
    (tmp_path / ".git").mkdir()
    assert _imported(tmp_path, "--diff") == "['reglint.fixes', 'ruamel.yaml']"
