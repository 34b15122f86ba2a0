"""RL103 malformed-ecr-url on manifest data: rule, data path, words of the message, severity."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rules.manifest_cases import (
    BLOCK,
    ECR,
    SECRET,
    URL,
    manifest,
    one,
    problems,
)

from reglint.findings import Severity
from reglint.model.aws_partitions import botocore_version

# fmt: off
RL103_BAD_CASES = [
    ("12345678901.dkr.ecr.us-east-2.amazonaws.com/ml",
     ("malformed ECR host '12345678901.dkr.ecr.us-east-2.amazonaws.com': account ID "
      "'12345678901' has 11 digits: an AWS account ID is exactly 12 digits")),
    ("123456789012.dkr.ecr..amazonaws.com/ml",
     "malformed ECR host '123456789012.dkr.ecr..amazonaws.com': the region is empty"),
    ("123456789012.dkr.ecr.useast2.amazonaws.com/ml",
     ("region 'useast2' is malformed: regions look like 'us-east-1' (did you mean "
      "'us-east-2'?)")),
    ("123456789012.dkr.ecr.cn-north-1.amazonaws.com/ml",
     ("region 'cn-north-1' is in partition aws-cn, whose DNS suffix is "
      "'.amazonaws.com.cn', not '.amazonaws.com'")),
    ("123456789012.dkr-ecr.us-east-2.amazonaws.com/ml",
     "a dual-stack ECR host ends in '.on.aws', not '.amazonaws.com'"),
    ("https://123456789012.dkr.ecr.eu-west-1.amazonaws.co/ml",
     "not '.amazonaws.co'"),
]
# fmt: on


@pytest.mark.parametrize(("url", "message"), RL103_BAD_CASES)
def test_rl103_bad(url: str, message: str) -> None:
    problem = one("RL103", manifest(url))
    assert message in problem.message
    assert problem.path == URL
    assert problem.severity is Severity.ERROR


def test_rl103_names_every_reason_in_one_problem() -> None:
    problem = one("RL103", manifest("1234.dkr.ecr..amazonaws.com/ml"))
    assert problem.message.startswith(
        "malformed ECR host '1234.dkr.ecr..amazonaws.com': account ID '1234' has 4 digits: "
        "an AWS account ID is exactly 12 digits (<account>.dkr.ecr.<region>.amazonaws.com); "
        "the region is empty ('dkr.ecr..')"
    )
    assert problem.identity == (
        "account:1234.dkr.ecr..amazonaws.com+region-missing:1234.dkr.ecr..amazonaws.com"
    )


def test_rl103_an_error_and_a_warning_of_one_host_are_one_error() -> None:
    problem = one("RL103", manifest("1234.dkr.ecr.us-east-9.amazonaws.com/ml"))
    assert problem.severity is Severity.ERROR
    assert problem.message.startswith(
        "malformed ECR host '1234.dkr.ecr.us-east-9.amazonaws.com': account ID '1234' has 4 "
    )
    assert "; region 'us-east-9' is not in botocore" in problem.message


def test_rl103_unknown_region_is_a_warning_naming_the_botocore_version() -> None:
    problem = one("RL103", manifest("123456789012.dkr.ecr.us-east-9.amazonaws.com/ml"))
    assert problem.severity is Severity.WARNING
    assert problem.path == URL
    assert problem.message.startswith(
        "ECR host '123456789012.dkr.ecr.us-east-9.amazonaws.com': region 'us-east-9' is not "
        f"in botocore {botocore_version()}'s data"
    )
    assert problem.identity == "unknown-region:123456789012.dkr.ecr.us-east-9.amazonaws.com"


@pytest.mark.parametrize(
    "url",
    [f"{ECR}/ml", "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/ml",
     "123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn/ml",
     "123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu/ml",
     "123456789012.dkr.ecr.us-iso-west-1.c2s.ic.gov/ml",
     "123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov/ml",
     "123456789012.dkr-ecr-fips.us-east-1.on.aws/ml",
     "123456789012.dkr.ecr.cn-north-1.on.amazonwebservices.com.cn/ml",
     "123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn/ml",
     "123456789012.dkr-ecr.us-gov-east-1.on.aws/ml",
     "public.ecr.aws/my-alias", "ecr-public.aws.com/my-alias", "registry.example.com/ml",
     "ghcr.io/org", "team/ml"],
)  # fmt: skip
def test_rl103_good(url: str) -> None:
    assert problems("RL103", manifest(url)) == []


def test_china_dual_stack_host_through_the_engine(
    run_cli: Any, tmp_path: Any, with_registry_checks: None
) -> None:
    """SPEC §6.6: the China dual-stack host is ECR (RL105 knows it), and valid (no RL103)."""
    (tmp_path / ".git").mkdir()
    good = "123456789012.dkr.ecr.cn-north-1.on.amazonwebservices.com.cn/ml"
    bad = "123456789012.dkr-ecr.cn-north-1.on.aws/ml"
    text = BLOCK.replace(f"{ECR}/ml-prod", good).replace(f"password: {SECRET}", "password: ''")
    (tmp_path / "good.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(text.replace(good, bad), encoding="utf-8")
    result = run_cli("check", ".", "--select", "RL102,RL103,RL105", "--format", "json",
                     cwd=tmp_path)  # fmt: skip
    found = [(f["rule"], f["path"], f["line"], f["column"], f["message"])
             for f in json.loads(result.out)["findings"]]  # fmt: skip
    host = bad.split("/")[0]
    assert found == [
        ("RL103", "bad.yaml", 8, 8,
         (f"malformed ECR host '{host}': region 'cn-north-1' is in partition aws-cn, whose "
          "dual-stack ECR hosts end in '.on.amazonwebservices.com.cn', not '.on.aws'")),
        ("RL105", "bad.yaml", 10, 13, ("Amazon ECR with auth.method access-keys has no password: "
         "set it to the secret access key as {fromSecret: …} or {fromEnv: …}")),
        ("RL105", "good.yaml", 10, 13, ("Amazon ECR with auth.method access-keys has no "
         "password: set it to the secret access key as {fromSecret: …} or {fromEnv: …}")),
    ]  # fmt: skip
