"""Baselines: recorded findings do not fail; new ones do; line shifts keep matching."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, POLICY, write_tree

TYPO = MANIFEST.replace("  role: user\n", "  rol: user\n")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {".git/HEAD": "", ".reglint.yaml": "select: [RL0]\n", "iam/push.json": POLICY, "s.yaml": TYPO})


def test_write_baseline_records_findings_and_exits_0(run_cli: Any, root: Path) -> None:
    result = run_cli("check", "s.yaml", "--write-baseline", "ci/baseline.json", cwd=root)
    assert result.code == 0
    # SPEC §6.6: one line saying what was written, not the (failing) report
    assert (result.out, result.err) == ("", "reglint: wrote 1 entry to ci/baseline.json\n")
    data = json.loads((root / "ci" / "baseline.json").read_text())
    assert data["version"] == 1 and data["tool"] == "reglint"
    (entry,) = data["findings"]
    assert entry["path"] == "s.yaml" and entry["rule"] == "RL002" and len(entry["fingerprint"]) == 32


def test_baselined_findings_pass_after_line_shifts_and_new_ones_fail(run_cli: Any, root: Path) -> None:
    run_cli("check", "s.yaml", "--write-baseline", "b.json", cwd=root)
    write_tree(root, {"s.yaml": "# header added later\n\n" + TYPO})
    shifted = run_cli("check", "s.yaml", "--baseline", "b.json", "--format", "json", cwd=root)
    assert shifted.code == 0
    (finding,) = json.loads(shifted.out)["findings"]
    assert finding["line"] == 11 and finding["suppressed"] == {"kind": "baseline", "justification": None}
    write_tree(root, {"s.yaml": TYPO.replace("  system: ml-prod\n", "  system: ml-prod\n  sistem: x\n")})
    grown = run_cli("check", "s.yaml", "--baseline", "b.json", cwd=root)
    assert grown.code == 1
    assert [line.split(": ")[0] for line in grown.out.splitlines()[:-1]] == ["s.yaml:6:3"]  # only the new one


def test_fixed_findings_are_counted_as_unmatched(run_cli: Any, root: Path) -> None:
    run_cli("check", "s.yaml", "--write-baseline", "b.json", cwd=root)
    write_tree(root, {"s.yaml": MANIFEST})
    result = run_cli("check", "s.yaml", "--baseline", "b.json", cwd=root)
    assert result.code == 0
    assert result.out.endswith("; 1 baseline entry no longer match\n")
    report = json.loads(run_cli("check", "s.yaml", "--baseline", "b.json", "--format", "json", cwd=root).out)
    assert report["summary"]["baseline_unmatched"] == 1


def test_baseline_file_is_sorted_and_stable(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a.yaml": TYPO, "z.yaml": TYPO})
    run_cli("check", ".", "--write-baseline", "one.json", cwd=root)
    run_cli("check", ".", "--write-baseline", "two.json", cwd=root)
    one = (root / "one.json").read_text()
    assert one == (root / "two.json").read_text()
    paths = [e["path"] for e in json.loads(one)["findings"]]
    assert paths == sorted(paths) == ["a.yaml", "s.yaml", "z.yaml"]


@pytest.mark.parametrize("content", [None, "not json", '{"findings": 3}'])
def test_bad_baseline_exits_2(run_cli: Any, root: Path, content: str | None) -> None:
    if content is not None:
        write_tree(root, {"b.json": content})
    result = run_cli("check", "s.yaml", "--baseline", "b.json", cwd=root)
    assert result.code == 2 and result.err.count("\n") == 1


def test_statistics(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a.yaml": TYPO})
    result = run_cli("check", ".", "--statistics", cwd=root)
    assert result.out.endswith("2 errors, 0 warnings in 3 files (0 skipped); 2 fixable with --fix\n     2  RL002  schema-violation\n")
    as_json = run_cli("check", ".", "--statistics", "--format", "json", cwd=root)
    assert as_json.err.endswith("     2  RL002  schema-violation\n")
