"""RL108 push-policy-missing on manifest data: an operational ECR service needs a push policy."""

from __future__ import annotations

from typing import Any

import pytest
from rules.manifest_cases import (
    DROP,
    manifest,
    one,
    problems,
)


@pytest.mark.parametrize("method", ["iam-role", "access-keys"])
def test_rl108_operational_ecr_without_policies(method: str) -> None:
    problem = one("RL108", manifest(auth={"method": method}, iamPolicies=DROP))
    assert problem.path == ("spec",)
    assert problem.message == (
        f"this operational ECR registry authenticates with {method} but lists no "
        "spec.iamPolicies, so its push rights cannot be checked: list the policy files that "
        "grant the nine ECR push actions (paths relative to this manifest)"
    )


def test_rl108_an_empty_list_is_reported_on_the_list() -> None:
    problem = one("RL108", manifest(iamPolicies=[]))
    assert problem.path == ("spec", "iamPolicies")


# fmt: off
RL108_GOOD_CASES = [
    manifest(),                                                     # policies listed
    manifest(environment="playground", iamPolicies=DROP),          # not operational
    manifest(auth={"method": "basic"}, iamPolicies=DROP),          # RL105's business
    manifest(auth={"method": "none"}, iamPolicies=DROP),
    manifest("public.ecr.aws/alias", iamPolicies=DROP),            # ECR Public
    manifest("registry.example.com/ml", iamPolicies=DROP),
    manifest("ghcr.io/org", iamPolicies=DROP),
]
# fmt: on


@pytest.mark.parametrize("data", RL108_GOOD_CASES)
def test_rl108_good(data: dict[str, Any]) -> None:
    assert problems("RL108", data) == []


def test_rl108_broken_ecr_attempt_still_counts() -> None:
    data = manifest("12345678901.dkr.ecr.us-east-2.amazonaws.com/ml", iamPolicies=DROP)
    assert one("RL108", data).path == ("spec",)
