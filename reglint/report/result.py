"""The outcome of a run: what the engine hands to every reporter and to the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reglint.decisions.caps import cap_findings
from reglint.findings import Finding, FixSafety, Notification, Severity, fails


@dataclass(slots=True)
class RunResult:
    """What a run found and read, as reports show it and the exit code counts it."""

    findings: list[Finding] = field(default_factory=list)  # suppressed ones included
    notifications: list[Notification] = field(default_factory=list)
    files: int = 0
    skipped: int = 0
    internal_error: bool = False
    cwd: Path = field(default_factory=Path.cwd)  # absolute; report paths are relative to it
    files_checked: list[str] = field(default_factory=list)  # display paths, sorted
    baseline_unmatched: int | None = None  # None: no baseline was given
    # `aws verify`: what was read live (engine/live_summary.py); None for `check`.
    live: dict[str, Any] | None = None
    fixed: int | None = None  # findings that --fix removed (None: no --fix run)
    unsafe_fixes: bool = False  # --unsafe-fixes was given
    # Files read but counted as skipped, with why (display path, reason): `-v` lists them.
    skipped_files: list[tuple[str, str]] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity and f.suppressed is None)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed is not None)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    @property
    def shown(self) -> list[Finding]:
        """The findings a report lists: at most 100 of a rule in a file, then a note for
        the rest (decisions/caps.py); counts and the exit code use `findings`."""
        return cap_findings(self.findings)

    def fixable(self, safety: FixSafety) -> int:
        """Unsuppressed findings with a fix of `safety` (what another --fix could do)."""
        return sum(1 for f in self.active if f.fix is not None and f.fix.safety is safety)

    def exit_code(self, fail_on: str) -> int:
        """0: nothing at or above `fail_on`; 1: findings at or above it; 2: internal error."""
        if self.internal_error:
            return 2
        return 1 if any(fails(f.severity, fail_on) for f in self.active) else 0
