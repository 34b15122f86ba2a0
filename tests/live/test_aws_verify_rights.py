"""`reglint aws verify`: RL201/RL202 on the deployed rights of the pushing identity,
against moto in server mode (tests/live_aws.py), never against AWS (SPEC §6.4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from live_aws import (
    ACCOUNT,
    NINE,
    OTHER_ACCOUNT,
    aws,
    ecr_manifest,
    findings,
    moto_server,
    network_guard,
    push_policy,
    verify,
)

__all__ = ["aws", "moto_server", "network_guard"]  # fixtures, by import
# Each test resets moto and reloads its AWS managed policies: about a second or two.
pytestmark = pytest.mark.slow

POWER_USER = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/platform/ml-nodes"


def manifest(role_arn: str | None = ROLE_ARN, url: str = f"{ACCOUNT}.dkr.ecr.us-east-2.amazonaws.com/ml-prod",
             system: str = "ml-prod", extra: str = "") -> str:
    return ecr_manifest(role_arn, url, system, extra=extra)


def run(run_cli: Any, aws: Any, tmp_path: Path, text: str, *args: str) -> Any:
    write_tree(tmp_path, {"registry.yaml": text})
    return verify(run_cli, aws.url, tmp_path, "--format", "json", *args)


def test_a_managed_policy_that_lacks_an_action_is_named_with_its_version(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    aws.role("ml-nodes", path="/platform/", managed=(POWER_USER,))
    result = run(run_cli, aws, tmp_path, manifest())
    assert result.code == 1, result
    (finding,) = findings(result)
    assert (finding["rule"], finding["path"], finding["line"], finding["column"]) == ("RL201", "registry.yaml", 8, 8)
    message = finding["message"]
    # Named as `check` names an AWS managed policy that decides (model/iam/verdicts.py).
    assert f"ecr:CreateRepository (not allowed by any statement: {POWER_USER} (v3) does not allow it)" in message
    assert f"the deployed rights of role {ROLE_ARN} (from auth.roleArn)" in message
    assert "1 of the 9 required ECR push actions is not allowed" in message
    assert "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*" in message
    assert result.err == ""


def test_rights_that_allow_the_nine_actions_are_clean_and_the_live_section_says_what_was_read(
    run_cli: Any, aws: Any, tmp_path: Path
) -> None:
    customer = aws.policy("ml-push", push_policy())
    aws.role("ml-nodes", path="/platform/", managed=(customer,), inline={"extra": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}})
    aws.repository("ml-prod/train", mutability="IMMUTABLE", tags={"reglint:system": "default/ml-prod"})
    aws.repository("ml-prod-old/x")  # not under the namespace `ml-prod/`
    result = run(run_cli, aws, tmp_path, manifest())
    assert result.code == 0, result
    assert findings(result) == []
    live = json.loads(result.out)["summary"]["live"]
    assert live["account"] == ACCOUNT and live["region"] == "us-east-1"
    assert live["identities"] == [{
        "arn": ROLE_ARN, "kind": "role", "exists": True, "readable": True,
        "policies": [f"{customer} (v1)", f"inline policy 'extra' of role {ROLE_ARN}"],
        "permissions_boundary": None, "groups": [],
    }]
    assert live["repositories"] == [{
        "name": "ml-prod/train", "registry": ACCOUNT, "region": "us-east-2", "tag_mutability": "IMMUTABLE",
        "reglint_system": "default/ml-prod",
    }]
    assert live["services"][0]["identity_source"] == "auth.roleArn"
    assert "session policies" in live["not_visible"]


def test_the_text_report_lists_the_repositories_and_says_once_what_it_cannot_see(
    run_cli: Any, aws: Any, tmp_path: Path
) -> None:
    aws.role("ml-nodes", path="/platform/", inline={"push": push_policy()})
    aws.repository("ml-prod/train")
    write_tree(tmp_path, {"registry.yaml": manifest()})
    result = verify(run_cli, aws.url, tmp_path)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == "0 errors, 0 warnings in 1 file (0 skipped)"
    assert lines[1].startswith(f"live: account {ACCOUNT} (caller arn:aws:sts::{ACCOUNT}:")
    assert "1 service verified, 1 pushing identity, 1 repository under their namespaces" in lines[1]
    assert lines[2] == f"  {ACCOUNT} us-east-2 ml-prod/train: tags MUTABLE"
    assert result.out.count("session policies are not visible") == 1


def test_several_reports_in_one_run_as_for_check_every_format_included(
    run_cli: Any, aws: Any, tmp_path: Path
) -> None:
    aws.role("ml-nodes", path="/platform/", managed=(POWER_USER,))
    write_tree(tmp_path, {"registry.yaml": manifest()})
    result = verify(run_cli, aws.url, tmp_path, "--format", "text", "--format", "json=out/r.json",
                    "--format", "sarif=out/r.sarif", "--format", "gitlab=out/gl.json",
                    "--format", "checkstyle=out/cs.xml", "--format", "junit=out/j.xml", "--format", "github=out/gh.txt")
    assert result.code == 1, result
    assert result.out.startswith("registry.yaml:8:8: RL201 error ecr-push-actions-missing: ")
    assert "session policies are not visible" in result.out
    out = tmp_path / "out"
    report = json.loads((out / "r.json").read_text())
    assert [f["rule"] for f in report["findings"]] == ["RL201"]
    assert report["summary"]["live"]["identities"][0]["arn"] == ROLE_ARN
    sarif = json.loads((out / "r.sarif").read_text())["runs"][0]
    assert sarif["results"][0]["ruleId"] == "RL201" and sarif["properties"]["live"]["account"] == ACCOUNT
    (issue,) = json.loads((out / "gl.json").read_text())
    assert issue["check_name"] == "RL201" and issue["location"] == {"path": "registry.yaml", "lines": {"begin": 8, "end": 8}}
    checkstyle = (out / "cs.xml").read_text()
    assert '<file name="registry.yaml">' in checkstyle and 'line="8" column="8" severity="error"' in checkstyle
    assert "RL201" in (out / "j.xml").read_text()
    assert (out / "gh.txt").read_text().startswith("::error file=registry.yaml,line=8,endLine=8,col=8,")


def test_a_role_that_does_not_exist_is_rl201_at_auth_role_arn(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    result = run(run_cli, aws, tmp_path, manifest())
    (finding,) = findings(result)
    assert (finding["rule"], finding["line"], finding["column"]) == ("RL201", 11, 14)
    assert f"role {ROLE_ARN} does not exist in account {ACCOUNT}" in finding["message"]
    assert result.code == 1


def test_a_role_with_that_name_but_another_path_is_not_the_role(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    aws.role("ml-nodes", path="/other/", inline={"push": push_policy()})
    (finding,) = findings(run(run_cli, aws, tmp_path, manifest()))
    assert finding["line"] == 11
    assert f"no role has the ARN {ROLE_ARN}; the role named 'ml-nodes' is arn:aws:iam::{ACCOUNT}:role/other/ml-nodes" in finding["message"]


def test_role_option_names_the_role_of_services_without_role_arn_and_findings_sit_at_the_url(
    run_cli: Any, aws: Any, tmp_path: Path
) -> None:
    arn = aws.role("ci", managed=(POWER_USER,))
    (finding,) = findings(run(run_cli, aws, tmp_path, manifest(role_arn=None), "--role", arn))
    assert (finding["rule"], finding["line"]) == ("RL201", 8)
    assert f"role {arn} (from --role)" in finding["message"]
    missing = f"arn:aws:iam::{ACCOUNT}:role/nobody"
    (finding,) = findings(run(run_cli, aws, tmp_path, manifest(role_arn=None), "--role", missing))
    assert finding["line"] == 8 and f"role {missing} does not exist" in finding["message"]


def test_auth_role_arn_wins_over_the_role_option(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    aws.role("ml-nodes", path="/platform/", inline={"push": push_policy()})
    other = aws.role("ci", managed=(POWER_USER,))
    assert run(run_cli, aws, tmp_path, manifest(), "--role", other).code == 0


def test_an_assumed_role_caller_stands_for_its_role_found_by_name_with_its_path(
    run_cli: Any, aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn = aws.role("builder", path="/ci/", managed=(POWER_USER,))
    session = aws.client("sts").assume_role(RoleArn=arn, RoleSessionName="nightly")["Credentials"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", session["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", session["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", session["SessionToken"])
    result = run(run_cli, aws, tmp_path, manifest(role_arn=None))
    (finding,) = findings(result)
    assert f"the deployed rights of role {arn} (from caller)" in finding["message"]
    assert f"{POWER_USER} (v3) does not allow it" in finding["message"]
    assert json.loads(result.out)["summary"]["live"]["caller"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/builder/nightly"


def test_a_user_caller_stands_for_the_user_with_its_groups(
    run_cli: Any, aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    iam = aws.client("iam")
    iam.create_user(UserName="ci", Path="/bots/")
    iam.create_group(GroupName="pushers")
    iam.add_user_to_group(GroupName="pushers", UserName="ci")
    lacking = push_policy()
    lacking["Statement"][1]["Action"].remove("ecr:PutImage")
    iam.put_group_policy(GroupName="pushers", PolicyName="push", PolicyDocument=json.dumps(lacking))
    iam.attach_user_policy(UserName="ci", PolicyArn=POWER_USER)
    keys = iam.create_access_key(UserName="ci")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", keys["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", keys["SecretAccessKey"])
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    result = run(run_cli, aws, tmp_path, manifest(role_arn=None))
    assert result.code == 0, result  # the group grants what the managed policy lacks, and vice versa
    identity = json.loads(result.out)["summary"]["live"]["identities"][0]
    assert identity["arn"] == f"arn:aws:iam::{ACCOUNT}:user/bots/ci" and identity["groups"] == ["pushers"]
    iam.detach_user_policy(UserName="ci", PolicyArn=POWER_USER)
    (finding,) = findings(run(run_cli, aws, tmp_path, manifest(role_arn=None)))
    assert f"user arn:aws:iam::{ACCOUNT}:user/bots/ci (from caller)" in finding["message"]
    assert "ecr:GetAuthorizationToken" not in finding["message"].split(" — ")[0].split(": ", 2)[2]
    assert f"inline policy 'push' of group arn:aws:iam::{ACCOUNT}:group/pushers does not allow ecr:PutImage" in finding["message"]


def test_a_permissions_boundary_limits_the_rights_and_is_named(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    boundary = aws.policy("ecr-read-only", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage",
                                       "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], "Resource": "*"}]})
    aws.role("ml-nodes", path="/platform/", inline={"push": push_policy()}, boundary=boundary)
    (finding,) = findings(run(run_cli, aws, tmp_path, manifest()))
    message = finding["message"]
    assert "5 of the 9 required ECR push actions are not allowed" in message
    assert ("ecr:CreateRepository, ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage, "
            f"ecr:UploadLayerPart (not allowed by the permissions boundary {boundary} (v1): not allowed by any "
            "statement)") in message
    assert message.endswith(f"; permissions boundary {boundary} (v1))")


def test_a_deny_names_its_policy_and_statement(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    deny = {"Version": "2012-10-17", "Statement": [
        {"Sid": "NoPush", "Effect": "Deny", "Action": "ecr:PutImage", "Resource": "*"}]}
    aws.role("ml-nodes", path="/platform/", inline={"push": push_policy(), "guard": deny})
    (finding,) = findings(run(run_cli, aws, tmp_path, manifest()))
    assert f"inline policy 'guard' of role {ROLE_ARN} \"NoPush\" (Statement[0]) denies ecr:PutImage" in finding["message"]


def test_a_conditional_grant_is_rl202(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    policy = push_policy()
    policy["Statement"][1]["Condition"] = {"StringEquals": {"aws:RequestedRegion": "us-east-2"}}
    aws.role("ml-nodes", path="/platform/", inline={"push": policy})
    result = run(run_cli, aws, tmp_path, manifest(), "--fail-on", "warning")
    (finding,) = findings(result)
    assert (finding["rule"], finding["severity"], finding["line"]) == ("RL202", "warning", 8)
    assert "are allowed only under a Condition" in finding["message"]
    assert f"inline policy 'push' of role {ROLE_ARN} \"Push\" (Statement[1])" in finding["message"]
    assert result.code == 1


def test_more_than_100_attached_policies_are_all_read(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    """IAM pages ListAttachedRolePolicies by 100 (`Marker`): the grant on page 2 counts."""
    iam = aws.client("iam")
    aws.role("ml-nodes", path="/platform/")
    for index in range(119):
        arn = aws.policy(f"filler-{index}", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}, iam=iam)
        iam.attach_role_policy(RoleName="ml-nodes", PolicyArn=arn)
    iam.attach_role_policy(RoleName="ml-nodes", PolicyArn=aws.policy("push", push_policy(), iam=iam))
    assert len(iam.list_attached_role_policies(RoleName="ml-nodes")["AttachedPolicies"]) == 100
    result = run(run_cli, aws, tmp_path, manifest())
    assert result.code == 0, result
    assert len(json.loads(result.out)["summary"]["live"]["identities"][0]["policies"]) == 120


def test_a_role_of_another_account_is_a_note_saying_whose_credentials_to_use(
    run_cli: Any, aws: Any, tmp_path: Path
) -> None:
    other = f"arn:aws:iam::{OTHER_ACCOUNT}:role/ci-pusher"
    result = run(run_cli, aws, tmp_path, manifest(role_arn=other), "--select", "RL201")
    (finding,) = findings(result)
    assert (finding["rule"], finding["severity"], finding["line"]) == ("RL201", "note", 11)
    assert f"role {other} is in account {OTHER_ACCOUNT}, and the credentials are of account {ACCOUNT}" in finding["message"]
    assert result.code == 0


def test_suppressions_baseline_and_fail_on_apply_as_for_check(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    aws.role("ml-nodes", path="/platform/", managed=(POWER_USER,))
    ignored = manifest().replace(
        "  url: ", "  # reglint: ignore[RL201] -- CreateRepository is done by the platform team\n  url: "
    )
    result = run(run_cli, aws, tmp_path, ignored)
    assert result.code == 0, result
    (finding,) = findings(result)
    assert finding["suppressed"] == {"kind": "inline", "justification": "CreateRepository is done by the platform team"}
    assert run(run_cli, aws, tmp_path, manifest(), "--fail-on", "never").code == 0
    baseline = tmp_path / "baseline.json"
    assert run(run_cli, aws, tmp_path, manifest(), "--write-baseline", str(baseline)).code == 0
    result = run(run_cli, aws, tmp_path, manifest(), "--baseline", str(baseline))
    assert result.code == 0 and findings(result)[0]["suppressed"]["kind"] == "baseline"


def test_services_that_are_not_private_ecr_are_not_verified_and_aws_is_not_asked(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from live_aws import aws_environment

    aws_environment(monkeypatch, tmp_path, credentials=False)
    write_tree(tmp_path, {"registry.yaml": manifest(url="registry.example.com/ml")})
    (tmp_path / ".git").mkdir()
    result = run_cli("aws", "verify", ".", "--endpoint-url", "http://127.0.0.1:9", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result
    assert json.loads(result.out)["summary"].get("live") is None


def test_the_nine_actions_of_the_tests_are_reglints() -> None:
    from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS

    assert sorted(NINE) == sorted(ECR_PUSH_ACTIONS)


def test_a_role_arn_that_is_no_role_arn_is_a_finding_not_a_call(run_cli: Any, aws: Any, tmp_path: Path) -> None:
    (finding,) = findings(run(run_cli, aws, tmp_path, manifest(role_arn="ml-nodes"), "--select", "RL201"))
    assert finding["line"] == 11 and "auth.roleArn 'ml-nodes' is no IAM role ARN" in finding["message"]
