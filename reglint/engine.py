"""Runs the checks over the project and decides what gets reported — the one place
that applies selection, severity overrides, reported files, suppressions (inline,
per-file-ignores, baseline), internal-error isolation and fail-on."""

from __future__ import annotations

import hashlib
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from reglint.baseline import Baseline
from reglint.catalogue import Catalogue, UnknownRuleError
from reglint.checks.all import DOCUMENT_CHECKS, PROJECT_CHECKS
from reglint.checks.base import CheckSettings
from reglint.config import Config
from reglint.datapath import format_path, stable_path
from reglint.discovery import display_path
from reglint.findings import (
    FILE_START,
    Finding,
    Notification,
    Problem,
    RelatedLocation,
    Severity,
    Span,
    Suppression,
    SuppressionKind,
)
from reglint.globs import GlobSet, relative_posix
from reglint.loading.document import Document, SourceFile
from reglint.model.service import redact_secret_access_keys
from reglint.progress import Progress
from reglint.project import LoadRequest, Project, load_project
from reglint.selection import RuleSelection
from reglint.suppressions import IgnoreComment, parse_ignore_comments

REPORT_URL = "https://github.com/reglint/reglint/issues"


@dataclass(frozen=True, slots=True)
class RunRequest:
    paths: tuple[Path, ...]  # absolute; Path("-") stands for standard input
    root: Path
    cwd: Path
    config: Config
    selection: RuleSelection
    stdin_name: Path | None = None
    stdin_bytes: bytes | None = None
    baseline: Baseline | None = None
    debug: bool = False


@dataclass(slots=True)
class RunResult:
    findings: list[Finding] = field(default_factory=list)  # suppressed ones included
    notifications: list[Notification] = field(default_factory=list)
    files: int = 0
    skipped: int = 0
    internal_error: bool = False
    cwd: Path = field(default_factory=Path.cwd)  # absolute; report paths are relative to it
    files_checked: list[str] = field(default_factory=list)  # display paths, sorted
    baseline_unmatched: int | None = None  # None: no baseline was given

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity and f.suppressed is None)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed is not None)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    def exit_code(self, fail_on: str) -> int:
        """0: nothing at or above `fail_on`; 1: findings at or above it; 2: internal error."""
        if self.internal_error:
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity(fail_on).rank
        return 1 if any(f.severity.rank >= threshold for f in self.active) else 0


def run(request: RunRequest, catalogue: Catalogue) -> RunResult:
    config = request.config
    stdin = (request.stdin_name, request.stdin_bytes) if request.stdin_name and request.stdin_bytes is not None else None
    project, loading = load_project(
        LoadRequest(
            paths=[p for p in request.paths if p != Path("-")],
            root=request.root,
            cwd=request.cwd,
            limits=config.limits,
            include=GlobSet(config.include),
            exclude=GlobSet(config.exclude),
            stdin=stdin,
            progress=Progress.for_terminal(sys.stderr),
        )
    )
    result = RunResult(
        notifications=loading.notifications,
        files=loading.files,
        skipped=loading.skipped,
        cwd=request.cwd,
        files_checked=loading.files_checked,
    )
    decider = Decider(request, catalogue, result)
    for problem in _problems(project, request, decider.wanted):
        if problem.document is None:  # a project-wide check failed: no file to pin it on
            result.internal_error = True
            result.notifications.append(Notification(".", problem.message, Severity.ERROR))
        else:
            decider.add(problem.document.file, problem)
    for source in project.sources:
        for problem in source.problems:
            decider.add(source, problem)
    decider.finish(project)
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def _problems(
    project: Project, request: RunRequest, wanted: Callable[[frozenset[str]], bool]
) -> Iterable[Problem]:
    """Every problem every enabled check yields, each carrying its document."""
    settings = CheckSettings(
        required_ecr_actions=request.config.required_ecr_actions,
        ecr_push_policies=GlobSet(request.config.ecr_push_policies),
        project_root=request.root,
        linked_policy_files=project.linked_policy_files(),
    )
    document_checks = [check for check in DOCUMENT_CHECKS if wanted(check.rules)]
    for source in project.sources:
        if not source.reported:
            continue
        for document in source.documents:
            for check in document_checks:
                if document.kind in check.kinds:
                    for problem in _isolated(check.name, check.run, document, settings, request):
                        yield problem if problem.document else replace(problem, document=document)
    for project_check in PROJECT_CHECKS:
        if wanted(project_check.rules):
            yield from _isolated(project_check.name, project_check.run, project, settings, request)


def _isolated(
    name: str, check: Callable[..., Iterable[Problem]], subject: object, settings: CheckSettings, request: RunRequest
) -> list[Problem]:
    """Run one check; an exception becomes RL000 for that document and the run goes on."""
    try:
        return list(check(subject, settings))
    except Exception as exc:  # noqa: BLE001 - a check bug must not stop the run
        if request.debug:
            # Frames only: the exception's text may quote file content (a secret).
            sys.stderr.write("".join(traceback.format_tb(exc.__traceback__)))
            sys.stderr.write(f"{exc.__class__.__name__} in check {name!r}\n")
        return [
            Problem(
                "RL000",
                f"internal error in check {name!r} ({exc.__class__.__name__}); this is a reglint "
                f"bug: please report it at {REPORT_URL} (run with --debug for the traceback)",
                document=subject if isinstance(subject, Document) else None,
                identity=name,
            )
        ]


class Decider:
    """Turns problems into findings — position, level, fingerprint, relative path — and
    decides which are reported, suppressed or dropped."""

    def __init__(self, request: RunRequest, catalogue: Catalogue, result: RunResult) -> None:
        self._request = request
        self._catalogue = catalogue
        self._result = result
        self._selection = request.selection
        self._comments: dict[SourceFile, list[IgnoreComment]] = {}
        self._file_ignores = [
            (GlobSet([glob]), glob, self._rule_ids(rules))
            for glob, rules in request.config.per_file_ignores.items()
        ]

    def wanted(self, rules: frozenset[str]) -> bool:
        return any(self._selection.is_enabled(rule) for rule in rules)

    def add(self, source: SourceFile, problem: Problem) -> None:
        if not source.reported or not self._selection.is_enabled(problem.rule):
            return
        rule = self._catalogue[problem.rule]
        if rule.id == "RL000":
            self._result.internal_error = True
        finding = Finding(
            rule_id=rule.id,
            rule_name=rule.name,
            severity=self._selection.level(rule.id, problem.severity or rule.severity),
            path=display_path(source.path, self._request.cwd),
            span=self._span(problem),
            # The last guard of "no secret in any output": whatever a check quoted (a
            # key, a path, a parser's words), secret-access-key-shaped text never leaves.
            message=redact_secret_access_keys(problem.message),
            data_path=format_path(problem.path),
            fingerprint=self._fingerprint(source, problem),
            related=tuple(
                RelatedLocation(
                    display_path(ref.document.file.path, self._request.cwd),
                    ref.document.span_of(ref.path, on_key=ref.on_key),
                    redact_secret_access_keys(ref.message),
                )
                for ref in problem.related
            ),
        )
        self._result.findings.append(replace(finding, suppressed=self._suppression(source, finding)))

    def finish(self, project: Project) -> None:
        """Report unused ignore comments (RL004) and count unmatched baseline entries."""
        for source in project.sources:
            if source.reported:
                for problem in self._unused_comments(source):
                    self.add(source, problem)
        if self._request.baseline is not None:
            self._result.baseline_unmatched = self._request.baseline.unmatched

    def _span(self, problem: Problem) -> Span:
        if problem.span is not None:
            return problem.span
        if problem.document is not None:
            return problem.document.span_of(problem.path, on_key=problem.on_key)
        return FILE_START

    def _suppression(self, source: SourceFile, finding: Finding) -> Suppression | None:
        if finding.rule_id in ("RL000", "RL004"):
            return None  # a crash or a stale comment is never hidden by another comment
        for comment in self._comments_of(source):
            if (comment.whole_file or comment.target_line == finding.span.line) and finding.rule_id in self._rule_ids(comment.rules):
                comment.used.add(finding.rule_id)
                return Suppression(SuppressionKind.INLINE, comment.justification)
        for globs, glob, rule_ids in self._file_ignores:
            if finding.rule_id in rule_ids and globs.matches(source.path, self._request.root):
                return Suppression(SuppressionKind.CONFIG, f"per-file-ignores: {glob}")
        baseline = self._request.baseline
        if baseline is not None and baseline.claim(finding.fingerprint):
            return Suppression(SuppressionKind.BASELINE, None)
        return None

    def _comments_of(self, source: SourceFile) -> list[IgnoreComment]:
        if source not in self._comments:
            self._comments[source] = parse_ignore_comments(source.text, source.path.suffix)
        return self._comments[source]

    def _unused_comments(self, source: SourceFile) -> Iterable[Problem]:
        """RL004: an ignore that names an unknown rule, or suppresses nothing of a rule
        selected in this run."""
        for comment in self._comments_of(source):
            for written in comment.rules:
                try:
                    rule = self._catalogue.find(written)
                except UnknownRuleError:
                    yield Problem("RL004", f"unknown rule {written!r} in a reglint ignore comment", span=comment.span, identity=written)
                    continue
                if rule.id not in comment.used and self._selection.is_enabled(rule.id):
                    what = "this file" if comment.whole_file else f"line {comment.target_line}"
                    yield Problem(
                        "RL004",
                        f"unused suppression: no {rule.id} ({rule.name}) finding on {what}; remove {written!r} from the comment",
                        span=comment.span,
                        identity=f"{rule.id}:{'file' if comment.whole_file else 'line'}",
                    )

    def _rule_ids(self, written: Iterable[str]) -> frozenset[str]:
        ids = set()
        for name in written:
            try:
                ids.add(self._catalogue.find(name).id)
            except UnknownRuleError:
                continue
        return frozenset(ids)

    def _fingerprint(self, source: SourceFile, problem: Problem) -> str:
        """Rule, root-relative path, document index, stable data path, offending value —
        never the line, so edits elsewhere in the file keep it (SPEC §3.3)."""
        document = problem.document
        relative = relative_posix(source.path, self._request.root) or source.path.as_posix()
        parts = (
            problem.rule,
            relative,
            str(document.index if document is not None else -1),
            stable_path(document.data, problem.path) if document is not None else "",
            problem.identity,
        )
        # surrogatepass: a file name that is not UTF-8 reaches us with lone surrogates
        return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
