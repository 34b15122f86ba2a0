"""`reglint check --add-ignore REASON` (SPEC §6.5): adopt reglint on a repository with
findings. After it, a run finds nothing new and no unused suppression (RL004)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fixes.fixing import findings, project

MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
  system: ml-prod
  environment: production
spec:
  type: external
  url: https://registry.example.com/ML   # the team's registry
  imagePrefix: Runtime-
  auth:
    method: basic
    username: bob
    password: "hunter2
      and more"
  resources:
    requests: {cpu: 250m, memory: 256Mi}
    limits: {cpu: "1", memory: 1Gi}
"""
POLICY = {
    "Version": "2008-10-17",
    "Statement": [
        {"Sid": "Push", "Effect": "Allow", "Action": ["ecr:PutImages"], "Resource": "*"},
        {"Effect": "Allow", "Action": "ecr:Zzzz", "Resource": "*"},
    ],
}


def test_yaml_findings_get_comments_and_a_second_run_is_clean(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": MANIFEST})
    assert {f["rule"] for f in findings(run_cli, root)} >= {"RL102", "RL104", "RL106"}
    result = run_cli("check", ".", "--add-ignore", "adopted in PLAT-7", cwd=root)
    assert result.code == 0, result
    assert result.out == ""
    assert "reglint: added 3 ignore comments to 1 file" in result.err
    text = (root / "registry.yaml").read_text()
    comment = "# reglint: ignore[{}] -- adopted in PLAT-7"
    # a line with a comment already, and a line that ends inside a quoted string that goes on,
    # get theirs on a line of their own above; the others at their end
    assert f"  {comment.format('RL102')}\n  url: https://registry.example.com/ML   # the team's registry\n" in text
    assert f"  imagePrefix: Runtime-  {comment.format('RL104')}\n" in text
    assert f"    {comment.format('RL106')}\n    password: \"hunter2\n" in text
    assert findings(run_cli, root) == []  # nothing new, no RL004
    suppressed = json.loads(run_cli("check", ".", "--format", "json", cwd=root).out)["findings"]
    assert {f["suppressed"]["justification"] for f in suppressed} == {"adopted in PLAT-7"}


def test_json_findings_become_config_entries_to_paste(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"iam/push[1].json": json.dumps(POLICY, indent=2)})
    result = run_cli("check", ".", "--add-ignore", "legacy policy", cwd=root)
    assert result.code == 0, result
    assert result.out == (
        "# reglint --add-ignore: paste these entries under `suppressions:` in the config\n"
        "suppressions:\n"
        '  - path: "/iam/push\\\\[1\\\\].json"\n    rule: "RL205"\n    reason: "legacy policy"\n'
        '  - path: "/iam/push\\\\[1\\\\].json"\n    rule: "RL203"\n    sid: "Push"\n    reason: "legacy policy"\n'
        '  - path: "/iam/push\\\\[1\\\\].json"\n    rule: "RL203"\n    reason: "legacy policy"\n'
    )
    (root / ".reglint.yaml").write_text(result.out.split("\n", 1)[1])
    assert findings(run_cli, root) == []  # every finding suppressed, no entry unused (RL004)


def test_the_reason_is_one_line_and_its_control_characters_are_escaped(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": MANIFEST})
    result = run_cli("check", ".", "--add-ignore", "two\nlines", cwd=root)
    assert result.code == 2 and "one line" in result.err
    assert run_cli("check", ".", "--add-ignore", "  ", cwd=root).code == 2
    run_cli("check", ".", "--add-ignore", "tab\there \x1b[31m", cwd=root)
    assert "-- tab\\there \\x1b[31m\n" in (root / "registry.yaml").read_text()


def test_add_ignore_edits_files_only(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": MANIFEST})
    assert run_cli("check", "-", "--add-ignore", "x", cwd=root, stdin=MANIFEST.encode()).code == 2
    assert run_cli("check", ".", "--diff", "--add-ignore", "x", cwd=root).code == 2
    assert (root / "registry.yaml").read_text() == MANIFEST
