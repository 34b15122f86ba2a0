"""The IAM policy fixes on real-looking JSON and YAML policies: the file keeps its
indentation, its line breaks and its comments (YAML), and only the fixed nodes change
(SPEC §6.5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixes.fixing import findings, fix, prints, project

ARN = "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*"
MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata: {name: docker-registry, system: ml-prod, environment: production}
spec:
  type: external
  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod
  auth: {method: iam-role}
  iamPolicies: [POLICY]
"""
PUSH = [
    "ecr:CreateRepository", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
    "ecr:PutImage", "ecr:UploadLayerPart",
]  # fmt: skip


def _fixed(run_cli: Any, root: Path, name: str, *args: str) -> str:
    before = findings(run_cli, root)
    fix(run_cli, root, *args)
    after = findings(run_cli, root)
    assert prints(after) <= prints(before), "a fix added a finding"
    return (root / name).read_bytes().decode()


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_rl205_adds_the_version_first_in_the_files_indentation(newline: str, run_cli: Any, tmp_path: Path) -> None:
    text = '{\n    "Statement": [\n        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}\n    ]\n}\n'
    root = project(tmp_path, {"p.json": text.replace("\n", newline).encode()})
    fixed = _fixed(run_cli, root, "p.json")
    assert fixed == text.replace('{\n    "Statement"', '{\n    "Version": "2012-10-17",\n    "Statement"').replace("\n", newline)
    json.loads(fixed)


def test_rl205_on_one_line(run_cli: Any, tmp_path: Path) -> None:
    text = '{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}'
    root = project(tmp_path, {"p.json": text})
    assert _fixed(run_cli, root, "p.json") == '{"Version": "2012-10-17", ' + text[1:]


def test_rl205_replaces_the_old_version(run_cli: Any, tmp_path: Path) -> None:
    text = '{\n\t"Version": "2008-10-17",\n\t"Statement": []\n}\n'
    root = project(tmp_path, {"p.json": text})
    assert _fixed(run_cli, root, "p.json") == text.replace("2008-10-17", "2012-10-17")


def test_rl205_in_yaml_goes_above_the_comments_of_the_first_key(run_cli: Any, tmp_path: Path) -> None:
    text = (
        "# the push policy\n\n"
        "# reglint: ignore[RL203] -- a future action (PLAT-9)\n"
        "Statement:\n  - Effect: Allow\n    Action: ecr:PutImageX\n    Resource: '*'\n"
    )
    root = project(tmp_path, {"p.yaml": text})
    fixed = _fixed(run_cli, root, "p.yaml")
    # quoted: unquoted, YAML 1.1 would read 2012-10-17 as a date
    assert fixed == text.replace("\n\n# reglint", "\n\nVersion: '2012-10-17'\n# reglint")
    assert not [f for f in findings(run_cli, root) if f["rule"] in ("RL203", "RL004", "RL205")]


def test_rl205_in_a_yaml_flow_mapping(run_cli: Any, tmp_path: Path) -> None:
    text = "{Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}\n"
    root = project(tmp_path, {"p.yaml": text})
    assert _fixed(run_cli, root, "p.yaml") == "{Version: '2012-10-17', " + text[1:]


def test_rl203_replaces_the_action_and_keeps_the_comment(run_cli: Any, tmp_path: Path) -> None:
    text = (
        "Version: '2012-10-17'\nStatement:\n- Effect: Allow\n  Action:\n  - ecr:BatchGetImage\n"
        "  - \"ecr:PutImages\"   # the push\n  Resource: '*'\n"
    )
    root = project(tmp_path, {"p.yaml": text})
    assert _fixed(run_cli, root, "p.yaml") == text  # unsafe: not without --unsafe-fixes
    assert _fixed(run_cli, root, "p.yaml", "--unsafe-fixes") == text.replace('"ecr:PutImages"', '"ecr:PutImage"')


def test_rl203_has_no_fix_without_one_close_action(run_cli: Any, tmp_path: Path) -> None:
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:Zzzzzz", "Resource": "*"}]}
    root = project(tmp_path, {"p.json": json.dumps(policy)})
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL203"]
    assert found["fix"] is None


def _linked(tmp_path: Path, name: str, policy: str) -> Path:
    return project(tmp_path, {"registry.yaml": MANIFEST.replace("POLICY", name), name: policy})


def test_rl201_adds_the_missing_action_to_the_statement_that_grants_the_others(run_cli: Any, tmp_path: Path) -> None:
    statements = [
        {"Sid": "Token", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {"Sid": "Push", "Effect": "Allow", "Action": PUSH[1:], "Resource": ARN},
    ]
    text = json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=4) + "\n"
    root = _linked(tmp_path, "push.json", text)
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL201"]
    assert found["fix"]["safety"] == "unsafe"
    assert found["fix"]["edits"][0]["path"] == "push.json"  # the finding is on the manifest
    fixed = _fixed(run_cli, root, "push.json", "--unsafe-fixes")
    assert fixed == text.replace('"ecr:UploadLayerPart"', '"ecr:UploadLayerPart",\n                "ecr:CreateRepository"')
    assert not [f for f in findings(run_cli, root) if f["rule"] == "RL201"]


def test_rl201_adds_a_statement_in_yaml_in_the_files_sequence_style(run_cli: Any, tmp_path: Path) -> None:
    text = (
        "Version: '2012-10-17'\n"
        "Statement:\n"
        "    - Sid: Push   # wrong region\n"
        "      Effect: Allow\n"
        "      Action:\n"
        "          - ecr:GetAuthorizationToken\n"
        "      Resource: '*'\n"
    )
    root = _linked(tmp_path, "push.yaml", text)
    fixed = _fixed(run_cli, root, "push.yaml", "--unsafe-fixes")
    added = "".join(f"          - {action}\n" for action in PUSH)
    assert fixed == text + f"    - Effect: Allow\n      Action:\n{added}      Resource: {ARN}\n"
    assert not [f for f in findings(run_cli, root) if f["rule"] == "RL201"]


def test_rl204_narrows_ecr_star_to_the_namespace(run_cli: Any, tmp_path: Path) -> None:
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Ecr",\n      "Effect": "Allow",\n      "Action": "ecr:*",\n      "Resource": "*"\n    }\n  ]\n}\n'
    root = _linked(tmp_path, "push.json", text)
    fixed = _fixed(run_cli, root, "push.json", "--unsafe-fixes")
    policy = json.loads(fixed)
    assert policy["Statement"] == [
        {"Sid": "Ecr", "Effect": "Allow", "Action": PUSH, "Resource": ARN},
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
    ]
    assert fixed.startswith('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Ecr",\n      "Effect": "Allow",\n      "Action": [\n        "ecr:CreateRepository",\n')
    assert not [f for f in findings(run_cli, root) if f["rule"] in ("RL201", "RL204")]


def test_rl204_on_a_standalone_policy_has_no_fix(run_cli: Any, tmp_path: Path) -> None:
    """No manifest links it: no namespace to narrow the grant to."""
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}
    root = project(tmp_path, {"p.json": json.dumps(policy), ".reglint.yaml": "ecr-push-policies: ['*.json']\n"})
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL204"]
    assert found["fix"] is None


def test_rl203_renames_only_a_typo(run_cli: Any, tmp_path: Path) -> None:
    """An action newer than the catalogue is often close to an old one: the message may
    suggest it, but the fix would grant something else entirely."""
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "cloud9:ValidateEnvironmentName", "Resource": "*"}]}
    root = project(tmp_path, {"p.json": json.dumps(policy)})
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL203"]
    assert "did you mean `cloud9:UpdateEnvironment`?" in found["message"]
    assert found["fix"] is None
