"""`reglint check` behind the command line: build config, selection and request, run
the engine, write the report, and return the exit code (check-jsonschema's `execute`)."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import NamedTuple

import click

from reglint import GC_THRESHOLDS
from reglint.baseline import Baseline, BaselineError, write_baseline
from reglint.catalogue import UnknownRuleError, load_catalogue
from reglint.config import ConfigError, discover_config, load_config
from reglint.discovery import find_project_root
from reglint.engine import RunRequest, run
from reglint.report import REPORTERS, ReportContext
from reglint.report.text import statistics_table
from reglint.selection import RuleSelection


class CheckOptions(NamedTuple):
    paths: tuple[str, ...]
    output_format: str = "text"
    output: Path | None = None
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


def _fail(message: str) -> int:
    click.echo(f"reglint: error: {message}", err=True)
    return 2


def execute(options: CheckOptions) -> int:
    """Run a check and return its exit code (0, 1 or 2)."""
    # A lint run builds many small, long-lived objects and few cycles: the cyclic
    # collector would walk the same live graph over and over. Freeze what imports built
    # and collect rarely (a profile of 10k policies spent a third of its time in gc).
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    cwd = Path.cwd()
    # Absolute and normalised (`a/../b` -> `b`), symlinks kept: the project's own view.
    paths = tuple(Path("-") if p == "-" else Path(os.path.normpath(cwd / p)) for p in options.paths)
    for path, given in zip(paths, options.paths):
        if path != Path("-") and not os_lexists(path):
            return _fail(f"path does not exist: {given}")
    if options.config_file is not None and not options.config_file.is_file():
        return _fail(f"config file does not exist: {options.config_file}")
    stdin_name = cwd / (options.stdin_filename or "stdin")
    first = next((p for p in paths if p != Path("-")), stdin_name)
    try:
        config = load_config(options.config_file or discover_config(cwd))
        catalogue = load_catalogue()
        select = options.select if options.select is not None else config.select
        selection = RuleSelection.build(
            catalogue, select, config.ignore + options.ignore, config.severity
        )
        baseline = Baseline.read(options.baseline) if options.baseline is not None else None
    except (ConfigError, UnknownRuleError, BaselineError) as exc:
        return _fail(str(exc))
    request = RunRequest(
        paths=paths,
        root=find_project_root(first.absolute()),
        cwd=cwd,
        config=config,
        selection=selection,
        stdin_name=stdin_name if Path("-") in paths else None,
        stdin_bytes=sys.stdin.buffer.read() if Path("-") in paths else None,
        baseline=baseline,
        debug=options.debug,
        jobs=options.jobs,
    )
    result = run(request, catalogue)
    fail_on = options.fail_on or config.fail_on
    context = ReportContext(
        catalogue=catalogue, fail_on=fail_on, color=options.color, statistics=options.statistics
    )
    report = REPORTERS[options.output_format](result, context)
    # Each target is named as the user gave it (never the temporary file beside it), and
    # neither follows a symbolic link of the repository out of the project root.
    target = options.output
    try:
        if options.output is not None:
            from reglint.output import write_atomically  # tempfile (~6 ms): only when asked

            write_atomically(options.output, report, request.root)
        target = options.write_baseline
        if options.write_baseline is not None:
            write_baseline(options.write_baseline, result.active, request.root)
    except OSError as exc:
        return _fail(f"cannot write {target}: {exc.strerror or exc}")
    if options.output is None:
        click.echo(report, nl=False)
    if options.statistics and options.output_format != "text":
        click.echo(statistics_table(result), err=True, nl=False)
    for note in result.notifications:
        click.echo(f"reglint: {note.path}: {note.message}", err=True)
    if result.internal_error:
        click.echo(
            "reglint: an internal error occurred (RL000); please report it — run with --debug "
            "for the traceback",
            err=True,
        )
    if options.write_baseline is not None and not result.internal_error:
        return 0  # recording today's findings is a success
    return result.exit_code(fail_on)


def os_lexists(path: Path) -> bool:
    """True for anything at `path`, a dangling or looping symlink included (those get RL001)."""
    return os.path.lexists(path)
