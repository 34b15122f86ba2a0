"""Runs the checks over the project and decides what gets reported — the one place
that applies selection, severity overrides, fail-on and internal-error isolation."""

from __future__ import annotations

import hashlib
import sys
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from reglint.catalogue import Catalogue
from reglint.checks.all import DOCUMENT_CHECKS, PROJECT_CHECKS
from reglint.checks.base import CheckSettings
from reglint.config import Config
from reglint.datapath import format_path, stable_path
from reglint.discovery import discover, display_path
from reglint.findings import FILE_START, Finding, Notification, Problem, RelatedLocation, Severity
from reglint.globs import GlobSet, relative_posix
from reglint.loading.document import Document, DocumentKind, SourceFile
from reglint.loading.reader import Skipped, load_bytes, read_candidate
from reglint.project import Project
from reglint.selection import RuleSelection

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
    debug: bool = False


@dataclass(slots=True)
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    files: int = 0
    skipped: int = 0
    internal_error: bool = False

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity and f.suppressed is None)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed is not None)

    def exit_code(self, fail_on: str) -> int:
        """0: nothing at or above `fail_on`; 1: findings at or above it; 2: internal error."""
        if self.internal_error:
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity(fail_on).rank
        failing = any(
            f.suppressed is None and f.severity.rank >= threshold for f in self.findings
        )
        return 1 if failing else 0


def run(request: RunRequest, catalogue: Catalogue) -> RunResult:
    result = RunResult()
    sources = _load_sources(request, result)
    project = Project(request.root, sources)
    settings = CheckSettings(
        required_ecr_actions=request.config.required_ecr_actions,
        ecr_push_policies=GlobSet(request.config.ecr_push_policies),
        project_root=request.root,
    )
    reported = _Reporter(request, catalogue, result)
    for source in sources:
        for problem in source.problems:
            reported.add(source, problem)
        for document in source.documents:
            for check in DOCUMENT_CHECKS:
                if document.kind not in check.kinds or not _wanted(check.rules, request.selection):
                    continue
                for problem in _isolated(check.name, check.run, (document, settings), request):
                    reported.add(source, problem if problem.document else _with_doc(problem, document))
    for project_check in PROJECT_CHECKS:
        if _wanted(project_check.rules, request.selection):
            for problem in _isolated(project_check.name, project_check.run, (project, settings), request):
                if problem.document is not None:
                    reported.add(problem.document.file, problem)
                else:  # a project-wide check failed: no file to pin it on
                    result.internal_error = True
                    result.notifications.append(Notification(".", problem.message))
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def _wanted(rules: frozenset[str], selection: RuleSelection) -> bool:
    return any(selection.is_enabled(rule) for rule in rules)


def _with_doc(problem: Problem, document: Document) -> Problem:
    return replace(problem, document=document)


def _isolated(name: str, run: object, args: tuple[object, ...], request: RunRequest) -> list[Problem]:
    """Run one check; an exception becomes RL000 for that document and the run goes on."""
    try:
        return list(run(*args))  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - a check bug must not stop the run
        if request.debug:
            # Frames only: the exception's text may quote file content (a secret).
            sys.stderr.write("".join(traceback.format_tb(exc.__traceback__)))
            sys.stderr.write(f"{exc.__class__.__name__} in check {name!r}\n")
        document = args[0] if hasattr(args[0], "file") else None
        return [
            Problem(
                "RL000",
                f"internal error in check {name!r} ({exc.__class__.__name__}); this is a reglint "
                f"bug: please report it at {REPORT_URL} (run with --debug for the traceback)",
                document=document,  # type: ignore[arg-type]
                identity=name,
            )
        ]


def _load_sources(request: RunRequest, result: RunResult) -> list[SourceFile]:
    limits = request.config.limits
    sources: list[SourceFile] = []
    if request.stdin_bytes is not None and request.stdin_name is not None:
        outcome = load_bytes(request.stdin_name, request.stdin_bytes, True, limits)
        _keep(outcome, sources, result, request.cwd)
    file_paths = [p for p in request.paths if p != Path("-")]
    include, exclude = GlobSet(request.config.include), GlobSet(request.config.exclude)
    for candidate in discover(file_paths, request.root, include, exclude):
        _keep(read_candidate(candidate.path, candidate.named, limits), sources, result, request.cwd)
    return sources


def _keep(outcome: SourceFile | Skipped, sources: list[SourceFile], result: RunResult, cwd: Path) -> None:
    result.files += 1
    if isinstance(outcome, Skipped):
        result.skipped += 1
        result.notifications.append(
            Notification(display_path(outcome.path, cwd), f"skipped: {outcome.reason}")
        )
        return
    if not outcome.problems and all(d.kind is DocumentKind.OTHER for d in outcome.documents):
        result.skipped += 1
    sources.append(outcome)


class _Reporter:
    """Turns problems into findings: position, level, fingerprint, relative path."""

    def __init__(self, request: RunRequest, catalogue: Catalogue, result: RunResult) -> None:
        self._request = request
        self._catalogue = catalogue
        self._result = result

    def add(self, source: SourceFile, problem: Problem) -> None:
        selection = self._request.selection
        if not selection.is_enabled(problem.rule):
            return
        rule = self._catalogue[problem.rule]
        if problem.rule == "RL000":
            self._result.internal_error = True
        document = problem.document
        if problem.span is not None:
            span = problem.span
        elif document is not None:
            span = document.span_of(problem.path, on_key=problem.on_key)
        else:
            span = FILE_START
        related = tuple(
            RelatedLocation(
                display_path(ref.document.file.path, self._request.cwd),
                ref.document.span_of(ref.path, on_key=ref.on_key),
                ref.message,
            )
            for ref in problem.related
        )
        self._result.findings.append(
            Finding(
                rule_id=rule.id,
                rule_name=rule.name,
                severity=selection.level(rule.id, problem.severity or rule.severity),
                path=display_path(source.path, self._request.cwd),
                span=span,
                message=problem.message,
                data_path=format_path(problem.path),
                fingerprint=self._fingerprint(source, problem),
                related=related,
            )
        )

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
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

