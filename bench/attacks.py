"""The resource attacks of the hardening issue (docs/safety.md), measured: one
`reglint check` per attack in a child process, with its wall time, peak memory and
exit code, for any installed reglint — so the same attacks can be timed on an old
release and on HEAD, side by side.

    .venv/bin/python bench/attacks.py                      # this checkout's reglint
    .venv/bin/python bench/attacks.py --reglint OLD/.venv/bin/reglint --label before

Each run is stopped at `--timeout` seconds and may use at most `--memory` MiB of
address space (RLIMIT_AS), so an attack that still works shows up as "killed" instead
of taking the machine down. The table is Markdown, for docs/safety.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: user-registry
  system: ml-prod
  environment: production
spec:
  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod
  auth:
    method: iam-role
  iamPolicies:
    - push.json
  resources:
    requests: {cpu: 250m, memory: 256Mi}
    limits: {cpu: "1", memory: 1Gi}
"""


def _policy(*statements: str) -> str:
    return '{"Version": "2012-10-17", "Statement": [' + ", ".join(statements) + "]}\n"


_GRANT = (
    '{"Effect": "Allow", "Action": "ecr:*", '
    '"Resource": "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*"}'
)


class Attack(NamedTuple):
    name: str
    what: str
    build: Callable[[Path], tuple[list[str], bytes | None]]  # -> (arguments, stdin)


def _glob_gitignore(root: Path) -> tuple[list[str], bytes | None]:
    (root / ".gitignore").write_text("*a*a*a*a*a*a*a*a*a*a*b\n")
    (root / ("a" * 60 + ".yaml")).write_text("{}\n")
    (root / "registry.yaml").write_text(MANIFEST.replace("    - push.json\n", "    []\n"))
    return ["."], None


def _glob_exclude(root: Path) -> tuple[list[str], bytes | None]:
    (root / ".reglint.yaml").write_text('exclude: ["*a*a*a*a*a*a*a*a*a*a*b"]\n')
    (root / ("a" * 60 + ".yaml")).write_text("{}\n")
    return ["."], None


def _iam_pattern(root: Path) -> tuple[list[str], bytes | None]:
    deny = '{"Effect": "Deny", "Action": "ecr:PutImage", "Resource": "arn:aws:ecr:*:*:' + "*a" * 6000 + '"}'
    (root / "registry.yaml").write_text(MANIFEST)
    (root / "push.json").write_text(_policy(_GRANT, deny))
    return ["."], None


def _config_alias_bomb(root: Path) -> tuple[list[str], bytes | None]:
    lines = ["a0: &a0 [RL101]"]
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    lines.append("per-file-ignores:\n  '*.json': *a9")
    (root / ".reglint.yaml").write_text("\n".join(lines) + "\n")
    (root / "registry.yaml").write_text(MANIFEST)
    return ["registry.yaml"], None


def _big_stdin(root: Path) -> tuple[list[str], bytes | None]:
    document = MANIFEST.replace("ml-prod\n", "ml-prod-{n}\n").replace("user-registry", "r{n}")
    body = "---\n".join(document.replace("{n}", str(n)) for n in range(30_000))
    return ["--stdin-filename", "piped.yaml", "-"], body.encode()


def _huge_action(root: Path) -> tuple[list[str], bytes | None]:
    action = "ecr:" + "PutImage" * 524_288
    (root / "p.json").write_text(_policy('{"Effect": "Allow", "Action": "' + action + '", "Resource": "*"}'))
    return ["p.json"], None


def _toml_dotted_key(root: Path) -> tuple[list[str], bytes | None]:
    key = ".".join(f"k{n % 10}" for n in range(80_000))
    (root / "pyproject.toml").write_text(f"[tool.reglint]\nselect = ['RL1']\n{key} = 1\n")
    (root / "registry.yaml").write_text(MANIFEST)
    return ["registry.yaml"], None


def _gitignore_dev_zero(root: Path) -> tuple[list[str], bytes | None]:
    os.symlink("/dev/zero", root / ".gitignore")
    (root / "registry.yaml").write_text(MANIFEST)
    return ["."], None


ATTACKS = (
    Attack("glob-gitignore", "`.gitignore` line `*a*a*a*a*a*a*a*a*a*a*b`, a file named 60 `a`s", _glob_gitignore),
    Attack("glob-exclude", "the same glob in the config's `exclude`", _glob_exclude),
    Attack("iam-pattern", "a linked Deny on `arn:aws:ecr:*:*:` + 6,000 `*a` (12 KB)", _iam_pattern),
    Attack("config-alias-bomb", "`.reglint.yaml`: nine levels of ten aliases in `per-file-ignores`", _config_alias_bomb),
    Attack("stdin-12mb", "a 12 MB stream of 30,000 manifests piped through `-`", _big_stdin),
    Attack("action-4mb", "one 4 MB action in a policy (report size in the last column)", _huge_action),
    Attack("toml-dotted-key", "`pyproject.toml` with an 80,000-part dotted key (160 KB)", _toml_dotted_key),
    Attack("gitignore-dev-zero", "`.gitignore` a symbolic link to `/dev/zero`", _gitignore_dev_zero),
)


class Outcome(NamedTuple):
    seconds: float
    peak_mib: float
    code: int | None  # None: killed (time or memory)
    report_bytes: int


def measure(reglint: str, attack: Attack, timeout: float, memory_mib: int) -> Outcome:
    with tempfile.TemporaryDirectory(prefix=f"attack-{attack.name}-") as folder:
        root = Path(folder)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        arguments, stdin = attack.build(root)
        limit = memory_mib * 1024 * 1024

        def confine() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        env = {**os.environ, "NO_COLOR": "1"}
        started = time.perf_counter()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(
                [reglint, "check", *arguments], cwd=root, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=out, stderr=err, preexec_fn=confine, env=env,  # noqa: PLW1509 - no threads here
            )
            if stdin is not None:
                try:
                    assert process.stdin is not None
                    process.stdin.write(stdin)
                    process.stdin.close()
                except BrokenPipeError:
                    pass
            status, usage, killed = _wait(process.pid, started + timeout)
            seconds = time.perf_counter() - started
            code = None if killed or os.WIFSIGNALED(status) else os.waitstatus_to_exitcode(status)
            size = out.seek(0, os.SEEK_END)
            err.seek(0)
            if b"MemoryError" in err.read():
                code = None  # stopped by the memory limit
        return Outcome(seconds, usage.ru_maxrss / 1024, code, size)


def _wait(pid: int, deadline: float) -> tuple[int, resource.struct_rusage, bool]:
    """Reap the child with its resource usage, killing it at `deadline`."""
    killed = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, killed
        if not killed and time.perf_counter() > deadline:
            os.kill(pid, 9)
            killed = True
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reglint", default=shutil.which("reglint") or "reglint", help="the reglint command to measure")
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run is killed")
    parser.add_argument("--memory", type=int, default=4096, help="MiB of address space a run may use")
    parser.add_argument("--only", default="", help="comma-separated attack names")
    options = parser.parse_args()
    chosen = [a for a in ATTACKS if not options.only or a.name in options.only.split(",")]
    print(f"| attack ({options.label}) | time | peak RSS | exit | report |")
    print("|---|---|---|---|---|")
    for attack in chosen:
        outcome = measure(options.reglint, attack, options.timeout, options.memory)
        code = "killed" if outcome.code is None else str(outcome.code)
        shown = f"> {options.timeout:.0f} s" if outcome.code is None and outcome.seconds >= options.timeout else f"{outcome.seconds:.2f} s"
        print(f"| {attack.name}: {attack.what} | {shown} | {outcome.peak_mib:.0f} MiB | {code} | {outcome.report_bytes:,} B |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
