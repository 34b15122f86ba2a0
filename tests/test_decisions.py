"""The Decider (reglint/decisions/decider.py), unit by unit: a file's problems become
findings — position, level, path, fingerprint, suppression — and RL004 names the ignore
comments that suppressed nothing. The command-line view of the same rules is in
tests/test_suppressions.py."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path

from helpers import MANIFEST

from reglint.config.suppressions import ConfigSuppression
from reglint.decisions.baseline import Baseline, apply_baseline
from reglint.decisions.decider import Decider, DecisionRules
from reglint.decisions.selection import RuleSelection
from reglint.findings import Finding, Severity, Span, SuppressionKind
from reglint.loading.document import Limits, Problem, SourceFile
from reglint.loading.reader import load_bytes
from reglint.rule_catalogue import load_catalogue

ROOT = Path("/project")
PASSWORD = ("spec", "auth", "password")
# MANIFEST with a literal password on line 14, and an ignore comment for it on line 13.
SUPPRESSED = MANIFEST.replace(
    "    method: iam-role\n",
    "    method: iam-role\n    # reglint: ignore[RL106] -- rotated by the vault job\n    password: hunter2\n",
)


def decider(
    select: tuple[str, ...] | None = None,
    severity: dict[str, Severity] | None = None,
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
    suppressions: tuple[ConfigSuppression, ...] = (),
) -> Decider:
    catalogue = load_catalogue()
    selection = RuleSelection.build(catalogue, select, (), severity or {})
    return Decider(
        DecisionRules(
            catalogue,
            selection,
            cwd=ROOT,
            root=ROOT,
            per_file_ignores=per_file_ignores,
            suppressions=suppressions,
            config_path=ROOT / ".reglint.yaml",
            today=datetime.date(2030, 1, 1),
        )
    )


def source(text: str = SUPPRESSED, name: str = "systems/a.yaml") -> SourceFile:
    loaded = load_bytes(ROOT / name, text.encode(), True, Limits())
    assert isinstance(loaded, SourceFile)
    loaded.reported = True
    return loaded


def password_problem(file: SourceFile, message: str = "spec.auth.password is a literal secret") -> Problem:
    return Problem("RL106", message, path=PASSWORD, document=file.documents[0], identity="password")


def rules_of(findings: list[Finding]) -> list[tuple[str, int, bool]]:
    return [(f.rule_id, f.span.line, f.suppressed is not None) for f in findings]


def test_a_problem_becomes_a_finding_at_its_position_with_a_relative_path() -> None:
    file = source()
    (finding,) = decider(select=("RL106",)).decide(file, [password_problem(file)])
    assert finding.rule_id == "RL106" and finding.rule_name == "plaintext-secret"
    assert finding.path == "systems/a.yaml"
    assert finding.span == Span(14, 15, 14, 22)  # the value `hunter2`
    assert finding.data_path == "spec.auth.password"
    assert finding.severity is Severity.ERROR
    assert len(finding.fingerprint) == 32


def test_the_comment_above_suppresses_with_its_justification() -> None:
    file = source()
    (finding,) = decider().decide(file, [password_problem(file)])
    assert finding.suppressed is not None
    assert finding.suppressed.kind is SuppressionKind.INLINE
    assert finding.suppressed.justification == "rotated by the vault job"


def test_decide_does_not_depend_on_call_order() -> None:
    """Which comments suppressed something is worked out per call: deciding a file again
    without its problem reports the comment as unused (it once remembered the first use)."""
    file = source()
    first = decider()
    with_problem = first.decide(file, [password_problem(file)])
    without_problem = first.decide(file, [])
    fresh = decider().decide(file, [])
    assert rules_of(with_problem) == [("RL106", 14, True)]
    assert rules_of(without_problem) == rules_of(fresh) == [("RL004", 13, False)]
    assert "unused suppression: no RL106 (plaintext-secret) finding on line 14" in without_problem[0].message
    assert first.decide(file, [password_problem(file)]) == with_problem


def test_deciding_leaves_the_comments_as_they_were_read() -> None:
    file = source()
    before = copy.deepcopy(file.comments)
    decider().decide(file, [password_problem(file)])
    assert file.comments == before


def test_a_context_file_has_no_findings() -> None:
    file = source()
    file.reported = False
    assert decider().decide(file, [password_problem(file)]) == []


def test_a_rule_not_selected_is_dropped_and_its_comment_is_not_unused() -> None:
    file = source()
    assert decider(select=("RL107",)).decide(file, [password_problem(file)]) == []


def test_a_severity_override_sets_the_level() -> None:
    file = source(MANIFEST.replace("    method: iam-role\n", "    method: iam-role\n    password: hunter2\n"))
    (finding,) = decider(severity={"RL106": Severity.WARNING}).decide(file, [password_problem(file)])
    assert finding.severity is Severity.WARNING and finding.suppressed is None


def test_per_file_ignores_suppress_by_glob() -> None:
    file = source(MANIFEST.replace("    method: iam-role\n", "    method: iam-role\n    password: hunter2\n"))
    (finding,) = decider(per_file_ignores=(("systems/*.yaml", ("RL1",)),)).decide(file, [password_problem(file)])
    assert finding.suppressed is not None and finding.suppressed.kind is SuppressionKind.CONFIG
    assert finding.suppressed.justification == "per-file-ignores: systems/*.yaml"


def test_a_config_suppression_names_its_entry_and_an_expired_one_is_rl004() -> None:
    file = source(MANIFEST.replace("    method: iam-role\n", "    method: iam-role\n    password: hunter2\n"))
    live = ConfigSuppression(0, "systems/*.yaml", "RL106", "legacy system", span=Span(3, 5, 3, 9))
    expired = ConfigSuppression(1, "systems/*.yaml", "RL106", "old", expires=datetime.date(2020, 1, 1), span=Span(7, 5, 7, 9))
    deciding = decider(suppressions=(live, expired))
    (finding,) = deciding.decide(file, [password_problem(file)])
    assert finding.suppressed is not None
    assert (finding.suppressed.kind, finding.suppressed.justification, finding.suppressed.config_entry) == (
        SuppressionKind.CONFIG, "legacy system", 0,
    )
    (stale,) = deciding.config_findings([finding], whole_project=True)
    assert (stale.rule_id, stale.path, stale.span.line) == ("RL004", ".reglint.yaml", 7)
    assert "expired on 2020-01-01" in stale.message


def test_rl000_is_never_suppressed_and_rl001_never_inline() -> None:
    text = "# reglint: ignore-file[RL000, RL001]\nkind: RegistryService\nspec: [\n"
    file = source(text)
    crash = Problem("RL000", "internal error in check 'x' (ValueError)", identity="x")
    findings = decider().decide(file, [*file.problems, crash])
    assert rules_of(findings) == [("RL001", 4, False), ("RL000", 1, False), ("RL004", 1, False)]
    assert "RL001 (parse-error) cannot be suppressed inline" in findings[-1].message


def test_an_unknown_rule_in_a_comment_is_rl004() -> None:
    file = source(MANIFEST + "# reglint: ignore[RL999]\n")
    (finding,) = decider().decide(file, [])
    assert (finding.rule_id, finding.span.line) == ("RL004", 18)
    assert finding.message == "unknown rule 'RL999' in a reglint ignore comment"


def test_messages_are_redacted_before_they_are_shown() -> None:
    file = source(MANIFEST)
    key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    (finding,) = decider().decide(file, [password_problem(file, f"the key {key} is literal")])
    assert key not in finding.message and "the key" in finding.message


def test_the_fingerprint_ignores_the_line_and_the_message() -> None:
    moved = source("# a new first line\n" + MANIFEST)
    file = source(MANIFEST)
    one = decider().decide(file, [password_problem(file, "first wording")])
    two = decider().decide(moved, [password_problem(moved, "second wording")])
    assert one[0].span.line + 1 == two[0].span.line
    assert one[0].fingerprint == two[0].fingerprint


def test_the_baseline_claims_each_entry_once_in_report_order() -> None:
    file = source(MANIFEST)
    (finding,) = decider().decide(file, [password_problem(file)])
    baseline = Baseline([finding.fingerprint])
    first, second = apply_baseline([finding, finding], baseline)
    assert first.suppressed is not None and first.suppressed.kind is SuppressionKind.BASELINE
    assert second.suppressed is None
    assert baseline.unmatched == 0
