"""Coverage-guided fuzzing of reglint with atheris (libFuzzer for Python).

Not a pytest module (its name does not start with `test_`) and atheris is not a test
dependency: install it into the dev venv by hand and run this file, as README.md in this
folder explains. Every input goes down one of four paths, chosen by its first byte:

0. the bytes as a YAML file (`fuzz.yaml`) through the whole run: loading, every check,
   the engine's decisions, then every reporter and the baseline renderer;
1. the same as a JSON file (`fuzz.json`);
2. the rest, decoded as UTF-8, through the registry-reference parser;
3. the rest as a JSON or YAML document through the IAM policy model and evaluator.

A crash is any exception that escapes (loading turns bad input into RL001 findings, so
nothing should), and an RL000 finding: the engine would hide a raising check as RL000,
so the harness turns RL000 back into a crash, after printing the check's frames.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports(include=["reglint"]):
    from reglint.config.settings import Config
    from reglint.decisions.selection import RuleSelection
    from reglint.engine import run as engine_run
    from reglint.engine.run import RunRequest
    from reglint.loading.document import Limits
    from reglint.loading.errors import LoadError
    from reglint.loading.json_loader import load_json
    from reglint.loading.yaml_loader import load_yaml
    from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS
    from reglint.model.iam.evaluation import RepositoryTarget, evaluate_policies
    from reglint.model.iam.policy import Policy
    from reglint.model.reference import InvalidReference, RegistryReference, parse_reference
    from reglint.report import REPORTERS, ReportContext
    from reglint.report.baseline import render_baseline
    from reglint.report.result import RunResult
    from reglint.rule_catalogue import load_catalogue

CATALOGUE = load_catalogue()
SELECTION = RuleSelection.build(CATALOGUE, None, (), {})
CONTEXT = ReportContext(catalogue=CATALOGUE, fail_on="error")
LIMITS = Limits()
# An empty project root: the run reads only the fuzzed bytes (as standard input).
ROOT = Path(tempfile.mkdtemp(prefix="reglint-fuzz-"))
SUFFIXES = (".yaml", ".json")

TARGETS = (
    RepositoryTarget.any(),
    RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/"),
)


class InternalError(Exception):
    """A check raised inside the engine (reported there as RL000)."""


# With --ignore-known, crashes already reported (and not yet fixed) are skipped so that a
# long run can find the next one: add a predicate on the exception per such bug, and
# remove it with the fix. Empty now: the crash found so far (README.md) is fixed.
KNOWN_BUGS: tuple[Callable[[BaseException], bool], ...] = ()
IGNORE_KNOWN = False


def run_file(raw: bytes, suffix: str) -> RunResult:
    """One whole `reglint check` of `raw` named `fuzz<suffix>`, every reporter included."""
    request = RunRequest(
        paths=(),
        root=ROOT,
        cwd=ROOT,
        config=Config(),
        selection=SELECTION,
        stdin_name=ROOT / f"fuzz{suffix}",
        stdin_bytes=raw,
        debug=True,  # the frames of a raising check go to stderr, with the crash
    )
    result = engine_run.run(request, CATALOGUE)
    if result.internal_error:
        messages = [f.message for f in result.findings if f.rule_id == "RL000"]
        raise InternalError("; ".join(messages) or "a project check raised")
    for render in REPORTERS.values():
        render(result, CONTEXT)
    render_baseline(result.active)
    return result


def parse_one_reference(raw: bytes) -> None:
    result = parse_reference(raw.decode("utf-8", "replace"))
    if not isinstance(result, (RegistryReference, InvalidReference)):
        raise TypeError(f"parse_reference returned {type(result).__name__}")
    if isinstance(result, RegistryReference):
        str(result)


def evaluate_policy(raw: bytes) -> None:
    text = raw.decode("utf-8", "replace")
    try:
        parsed = (
            load_json(text, LIMITS) if text.lstrip().startswith("{") else load_yaml(text, LIMITS)
        )
    except LoadError:
        return
    for document in parsed:
        policy = Policy.from_data(document.data)
        for target in TARGETS:
            evaluation = evaluate_policies([policy], ECR_PUSH_ACTIONS, target)
            for verdict in evaluation.verdicts:
                verdict.reason  # noqa: B018 - the message text is part of what is fuzzed
            evaluation.allowed_actions()


def test_one_input(data: bytes) -> None:
    """The libFuzzer target."""
    if not data:
        return
    try:
        _dispatch(data[0] % 4, data[1:])
    except Exception as error:
        if not (IGNORE_KNOWN and any(known(error) for known in KNOWN_BUGS)):
            raise


def _dispatch(mode: int, payload: bytes) -> None:
    if mode < 2:
        run_file(payload, SUFFIXES[mode])
    elif mode == 2:
        parse_one_reference(payload)
    else:
        evaluate_policy(payload)


def write_seed_corpus(directory: Path) -> int:
    """Seed inputs from the repository's examples and schema cases, for every mode."""
    repository = Path(__file__).resolve().parents[2]
    directory.mkdir(parents=True, exist_ok=True)
    sources = sorted(
        path
        for folder in ("examples", "tests/schemas")
        for path in (repository / folder).rglob("*")
        if path.suffix in (".yaml", ".yml", ".json") and not path.name.endswith(".expect.yaml")
    )
    count = 0
    for number, path in enumerate(sources):
        raw = path.read_bytes()
        modes = [1 if path.suffix == ".json" else 0]
        if b"Statement" in raw:
            modes.append(3)
        for mode in modes:
            (directory / f"{mode}-{number:03}-{path.stem}").write_bytes(bytes([mode]) + raw)
            count += 1
    for index, url in enumerate(
        ("123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod", "localhost:5000/a/b",
         "[::1]:443/x", "https://user:pw@Registry.example.com//a?b", "registry/ml")
    ):  # fmt: skip
        (directory / f"2-url{index}").write_bytes(b"\x02" + url.encode())
        count += 1
    return count


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--make-corpus", type=Path)
    parser.add_argument("--ignore-known", action="store_true")
    known, rest = parser.parse_known_args(argv[1:])
    global IGNORE_KNOWN
    IGNORE_KNOWN = known.ignore_known
    if known.make_corpus is not None:
        print(f"wrote {write_seed_corpus(known.make_corpus)} seeds to {known.make_corpus}")
        return
    args: Any = [argv[0], *rest]
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
