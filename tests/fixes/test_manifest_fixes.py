"""The manifest fixes on real-looking YAML and JSON files: every other character of the
file stays — comments, quoting, CRLF line breaks, a BOM, odd indentation, flow style —
and only the fixed node changes (SPEC §6.5)."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from fixes.fixing import findings, fix, project

HEAD = """\
# The registry of the ml-prod system.
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry   # the service
  system: ml-prod
  environment: production
"""
AUTH = """\
  auth:
    method: iam-role
"""


def _fixed(run_cli: Any, tmp_path: Path, text: str | bytes, *args: str, name: str = "registry.yaml") -> bytes:
    root = project(tmp_path, {name: text})
    fix(run_cli, root, *args)
    return (root / name).read_bytes()


def test_rl102_scheme_and_upper_case_path_keep_the_comment(run_cli: Any, tmp_path: Path) -> None:
    text = HEAD + "spec:\n  url: https://123456789012.dkr.ecr.us-east-2.amazonaws.com/ML-Prod  # the ECR\n" + AUTH
    fixed = _fixed(run_cli, tmp_path, text).decode()
    assert fixed == text.replace("https://123456789012.dkr.ecr.us-east-2.amazonaws.com/ML-Prod", "123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod")
    assert not [f for f in findings(run_cli, tmp_path) if f["rule"] == "RL102"]


def test_rl102_keeps_the_quoting_the_crlf_and_the_bom(run_cli: Any, tmp_path: Path) -> None:
    text = HEAD + "spec:\n    url:    \"HTTPS://registry.example.com:5000/Team/Images\"\n" + AUTH.replace("  ", "    ")
    raw = codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode()
    fixed = _fixed(run_cli, tmp_path, raw)
    expected = raw.replace(b'"HTTPS://registry.example.com:5000/Team/Images"', b'"registry.example.com:5000/team/images"')
    assert fixed == expected


def test_rl102_in_flow_style(run_cli: Any, tmp_path: Path) -> None:
    text = HEAD + "spec: {type: external, url: 'https://registry.example.com/ML', auth: {method: none}}\n"
    fixed = _fixed(run_cli, tmp_path, text).decode()
    assert fixed == text.replace("'https://registry.example.com/ML'", "'registry.example.com/ml'")


def test_rl102_has_no_fix_when_dropping_the_scheme_is_not_enough(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": HEAD + "spec:\n  url: https://registry.example.com/ml?x=1\n"})
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL102"]
    assert found["fix"] is None
    # … nor when what remains would read as a Docker Hub path, not the host it named
    root = project(tmp_path / "hub", {"registry.yaml": HEAD + "spec:\n  url: https://registry/ml\n"})
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL102"]
    assert found["fix"] is None


def test_rl104_lower_cases_the_prefix_in_its_quotes(run_cli: Any, tmp_path: Path) -> None:
    text = HEAD + "spec:\n  url: registry.example.com/ml\n  imagePrefix: 'Runtime-'   # upper case\n"
    fixed = _fixed(run_cli, tmp_path, text).decode()
    assert fixed == text.replace("'Runtime-'", "'runtime-'")


def test_rl104_has_no_fix_when_lower_case_is_not_enough(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": HEAD + "spec:\n  url: registry.example.com/ml\n  imagePrefix: -Runtime\n"})
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL104"]
    assert found["fix"] is None


def test_rl002_renames_the_key_and_keeps_its_value_and_comment(run_cli: Any, tmp_path: Path) -> None:
    text = HEAD + "spec:\n  url: registry.example.com/ml\n  imagePrefx: team-a/   # misspelt\n"
    raw = text.replace("\n", "\r\n").encode()
    fixed = _fixed(run_cli, tmp_path, raw)
    assert fixed == raw.replace(b"imagePrefx:", b"imagePrefix:")


def test_rl002_renames_a_key_of_a_json_manifest(run_cli: Any, tmp_path: Path) -> None:
    text = (
        '{\n    "apiVersion": "reglint/v1",\n    "kind": "RegistryService",\n'
        '    "metadata": {"name": "r", "system": "s", "environment": "playground"},\n'
        '    "spec": {"type": "on-cluster", "rolee": "user"}\n}\n'
    )
    fixed = _fixed(run_cli, tmp_path, text, name="registry.json").decode()
    assert fixed == text.replace('"rolee"', '"role"')


def test_rl002_has_no_fix_without_one_sure_suggestion(run_cli: Any, tmp_path: Path) -> None:
    root = project(tmp_path, {"registry.yaml": HEAD + "spec:\n  url: registry.example.com/ml\n  zzzzzz: 1\n"})
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL002"]
    assert found["fix"] is None


def test_rl106_becomes_a_reference_to_an_environment_variable(run_cli: Any, tmp_path: Path) -> None:
    text = (
        HEAD.replace("name: docker-registry", "name: custom.docker-registry")
        + "spec:\n  url: registry.example.com/ml\n  auth:\n    method: basic\n    username: bob\n"
        + "    password: hunter2-but-longer   # pasted by mistake\n"
    )
    fixed = _fixed(run_cli, tmp_path, text, "--unsafe-fixes").decode()
    assert fixed == text.replace(
        "hunter2-but-longer", "{fromEnv: REGLINT_ML_PROD_CUSTOM_DOCKER_REGISTRY_PASSWORD}"
    )
    assert not [f for f in findings(run_cli, tmp_path) if f["rule"] == "RL106"]


def test_rl106_in_a_json_manifest(run_cli: Any, tmp_path: Path) -> None:
    text = (
        '{"apiVersion": "reglint/v1", "kind": "RegistryService",\n'
        ' "metadata": {"name": "r", "system": "s", "environment": "playground"},\n'
        ' "spec": {"url": "registry.example.com/ml", "auth": {"method": "basic", "username": "u", "password": "p4ss"}}}\n'
    )
    fixed = _fixed(run_cli, tmp_path, text, "--unsafe-fixes", name="registry.json").decode()
    assert fixed == text.replace('"p4ss"', '{"fromEnv": "REGLINT_S_R_PASSWORD"}')


def test_rl106_in_a_block_scalar_keeps_the_next_line(run_cli: Any, tmp_path: Path) -> None:
    text = HEAD + "spec:\n  url: registry.example.com/ml\n  auth:\n    method: basic\n    username: u\n    password: |\n      p4ss\n  role: user\n"
    fixed = _fixed(run_cli, tmp_path, text, "--unsafe-fixes").decode()
    assert fixed == text.replace("|\n      p4ss\n", "{fromEnv: REGLINT_ML_PROD_DOCKER_REGISTRY_PASSWORD}\n")


def test_an_anchored_value_gets_no_fix(run_cli: Any, tmp_path: Path) -> None:
    """Rewriting an anchored node could change what its aliases mean: no fix."""
    text = HEAD + "spec:\n  url: &u https://registry.example.com/ML\n  auth:\n    method: none\nextra: *u\n"
    root = project(tmp_path, {"registry.yaml": text})
    (found,) = [f for f in findings(run_cli, root) if f["rule"] == "RL102"]
    assert found["fix"] is None
