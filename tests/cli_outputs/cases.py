"""What every command prints for `examples/` and for the AWS managed policies of
../shared/corpus: the cases, and how one is run.

Each case runs reglint in a child process from a fixed folder (the repository root for
`examples/`, the corpus folder for the corpus), with reglint's version replaced by
`FIXED_VERSION`, and keeps the exit code, stdout, stderr and any file the run wrote.
Two things depend on the machine and are replaced in what is kept: the current folder
as a SARIF URI (`file:///CWD`) and the temporary folder of the run (`{TMP}`).

The expected outputs are in `expected/` (regenerate with `python
tests/cli_outputs/regenerate.py`, then review the diff).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
EXAMPLES_CWD = REPO
CORPUS_CWD = REPO.parent / "shared" / "corpus" / "aws-managed-policies"
EXPECTED = Path(__file__).resolve().parent / "expected"
REGENERATE = "python tests/cli_outputs/regenerate.py"
FIXED_VERSION = "9.8.7"  # stands in for reglint's version, which changes with releases
TIMEOUT = 300  # seconds: generous for a loaded machine; a run takes about one

# Runs `python -m reglint ARGS` with the version fixed.
_PRELUDE = (
    "import runpy, sys, reglint; "
    f"reglint.__version__ = {FIXED_VERSION!r}; "
    "sys.argv[0] = 'reglint'; "
    "runpy.run_module('reglint', run_name='__main__', alter_sys=True)"
)


class Case(NamedTuple):
    name: str
    args: tuple[str, ...]  # `{TMP}` stands for the run's temporary folder
    stdin: str | None = None  # a file of examples/ given on standard input
    writes: tuple[str, ...] = ()  # files the run writes into `{TMP}`, kept as outputs
    # One per written file, in order: the case whose stdout that file is (not kept again).
    same_as: tuple[str, ...] = ()

    def kept_as(self, written: str) -> str:
        """The file under expected/examples/ that holds what the run wrote to `written`."""
        if self.same_as:
            return f"{self.same_as[self.writes.index(written)]}.stdout"
        return f"{self.name}.{written}"


_STDIN_MANIFEST = "examples/systems/analytics/registries.yaml"
_SCHEMAS = (
    "registry-service",
    "iam-policy",
    "iam-resource-policy",
    "iam-trust-policy",
    "ecr-repository-policy",
    "ecr-registry-policy",
    "config",
)

EXAMPLE_CASES = (
    Case("check-text", ("check", "examples")),
    Case("check-json", ("check", "examples", "--format", "json")),
    Case("check-sarif", ("check", "examples", "--format", "sarif")),
    Case("check-github", ("check", "examples", "--format", "github")),
    Case("check-junit", ("check", "examples", "--format", "junit")),
    Case("check-junit-fail-on-warning", ("check", "examples", "--format", "junit", "--fail-on", "warning")),
    Case("check-github-fail-on-never", ("check", "examples", "--format", "github", "--fail-on", "never")),
    Case("check-text-statistics", ("check", "examples", "--statistics")),
    Case("check-json-statistics", ("check", "examples", "--format", "json", "--statistics")),
    Case("check-select-ignore", ("check", "examples", "--select", "RL1,RL3", "--ignore", "RL107")),
    Case("check-jobs-2", ("check", "examples", "--format", "json", "--jobs", "2")),
    Case("check-one-manifest", ("check", "examples/systems/search/user-registry.yaml")),
    Case(
        "check-two-files",
        ("check", "examples/iam/analytics-push.json", "examples/systems/reporting/docker-registry.yaml", "--format", "json"),
    ),
    Case("check-stdin-named", ("check", "-", "--stdin-filename", _STDIN_MANIFEST, "--format", "json"), stdin=_STDIN_MANIFEST),
    Case("check-stdin-alone", ("check", "-"), stdin="examples/iam/analytics-push.json"),
    Case("check-write-baseline", ("check", "examples", "--write-baseline", "{TMP}/baseline.json"), writes=("baseline.json",)),
    Case(
        "check-baseline",
        ("check", "examples", "--format", "json", "--baseline", "tests/cli_outputs/expected/examples/check-write-baseline.baseline.json"),
    ),
    Case("check-output", ("check", "examples", "--format", "sarif", "--output", "{TMP}/report.sarif"), writes=("report.sarif",),
         same_as=("check-sarif",)),
    Case("check-gitlab", ("check", "examples", "--format", "gitlab")),
    Case("check-checkstyle", ("check", "examples", "--format", "checkstyle")),
    Case(
        "check-several-formats",
        ("check", "examples", "--format", "text", "--format", "sarif={TMP}/reglint.sarif", "--format", "junit={TMP}/out/reglint.xml"),
        writes=("reglint.sarif", "out/reglint.xml"),
        same_as=("check-sarif", "check-junit"),
    ),
    Case(
        "check-several-formats-statistics",
        ("check", "examples", "--statistics", "--format", "gitlab", "--format", "checkstyle={TMP}/r.xml"),
        writes=("r.xml",),
        same_as=("check-checkstyle",),
    ),
    Case("check-two-formats-on-stdout", ("check", "examples", "--format", "text", "--format", "json")),
    Case("check-diff", ("check", "examples", "--diff")),
    Case("check-diff-unsafe", ("check", "examples", "--diff", "--unsafe-fixes")),
    Case(
        "check-stdin-fix",
        ("check", "-", "--stdin-filename", _STDIN_MANIFEST, "--fix", "--unsafe-fixes"),
        stdin=_STDIN_MANIFEST,
    ),
    Case(
        "check-stdin-fix-several-formats",
        (
            "check", "-", "--stdin-filename", _STDIN_MANIFEST, "--fix", "--unsafe-fixes", "--format", "text",
            "--format", "sarif={TMP}/fixed.sarif", "--format", "gitlab={TMP}/fixed.gitlab.json",
        ),
        stdin=_STDIN_MANIFEST,
        writes=("fixed.sarif", "fixed.gitlab.json"),
    ),
    Case("check-missing-path", ("check", "examples/no-such-file.yaml")),
    Case("check-bad-format", ("check", "examples", "--format", "xml")),
    Case("help", ("--help",)),
    Case("check-help", ("check", "--help")),
    Case("aws-verify-help", ("aws", "verify", "--help")),
    Case("rules-text", ("rules",)),
    Case("rules-json", ("rules", "--format", "json")),
    Case("rules-markdown", ("rules", "--format", "markdown")),
    Case("explain-RL001", ("explain", "RL001")),
    Case("explain-RL107", ("explain", "RL107")),
    Case("explain-RL201", ("explain", "RL201")),
    Case("explain-RL110", ("explain", "RL110")),
    Case("explain-RL401", ("explain", "RL401")),
    Case("explain-plaintext-secret", ("explain", "plaintext-secret")),
    Case("explain-unknown", ("explain", "RL999")),
    *(Case(f"schema-{name}", ("schema", name)) for name in _SCHEMAS),
    *(Case(f"schema-{name}-markdown", ("schema", name, "--format", "markdown")) for name in _SCHEMAS),
)

CORPUS_CASES = (
    Case("corpus-text", ("check", "--isolated", ".")),
    Case("corpus-json", ("check", "--isolated", ".", "--format", "json")),
    Case("corpus-sarif", ("check", "--isolated", ".", "--format", "sarif")),
    Case("corpus-github", ("check", "--isolated", ".", "--format", "github")),
    Case("corpus-junit", ("check", "--isolated", ".", "--format", "junit")),
    Case("corpus-gitlab", ("check", "--isolated", ".", "--format", "gitlab")),
    Case("corpus-checkstyle", ("check", "--isolated", ".", "--format", "checkstyle")),
    Case("corpus-text-statistics", ("check", "--isolated", ".", "--statistics")),
    Case("corpus-json-jobs-1", ("check", "--isolated", ".", "--format", "json", "--jobs", "1")),
)


class Output(NamedTuple):
    exit_code: int
    stdout: bytes
    stderr: bytes
    written: dict[str, bytes]  # name -> content of each file the case writes


def run_case(case: Case, cwd: Path) -> Output:
    """Run one case from `cwd`, machine-dependent parts replaced (see the module doc)."""
    with tempfile.TemporaryDirectory(prefix="reglint-cli-outputs-") as tmp:
        args = [arg.replace("{TMP}", tmp) for arg in case.args]
        stdin = (REPO / case.stdin).read_bytes() if case.stdin else b""
        done = subprocess.run(
            [sys.executable, "-c", _PRELUDE, *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT,
            env={**os.environ, "COLUMNS": "80"},
            check=False,
        )

        def normalise(raw: bytes) -> bytes:
            return raw.replace(cwd.as_uri().encode(), b"file:///CWD").replace(tmp.encode(), b"{TMP}")

        written = {name: normalise((Path(tmp) / name).read_bytes()) for name in case.writes}
        return Output(done.returncode, normalise(done.stdout), normalise(done.stderr), written)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
