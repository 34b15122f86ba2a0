"""`path:line:col: RL201 error ecr-push-actions-missing: message`, then a summary line.

Paths and messages are escaped (report/escape.py), so each finding is exactly one line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reglint.findings import Finding, FixSafety, Severity
from reglint.report.escape import escape_controls

if TYPE_CHECKING:
    from reglint.report import ReportContext
    from reglint.report.result import RunResult

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def render(result: RunResult, context: ReportContext) -> str:
    lines = [_line(f, context.color) for f in result.shown if f.suppressed is None]
    lines.append(summary_line(result))
    if result.live is not None:
        lines.extend(live_lines(result.live))
    text = "\n".join(lines) + "\n"
    return text + statistics_table(result) if context.statistics else text


def statistics_table(result: RunResult) -> str:
    """`--statistics`: findings per rule, most frequent first (suppressed ones not counted)."""
    counts: dict[tuple[str, str], int] = {}
    for finding in result.active:
        key = (finding.rule_id, finding.rule_name)
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(
        escape_controls(f"{count:>6}  {rule_id}  {name}") + "\n" for (rule_id, name), count in ordered
    )


def _line(finding: Finding, color: bool) -> str:
    span = finding.span
    level = finding.severity.value
    if color:
        import click

        level = click.style(level, fg=_COLORS[finding.severity], bold=True)
    # Escaped (report/escape.py): a line break, an escape sequence or a workflow command
    # in a file name or a quoted value never leaves the finding's one line.
    return (
        f"{escaped_path(finding.path)}:{span.line}:{span.column}: {finding.rule_id} {level} "
        f"{finding.rule_name}: {escape_controls(finding.message)}"
    )


def escaped_path(path: str) -> str:
    """The path as a text line (and stderr) shows it: control characters escaped
    (report/escape.py), so a file name never splits or forges a line."""
    return escape_controls(path)


# Repositories the text report lists; JSON and SARIF list them all.
_LIVE_REPOSITORIES_SHOWN = 20


def live_lines(live: Mapping[str, Any]) -> list[str]:
    """`aws verify`: whose credentials, the repositories seen with their tag mutability,
    and — once — what these reads cannot see."""
    services, repositories = live["services"], live["repositories"]
    lines = [
        escape_controls(
            f"live: account {live['account']} (caller {live['caller']}); {len(services)} "
            f"service{'' if len(services) == 1 else 's'} verified, {len(live['identities'])} "
            f"pushing identit{'y' if len(live['identities']) == 1 else 'ies'}, {len(repositories)} "
            f"repositor{'y' if len(repositories) == 1 else 'ies'} under their namespaces"
        )
    ]
    for repository in repositories[:_LIVE_REPOSITORIES_SHOWN]:
        lines.append(
            escape_controls(
                f"  {repository['registry']} {repository['region']} {repository['name']}: "
                f"tags {repository['tag_mutability']}"
            )
        )
    if len(repositories) > _LIVE_REPOSITORIES_SHOWN:
        lines.append(f"  … and {len(repositories) - _LIVE_REPOSITORIES_SHOWN} more (--format json lists them all)")
    lines.append(f"note: {live['not_visible']}")
    return lines


def summary_line(result: RunResult) -> str:
    """`3 errors, 1 warning in 12 files (5 skipped)`; notes and suppressions when present."""
    counts = [
        Severity.ERROR.plural(result.count(Severity.ERROR)),
        Severity.WARNING.plural(result.count(Severity.WARNING)),
    ]
    notes = result.count(Severity.NOTE)
    if notes:
        counts.append(Severity.NOTE.plural(notes))
    files = f"{result.files} file{'' if result.files == 1 else 's'}"
    line = f"{', '.join(counts)} in {files} ({result.skipped} skipped)"
    if result.suppressed:
        line += f", {result.suppressed} suppressed"
    if result.baseline_unmatched:
        entries = "entry" if result.baseline_unmatched == 1 else "entries"
        line += f"; {result.baseline_unmatched} baseline {entries} no longer match"
    if result.fixed is not None:
        line += fixes_summary(result)
    else:
        line += fixable_hint(result)
    return line


def fixable_hint(result: RunResult) -> str:
    """A run without --fix, as ruff says it: `; 3 fixable with --fix (2 more with
    --unsafe-fixes)`, or nothing when no finding has a fix."""
    safe, unsafe = result.fixable(FixSafety.SAFE), result.fixable(FixSafety.UNSAFE)
    if not safe:
        return f"; {unsafe} fixable with --fix --unsafe-fixes" if unsafe else ""
    return f"; {safe} fixable with --fix" + (f" ({unsafe} more with --unsafe-fixes)" if unsafe else "")


def fixes_summary(result: RunResult) -> str:
    """After --fix: `; 3 fixed, 2 more fixable with --unsafe-fixes` (and the fixes a
    later run could still make: `1 more fixable with --fix`)."""
    safe, unsafe = result.fixable(FixSafety.SAFE), result.fixable(FixSafety.UNSAFE)
    now = safe + (unsafe if result.unsafe_fixes else 0)
    hidden = 0 if result.unsafe_fixes else unsafe
    parts = [f"{result.fixed} fixed"]
    if now:
        parts.append(f"{now} more fixable with --fix")
    if hidden:
        parts.append(f"{hidden} more fixable with --unsafe-fixes")
    return "; " + ", ".join(parts)
