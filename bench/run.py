"""reglint's benchmark: whole processes side by side, written up in bench/RESULTS.md.

    .venv/bin/python bench/run.py            # reglint vs the floor, every case (~5 min)
    .venv/bin/python bench/run.py --peers    # and parliament, check-jsonschema, cfn-lint, checkov
    .venv/bin/python bench/run.py --quick    # a smoke run: fewer rounds (~2 min; ~5 with --peers)

Run it with the interpreter of reglint's dev venv: reglint is that venv's `reglint`
script, and the floor and the peer venvs use the same Python. The corpus is generated
first (bench/generate.py; idempotent). In each case every contender runs once untimed,
then the contenders take turns, round after round, each round starting one contender
later (A B C, B C A, …), so a slow minute on the machine hits every contender alike.
Figures are medians; a ratio is the median of the per-round ratios (pair by pair).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

import measure
import peers
from cases import CASE_NAMES, QUICK_ROUNDS, ROUNDS, Case, Contender, build_cases, contenders
from generate import generate
from layout import OUT, RESULTS
from outcome import Outcome
from report import versions, write_results


def run_one(contender: Contender, log: Path, gnu_time: bool) -> measure.Sample:
    """One timed run; a contender with a `fresh` folder (a cold cache) gets it emptied first."""
    if contender.fresh is not None:
        shutil.rmtree(contender.fresh, ignore_errors=True)
    return measure.run(contender.argv, contender.cwd, log, gnu_time, contender.env)


def run_case(case: Case, rounds: int, with_peers: bool, gnu_time: bool) -> dict[str, Outcome]:
    entrants = contenders(case, with_peers)
    outcomes = {c.name: Outcome(c) for c in entrants}
    logs = OUT / "logs" / case.name
    print(f"\n== {case.name}: {case.title} ({rounds} rounds)", flush=True)
    for contender in entrants:  # every contender, peers too: page cache, .pyc files
        sample = run_one(contender, logs / contender.name, gnu_time)
        outcomes[contender.name].warmup = sample
        print(
            f"   warm-up {contender.name:<17} {sample.wall:7.3f} s  exit {sample.exit_code}"
            f"{'  CRASHED' if sample.crashed else ''}",
            flush=True,
        )
    for index in range(rounds):  # every contender runs in every round
        shift = index % len(entrants)
        order = entrants[shift:] + entrants[:shift]
        line = []
        for contender in order:
            sample = run_one(contender, logs / contender.name, gnu_time)
            outcomes[contender.name].rounds[index] = sample
            line.append(f"{contender.name} {sample.wall:.3f}")
        print(f"   round {index + 1}: " + ", ".join(line), flush=True)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also run parliament, check-jsonschema, cfn-lint and checkov (own venvs)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer rounds: a smoke run, not figures to quote"
    )
    parser.add_argument(
        "--cases", help="comma-separated case names (default: all): " + ", ".join(CASE_NAMES)
    )
    parser.add_argument("--rounds", type=int, help="rounds per case, overriding the defaults")
    parser.add_argument(
        "--output",
        help="where to write the results (default: bench/RESULTS.md for a full run, "
        "bench/out/RESULTS.partial.md with --quick, --cases or --rounds)",
    )
    args = parser.parse_args()
    selected = set(args.cases.split(",")) if args.cases else None
    unknown = (selected or set()) - set(CASE_NAMES)
    if unknown:
        sys.exit(
            f"run: unknown case(s): {', '.join(sorted(unknown))}; known: {', '.join(CASE_NAMES)}"
        )
    partial = bool(args.quick or args.cases or args.rounds)
    # Only a full run replaces the committed RESULTS.md, unless told otherwise.
    output = Path(args.output or (OUT / "RESULTS.partial.md" if partial else RESULTS))
    raw_path = OUT / f"{output.stem}.json"

    started = time.perf_counter()
    load_at_start = os.getloadavg()
    if load_at_start[0] > 0.5 * (os.cpu_count() or 1):
        print(
            f"run: load average {load_at_start[0]:.2f}: something else is running; "
            "the figures will be noisier (RESULTS.md records the load)",
            flush=True,
        )
    corpus = generate(quiet=False)
    parallelism = measure.parallel_capacity()
    gnu_time = measure.gnu_time_available()
    if not gnu_time:
        print(
            "run: GNU time not found (Debian: apt-get install time); peak RSS comes from os.wait4",
            flush=True,
        )
    if args.peers:
        for peer in peers.PEERS.values():
            peers.ensure(peer)
    version_rows = versions(args.peers)
    all_cases = build_cases()
    results: dict[str, dict[str, Outcome]] = {}
    for case in all_cases:
        if selected and case.name not in selected:
            continue
        rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)[case.weight]
        results[case.name] = run_case(case, rounds, args.peers, gnu_time)
    elapsed = time.perf_counter() - started
    raw = {
        case: {
            name: {
                "argv": list(o.contender.argv),
                "cwd": str(o.contender.cwd),
                "warmup": asdict(o.warmup) if o.warmup else None,
                "rounds": {str(i): asdict(s) for i, s in o.rounds.items()},
            }
            for name, o in outcomes.items()
        }
        for case, outcomes in results.items()
    }
    raw_path.write_text(json.dumps(raw, indent=1) + "\n")
    invocation = (
        "python bench/run.py"
        + (" --peers" if args.peers else "")
        + (" --quick" if args.quick else "")
        + (f" --cases {args.cases}" if args.cases else "")
        + (f" --rounds {args.rounds}" if args.rounds else "")
    )
    write_results(
        str(output),
        results,
        all_cases,
        corpus,
        invocation,
        elapsed,
        gnu_time,
        version_rows,
        load_at_start,
        parallelism,
    )
    print(
        f"\nrun: wrote {output} and {raw_path} in {elapsed / 60:.1f} min",
        flush=True,
    )


if __name__ == "__main__":
    main()
