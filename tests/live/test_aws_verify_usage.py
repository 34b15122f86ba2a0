"""`reglint aws verify`'s usage errors: one line on stderr, exit 2, before AWS is asked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from live_aws import aws_environment

MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
  system: ml-prod
  environment: production
spec:
  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    aws_environment(monkeypatch, tmp_path)
    write_tree(tmp_path, {"registry.yaml": MANIFEST})
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.mark.parametrize("role", ["arn:aws:iam::123456789012:user/ci", "ml-nodes", "arn:aws:iam::12:role/x"])
def test_role_must_be_a_role_arn(role: str, run_cli: Any, project: Path) -> None:
    result = run_cli("aws", "verify", ".", "--role", role, cwd=project)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("reglint: error: Invalid value for '--role': must be an IAM role ARN")


def test_standard_input_is_not_read(run_cli: Any, project: Path) -> None:
    result = run_cli("aws", "verify", "-", cwd=project)
    assert result.code == 2
    assert result.err == "reglint: error: aws verify reads manifests from files: '-' (standard input) is not supported\n"


def test_a_path_that_does_not_exist_and_an_unknown_rule_are_usage_errors(run_cli: Any, project: Path) -> None:
    assert run_cli("aws", "verify", "nope", cwd=project).err == "reglint: error: path does not exist: nope\n"
    result = run_cli("aws", "verify", ".", "--select", "RL499", cwd=project)
    assert result.code == 2 and "unknown rule selector 'RL499'" in result.err


def test_without_boto3_the_command_says_how_to_install_it(project: Path) -> None:
    probe = (
        "import sys; sys.modules['boto3'] = None\n"  # `import boto3` now fails, as when it is not installed
        "from reglint.cli import main\nmain(['aws', 'verify', '.', '--endpoint-url', 'http://127.0.0.1:9'])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("reglint: error: `reglint aws verify` needs boto3: install it with "
                           "pip install 'reglint[aws]'\n")


def test_report_options_are_checks_two_reports_on_standard_output_are_a_usage_error(
    run_cli: Any, project: Path
) -> None:
    result = run_cli("aws", "verify", ".", "--format", "json", "--format", "gitlab", cwd=project)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("reglint: error: --format json and --format gitlab both write to standard output")
    result = run_cli("aws", "verify", ".", "--format", "sarif=a.sarif", "--output", "b.sarif", cwd=project)
    assert result.code == 2 and "--output cannot be combined with --format FORMAT=FILE" in result.err
    result = run_cli("aws", "verify", ".", "--format", "yaml", cwd=project)
    assert result.code == 2 and "'yaml' is not one of 'text', 'json'" in result.err
