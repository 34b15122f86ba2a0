"""RL107 resource-limits on manifest data and through a run: quantities as Kubernetes
values them, requests within limits, missing limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rules.manifest_cases import (
    BLOCK,
    DROP,
    SECRET,
    manifest,
    one,
    problems,
)

from reglint.loading.document import DataPath

# fmt: off
RL107_BAD_CASES = [
    ({"requests": {"cpu": "1GB", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
     ("spec", "resources", "requests", "cpu"),
     "invalid cpu request: '1GB' is not a Kubernetes quantity"),
    ({"limits": {"cpu": "1", "memory": "512mb"}},
     ("spec", "resources", "limits", "memory"),
     "invalid memory limit: '512mb' is not a Kubernetes quantity"),
    ({"limits": {"cpu": "1", "memory": "512m"}},
     ("spec", "resources", "limits", "memory"),
     ("likely typo in memory limit: memory '512m' means 0.512 bytes ('m' is a fraction of "
      "a byte, and Kubernetes rounds it up to whole bytes): did you mean '512Mi' or "
      "'512M'?")),
    ({"requests": {"cpu": "0.0005"}, "limits": {"cpu": "1", "memory": "1Gi"}},
     ("spec", "resources", "requests", "cpu"),
     "likely typo in cpu request: cpu '0.0005' is finer than 1m (0.001 cores)"),
    ({"limits": {"cpu": "1", "memory": "Mi"}},
     ("spec", "resources", "limits", "memory"),
     "likely typo in memory limit: 'Mi' has no digits, so Kubernetes reads it as 0"),
    ({"limits": {"cpu": "1", "memory": "-1Gi"}},
     ("spec", "resources", "limits", "memory"),
     "invalid memory limit: memory '-1Gi' is negative"),
    ({"limits": {"cpu": "1", "memory": "1e100"}},
     ("spec", "resources", "limits", "memory"),
     "likely typo in memory limit: '1e100' has an exponent beyond ±64"),
    ({"limits": {"cpu": True, "memory": "1Gi"}},
     ("spec", "resources", "limits", "cpu"), "invalid cpu limit: true is not a quantity"),
    ({"requests": {"cpu": "2"}, "limits": {"cpu": "1", "memory": "1Gi"}},
     ("spec", "resources", "requests", "cpu"),
     ("cpu request '2' is above its limit '1', so Kubernetes rejects the pod: lower the "
      "request or raise the limit")),
    ({"requests": {"memory": "2Gi"}, "limits": {"cpu": "1", "memory": "2G"}},
     ("spec", "resources", "requests", "memory"),
     "memory request '2Gi' is above its limit '2G' (2147483648 > 2000000000 bytes)"),
    ({"requests": {"cpu": 0.5}, "limits": {"cpu": "250m", "memory": "1Gi"}},
     ("spec", "resources", "requests", "cpu"),
     "cpu request '0.5' is above its limit '250m' (0.5 > 0.25 cores)"),
    ({"limits": {"memory": "1Gi"}}, ("spec", "resources", "limits"),
     ("the service (environment 'production') has no cpu limit: set "
      "spec.resources.limits.cpu (for example \"1\") so that a busy push cannot starve "
     "its node")),
    ({"limits": {"cpu": 1}}, ("spec", "resources", "limits"),
     "has no memory limit: set spec.resources.limits.memory (for example 1Gi)"),
]
# fmt: on


@pytest.mark.parametrize(("resources", "path", "message"), RL107_BAD_CASES)
def test_rl107_bad(resources: dict[str, Any], path: DataPath, message: str) -> None:
    problem = one("RL107", manifest(resources=resources))
    assert message in problem.message
    assert problem.path == path
    assert problem.severity is None  # the rule's default: warning


@pytest.mark.parametrize(
    ("data", "path"),
    [(manifest(resources={"requests": {"cpu": "1"}}), ("spec", "resources")),
     (manifest(resources=DROP), ("spec",)),
     (manifest(resources=DROP, environment=DROP), ("spec",))],
)  # fmt: skip
def test_rl107_missing_limits_sit_on_the_mapping_that_lacks_them(
    data: dict[str, Any], path: DataPath
) -> None:
    problem = one("RL107", data)  # one finding per node, naming both limits
    assert problem.path == path
    assert problem.identity == "missing-limit.cpu+missing-limit.memory"
    assert problem.message.endswith(
        "has no cpu limit and no memory limit: set spec.resources.limits.cpu (for example "
        '"1") and spec.resources.limits.memory (for example 1Gi) so that a busy push cannot '
        "starve its node"
    )


def test_rl107_a_service_without_environment_is_operational() -> None:
    found = problems("RL107", manifest(resources=DROP, environment=DROP))
    assert "the service (no environment, so operational) has no cpu limit" in found[0].message


# Kubernetes compares quantities as it stores them: rounded up to whole nano-units,
# binary quantities capped at 2^63-1. These pairs are equal to Kubernetes.
@pytest.mark.parametrize(
    ("asked", "limit"),
    [("9Ei", "9223372036854775807"), ("10Ei", "9Ei"), ("9223372036854775807Ki", "8Ei")],
)
def test_rl107_saturated_quantities_are_equal(asked: str, limit: str) -> None:
    resources = {"requests": {"memory": asked}, "limits": {"cpu": "1", "memory": limit}}
    assert problems("RL107", manifest(resources=resources)) == []


def test_rl107_rounded_quantities_are_equal() -> None:
    resources = {"requests": {"memory": "1.5n"}, "limits": {"cpu": "1", "memory": "2n"}}
    found = problems("RL107", manifest(resources=resources))
    assert [p.message.split(":")[0] for p in found] == [
        "likely typo in memory request", "likely typo in memory limit"
    ]  # fmt: skip
    assert not any("above its limit" in p.message for p in found)


def test_rl107_a_likely_typo_still_takes_part_in_the_comparison() -> None:
    resources = {"requests": {"cpu": "1500u"}, "limits": {"cpu": "1m", "memory": "1Gi"}}
    problem = one("RL107", manifest(resources=resources))  # one finding at requests.cpu
    assert problem.path == ("spec", "resources", "requests", "cpu")
    assert problem.message == (
        "likely typo in cpu request: cpu '1500u' is finer than 1m (0.001 cores), the "
        "smallest CPU amount Kubernetes uses: it rounds it up to '2m'; write whole "
        "millicores; cpu request '1500u' is above its limit '1m' (0.0015 > 0.001 cores), so "
        "Kubernetes rejects the pod: lower the request or raise the limit"
    )
    assert problem.identity == "invalid-request.cpu:1500u+request-above-limit.cpu"


@pytest.mark.parametrize(
    "resources",
    [DROP, {}, {"requests": {"cpu": "250m"}}, {"limits": {"cpu": "1"}}],
)
def test_rl107_playground_needs_no_limits(resources: object) -> None:
    assert problems("RL107", manifest(environment="playground", resources=resources)) == []


def test_rl107_playground_still_gets_invalid_quantities_and_requests_above_limits() -> None:
    data = manifest(environment="playground",
                    resources={"requests": {"cpu": "2", "memory": "1 Gi"},
                               "limits": {"cpu": "1"}})  # fmt: skip
    found = problems("RL107", data)
    assert [p.identity for p in found] == [
        "request-above-limit.cpu", "invalid-request.memory:1 Gi"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "resources",
    [{"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
     {"requests": {"cpu": "1000m", "memory": "1Gi"}, "limits": {"cpu": 1, "memory": "1024Mi"}},
     {"limits": {"cpu": 0.5, "memory": "1e9"}},
     {"requests": {"cpu": 0.1}, "limits": {"cpu": "100m", "memory": "1G"}}],
)  # fmt: skip
def test_rl107_good(resources: dict[str, Any]) -> None:
    assert problems("RL107", manifest(resources=resources)) == []


def test_rl107_through_the_engine(run_cli: Any, tmp_path: Any, with_registry_checks: None) -> None:
    (tmp_path / ".git").mkdir()
    text = BLOCK.replace(f"password: {SECRET}", "password: {fromEnv: P}").replace(
        '    requests: {cpu: 250m, memory: 256Mi}\n    limits: {cpu: "1", memory: 1Gi}\n',
        "    requests:\n      cpu: 2n\n      memory: 9Ei\n"
        "    limits:\n      cpu: 1.5n\n      memory: 9223372036854775807\n",
    )
    (tmp_path / "registry.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", ".", "--select", "RL107", "--format", "json", cwd=tmp_path)
    found = [(f["rule"], f["path"], f["line"], f["column"], f["severity"], f["message"])
             for f in json.loads(result.out)["findings"]]  # fmt: skip
    assert found == [
        ("RL107", "registry.yaml", 16, 12, "warning",
         ("likely typo in cpu request: cpu '2n' is finer than 1m (0.001 cores), the smallest "
          "CPU amount Kubernetes uses: it rounds it up to '1m'; write whole millicores")),
        ("RL107", "registry.yaml", 19, 12, "warning",
         ("likely typo in cpu limit: cpu '1.5n' is finer than 1m (0.001 cores), the smallest "
          "CPU amount Kubernetes uses: it rounds it up to '1m'; write whole millicores")),
    ]  # fmt: skip
    assert result.code == 0  # warnings only: 2n and 1.5n are equal to Kubernetes
