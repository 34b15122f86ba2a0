"""RL201 on a manifest's linked policies names the real cause, and its related locations
(JSON `related`, SARIF `relatedLocations`) point at the statements behind each verdict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

EIGHT = [
    "ecr:CreateRepository", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
    "ecr:PutImage", "ecr:UploadLayerPart",
]  # fmt: skip
ARN = "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/runtime*"
TOKEN = {"Sid": "Token", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: ecr
  system: ml
  environment: production
spec:
  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod
  imagePrefix: runtime
  auth:
    method: iam-role
  iamPolicies:
    - p.json
"""
IAM_POLICIES_LINE = 12


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def push(resource: Any, actions: list[str] = EIGHT) -> dict[str, Any]:
    return {"Sid": "Push", "Effect": "Allow", "Action": actions, "Resource": resource}


def findings(run_cli: Any, root: Path, fmt: str = "json") -> Any:
    result = run_cli("check", ".", "--select", "RL201", "--format", fmt, cwd=root)
    assert result.code == 1, result
    return json.loads(result.out)


def rl201(run_cli: Any, root: Path, *statements: dict[str, Any]) -> dict[str, Any]:
    write_tree(root, {".git/HEAD": "", "r.yaml": MANIFEST, "p.json": policy(*statements)})
    (finding,) = findings(run_cli, root)["findings"]
    assert (finding["rule"], finding["path"], finding["line"]) == ("RL201", "r.yaml", 12)
    return finding  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("resource", "cause"),
    [
        (ARN.replace("us-east-2", "us-east-1"), "region `us-east-1` in the policy, `us-east-2` in the URL"),
        (ARN.replace("123456789012", "210987654321"),
         "account `210987654321` in the policy, `123456789012` in the URL"),
        (ARN.replace("arn:aws:", "arn:aws-us-gov:"), "partition `aws-us-gov` in the policy, `aws` in the URL"),
        (ARN.replace("ml-prod/runtime*", "search/*"),
         "repository `search/*` in the policy, `ml-prod/runtime*` for the namespace"),
    ],
)  # fmt: skip
def test_the_message_names_the_part_of_the_arn_that_differs(
    run_cli: Any, tmp_path: Path, resource: str, cause: str
) -> None:
    finding = rl201(run_cli, tmp_path, TOKEN, push(resource, EIGHT[1:]))
    message = finding["message"]
    assert message.startswith("8 of the 9 required ECR push actions are not allowed for " + ARN)
    assert f"allowed only on resources that do not cover the target: {cause}" in message
    assert "ecr:CreateRepository (not allowed by any statement)" in message


def test_one_missing_action_is_singular(run_cli: Any, tmp_path: Path) -> None:
    finding = rl201(run_cli, tmp_path, TOKEN, push(ARN, EIGHT[1:]))
    assert finding["message"].startswith(
        f"1 of the 9 required ECR push actions is not allowed for {ARN}: "
        "ecr:CreateRepository (not allowed by any statement)"
    )


def test_a_not_allowed_action_relates_to_the_statement_that_grants_the_others(
    run_cli: Any, tmp_path: Path
) -> None:
    finding = rl201(run_cli, tmp_path, TOKEN, push(ARN, EIGHT[1:]))
    assert [(r["path"], r["line"], r["message"]) for r in finding["related"]] == [
        ("p.json", 10, '"Push" (Statement[1]) does not allow ecr:CreateRepository')
    ]
    sarif = findings(run_cli, tmp_path, "sarif")
    (result,) = sarif["runs"][0]["results"]
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "p.json"
    assert related["physicalLocation"]["region"]["startLine"] == 10
    assert related["message"]["text"] == '"Push" (Statement[1]) does not allow ecr:CreateRepository'


def test_one_statement_with_two_roles_is_one_related_location(run_cli: Any, tmp_path: Path) -> None:
    finding = rl201(
        run_cli, tmp_path, TOKEN, push(ARN.replace("us-east-2", "us-east-1"), EIGHT[1:])
    )
    (related,) = finding["related"]
    assert (related["path"], related["line"]) == ("p.json", 10)
    assert related["message"] == (
        '"Push" (Statement[1]) allows ' + ", ".join(EIGHT[1:]) + " only on resources outside "
        "the target; does not allow ecr:CreateRepository"
    )


def test_with_no_statement_to_point_at_related_names_the_policy(
    run_cli: Any, tmp_path: Path
) -> None:
    finding = rl201(run_cli, tmp_path, TOKEN)
    assert [(r["path"], r["line"], r["message"]) for r in finding["related"]] == [
        ("p.json", 3, "no statement of this policy allows " + ", ".join(EIGHT))
    ]


def test_a_not_allowed_action_points_at_the_first_three_granting_statements(
    run_cli: Any, tmp_path: Path
) -> None:
    grants = [{**push(ARN, [action]), "Sid": f"Grant{i}"} for i, action in enumerate(EIGHT[1:])]
    finding = rl201(run_cli, tmp_path, TOKEN, *grants)
    assert [r["message"] for r in finding["related"]] == [
        f'"Grant{i}" (Statement[{i + 1}]) does not allow ecr:CreateRepository' for i in range(3)
    ]
