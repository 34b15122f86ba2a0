"""Bounded work for IAM wildcard patterns: no policy under `max-file-size` costs more than
seconds and `RSS_BOUND_MIB`, whatever its wildcards (docs/safety.md, "IAM patterns").

Each case runs reglint in a child process killed after `TIMEOUT_S`. Measured on 2 loaded
cores (CPU time of the whole run, peak RSS), before the bounds and after them: the
6,000-wildcard Deny 20 s and 3.3 GB, then 0.15 s and 34 MiB (a plain run: 0.15 s,
33 MiB); the union of 18-wildcard patterns 43 s and 1.5 GB, then 0.3 s and 50 MiB; the
3,000 action wildcards more than 5 minutes, then 0.8 s and 90 MiB.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import MANIFEST, POLICY, write_tree
from hostile.cli_formats import run_measured

RSS_BOUND_MIB = 160
TIMEOUT_S = 30  # generous for a loaded machine: a bounded run takes 1-2 s
HOSTILE_ARN = "arn:aws:ecr:*:*:" + "*a" * 6000  # 12 KB, 6,002 wildcards
GUARD = {"Sid": "Guard", "Effect": "Deny", "Action": "ecr:PutImage", "Resource": HOSTILE_ARN}


def _policy(*statements: dict[str, Any]) -> str:
    data = json.loads(POLICY)
    data["Statement"].extend(statements)
    return json.dumps(data, indent=2)


def _project(root: Path, policy: str, *, linked: bool = True) -> Path:
    files: dict[str, str | bytes] = {".git/HEAD": "ref: refs/heads/main\n", "iam/push.json": policy}
    if linked:
        files["registry.yaml"] = MANIFEST
    else:
        files[".reglint.yaml"] = 'ecr-push-policies: ["iam/*.json"]\n'
    return write_tree(root, files)


def _findings(root: Path) -> list[dict[str, Any]]:
    """`reglint check --format json .` in a child process, bounded in time and memory."""
    measured = run_measured(root, "check", "--format", "json", ".", timeout=TIMEOUT_S)
    assert measured.code == 1, measured
    assert measured.peak_rss_mib < RSS_BOUND_MIB, f"peak RSS {measured.peak_rss_mib:.0f} MiB"
    return json.loads(measured.out)["findings"]  # type: ignore[no-any-return]


def _position(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column of `needle`'s first character in `text`."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def _one(findings: list[dict[str, Any]], rule: str) -> dict[str, Any]:
    (finding,) = [f for f in findings if f["rule"] == rule]
    return finding


def test_a_linked_deny_with_6000_wildcards_is_rl206_and_read_conservatively(
    tmp_path: Path,
) -> None:
    policy = _policy(GUARD)
    findings = _findings(_project(tmp_path, policy))
    rl206 = _one(findings, "RL206")
    where = _position(policy, f'"{HOSTILE_ARN[:40]}')
    assert (rl206["path"], rl206["line"], rl206["column"]) == ("iam/push.json", *where)
    assert "has 6,002 wildcards" in rl206["message"]
    assert "at most 32 wildcards" in rl206["message"]
    assert "`arn:aws:ecr:*a`" in rl206["message"]  # how a Deny with it is read
    assert HOSTILE_ARN not in rl206["message"]  # the 12 KB pattern is shortened
    # The Deny still counts: it is read as at least what it denies.
    rl201 = _one(findings, "RL201")
    assert (rl201["path"], rl201["line"]) == ("registry.yaml", 13)
    assert 'ecr:PutImage (explicitly denied by "Guard" (Statement[2])' in rl201["message"]
    assert "read as `arn:aws:ecr:*a`" in rl201["message"]


def test_a_standalone_push_policy_with_the_same_deny_is_bounded(tmp_path: Path) -> None:
    findings = _findings(_project(tmp_path, _policy(GUARD), linked=False))
    # The 12 KB policy is also over IAM's 6,144-character quota for a managed policy.
    assert sorted((f["rule"], f["path"]) for f in findings) == [("RL206", "iam/push.json"), ("RL208", "iam/push.json")]


def test_an_action_with_6000_wildcards_is_rl203_and_grants_nothing(tmp_path: Path) -> None:
    hostile = "ecr:" + "*a" * 6000
    statements = (
        {"Sid": "Wide", "Effect": "Allow", "Action": hostile, "Resource": "*"},
        {"Sid": "WideNot", "Effect": "Allow", "NotAction": hostile, "Resource": "*"},
    )
    policy = _policy(*statements)
    findings = _findings(_project(tmp_path, policy, linked=False))
    rl203 = [f for f in findings if f["rule"] == "RL203"]
    assert [(f["path"], f["line"]) for f in rl203] == [
        ("iam/push.json", _position(policy, '"Action": "ecr:*a*a')[0]),
        ("iam/push.json", _position(policy, '"NotAction": "ecr:*a*a')[0]),
    ]
    assert all("has 6,000 wildcards" in f["message"] for f in rl203)
    # Neither statement counts as `ecr:*` on everything: no RL204, and no false RL201.
    assert {f["rule"] for f in findings} == {"RL203", "RL208"}  # RL208: 24 KB is over the quota


def test_many_patterns_each_within_the_bound_exhaust_the_work_budget(tmp_path: Path) -> None:
    """A union of 18-wildcard patterns whose determinization has 2^17 states."""
    repos = "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/"
    k = 17
    union = [repos + "*" + "?" * k, repos + "*a" + "?" * k] + [repos + "?" * j for j in range(k)]
    push = json.loads(POLICY)["Statement"][1]
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [json.loads(POLICY)["Statement"][0],
                                               {**push, "Resource": union}]},
        indent=2,
    )  # fmt: skip
    findings = _findings(_project(tmp_path, policy))
    rl201 = _one(findings, "RL201")
    assert (rl201["path"], rl201["line"]) == ("registry.yaml", 13)
    assert rl201["message"].startswith(
        "8 of the 9 required ECR push actions are not allowed or not decided for "
    )
    assert "not decided: the policies' wildcard patterns need more work" in rl201["message"]
    undecided = ", ".join(a for a in json.loads(POLICY)["Statement"][1]["Action"])
    assert [(r["path"], r["line"], r["message"]) for r in rl201["related"]] == [
        ("iam/push.json", 3, f"reglint could not decide {undecided} within its work bound")
    ]
    assert {f["rule"] for f in findings} == {"RL201"}  # each pattern is within the bound


def test_many_distinct_action_wildcards_are_checked_within_a_work_bound(tmp_path: Path) -> None:
    """3,000 action patterns within the bounds, each of which scans the whole catalogue
    (a wildcard service, and no action matches): about 0.3 s each without the bound."""
    letters = "bcdfghjklmnpqrstvwxz"
    names = [f"*:{a}?{b}?{c}?{d}?{e}?zq*" for a in letters for b in letters
             for c in letters[:5] for d in letters[:3] for e in "z"][:3000]  # fmt: skip
    policy = _policy({"Sid": "Odd", "Effect": "Allow", "Action": names, "Resource": "*"})
    findings = _findings(_project(tmp_path, policy, linked=False))
    rl203 = [f for f in findings if f["rule"] == "RL203"]
    assert rl203, "the first patterns are checked"
    assert all(f["path"] == "iam/push.json" and "matches no known action" in f["message"]
               for f in rl203)  # fmt: skip
    first = _position(policy, f'"{names[0]}"')[0]
    assert rl203[0]["line"] == first
