"""The infrastructure code of examples/ (a CloudFormation stack, a Terraform module and its
plan) through `reglint check examples`: each deliberate mistake is found where it is
written — rule, file, line, column — with the words that tell a platform engineer what
is wrong, and nothing else is reported on those files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from iac.iac_cli import at

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
TRAINING = "examples/systems/training/user-registry.yaml"
SERVING = "examples/systems/serving/user-registry.yaml"
STACK = "examples/infra/cloudformation/ml-platform.yaml"
MODULE = "examples/infra/terraform/main.tf"
VARIABLES = "examples/infra/terraform/variables.tf"
PLAN = "examples/infra/terraform/plan.json"
IAC_FILES = (TRAINING, SERVING, STACK, MODULE, VARIABLES, PLAN)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """`reglint check examples --format json -v` from the repository root, once."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "reglint", "check", "examples", "--format", "json", "-v"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    result["stderr"] = done.stderr
    return result


def _found(report: dict[str, Any], path: str) -> list[tuple[str, str, int, int]]:
    return [
        (f["rule"], f["severity"], f["line"], f["column"])
        for f in report["findings"]
        if f["path"] == path
    ]


def _message(report: dict[str, Any], path: str, rule: str, index: int = 0) -> str:
    return [f["message"] for f in report["findings"] if f["path"] == path and f["rule"] == rule][
        index
    ]


def _text(path: str) -> str:
    return (REPO / path).read_text(encoding="utf-8")


def test_a_cloudformation_role_that_pushes_with_power_user_lacks_create_repository(
    report: dict[str, Any],
) -> None:
    assert _found(report, TRAINING) == [("RL201", "error", *at(_text(TRAINING), "iamPolicies"))]
    assert _message(report, TRAINING, "RL201") == (
        "1 of the 9 required ECR push actions is not allowed for "
        "arn:aws:ecr:us-east-2:123456789012:repository/training/*: ecr:CreateRepository (not "
        "allowed by any statement: AmazonEC2ContainerRegistryPowerUser (AWS managed) does not "
        f"allow it) (rights of NodeRole ({STACK})) (fix available for plain policy files only)"
    )  # the role's own policy would take the action, but --fix edits no infrastructure code
    assert _found(report, STACK) == []  # its repository policy and trust policy are sound


def test_a_terraform_repository_policy_that_lets_anyone_push(report: dict[str, Any]) -> None:
    module = _text(MODULE)
    principal = at(module, '"*"', after=module.index("Principal"))
    assert _found(report, MODULE) == [("RL209", "error", *principal)]
    message = _message(report, MODULE, "RL209")
    assert message.startswith(
        '"OrganisationAccounts" (Statement[0]) lets anyone push (ecr:InitiateLayerUpload'
    )
    assert "(its Condition does not restrict the caller)" in message


def test_the_plan_renders_the_same_repository_policy(report: dict[str, Any]) -> None:
    plan = _text(PLAN)
    policy = at(plan, '"policy": "{\\"Statement\\"')
    assert _found(report, PLAN) == [("RL209", "error", policy[0], policy[1] + len('"policy": '))]
    assert "lets anyone push" in _message(report, PLAN, "RL209")


def test_a_plan_made_for_another_region(report: dict[str, Any]) -> None:
    manifest = _text(SERVING)
    assert _found(report, SERVING) == [("RL201", "error", *at(manifest, "iamPolicies"))]
    assert _message(report, SERVING, "RL201") == (
        "8 of the 9 required ECR push actions are not allowed for "
        "arn:aws:ecr:eu-central-1:123456789012:repository/serving/*: ecr:CreateRepository, "
        "ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:CompleteLayerUpload, "
        "ecr:GetDownloadUrlForLayer, ecr:InitiateLayerUpload, ecr:PutImage, ecr:UploadLayerPart "
        "(allowed only on resources that do not cover the target: region `eu-west-1` in the "
        f"policy, `eu-central-1` in the URL) (rights of aws_iam_role.image_builder ({PLAN})) "
        "(fix available for plain policy files only)"
    )


def test_the_role_s_provider_computed_policies_are_no_note(report: dict[str, Any]) -> None:
    """The plan's role leaves `inline_policy` and `managed_policy_arns` to the AWS provider
    (unknown after apply, not in the plan's configuration): no RL302 note, and RL201
    does not say that they may grant what is missing."""
    plan = json.loads(_text(PLAN))
    [change] = [c for c in plan["resource_changes"] if c["address"] == "aws_iam_role.image_builder"]
    assert change["change"]["after_unknown"]["inline_policy"] is True
    assert change["change"]["after_unknown"]["managed_policy_arns"] is True
    [role] = [r for r in plan["configuration"]["root_module"]["resources"]
              if r["address"] == "aws_iam_role.image_builder"]  # fmt: skip
    assert sorted(role["expressions"]) == ["assume_role_policy", "name"]
    assert [f[0] for f in _found(report, SERVING)] == ["RL201"]
    assert "known after apply" not in _message(report, SERVING, "RL201")


def test_a_module_file_without_policies_is_skipped_and_said_why(report: dict[str, Any]) -> None:
    assert _found(report, VARIABLES) == []
    assert report["summary"]["skipped"] == 1
    assert (
        f"reglint: {VARIABLES}: skipped: a Terraform file without IAM or ECR resources"
        in report["stderr"]
    )


def test_every_iac_example_is_counted(report: dict[str, Any]) -> None:
    assert all((REPO / path).is_file() for path in IAC_FILES)
    assert report["summary"]["files"] == 19
