"""ECR hosts: the grammar in every partition, and the reasons a broken host gives."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reglint.model import aws_partitions
from reglint.model.aws_partitions import botocore_version, partition_data
from reglint.model.ecr import (
    EcrHost,
    EcrProblemKind,
    analyse_ecr_host,
    is_ecr_attempt,
    is_ecr_public_host,
    parse_ecr_host,
)

BOTOCORE = importlib.metadata.version("botocore")
ACCOUNT = "123456789012"


# fmt: off
VALID_ECR_HOSTS_IN_EVERY_PARTITION_CASES = [
    (f"{ACCOUNT}.dkr.ecr.us-east-2.amazonaws.com",
     EcrHost(ACCOUNT, "us-east-2", "aws", "amazonaws.com")),
    (f"{ACCOUNT}.dkr.ecr-fips.us-east-1.amazonaws.com",
     EcrHost(ACCOUNT, "us-east-1", "aws", "amazonaws.com", fips=True)),
    (f"{ACCOUNT}.dkr.ecr.us-gov-west-1.amazonaws.com",
     EcrHost(ACCOUNT, "us-gov-west-1", "aws-us-gov", "amazonaws.com")),
    (f"{ACCOUNT}.dkr.ecr-fips.us-gov-east-1.amazonaws.com",
     EcrHost(ACCOUNT, "us-gov-east-1", "aws-us-gov", "amazonaws.com", fips=True)),
    (f"{ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn",
     EcrHost(ACCOUNT, "cn-north-1", "aws-cn", "amazonaws.com.cn")),
    (f"{ACCOUNT}.dkr.ecr.cn-northwest-1.amazonaws.com.cn",
     EcrHost(ACCOUNT, "cn-northwest-1", "aws-cn", "amazonaws.com.cn")),
    (f"{ACCOUNT}.dkr.ecr.eusc-de-east-1.amazonaws.eu",
     EcrHost(ACCOUNT, "eusc-de-east-1", "aws-eusc", "amazonaws.eu")),
    (f"{ACCOUNT}.dkr.ecr.us-iso-east-1.c2s.ic.gov",
     EcrHost(ACCOUNT, "us-iso-east-1", "aws-iso", "c2s.ic.gov")),
    (f"{ACCOUNT}.dkr.ecr.us-isob-east-1.sc2s.sgov.gov",
     EcrHost(ACCOUNT, "us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov")),
    (f"{ACCOUNT}.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk",
     EcrHost(ACCOUNT, "eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk")),
    (f"{ACCOUNT}.dkr.ecr.us-isof-south-1.csp.hci.ic.gov",
     EcrHost(ACCOUNT, "us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov")),
    (f"{ACCOUNT}.dkr-ecr.us-east-2.on.aws",
     EcrHost(ACCOUNT, "us-east-2", "aws", "on.aws", dual_stack=True)),
    (f"{ACCOUNT}.dkr-ecr-fips.us-east-2.on.aws",
     EcrHost(ACCOUNT, "us-east-2", "aws", "on.aws", fips=True, dual_stack=True)),
    (f"{ACCOUNT}.DKR.ECR.EU-WEST-1.AMAZONAWS.COM",  # DNS is case-insensitive
     EcrHost(ACCOUNT, "eu-west-1", "aws", "amazonaws.com")),
]
# fmt: on


@pytest.mark.parametrize(("host", "expected"), VALID_ECR_HOSTS_IN_EVERY_PARTITION_CASES)
def test_valid_ecr_hosts_in_every_partition(host: str, expected: EcrHost) -> None:
    analysis = analyse_ecr_host(host)
    assert analysis.problems == ()
    assert analysis.host == expected
    assert parse_ecr_host(host) == expected
    assert expected.hostname == host.lower()


# fmt: off
BROKEN_ECR_HOSTS_EXPLAIN_WHY_CASES = [
    ("12345678901.dkr.ecr.us-east-2.amazonaws.com", EcrProblemKind.ACCOUNT,
     ("account ID '12345678901' has 11 digits: an AWS account ID is exactly 12 digits "
      "(<account>.dkr.ecr.<region>.amazonaws.com)")),
    ("1234567890123.dkr.ecr.us-east-2.amazonaws.com", EcrProblemKind.ACCOUNT,
     "account ID '1234567890123' has 13 digits"),
    ("my-alias.dkr.ecr.us-east-2.amazonaws.com", EcrProblemKind.ACCOUNT,
     "account ID 'my-alias' is not all digits"),
    ("dkr.ecr.us-east-2.amazonaws.com", EcrProblemKind.ACCOUNT,
     "no account ID before 'dkr.ecr'"),
    (f"{ACCOUNT}.dkr.ecr..amazonaws.com", EcrProblemKind.REGION_MISSING,
     ("the region is empty ('dkr.ecr..'): write it between the dots, as in "
      "'.dkr.ecr.us-east-1.amazonaws.com'")),
    (f"{ACCOUNT}.dkr.ecr.amazonaws.com", EcrProblemKind.REGION_MISSING,
     "no region between 'dkr.ecr' and 'amazonaws.com'"),
    (f"{ACCOUNT}.dkr.ecr.useast1.amazonaws.com", EcrProblemKind.REGION_MALFORMED,
     ("region 'useast1' is malformed: regions look like 'us-east-1' "
      "(did you mean 'us-east-1'?)")),
    (f"{ACCOUNT}.dkr.ecr.us_east_1.amazonaws.com", EcrProblemKind.REGION_MALFORMED,
     "region 'us_east_1' is malformed"),
    (f"{ACCOUNT}.dkr.ecr.us.east.1.amazonaws.com", EcrProblemKind.REGION_MALFORMED,
     "region 'us.east.1' is malformed"),
    (f"{ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com", EcrProblemKind.DNS_SUFFIX,
     ("region 'cn-north-1' is in partition aws-cn, whose DNS suffix is '.amazonaws.com.cn', "
      "not '.amazonaws.com'")),
    (f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com.cn", EcrProblemKind.DNS_SUFFIX,
     ("region 'us-east-1' is in partition aws, whose DNS suffix is '.amazonaws.com', "
      "not '.amazonaws.com.cn'")),
    (f"{ACCOUNT}.dkr.ecr.us-iso-east-1.amazonaws.com", EcrProblemKind.DNS_SUFFIX,
     "region 'us-iso-east-1' is in partition aws-iso, whose DNS suffix is '.c2s.ic.gov'"),
    (f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.co", EcrProblemKind.DNS_SUFFIX,
     ("region 'us-east-1' is in partition aws, whose DNS suffix is '.amazonaws.com', "
      "not '.amazonaws.co'")),
    (f"{ACCOUNT}.dkr.ecr.xx-east-1.example.com", EcrProblemKind.DNS_SUFFIX,
     f"'.example.com' is no AWS partition's DNS suffix in botocore {BOTOCORE}'s data"),
    (f"{ACCOUNT}.dkr-ecr.us-east-1.amazonaws.com", EcrProblemKind.DNS_SUFFIX,
     "a dual-stack ECR host ends in '.on.aws', not '.amazonaws.com'"),
]
# fmt: on


@pytest.mark.parametrize(("host", "kind", "message"), BROKEN_ECR_HOSTS_EXPLAIN_WHY_CASES)
def test_broken_ecr_hosts_explain_why(host: str, kind: EcrProblemKind, message: str) -> None:
    analysis = analyse_ecr_host(host)
    matching = [p for p in analysis.problems if p.kind is kind]
    assert matching, analysis.problems
    assert matching[0].message.startswith(message)
    assert not matching[0].warning
    assert analysis.host is None
    assert parse_ecr_host(host) is None


def test_several_reasons_are_all_given() -> None:
    analysis = analyse_ecr_host("1234.dkr.ecr..amazonaws.com")
    assert [p.kind for p in analysis.problems] == [
        EcrProblemKind.ACCOUNT,
        EcrProblemKind.REGION_MISSING,
    ]


def test_unknown_well_formed_region_is_a_warning_naming_the_botocore_version() -> None:
    analysis = analyse_ecr_host(f"{ACCOUNT}.dkr.ecr.us-east-9.amazonaws.com")
    [problem] = analysis.problems
    assert problem.kind is EcrProblemKind.UNKNOWN_REGION
    assert problem.warning
    assert problem.message.startswith(
        f"region 'us-east-9' is not in botocore {BOTOCORE}'s data: if it is a new region, "
        "update botocore; otherwise fix it"
    )
    # Still usable: the partition follows from the region's shape.
    assert analysis.host == EcrHost(
        ACCOUNT, "us-east-9", "aws", "amazonaws.com", region_known=False
    )
    assert parse_ecr_host(f"{ACCOUNT}.dkr.ecr.us-east-9.amazonaws.com") == analysis.host


def test_unknown_region_of_no_known_partition_takes_the_partition_of_its_suffix() -> None:
    analysis = analyse_ecr_host(f"{ACCOUNT}.dkr.ecr.zz-north-1.amazonaws.com")
    assert [p.kind for p in analysis.problems] == [EcrProblemKind.UNKNOWN_REGION]
    assert analysis.host is not None and analysis.host.partition == "aws"


# A botocore release of our own: partitions.json names a new region that endpoints.json
# does not list yet (as botocore 1.44 did with me-west-1), endpoints.json one that
# partitions.json dropped, and a pseudo-region that is no place for a registry.
FAKE_PARTITIONS = {"partitions": [
    {"id": "aws", "outputs": {"dnsSuffix": "amazonaws.com"}, "regionRegex": r"^(us|eu)\-\w+\-\d+$",
     "regions": {"us-east-1": {}, "eu-new-1": {}, "aws-global": {}}},
    {"id": "aws-cn", "outputs": {"dnsSuffix": "amazonaws.com.cn"}, "regionRegex": r"^cn\-\w+\-\d+$",
     "regions": {"cn-north-1": {}, "cn-new-1": {}}},
]}
FAKE_ENDPOINTS = {"partitions": [
    {"partition": "aws", "regionRegex": r"^(us|eu)\-\w+\-\d+$", "regions": {"us-east-1": {}, "us-old-1": {}}},
    {"partition": "aws-cn", "regionRegex": r"^cn\-\w+\-\d+$", "regions": {"cn-north-1": {}}},
]}  # fmt: skip


def _clear_caches() -> None:
    for cached in (partition_data, botocore_version, aws_partitions._endpoint_regions, analyse_ecr_host):
        cached.cache_clear()


@pytest.fixture
def fake_botocore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """reglint reads the botocore data above (version 9.9.9) instead of the installed one."""
    (tmp_path / "data").mkdir()
    (tmp_path / "__init__.py").write_text('__version__ = "9.9.9"\n', encoding="utf-8")
    (tmp_path / "data" / "partitions.json").write_text(json.dumps(FAKE_PARTITIONS), encoding="utf-8")
    (tmp_path / "data" / "endpoints.json").write_text(json.dumps(FAKE_ENDPOINTS), encoding="utf-8")
    monkeypatch.setattr(aws_partitions, "_botocore_dir", lambda: tmp_path)
    _clear_caches()
    yield
    _clear_caches()  # the next test reads the installed botocore again


@pytest.mark.parametrize(
    ("region", "suffix", "partition"),
    [("eu-new-1", "amazonaws.com", "aws"), ("cn-new-1", "amazonaws.com.cn", "aws-cn"),
     ("us-old-1", "amazonaws.com", "aws"), ("us-east-1", "amazonaws.com", "aws")],
    ids=["only-in-partitions.json", "only-in-partitions.json-cn", "only-in-endpoints.json", "in-both"],
)  # fmt: skip
def test_a_region_in_either_data_file_is_known(
    region: str, suffix: str, partition: str, fake_botocore: None
) -> None:
    # partitions.json lists a new region before endpoints.json does; both are data.
    analysis = analyse_ecr_host(f"{ACCOUNT}.dkr.ecr.{region}.{suffix}")
    assert analysis.problems == ()
    assert analysis.host == EcrHost(ACCOUNT, region, partition, suffix, region_known=True)
    data = partition_data()
    assert data.version == "9.9.9"
    assert data.known_regions == {"us-east-1", "eu-new-1", "cn-north-1", "cn-new-1"}


def test_a_region_in_neither_data_file_is_unknown(fake_botocore: None) -> None:
    analysis = analyse_ecr_host(f"{ACCOUNT}.dkr.ecr.eu-gone-1.amazonaws.com")
    [problem] = analysis.problems
    assert problem.kind is EcrProblemKind.UNKNOWN_REGION and problem.warning
    assert problem.message.startswith("region 'eu-gone-1' is not in botocore 9.9.9's data")
    assert analysis.host == EcrHost(ACCOUNT, "eu-gone-1", "aws", "amazonaws.com", region_known=False)


def test_repository_arn() -> None:
    host = parse_ecr_host(f"{ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn")
    assert host is not None
    assert host.repository_arn("ml/*") == f"arn:aws-cn:ecr:cn-north-1:{ACCOUNT}:repository/ml/*"


# fmt: off
ECR_ATTEMPTS_CASES = [
    (f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com", True),
    (f"{ACCOUNT}.dkr-ecr.us-east-1.on.aws", True),
    (f"{ACCOUNT}.dkr.ecr..amazonaws.com", True),
    ("dkr.ecr.us-east-1.amazonaws.com", True),  # the account forgotten
    ("my-ecr.dkr.ecr.internal", True),
    ("api.ecr.us-east-1.amazonaws.com", False),  # the API endpoint, not a registry
    ("public.ecr.aws", False),
    ("registry.example.com", False),
    ("mydkr.ecr.example.com", False),  # `dkr.ecr` must start a label
]
# fmt: on


@pytest.mark.parametrize(("host", "attempt"), ECR_ATTEMPTS_CASES)
def test_ecr_attempts(host: str, attempt: bool) -> None:
    assert is_ecr_attempt(host) is attempt


def test_ecr_public_hosts() -> None:
    assert is_ecr_public_host("public.ecr.aws")
    assert is_ecr_public_host("PUBLIC.ECR.AWS")
    assert is_ecr_public_host("ecr-public.aws.com")
    assert not is_ecr_public_host(f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com")


def test_botocore_version_is_the_installed_one() -> None:
    assert botocore_version() == BOTOCORE
    assert partition_data().version == BOTOCORE


def test_botocore_is_read_as_data_never_imported() -> None:
    """Importing botocore costs ~30 ms; the ECR model reads its JSON files instead."""
    code = (
        "import sys\n"
        "from reglint.model.ecr import analyse_ecr_host\n"
        "analyse_ecr_host('123456789012.dkr.ecr.us-east-9.amazonaws.com')\n"
        "assert 'botocore' not in sys.modules, 'botocore was imported'\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# The registry hosts of amazon-ecr-credential-helper's own test table
# (ecr-login/api/client_test.go, TestExtractRegistry, awslabs/amazon-ecr-credential-helper
# at 2a415207), each with reglint's verdict: the helper's parsed (account, fips, region) for
# a valid host, or why it is not one. Where the two disagree the row says so.
# fmt: off
CREDENTIAL_HELPER_VALID_CASES = [
    ("123456789012.dkr.ecr.us-east-1.amazonaws.com", "us-east-1", "aws", False, False),
    ("123456789012.dkr.ecr.us-west-2.amazonaws.com", "us-west-2", "aws", False, False),
    ("123456789012.dkr-ecr.us-west-2.on.aws", "us-west-2", "aws", False, True),
    ("123456789012.dkr-ecr-fips.us-west-2.on.aws", "us-west-2", "aws", True, True),
    ("210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1", "aws-cn", False, False),
    # China dual-stack, written with `dkr.ecr` as the helper's table writes it.
    ("210987654321.dkr.ecr.cn-north-1.on.amazonwebservices.com.cn", "cn-north-1", "aws-cn",
     False, True),
    ("210987654321.dkr.ecr.us-iso-east-1.c2s.ic.gov", "us-iso-east-1", "aws-iso", False, False),
    ("123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1", "aws-iso-b",
     False, False),
    ("123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk", "eu-isoe-west-1", "aws-iso-e",
     False, False),
    ("123456789012.dkr.ecr.us-isof-east-1.csp.hci.ic.gov", "us-isof-east-1", "aws-iso-f",
     False, False),
    ("123456789012.dkr-ecr.us-gov-east-1.on.aws", "us-gov-east-1", "aws-us-gov", False, True),
    ("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1", "aws-us-gov",
     True, False),
    ("123456789012.dkr-ecr-fips.us-gov-east-1.on.aws", "us-gov-east-1", "aws-us-gov",
     True, True),
    ("123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1", "aws-eusc",
     False, False),
    # Not in the helper's table: the documented China dual-stack form (SPEC §6.6).
    ("210987654321.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn", "cn-northwest-1",
     "aws-cn", False, True),
    ("123456789012.dkr.ecr.us-east-2.on.aws", "us-east-2", "aws", False, True),
]
# fmt: on


@pytest.mark.parametrize(
    ("host", "region", "partition", "fips", "dual_stack"), CREDENTIAL_HELPER_VALID_CASES
)
def test_credential_helper_valid_hosts_are_valid(
    host: str, region: str, partition: str, fips: bool, dual_stack: bool
) -> None:
    analysis = analyse_ecr_host(host)
    assert analysis.problems == ()
    assert analysis.host is not None
    found = analysis.host
    account = host.split(".", 1)[0]
    assert (found.account, found.region, found.partition) == (account, region, partition)
    assert (found.fips, found.dual_stack) == (fips, dual_stack)
    assert found.repository_arn("ml") == f"arn:{partition}:ecr:{region}:{account}:repository/ml"


@pytest.mark.parametrize("host", ["public.ecr.aws", "ecr-public.aws.com"])
def test_credential_helper_ecr_public_hosts(host: str) -> None:
    assert is_ecr_public_host(host)
    assert not is_ecr_attempt(host)


# The helper's rejected hosts: a broken ECR attempt is RL103 with this reason; a host
# that is no attempt at all (None) is just another registry.
# fmt: off
CREDENTIAL_HELPER_INVALID_CASES = [
    (".dkr.ecr.not-real.amazonaws.com", EcrProblemKind.ACCOUNT, "no account ID before"),
    ("123456789012.dkr.ecr.us-west-2.amazonaws.com.fake.example.com",
     EcrProblemKind.DNS_SUFFIX,
     ("region 'us-west-2' is in partition aws, whose DNS suffix is '.amazonaws.com', not "
      "'.amazonaws.com.fake.example.com'")),
    ("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com.fake.example.com",
     EcrProblemKind.DNS_SUFFIX, "not '.amazonaws.com.fake.example.com'"),
    ("210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn.fake.example.com.cn",
     EcrProblemKind.DNS_SUFFIX, "not '.amazonaws.com.cn.fake.example.com.cn'"),
    # "China region IPv6 endpoints are on.amazonwebservices.com.cn" (the helper's words)
    ("210987654321.dkr.ecr.cn-north-1.on.aws.com.cn", EcrProblemKind.DNS_SUFFIX,
     ("region 'cn-north-1' is in partition aws-cn, whose DNS suffix is '.amazonaws.com.cn' "
      "(dual-stack: '.on.amazonwebservices.com.cn'), not '.on.aws.com.cn'")),
    ("not.ecr.io", None, ""),
    ("public.ecr.aws.fake.example.com", None, ""),
]
# fmt: on


@pytest.mark.parametrize(("host", "kind", "message"), CREDENTIAL_HELPER_INVALID_CASES)
def test_credential_helper_invalid_hosts_are_invalid(
    host: str, kind: EcrProblemKind | None, message: str
) -> None:
    assert parse_ecr_host(host) is None
    assert not is_ecr_public_host(host)
    if kind is None:
        assert not is_ecr_attempt(host)
        return
    assert is_ecr_attempt(host)
    matching = [p for p in analyse_ecr_host(host).problems if p.kind is kind]
    assert matching and message in matching[0].message, analyse_ecr_host(host)


# Where reglint is stricter than the helper (its pattern is `dkr[.-]ecr(-fips)?` before
# any known suffix): SPEC §6.6's table has no dual-stack marker with an IPv4 suffix, no
# dual-stack host outside its partitions, and no FIPS dual-stack host in China.
# fmt: off
DUAL_STACK_MISMATCH_CASES = [
    ("123456789012.dkr-ecr.us-east-1.amazonaws.com",
     "a dual-stack ECR host ends in '.on.aws', not '.amazonaws.com'"),
    ("123456789012.dkr-ecr.cn-north-1.amazonaws.com.cn",
     "a dual-stack ECR host ends in '.on.amazonwebservices.com.cn', not '.amazonaws.com.cn'"),
    ("123456789012.dkr-ecr.cn-north-1.on.aws",
     ("region 'cn-north-1' is in partition aws-cn, whose dual-stack ECR hosts end in "
      "'.on.amazonwebservices.com.cn', not '.on.aws'")),
    ("123456789012.dkr-ecr.us-east-1.on.amazonwebservices.com.cn",
     ("region 'us-east-1' is in partition aws, whose dual-stack ECR hosts end in "
      "'.on.aws', not '.on.amazonwebservices.com.cn'")),
    ("123456789012.dkr-ecr.us-iso-east-1.on.aws",
     ("region 'us-iso-east-1' is in partition aws-iso, which has no dual-stack ECR hosts: "
      "write '123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov'")),
    ("123456789012.dkr-ecr-fips.cn-north-1.on.amazonwebservices.com.cn",
     "partition aws-cn has no FIPS dual-stack ECR hosts: drop '-fips'"),
]
# fmt: on


@pytest.mark.parametrize(("host", "message"), DUAL_STACK_MISMATCH_CASES)
def test_dual_stack_hosts_outside_the_table_explain_why(host: str, message: str) -> None:
    analysis = analyse_ecr_host(host)
    assert analysis.host is None
    assert [p.kind for p in analysis.problems] == [EcrProblemKind.DNS_SUFFIX]
    assert analysis.problems[0].message.startswith(message), analysis.problems


def test_unknown_region_on_a_dual_stack_suffix_takes_the_suffix_partition() -> None:
    analysis = analyse_ecr_host(f"{ACCOUNT}.dkr-ecr.cn-east-9.on.amazonwebservices.com.cn")
    assert [p.kind for p in analysis.problems] == [EcrProblemKind.UNKNOWN_REGION]
    assert analysis.host is not None and analysis.host.partition == "aws-cn"
