#!/usr/bin/env python3
"""Rewrite tests/cli_outputs/expected/ from what reglint prints today.

Run it after an intended change to what a command prints (a message, a rule's text, a
report format), then review the diff before committing:

    python tests/cli_outputs/regenerate.py
    git diff tests/cli_outputs/expected

`--examples` or `--corpus` rewrites only that half. Without ../shared/corpus the corpus
half is left as it is.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as pytest imports it

from cli_outputs.cases import (
    CORPUS_CASES,
    CORPUS_CWD,
    EXAMPLE_CASES,
    EXAMPLES_CWD,
    EXPECTED,
    digest,
    run_case,
)


def write_examples() -> None:
    folder = EXPECTED / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        stale.unlink()
    meta = {}
    for case in EXAMPLE_CASES:
        output = run_case(case, EXAMPLES_CWD)
        (folder / f"{case.name}.stdout").write_bytes(output.stdout)
        for name, content in output.written.items() if not case.same_as else ():
            (folder / case.kept_as(name)).write_bytes(content)
        meta[case.name] = {"exit": output.exit_code, "stderr": output.stderr.decode("utf-8")}
        print(f"{case.name}: exit {output.exit_code}")
    (EXPECTED / "examples.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def corpus_summary(json_report: bytes) -> dict[str, object]:
    """What a reviewer can read of the corpus's JSON report: its summary and the
    findings per rule."""
    report = json.loads(json_report)
    rules = Counter(f"{f['rule']} {f['severity']}" for f in report["findings"])
    return {"summary": report["summary"], "findings": dict(sorted(rules.items()))}


def write_corpus() -> None:
    if not CORPUS_CWD.is_dir():
        print(f"no corpus at {CORPUS_CWD}: corpus.json left as it is")
        return
    cases: dict[str, object] = {}
    summary: dict[str, object] = {}
    for case in CORPUS_CASES:
        output = run_case(case, CORPUS_CWD)
        cases[case.name] = {
            "exit": output.exit_code,
            "stdout_sha256": digest(output.stdout),
            "stdout_bytes": len(output.stdout),
            "stderr": output.stderr.decode("utf-8"),
        }
        if case.name == "corpus-json":
            summary = corpus_summary(output.stdout)
        print(f"{case.name}: exit {output.exit_code}, {len(output.stdout)} bytes")
    document = {"json_report": summary, "cases": cases}
    (EXPECTED / "corpus.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if "--corpus" not in argv:
        write_examples()
    if "--examples" not in argv:
        write_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
