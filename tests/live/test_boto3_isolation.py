"""SPEC §5: boto3 is never imported by `check`, `rules` or `explain` — only by `aws
verify`. Each command runs in a child process that then reports `sys.modules` (the test
extra installs boto3, so an import anywhere on those paths would show)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MANIFEST, POLICY, write_tree
from resources import require_module

PROBE = """\
import json, sys
from reglint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps({name: name in sys.modules for name in ("boto3", "botocore", "reglint.live.session")}), file=sys.stderr)
"""
TIMEOUT = 120  # seconds: generous for a loaded machine; a run takes about one


def imported(folder: Path, *args: str) -> dict[str, bool]:
    env = {"PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": str(folder / "none"),
           "AWS_SHARED_CREDENTIALS_FILE": str(folder / "none"), "HTTPS_PROXY": "http://127.0.0.1:9",
           "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], check=False, cwd=folder, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)
    result: dict[str, bool] = json.loads(done.stderr.strip().splitlines()[-1])
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"registry.yaml": MANIFEST, "iam/push.json": POLICY})
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [("check", "."), ("check", ".", "--format", "sarif"), ("rules",), ("explain", "RL401"), ("schema", "registry-service")],
    ids=lambda args: " ".join(args),
)
def test_check_rules_and_explain_never_import_boto3(project: Path, args: tuple[str, ...]) -> None:
    assert imported(project, *args) == {"boto3": False, "botocore": False, "reglint.live.session": False}


def test_aws_verify_does_import_it(project: Path) -> None:
    """The probe sees an import when there is one: `aws verify` on an ECR manifest."""
    require_module("boto3", "the aws extra (boto3)")
    found = imported(project, "aws", "verify", ".", "--endpoint-url", "http://127.0.0.1:9")
    assert found["boto3"] and found["reglint.live.session"]
