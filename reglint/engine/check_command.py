"""`reglint check` behind the command line: build config, selection and request, run
the engine, write the report, and return the exit code (check-jsonschema's `execute`)."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import click

from reglint import GC_THRESHOLDS
from reglint.config.files import ConfigError, discover_config, refusal, shown_path
from reglint.config.settings import Config, load_config
from reglint.decisions.baseline import Baseline, BaselineError
from reglint.decisions.selection import RuleSelection
from reglint.engine.run import RunRequest, run
from reglint.project import find_project_root
from reglint.report import ReportContext
from reglint.report.escape import echo_error
from reglint.report.result import RunResult
from reglint.report.targets import ReportTarget, file_targets, text_report_written, write_reports
from reglint.report.text import statistics_table
from reglint.rule_catalogue import Catalogue, UnknownRuleError, load_catalogue

if TYPE_CHECKING:
    from reglint.engine.fix_command import FixedRun


class CheckOptions(NamedTuple):
    paths: tuple[str, ...]
    reports: tuple[ReportTarget, ...] = (ReportTarget("text"),)  # report/targets.py
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    config_file: Path | None = None
    stdin_filename: str | None = None
    color: bool = False
    debug: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    jobs: int | None = None
    statistics: bool = False
    isolated: bool = False  # ignore every config file (CI owners pin theirs with --config)
    fix: bool = False  # --fix: apply the fixes (SPEC §6.5; engine/fix_command.py)
    diff: bool = False  # --diff: print what --fix would change, write nothing
    unsafe_fixes: bool = False  # with --fix/--diff: also the fixes that change meaning
    add_ignore: str | None = None  # --add-ignore REASON: ignore comments for what remains
    verbose: bool = False  # -v: list the files counted as skipped, with the reason


def _fail(message: str) -> int:
    echo_error(f"reglint: error: {message}")
    return 2


def execute(options: CheckOptions) -> int:
    """Run a check and return its exit code (0, 1 or 2)."""
    # A lint run builds many small, long-lived objects and few cycles: the cyclic
    # collector would walk the same live graph over and over. Freeze what imports built
    # and collect rarely (docs/measurements.md).
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    prepared = prepare(options)
    if isinstance(prepared, int):
        return prepared
    if options.fix or options.diff or options.add_ignore is not None:
        from reglint.engine.fix_command import fix_files

        fixed = fix_files(
            prepared.request, prepared.catalogue, diff=options.diff, fix=options.fix,
            unsafe=options.unsafe_fixes, add_ignore=options.add_ignore,
        )
        if fixed.exit_code is not None:  # --diff: the diff was the output
            return fixed.exit_code
        return finish(options, prepared, fixed.result, fixed)
    result = run(prepared.request, prepared.catalogue)
    result.unsafe_fixes = options.unsafe_fixes
    return finish(options, prepared, result)


class Prepared(NamedTuple):
    """What a run of the options needs: the request, the rules, the configuration."""

    request: RunRequest
    catalogue: Catalogue
    config: Config


def prepare(options: CheckOptions) -> Prepared | int:
    """The run the options ask for, or the exit code of a usage or config error (its
    line printed): paths, project root, config, rule selection, baseline, stdin."""
    cwd = Path.cwd()
    # Absolute and normalised (`a/../b` -> `b`), symlinks kept: the project's own view.
    paths = tuple(Path("-") if p == "-" else Path(os.path.normpath(cwd / p)) for p in options.paths)
    for path, given in zip(paths, options.paths):
        if path != Path("-") and not os_lexists(path):
            return _fail(f"path does not exist: {given}")
    reads_stdin = Path("-") in paths
    if options.stdin_filename is not None and not reads_stdin:
        return _fail("--stdin-filename names standard input: give '-' among the paths")
    if options.config_file is not None and not os_lexists(options.config_file):
        return _fail(f"config file does not exist: {options.config_file}")
    if options.diff and options.reports != (ReportTarget("text"),):
        # --diff's output is the diff: a report asked for would silently not be written.
        return _fail("--diff prints a diff and no report: it takes no --format or --output")
    if options.add_ignore is not None:
        from reglint.engine.add_ignore import usage_problem

        refused = usage_problem(options.add_ignore, reads_stdin, options.diff)
        if refused is not None:
            return _fail(refused)
    stdin_name = Path(os.path.normpath(cwd / (options.stdin_filename or "stdin")))
    first = next((p for p in paths if p != Path("-")), stdin_name)
    root = find_project_root(first, configs=not options.isolated)
    try:
        config = _config(options, root, cwd)
        catalogue = load_catalogue()
        select = options.select if options.select is not None else config.select
        selection = RuleSelection.build(
            catalogue, select, config.ignore + options.ignore, config.severity
        )
        baseline = Baseline.read(options.baseline, root) if options.baseline is not None else None
    except (ConfigError, UnknownRuleError, BaselineError) as exc:
        return _fail(str(exc))
    try:
        stdin_bytes = _read_stdin(config.max_file_size) if reads_stdin else None
    except OSError as exc:
        return _fail(f"cannot read standard input: {exc.strerror or exc.__class__.__name__}")
    own_files = (options.baseline, options.write_baseline, *file_targets(options.reports))
    request = RunRequest(
        paths=paths,
        root=root,
        cwd=cwd,
        config=config,
        selection=selection,
        stdin_name=stdin_name if reads_stdin else None,
        stdin_bytes=stdin_bytes,
        baseline=baseline,
        debug=options.debug,
        jobs=options.jobs,
        stdin_alone=options.stdin_filename is None,
        own_files=frozenset(Path(os.path.normpath(cwd / p)) for p in own_files if p is not None),
        render_fixes=any(t.format in ("json", "sarif") for t in options.reports),  # they carry each fix
    )
    return Prepared(request, catalogue, config)


def finish(
    options: CheckOptions, prepared: Prepared, result: RunResult, fixed: FixedRun | None = None
) -> int:
    """Report a run's result as the options say — format, `--output`, `--write-baseline`,
    statistics, notifications — and return its exit code: the one output path of every
    command that reports findings (`check`, `aws verify`). After `--fix` or
    `--add-ignore` (`fixed`), the result is the run after fixing: what remains."""
    request, catalogue, config = prepared
    fail_on = options.fail_on or config.fail_on
    context = ReportContext(
        catalogue=catalogue, fail_on=fail_on, color=options.color, statistics=options.statistics
    )
    # --write-baseline records the findings instead of reporting them on standard output,
    # and --add-ignore prints config entries there instead; the reports that have a file
    # are still written. Each file is named as the user gave it (never the temporary file
    # beside it), and none follows a symbolic link of the repository out of the project
    # root. With --fix of '-', standard output holds the fixed document: the report that
    # would go there goes to standard error.
    to_stdout = options.write_baseline is None and options.add_ignore is None
    to_stderr = fixed is not None and fixed.report_to_stderr
    failures = write_reports(
        result, context, options.reports, request.root, to_stdout=to_stdout, to_stderr=to_stderr
    )
    for failure in failures:
        _fail(failure)
    if failures:
        return 2
    if options.write_baseline is not None:
        from reglint.report.baseline import write_baseline  # only a run that records one

        try:
            write_baseline(options.write_baseline, result.active, request.root)
        except OSError as exc:
            return _fail(f"cannot write {options.write_baseline}: {exc.strerror or exc}")
    if options.statistics and not text_report_written(options.reports, to_stdout):
        click.echo(statistics_table(result), err=True, nl=False)
    for note in result.notifications:
        echo_error(f"reglint: {note.path}: {note.message}")
    if options.verbose:
        for shown, reason in result.skipped_files:
            echo_error(f"reglint: {shown}: skipped: {reason}")
    if result.internal_error:
        click.echo(
            "reglint: an internal error occurred (RL000); please report it — run with --debug "
            "for the traceback",
            err=True,
        )
    if options.write_baseline is not None:
        # On stderr, as ruff says "Added N noqa directives": stdout stays the report's.
        entries = len(result.active)
        noun = "entry" if entries == 1 else "entries"
        click.echo(f"reglint: wrote {entries} {noun} to {options.write_baseline}", err=True)
        if not result.internal_error:
            return 0  # recording today's findings is a success
    if fixed is not None:
        from reglint.engine.fix_command import finish as finish_fixes

        return finish_fixes(fixed, result.exit_code(fail_on))
    return result.exit_code(fail_on)


def _config(options: CheckOptions, root: Path, cwd: Path) -> Config:
    """SPEC §6.6: `--config` wins; else, unless `--isolated`, the nearest config at or
    above the project root, else at or above the current folder. A discovered config
    that links outside its folder is refused with a one-line notice (defaults apply)."""
    if options.config_file is not None:
        return load_config(options.config_file)
    found = None if options.isolated else discover_config(root, cwd)
    refused = refusal(found) if found is not None else None
    if found is not None and refused is not None:
        click.echo(f"reglint: {shown_path(found)}: {refused}", err=True)
        found = None
    return load_config(found)


def _read_stdin(limit: int) -> bytes:
    """At most `limit + 1` bytes of standard input: one more than the limit tells the
    loader that it is too large (RL001), and the rest is never read."""
    stream = sys.stdin.buffer if sys.stdin is not None else None
    return stream.read(limit + 1) if stream is not None else b""


def os_lexists(path: Path) -> bool:
    """True for anything at `path`, a dangling or looping symlink included (those get RL001)."""
    return os.path.lexists(path)
