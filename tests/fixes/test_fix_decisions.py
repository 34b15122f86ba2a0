"""How the Decider hands out fixes: rendered only when a run needs them, never for a
document read out of infrastructure code — whose finding then says so —, never for a
file the run does not report."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from helpers import MANIFEST

from reglint.checks.base import CheckSettings
from reglint.checks.manifest import check_url
from reglint.decisions.decider import Decider, DecisionRules
from reglint.decisions.selection import RuleSelection
from reglint.findings import Finding, FixSafety
from reglint.loading.document import Limits, SourceFile
from reglint.loading.reader import load_bytes
from reglint.rule_catalogue import load_catalogue

ROOT = Path("/project")
BROKEN = MANIFEST.replace("url: 123456789012", "url: https://123456789012")


def _decide(render: bool, fixable_source: bool = True, keep_bytes: bool = True) -> list[Finding]:
    source = load_bytes(ROOT / "a.yaml", BROKEN.encode(), True, Limits())
    assert isinstance(source, SourceFile)
    source.reported = True
    if not keep_bytes:
        source.raw = None  # what engine/load.py does unless the run renders fixes
    document = source.documents[0]
    document.fixable_source = fixable_source
    problems = [replace(p, document=document) for p in check_url(document, CheckSettings(project_root=ROOT, cwd=ROOT))]
    catalogue = load_catalogue()
    rules = DecisionRules(
        catalogue, RuleSelection.build(catalogue, None, (), {}), cwd=ROOT, root=ROOT, today=datetime.date(2030, 1, 1), fixes=render
    )
    return Decider(rules).decide(source, problems)


def test_a_run_that_renders_fixes_gets_their_edits() -> None:
    (finding,) = _decide(render=True)
    assert finding.fix is not None and finding.fix.safety is FixSafety.SAFE
    (edit,) = finding.fix.edits
    assert edit.file == ROOT / "a.yaml" and edit.text == "123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod"


def test_a_text_run_only_knows_that_a_fix_exists() -> None:
    (finding,) = _decide(render=False)
    assert finding.fix is not None and finding.fix.edits == ()


def test_a_document_of_infrastructure_code_gets_no_fix_and_says_so() -> None:
    for render in (True, False):
        (finding,) = _decide(render=render, fixable_source=False)
        assert finding.fix is None
        assert finding.message.endswith("(fix available for plain policy files only)"), finding.message


def test_a_file_whose_bytes_are_not_kept_gets_no_edits() -> None:
    (finding,) = _decide(render=True, keep_bytes=False)
    assert finding.fix is None
