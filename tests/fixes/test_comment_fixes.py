"""RL004's fix: an ignore comment that suppresses nothing goes — the rules of it that
suppress nothing, or the whole comment, or its whole line when it stood on its own
(SPEC §6.5, safe)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fixes.fixing import findings, fix, project

MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
  system: ml-prod
  environment: playground
spec:
  type: on-cluster
"""


def _fixed(run_cli: Any, tmp_path: Path, text: str | bytes) -> bytes:
    root = project(tmp_path, {"registry.yaml": text})
    fix(run_cli, root)
    assert not [f for f in findings(run_cli, root) if f["rule"] == "RL004"]
    return (root / "registry.yaml").read_bytes()


def test_a_comment_on_a_line_of_its_own_goes_with_its_line(run_cli: Any, tmp_path: Path) -> None:
    text = MANIFEST.replace("spec:\n", "# reglint: ignore[RL106] -- rotated weekly\nspec:\n")
    assert _fixed(run_cli, tmp_path, text.replace("\n", "\r\n").encode()) == MANIFEST.replace("\n", "\r\n").encode()


def test_a_trailing_comment_goes_with_the_blanks_before_it(run_cli: Any, tmp_path: Path) -> None:
    text = MANIFEST.replace("  type: on-cluster\n", "  type: on-cluster    # reglint: ignore[RL160] -- typo\n")
    assert _fixed(run_cli, tmp_path, text).decode() == MANIFEST


def test_only_the_rules_that_suppress_nothing_go(run_cli: Any, tmp_path: Path) -> None:
    text = MANIFEST.replace("environment: playground", "environment: Playground   # reglint: ignore[RL106, RL002, RL160] -- legacy")
    fixed = _fixed(run_cli, tmp_path, text).decode()
    assert fixed == MANIFEST.replace("environment: playground", "environment: Playground   # reglint: ignore[RL002] -- legacy")
    assert not [f for f in findings(run_cli, tmp_path) if f["rule"] == "RL002"], "the RL002 stays suppressed"


def test_a_comment_on_the_last_line_without_a_line_break(run_cli: Any, tmp_path: Path) -> None:
    text = MANIFEST + "# reglint: ignore-file[RL101] -- retired"
    assert _fixed(run_cli, tmp_path, text).decode() == MANIFEST.rstrip("\n")


def test_a_comment_inside_a_string_is_data_and_stays(run_cli: Any, tmp_path: Path) -> None:
    text = MANIFEST.replace("spec:\n", "  tenant: \"x # reglint: ignore[RL106]\"\nspec:\n")
    root = project(tmp_path, {"registry.yaml": text})
    fix(run_cli, root)
    assert (root / "registry.yaml").read_text() == text


def test_a_file_that_does_not_parse_gets_no_fix(run_cli: Any, tmp_path: Path) -> None:
    text = "# reglint: ignore[RL001] -- broken on purpose\nkind: RegistryService\nspec: [\n"
    root = project(tmp_path, {"registry.yaml": text})
    (rl004,) = [f for f in findings(run_cli, root) if f["rule"] == "RL004"]
    assert rl004["fix"] is None
    fix(run_cli, root)
    assert (root / "registry.yaml").read_text() == text
