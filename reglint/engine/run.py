"""Runs a check: loads the project, runs the cross-file checks over it and the document
checks over every reported file (the independent ones streamed, in worker processes for
big runs), and collects what the Decider (decisions/decider.py) decided."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from reglint.checks.all import DOCUMENT_CHECKS, PROJECT_CHECKS
from reglint.checks.base import CheckSettings
from reglint.config.settings import Config
from reglint.decisions.baseline import Baseline, apply_baseline
from reglint.decisions.caps import shown_notification
from reglint.decisions.decider import Decider, DecisionRules
from reglint.decisions.selection import RuleSelection
from reglint.engine.file_check import FileChecker, isolated
from reglint.engine.load import LoadRequest, load_project
from reglint.engine.progress import FileTally, Progress
from reglint.engine.workers import FileChecks, worker_count
from reglint.files.globs import GlobSet
from reglint.files.paths import display_path
from reglint.findings import Finding, Notification, Severity
from reglint.loading.document import Problem, SourceFile
from reglint.project import Project
from reglint.report.result import RunResult
from reglint.rule_catalogue import Catalogue


class RunRequest(NamedTuple):
    paths: tuple[Path, ...]  # absolute; Path("-") stands for standard input
    root: Path
    cwd: Path
    config: Config
    selection: RuleSelection
    stdin_name: Path | None = None
    stdin_bytes: bytes | None = None
    baseline: Baseline | None = None
    debug: bool = False
    jobs: int | None = None  # --jobs: worker processes; None: every core for big runs
    stdin_alone: bool = False  # standard input without --stdin-filename: not part of the project
    own_files: frozenset[Path] = frozenset()  # --baseline, --write-baseline, --output: never input
    render_fixes: bool = False  # render each finding's fix into text edits (json, sarif, --fix…)
    # Contents that stand for files on disk (and for named standard input): --fix's work.
    overrides: Mapping[Path, bytes] = MappingProxyType({})


def run(request: RunRequest, catalogue: Catalogue) -> RunResult:
    config = request.config
    stdin = (request.stdin_name, request.stdin_bytes) if request.stdin_name and request.stdin_bytes is not None else None
    tally = FileTally(Progress.for_terminal(sys.stderr))
    loaded = load_project(
        LoadRequest(
            paths=[p for p in request.paths if p != Path("-")],
            root=request.root,
            cwd=request.cwd,
            limits=config.limits,
            include=GlobSet(config.include),
            exclude=GlobSet(config.exclude),
            stdin=stdin,
            tally=tally,
            stdin_alone=request.stdin_alone,
            own_files=request.own_files,
            keep_raw=request.render_fixes,
            overrides=request.overrides,
            platform_systems=tuple((GlobSet([glob]), system) for glob, system in config.platform_systems.items()),
        )
    )
    project = loaded.project
    decider = Decider(
        DecisionRules(
            catalogue=catalogue,
            selection=request.selection,
            cwd=request.cwd,
            root=request.root,
            per_file_ignores=tuple(config.per_file_ignores.items()),
            suppressions=config.suppressions,
            config_path=config.path,
            fixes=request.render_fixes,
        )
    )
    checker = FileChecker(
        [check for check in DOCUMENT_CHECKS if decider.wanted(check.rules)],
        CheckSettings(
            required_ecr_actions=config.required_ecr_actions,
            ecr_push_policies=GlobSet(config.ecr_push_policies),
            project_root=request.root,
            known_actions=config.known_actions,
            linked_policy_files=project.linked_policy_files(),
            cwd=request.cwd,
            policy_types=tuple((GlobSet([glob]), kind) for glob, kind in config.policy_types.items()),
        ),
        decider,
        config.limits,
        request.debug,
    )
    workers = worker_count(request.jobs, len(loaded.independent))
    with FileChecks(checker, loaded.independent, workers) as independent:
        # Workers, if any, check the independent files while this process checks the project.
        findings, failures = _project_findings(project, checker)
        if loaded.alone is not None:
            alone_findings, alone_failures = _project_findings(loaded.alone, checker)
            findings.extend(alone_findings)
            failures.extend(alone_failures)
        for outcome in independent.outcomes():
            findings.extend(outcome.findings)
            tally.checked(outcome.shown, outcome.skipped, outcome.notification, outcome.reason)
    tally.close()
    findings.extend(decider.config_findings(findings, _whole_project(request)))
    findings.sort(key=lambda f: f.sort_key)
    result = RunResult(
        findings=findings,
        notifications=[
            shown_notification(note)
            for note in tally.notifications + _unassigned_settings(project, request.cwd) + failures
        ],
        files=tally.files,
        skipped=tally.skipped,
        cwd=request.cwd,
        files_checked=sorted(tally.files_checked),
        skipped_files=sorted(tally.skipped_files),
    )
    if request.baseline is not None:
        result.findings = apply_baseline(findings, request.baseline)
        result.baseline_unmatched = request.baseline.unmatched
    result.internal_error = bool(failures) or any(f.rule_id == "RL000" for f in findings)
    return result


def _whole_project(request: RunRequest) -> bool:
    """True when the run reads every file under the project root (a named folder holds
    the root), so a config suppression that matched nothing is known to be unused."""
    return any(path != Path("-") and request.root.is_relative_to(path) for path in request.paths)


def _unassigned_settings(project: Project, cwd: Path) -> list[Notification]:
    """A notification for each reported file of MLRun settings that no `platform-systems`
    glob assigns to a system (SPEC §6.3): its settings take part in no cross-file rule."""
    files = dict.fromkeys(d.file.path for d in project.unassigned_settings() if d.file.reported)
    return [
        Notification(
            display_path(path, cwd),
            "MLRun settings that belong to no platform system: add a `platform-systems` glob "
            "for this file to the config, so that its system's registry is checked (RL101, "
            "RL301, RL303, and the Secrets it names)",
            Severity.WARNING,
            skipped=False,
        )
        for path in files
    ]


def _project_findings(project: Project, checker: FileChecker) -> tuple[list[Finding], list[Notification]]:
    """The findings of the files loaded with the project: their load problems, their
    document checks and the cross-file checks, decided file by file. A cross-file check
    that fails with no file to pin it on becomes a notification."""
    by_source: dict[SourceFile, list[Problem]] = {}
    failures = []
    for project_check in PROJECT_CHECKS:
        if checker.decider.wanted(project_check.rules):
            for problem in isolated(project_check.name, project_check.run, project, checker.settings, checker.debug):
                if problem.document is None:
                    failures.append(Notification(".", problem.message, Severity.ERROR))
                else:
                    by_source.setdefault(problem.document.file, []).append(problem)
    findings: list[Finding] = []
    for source in project.sources:
        if source.reported:
            problems = [*source.problems, *checker.document_problems(source), *by_source.get(source, ())]
            findings.extend(checker.decider.decide(source, problems))
    return findings, failures
