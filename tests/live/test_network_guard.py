"""No test may reach AWS (SPEC §6.4): the live tests' environment sends anything that is
not for 127.0.0.1 to a dead proxy, and their audit hook refuses (and records) any
connection or name lookup off the loopback (tests/live_aws.py). Both are tested here."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from live_aws import GUARD, aws_environment, ecr_manifest, network_guard

__all__ = ["network_guard"]  # fixture, by import

MANIFEST = ecr_manifest()


def test_a_run_without_endpoint_url_cannot_leave_the_machine(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, network_guard: Any
) -> None:
    """Without --endpoint-url boto3 aims at AWS: the request goes to the dead proxy on
    127.0.0.1, fails as one line, and no socket or lookup left the loopback."""
    aws_environment(monkeypatch, tmp_path)
    write_tree(tmp_path, {"registry.yaml": MANIFEST})
    (tmp_path / ".git").mkdir()
    result = run_cli("aws", "verify", ".", cwd=tmp_path)
    assert result.code == 2, result
    assert result.err == ("reglint: error: cannot reach the STS endpoint of AWS for sts:GetCallerIdentity: "
                          "the HTTP(S) proxy refused the connection\n")
    assert network_guard.leaks == []


def test_the_guard_refuses_and_records_what_leaves_the_loopback() -> None:
    GUARD.active, GUARD.leaks = True, []
    try:
        with pytest.raises(OSError, match="test guard"):
            socket.getaddrinfo("sts.amazonaws.com", 443)
        with socket.socket() as sock, pytest.raises(OSError, match="test guard"):
            sock.connect(("192.0.2.1", 443))  # TEST-NET-1: never routed, and never tried
    finally:
        GUARD.active = False
    assert GUARD.leaks == ["lookup 'sts.amazonaws.com'", "connect '192.0.2.1'"]
    GUARD.leaks = []
