"""SPEC §6.4: nothing is printed from which the credentials could be read. Distinctive
fake credentials (live_aws.CANARY_*) are set for every live run; each output — stdout
in every format, stderr, the written report — of a clean run, a run with findings, and
each kind of failure is searched for them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fake_aws import FakeAws, Role, fake_aws
from helpers import write_tree
from live_aws import (
    CANARIES,
    CANARY_KEY_ID,
    aws_environment,
    ecr_manifest,
    network_guard,
    push_policy,
)

from reglint.report import REPORTERS

__all__ = ["fake_aws", "network_guard"]  # fixtures, by import

MANIFEST = ecr_manifest()
# Throttling waits for the SDK's retries: seconds, so it is among the slow tests.
SCENARIOS = ["clean", "findings", "denied", pytest.param("throttled", marks=pytest.mark.slow), "bare-403", "refused"]


def scenario(fake: FakeAws, name: str) -> None:
    fake.roles["nodes"] = Role("nodes", inline={"push": push_policy()})
    if name == "findings":
        fake.roles["nodes"].inline = {"push": {"Version": "2012-10-17", "Statement": []}}
    elif name == "denied":
        fake.deny.add("iam:GetRolePolicy")
    elif name == "throttled":
        fake.throttle.add("ecr:DescribeRepositories")
    elif name == "bare-403":
        fake.bare_403.add("ecr:DescribeRepositories")
    elif name == "refused":
        fake.refuse.add("sts:GetCallerIdentity")


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("output_format", list(REPORTERS))
def test_no_output_holds_the_credentials(
    name: str, output_format: str, run_cli: Any, fake_aws: FakeAws, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, network_guard: Any,
) -> None:
    aws_environment(monkeypatch, tmp_path)
    scenario(fake_aws, name)
    write_tree(tmp_path, {"registry.yaml": MANIFEST})
    (tmp_path / ".git").mkdir()
    report = tmp_path / "out" / "report.txt"
    for args in ((), ("--output", str(report), "--debug", "--statistics")):
        result = run_cli("aws", "verify", ".", "--endpoint-url", fake_aws.url, "--format", output_format, *args,
                         cwd=tmp_path)
        assert result.code == (0 if name == "clean" else 1 if name == "findings" else 2), result
        written = report.read_text(encoding="utf-8") if report.exists() else ""
        for canary in CANARIES:
            for where, text in (("stdout", result.out), ("stderr", result.err), ("--output", written)):
                assert canary not in text, f"{where} of {name}/{output_format} holds {canary!r}"
        for leaked in ("Credential=", "Signature=", "X-Amz-Security-Token", "AWS4-HMAC-SHA256", CANARY_KEY_ID[:12]):
            assert leaked not in result.out + result.err + written
