"""RL303 duplicate-service over multi-file projects (SPEC §2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import write_tree
from rules.project_cases import ECR, findings, manifest


def test_rl303_paths_are_relative_to_the_current_folder(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a/r.yaml": manifest("ml", f"{ECR}/a"), "b/r.yaml": manifest("ml", f"{ECR}/b")})
    result = run_cli("check", "r.yaml", "--select", "RL303", "--format", "json", cwd=root / "a")
    (finding,) = json.loads(result.out)["findings"]
    assert (finding["path"], finding["line"]) == ("r.yaml", 4)
    assert "is defined again at ../b/r.yaml:4:" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("../b/r.yaml", 4)]


def test_duplicate_service(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a.yaml": manifest("ml", f"{ECR}/a"), "b/a.yaml": manifest("ml", f"{ECR}/b"), "c.yaml": manifest("ml", f"{ECR}/c", tenant="t2")})
    assert findings(run_cli, root, rules="RL303") == [("RL303", "a.yaml", 4, "error"), ("RL303", "b/a.yaml", 4, "error")]
