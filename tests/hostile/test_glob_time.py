"""Globs from the scanned repository (`.gitignore`) and from its configuration are
attacker input: a glob built to make a backtracking matcher take exponential time
(`*a*a*a*a*a*a*a*a*a*a*b` against a name of 60 `a`s) costs linear time through every
path that matches globs: `.gitignore` (nested, with negation), `exclude`, `include`,
`per-file-ignores` and `ecr-push-policies`.

Each case runs reglint in a child process: a bounded run takes a second or two; a
backtracking matcher needs hours for each of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile.cli_formats import run_measured
from hostile.project_tree import make_project

TIMEOUT_S = 60
STARS = "*a" * 10  # ten stars: C(60, 10) ways to place them in 60 `a`s
SLOW = "a" * 60  # a name the glob almost matches
BROKEN = "kind: RegistryService\nspec: [\n"  # RL001 at line 3 wherever it is reported
# Grants only the token: RL201 (push actions missing) when checked as a push policy.
TOKEN_ONLY = (
    '{"Version": "2012-10-17", "Statement": [{"Sid": "Token", "Effect": "Allow",'
    ' "Action": "ecr:GetAuthorizationToken", "Resource": "*"}]}\n'
)


def _findings(out: str) -> set[tuple[str, str]]:
    return {(f["rule"], f["path"]) for f in json.loads(out)["findings"] if f["suppressed"] is None}


CASES: dict[str, tuple[dict[str, str], set[tuple[str, str]]]] = {
    # name: (files beside the base project, (rule, path) findings besides good.yaml's)
    "gitignore": (
        {
            ".gitignore": f"{STARS}*b\n{STARS}*b.yaml\n",
            f"{SLOW}.yaml": BROKEN,
            f"{SLOW}b.yaml": BROKEN,
        },
        {("RL001", f"{SLOW}.yaml")},
    ),
    "nested-gitignore-negation": (
        {
            ".gitignore": "*.yaml\n!good.yaml\n!sub/\n",
            "sub/.gitignore": f"!{STARS}*b.yaml\n",
            f"sub/{SLOW}.yaml": BROKEN,
            f"sub/{SLOW}b.yaml": BROKEN,
        },
        {("RL001", f"sub/{SLOW}b.yaml")},
    ),
    "exclude": (
        {
            ".reglint.yaml": f'exclude: ["{STARS}*b.yaml"]\n',
            f"{SLOW}.yaml": BROKEN,
            f"{SLOW}b.yaml": BROKEN,
        },
        {("RL001", f"{SLOW}.yaml")},
    ),
    "include": (
        {
            ".reglint.yaml": f'include: ["{STARS}*b.tpl"]\n',
            f"{SLOW}.yaml": BROKEN,
            f"{SLOW}.tpl": BROKEN,
            f"{SLOW}b.tpl": BROKEN,
        },
        {("RL001", f"{SLOW}.yaml"), ("RL001", f"{SLOW}b.tpl")},
    ),
    "per-file-ignores": (
        {
            ".reglint.yaml": f'per-file-ignores: {{"{STARS}*b.yaml": [RL001]}}\n',
            f"{SLOW}.yaml": BROKEN,
            f"{SLOW}b.yaml": BROKEN,
        },
        {("RL001", f"{SLOW}.yaml")},
    ),
    "ecr-push-policies": (
        {
            ".reglint.yaml": f'ecr-push-policies: ["{STARS}*b.json"]\n',
            f"{SLOW}.json": TOKEN_ONLY,
            f"{SLOW}b.json": TOKEN_ONLY,
        },
        {("RL201", f"{SLOW}b.json")},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_pathological_glob_costs_linear_time(case: str, tmp_path: Path) -> None:
    files, expected = CASES[case]
    make_project(tmp_path, files)
    measured = run_measured(tmp_path, "check", "--format", "json", ".", timeout=TIMEOUT_S)
    assert measured.code == 1, measured.err
    assert _findings(measured.out) == {("RL104", "good.yaml"), *expected}


def test_a_pathological_glob_against_a_long_path_costs_linear_time() -> None:
    """Hundreds of stars and `**` against a path of 10,000 bytes: each match is one scan."""
    globs = [
        "*a" * 300 + "*b",
        "**/" + "*a" * 50 + "*b/**/c",
        "a/**/" * 100 + "b",
        "*[a-z]?" * 200 + "b",
    ]
    paths = ["a" * 10_000, "a/" * 5_000 + "c", ("a" * 99 + "/") * 100 + "x"]
    for glob in globs:
        from reglint.files.wildmatch import translate

        regex = translate(glob.encode(), strict=True)
        assert regex is not None
        for path in paths:
            assert regex.match(path.encode()) is None, (glob[:20], path[:20])
    script = (
        "from reglint.files.wildmatch import translate\n"
        f"r = translate({('*a' * 300 + '*b').encode()!r}, True)\n"
        "for _ in range(100): assert not r.match(b'a' * 10_000)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=TIMEOUT_S)


def test_gitignore_files_past_one_mib_in_all_are_not_applied(tmp_path: Path) -> None:
    """Each walked path is matched against every line that applies to it: the lines are
    bounded (1 MiB in all), and a file past the budget is said not to be applied."""
    line = f"{STARS}*b\n"
    make_project(
        tmp_path,
        {
            ".gitignore": line * (700 * 1024 // len(line)),
            "sub/.gitignore": line * (400 * 1024 // len(line)) + "good.yaml\n",
            "sub/good.yaml": BROKEN,
        },
    )
    measured = run_measured(tmp_path, "check", "--format", "json", ".", timeout=TIMEOUT_S * 2)
    assert measured.code == 1
    assert _findings(measured.out) == {("RL104", "good.yaml"), ("RL001", "sub/good.yaml")}
    assert (
        "reglint: sub/.gitignore: skipped: the project's .gitignore files hold more than 1 MiB"
        in measured.err
    )
