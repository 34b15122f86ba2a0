"""Every fixable rule's documented bad example is fixed by `--fix` (with
`--unsafe-fixes` for the unsafe ones): the finding goes, no finding comes, and a second
`--fix` changes nothing (SPEC §6.5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixes.fixing import contents, findings, fix, prints, project

from reglint.rule_catalogue import load_catalogue

# The fixable rules and the safety of their fixes (SPEC §6.5).
FIXABLE = {
    "RL002": "safe",
    "RL004": "safe",
    "RL102": "safe",
    "RL104": "safe",
    "RL205": "safe",
    "RL106": "unsafe",
    "RL201": "unsafe",
    "RL203": "unsafe",
    "RL204": "unsafe",
}
CATALOGUE = load_catalogue()


@pytest.mark.parametrize("rule_id", sorted(FIXABLE))
def test_the_bad_example_is_fixed(rule_id: str, run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, dict(CATALOGUE[rule_id].examples["bad"]["files"]))
    before = findings(run_cli, root)
    fixable = [f for f in before if f["rule"] == rule_id]
    assert fixable and all(f["fix"] is not None for f in fixable), fixable
    assert {f["fix"]["safety"] for f in fixable} == {FIXABLE[rule_id]}
    unsafe = ["--unsafe-fixes"] if FIXABLE[rule_id] == "unsafe" else []
    if unsafe:  # without --unsafe-fixes an unsafe fix is not made
        untouched = contents(root)
        fix(run_cli, root)
        assert contents(root) == untouched
    result = fix(run_cli, root, *unsafe)
    after = findings(run_cli, root)
    assert not [f for f in after if f["rule"] == rule_id], after
    assert prints(after) <= prints(before), "the fix added a finding"
    summary = result.out.splitlines()[-1]
    assert "; " in summary and summary.split("; ")[1].split(" ")[1] == "fixed", summary
    assert int(summary.split("; ")[1].split(" ")[0]) >= 1, summary
    once = contents(root)
    fix(run_cli, root, "--unsafe-fixes")
    assert contents(root) == once, "a second --fix changed something"

