"""RL401 registry-account-mismatch (`reglint aws verify`, SPEC §6.4): the pushing
identity is of another account than the registry, and no repository or registry
policy lets it push — against moto in server mode (tests/live_aws.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from live_aws import (
    ACCOUNT,
    OTHER_ACCOUNT,
    aws,
    ecr_manifest,
    findings,
    moto_server,
    network_guard,
    verify,
)

__all__ = ["aws", "moto_server", "network_guard"]  # fixtures, by import
# Each test resets moto and reloads its AWS managed policies: about a second or two.
pytestmark = pytest.mark.slow

PUSHER = f"arn:aws:iam::{OTHER_ACCOUNT}:role/ci-pusher"
SEVEN = [
    "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
]
MANIFEST = ecr_manifest(PUSHER)


def repository_policy(principal: Any, actions: list[str] = SEVEN, **extra: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "CiPush", "Effect": "Allow", "Principal": principal, "Action": actions, **extra}]}


def rl401(run_cli: Any, aws: Any, tmp_path: Path, text: str = MANIFEST) -> tuple[list[dict[str, Any]], Any]:
    write_tree(tmp_path, {"registry.yaml": text})
    result = verify(run_cli, aws.url, tmp_path, "--format", "json", "--select", "RL401")
    assert result.code in (0, 1), result
    return findings(result, "RL401"), result


def test_a_repository_without_a_policy_for_the_other_account_is_an_error_naming_it(
    run_cli: Any, aws: Any, tmp_path: Path
) -> None:
    aws.repository("ml-prod/train")
    aws.repository("ml-prod/serve", policy=repository_policy({"AWS": PUSHER}, SEVEN[:-1]))
    aws.repository("ml-prod/ok", policy=repository_policy({"AWS": PUSHER}))
    (finding,), result = rl401(run_cli, aws, tmp_path)
    assert (finding["severity"], finding["line"], finding["column"]) == ("error", 8, 8)
    message = finding["message"]
    assert f"the registry's account {ACCOUNT} is not the account of role {PUSHER} ({OTHER_ACCOUNT})" in message
    assert "no repository or registry policy lets it push" in message
    assert "ml-prod/serve lacks ecr:UploadLayerPart" in message
    assert "ml-prod/train lacks " + ", ".join(SEVEN) in message
    assert "ml-prod/ok" not in message
    assert f'"Principal": {{"AWS": "{PUSHER}"}}' in message
    assert result.code == 1


def test_policies_that_let_the_role_push_are_clean(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    """The role by ARN, its account, or everyone in the organization (a Condition) all count."""
    aws.repository("ml-prod/a", policy=repository_policy({"AWS": PUSHER}))
    aws.repository("ml-prod/b", policy=repository_policy({"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}))
    aws.repository("ml-prod/c", policy=repository_policy(
        "*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}))
    found, result = rl401(run_cli, aws, tmp_path)
    assert found == [] and result.code == 0


def test_a_registry_policy_scoped_to_replication_lets_no_one_push(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    """A registry policy of the first scope grants replication only (moto holds it to
    that): it cannot fix a push. (A registry policy that grants the push actions is
    tested against tests/fake_aws.py, which answers one.)"""
    aws.repository("ml-prod/train")
    registry = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": PUSHER}, "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
        "Resource": f"arn:aws:ecr:us-east-2:{ACCOUNT}:repository/ml-prod/*"}]}
    aws.client("ecr").put_registry_policy(policyText=json.dumps(registry))
    (finding,), _ = rl401(run_cli, aws, tmp_path)
    assert finding["severity"] == "error" and "ml-prod/train lacks " + ", ".join(SEVEN) in finding["message"]


def test_with_no_repository_yet_the_registry_policy_alone_decides(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    (finding,), _ = rl401(run_cli, aws, tmp_path)
    assert "no repository exists yet under the namespace" in finding["message"]
    assert f"arn:aws:ecr:us-east-2:{ACCOUNT}:repository/ml-prod/* would need the registry policy" in finding["message"]


def test_a_deny_in_the_repository_policy_wins(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    policy = repository_policy({"AWS": PUSHER})
    policy["Statement"].append({"Effect": "Deny", "Principal": "*", "Action": "ecr:PutImage"})
    aws.repository("ml-prod/train", policy=policy)
    (finding,), _ = rl401(run_cli, aws, tmp_path)
    assert "ml-prod/train lacks ecr:PutImage" in finding["message"]


def test_the_same_account_is_no_mismatch(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    aws.role("ci-pusher")
    aws.repository("ml-prod/train")
    same = MANIFEST.replace(PUSHER, f"arn:aws:iam::{ACCOUNT}:role/ci-pusher")
    assert rl401(run_cli, aws, tmp_path, same)[0] == []


def test_run_from_the_pushing_account_the_registry_policy_is_not_readable_a_warning(
    run_cli: Any, aws: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """From the role's own account, ECR shows another account's registry policy to no
    one: RL401 cannot tell, and says so as a warning naming the read."""
    aws.repository("ml-prod/train")
    iam = aws.in_account(OTHER_ACCOUNT, "iam")
    aws.role("ci-pusher", iam=iam)
    creds = aws.client("sts").assume_role(RoleArn=PUSHER, RoleSessionName="verify")["Credentials"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", creds["SessionToken"])
    (finding,), result = rl401(run_cli, aws, tmp_path)
    assert finding["severity"] == "warning"
    assert "reglint could not verify that a repository or registry policy lets it push" in finding["message"]
    assert f"ecr:GetRegistryPolicy of registry {ACCOUNT} (us-east-2) answers only to that account" in finding["message"]
    assert f"verify with credentials of account {ACCOUNT}" in finding["message"]
    assert result.code == 0
