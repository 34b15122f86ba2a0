"""`reglint aws verify` when AWS says no, is slow, pages, or is not there (SPEC §6.4):
against a small AWS-shaped server (tests/fake_aws.py) for what moto cannot do. Every
AWS failure is one line on stderr naming the call and the missing permission, exit 2."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from fake_aws import ACCOUNT, FakeAws, Repository, Role, fake_aws
from helpers import write_tree
from live_aws import aws_environment, ecr_manifest, findings, network_guard, push_policy

__all__ = ["fake_aws", "network_guard"]  # fixtures, by import

ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/nodes"
MANAGED = f"arn:aws:iam::{ACCOUNT}:policy/ecr-push"
MANIFEST = ecr_manifest()
ONE_LINE = re.compile(r"reglint: error: [^\n]+\n")


@pytest.fixture
def account(fake_aws: FakeAws, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, network_guard: Any) -> FakeAws:
    """A role `nodes` whose rights allow the push (a managed and an inline policy), and
    a repository under the namespace with a policy: every read of a run happens."""
    aws_environment(monkeypatch, tmp_path)
    fake_aws.policies[MANAGED] = push_policy()
    fake_aws.roles["nodes"] = Role("nodes", attached=[MANAGED], inline={"extra": push_policy()})
    fake_aws.repositories[ACCOUNT] = [Repository("ml-prod/train", policy={"Version": "2012-10-17", "Statement": []})]
    return fake_aws


# Another system of the project that names its pushing role: RL402 then reads the
# repository policies of the namespace, so that a run makes every read there is.
OTHER_SYSTEM = MANIFEST.replace("ml-prod", "forecasting") + f"    roleArn: arn:aws:iam::{ACCOUNT}:role/forecasting\n"


def run(run_cli: Any, fake: FakeAws, folder: Path, text: str = MANIFEST, *args: str) -> Any:
    """`aws verify registry.yaml`, with another system's manifest as project context."""
    write_tree(folder, {"registry.yaml": text, "forecasting.yaml": OTHER_SYSTEM})
    (folder / ".git").mkdir(exist_ok=True)
    return run_cli("aws", "verify", "registry.yaml", "--endpoint-url", fake.url, *args, cwd=folder)


def test_a_run_with_every_read_allowed_is_clean(run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    result = run(run_cli, account, tmp_path)
    assert result.code == 0, result
    assert "1 service verified" in result.out  # forecasting.yaml is context, not verified
    assert set(account.calls) == {
        "sts:GetCallerIdentity", "iam:GetRole", "iam:ListAttachedRolePolicies", "iam:GetPolicy",
        "iam:GetPolicyVersion", "iam:ListRolePolicies", "iam:GetRolePolicy", "ecr:DescribeRepositories",
        "ecr:ListTagsForResource", "ecr:GetRepositoryPolicy", "ecr:GetRegistryPolicy",
    }


READS = [
    "iam:GetRole", "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListRolePolicies",
    "iam:GetRolePolicy", "ecr:DescribeRepositories", "ecr:ListTagsForResource", "ecr:GetRepositoryPolicy",
    "ecr:GetRegistryPolicy",
]


@pytest.mark.parametrize("read", READS)
def test_a_denied_read_is_one_line_naming_the_permission(read: str, run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    account.deny.add(read)
    result = run(run_cli, account, tmp_path)
    assert result.code == 2 and result.out == ""
    assert ONE_LINE.fullmatch(result.err), result.err
    assert f"reglint: error: {read} on " in result.err
    assert f"was denied: the credentials need {read}\n" in result.err


def test_the_denied_policy_version_names_the_policy_and_its_version(run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    account.deny.add("iam:GetPolicyVersion")
    result = run(run_cli, account, tmp_path)
    assert result.err == (f"reglint: error: iam:GetPolicyVersion on {MANAGED} (v1) was denied: "
                          "the credentials need iam:GetPolicyVersion\n")


def test_a_bare_403_from_ecr_is_a_denial_too(run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    account.bare_403.add("ecr:DescribeRepositories")
    result = run(run_cli, account, tmp_path)
    assert result.code == 2
    assert result.err == (f"reglint: error: ecr:DescribeRepositories on registry {ACCOUNT} (us-east-2) was denied: "
                          "the credentials need ecr:DescribeRepositories\n")


@pytest.mark.slow  # the SDK's retries wait between attempts
def test_throttling_is_reported_after_the_sdks_retries(
    run_cli: Any, account: FakeAws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    account.throttle.add("ecr:DescribeRepositories")
    result = run(run_cli, account, tmp_path)
    assert result.code == 2
    assert account.calls["ecr:DescribeRepositories"] == 3
    assert result.err == (f"reglint: error: ecr:DescribeRepositories on registry {ACCOUNT} (us-east-2) was throttled "
                          "after 3 attempts: retry later, or allow more attempts with AWS_MAX_ATTEMPTS\n")


@pytest.mark.slow
def test_throttled_iam_too(run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    account.throttle.add("iam:ListAttachedRolePolicies")
    result = run(run_cli, account, tmp_path)
    assert result.code == 2 and "iam:ListAttachedRolePolicies on arn:aws:iam::" in result.err
    assert "was throttled after 2 attempts" in result.err  # AWS_MAX_ATTEMPTS=2 (live_aws.py)


def test_an_unreachable_endpoint_is_one_line(run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             network_guard: Any) -> None:
    aws_environment(monkeypatch, tmp_path)
    with socket.socket() as probe:  # a port of 127.0.0.1 that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    write_tree(tmp_path, {"registry.yaml": MANIFEST})
    (tmp_path / ".git").mkdir()
    result = run_cli("aws", "verify", ".", "--endpoint-url", f"http://127.0.0.1:{port}", cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err == (f"reglint: error: cannot reach http://127.0.0.1:{port} for sts:GetCallerIdentity: "
                          "the connection failed\n")
    # A user name and password in the URL make botocore use the (dead) proxy: neither is shown.
    result = run_cli("aws", "verify", ".", "--endpoint-url", f"http://reglint:s3cr3t@127.0.0.1:{port}/x?y=1",
                     cwd=tmp_path)
    assert result.code == 2
    assert result.err == (f"reglint: error: cannot reach http://127.0.0.1:{port} for sts:GetCallerIdentity: "
                          "the HTTP(S) proxy refused the connection\n")


def test_no_credentials_is_one_line(run_cli: Any, account: FakeAws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    aws_environment(monkeypatch, tmp_path, credentials=False)
    result = run(run_cli, account, tmp_path)
    assert result.code == 2 and account.calls == {}
    assert result.err.startswith("reglint: error: no AWS credentials found for sts:GetCallerIdentity: give --profile")
    assert ONE_LINE.fullmatch(result.err)


def test_a_profile_that_does_not_exist_is_one_line(run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    result = run(run_cli, account, tmp_path, MANIFEST, "--profile", "nightly")
    assert result.code == 2
    assert result.err == "reglint: error: the AWS profile 'nightly' was not found in the AWS config files\n"


def test_refused_credentials_are_one_line(run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    account.refuse.add("sts:GetCallerIdentity")
    result = run(run_cli, account, tmp_path)
    assert result.code == 2
    assert result.err == ("reglint: error: the AWS credentials were refused on sts:GetCallerIdentity "
                          "(InvalidClientTokenId): they are invalid or expired\n")


def test_ecr_pages_beyond_1000_repositories_are_all_read(run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    """DescribeRepositories answers at most 1,000 a page (`nextToken`): a collision on
    page 3 is found, and every repository under the namespace is listed."""
    others = [Repository(f"other/r{i:04d}") for i in range(1500)]
    mine = [Repository(f"ml-prod/r{i:04d}") for i in range(700)]
    mine[-1].tags["reglint:system"] = "default/forecasting"
    account.repositories[ACCOUNT] = others + mine
    result = run(run_cli, account, tmp_path, MANIFEST, "--format", "json")
    assert account.calls["ecr:DescribeRepositories"] == 3
    (finding,) = findings(result, "RL402")
    assert "repository ml-prod/r0699 under namespace" in finding["message"]
    assert len(json.loads(result.out)["summary"]["live"]["repositories"]) == 700
    assert result.code == 1


def test_more_than_100_attached_policies_are_paged_by_marker(run_cli: Any, account: FakeAws, tmp_path: Path) -> None:
    filler = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    arns = [f"arn:aws:iam::{ACCOUNT}:policy/p{i}" for i in range(250)]
    for arn in arns:
        account.policies[arn] = filler
    account.roles["nodes"] = Role("nodes", attached=[*arns, MANAGED])
    result = run(run_cli, account, tmp_path, MANIFEST, "--format", "json")
    assert result.code == 0, result
    assert account.calls["iam:ListAttachedRolePolicies"] == 3


def test_a_registry_policy_that_grants_the_push_settles_a_cross_account_push(
    run_cli: Any, account: FakeAws, tmp_path: Path
) -> None:
    """Registry policies of the second scope may grant any ECR action (moto knows the
    first only): run from the registry's account, RL401 then finds nothing."""
    pusher = "arn:aws:iam::210987654321:role/ci-pusher"
    text = MANIFEST + f"    roleArn: {pusher}\n"
    result = run(run_cli, account, tmp_path, text, "--format", "json", "--select", "RL401")
    assert [f["severity"] for f in findings(result)] == ["error"]
    seven = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
             "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]
    account.registry_policies[ACCOUNT] = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": pusher}, "Action": seven,
        "Resource": f"arn:aws:ecr:us-east-2:{ACCOUNT}:repository/*"}]}
    result = run(run_cli, account, tmp_path, text, "--format", "json", "--select", "RL401")
    assert findings(result) == [] and result.code == 0


def test_another_accounts_registry_that_denies_reads_is_a_warning_not_a_failure(
    run_cli: Any, account: FakeAws, tmp_path: Path
) -> None:
    """The registry is in another account than the credentials (and the role): its
    listing is denied there, which RL401 reports as unverified (a warning)."""
    text = MANIFEST.replace(f"url: {ACCOUNT}.", "url: 999999999999.") + f"    roleArn: {ROLE_ARN}\n"
    result = run(run_cli, account, tmp_path, text, "--format", "json", "--select", "RL401")
    assert result.code == 0, result
    (finding,) = findings(result)
    assert finding["severity"] == "warning"
    assert ("ecr:DescribeRepositories on registry 999999999999 (us-east-2) was denied: the credentials need "
            "ecr:DescribeRepositories") in finding["message"]
    assert "ecr:GetRegistryPolicy of registry 999999999999 (us-east-2) answers only to that account" in finding["message"]
