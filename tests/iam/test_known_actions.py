"""`known-actions:` in the config: actions (or patterns) newer than the bundled IAM
catalogue, which RL203 treats as known and RL201 evaluates like any other action."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, POLICY, write_tree

from reglint.config.files import ConfigError
from reglint.config.settings import load_config

NEW = "ecr:PutImageAttestation"  # not in the bundled catalogue


def _policy(*extra: str) -> str:
    data = json.loads(POLICY)
    data["Statement"][1]["Action"].extend(extra)
    return json.dumps(data, indent=2)


def _run(run_cli: Any, root: Path, config: str, policy: str, rules: str = "RL203") -> list[Any]:
    files: dict[str, str | bytes] = {
        ".git/HEAD": "",
        "registry.yaml": MANIFEST,
        "iam/push.json": policy,
    }
    if config:
        files[".reglint.yaml"] = config
    write_tree(root, files)
    result = run_cli("check", ".", "--select", rules, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return [
        (f["rule"], f["path"], f["line"], f["message"]) for f in json.loads(result.out)["findings"]
    ]


def test_a_new_action_is_rl203_without_known_actions(run_cli: Any, tmp_path: Path) -> None:
    ((rule, path, line, message),) = _run(run_cli, tmp_path, "", _policy(NEW))
    assert (rule, path, line) == ("RL203", "iam/push.json", 22)
    assert f"unknown action `{NEW}`" in message
    assert "known-actions" in message  # the message says how to declare a newer action


@pytest.mark.parametrize(
    ("known", "entries"),
    [
        ([NEW], [NEW]),
        (["ecr:putimageattestation"], [NEW]),  # action names are case-insensitive
        (["ecr:PutImageAtt*"], [NEW, "ecr:PutImageAttestationV2"]),
        ([NEW], ["ecr:PutImageAtt*", "ecr:*Attestation"]),  # a wildcard matching a known action
        (["newsvc:*"], ["newsvc:StartThing", "newsvc:Get*"]),  # a whole new service
    ],
)
def test_known_actions_are_not_rl203(
    run_cli: Any, tmp_path: Path, known: list[str], entries: list[str]
) -> None:
    config = f"known-actions: {json.dumps(known)}\n"
    assert _run(run_cli, tmp_path, config, _policy(*entries)) == []


def test_known_actions_leave_other_typos_reported(run_cli: Any, tmp_path: Path) -> None:
    config = f"known-actions: [{NEW}]\n"
    found = _run(run_cli, tmp_path, config, _policy(NEW, "ecr:PutImages"))
    assert [(rule, line) for rule, _, line, _ in found] == [("RL203", 23)]
    assert "did you mean `ecr:PutImage`?" in found[0][3]


def test_a_known_action_is_evaluated_by_rl201(run_cli: Any, tmp_path: Path) -> None:
    config = f"known-actions: [{NEW}]\nrequired-ecr-actions: [{NEW}]\n"
    assert _run(run_cli, tmp_path, config, _policy(NEW), "RL2") == []
    ((rule, path, line, message),) = _run(run_cli, tmp_path, config, _policy(), "RL2")
    assert (rule, path, line) == ("RL201", "registry.yaml", 13)
    assert message.startswith("1 of the 10 required ECR push actions is not allowed")
    assert f"{NEW} (not allowed by any statement)" in message


def test_known_actions_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / ".reglint.yaml"
    path.write_text("known-actions: [ecr:PutImageAttestation, 'newsvc:*']\n", encoding="utf-8")
    assert load_config(path).known_actions == ("ecr:PutImageAttestation", "newsvc:*")


@pytest.mark.parametrize("value", ["[PutImage]", "[1]", "ecr:PutImage", "['ecr: Put']"])
def test_a_bad_known_action_is_a_config_error_naming_the_key(tmp_path: Path, value: str) -> None:
    path = tmp_path / ".reglint.yaml"
    path.write_text(f"known-actions: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="known-actions"):
        load_config(path)
