"""A property of the IaC sources (SPEC §6.2): for any policy, the findings of RL201, RL202,
RL203 and RL206 on it as a plain JSON file equal those on the same policy embedded in a
CloudFormation template (YAML and JSON) and in Terraform (`jsonencode`, a heredoc, a
quoted string, a `data "aws_iam_policy_document"`), modulo positions.

A policy written as JSON text (a heredoc, a quoted string) has all its findings at the
start of that text, so two equal findings of it there are one (README, "Terraform"):
for those forms the distinct findings are compared.

Every file is a standalone push policy (`ecr-push-policies: ["**"]`), so RL201/RL202 run
on each policy document wherever it is written. The policies are generated from pools
that hit each rule: known and misspelt actions, wildcards, NotAction/NotResource, good
and malformed ARNs, conditions, Denies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ACTIONS = [
    "ecr:PutImage", "ecr:GetAuthorizationToken", "ecr:CreateRepository", "ecr:BatchGetImage",
    "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
    "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:*", "ecr:Put*",
    "ecr:PutImages", "ecr:*Layer*", "s3:GetObject", "*", "ecrr:PutImage",
]  # fmt: skip
RESOURCES = [
    "*", "arn:aws:ecr:us-east-1:123456789012:repository/ml/*",
    "arn:aws:ecr:*:123456789012:repository/*", "arn:aws:ecr:us-east-1:1234:repository/x",
    "arn:aws:ecr:us-east-1:123456789012:repository/other/*", "not-an-arn",
    "arn:aws-cn:ecr:cn-north-1:123456789012:repository/ml/*",
]  # fmt: skip
IAC_FIX = "fix available for plain policy files only"
CONDITIONS = [{"StringEquals": {"aws:SourceVpc": ["vpc-0a1b2c3d"]}}]

STATEMENTS = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Allow", "Deny"]),
        "actions": st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=4, unique=True),
        "not_action": st.booleans(),
        "resources": st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=3, unique=True),
        "not_resource": st.booleans(),
        "condition": st.sampled_from([None, None, *CONDITIONS]),
        "sid": st.sampled_from([None, "Push", "Token"]),
    }
)
POLICIES = st.lists(STATEMENTS, min_size=1, max_size=4)


def as_policy(statements: list[dict[str, Any]]) -> dict[str, Any]:
    out = []
    for index, s in enumerate(statements):
        statement: dict[str, Any] = {"Effect": s["Effect"]}
        if s["sid"]:
            statement["Sid"] = f"{s['sid']}{index}"
        statement["NotAction" if s["not_action"] else "Action"] = s["actions"]
        statement["NotResource" if s["not_resource"] else "Resource"] = s["resources"]
        if s["condition"]:
            statement["Condition"] = s["condition"]
        out.append(statement)
    return {"Version": "2012-10-17", "Statement": out}


def cloudformation_yaml(policy: dict[str, Any]) -> str:
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy",
                                    "Properties": {"PolicyDocument": policy}}}}  # fmt: skip
    return yaml.safe_dump(template, sort_keys=False)


def cloudformation_json(policy: dict[str, Any]) -> str:
    template = {"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy",
                                    "Properties": {"PolicyDocument": policy}}}}  # fmt: skip
    return json.dumps(template, indent=2)


def hcl(value: Any) -> str:
    """A JSON value as an HCL expression (every key quoted)."""
    if isinstance(value, dict):
        return "{\n" + "".join(f"{json.dumps(k)} = {hcl(v)}\n" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v) for v in value) + "]"
    return json.dumps(value)


def terraform_jsonencode(policy: dict[str, Any]) -> str:
    return f'resource "aws_iam_policy" "p" {{\n  policy = jsonencode({hcl(policy)})\n}}\n'


def terraform_heredoc(policy: dict[str, Any]) -> str:
    text = json.dumps(policy, indent=2)
    return f'resource "aws_iam_policy" "p" {{\n  policy = <<EOF\n{text}\nEOF\n}}\n'


def terraform_string(policy: dict[str, Any]) -> str:
    text = json.dumps(json.dumps(policy))  # a quoted HCL string (no `${` in the pools)
    return f'resource "aws_iam_policy" "p" {{\n  policy = {text}\n}}\n'


def terraform_document(policy: dict[str, Any]) -> str:
    blocks = []
    for statement in policy["Statement"]:
        lines = [f'    effect = "{statement["Effect"]}"']
        if "Sid" in statement:
            lines.append(f'    sid = "{statement["Sid"]}"')
        for key, attribute in (("Action", "actions"), ("NotAction", "not_actions"),
                               ("Resource", "resources"), ("NotResource", "not_resources")):  # fmt: skip
            if key in statement:
                lines.append(f"    {attribute} = {json.dumps(statement[key])}")
        for test, tests in statement.get("Condition", {}).items():
            for variable, values in tests.items():
                lines.append(
                    f'    condition {{\n      test = "{test}"\n      variable = "{variable}"\n'
                    f"      values = {json.dumps(values)}\n    }}"
                )
        blocks.append("  statement {\n" + "\n".join(lines) + "\n  }\n")
    return (
        'data "aws_iam_policy_document" "d" {\n' + "".join(blocks) + "}\n"
        'resource "aws_iam_policy" "p" {\n  policy = data.aws_iam_policy_document.d.json\n}\n'
    )


FORMS = {
    "plain.json": lambda p: json.dumps(p, indent=2),
    "template.yaml": cloudformation_yaml,
    "template.json": cloudformation_json,
    "jsonencode/main.tf": terraform_jsonencode,
    "heredoc/main.tf": terraform_heredoc,
    "string/main.tf": terraform_string,
    "document/main.tf": terraform_document,
}
# Forms that give the policy as JSON text: its findings all sit at the text's start.
TEXT_FORMS = {"heredoc/main.tf", "string/main.tf"}
RULES = "RL201,RL202,RL203,RL206"


def findings_by_form(
    run_cli: Any, root: Path, policy: dict[str, Any]
) -> dict[str, list[tuple[str, str]]]:
    (root / ".git").mkdir()
    files = {name: render(policy) for name, render in FORMS.items()}
    write_tree(root, {**files, ".reglint.yaml": 'ecr-push-policies: ["**"]\n'})
    result = run_cli("check", ".", "--select", RULES, "--format", "json", cwd=root)
    assert result.code in (0, 1), result.err
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in FORMS}
    for finding in json.loads(result.out)["findings"]:
        # Infrastructure code is never fixed (SPEC §6.5): where the plain file's finding
        # has a fix, the embedded one says so instead; the findings compare without it.
        message = finding["message"].removesuffix(f" ({IAC_FIX})")
        assert finding["path"] != "plain.json" or message == finding["message"]
        found[finding["path"]].append((finding["rule"], message))
    return {name: sorted(items) for name, items in found.items()}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(POLICIES)
def test_embedded_policies_give_the_findings_of_the_plain_file(
    run_cli: Any, tmp_path_factory: pytest.TempPathFactory, statements: list[dict[str, Any]]
) -> None:
    root = tmp_path_factory.mktemp("iac-property")
    found = findings_by_form(run_cli, root, as_policy(statements))
    plain = found.pop("plain.json")
    for form, findings in found.items():
        if form in TEXT_FORMS:  # one position for the whole text: equal findings are one
            assert sorted(set(findings)) == sorted(set(plain)), form
        else:
            assert findings == plain, form


def test_the_forms_hit_every_rule(run_cli: Any, tmp_path: Path) -> None:
    """The comparison means something: each rule fires on a policy of the pools."""
    policy = as_policy(
        [
            {"Effect": "Allow", "actions": ["ecr:PutImages"], "not_action": False,
             "resources": ["arn:aws:ecr:us-east-1:1234:repository/x"], "not_resource": False,
             "condition": None, "sid": None},
            {"Effect": "Allow", "actions": ["ecr:PutImage"], "not_action": False,
             "resources": ["*"], "not_resource": False, "condition": CONDITIONS[0], "sid": None},
        ]
    )  # fmt: skip
    found = findings_by_form(run_cli, tmp_path, policy)
    assert {rule for rule, _ in found["plain.json"]} == {"RL201", "RL202", "RL203", "RL206"}
    for form, findings in found.items():
        assert findings == found["plain.json"], form
