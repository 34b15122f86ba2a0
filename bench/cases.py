"""The benchmark cases: what runs side by side, where, and which target each one feeds.

A case is a folder and a set of *contenders* — whole processes run from that folder:
reglint, the floor (bench/floor.py over the same files) and, with `--peers`, the
other tools that do part of reglint's job. Commands are built here once, so run.py,
profiling.py and RESULTS.md all show the same argv.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layout import AWS_MANAGED, BENCH, IAC_NAMED, MANIFEST_SCHEMA, OUT, VENVS


@dataclass(frozen=True, slots=True)
class Contender:
    name: str  # "reglint", "floor", or a peer's name
    argv: tuple[str, ...]
    cwd: Path
    peer: str | None = None  # the peer venv it needs (None: the dev venv)
    note: str = ""
    shown: tuple[str, ...] | None = None  # argv as RESULTS.md shows it, when argv is too long
    env: tuple[tuple[str, str], ...] = ()  # set for the process (RESULTS.md shows it first)
    fresh: Path | None = None  # a folder emptied before each run (a cold cache)


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    title: str
    what: str  # one sentence for README and RESULTS
    cwd: Path
    reglint_args: tuple[str, ...]  # after `reglint check`
    floor_paths: tuple[str, ...]
    weight: str = "normal"  # "tiny" | "normal" | "heavy": how many rounds it gets
    peers: tuple[Contender, ...] = field(default_factory=tuple)
    reglint_env: tuple[tuple[str, str], ...] = ()  # reglint's extra environment
    fresh: Path | None = None  # emptied before each reglint run (a cold cache)


# Every contender of a case gets one untimed warm-up run and the case's rounds, peers too.
ROUNDS = {"tiny": 11, "normal": 5, "heavy": 5}
QUICK_ROUNDS = {"tiny": 5, "normal": 2, "heavy": 1}


def reglint_executable() -> Path:
    """reglint's console script in the interpreter that runs the benchmark (the dev venv)."""
    return Path(sys.executable).parent / "reglint"


def peer_bin(peer: str, tool: str) -> str:
    return str(VENVS / peer / "bin" / tool)


# Every case's name, known before the corpus is generated (for --help and --cases).
CASE_NAMES = (
    "policies-1k", "policies-10k", "manifests-1k", "manifests-10k", "mixed", "aws-managed",
    "precommit-small", "monorepo-one", "monorepo-full",
    "cfn-1k", "terraform-1k", "tfplan-1k", "precommit-iac-cold", "precommit-iac-warm",
)  # fmt: skip


def corpus_summary() -> dict[str, Any]:
    """What generate.py recorded of each case (bench/out/corpus.json)."""
    try:
        summary: dict[str, Any] = json.loads((OUT / "corpus.json").read_text())
    except FileNotFoundError:
        raise SystemExit(
            "bench: no corpus yet; run bench/generate.py (or bench/run.py) first"
        ) from None
    return summary


def corpus_named(case: str) -> str:
    """The manifest a pre-commit run names in `case` (recorded by generate.py)."""
    return str(corpus_summary()[case]["named"])


def manifest_files(folder: Path) -> tuple[str, ...]:
    """Every manifest file of a generated manifests case, relative to it (for tools that
    take a list of files rather than a folder)."""
    return tuple(
        sorted(
            p.relative_to(folder).as_posix()
            for p in (folder / "systems").rglob("*")
            if p.suffix in (".yaml", ".yml", ".json")
        )
    )


def check_jsonschema(
    cwd: Path, files: tuple[str, ...], shown_files: str | None = None, note: str = ""
) -> Contender:
    command = (
        peer_bin("check-jsonschema", "check-jsonschema"),
        "--schemafile",
        str(MANIFEST_SCHEMA),
    )
    shown = (*command, shown_files) if shown_files else None
    return Contender(
        "check-jsonschema", (*command, *files), cwd, peer="check-jsonschema", note=note, shown=shown
    )


def build_cases() -> list[Case]:
    """Every case; call after generate.py has run (some read the generated corpus)."""
    manifests_1k = OUT / "manifests-1k"
    small, monorepo = OUT / "small-repo", OUT / "monorepo-10k"
    small_named, monorepo_named = corpus_named("small-repo"), corpus_named("monorepo-10k")
    parliament = Contender(
        "parliament",
        (
            peer_bin("parliament", "parliament"),
            "--directory",
            ".",
            "--include_policy_extension",
            ".json",
        ),
        OUT / "policies-1k",
        peer="parliament",
        note="wrapped PolicyVersion/PolicyDocument files are only reported as malformed, not analysed",
    )
    cases = [
        Case(
            "policies-1k",
            "1,000 IAM policies",
            "1,000 generated IAM policy files (JSON), checked as a folder.",
            OUT / "policies-1k",
            ("check", "."),
            (".",),
            peers=(parliament,),
        ),
        Case(
            "policies-10k",
            "10,000 IAM policies",
            "10,000 generated IAM policy files: the 1k case, ten times.",
            OUT / "policies-10k",
            ("check", "."),
            (".",),
            weight="heavy",
        ),
        Case(
            "manifests-1k",
            "1,000 manifest files",
            "1,000 generated manifest files (some multi-document), checked as a folder.",
            manifests_1k,
            ("check", "."),
            (".",),
            peers=(
                check_jsonschema(
                    manifests_1k,
                    manifest_files(manifests_1k),
                    "$(find systems -type f | sort)",
                    note="multi-document files are a parse error for check-jsonschema, so it validates fewer documents",
                ),
            ),
        ),
        Case(
            "manifests-10k",
            "10,000 manifest files",
            "10,000 generated manifest files: the 1k case, ten times.",
            OUT / "manifests-10k",
            ("check", "."),
            (".",),
            weight="heavy",
        ),
        Case(
            "mixed",
            "mixed project 1k + 1k",
            "1,000 manifests linking 1,000 policies, with namespace collisions, duplicates and broken links.",
            OUT / "mixed",
            ("check", "."),
            (".",),
        ),
        Case(
            "aws-managed",
            "1,525 AWS managed policies",
            "The real AWS managed policies (shared/corpus), as `aws iam get-policy-version` prints them.",
            AWS_MANAGED,
            ("check", "."),
            (".",),
        ),
        Case(
            "precommit-small",
            "pre-commit: 1 manifest, small repo",
            "One named manifest in a 10-file repository: what a pre-commit hook runs.",
            small,
            ("check", small_named),
            (small_named, "--context", "."),
            weight="tiny",
            peers=(check_jsonschema(small, (small_named,)),),
        ),
        Case(
            "monorepo-one",
            "pre-commit: 1 manifest, 10k-file repo",
            "One named manifest in a 10,000-file monorepo: the project context (every manifest) must still be found.",
            monorepo,
            ("check", monorepo_named),
            (monorepo_named, "--context", "."),
            weight="tiny",
        ),
        Case(
            "monorepo-full",
            "10k-file monorepo, whole",
            "The whole 10,000-file monorepo (6,100 YAML/JSON files, about 110 manifests).",
            monorepo,
            ("check", "."),
            (".",),
            weight="heavy",
        ),
        *iac_cases(),
    ]
    assert tuple(case.name for case in cases) == CASE_NAMES
    return cases


def checkov(cwd: Path, framework: str, *target: str) -> Contender:
    return Contender(
        "checkov",
        (
            peer_bin("checkov", "checkov"),
            *target,
            "--framework",
            framework,
            "--quiet",
            "--compact",
            "--skip-download",
        ),
        cwd,
        peer="checkov",
        note=f"its {framework} framework: checkov's own policies (encryption, wildcards, "
        "least privilege), not reglint's rules; the comparison is time, not findings",
    )


def iac_cases() -> list[Case]:
    """The same 1,000 policies in CloudFormation templates, a Terraform module and its
    plan (gen_iac.py), and a pre-commit run naming one `.tf` file."""
    cfn, terraform, plan, small = (
        OUT / "cfn-1k", OUT / "terraform-1k", OUT / "tfplan-1k", OUT / "precommit-iac"
    )  # fmt: skip
    templates = tuple(sorted(p.name for p in cfn.glob("*.template.json")))
    cfn_lint = Contender(
        "cfn-lint",
        (peer_bin("cfn-lint", "cfn-lint"), *templates),
        cfn,
        peer="cfn-lint",
        note="the same templates, one process; cfn-lint also checks each resource against "
        "CloudFormation's resource schema, reglint checks push rights and the IAM catalogue",
    )
    cache = OUT / "xdg-cache"
    return [
        Case(
            "cfn-1k",
            "1,000 policies in CloudFormation",
            f"1,000 IAM policies as AWS::IAM::ManagedPolicy resources of {len(templates)} "
            "CloudFormation templates (JSON) within CloudFormation's limits (500 resources, 1 MB).",
            cfn,
            ("check", "."),
            (".",),
            peers=(cfn_lint, checkov(cfn, "cloudformation", "-d", ".")),
        ),
        Case(
            "terraform-1k",
            "1,000 policies in a Terraform module",
            "The same 1,000 policies as aws_iam_policy (jsonencode) and aws_iam_role_policy "
            "(heredoc) resources of one Terraform module in 11 .tf files.",
            terraform,
            ("check", "."),
            (".",),
            peers=(checkov(terraform, "terraform", "-d", "."),),
        ),
        Case(
            "tfplan-1k",
            "1,000 policies in a Terraform plan",
            "That module's plan, as `terraform show -json` prints it (one 2.9 MB file).",
            plan,
            ("check", "plan.json"),
            ("plan.json",),
            peers=(checkov(plan, "terraform_plan", "-f", "plan.json"),),
        ),
        Case(
            "precommit-iac-cold",
            "pre-commit: 1 .tf file, parser cache cold",
            "One named .tf file of a 4-file Terraform module in the small repository, with "
            "reglint's HCL parser cache emptied before each run (the first run on a machine).",
            small,
            ("check", IAC_NAMED),
            (IAC_NAMED, "--context", "."),
            weight="tiny",
            reglint_env=(("XDG_CACHE_HOME", str(cache / "cold")),),
            fresh=cache / "cold",
        ),
        Case(
            "precommit-iac-warm",
            "pre-commit: 1 .tf file, parser cache warm",
            "The same run with the parser cache kept between runs (every run after the first).",
            small,
            ("check", IAC_NAMED),
            (IAC_NAMED, "--context", "."),
            weight="tiny",
            reglint_env=(("XDG_CACHE_HOME", str(cache / "warm")),),
        ),
    ]


def contenders(case: Case, with_peers: bool) -> list[Contender]:
    reglint = Contender(
        "reglint",
        (str(reglint_executable()), *case.reglint_args),
        case.cwd,
        env=case.reglint_env,
        fresh=case.fresh,
    )
    floor = Contender(
        "floor", (sys.executable, str(BENCH / "floor.py"), *case.floor_paths), case.cwd
    )
    alone = []
    if case.name in ONE_PROCESS_CASES:  # what the worker processes bring on this machine
        alone = [
            Contender(
                "reglint --jobs 1",
                (str(reglint_executable()), *case.reglint_args, "--jobs", "1"),
                case.cwd,
                note="the same run without worker processes",
            )
        ]
    return [reglint, *alone, floor, *(case.peers if with_peers else ())]


# Big runs, where reglint starts worker processes by default: also timed with `--jobs 1`.
ONE_PROCESS_CASES = frozenset({"policies-1k", "policies-10k"})
