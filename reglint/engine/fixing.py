"""`--fix` and `--diff` (SPEC §6.5): apply the fixes of a run's findings, in memory,
until nothing more changes, and check that the fixes added no finding.

A round applies, file by file, the fixes of the unsuppressed findings whose safety is
allowed, in report order, skipping a fix whose edits overlap one already taken (the
next round, on the changed text, takes it if it still applies; an edit equal to one
taken counts as made). Every round is a whole run over the changed contents (files on
disk are not touched: `RunRequest.overrides`), so the findings, their fixes and their
positions are always those of the current text. Rounds stop when no fix is left, or
after `MAX_ROUNDS` (as ruff does): a second `--fix` then changes nothing.

A fix may reveal what its finding hid (a renamed key is now checked, a corrected URL
now collides with another namespace). When the run after the last round has a finding
that the first run did not have, the fixes are made again one file at a time, each
file's kept only when the run after it adds no finding; at most `VERIFY_RUNS` runs are
spent so, and a file left out is named in a notification. The result: a fix never adds
a finding (by fingerprint, which ignores line numbers).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from reglint.engine.run import RunRequest, run
from reglint.files.paths import display_path
from reglint.files.read import read_regular_file
from reglint.findings import Finding, FixSafety, Notification, Severity, TextEdit
from reglint.fixes.text import FixError, SourceText, Splice, overlaps
from reglint.loading.document import Limits
from reglint.loading.reader import Skipped, load_bytes
from reglint.report.result import RunResult
from reglint.rule_catalogue import Catalogue

MAX_ROUNDS = 10
VERIFY_RUNS = 40
# Rules whose findings sit on a secret: a diff shows none of their lines.
SECRET_RULES = frozenset({"RL106", "RL110"})


class FixOutcome(NamedTuple):
    """The run over the fixed contents, and what changed."""

    result: RunResult
    changed: dict[Path, bytes]  # the new contents of each file the fixes change
    original: dict[Path, bytes]  # those files as they were read
    secret_lines: dict[Path, tuple[frozenset[int], frozenset[int]]]  # before, after


def fix_run(request: RunRequest, catalogue: Catalogue, unsafe: bool) -> FixOutcome:
    """Fix in memory, to a fixed point, and return what a run of the result finds."""
    request = request._replace(render_fixes=True)
    fixer = Fixer(request, catalogue, unsafe)
    first = run(request, catalogue)
    original_prints = _prints(first.active)
    result, changed, rounds_left = fixer.to_fixed_point(first, {}, None)
    notes: list[Notification] = []
    if changed and not _prints(result.active) <= original_prints:
        result, changed, notes = fixer.file_by_file(first, original_prints, sorted(changed))
    result.notifications.extend(notes)
    if changed and rounds_left == 0 and any(_wanted(f, unsafe) for f in result.active):
        result.notifications.append(
            Notification(".", f"fixes stopped after {MAX_ROUNDS} rounds: run --fix again", Severity.NOTE)
        )
    result.fixed = sum((_prints(first.active) - _prints(result.active)).values()) if changed else 0
    result.unsafe_fixes = unsafe
    original = {path: fixer.original[path] for path in changed}
    return FixOutcome(result, changed, original, _secret_lines(first, request, changed, original))


class Fixer:
    def __init__(self, request: RunRequest, catalogue: Catalogue, unsafe: bool) -> None:
        self.request = request
        self.catalogue = catalogue
        self.unsafe = unsafe
        self.original: dict[Path, bytes] = {}  # each file's bytes before any fix
        self.runs = 0

    def _run(self, contents: Mapping[Path, bytes]) -> RunResult:
        self.runs += 1
        return run(self.request._replace(overrides=dict(contents)), self.catalogue)

    def to_fixed_point(
        self, result: RunResult, contents: dict[Path, bytes], only: Path | None
    ) -> tuple[RunResult, dict[Path, bytes], int]:
        """Apply rounds of fixes on `contents` (only those editing file `only`, when
        given) until none is left; the last run's result, the contents, rounds left."""
        contents = dict(contents)
        for left in range(MAX_ROUNDS, 0, -1):
            edits = self.round_edits(result.findings, only)
            updated = self.apply(edits, contents)
            if updated == contents:
                return result, contents, left
            contents = updated
            result = self._run(contents)
        return result, contents, 0

    def file_by_file(
        self, first: RunResult, original_prints: Counter[str], files: list[Path]
    ) -> tuple[RunResult, dict[Path, bytes], list[Notification]]:
        """Fixes made again one file at a time, each kept only if it adds no finding."""
        accepted: dict[Path, bytes] = {}
        result = first
        notes: list[Notification] = []
        for path in files:
            shown = display_path(path, self.request.cwd)
            if self.runs >= VERIFY_RUNS:
                notes.append(_note(shown, "fixes not applied: run --fix again to fix this file"))
                continue
            candidate, contents, _ = self.to_fixed_point(result, accepted, path)
            added = _prints(candidate.active) - original_prints
            if not added:
                result, accepted = candidate, contents
                continue
            rules = sorted({f.rule_id for f in candidate.active if f.fingerprint in added})
            notes.append(_note(shown, f"fixes not applied: they would add {', '.join(rules)} findings"))
        return result, accepted, notes

    def round_edits(self, findings: Iterable[Finding], only: Path | None) -> list[TextEdit]:
        """The edits of one round: each wanted fix whose edits overlap none taken before."""
        taken: list[TextEdit] = []
        for finding in findings:
            if not _wanted(finding, self.unsafe):
                continue
            assert finding.fix is not None
            edits = [edit for edit in finding.fix.edits if edit not in taken]
            if only is not None and any(edit.file != only for edit in finding.fix.edits):
                continue
            if any(edit.file == other.file and overlaps(edit.span, other.span) for edit in edits for other in taken):
                continue
            taken.extend(edits)
        return taken

    def apply(self, edits: list[TextEdit], contents: dict[Path, bytes]) -> dict[Path, bytes]:
        by_file: dict[Path, list[TextEdit]] = {}
        for edit in edits:
            by_file.setdefault(edit.file, []).append(edit)
        updated = dict(contents)
        for path, file_edits in by_file.items():
            current = updated.get(path)
            if current is None:
                current = self.read(path)
                if current is None:
                    continue
            try:
                text = SourceText(current)
                splices = [Splice(edit.span, _unwritten(edit.text)) for edit in file_edits]
                updated[path] = text.bytes_after(splices)
            except FixError:
                continue  # edits of a text that changed under them: left for no one
        return updated

    def read(self, path: Path) -> bytes | None:
        """A file's bytes before any fix (standard input's, for its name)."""
        if path not in self.original:
            request = self.request
            if request.stdin_name == path and request.stdin_bytes is not None:
                raw: bytes | str = request.stdin_bytes
            else:
                raw = read_regular_file(path, request.config.max_file_size)
            if isinstance(raw, str):
                return None
            self.original[path] = raw
        return self.original[path]


def _wanted(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    return (
        finding.suppressed is None
        and fix is not None
        and bool(fix.edits)
        and (unsafe or fix.safety is FixSafety.SAFE)
    )


def _unwritten(text: str) -> str:
    """An edit's text (in its file's line breaks) with `\\n` line breaks."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _prints(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(finding.fingerprint for finding in findings)


def _note(shown: str, message: str) -> Notification:
    return Notification(shown, message, Severity.WARNING)


def _secret_lines(
    first: RunResult, request: RunRequest, changed: Mapping[Path, bytes], original: Mapping[Path, bytes]
) -> dict[Path, tuple[frozenset[int], frozenset[int]]]:
    """Per changed file, the lines that hold a secret before and after the fixes, which
    a diff never shows: those of every RL106/RL110 problem of its documents, whatever
    the run selects, and those a secret-replacing fix edits."""
    fixed: dict[Path, set[int]] = {}
    for finding in first.findings:
        if finding.fix is not None and finding.fix.secret:
            for edit in finding.fix.edits:
                fixed.setdefault(edit.file, set()).update(range(edit.span.line, edit.span.end_line + 1))
    limits = request.config.limits
    return {
        path: (
            secret_lines(path, original[path], limits) | fixed.get(path, set()),
            secret_lines(path, changed[path], limits),
        )
        for path in changed
    }


def secret_lines(path: Path, raw: bytes, limits: Limits) -> frozenset[int]:
    """The lines of a file's text that hold a secret: where the document checks of the
    secret rules find one (every line, should one of them fail)."""
    from reglint.checks.all import DOCUMENT_CHECKS
    from reglint.checks.base import CheckSettings

    source = load_bytes(path, raw, True, limits)
    if isinstance(source, Skipped):
        return frozenset()
    found: set[int] = set()
    settings = CheckSettings(project_root=path.parent, cwd=path.parent)
    for document in source.documents:
        for check in DOCUMENT_CHECKS:
            if not check.rules & SECRET_RULES or document.kind not in check.kinds:
                continue
            try:
                problems = list(check.run(document, settings))
            except Exception:  # noqa: BLE001 - a check that fails: hide the whole file
                return frozenset(range(1, raw.count(b"\n") + raw.count(b"\r") + 2))
            for problem in problems:
                if problem.rule in SECRET_RULES:
                    span = problem.span or document.span_of(problem.path, on_key=problem.on_key)
                    found.update(range(span.line, span.end_line + 1))
    return frozenset(found)
