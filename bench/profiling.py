"""Profile one reglint run over a benchmark case: where does the time go?

    .venv/bin/python bench/profiling.py mixed                 # pyinstrument call tree (or cProfile)
    .venv/bin/python bench/profiling.py mixed --html          # also bench/out/profiles/mixed.html
    .venv/bin/python bench/profiling.py precommit-small --importtime   # import costs, biggest first
    .venv/bin/python bench/profiling.py mixed --phases        # wall time per phase and per check

The run happens in this process (`reglint.cli.main`) from the case's folder, with
reglint imported inside the profiled region, so import costs show up as they do on
the command line; only the interpreter's own start is missing. pyinstrument is a
development tool, not a reglint dependency: `.venv/bin/pip install pyinstrument`;
without it the profile comes from cProfile (top functions by cumulative time, and a
.prof file for snakeviz or pstats). Generate the corpus first (bench/generate.py or
bench/run.py).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import subprocess
import sys

from cases import CASE_NAMES, Case, build_cases
from layout import OUT


def run_reglint(case: Case) -> int:
    from reglint.cli import main  # imported here: its import cost is part of the profile

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(list(case.reglint_args))
        except SystemExit as done:
            return int(done.code or 0)
    return 0


def with_pyinstrument(case: Case, html: bool) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    code = run_reglint(case)
    profiler.stop()
    print(f"profile: reglint {' '.join(case.reglint_args)} in {case.cwd} (exit {code})\n")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if html:
        target = OUT / "profiles" / f"{case.name}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(profiler.output_html())
        print(f"profile: wrote {target}")


def with_cprofile(case: Case, top: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    code = profiler.runcall(run_reglint, case)
    target = OUT / "profiles" / f"{case.name}.prof"
    target.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(str(target))
    print(
        f"profile: reglint {' '.join(case.reglint_args)} in {case.cwd} (exit {code}); stats in {target}\n"
    )
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def phases(case: Case) -> None:
    """Wall time of one run's phases and of each check, without a profiler's overhead:
    start-up imports, loading the project, each check (summed over documents), the
    Decider, and the rest (walk, sniff, the independent files' loading, the report).
    Runs with `--jobs 1`, so every file is timed in this process."""
    import collections
    import time

    started = time.perf_counter()
    import reglint.cli
    import reglint.decisions.decider
    import reglint.engine.check_command
    import reglint.engine.file_check
    import reglint.engine.run

    imported = time.perf_counter()
    spent: dict[str, float] = collections.defaultdict(float)
    isolated = reglint.engine.file_check.isolated

    def timed_check(name: str, *args: object) -> object:
        begun = time.perf_counter()
        try:
            return isolated(name, *args)  # type: ignore[arg-type]
        finally:
            spent[f"check {name}"] += time.perf_counter() - begun

    decide = reglint.decisions.decider.Decider.decide

    def timed_decide(self: object, source: object, problems: object) -> object:
        problems = list(problems)  # type: ignore[call-overload]
        begun = time.perf_counter()
        try:
            return decide(self, source, problems)  # type: ignore[arg-type]
        finally:
            spent["decide (positions, fingerprints, suppressions)"] += time.perf_counter() - begun

    load_project = reglint.engine.run.load_project  # type: ignore[attr-defined]

    def timed_load(*args: object) -> object:
        begun = time.perf_counter()
        try:
            return load_project(*args)  # type: ignore[arg-type]
        finally:
            spent["load the project (walk, sniff, parse manifests and linked policies)"] += time.perf_counter() - begun

    reglint.engine.file_check.isolated = timed_check  # type: ignore[assignment]
    reglint.engine.run.isolated = timed_check  # type: ignore[attr-defined,assignment]
    reglint.decisions.decider.Decider.decide = timed_decide  # type: ignore[assignment,method-assign]
    reglint.engine.run.load_project = timed_load  # type: ignore[attr-defined,assignment]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            reglint.cli.main([*case.reglint_args, "--jobs", "1"])
        except SystemExit:
            pass
    finished = time.perf_counter()
    run = finished - imported
    print(f"phases of `reglint {' '.join(case.reglint_args)} --jobs 1` (ms, wall time):\n")
    print(f"{(imported - started) * 1000:8.0f}  imports (after the interpreter's own start)")
    print(f"{run * 1000:8.0f}  the run, of which:")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        if seconds >= 0.0005:
            print(f"{seconds * 1000:10.0f}  {name}")
    rest = run - sum(spent.values())
    print(f"{rest * 1000:10.0f}  the rest: config, catalogue, independent files' reading and parsing, report")


def import_times(case: Case, top: int) -> None:
    """`python -X importtime -m reglint …`, summed up: the costliest imports first."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reglint", *case.reglint_args],
        cwd=case.cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if found:
            rows.append(
                (int(found.group(2)), int(found.group(1)), len(found.group(3)) // 2, found.group(4))
            )
    total = sum(self_us for _, self_us, _, _ in rows)
    print(
        f"imports of `reglint {' '.join(case.reglint_args)}`: {len(rows)} modules, {total / 1000:.0f} ms in all\n"
    )
    print(f"{'cumulative ms':>13} {'self ms':>8}  module (top level ones marked *)")
    for cumulative, self_us, depth, name in sorted(rows, reverse=True)[:top]:
        print(
            f"{cumulative / 1000:13.1f} {self_us / 1000:8.1f}  {'*' if depth == 0 else ' '} {name}"
        )
    # Self times summed per package: what each package costs at the margin, since a
    # module shared by two packages is counted once, for whichever imported it first.
    packages: dict[str, int] = {}
    for _, self_us, _, name in rows:
        package = name.split(".")[0]
        packages[package] = packages.get(package, 0) + self_us
    print(
        f"\n{'self ms':>8}  by package (the stdlib modules each package pulls in first count as stdlib)"
    )
    for package, self_us in sorted(packages.items(), key=lambda item: -item[1])[:15]:
        print(f"{self_us / 1000:8.1f}  {package}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("case", choices=CASE_NAMES)
    parser.add_argument(
        "--html", action="store_true", help="also write an HTML profile (pyinstrument)"
    )
    parser.add_argument(
        "--cprofile", action="store_true", help="use cProfile even when pyinstrument is installed"
    )
    parser.add_argument(
        "--importtime", action="store_true", help="show import costs instead of a profile"
    )
    parser.add_argument(
        "--phases", action="store_true", help="wall time per phase and per check, no profiler"
    )
    parser.add_argument("--top", type=int, default=40, help="rows to show (cProfile, --importtime)")
    args = parser.parse_args()
    case = {case.name: case for case in build_cases()}[args.case]
    if not case.cwd.exists():
        sys.exit(f"profile: {case.cwd} does not exist; run bench/generate.py first")
    if args.importtime:
        import_times(case, args.top)
        return
    os.chdir(case.cwd)
    if args.phases:
        phases(case)
        return
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        args.cprofile = True
        print(
            "profile: pyinstrument is not installed (.venv/bin/pip install pyinstrument); using cProfile\n"
        )
    if args.cprofile:
        with_cprofile(case, args.top)
    else:
        with_pyinstrument(case, args.html)


if __name__ == "__main__":
    main()
