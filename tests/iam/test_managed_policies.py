"""AWS managed policies by ARN, from the bundled snapshot (SPEC §6.2).

The oracles are AWS's own facts (../shared/corpus/README.md):
`AmazonEC2ContainerRegistryPowerUser` lacks `ecr:CreateRepository`;
`AmazonEC2ContainerRegistryFullAccess` grants `ecr:*`.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reglint.checks.base import ECR_PUSH_ACTIONS
from reglint.model.iam import managed_policies
from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.managed_policies import ManagedPolicy, lookup, parse_policy_arn
from reglint.model.iam.policy import Policy

REPO = Path(__file__).resolve().parents[2]
POWER_USER = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"
FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess"
NAMESPACE = RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/")
# Pushes to repositories named sagemaker-*, on `arn:aws:ecr:*:*:repository/sagemaker-*`.
SAGEMAKER = "AmazonSageMakerServiceCatalogProductsCodeBuildServiceRolePolicy"


def not_allowed(policy: ManagedPolicy, target: RepositoryTarget) -> dict[str, Verdict]:
    """The push actions that `policy` alone does not allow on `target`, with their verdicts."""
    evaluation = evaluate_policies([Policy.from_data(policy.document)], ECR_PUSH_ACTIONS, target)
    return {v.action: v.verdict for v in evaluation.verdicts if v.verdict is not Verdict.ALLOWED}


def found(arn: str) -> ManagedPolicy:
    policy = lookup(arn)
    assert policy is not None, arn
    return policy


# -- the facts AWS publishes ---------------------------------------------------------------


def test_power_user_lacks_create_repository_and_allows_the_other_eight() -> None:
    policy = found(POWER_USER)
    assert (policy.name, policy.version_id) == ("AmazonEC2ContainerRegistryPowerUser", "v3")
    assert policy.created == "2019-12-10T20:48:08Z"
    assert policy.snapshot_date == datetime.date(2026, 3, 7)
    assert policy.path is None  # the dataset carries no paths
    assert policy.partition == "aws"
    assert not_allowed(policy, NAMESPACE) == {"ecr:CreateRepository": Verdict.NOT_ALLOWED}


def test_full_access_grants_ecr_star() -> None:
    policy = found(FULL_ACCESS)
    statement = policy.document["Statement"][0]
    assert statement == {
        "Action": ["ecr:*", "cloudtrail:LookupEvents"], "Resource": "*", "Effect": "Allow"
    }
    assert not_allowed(policy, NAMESPACE) == {}


def test_each_lookup_hands_out_its_own_document() -> None:
    first = found(POWER_USER)
    first.document["Statement"].clear()
    assert not_allowed(found(POWER_USER), NAMESPACE) == {"ecr:CreateRepository": Verdict.NOT_ALLOWED}


# -- ARN forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerRegistryPowerUser",
        "arn:aws:iam::aws:policy/job-function/team/AmazonEC2ContainerRegistryPowerUser",
    ],
)
def test_a_path_resolves_by_name_when_the_snapshot_has_no_paths(arn: str) -> None:
    assert found(arn).name == "AmazonEC2ContainerRegistryPowerUser"


@pytest.mark.parametrize(
    "arn",
    [
        "arn:${AWS::Partition}:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
        "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
        "arn:${local.partition}:iam::aws:policy/service-role/AmazonEC2ContainerRegistryPowerUser",
    ],
)
def test_a_placeholder_partition_resolves_by_name(arn: str) -> None:
    policy = found(arn)
    assert (policy.name, policy.partition) == ("AmazonEC2ContainerRegistryPowerUser", "aws")
    parsed = parse_policy_arn(arn)
    assert parsed is not None and parsed.partition is None and parsed.aws_managed


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov", "aws-iso-b", "aws-eusc"])
def test_every_partition_botocore_knows_resolves(partition: str) -> None:
    policy = found(f"arn:{partition}:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser")
    assert policy.partition == partition
    target = RepositoryTarget.for_namespace(partition, "region-east-1", "123456789012", "ml/")
    assert not_allowed(policy, target) == {"ecr:CreateRepository": Verdict.NOT_ALLOWED}


def test_another_partition_gets_the_document_with_its_own_arns() -> None:
    """AWS publishes each partition's copy with that partition's ARNs."""
    china = RepositoryTarget.for_namespace("aws-cn", "cn-north-1", "123456789012", "sagemaker-x/")
    commercial = RepositoryTarget.for_namespace("aws", "us-east-1", "123456789012", "sagemaker-x/")
    in_china = found(f"arn:aws-cn:iam::aws:policy/service-role/{SAGEMAKER}")
    assert "arn:aws-cn:ecr:*:*:repository/sagemaker-*" in json.dumps(in_china.document)
    assert '"arn:aws:' not in json.dumps(in_china.document)
    assert "ecr:PutImage" not in not_allowed(in_china, china)
    as_stored = found(f"arn:aws:iam::aws:policy/{SAGEMAKER}")
    assert "ecr:PutImage" not in not_allowed(as_stored, commercial)
    assert not_allowed(as_stored, china)["ecr:PutImage"] is Verdict.RESOURCE_NOT_COVERED
    # A placeholder partition gets the stored document; the caller moves it once it
    # knows the registry's partition.
    placeholder = found(f"arn:${{AWS::Partition}}:iam::aws:policy/{SAGEMAKER}")
    assert placeholder.document == as_stored.document
    assert placeholder.in_partition("aws-cn").document == in_china.document
    assert placeholder.in_partition("aws-cn").partition == "aws-cn"


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::123456789012:policy/AmazonEC2ContainerRegistryPowerUser",
        "arn:aws:iam::${AWS::AccountId}:policy/AmazonEC2ContainerRegistryPowerUser",
        "arn:${AWS::Partition}:iam::${data.aws_caller_identity.current.account_id}:policy/ecr-push",
        "arn:aws-cn:iam::123456789012:policy/team/ecr-push",
    ],
)
def test_a_customer_managed_arn_is_none_and_says_so(arn: str) -> None:
    assert lookup(arn) is None
    parsed = parse_policy_arn(arn)
    assert parsed is not None and not parsed.aws_managed


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUsers",  # a typo
        "arn:aws:iam::aws:policy/amazonec2containerregistrypoweruser",  # names match exactly
        "arn:aws:iam::aws:policy/${var.policy_name}",
    ],
)
def test_an_aws_managed_name_not_in_the_snapshot_is_none_and_says_so(arn: str) -> None:
    assert lookup(arn) is None
    parsed = parse_policy_arn(arn)
    assert parsed is not None and parsed.aws_managed


@pytest.mark.parametrize(
    "text",
    [
        "AmazonEC2ContainerRegistryPowerUser",
        "arn:aws:iam::aws:role/AmazonEC2ContainerRegistryPowerUser",
        "arn:aws:iam::aws:policy/",
        "arn:aws:iam::aws:policy",
        "arn:aws:s3:::AmazonEC2ContainerRegistryPowerUser",
        "arn:aws:iam:us-east-1:aws:policy/AmazonEC2ContainerRegistryPowerUser",
        "arn:aws-foo:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",  # IAM: "Invalid partition"
        "arn:*:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
        "arn:aws:iam:::policy/AmazonEC2ContainerRegistryPowerUser",
        " arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
        "",
    ],
)
def test_text_that_is_no_policy_arn_resolves_to_nothing(text: str) -> None:
    assert parse_policy_arn(text) is None
    assert lookup(text) is None


def test_parsed_arn_parts() -> None:
    parsed = parse_policy_arn("arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaRole")
    assert parsed is not None
    assert (parsed.partition, parsed.account, parsed.path, parsed.name) == (
        "aws-us-gov", "aws", "/service-role/", "AWSLambdaRole"
    )


def test_a_known_path_must_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """A source with paths (`--list-policies`) makes the path part of the ARN count."""
    real = managed_policies._snapshot()
    row = real.rows["AmazonEC2ContainerRegistryPowerUser"]
    with_path = real._replace(rows={row[0]: (row[0], "/service-role/", *row[2:])})
    monkeypatch.setattr(managed_policies, "_snapshot", lambda: with_path)
    assert lookup(POWER_USER) is None
    policy = found("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerRegistryPowerUser")
    assert policy.path == "/service-role/"
    assert managed_policies.lookup_name("AmazonEC2ContainerRegistryPowerUser") == policy


# -- the snapshot and its cost ------------------------------------------------------------


def test_snapshot_info_reads_the_header() -> None:
    info = managed_policies.snapshot_info()
    assert (info.date, info.policies) == (datetime.date(2026, 3, 7), 1522)
    assert "zoph-io/MAMIP" in info.source and "0387244e" in info.source
    assert len(managed_policies._snapshot().rows) == 1522


LOADS = """
import sys
from reglint.__main__ import main
sys.argv = ["reglint", "check", {paths}]
try:
    main()
except SystemExit:
    pass
module = sys.modules.get("reglint.model.iam.managed_policies")
print("loaded" if module is not None and module._snapshot.cache_info().currsize else "not loaded")
"""


def test_a_check_run_that_looks_up_nothing_never_loads_the_snapshot(tmp_path: Path) -> None:
    # examples/ without its infrastructure code (whose roles name AWS managed policies)
    # and the manifests that link it.
    ignored = shutil.ignore_patterns("infra", "training", "serving")
    shutil.copytree(REPO / "examples", tmp_path / "examples", ignore=ignored)
    code = LOADS.format(paths=repr(str(tmp_path / "examples")))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.stdout.strip().splitlines()[-1] == "not loaded", done.stderr[-2000:]


def test_importing_does_not_load_and_the_first_lookup_loads_once() -> None:
    code = (
        "from reglint.model.iam import managed_policies as m\n"
        "print(m._snapshot.cache_info().currsize)\n"
        "m.lookup('arn:aws:iam::123456789012:policy/x')\n"  # customer managed: no load
        "print(m._snapshot.cache_info().currsize)\n"
        "for _ in range(3): m.lookup('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser')\n"
        "info = m._snapshot.cache_info()\n"
        "print(info.currsize, info.misses)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.split() == ["0", "0", "1", "1"]


def test_a_missing_snapshot_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(managed_policies, "_snapshot_path", lambda: tmp_path / "absent.jsonl.gz")
    managed_policies._snapshot.cache_clear()
    try:
        with pytest.raises(managed_policies.SnapshotUnavailable, match="absent.jsonl.gz"):
            lookup(POWER_USER)
        broken = tmp_path / "broken.jsonl.gz"
        broken.write_bytes(b"not gzip")
        monkeypatch.setattr(managed_policies, "_snapshot_path", lambda: broken)
        with pytest.raises(managed_policies.SnapshotUnavailable, match="broken.jsonl.gz"):
            managed_policies.snapshot_info()
    finally:
        managed_policies._snapshot.cache_clear()
