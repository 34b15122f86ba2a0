"""Ignore comments as an attack surface (docs/safety.md, "Suppressions"): only real YAML
comments suppress. Text that looks like `# reglint: ignore[...]` inside a quoted string,
a plain multi-line scalar or a block scalar is data, and RL001 (a file that does not
parse) can never be hidden by a comment in that file.

Each case is one manifest beside the good one, through every output format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hostile.cli_formats import Seen, assert_reported, check_every_format, run_measured
from hostile.project_tree import good_finding, make_project

# A service of another system on a non-ECR registry, with a literal password (RL106 on
# line 14) and nothing else wrong.
SECRET = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: case-registry
  system: ml-case
  environment: production
spec:
  type: external
  role: user
  url: registry.example.com/ml-case
  auth:
    method: basic
    username: robot
    password: hunter2
  resources:
    requests: {cpu: 250m, memory: 256Mi}
    limits: {cpu: "1", memory: 1Gi}
"""
PASSWORD = "    password: hunter2\n"
CANNOT = "RL001 (parse-error) cannot be suppressed inline"


class Case(NamedTuple):
    text: str
    expected: list[tuple[str, int, str]]  # (rule, line, words of the message)


def _password(replacement: str) -> str:
    return SECRET.replace(PASSWORD, replacement)


CASES = {
    # The fake comment is inside the quoted password: RL106 still fires.
    "double-quoted": Case(
        _password('    password: "hunter2 # reglint: ignore[RL106]"\n'),
        [("RL106", 14, "spec.auth.password is a literal secret")],
    ),
    "single-quoted": Case(
        _password("    password: 'hunter2 # reglint: ignore-file[RL106]'\n"),
        [("RL106", 14, "spec.auth.password is a literal secret")],
    ),
    # A quoted string that goes on over the next line: its second line looks like a
    # comment line above `resources:`.
    "multi-line-quoted": Case(
        _password('    password: "hunter2\n      # reglint: ignore-file[RL106]"\n'),
        [("RL106", 14, "spec.auth.password is a literal secret")],
    ),
    "block-scalar": Case(
        _password("    password: |\n      hunter2\n      # reglint: ignore-file[RL106]\n"),
        [("RL106", 14, "spec.auth.password is a literal secret")],
    ),
    "folded-scalar-above-a-key": Case(
        _password("    password: >-\n      hunter2\n      # reglint: ignore[RL106]\n"),
        [("RL106", 14, "spec.auth.password is a literal secret")],
    ),
    "key-holding-a-fake-comment": Case(
        SECRET.replace("  name: case-registry\n", '  "x # reglint: ignore-file[RL002]": x\n  name: case-registry\n'),
        [("RL002", 4, "unknown key 'x # reglint: ignore-file[RL002]'"), ("RL106", 15, "spec.auth.password is a literal secret")],
    ),
    # A real comment after a string holding a fake one: the real one counts, the fake
    # one is not read (so it is no unused-suppression note either).
    "real-comment-after-a-fake-one": Case(
        _password('    password: "a # reglint: ignore[RL002]"  # reglint: ignore[RL106] -- test box\n'),
        [],
    ),
    # A block scalar's header line may carry a real comment.
    "comment-on-a-block-scalar-header": Case(
        _password("    password: |  # reglint: ignore[RL106] -- test box\n      hunter2\n"), []
    ),
}


@pytest.mark.parametrize("case_id", list(CASES))
def test_only_real_comments_suppress(case_id: str, run_cli: Any, tmp_path: Path) -> None:
    case = CASES[case_id]
    make_project(tmp_path, {"case.yaml": case.text})
    runs = check_every_format(run_cli, tmp_path, "--ignore", "RL2", ".")
    expected = [good_finding(), *(Seen(rule, "case.yaml", line) for rule, line, _ in case.expected)]
    assert_reported(runs, expected, code=1)
    words = {Seen(rule, "case.yaml", line): text for rule, line, text in case.expected}
    for seen, text in words.items():
        assert text in runs["json"].messages[seen], (seen, runs["json"].messages[seen])


def _json(run_cli: Any, root: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("check", "--format", "json", *args, cwd=root)
    findings: list[dict[str, Any]] = json.loads(result.out)["findings"]
    return findings


def test_ignore_file_rl001_cannot_hide_a_parse_error(run_cli: Any, tmp_path: Path) -> None:
    broken = "# reglint: ignore-file[RL001] -- generated\n# reglint: ignore[RL106]\n" + SECRET.replace(
        "  role: user\n", "  role: [user\n"
    )
    make_project(tmp_path, {"case.yaml": broken})
    runs = check_every_format(run_cli, tmp_path, "--ignore", "RL2", ".")
    # RL001 at the parse error; RL004 at the comment that named RL001; nothing for the
    # comment about RL106 (a file that does not parse has no other finding to hide).
    assert_reported(
        runs,
        [good_finding(), Seen("RL001", "case.yaml", 12), Seen("RL004", "case.yaml", 1)],
        code=1,
        words={Seen("RL004", "case.yaml", 1): CANNOT},
    )


def test_rl001_named_by_name_in_a_parsable_file_is_explained(run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path, {"case.yaml": SECRET.replace(PASSWORD, "    password: {fromEnv: PW}  # reglint: ignore[parse-error, RL106]\n")})
    findings = _json(run_cli, tmp_path, "--ignore", "RL2", "case.yaml")
    notes = [(f["rule"], f["line"], f["column"], f["message"]) for f in findings]
    assert notes == [
        ("RL004", 14, 30, f"{CANNOT}: a file that does not parse has no comments reglint can trust; use per-file-ignores, a config `suppressions` entry or the baseline"),
        ("RL004", 14, 30, "unused suppression: no RL106 (plaintext-secret) finding on line 14; remove 'RL106' from the comment"),
    ]


def test_rl001_can_still_be_suppressed_by_config_and_baseline(run_cli: Any, tmp_path: Path) -> None:
    broken = SECRET.replace("  role: user\n", "  role: [user\n")
    make_project(
        tmp_path,
        {"case.yaml": broken, "other.yaml": broken, ".reglint.yaml": "per-file-ignores: {case.yaml: [RL001]}\n"},
    )
    (case,) = [f for f in _json(run_cli, tmp_path, "case.yaml") if f["rule"] == "RL001"]
    assert (case["line"], case["suppressed"]) == (10, {"kind": "config", "justification": "per-file-ignores: case.yaml"})
    assert run_cli("check", "--write-baseline", "base.json", "other.yaml", cwd=tmp_path).code == 0
    (other,) = _json(run_cli, tmp_path, "--baseline", "base.json", "other.yaml")
    assert (other["rule"], other["line"], other["suppressed"]) == ("RL001", 10, {"kind": "baseline", "justification": None})


def test_a_stack_of_ignore_comments_costs_linear_time(tmp_path: Path) -> None:
    # 150,000 own-line comments (3.6 MiB) in one stack: each covers the line after the
    # stack, found once for the whole stack, not once per comment (quadratic).
    stack = "# reglint: ignore[RL106]\n" * 150_000
    make_project(tmp_path, {"case.yaml": stack + SECRET})
    measured = run_measured(tmp_path, "check", "--select", "RL1", "case.yaml", timeout=120)
    assert measured.code == 1
    assert measured.out.startswith(
        "case.yaml:150014:15: RL106 error plaintext-secret: spec.auth.password is a literal secret"
    ), measured.out[:500]


def test_many_comments_over_many_findings_cost_linear_time(tmp_path: Path) -> None:
    # 50,000 comments above `metadata:`, whose block repeats a key 20,000 times (RL003
    # each): a finding looks up the comments of its line and rule, not every comment.
    stack = "# reglint: ignore[RL106]\n" * 50_000
    repeated = "  x: 1\n" * 20_000
    make_project(tmp_path, {"case.yaml": SECRET.replace("metadata:\n", stack + "metadata:\n" + repeated)})
    measured = run_measured(tmp_path, "check", "--select", "RL003", "case.yaml", timeout=120)
    assert measured.code == 1
    lines = measured.out.splitlines()
    # 100 findings, the cap's note for the other 19,899, and the summary of all of them
    assert len(lines) == 100 + 1 + 1
    assert lines[-1].startswith("19999 errors"), lines[-1]
    assert lines[0].startswith("case.yaml:50005:3: RL003 error duplicate-key: duplicate key 'x' (first at line 50004, column 3)")


def test_many_config_entries_over_many_findings_cost_linear_time(tmp_path: Path) -> None:
    # 1,000 config entries (the most the config takes) for RL003 that match other files, and one file with 20,000
    # RL003 findings: each entry's glob is matched once for the file, not per finding.
    entries = "".join(f"  - {{path: other/{n}.json, rule: RL003, reason: r}}\n" for n in range(1_000))
    policy = '{"Version": "2012-10-17", "Statement": [], ' + '"x": 1, ' * 20_000 + '"y": 1}\n'
    make_project(tmp_path, {"policy.json": policy, ".reglint.yaml": "suppressions:\n" + entries})
    # ~2 s on a loaded 2-core machine; the per-finding matching took ~110 s there.
    measured = run_measured(tmp_path, "check", "--select", "RL003", "policy.json", timeout=60)
    assert measured.code == 1
    lines = measured.out.splitlines()
    # 100 findings, the cap's note for the other 19,899, and the summary of all of them
    assert len(lines) == 100 + 1 + 1
    assert lines[-1].startswith("19999 errors"), lines[-1]
    assert lines[0].startswith("policy.json:1:52: RL003 error duplicate-key: duplicate key 'x' (first at line 1, column 44)"), lines[0]


def test_many_per_file_ignores_over_many_findings_cost_linear_time(tmp_path: Path) -> None:
    # 1,000 globs: the most the config takes (config.schema.json's maxProperties)
    globs = "".join(f"  other/{n}.json: [RL003]\n" for n in range(1_000))
    policy = '{"Version": "2012-10-17", "Statement": [], ' + '"x": 1, ' * 20_000 + '"y": 1}\n'
    make_project(tmp_path, {"policy.json": policy, ".reglint.yaml": "per-file-ignores:\n" + globs})
    # ~2 s on a loaded 2-core machine; matching every glob for every finding took minutes.
    measured = run_measured(tmp_path, "check", "--select", "RL003", "policy.json", timeout=60)
    assert measured.code == 1
    lines = measured.out.splitlines()
    assert len(lines) == 100 + 1 + 1  # 100 findings, the cap's note, the summary
    assert lines[-1].startswith("19999 errors"), lines[-1]
