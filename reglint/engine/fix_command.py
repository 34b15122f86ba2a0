"""`check --fix`, `--diff` and `--add-ignore` between the run and the report: the fixes
made in memory (fixing.py, add_ignore.py), then shown as a diff or written, and what the
command prints besides its report."""

from __future__ import annotations

import sys
from typing import NamedTuple

import click

from reglint.engine.add_ignore import IgnoreOutcome
from reglint.engine.run import RunRequest
from reglint.report.escape import echo_error
from reglint.report.result import RunResult
from reglint.rule_catalogue import Catalogue


class FixedRun(NamedTuple):
    """What the fixes left for the command to report."""

    result: RunResult  # the run over the fixed contents
    exit_code: int | None = None  # set when nothing is left to report (--diff)
    report_to_stderr: bool = False  # stdout holds the fixed document of '-'
    errors: tuple[str, ...] = ()  # files that could not be written
    ignored: IgnoreOutcome | None = None
    commented_files: int = 0  # files --add-ignore wrote comments into


def fix_files(
    request: RunRequest, catalogue: Catalogue, *, diff: bool, fix: bool, unsafe: bool, add_ignore: str | None
) -> FixedRun:
    """Fix (or diff, or add ignore comments) and write the files; the run to report."""
    from reglint.engine.fix_output import diff_text, write_changes
    from reglint.engine.fixing import fix_run

    outcome = fix_run(request, catalogue, unsafe) if fix or diff else None
    if diff:
        assert outcome is not None
        click.echo(diff_text(outcome.changed, outcome.original, outcome.secret_lines, request.cwd), nl=False)
        code = 2 if outcome.result.internal_error else (1 if outcome.changed else 0)
        notify(outcome.result)
        return FixedRun(outcome.result, exit_code=code)
    changed = {} if outcome is None else outcome.changed
    original = {} if outcome is None else outcome.original
    result = None if outcome is None else outcome.result
    ignored = None
    if add_ignore is not None:
        from reglint.engine.add_ignore import add_ignores

        ignored = add_ignores(request, catalogue, add_ignore, outcome)
        changed, original, result = ignored.changed, ignored.original, ignored.result
    assert result is not None
    stdin_name = request.stdin_name
    limits = request.config.limits
    errors = write_changes(changed, original, request.root, request.cwd, limits, skip=stdin_name)
    if stdin_name is not None and request.stdin_bytes is not None:
        # An editor's buffer: the fixed document on stdout, the report on stderr.
        sys.stdout.buffer.write(changed.get(stdin_name, request.stdin_bytes))
        sys.stdout.flush()
    commented = sum(1 for path in changed if outcome is None or path not in outcome.changed)
    return FixedRun(result, None, stdin_name is not None, tuple(errors), ignored, commented)


def finish(fixed: FixedRun, code: int) -> int:
    """Print what the fixes add to the report (write errors, --add-ignore's entries and
    count); the command's exit code."""
    for error in fixed.errors:
        echo_error(f"reglint: {error}")
    ignored = fixed.ignored
    if ignored is not None:
        from reglint.engine.add_ignore import suppressions_text

        if ignored.entries:
            click.echo(suppressions_text(ignored.entries), nl=False)
        comments, files = ignored.comments, fixed.commented_files
        line = f"reglint: added {comments} ignore comment{'' if comments == 1 else 's'} to {files} file{'' if files == 1 else 's'}"
        if ignored.entries:
            line += f"; {len(ignored.entries)} config suppressions printed for JSON files"
        click.echo(line, err=True)
        code = 2 if fixed.result.internal_error else 0  # adopting reglint is a success
    return 2 if fixed.errors else code


def notify(result: RunResult) -> None:
    """The run's notifications on stderr (as the report's own path prints them)."""
    for note in result.notifications:
        echo_error(f"reglint: {note.path}: {note.message}")
    if result.internal_error:
        click.echo(
            "reglint: an internal error occurred (RL000); please report it — run with --debug "
            "for the traceback",
            err=True,
        )
