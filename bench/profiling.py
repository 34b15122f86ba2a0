"""Profile one reglint run over a benchmark case: where does the time go?

    .venv/bin/python bench/profiling.py mixed                 # pyinstrument call tree (or cProfile)
    .venv/bin/python bench/profiling.py mixed --html          # also bench/out/profiles/mixed.html
    .venv/bin/python bench/profiling.py precommit-small --importtime   # import costs, biggest first

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

from cases import Case, build_cases
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
    cases = {case.name: case for case in build_cases()}
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("case", choices=sorted(cases))
    parser.add_argument(
        "--html", action="store_true", help="also write an HTML profile (pyinstrument)"
    )
    parser.add_argument(
        "--cprofile", action="store_true", help="use cProfile even when pyinstrument is installed"
    )
    parser.add_argument(
        "--importtime", action="store_true", help="show import costs instead of a profile"
    )
    parser.add_argument("--top", type=int, default=40, help="rows to show (cProfile, --importtime)")
    args = parser.parse_args()
    case = cases[args.case]
    if not case.cwd.exists():
        sys.exit(f"profile: {case.cwd} does not exist; run bench/generate.py first")
    if args.importtime:
        import_times(case, args.top)
        return
    os.chdir(case.cwd)
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
