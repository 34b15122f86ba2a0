"""README's "Fixing" section tells the truth: its before/after example is what
`reglint check --fix --unsafe-fixes` makes of the before files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fixes.fixing import project

README = Path(__file__).resolve().parents[2] / "README.md"
HEAD = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
  system: ml-prod
  environment: production
"""


def _blocks() -> list[str]:
    section = README.read_text(encoding="utf-8").split("\n## Fixing\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(?:yaml|json)\n(.*?)```", section, re.DOTALL)


def test_the_readme_example_is_what_fix_makes(run_cli: Any, tmp_path: Path) -> None:
    manifest_before, policy_before, manifest_after, policy_after = _blocks()
    root = project(tmp_path, {"user-registry.yaml": HEAD + manifest_before, "push.json": policy_before})
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
    assert result.code == 1, result  # RL105 remains: ECR takes no basic credentials
    assert (root / "user-registry.yaml").read_text() == HEAD + manifest_after
    assert (root / "push.json").read_text() == policy_after
