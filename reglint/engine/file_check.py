"""One file from bytes to decided findings: load it, run the document checks on each of
its documents, let the Decider decide — then drop it. The unit of work of a run, in
the main process or in a worker (workers.py)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import NamedTuple

from reglint import REPORT_URL
from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.decisions.decider import Decider
from reglint.engine.load import FileJob, is_not_input, load_job, skip_reason, skipped_notification
from reglint.files.paths import display_path
from reglint.findings import Finding, Notification
from reglint.loading.document import Document, Limits, Problem, SourceFile
from reglint.loading.reader import Skipped


class FileOutcome(NamedTuple):
    """What a checked file leaves behind once its documents are dropped."""

    shown: str  # the path as reports show it
    findings: list[Finding]
    notification: Notification | None = None
    skipped: bool = False  # counted as skipped in the summary
    reason: str | None = None  # why, when it was read but holds nothing reglint checks (`-v`)


class FileChecker:
    """The document checks of a run, with what they read and the Decider."""

    def __init__(
        self,
        checks: Sequence[DocumentCheck],
        settings: CheckSettings,
        decider: Decider,
        limits: Limits,
        debug: bool = False,
    ) -> None:
        self.checks = tuple(checks)
        self.settings = settings
        self.decider = decider
        self.limits = limits
        self.debug = debug

    def document_problems(self, source: SourceFile) -> Iterator[Problem]:
        """Every problem the document checks find in `source`, each carrying its document.

        The variants of one IaC policy (its `Fn::If` branches: documents of one `origin`)
        share most of their nodes: a problem found at the same place with the same words
        in several of them is reported once."""
        seen: set[tuple[str, str, str, object]] = set()
        for document in source.documents:
            for check in self.checks:
                if document.kind in check.kinds:
                    for problem in isolated(check.name, check.run, document, self.settings, self.debug):
                        if document.origin:
                            where = (problem.document or document).span_of(problem.path, on_key=problem.on_key)
                            key = (document.origin, problem.rule, problem.message, problem.span or where)
                            if key in seen:
                                continue
                            seen.add(key)
                        yield problem if problem.document else replace(problem, document=document)

    def check_job(self, job: FileJob) -> FileOutcome:
        """Load, check and decide one file."""
        cwd = self.decider.rules.cwd
        outcome = load_job(job, self.limits, self.decider.rules.fixes)
        shown = display_path(job.path, cwd)
        if isinstance(outcome, Skipped):
            return FileOutcome(shown, [], skipped_notification(outcome, cwd), skipped=True)
        problems = [*outcome.problems, *self.document_problems(outcome)]
        skipped = is_not_input(outcome)
        reason = skip_reason(outcome) if skipped else None
        return FileOutcome(shown, self.decider.decide(outcome, problems), skipped=skipped, reason=reason)

    def check_jobs(self, jobs: Sequence[FileJob]) -> list[FileOutcome]:
        return [self.check_job(job) for job in jobs]


def isolated(
    name: str, check: Callable[..., Iterable[Problem]], subject: object, settings: CheckSettings, debug: bool
) -> list[Problem]:
    """Run one check; an exception becomes RL000 for that document and the run goes on."""
    try:
        return list(check(subject, settings))
    except Exception as exc:  # noqa: BLE001 - a check bug must not stop the run
        if debug:
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
