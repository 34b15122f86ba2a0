"""Where a run's reports go: `--format FMT[=FILE]`, repeatable, and `--output FILE`.

One run can write several reports (`--format text --format sarif=reglint.sarif`): each
`FMT=FILE` is written to FILE, atomically and never through a symbolic link out of the
project root (write.py); the one `FMT` without a file, if any, goes to standard output.
`--output FILE` is the older spelling for one report, and sends it to FILE.

Every command that reports findings (`reglint check`, `reglint aws verify`) reads its
options through `parse_target` and `plan_targets`, and writes through `write_reports`:
the same rules and the same errors for all. A bad combination is a `ReportTargetError`,
one line that the command line shows as a usage error (exit 2) before anything runs:
two reports on standard output, `--output` beside a `FMT=FILE`, two reports to one
file, or a report over a file the run reads or records (`--baseline`,
`--write-baseline`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reglint.report import REPORTERS

if TYPE_CHECKING:
    from reglint.report import ReportContext
    from reglint.report.result import RunResult


class ReportTargetError(ValueError):
    """A `--format`/`--output` value or combination that cannot be honoured (one line)."""


@dataclass(frozen=True, slots=True)
class ReportTarget:
    """One report of a run: its format, and the file it goes to (None: standard output)."""

    format: str
    path: Path | None = None
    spelling: str = field(default="", compare=False)  # the `--format` value as given

    def __str__(self) -> str:
        """As the user spelled it (`sarif=./reglint.sarif`), for messages."""
        if self.spelling:
            return self.spelling
        return self.format if self.path is None else f"{self.format}={self.path}"


def parse_target(value: str) -> ReportTarget:
    """One `--format` value: `FMT` (standard output) or `FMT=FILE`. The file is all
    after the first `=` (a format name never holds one)."""
    name, equals, file = value.partition("=")
    if name not in REPORTERS:
        known = ", ".join(repr(known) for known in REPORTERS)
        raise ReportTargetError(f"{name!r} is not one of {known}.")
    if equals and not file:
        raise ReportTargetError(f"no file after '=' in {value!r}")
    return ReportTarget(name, Path(file) if equals else None, value)


def plan_targets(
    targets: Sequence[ReportTarget],
    output: Path | None,
    cwd: Path,
    *,
    reserved: Mapping[str, Path | None] | None = None,
) -> tuple[ReportTarget, ...]:
    """The reports a run writes, in the order given: the text report on standard output
    when none is named; `output` (`--output`) sends the one report to that file.
    `reserved` names the files the run reads or records by option (`--baseline`), which
    no report may replace. Raises ReportTargetError for a bad combination."""
    planned = tuple(targets) or (ReportTarget("text"),)
    on_stdout = [target for target in planned if target.path is None]
    if output is not None and len(on_stdout) < len(planned):
        raise ReportTargetError(
            "--output cannot be combined with --format FORMAT=FILE: name each report's file in its --format"
        )
    if len(on_stdout) > 1:
        first, second = on_stdout[:2]
        raise ReportTargetError(
            f"--format {first} and --format {second} both write to standard output: "
            f"give all but one a file (--format {second}=FILE)"
        )
    if output is not None:
        planned = (ReportTarget(planned[0].format, output, f"{planned[0].format} --output {output}"),)
    _refuse_shared_files(planned, cwd, reserved or {})
    return planned


def _refuse_shared_files(targets: Sequence[ReportTarget], cwd: Path, reserved: Mapping[str, Path | None]) -> None:
    """Two names of one file (`r`, `./r`, `sub/../r`, a linked folder) are one file."""
    seen: dict[str, str] = {}
    for option, path in reserved.items():
        if path is not None:
            seen.setdefault(_identity(path, cwd), f"{option} {path}")
    for target in targets:
        if target.path is None:
            continue
        key = _identity(target.path, cwd)
        if key in seen:
            named = seen[key]
            if named.startswith("--format "):
                raise ReportTargetError(f"{named} and --format {target} write to the same file")
            raise ReportTargetError(f"--format {target} and {named} name the same file")
        seen[key] = f"--format {target}"


def _identity(path: Path, cwd: Path) -> str:
    # realpath: links resolved as far as they exist, `..` applied after them (as the
    # kernel does); a file that does not exist yet keeps its normalised name.
    return os.path.realpath(cwd / path)


def file_targets(targets: Sequence[ReportTarget]) -> tuple[Path, ...]:
    """The files the reports go to (the run must not read them as input)."""
    return tuple(target.path for target in targets if target.path is not None)


def write_reports(
    result: RunResult,
    context: ReportContext,
    targets: Sequence[ReportTarget],
    root: Path,
    *,
    to_stdout: bool = True,
    to_stderr: bool = False,
) -> list[str]:
    """Render each report once per format, write each file atomically (never through a
    link out of `root`), then print the report for standard output, if any and if
    `to_stdout` (on standard error instead with `to_stderr`: `check --fix -` prints the
    fixed document on standard output). Colour (`context.color`) is for standard output
    only. Returns one line per file that could not be written (`cannot write FILE:
    reason`); the others are written all the same."""
    rendered: dict[tuple[str, bool], str] = {}

    def report(target: ReportTarget) -> str:
        color = context.color and target.path is None
        key = (target.format, color)
        if key not in rendered:
            rendered[key] = REPORTERS[target.format](result, context._replace(color=color))
        return rendered[key]

    failures = []
    for target in targets:
        if target.path is None:
            continue
        # Imported only when a file is written: tempfile is slow to import.
        from reglint.report.write import write_atomically

        try:
            write_atomically(target.path, report(target), root)
        except OSError as exc:
            # Named as the user gave it, never as the temporary file beside it.
            failures.append(f"cannot write {target.path}: {exc.strerror or exc}")
    if to_stdout:
        for target in targets:
            if target.path is None:
                import click

                click.echo(report(target), nl=False, err=to_stderr)
    return failures


def text_report_written(targets: Sequence[ReportTarget], to_stdout: bool = True) -> bool:
    """True when a text report is among what is written (it holds `--statistics`)."""
    return any(t.format == "text" and (t.path is not None or to_stdout) for t in targets)
