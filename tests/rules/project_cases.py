"""What the tests of the cross-file rules (RL101, RL301, RL302, RL303) share: a manifest
written as text, and the findings of a run over a project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"


def manifest(
    system: str,
    url: str | None = None,
    *,
    name: str = "registry",
    env: str = "production",
    role: str = "user",
    prefix: str | None = None,
    tenant: str | None = None,
    policies: list[str] | None = None,
) -> str:
    lines = [
        "apiVersion: reglint/v1",
        "kind: RegistryService",
        "metadata:",
        f"  name: {name}",
        f"  system: {system}",
        f"  environment: {env}",
    ]
    if tenant:
        lines.append(f"  tenant: {tenant}")
    lines.append("spec:")
    if url is None:
        lines.append("  type: on-cluster")
    else:
        lines += [f"  role: {role}", f"  url: {url}"]
        if prefix is not None:
            lines.append(f"  imagePrefix: {prefix}")
    if policies:
        lines.append("  iamPolicies:")
        lines += [f"    - {p}" for p in policies]
    return "\n".join(lines) + "\n"


def findings(run_cli: Any, root: Path, *args: str, rules: str = "RL1,RL3") -> list[tuple[str, str, int, str]]:
    result = run_cli("check", *(args or (".",)), "--select", rules, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return [
        (f["rule"], f["path"], f["line"], f["severity"])
        for f in json.loads(result.out)["findings"]
        if f["rule"] in ("RL101", "RL301", "RL302", "RL303")
    ]
