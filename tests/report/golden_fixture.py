"""The fixed input of the golden-file tests: a hand-made catalogue and RunResult that
exercise every part of every report format, and the function that renders them all.

Hand-made rules (not `rules/`) keep the golden files stable when a rule's wording
changes; `test_sarif.py` checks the real catalogue separately. The paths hold spaces,
commas, colons and non-ASCII; the messages newlines, commas, colons, `%` and a control
character that XML 1.0 cannot carry; three findings have fixes (one in a CRLF file, one
replacing a secret).
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import reglint
from reglint.findings import (
    Finding,
    Fix,
    FixSafety,
    Notification,
    RelatedLocation,
    Severity,
    Span,
    Suppression,
    SuppressionKind,
    TextEdit,
)
from reglint.report import REPORTERS, ReportContext
from reglint.report.result import RunResult
from reglint.rule_catalogue import Catalogue, Rule

GOLDEN_DIR = Path(__file__).parent / "golden"
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "github": "txt",
    "junit": "xml",
    "gitlab": "json",
    "checkstyle": "xml",
}
GOLDEN_VERSION = "9.8.7"  # stands in for reglint's version, which changes with releases
CWD = Path("/srv/ci/työ tila")

POLICY = "iam/push, v2: ü.json"
MANIFEST = "systems/ml prod/registry.yaml"
OTHER = "systems/analytics/registries.yaml"

_POLICY_EXAMPLE = '{"Version": "2012-10-17", "Statement": []}\n'
CATALOGUE = Catalogue(
    [
        Rule(
            "RL004",
            "unused-suppression",
            Severity.NOTE,
            "A reglint ignore comment suppresses nothing.",
            "An ignore comment that silences nothing hides the next real problem.\n\n"
            "**How to fix:** delete the comment.",
            tags=("maintainability",),
        ),
        Rule(
            "RL106",
            "plaintext-secret",
            Severity.ERROR,
            "A password is written literally in a manifest.",
            "RL106 reports a literal `spec.auth.password`.\n\n**How to fix:** rotate it, then "
            "reference it with `fromEnv` or `fromSecret`.",
            tags=("security",),
            security_severity="8.0",
        ),
        Rule(
            "RL107",
            "resource-limits",
            Severity.WARNING,
            "A request exceeds its limit, or a limit is missing.",
            "RL107 reports:\n\n- an invalid quantity;\n- a request above its\n  limit.\n\n"
            "**How to fix:** keep every request at or below its limit.",
            tags=("reliability", "performance"),
        ),
        Rule(
            "RL201",
            "ecr-push-actions-missing",
            Severity.ERROR,
            "The push policy does not allow all nine ECR push actions.",
            "The identity that pushes must be allowed the nine ECR push actions.\n\n"
            "**How to fix:** add the missing actions to the linked policy.",
            tags=("security", "reliability"),
            security_severity="5.0",
            examples={"bad": {"files": {"push.json": _POLICY_EXAMPLE}}},
        ),
        Rule(
            "RL301",
            "registry-namespace-collision",
            Severity.ERROR,
            "Two registry services push into the same image namespace.",
            "Services of different systems must push into different namespaces.\n\n"
            "**How to fix:** give each system its own URL path or image prefix.",
            tags=("security", "reliability"),
            security_severity="6.0",
        ),
    ]
)


def run_result() -> RunResult:
    """Findings in report order (path, line, column, rule), as the engine sorts them."""
    findings = [
        Finding(
            "RL201",
            "ecr-push-actions-missing",
            Severity.ERROR,
            POLICY,
            Span(3, 5, 7, 6),
            "the policy does not allow 2 of the 9 push actions:\n"
            "- ecr:CreateRepository: not allowed,\n"
            "- ecr:PutImage: explicitly denied (100% of the namespace)",
            data_path="Statement[0]",
            fingerprint="6f1c0b8e2d4a4f0e9b7c3a5d1e2f3a4b",
            related=(
                RelatedLocation(
                    POLICY, Span(12, 7, 16, 8), "Statement 'DenyPut' denies ecr:PutImage"
                ),
            ),
            # An unsafe fix in a CRLF file: its inserted text holds the file's line breaks.
            fix=Fix(
                FixSafety.UNSAFE,
                "add ecr:CreateRepository to \"Push\" (Statement[0])",
                (TextEdit(CWD / POLICY, Span(6, 30, 6, 30), ',\r\n        "ecr:CreateRepository"'),),
            ),
        ),
        Finding(
            "RL004",
            "unused-suppression",
            Severity.NOTE,
            MANIFEST,
            Span(3, 1, 3, 32),
            "the ignore comment names 'RL9\x0c9', which is not a rule",
            fingerprint="0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            fix=Fix(FixSafety.SAFE, "remove the comment", (TextEdit(CWD / MANIFEST, Span(3, 1, 4, 1), ""),)),
        ),
        Finding(
            "RL301",
            "registry-namespace-collision",
            Severity.ERROR,
            MANIFEST,
            Span(10, 8, 10, 70),
            "namespace 'reg.example.com/ml/' is also the namespace of service 'ecr' of "
            "system 'analytics' [tenant: default]",
            data_path="spec.url",
            fingerprint="1b2c3d4e5f60718293a4b5c6d7e8f90a",
            related=(
                RelatedLocation(
                    OTHER, Span(31, 8, 31, 66), "service 'ecr' pushes to 'reg.example.com/ml/'"
                ),
                RelatedLocation(
                    "../shared/legacy [old].yaml", Span(4, 8, 4, 40), "service 'legacy' too"
                ),
            ),
        ),
        Finding(
            "RL106",
            "plaintext-secret",
            Severity.ERROR,
            MANIFEST,
            Span(15, 15, 15, 54),
            "spec.auth.password is a literal secret (not shown here)",
            data_path="spec.auth.password",
            fingerprint="2c3d4e5f60718293a4b5c6d7e8f90a1b",
            suppressed=Suppression(SuppressionKind.INLINE, "test fixture, rotated"),
            fix=Fix(
                FixSafety.UNSAFE,
                "replace the literal password with {fromEnv: REGLINT_ML_PROD_PASSWORD}",
                (TextEdit(CWD / MANIFEST, Span(15, 15, 15, 54), "{fromEnv: REGLINT_ML_PROD_PASSWORD}"),),
                secret=True,
            ),
        ),
        Finding(
            "RL107",
            "resource-limits",
            Severity.WARNING,
            MANIFEST,
            Span(19, 21, 19, 23),
            "cpu request '2' is above its limit '1'",
            data_path="spec.resources.requests.cpu",
            fingerprint="3d4e5f60718293a4b5c6d7e8f90a1b2c",
        ),
        Finding(
            "RL107",
            "resource-limits",
            Severity.WARNING,
            MANIFEST,
            Span(20, 13, 20, 22),
            "the service has no memory limit",
            data_path="spec.resources.limits",
            fingerprint="4e5f60718293a4b5c6d7e8f90a1b2c3d",
            suppressed=Suppression(SuppressionKind.BASELINE),
        ),
    ]
    notifications = [
        Notification("systems/locked.yaml", "skipped: permission denied"),
        Notification("vendor/bad file.yaml", "skipped: not valid YAML", level=Severity.NOTE),
    ]
    files_checked = sorted([POLICY, MANIFEST, OTHER, "systems/locked.yaml", "vendor/bad file.yaml"])
    return RunResult(
        findings=findings,
        notifications=notifications,
        files=len(files_checked),
        skipped=2,
        cwd=CWD,
        files_checked=files_checked,
    )


def render_all(fail_on: str = "error") -> dict[str, str]:
    """Every registered format's report of the fixture, by format name."""
    context = ReportContext(catalogue=CATALOGUE, fail_on=fail_on)
    with mock.patch.object(reglint, "__version__", GOLDEN_VERSION):
        return {name: reporter(run_result(), context) for name, reporter in REPORTERS.items()}


def golden_path(name: str) -> Path:
    return GOLDEN_DIR / f"{name}.{EXTENSIONS[name]}"
